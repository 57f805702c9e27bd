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
from typing import TYPE_CHECKING

import attrs

from kotacerdas.i18n import Phrase
from kotacerdas.i18n import message as _render

if TYPE_CHECKING:
    from kotacerdas.regions import Region

__all__ = [
    "AmbiguousRegionError",
    "ArgumentError",
    "AssessmentError",
    "CrosswalkError",
    "EngineError",
    "EvidencePathError",
    "FileFormatError",
    "FileReadError",
    "FrameworkError",
    "FrameworkNotFoundError",
    "InvalidInputError",
    "KotaCerdasError",
    "LanguageError",
    "MissingDataError",
    "MissingExtraError",
    "NodeNotFoundError",
    "PanelError",
    "Problem",
    "RegionError",
    "RegionNotFoundError",
    "ReportError",
    "ScoringError",
    "TableError",
]


def _frozen(params: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(params))


@attrs.frozen
class Problem:
    """One thing wrong with an input, at one place in it.

    Attributes:
        code: Stable message code (a key of :data:`kotacerdas.i18n.MESSAGES`).
        path: Where in the input, e.g. ``nodes[2].children[0].weight``; empty for
            the whole input.  A row or cell of a table is a :class:`~kotacerdas.i18n.Phrase`
            (``row 3, column G1``), shown in the language of the message.
        params: Values substituted into the message template.
        close: For an unknown name, the known ones closest to it ("did you mean"),
            which the message ends with; not part of equality.
    """

    code: str
    path: str = ""
    params: Mapping[str, object] = attrs.field(factory=dict, converter=_frozen, hash=False)
    close: tuple[str, ...] = attrs.field(default=(), eq=False, hash=False)

    def message(self, lang: str | None = None) -> str:
        """The problem in words, prefixed by its path."""
        text = _render(self.code, lang, **self.params)
        if self.close:
            text += "; " + _render("suggest.close", lang, names=", ".join(self.close))
        path = self.path.text(lang) if isinstance(self.path, Phrase) else self.path
        return f"{path}: {text}" if path else text

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


