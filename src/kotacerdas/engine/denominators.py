"""Denominators: turn totals into rates — per 100,000 people, per km², per unit of GDP.

COINr's ``Denominate`` divides an indicator by a denominator scaled by a factor:
``x / (d / per)``.  Here a :class:`Denominator` names where *d* comes from:

* a column of the data set (any code of :attr:`~kotacerdas.engine.Dataset.indicators`
  that is not an indicator of the framework: GDP, households …), per unit and period;
* ``"population"`` or ``"area"`` (km²): the region registry's values for the unit
  (:mod:`kotacerdas.regions`; the units must be Kemendagri codes), the same in every
  period.

``Denominator("population", per=100_000)`` gives a rate per 100,000 people,
``Denominator("area")`` a density per km².  A framework can declare an indicator's
denominator (the node's ``denominator``, e.g. ``{ by = "population", per = 100000 }``
in its file); a build applies it unless its ``denominate`` names the indicator
(``None`` there turns it off).  A denominator that is missing, zero or
negative where the indicator has a value is an error that names the unit: a rate
cannot be guessed (``Denominator(..., missing="keep")`` keeps the rate missing
instead, as COINr does, for the build's missing-data policy).

>>> import numpy as np
>>> from kotacerdas.engine import Dataset
>>> data = Dataset(("63.09", "63.71"), ("crimes",), np.array([[120.0], [900.0]]))
>>> out = denominate(data, {"crimes": Denominator("population", per=100_000)})
>>> [round(float(v), 1) for v in out.values[:, 0, 0]]
[44.8, 132.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal, TypeAlias, cast

import attrs
import numpy as np

from kotacerdas._deprecation import warn_renamed
from kotacerdas.engine._util import FloatArray, listing, number, where
from kotacerdas.engine.dataset import Dataset
from kotacerdas.errors import EngineError

__all__ = ["REGISTRY_QUANTITIES", "Denominator", "Lookup", "as_denominator", "denominate"]

Lookup: TypeAlias = Callable[[str, str], float | None]
"""``lookup(unit, quantity) -> value``: a unit's population or area, ``None`` when unknown."""

REGISTRY_QUANTITIES: Final[tuple[str, ...]] = ("population", "area")
"""The denominators the region registry supplies."""


def _missing_word(value: str) -> Literal["fail", "keep"]:
    """``"leave"``, the old word for ``"keep"``, with a warning (checked after)."""
    if value == "leave":
        warn_renamed('Denominator(missing="leave")', 'missing="keep"', stacklevel=5)
        return "keep"
    return cast('Literal["fail", "keep"]', value)


@attrs.frozen
class Denominator:
    """Divide an indicator by *by*, scaled: ``x / (d / per)`` (COINr's ``ScaleFactor``).

    Attributes:
        by: A column code of the data set, or ``"population"`` / ``"area"`` (km²) from
            the region registry.
        per: The scale: 100000 for a rate per 100,000 people, 1 for per km².
        missing: What a missing (or zero, or negative) denominator does where the
            indicator has a value: ``"fail"`` (an error naming the unit, the default)
            or ``"keep"`` (the rate is missing, for the build's missing-data policy;
            what COINr does), the words of every missing-data choice.  The old
            ``"leave"`` means ``"keep"`` and warns, for one release.
    """

    by: str
    per: float = 1.0
    missing: Literal["fail", "keep"] = attrs.field(default="fail", converter=_missing_word)

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.by, str) or not self.by.strip():
            raise EngineError(
                "build.param-value", method="denominator", param="by", value=self.by, expected="str"
            )
        per = self.per
        if isinstance(per, bool) or not isinstance(per, int | float) or not 0 < per < math.inf:
            raise EngineError(
                "build.param-value",
                method="denominator",
                param="per",
                value=per,
                expected="per > 0",
            )
        if self.missing not in ("fail", "keep"):
            raise EngineError(
                "build.param-value",
                method="denominator",
                param="missing",
                value=self.missing,
                expected="fail | keep",
            )


