"""Languages and the message catalogue.

Bahasa Indonesia (``id``) is the authoritative language of the frameworks and the
default of every message; English (``en``) is a translation.  Every message the
library shows a person has a stable code and a template in both languages, so an
app can look a code up, log it, or translate it further without parsing prose.

The default language comes from the ``KOTACERDAS_LANG`` environment variable
(``id`` or ``en``) and falls back to ``id``.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterator, Mapping
from typing import Final, Literal, TypeAlias

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "Lang",
    "Phrase",
    "default_language",
    "message",
    "resolve_language",
]

Lang: TypeAlias = Literal["id", "en"]
"""A language code: ``"id"`` (Bahasa Indonesia) or ``"en"`` (English)."""

LANGUAGES: Final[tuple[Lang, ...]] = ("id", "en")
"""The languages of every text and message, authoritative first."""


def resolve_language(lang: str | None = None) -> Lang:
    """Return *lang* checked, or the default language when it is ``None``.

    Raises:
        LanguageError: *lang* is not one of :data:`LANGUAGES` (a :class:`ValueError`).
    """
    if lang is None:
        return default_language()
    low = lang.strip().lower()
    if low not in LANGUAGES:
        from kotacerdas.errors import LanguageError

        raise LanguageError("language.unknown", lang=lang, languages=", ".join(LANGUAGES))
    return low


def default_language() -> Lang:
    """The language used when a caller names none (``KOTACERDAS_LANG``, else ``id``)."""
    env = os.environ.get("KOTACERDAS_LANG", "").strip().lower()
    return env if env in LANGUAGES else "id"


class _Catalogue(Mapping[str, tuple[str, str]]):
    """The templates of ``data/messages.toml``, read on first use (a read-only mapping)."""

    @functools.cached_property
    def _templates(self) -> dict[str, tuple[str, str]]:
        from kotacerdas._resources import files

        text = files("kotacerdas.data").joinpath("messages.toml").read_text("utf-8")
        return _read_catalogue(text)

    def __getitem__(self, code: str) -> tuple[str, str]:
        return self._templates[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._templates)

    def __len__(self) -> int:
        return len(self._templates)

    def __repr__(self) -> str:
        return f"<message catalogue: {len(self)} codes>"


_STRING: Final = r'("(?:[^"\\]|\\.)*")'
_ENTRY: Final = re.compile(rf'^\["([^"]+)"\]\nid = {_STRING}\nen = {_STRING}$', re.M)


def _read_catalogue(text: str) -> dict[str, tuple[str, str]]:
    """The catalogue's templates by code.

    The file is TOML, but written in one regular shape (a ``["code"]`` header, an ``id``
    and an ``en`` line of basic strings), which a pattern reads about ten times faster
    than a TOML parser: the catalogue is read by every command that shows a message.
    Anything outside that shape is read by :mod:`tomllib`.
    """
    entries = _ENTRY.findall(text)
    if len(entries) != text.count('\n["'):
        import tomllib

        return {code: (t["id"], t["en"]) for code, t in tomllib.loads(text).items()}
    return {code: (_string(id_), _string(en)) for code, id_, en in entries}


def _string(quoted: str) -> str:
    # The escapes of TOML basic strings used in the catalogue (\" \\ \uXXXX) are JSON's.
    return json.loads(quoted) if "\\" in quoted else quoted[1:-1]


MESSAGES: Final[Mapping[str, tuple[str, str]]] = _Catalogue()
"""Every message template, by stable code: ``code -> (Bahasa Indonesia, English)``.

Templates use :meth:`str.format` fields.  The catalogue is the data file
``kotacerdas/data/messages.toml``, read on first use; the reference docs list every code.
"""


def message(code: str, lang: str | None = None, /, **params: object) -> str:
    """Render the message *code* in *lang* with *params*.

    >>> message("file.empty", "en", path="a.toml")
    'file a.toml is empty'
    >>> message("file.empty", "id", path="a.toml")
    'berkas a.toml kosong'
    """
    language = resolve_language(lang)
    try:
        templates = MESSAGES[code]
    except (KeyError, TypeError):
        from kotacerdas.errors import ArgumentError

        raise ArgumentError("message.unknown", code=code) from None
    template = templates[0] if language == "id" else templates[1]
    if any(isinstance(v, Phrase) for v in params.values()):
        params = {k: v.text(language) if isinstance(v, Phrase) else v for k, v in params.items()}
    return template.format(**params)


_Part: TypeAlias = "str | tuple[str, Mapping[str, object]]"


class Phrase(str):
    """A text made of catalogue messages, shown in the language of the message it is part of.

    Where a problem is (``row 3, column G1``, *baris 3, kolom G1*) is such a text: a
    message renders it in its own language, and as a plain string (for programs, tests
    and JSON) it is the English text, stable whatever the default language.  Parts are
    literal strings or ``(code, params)`` pairs; ``+`` joins phrases and strings.

    >>> where = Phrase(("where.cell", {"row": 3, "column": "G1"}))
    >>> where, where.text("id")
    ('row 3, column G1', 'baris 3, kolom G1')
    >>> from kotacerdas.errors import Problem
    >>> Problem("where.more", where, {"count": 2}).message("id")
    'baris 3, kolom G1:  (+2 lagi)'
    """

    parts: tuple[_Part, ...]

    def __new__(cls, *parts: _Part) -> Phrase:
        """A phrase of *parts*: literal strings and ``(code, params)`` messages."""
        phrase = super().__new__(cls, "".join(_part(p, "en") for p in parts))
        phrase.parts = parts
        return phrase

    def text(self, lang: str | None = None) -> str:
        """The phrase in *lang* (default: the default language)."""
        language = resolve_language(lang)
        return "".join(_part(p, language) for p in self.parts)

    def __add__(self, other: str) -> Phrase:
        return Phrase(*self.parts, *(other.parts if isinstance(other, Phrase) else (other,)))

    def __radd__(self, other: str) -> Phrase:
        return Phrase(other, *self.parts)

    def __getnewargs__(self) -> tuple[str]:
        return (str(self),)  # pickling restores the parts from __dict__


def _part(part: _Part, lang: Lang) -> str:
    if isinstance(part, str):
        return part
    code, params = part
    return message(code, lang, **params)