class InvalidInputError(KotaCerdasError, ValueError):
    """An input (file or data) is invalid.

    Carries *every* problem found, not just the first, in :attr:`problems`.
    """

    problems: tuple[Problem, ...]
    header: str = "input.invalid"

    def __init__(self, source: str, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        self.source = source
        super().__init__(self.header, source=source, count=len(self.problems))

    def message(self, lang: str | None = None) -> str:
        """A header line and one indented line per problem."""
        lines = [super().message(lang) + ":"]
        lines.extend(f"  {p.message(lang)}" for p in self.problems)
        return "\n".join(lines)


class FrameworkError(InvalidInputError):
    """A framework file or definition is invalid.

    Every problem is in :attr:`~InvalidInputError.problems`.
    """

    header = "framework.invalid"


class CrosswalkError(InvalidInputError):
    """A crosswalk file is invalid, unknown, or does not join the frameworks asked for.

    Every problem is in :attr:`~InvalidInputError.problems`.
    """

    header = "crosswalk.invalid"


class AssessmentError(InvalidInputError):
    """An assessment file cannot be read as assessments.

    Every problem is in :attr:`~InvalidInputError.problems`.

    Problems of *content* (a score off the scale, late evidence …) are not errors but
    findings of :func:`kotacerdas.validation.validate`.
    """

    header = "assessment.invalid"


class EvidencePathError(KotaCerdasError, ValueError):
    """An evidence path is absolute, contains ``..`` or leads outside the evidence folder."""


class ScoringError(KotaCerdasError, ValueError):
    """An index cannot be computed as asked (no index, wrong edition, missing values …)."""


class LanguageError(KotaCerdasError, ValueError):
    """A language other than ``id`` (Bahasa Indonesia) or ``en`` (English) was asked for."""


class FrameworkNotFoundError(KotaCerdasError, LookupError):
    """No bundled or registered framework edition has the requested id and edition."""


class NodeNotFoundError(KotaCerdasError, LookupError):
    """A code or alias names no node of the framework."""


class EngineError(KotaCerdasError, ValueError):
    """A composite-index build cannot run as specified (:mod:`kotacerdas.engine`).

    Raised instead of a silent fallback, before a result is returned, when the build
    names an unknown method, parameter or node, when weights are inconsistent, or when
    a method does not apply to the data (a geometric mean over non-positive values, a
    z-score of an indicator with no variance); ``params`` name the node and the
    message says how to fix it.
    """


class MissingDataError(EngineError):
    """Missing values cannot be handled under the build's missing-data policy."""


class TableError(KotaCerdasError, ValueError):
    """A data table (CSV) is readable but its content is invalid.

    ``params`` hold the file ``path`` and, where there is one, the ``row`` (the line
    number, the header being row 1) and ``column`` of the bad cell.
    """


class RegionError(KotaCerdasError, ValueError):
    """A region, registry, set of population classes or cohort is invalid as given.

    Raised when such an object is built (by hand or from data) with a field that breaks
    its rules, e.g. a code that is not ``NN`` or ``NN.NN``; ``params`` name the field.
    """


class RegionNotFoundError(KotaCerdasError, LookupError):
    """No region (or assessed unit) has the code or name; :attr:`candidates` holds close names."""

    candidates: tuple[Region, ...]

    def __init__(self, query: str, candidates: Iterable[Region] = ()) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        listing = ", ".join(f"{r.code} {r.name}" for r in self.candidates)
        super().__init__("region.unknown", query=query, suggestions=listing)

    def message(self, lang: str | None = None) -> str:
        """The error in words, followed by the close names when there are any."""
        text = super().message(lang)
        if not self.candidates:
            return text
        return f"{text}; {_render('region.suggest', lang, **self.params)}"


class AmbiguousRegionError(KotaCerdasError, LookupError):
    """A name matches more than one region, so none is chosen; all are in :attr:`candidates`.

    The code is ``region.ambiguous``, or ``unit.shadows-region`` when an assessed
    unit's code is also a region's name or code.
    """

    candidates: tuple[Region, ...]

    def __init__(
        self, query: str, candidates: Iterable[Region], *, code: str = "region.ambiguous"
    ) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        listing = ", ".join(f"{r.code} {r.name}" for r in self.candidates)
        super().__init__(code, query=query, candidates=listing)


class PanelError(ScoringError):
    """A panel cannot be scored as given; every problem found is in ``problems``.

    Raised by :func:`kotacerdas.panel.score_panel` for bad input (mixed editions,
    duplicate region-years, unknown nodes or regions, values that are not numbers,
    missing components under ``missing="fail"`` …).  Each :class:`Problem` names the
    row (or assessment) and the column; nothing is skipped silently.
    """

    problems: tuple[Problem, ...]
    shown: int = 20

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("panel.invalid", count=len(self.problems))

    def message(self, lang: str | None = None) -> str:
        """A header line and one indented line per problem (the first :attr:`shown`)."""
        lines = [super().message(lang) + ":"]
        lines.extend(f"  {p.message(lang)}" for p in self.problems[: self.shown])
        rest = len(self.problems) - self.shown
        if rest > 0:
            lines.append(f"  {_render('panel.more', lang, count=rest)}")
        return "\n".join(lines)


class MissingExtraError(KotaCerdasError, ImportError):
    """An optional extra the call needs is not installed (``kotacerdas[plots]`` …)."""


class ReportError(KotaCerdasError, ValueError):
    """A report cannot be made: nothing to report, an unknown region, or no browser for a PDF."""


class ArgumentError(KotaCerdasError, TypeError, ValueError):
    """A public function was given an argument of the wrong type or value.

    It is also a :class:`TypeError` and a :class:`ValueError`, the builtins Python raises
    for such arguments, so code that catches either keeps working.
    """
