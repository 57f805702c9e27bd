"""Reading the region data files: TOML tables of sources and provenance records.

The registry's provenance (``kemendagri-2025.toml``), the population classes
(``scdi-population-classes.toml``) and the GM100SC cohorts (``gm100sc-cohorts.toml``)
are data beside the code, each datum with its sources and confidence; this module reads
them into :class:`~kotacerdas.model.Provenance` records.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from kotacerdas._resources import files
from kotacerdas.errors import RegionError
from kotacerdas.model import Confidence, Provenance, Source, SourceKind, Text

__all__ = ["freeze", "provenance", "read", "read_text", "source", "text"]

_DATA: Final = "kotacerdas.data.regions"


def read(name: str) -> dict[str, Any]:
    """The bundled region data file *name*, parsed (format 1)."""
    import tomllib

    data = tomllib.loads(files(_DATA).joinpath(name).read_text(encoding="utf-8"))
    if data.get("format") != 1:
        raise RegionError("region.data-format", name=name, format=data.get("format"))
    return data


def read_text(name: str) -> str:
    """The bundled region data file *name* as text (the registry's CSV)."""
    return files(_DATA).joinpath(name).read_text(encoding="utf-8")


def text(data: Any) -> Text:
    """A text: a plain (Bahasa Indonesia) string or an ``{id, en}`` table."""
    if isinstance(data, str):
        return Text(data)
    return Text(str(data["id"]), None if data.get("en") is None else str(data["en"]))


def source(data: Mapping[str, Any]) -> Source:
    """A source table: ``key``, ``url``, ``title``, ``kind``, ``locator`` (all optional)."""
    kind = data.get("kind")
    return Source(
        data.get("key"),
        data.get("url"),
        data.get("title"),
        None if kind is None else SourceKind(kind),
        data.get("locator"),
    )


def provenance(
    data: Mapping[str, Any],
    sources: Mapping[str, Source] | None = None,
    inherit: Provenance | None = None,
) -> Provenance:
    """A provenance table; sources are tables or keys into *sources*.

    Without sources of its own it cites those of *inherit* (a cohort member's record
    cites the cohort's sources).
    """
    cited = tuple(
        (sources or {})[s] if isinstance(s, str) else source(s) for s in data.get("sources", ())
    )
    if not cited and inherit is not None:
        cited = inherit.sources
    note = data.get("note")
    return Provenance(Confidence(data["confidence"]), cited, None if note is None else text(note))


def freeze(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of *mapping*."""
    return MappingProxyType(dict(mapping))
