"""Indonesian regions: provinces, kabupaten and kota under Kemendagri codes.

Assessments name their region as people write it — ``"Kab. Tabalong"``,
``"KABUPATEN TABALONG"``, ``"63.09"`` — while panels, rankings and peer groups need
one stable key.  This module turns such text into a :class:`Region` with its
Kemendagri code, and refuses to guess: ``"Kediri"`` alone is both a kabupaten and a
kota, so it is an error that lists both.

>>> from kotacerdas import regions
>>> regions.resolve("Kab. Tabalong").code
'63.09'
>>> regions.resolve("kota kediri").name
'Kota Kediri'
>>> regions.resolve("Kalimantan Selatan")  # doctest: +ELLIPSIS
Region(code='63', name='Kalimantan Selatan', level='provinsi', ...)

The bundled registry (:func:`regions`) follows Keputusan Menteri Dalam Negeri
No. 300.2.2-2138 Tahun 2025.  Codes change when regions are split, so the registry
carries its decree: keep it with any stored code.  The data is read lazily on first
use, so importing this module costs next to nothing.

It also holds the GM100SC cohorts (:func:`cohorts`, :func:`cohort_of`) and peer-group
keys for rankings (:func:`level`, :func:`province_code`, :func:`population_class`).
The registry is this module; population classes and cohorts live in the private rooms
``_populations`` and ``_cohorts``, and every datum's provenance is in the data files
beside the registry's CSV (``kotacerdas/data/regions``), read on first use.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

import attrs

from kotacerdas import _populations, _regions_data
from kotacerdas._arguments import expect
from kotacerdas._cohorts import Cohort, cohort_of, cohorts
from kotacerdas._populations import PopulationClass, PopulationClasses, population_class
from kotacerdas._regions_data import freeze as _freeze
from kotacerdas.errors import AmbiguousRegionError, RegionError, RegionNotFoundError
from kotacerdas.model import Provenance, Source

__all__ = [
    "LEVELS",
    "PROVINCE_ALIASES",
    "SCDI_POPULATION_CLASSES",
    "Cohort",
    "NonRegionUnit",
    "PopulationClass",
    "PopulationClasses",
    "Region",
    "RegionLevel",
    "Regions",
    "cohort_of",
    "cohorts",
    "get",
    "level",
    "name_of",
    "normalise_name",
    "population_class",
    "province_code",
    "regions",
    "resolve",
    "resolve_unit",
]

_CSV: Final = "kemendagri-2025.csv"
_META: Final = "kemendagri-2025.toml"  # the registry's decree and provenance

RegionLevel: TypeAlias = Literal["provinsi", "kabupaten", "kota"]
"""The level of a region: a province, or a kabupaten (regency) or kota (city) in one."""

LEVELS: Final[tuple[RegionLevel, ...]] = ("provinsi", "kabupaten", "kota")

_CODE: Final = re.compile(r"[0-9]{2}(?:\.[0-9]{2})?")

# Words that name a level when they open a name ("Kab. Tabalong") …
_PREFIXES: Final[Mapping[str, RegionLevel]] = {
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kota": "kota",
    "kot": "kota",
    "kotamadya": "kota",
    "provinsi": "provinsi",
    "propinsi": "provinsi",
    "prov": "provinsi",
}
# … or close it, as English texts write them ("Tabalong Regency", "Kediri City").
_SUFFIXES: Final[Mapping[str, RegionLevel]] = {
    "regency": "kabupaten",
    "city": "kota",
    "province": "provinsi",
}
# Abbreviations inside names that official names and sources both use.
_WORDS: Final[Mapping[str, str]] = {"kep": "kepulauan", "tj": "tanjung"}
_OFFICIAL_PREFIX: Final[Mapping[RegionLevel, str]] = {
    "provinsi": "",
    "kabupaten": "Kabupaten ",
    "kota": "Kota ",
}
_SEPARATORS: Final = re.compile(r"[\W_]+")

PROVINCE_ALIASES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "DKI Jakarta": "31",
        "Jakarta": "31",
        "Daerah Khusus Jakarta": "31",
        "DI Yogyakarta": "34",
        "DIY": "34",
        "Yogyakarta": "34",
        "Bangka Belitung": "19",
        "NTB": "52",
        "NTT": "53",
    }
)
"""Common short names of provinces, by the province code they stand for.