def as_denominator(spec: object, where: str = "denominate") -> Denominator:
    """A denominator from a :class:`Denominator`, a name (``"population"``) or a mapping."""
    if isinstance(spec, Denominator):
        return spec
    if isinstance(spec, str):
        return Denominator(spec)
    if isinstance(spec, Mapping):
        params = dict(spec)
        unknown = set(params) - {"by", "per", "missing"}
        if unknown:
            raise EngineError(
                "build.param-unknown",
                method="denominator",
                param=sorted(unknown)[0],
                allowed="by, per, missing",
            )
        if "by" not in params:
            raise EngineError("build.param-missing", method="denominator", param="by")
        return Denominator(**params)
    raise EngineError(
        "build.spec-type",
        where=where,
        expected="Denominator | str | mapping",
        got=type(spec).__name__,
    )


def registry_lookup(unit: str, quantity: str) -> float | None:
    """The region registry's population or area (km²) of *unit* (a Kemendagri code or name)."""
    from kotacerdas import regions  # the registry is read only when a build asks for it
    from kotacerdas.errors import AmbiguousRegionError, RegionNotFoundError

    region = regions.get(unit)
    if region is None:
        try:
            region = regions.resolve(unit)
        except (RegionNotFoundError, AmbiguousRegionError):
            return None
    value: Any = region.population if quantity == "population" else region.area_km2
    return None if value is None else float(value)


def _column(
    data: Dataset, by: str, indicator: str, lookup: Lookup | None
) -> tuple[FloatArray, str]:
    """The denominator's values ``(units, periods)`` and where they came from."""
    if by in data.indicators:
        return data.values[:, :, data.indicators.index(by)], "data"
    if by not in REGISTRY_QUANTITIES:
        raise EngineError(
            "denominate.unknown",
            by=by,
            indicator=indicator,
            available=listing([*REGISTRY_QUANTITIES, *data.indicators]),
        )
    get = lookup if lookup is not None else registry_lookup
    values = np.array([get(u, by) for u in data.units], dtype=np.float64)
    return np.repeat(values[:, np.newaxis], len(data.periods), axis=1), "regions"


def denominate(
    data: Dataset,
    denominators: Mapping[str, Denominator | str | Mapping[str, object]],
    lookup: Lookup | None = None,
) -> Dataset:
    """*data* with each indicator of *denominators* divided by its denominator.

    Args:
        data: The data set.
        denominators: By indicator code, what to divide it by: a :class:`Denominator`,
            a name (``"population"``) or a mapping (``{"by": "area", "per": 1}``).
        lookup: Where ``"population"`` and ``"area"`` come from; default the bundled
            region registry (:mod:`kotacerdas.regions`), by Kemendagri code.

    Raises:
        EngineError: an indicator or denominator column is not in the data, or a
            denominator is missing, zero or negative for a unit where the indicator
            has a value (``denominate.missing``, which names the unit).
    """
    values = np.array(data.values, copy=True)
    for code, given in denominators.items():
        spec = as_denominator(given, code)
        i = data.indicator_index(code)
        d, source = _column(data, spec.by, code, lookup)
        x = values[:, :, i]
        bad = ~np.isnan(x) & ~(d > 0)
        if spec.missing == "keep":
            d = np.where(d > 0, d, np.nan)
        elif bad.any():
            u, p = (int(n) for n in np.argwhere(bad)[0])
            value = d[u, p]
            unit = data.units[u]
            name = data.names.get(unit)
            raise EngineError(
                "denominate.missing",
                by=spec.by,
                source=source,
                where=where(code, data.periods[p], unit if name is None else f"{unit} {name}"),
                value="-" if math.isnan(value) else number(float(value)),
                count=int(bad.sum()),
            )
        with np.errstate(invalid="ignore"):
            values[:, :, i] = x / (d / spec.per)
    return attrs.evolve(data, values=values)
