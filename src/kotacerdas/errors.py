"""The exceptions kotacerdas raises.

Every exception derives from :class:`KotaCerdasError` *and* from the builtin a caller
would naturally catch (:class:`ValueError`, :class:`LookupError`, :class:`OSError`),
so ``except ValueError`` keeps working in code that does not know this library.

Each error has a stable :attr:`~KotaCerdasError.code` from the message catalogue
(:data:`kotacerdas.i18n.MESSAGES`) and renders itself in Bahasa Indonesia or
English with :meth:`~KotaCerdasError.message`.  ``str(error)`` uses the default
language (see :func:`kotacerdas.i18n.default_language`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from kotacerdas.i18n import message as _render

__all__ = [
    "FileFormatError",
    "FileReadError",
    "FrameworkError",
    "FrameworkNotFoundError",
    "KotaCerdasError",
    "NodeNotFoundError",
    "Problem",
]


@attrs.frozen
class Problem:
    """One thing wrong with an input, at one place in it.

    Attributes:
        code: Stable message code (a key of :data:`kotacerdas.i18n.MESSAGES`).
        path: Where in the input, e.g. ``nodes[2].children[0].weight``; empty for
            the whole input.
        params: Values substituted into the message template.
    """

    code: str
    path: str = ""
    params: Mapping[str, object] = attrs.field(
        factory=dict, converter=lambda m: MappingProxyType(dict(m))
    )

    def message(self, lang: str | None = None) -> str:
        """The problem in words, prefixed by its path."""
        text = _render(self.code, lang, **self.params)
        return f"{self.path}: {text}" if self.path else text

    def __str__(self) -> str:
        return self.message()


class KotaCerdasError(Exception):
    """Root of every exception raised by kotacerdas."""

    code: str
    params: Mapping[str, object]

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = MappingProxyType(dict(params))
        super().__init__(code)

    def message(self, lang: str | None = None) -> str:
        """The error in words, in *lang* (``"id"`` or ``"en"``)."""
        return _render(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class FileReadError(KotaCerdasError, OSError):
    """A file could not be found or read (missing, unreadable, too large, not UTF-8)."""


class FileFormatError(KotaCerdasError, ValueError):
    """A file is not valid TOML, JSON or CSV; ``params`` holds ``line`` and ``column``."""


class FrameworkError(KotaCerdasError, ValueError):
    """A framework file or definition is invalid.

    Carries *every* problem found, not just the first, in :attr:`problems`.
    """

    problems: tuple[Problem, ...]

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__("framework.invalid", source=source, count=len(self.problems))

    def message(self, lang: str | None = None) -> str:
        """A header line and one indented line per problem."""
        lines = [super().message(lang) + ":"]
        lines.extend(f"  {p.message(lang)}" for p in self.problems)
        return "\n".join(lines)


class FrameworkNotFoundError(KotaCerdasError, LookupError):
    """No bundled or registered framework edition has the requested id and edition."""


class NodeNotFoundError(KotaCerdasError, LookupError):
    """A code or alias names no node of the framework."""
