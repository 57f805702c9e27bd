"""Population classes: peer groups of regions by number of inhabitants.

Its public home is :mod:`kotacerdas.regions`.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import attrs

from kotacerdas import _regions_data
from kotacerdas.errors import RegionError
from kotacerdas.model import Provenance, Text

if TYPE_CHECKING:
    from kotacerdas.regions import Region

__all__ = ["PopulationClass", "PopulationClasses", "population_class", "scdi"]


def _grouped(value: int) -> tuple[str, str]:
    en = f"{value:,}"
    return en.replace(",", "."), en


@attrs.frozen
class PopulationClass:
    """A population class: the regions with ``lower <= population < upper``.

    ``None`` bounds are open.
    """

    code: str
    label: Text
    lower: int | None = None
    upper: int | None = None

    def __contains__(self, population: object) -> bool:
        if not isinstance(population, int) or isinstance(population, bool):
            return False
        return (self.lower is None or population >= self.lower) and (
            self.upper is None or population < self.upper
        )


def _check_classes(classes: tuple[PopulationClass, ...]) -> None:
    if not classes:
        raise RegionError("population.none")
    if classes[0].lower is not None or classes[-1].upper is not None:
        raise RegionError("population.open")
    for before, after in itertools.pairwise(classes):
        if before.upper is None or before.upper != after.lower:
            raise RegionError("population.gap", before=before.code, after=after.code)
        if after.upper is not None and after.upper <= before.upper:
            raise RegionError("population.gap", before=before.code, after=after.code)


@attrs.frozen
class PopulationClasses:
    """Ordered population classes that cover every population, for peer groups.

    Build your own from bounds: ``PopulationClasses.from_bounds((100_000, 500_000,
    1_000_000))`` gives the four classes of Kompas' IKCI 2018.
    """

    classes: tuple[PopulationClass, ...]
    provenance: Provenance | None = None

    def __attrs_post_init__(self) -> None:
        _check_classes(self.classes)

    @classmethod
    def from_bounds(
        cls, bounds: Iterable[int], *, provenance: Provenance | None = None
    ) -> PopulationClasses:
        """Classes split at *bounds* (increasing): ``[0, b1)``, ``[b1, b2)`` … ``[bn, ∞)``.

        >>> [c.code for c in PopulationClasses.from_bounds((200_000, 1_000_000))]
        ['<200000', '200000-1000000', '>=1000000']

        Raises:
            RegionError: the bounds are not strictly increasing positive integers.
        """
        cuts = list(bounds)
        if any(isinstance(b, bool) or not isinstance(b, int) or b <= 0 for b in cuts):
            raise RegionError("population.bounds", bounds=cuts)
        if any(a >= b for a, b in itertools.pairwise(cuts)):
            raise RegionError("population.bounds", bounds=cuts)
        edges: list[int | None] = [None, *cuts, None]
        classes: list[PopulationClass] = []
        for lower, upper in itertools.pairwise(edges):
            if lower is None and upper is None:
                code, label = "all", Text("semua", "all")
            elif lower is None:
                assert upper is not None
                (uid, uen), code = _grouped(upper), f"<{upper}"
                label = Text(f"< {uid} jiwa", f"< {uen} inhabitants")
            elif upper is None:
                (lid, len_), code = _grouped(lower), f">={lower}"
                label = Text(f"≥ {lid} jiwa", f"≥ {len_} inhabitants")
            else:
                (lid, len_), (uid, uen) = _grouped(lower), _grouped(upper)
                code = f"{lower}-{upper}"
                label = Text(f"{lid} – < {uid} jiwa", f"{len_} – < {uen} inhabitants")
            classes.append(PopulationClass(code, label, lower, upper))
        return cls(tuple(classes), provenance)

    def __iter__(self) -> Iterator[PopulationClass]:
        return iter(self.classes)

    def __len__(self) -> int:
        return len(self.classes)

    def classify(self, population: int) -> PopulationClass:
        """The class *population* falls in."""
        return next(c for c in self.classes if population in c)


def population_class(
    region: Region | str,
    classes: PopulationClasses | Iterable[int] | None = None,
) -> PopulationClass | None:
    """The population class of a region, or ``None`` when its population is unknown.

    *classes* defaults to :data:`SCDI_POPULATION_CLASSES` (< 200k; 200k–1M; > 1M);
    pass :class:`PopulationClasses` or plain increasing bounds for other peer groups.

    >>> population_class("Kab. Tabalong").code
    '200000-1000000'
    >>> population_class("Kab. Tabalong", (100_000, 300_000)).label.get("en")
    '100,000 – < 300,000 inhabitants'
    """
    from kotacerdas import regions

    found = region if isinstance(region, regions.Region) else regions.resolve(region)
    if found.population is None:
        return None
    if classes is None:
        classes = scdi()
    elif not isinstance(classes, PopulationClasses):
        classes = PopulationClasses.from_bounds(classes)
    return classes.classify(found.population)


@functools.cache
def scdi() -> PopulationClasses:
    """The three population classes of BPS/STIS' SCDI, with their provenance."""
    data = _regions_data.read("scdi-population-classes.toml")
    return PopulationClasses.from_bounds(
        data["bounds"], provenance=_regions_data.provenance(data["provenance"])
    )


for _public in (PopulationClass, PopulationClasses):
    _public.__module__ = "kotacerdas.regions"  # their public home, for docs and reprs
