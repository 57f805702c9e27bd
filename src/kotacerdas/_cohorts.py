"""GM100SC cohorts: the kab/kota that joined the programme each year, as sourced.

The cohorts and the provenance of every listing are the data file
``gm100sc-cohorts.toml``.  Their public home is :mod:`kotacerdas.regions`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from kotacerdas import _regions_data
from kotacerdas._regions_data import freeze as _freeze
from kotacerdas.errors import RegionError
from kotacerdas.model import Provenance, Text

if TYPE_CHECKING:
    from kotacerdas.regions import Region, Regions

__all__ = ["Cohort", "cohort_of", "cohorts"]

_COHORTS = "gm100sc-cohorts.toml"


@attrs.frozen
class Cohort:
    """The kab/kota that joined GM100SC in one year (signed its MoU).

    Attributes:
        year: The cohort year.
        count: How many new kab/kota the sources report for the year.
        members: Kemendagri codes of the members the sources name, in source order;
            fewer than :attr:`count` when the list was not found (see :attr:`complete`).
        provenance: Where the cohort comes from.
        cumulative: Running total of participating kab/kota the sources report, if any.
        member_provenance: Provenance of members whose listing differs from the
            cohort's (e.g. uncertain), by code.
        listed_as: Each member's name as the source writes it, by code.
        note: Anything a reader should know.
    """

    year: int
    count: int
    members: tuple[str, ...]
    provenance: Provenance
    cumulative: int | None = None
    member_provenance: Mapping[str, Provenance] = attrs.field(
        factory=dict, converter=_freeze, hash=False
    )
    listed_as: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze, hash=False)
    note: Text | None = None

    @property
    def complete(self) -> bool:
        """``True`` when every member is named."""
        return len(self.members) == self.count

    def provenance_of(self, code: str) -> Provenance:
        """The provenance of one member's listing."""
        return self.member_provenance.get(code, self.provenance)

    def __contains__(self, code: object) -> bool:
        return code in self.members


def _read_cohorts(data: Mapping[str, Any], registry: Regions) -> tuple[Cohort, ...]:
    out: list[Cohort] = []
    for entry in data["cohort"]:
        prov = _regions_data.provenance(entry["provenance"])
        members: list[str] = []
        member_prov: dict[str, Provenance] = {}
        listed: dict[str, str] = {}
        for m in entry.get("members", ()):
            code = str(m["code"])
            region = registry[code]
            if region.is_province or code in members:
                raise RegionError("cohort.member", year=entry["year"], code=code)
            members.append(code)
            listed[code] = str(m["name"])
            if "provenance" in m:
                member_prov[code] = _regions_data.provenance(m["provenance"], inherit=prov)
        note = entry.get("note")
        out.append(
            Cohort(
                year=int(entry["year"]),
                count=int(entry["count"]),
                members=tuple(members),
                provenance=prov,
                cumulative=None if entry.get("cumulative") is None else int(entry["cumulative"]),
                member_provenance=member_prov,
                listed_as=listed,
                note=None if note is None else _regions_data.text(note),
            )
        )
    return tuple(sorted(out, key=lambda c: c.year))


@functools.cache
def cohorts() -> tuple[Cohort, ...]:
    """The GM100SC cohorts, by year, as far as the public record names them.

    2017–2019 list their members (the first 100 kab/kota); later years give counts,
    with the few members that are sourced.

    >>> [(c.year, c.count, len(c.members)) for c in cohorts()][:3]
    [(2017, 25, 25), (2018, 50, 50), (2019, 25, 25)]
    """
    from kotacerdas import regions

    return _read_cohorts(_regions_data.read(_COHORTS), regions.regions())


def cohort_of(region: Region | str) -> tuple[int, ...]:
    """The years of the GM100SC cohorts a region is listed in (a code or name works too).

    Two kab/kota are listed twice (see the cohorts' provenance).

    >>> cohort_of("63.09")
    (2019,)
    >>> cohort_of("Kota Depok")
    (2018, 2019)
    """
    from kotacerdas import regions

    code = (region if isinstance(region, regions.Region) else regions.resolve(region)).code
    return tuple(c.year for c in cohorts() if code in c.members)


Cohort.__module__ = "kotacerdas.regions"  # its public home, for docs and reprs