``"Yogyakarta"`` is listed on purpose: it is also Kota Yogyakarta, so the bare name
is reported as ambiguous instead of silently meaning the city.
"""


def _tokens(text: str) -> list[str]:
    return _SEPARATORS.sub(" ", text.casefold()).split()


def _compact(tokens: Iterable[str]) -> str:
    return "".join(_WORDS.get(t, t) for t in tokens)


def normalise_name(text: str) -> tuple[RegionLevel | None, str]:
    """The level a name states, if any, and the key its remaining words are compared by.

    Case, punctuation and spaces do not count (so ``Batanghari`` is ``Batang Hari``),
    a leading *Kabupaten*, *Kab.*, *Kota*, *Provinsi*, *Prov.* … or a trailing
    *Regency*, *City*, *Province* gives the level, and *Kep.* and *Tj.* stand for
    *Kepulauan* and *Tanjung*.

    >>> normalise_name("  KAB.  Gunung Kidul ")
    ('kabupaten', 'gunungkidul')
    >>> normalise_name("Kota Tanjungpinang")
    ('kota', 'tanjungpinang')
    >>> normalise_name("Kalimantan Selatan")
    (None, 'kalimantanselatan')
    """
    tokens = _tokens(text)
    found: RegionLevel | None = None
    if len(tokens) > 1 and tokens[0] in _PREFIXES:
        found = _PREFIXES[tokens.pop(0)]
    elif len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        found = _SUFFIXES[tokens.pop()]
    return found, _compact(tokens)


# -- regions --------------------------------------------------------------------------------


def _check_region(region: Region) -> None:
    if _CODE.fullmatch(region.code) is None:
        raise RegionError("region.code-format", code=region.code)
    if region.level not in LEVELS:
        raise RegionError("region.level", level=region.level, levels=", ".join(LEVELS))
    if (len(region.code) == 2) != (region.level == "provinsi"):
        raise RegionError("region.code-length", code=region.code, level=region.level)
    if region.province_code != region.code[:2]:
        raise RegionError(
            "region.province-mismatch", code=region.code, province=region.province_code
        )
    if region.population is not None and region.population < 0:
        raise RegionError("region.population", code=region.code)
    if region.area_km2 is not None and not region.area_km2 >= 0:
        raise RegionError("region.area", code=region.code)


@attrs.frozen
class Region:
    """A province, kabupaten or kota, as listed in a Kemendagri code decree.

    Attributes:
        code: Kemendagri code: ``NN`` for a province, ``NN.NN`` below it (``63.09``).
        name: Official name, with its prefix below province level
            (``Kabupaten Tabalong``, ``Kota Kediri``, ``Kalimantan Selatan``).
        level: ``provinsi``, ``kabupaten`` or ``kota``.
        province_code: Code of the province it lies in (its own code for a province).
        population: Registered population (Dukcapil), if known.
        area_km2: Area in km² (Badan Informasi Geospasial), if known.

    >>> tabalong = resolve("63.09")
    >>> tabalong.is_kabupaten, tabalong.bare_name, tabalong.province.name
    (True, 'Tabalong', 'Kalimantan Selatan')
    """

    code: str
    name: str
    level: RegionLevel
    province_code: str
    population: int | None = None
    area_km2: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        _check_region(self)

    @property
    def is_province(self) -> bool:
        """``True`` for a province."""
        return self.level == "provinsi"

    @property
    def is_kabupaten(self) -> bool:
        """``True`` for a kabupaten (regency)."""
        return self.level == "kabupaten"

    @property
    def is_kota(self) -> bool:
        """``True`` for a kota (city)."""
        return self.level == "kota"

    @property
    def bare_name(self) -> str:
        """The name without its level prefix (``Tabalong``); the same name can recur."""
        return self.name.removeprefix(_OFFICIAL_PREFIX[self.level])

    @property
    def qualified_name(self) -> str:
        """The name with its level spelled out, unique in a registry (``Provinsi Jambi``)."""
        return f"Provinsi {self.name}" if self.is_province else self.name

    @property
    def province(self) -> Region:
        """The province it lies in, from the bundled registry (itself for a province).

        Raises:
            RegionNotFoundError: the bundled registry has no such province.
        """
        return regions()[self.province_code]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def _index_key(region: Region) -> str:
    return _compact(_tokens(region.bare_name))


@attrs.frozen(eq=False)
class Regions:
    """An immutable registry of regions under one code decree, with tolerant look-up.

    Iterate it for every region in code order; :meth:`get` and ``registry[code]``
    look codes up; :meth:`resolve` reads names as people write them.  A registry
    is compared by identity.

    Attributes:
        entries: Every region, in code order.
        decree: The decree the codes and names follow.
        provenance: Where codes and names come from.
        field_provenance: Provenance of single fields that differ (``population``,
            ``area_km2``).
        aliases: Extra names by the code they stand for (:data:`PROVINCE_ALIASES`).

    >>> reg = regions()
    >>> len(reg), reg.decree.title
    (552, 'Keputusan Menteri Dalam Negeri No. 300.2.2-2138 Tahun 2025')
    >>> [r.code for r in reg.select("kota", province_code="63")]
    ['63.71', '63.72']
    """

    entries: tuple[Region, ...]
    decree: Source
    provenance: Provenance
    field_provenance: Mapping[str, Provenance] = attrs.field(factory=dict, converter=_freeze)
    aliases: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze)
    _by_code: Mapping[str, Region] = attrs.field(init=False, repr=False, alias="_by_code")
    _by_key: Mapping[str, tuple[Region, ...]] = attrs.field(init=False, repr=False, alias="_by_key")
    _by_level_key: Mapping[tuple[RegionLevel, str], tuple[Region, ...]] = attrs.field(
        init=False, repr=False, alias="_by_level_key"
    )

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, Region] = {}
        for region in sorted(self.entries, key=lambda r: r.code):
            if region.code in by_code:
                raise RegionError("registry.duplicate", code=region.code)
            by_code[region.code] = region
        for region in by_code.values():
            if region.province_code not in by_code:
                raise RegionError(
                    "registry.province-unlisted", code=region.code, province=region.province_code
                )
        by_key: dict[str, list[Region]] = {}
        by_level_key: dict[tuple[RegionLevel, str], list[Region]] = {}

        def add(key: str, region: Region) -> None:
            if region not in by_key.setdefault(key, []):
                by_key[key].append(region)
            if region not in by_level_key.setdefault((region.level, key), []):
                by_level_key[(region.level, key)].append(region)

        for region in by_code.values():
            add(_index_key(region), region)
        for alias, code in self.aliases.items():
            if code not in by_code:
                raise RegionError("registry.alias-unlisted", alias=alias, code=code)
            add(normalise_name(alias)[1], by_code[code])
        object.__setattr__(self, "entries", tuple(by_code.values()))
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))
        object.__setattr__(
            self, "_by_key", MappingProxyType({k: tuple(v) for k, v in by_key.items()})
        )
        object.__setattr__(
            self,
            "_by_level_key",
            MappingProxyType({k: tuple(v) for k, v in by_level_key.items()}),
        )

    # -- codes ------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Region]:
        return iter(self.entries)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Region):
            return self._by_code.get(item.code) == item
        return isinstance(item, str) and item.strip() in self._by_code

    def get(self, code: str) -> Region | None:
        """The region with Kemendagri *code* (``"63.09"``), or ``None``."""
        expect(code, str, "regions.get", "code")
        return self._by_code.get(code.strip())

    def __getitem__(self, code: str) -> Region:
        """The region with Kemendagri *code*.

        Raises:
            RegionNotFoundError: no region has that code.
        """
        found = self.get(code)
        if found is None:
            raise RegionNotFoundError(code)
        return found

    def select(
        self, level: RegionLevel | None = None, *, province_code: str | None = None
    ) -> tuple[Region, ...]:
        """The regions of *level* and/or in the province *province_code*, in code order."""
        return tuple(
            r
            for r in self.entries
            if (level is None or r.level == level)
            and (province_code is None or r.province_code == province_code)
        )

    def provenance_of(self, field: str) -> Provenance:
        """The provenance of a field of the regions (``population``, ``area_km2`` …)."""
        return self.field_provenance.get(field, self.provenance)

    # -- names ------------------------------------------------------------------------------

    def _matches(self, text: str) -> tuple[Region, ...]:
        stated, key = normalise_name(text)
        if not key:
            return ()
        if stated is None:
            return self._by_key.get(key, ())
        found = self._by_level_key.get((stated, key), ())
        if found:
            return found
        # The opening word may belong to the name: "Kota Baru" for Kabupaten Kotabaru.
        return self._by_key.get(_compact(_tokens(text)), ())

    def resolve(self, name_or_code: str) -> Region:
        """The one region a code or name denotes.

        Codes are exact (``63.09``).  Names are compared without regard to case,
        spaces and punctuation; a level prefix (*Kab.*, *Kabupaten*, *Kota*,
        *Provinsi* …) narrows the match to that level; only when no region of that
        level has the name is the opening word read as part of the name (``Kota Baru``
        is Kabupaten Kotabaru).  A bare name shared by regions of different levels
        is ambiguous: nothing is guessed.

        >>> reg = regions()
        >>> [reg.resolve(q).code for q in ("KABUPATEN TABALONG", "kab tabalong", "63.09")]
        ['63.09', '63.09', '63.09']
        >>> reg.resolve("Kediri")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kotacerdas.errors.AmbiguousRegionError: ... 35.06 Kabupaten Kediri, 35.71 Kota Kediri; ...

        Raises:
            AmbiguousRegionError: the name matches several regions (all in
                ``candidates``).
            RegionNotFoundError: nothing matches; ``candidates`` holds close names.
        """
        expect(name_or_code, str, "regions.resolve", "name_or_code")
        text = name_or_code.strip()
        if _CODE.fullmatch(text):
            return self[text]
        found = self._matches(text)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousRegionError(name_or_code, sorted(found, key=lambda r: r.code))
        raise RegionNotFoundError(name_or_code, self.suggest(text))

    def suggest(self, text: str, limit: int = 5) -> tuple[Region, ...]:
        """Up to *limit* regions whose names are close to *text*, closest first.

        Regions of the level *text* states come first.

        >>> [r.name for r in regions().suggest("Kab. Tabalung")]
        ['Kabupaten Tabalong']
        """
        from kotacerdas._suggest import close_keys

        stated, key = normalise_name(text)
        if not key:
            return ()
        close = close_keys(key, self._by_key, limit)
        seen = dict.fromkeys(
            r for k in dict.fromkeys([key, *close]) for r in self._by_key.get(k, ())
        )
        found = sorted(seen, key=lambda r: r.level != stated) if stated else list(seen)
        return tuple(found[:limit])


# -- the bundled registry -------------------------------------------------------------------


def _read_csv(text: str) -> tuple[Region, ...]:
    import csv
    import io

    out: list[Region] = []
    for row in csv.DictReader(io.StringIO(text)):
        population = row["population"].strip()
        area = row["area_km2"].strip()
        out.append(
            Region(
                code=row["code"].strip(),
                name=row["name"].strip(),
                level=_level(row["level"].strip()),
                province_code=row["province_code"].strip(),
                population=int(population) if population else None,
                area_km2=Decimal(area) if area else None,
            )
        )
    return tuple(out)


def _level(text: str) -> RegionLevel:
    for lv in LEVELS:
        if lv == text:
            return lv
    raise RegionError("region.level", level=text, levels=", ".join(LEVELS))


@functools.cache
def regions() -> Regions:
    """The bundled registry (Kepmendagri 300.2.2-2138/2025), read once on first use.

    >>> reg = regions()
    >>> len(reg.select("provinsi")), len(reg.select("kabupaten")), len(reg.select("kota"))
    (38, 416, 98)
    """
    from kotacerdas import _compiled

    compiled = _compiled.registry()
    return compiled if compiled is not None else _build_registry()


def _build_registry() -> Regions:
    """The registry built from its data files (:func:`regions` uses the compiled copy)."""
    meta = _regions_data.read(_META)
    sources = {s["key"]: _regions_data.source(s) for s in meta["sources"]}
    return Regions(
        entries=_read_csv(_regions_data.read_text(_CSV)),
        decree=sources[meta["decree"]],
        provenance=_regions_data.provenance(meta["provenance"], sources),
        field_provenance={
            name: _regions_data.provenance(p, sources)
            for name, p in meta["field_provenance"].items()
        },
        aliases=PROVINCE_ALIASES,
    )


def get(code: str) -> Region | None:
    """The bundled region with Kemendagri *code*, or ``None``."""
    return regions().get(code)


def name_of(code: str) -> str | None:
    """The name shown beside a Kemendagri *code*, or ``None`` when it is no bundled region's.

    Results are keyed by code; this is the label a person reads next to it.  Assessed units
    that are not regions, and region texts that could not be resolved, have no name here.

    >>> name_of("63.09")
    'Kabupaten Tabalong'
    >>> name_of("KEMENPANRB") is None
    True
    """
    region = regions().get(code)
    return None if region is None else region.name


def resolve(name_or_code: str) -> Region:
    """The bundled region a code or name denotes; see :meth:`Regions.resolve`.

    >>> resolve("Kabupaten Batang Hari").name
    'Kabupaten Batanghari'

    Raises:
        AmbiguousRegionError: the name matches several regions.
        RegionNotFoundError: nothing matches; ``candidates`` holds close names.
    """
    return regions().resolve(name_or_code)


# -- assessed units that are not regions ----------------------------------------------------


@attrs.frozen
class NonRegionUnit:
    """An assessed unit that is not a region, such as a central agency under SPBE.

    It has a ``code`` and ``name`` like a :class:`Region`, so callers can key results
    by ``unit.code`` without caring which it is.
    """

    code: str
    name: str


def resolve_unit(
    name_or_code: str, extra_units: Mapping[str, str] | None = None
) -> Region | NonRegionUnit:
    """The assessed unit *name_or_code* denotes: a unit of *extra_units*, else a region.

    *extra_units* maps the allowed non-region unit codes to their names; they match
    by exact code only.  They never weaken region look-up: a unit code that is also a
    region's code or name is refused rather than allowed to shadow the region.

    >>> units = {"KEMENPANRB": "Kementerian PANRB"}
    >>> resolve_unit("KEMENPANRB", units)
    NonRegionUnit(code='KEMENPANRB', name='Kementerian PANRB')
    >>> resolve_unit("Kab. Tabalong", units).code
    '63.09'

    Raises:
        AmbiguousRegionError: the text is an extra unit's code and also matches a
            region (code ``unit.shadows-region``), or it matches several regions.
        RegionNotFoundError: it is neither an extra unit's code nor a region.
    """
    expect(name_or_code, str, "regions.resolve_unit", "name_or_code")
    text = name_or_code.strip()
    if extra_units and text in extra_units:
        registry = regions()
        clash = registry.get(text) if _CODE.fullmatch(text) else None
        shadowed = (clash,) if clash is not None else registry._matches(text)
        if shadowed:
            raise AmbiguousRegionError(
                name_or_code, sorted(shadowed, key=lambda r: r.code), code="unit.shadows-region"
            )
        return NonRegionUnit(text, extra_units[text])
    return resolve(name_or_code)


# -- peer groups ----------------------------------------------------------------------------


def _region(region: Region | str) -> Region:
    return region if isinstance(region, Region) else resolve(region)


def level(region: Region | str) -> RegionLevel:
    """The level of a region (or of a code or name): a peer-group key for rankings.

    >>> level("Kota Kediri")
    'kota'
    """
    return _region(region).level


def province_code(region: Region | str) -> str:
    """The province code of a region (or of a code or name): a peer-group key.

    >>> province_code("Kab. Tabalong")
    '63'
    """
    return _region(region).province_code


# -- population classes (kotacerdas._populations) and GM100SC cohorts (kotacerdas._cohorts) -


SCDI_POPULATION_CLASSES: PopulationClasses  # read from its data file on first use
"""The default peer groups by population: the three classes of BPS/STIS' SCDI."""


def __getattr__(name: str) -> Any:
    if name == "SCDI_POPULATION_CLASSES":
        return _populations.scdi()
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
