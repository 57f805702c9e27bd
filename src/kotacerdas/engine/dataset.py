"""Indicator data for the engine: units × periods × indicators as one float64 array.

A :class:`Dataset` is what the engine computes on: the codes of the units (regions,
countries), the period labels (years; a single ``None`` for data without periods), the
indicator codes, and a read-only ``float64`` array of shape ``(units, periods,
indicators)`` in which NaN marks a missing value.  Optional *group* columns label each
unit (a province, a population class) for peer-group imputation.

>>> import numpy as np
>>> data = Dataset(("A", "B"), ("x", "y"), np.array([[1.0, 2.0], [3.0, np.nan]]))
>>> data.shape
(2, 1, 2)
>>> data.value("B", "y")
nan
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Literal

import attrs
import numpy as np

from kotacerdas.engine._util import FloatArray, Period, listing, number, period_key, where
from kotacerdas.errors import ArgumentError, EngineError
from kotacerdas.limits import MAX_DATA_MAGNITUDE

__all__ = ["Dataset"]

_MISSING_TEXT = frozenset({"", "na", "nan", "null", "none", "-"})


def _as_values(values: Any) -> FloatArray:
    try:
        array = np.array(values, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise EngineError("data.value", where="values", value=str(exc)) from None
    if array.ndim == 2:
        array = array[:, np.newaxis, :]
    return array


def _sequence(items: Iterable[Any], name: str) -> tuple[Any, ...]:
    """*items* as a tuple; one string is refused, not split into its characters."""
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise ArgumentError(
            "argument.type",
            function="engine.Dataset",
            name=name,
            expected="a sequence (a list or tuple of codes)",
            got=type(items).__name__,
        )
    return tuple(items)


def _units(codes: Iterable[str]) -> tuple[str, ...]:
    return _sequence(codes, "units")


def _indicators(codes: Iterable[str]) -> tuple[str, ...]:
    return _sequence(codes, "indicators")


def _periods(periods: Iterable[Period]) -> tuple[Period, ...]:
    return _sequence(periods, "periods")


def _freeze_groups(
    groups: Mapping[str, Iterable[str | None]],
) -> Mapping[str, tuple[str | None, ...]]:
    return MappingProxyType({str(k): tuple(v) for k, v in groups.items()})


def _freeze_names(names: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(names))


def _check_unique(field: str, codes: Sequence[object]) -> None:
    seen: set[object] = set()
    for code in codes:
        if code in seen:
            raise EngineError("data.duplicate", code=code, field=field)
        seen.add(code)


def parse_number(text: object, location: str) -> float:
    """A cell as a float: numbers pass, empty/``NA`` text is NaN, anything else is an error."""
    if text is None:
        return math.nan
    if isinstance(text, bool):
        raise EngineError("data.value", where=location, value=text)
    if isinstance(text, int | float):
        return float(text)
    s = str(text).strip()
    if s.lower() in _MISSING_TEXT:
        return math.nan
    try:
        return float(s)
    except ValueError:
        raise EngineError("data.value", where=location, value=s) from None


@attrs.frozen(eq=False)
class Dataset:
    """Indicator values of units over periods, as a read-only ``float64`` array.

    Attributes:
        units: Unit codes (regions, countries …), unique, in row order.
        indicators: Indicator codes, unique; the engine uses those that are leaves of
            the framework and ignores the others (denominators, extra columns).
        values: Shape ``(units, periods, indicators)``; NaN = missing.  A 2-D array
            ``(units, indicators)`` is read as a single period.  Infinite values are
            refused, and so are magnitudes beyond
            :data:`~kotacerdas.limits.MAX_DATA_MAGNITUDE` (``1e100``) or non-zero ones
            below its reciprocal, so that no step of a build overflows.
        periods: Period labels, unique and increasing (years, usually); ``(None,)``
            for data without periods.
        groups: Group columns for peer-group imputation: a name and, per unit in row
            order, the unit's group label (``None`` when the unit has none).
        names: Display names of units, by code (optional).
    """

    units: tuple[str, ...] = attrs.field(converter=_units)
    indicators: tuple[str, ...] = attrs.field(converter=_indicators)
    values: FloatArray = attrs.field(converter=_as_values, repr=False)
    periods: tuple[Period, ...] = attrs.field(default=(None,), converter=_periods)
    groups: Mapping[str, tuple[str | None, ...]] = attrs.field(
        factory=dict, converter=_freeze_groups
    )
    names: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze_names, repr=False)

    def __attrs_post_init__(self) -> None:
        expected = (len(self.units), len(self.periods), len(self.indicators))
        if self.values.shape != expected:
            raise EngineError("data.shape", got=self.values.shape, expected=expected)
        _check_unique("units", self.units)
        _check_unique("indicators", self.indicators)
        _check_unique("periods", self.periods)
        if len(self.periods) > 1:
            try:
                increasing = all(
                    a < b  # type: ignore[operator]
                    for a, b in zip(self.periods, self.periods[1:], strict=False)
                )
            except TypeError:
                increasing = False
            if not increasing:
                raise EngineError("data.periods", periods=listing(self.periods))
        infinite = np.isinf(self.values)
        if infinite.any():
            u, p, i = (int(n) for n in np.argwhere(infinite)[0])
            raise EngineError(
                "data.not-finite",
                where=where(self.indicators[i], self.periods[p], self.units[u]),
                value=number(float(self.values[u, p, i])),
            )
        magnitude = np.abs(self.values)  # NaN compares false: missing values pass
        outside = (magnitude > MAX_DATA_MAGNITUDE) | (
            (magnitude < 1 / MAX_DATA_MAGNITUDE) & (magnitude > 0)
        )
        if outside.any():
            u, p, i = (int(n) for n in np.argwhere(outside)[0])
            raise EngineError(
                "data.out-of-range",
                where=where(self.indicators[i], self.periods[p], self.units[u]),
                value=number(float(self.values[u, p, i])),
                low=number(1 / MAX_DATA_MAGNITUDE),
                high=number(MAX_DATA_MAGNITUDE),
            )
        for name, labels in self.groups.items():
            if len(labels) != len(self.units):
                raise EngineError(
                    "data.groups", column=name, got=len(labels), expected=len(self.units)
                )
        self.values.flags.writeable = False

    # -- constructors ---------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping[str, object]],
        *,
        unit: str = "unit",
        period: str | None = None,
        indicators: Sequence[str] | None = None,
        groups: Sequence[str] = (),
    ) -> Dataset:
        """Read wide rows (one per unit, or per unit and period), e.g. from :class:`csv.DictReader`.

        Args:
            rows: Mappings from column name to cell.
            unit: The column holding the unit code.
            period: The column holding the period, if the data has periods.
            indicators: The indicator columns; by default every other column except
                *groups*.
            groups: Columns holding group labels, kept as :attr:`groups`.

        Cells that are empty, ``NA`` or ``None`` are missing; other text must be a number.

        >>> rows = [{"unit": "A", "x": "1", "y": ""}, {"unit": "B", "x": 2, "y": 5}]
        >>> Dataset.from_rows(rows).value("A", "y")
        nan
        """
        rows = list(rows)
        skip = {unit, *groups} | ({period} if period is not None else set())
        if indicators is None:
            seen: dict[str, None] = {}
            for row in rows:
                seen.update((k, None) for k in row if k not in skip)
            indicators = tuple(seen)
        units: dict[str, None] = {}
        periods: set[Period] = set()
        cells: dict[tuple[str, Period], list[float]] = {}
        labels: dict[str, dict[str, str | None]] = {g: {} for g in groups}
        for n, row in enumerate(rows):
            code = str(row.get(unit, "") or "").strip()
            if not code:
                raise EngineError("data.value", where=f"rows[{n}].{unit}", value=row.get(unit))
            when: Period = _period(row.get(period)) if period is not None else None
            key = (code, when)
            if key in cells:
                raise EngineError("data.duplicate", code=where(code, when), field="rows")
            units[code] = None
            periods.add(when)
            cells[key] = [parse_number(row.get(ind), f"rows[{n}].{ind}") for ind in indicators]
            for g in groups:
                label = row.get(g)
                text = None if label is None or str(label).strip() == "" else str(label).strip()
                labels[g][code] = text if text is not None else labels[g].get(code)
        ordered = sorted(periods, key=period_key) if period is not None else [None]
        values = np.full((len(units), len(ordered), len(indicators)), np.nan)
        u_index = {u: i for i, u in enumerate(units)}
        p_index = {p: i for i, p in enumerate(ordered)}
        for (u, p), vals in cells.items():
            values[u_index[u], p_index[p], :] = vals
        return cls(
            tuple(units),
            tuple(indicators),
            values,
            tuple(ordered),
            {g: tuple(labels[g].get(u) for u in units) for g in groups},
        )

    @classmethod
    def from_long(cls, records: Iterable[Mapping[str, object]]) -> Dataset:
        """Read long records with keys ``unit``, ``indicator``, ``value`` and optional ``period``.

        This is the inverse of :meth:`to_long`.

        >>> recs = [{"unit": "A", "indicator": "x", "value": 1.0, "period": 2024}]
        >>> Dataset.from_long(recs).periods
        (2024,)
        """
        units: dict[str, None] = {}
        indicators: dict[str, None] = {}
        periods: set[Period] = set()
        cells: dict[tuple[str, Period, str], float] = {}
        for n, rec in enumerate(records):
            u = str(rec.get("unit", "") or "")
            ind = str(rec.get("indicator", "") or "")
            if not u or not ind:
                raise EngineError("data.value", where=f"records[{n}]", value=dict(rec))
            p = _period(rec.get("period"))
            key = (u, p, ind)
            if key in cells:
                raise EngineError("data.duplicate", code=where(ind, p, u), field="records")
            units[u] = None
            indicators[ind] = None
            periods.add(p)
            cells[key] = parse_number(rec.get("value"), f"records[{n}].value")
        ordered = sorted(periods, key=period_key)
        values = np.full((len(units), len(ordered), len(indicators)), np.nan)
        u_index = {u: i for i, u in enumerate(units)}
        p_index = {p: i for i, p in enumerate(ordered)}
        i_index = {c: i for i, c in enumerate(indicators)}
        for (u, p, ind), v in cells.items():
            values[u_index[u], p_index[p], i_index[ind]] = v
        return cls(tuple(units), tuple(indicators), values, tuple(ordered))

    # -- views ----------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(units, periods, indicators)``."""
        u, p, i = self.values.shape
        return (u, p, i)

    def unit_index(self, unit: str) -> int:
        """The row of *unit*."""
        try:
            return self.units.index(unit)
        except ValueError:
            raise EngineError(
                "data.unit-unknown", unit=unit, available=listing(self.units)
            ) from None

    def period_index(self, period: Period) -> int:
        """The position of *period*."""
        try:
            return self.periods.index(period)
        except ValueError:
            raise EngineError(
                "data.period-unknown", period=period, available=listing(self.periods)
            ) from None

    def indicator_index(self, indicator: str) -> int:
        """The column of *indicator*."""
        try:
            return self.indicators.index(indicator)
        except ValueError:
            raise EngineError(
                "data.indicator-unknown", code=indicator, available=listing(self.indicators)
            ) from None

    def value(self, unit: str, indicator: str, period: Period = None) -> float:
        """One value (NaN when missing); *period* defaults to the latest."""
        p = len(self.periods) - 1 if period is None else self.period_index(period)
        return float(self.values[self.unit_index(unit), p, self.indicator_index(indicator)])

    def with_groups(
        self, name: str, labels: Mapping[str, str | None] | Callable[[str], str | None]
    ) -> Dataset:
        """A copy with one more group column, from a mapping or a function of the unit code.

        Groups can come from anywhere: a column of the source table, a region registry,
        or the code itself (Kemendagri codes start with the province code):

        >>> import numpy as np
        >>> d = Dataset(("63.09", "35.71"), ("x",), np.ones((2, 1)))
        >>> d.with_groups("province", lambda code: code.split(".")[0]).groups["province"]
        ('63', '35')
        """
        get = labels.get if isinstance(labels, Mapping) else labels
        column = tuple(get(u) for u in self.units)
        return attrs.evolve(self, groups={**self.groups, name: column})

    def with_region_groups(
        self,
        key: Literal["province", "level", "population"] = "province",
        *,
        name: str | None = None,
        population_bounds: Iterable[int] | None = None,
    ) -> Dataset:
        """A copy with a peer-group column from the region registry (:mod:`kotacerdas.regions`).

        Units must be Kemendagri codes or region names.  *key* is the province, the
        level (``provinsi``, ``kabupaten``, ``kota``) or the population class (SCDI's
        three classes, or classes split at *population_bounds*).  The column is named
        *name*, by default *key*.

        >>> import numpy as np
        >>> d = Dataset(("63.09", "35.71"), ("x",), np.ones((2, 1)))
        >>> d.with_region_groups("level").groups["level"]
        ('kabupaten', 'kota')

        Raises:
            RegionNotFoundError: a unit is not a region the registry knows.
        """
        from kotacerdas import regions  # the registry is read only when needed

        def population(unit: str) -> str | None:
            if population_bounds is None:
                found = regions.population_class(unit)
            else:
                found = regions.population_class(unit, population_bounds)
            return None if found is None else found.code

        getters: dict[str, Callable[[str], str | None]] = {
            "province": regions.province_code,
            "level": regions.level,
            "population": population,
        }
        if key not in getters:
            raise EngineError(
                "build.param-value",
                method="with_region_groups",
                param="key",
                value=key,
                expected=" | ".join(getters),
            )
        return self.with_groups(name or key, getters[key])

    def to_long(self) -> list[dict[str, object]]:
        """One record per observed value: ``unit``, ``period``, ``indicator``, ``value``."""
        out: list[dict[str, object]] = []
        for u, p, i in np.argwhere(~np.isnan(self.values)):
            out.append(
                {
                    "unit": self.units[u],
                    "period": self.periods[p],
                    "indicator": self.indicators[i],
                    "value": float(self.values[u, p, i]),
                }
            )
        return out


def _period(value: object) -> Period:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if text == "" or text.lower() in _MISSING_TEXT:
        return None
    try:
        return int(text)
    except ValueError:
        return text
