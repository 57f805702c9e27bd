"""The missing-data policy: fail, impute, or omit and renormalise — explicitly, and recorded.

A :class:`MissingPolicy` runs its imputation steps in order on the raw indicator
values, then deals with whatever is still missing:

* ``then="fail"`` (the default of :meth:`MissingPolicy.fail`): any missing value left
  is an error that names it;
* ``then="omit"``: missing children are left out of each aggregate and the weights of
  the others renormalised (COINr's behaviour).  An aggregate is missing when it has
  less than *min_availability* of its children (COINr's ``dat_thresh``: the share of
  children present, not of their weight), and always when it has none.

Imputation steps fill a missing value and **never change an observed one**:

* :class:`Impute` — the mean or median over the other units in the same period, or
  over the unit's peer group (a group column of the data, e.g. a province or a
  population class; see :meth:`~kotacerdas.engine.Dataset.with_groups`);
* :class:`LatestYear` — the unit's latest earlier observed value (panels), at most
  *max_lag* periods old.

>>> import numpy as np
>>> from kotacerdas.engine import Dataset
>>> d = Dataset(("A", "B", "C"), ("x",), np.array([[1.0], [np.nan], [3.0]]))
>>> values, imputed = impute(d, [Impute("mean")])
>>> values[:, 0, 0].tolist(), imputed[:, 0, 0].tolist()
([1.0, 2.0, 3.0], [False, True, False])
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import ClassVar, Literal, TypeAlias

import attrs
import numpy as np

from kotacerdas.engine._util import BoolArray, FloatArray, listing, where
from kotacerdas.engine.dataset import Dataset
from kotacerdas.errors import EngineError, MissingDataError

__all__ = ["Impute", "Imputer", "LatestYear", "MissingPolicy", "impute"]

Statistic: TypeAlias = Literal["mean", "median"]


class Imputer:
    """Base of the imputation steps."""

    __slots__ = ()

    method: ClassVar[str] = ""

    def fill(
        self,
        values: FloatArray,
        gaps: BoolArray,
        data: Dataset,
        codes: tuple[str, ...],
        last: bool,
    ) -> FloatArray:
        """Proposed values ``(units, periods, k)`` for the cells *gaps* marks; NaN where none.

        *values* are the observed values only (NaN = missing): statistics never feed
        on earlier imputations.  When *last* is true and a cell of *gaps* cannot be
        filled for a reason the step can name (an empty peer group), the step raises
        instead of leaving it missing.
        """
        raise NotImplementedError


def _stat(values: FloatArray, statistic: Statistic, axis: int) -> FloatArray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN, as wanted
        if statistic == "mean":
            out: FloatArray = np.nanmean(values, axis=axis)
        else:
            out = np.nanmedian(values, axis=axis)
    return out


@attrs.frozen
class Impute(Imputer):
    """Fill a missing value with the *statistic* of the other units in the same period.

    With *by*, only units of the same peer group (a group column of the data) count.

    Attributes:
        statistic: ``"mean"`` or ``"median"``.
        by: A group column of the data, for peer-group imputation.
    """

    statistic: Statistic = "mean"
    by: str | None = None
    method: ClassVar[str] = "impute"

    def __attrs_post_init__(self) -> None:
        if self.statistic not in ("mean", "median"):
            raise EngineError(
                "build.param-value",
                method=self.method,
                param="statistic",
                value=self.statistic,
                expected="mean | median",
            )
        if self.by is not None and (not isinstance(self.by, str) or not self.by):
            raise EngineError(
                "build.param-value", method=self.method, param="by", value=self.by, expected="str"
            )

    def fill(
        self,
        values: FloatArray,
        gaps: BoolArray,
        data: Dataset,
        codes: tuple[str, ...],
        last: bool,
    ) -> FloatArray:
        """See :class:`Imputer`."""
        if self.by is None:
            out = np.broadcast_to(_stat(values, self.statistic, axis=0), values.shape).copy()
            if last:
                gap = gaps & np.isnan(out)
                if gap.any():
                    u, p, i = (int(n) for n in np.argwhere(gap)[0])
                    raise MissingDataError(
                        "missing.empty",
                        where=where(codes[i], data.periods[p]),
                        statistic=self.statistic,
                    )
            return out
        labels = data.groups.get(self.by)
        if labels is None:
            raise EngineError(
                "missing.group-unknown", column=self.by, available=listing(data.groups) or "-"
            )
        out = np.full(values.shape, np.nan)
        label_array = np.array([lab if lab is not None else "" for lab in labels], dtype=object)
        for label in dict.fromkeys(labels):
            rows = label_array == (label if label is not None else "")
            if label is None:
                continue  # units without a group have no peers
            out[rows] = _stat(values[rows], self.statistic, axis=0)
        if last:
            gap = gaps & np.isnan(out)
            if gap.any():
                u, p, i = (int(n) for n in np.argwhere(gap)[0])
                raise MissingDataError(
                    "missing.group-empty",
                    where=where(codes[i], data.periods[p], data.units[u]),
                    group=labels[u] if labels[u] is not None else "-",
                    column=self.by,
                )
        return out


@attrs.frozen
class LatestYear(Imputer):
    """Fill a missing value with the unit's latest earlier observed value (panel data).

    Attributes:
        max_lag: How many periods back a value may come from (``None``: any).
    """

    max_lag: int | None = None
    method: ClassVar[str] = "latest"

    def __attrs_post_init__(self) -> None:
        if self.max_lag is not None and (
            isinstance(self.max_lag, bool) or not isinstance(self.max_lag, int) or self.max_lag < 1
        ):
            raise EngineError(
                "build.param-value",
                method=self.method,
                param="max_lag",
                value=self.max_lag,
                expected="max_lag ≥ 1",
            )

    def fill(
        self,
        values: FloatArray,
        gaps: BoolArray,
        data: Dataset,
        codes: tuple[str, ...],
        last: bool,
    ) -> FloatArray:
        """See :class:`Imputer`."""
        del gaps, data, codes, last
        out = np.full(values.shape, np.nan)
        carried = np.full((values.shape[0], values.shape[2]), np.nan)
        age = np.zeros(carried.shape)
        limit = math.inf if self.max_lag is None else self.max_lag
        for p in range(values.shape[1]):
            age += 1
            out[:, p, :] = np.where(age <= limit, carried, np.nan)
            seen = ~np.isnan(values[:, p, :])
            carried = np.where(seen, values[:, p, :], carried)
            age = np.where(seen, 0, age)
        return out


def impute(
    data: Dataset,
    steps: Sequence[Imputer],
    indicators: Sequence[str] | None = None,
    *,
    strict: bool = False,
) -> tuple[FloatArray, BoolArray]:
    """Run imputation *steps* in order on *indicators* (default: all) of *data*.

    Each step fills the cells still missing, from the *observed* values only (a later
    step never averages earlier imputations).  Returns the values ``(units, periods,
    k)`` with missing cells filled where a step could, and a mask of the cells that
    were imputed.  Observed values are never changed.  With *strict*, the last step
    raises when it cannot fill a cell.
    """
    codes = tuple(indicators) if indicators is not None else data.indicators
    column = {c: i for i, c in enumerate(data.indicators)}
    idx = [column[c] if c in column else data.indicator_index(c) for c in codes]
    whole = idx == list(range(len(data.indicators)))  # then a read-only view, no copy
    observed = data.values if whole else data.values[:, :, idx]
    if not steps:
        return observed, np.zeros(observed.shape, dtype=np.bool_)
    values = observed.copy()
    for n, step in enumerate(steps):
        gaps = np.isnan(values)
        if not gaps.any():
            break
        filled = step.fill(observed, gaps, data, codes, strict and n == len(steps) - 1)
        values = np.where(gaps, filled, values)
    return values, np.isnan(observed) & ~np.isnan(values)


def _steps(steps: Sequence[Imputer]) -> tuple[Imputer, ...]:
    out = tuple(steps)
    for step in out:
        if not isinstance(step, Imputer):
            raise EngineError(
                "build.spec-type",
                where="MissingPolicy.impute",
                expected="Imputer",
                got=type(step).__name__,
            )
    return out


@attrs.frozen
class MissingPolicy:
    """What to do about missing values, recorded in every result.

    The imputation steps run in order on the raw values, each filling what is still
    missing from the observed values only, never changing an observed value.  What
    is left then fails (``then="fail"``, the default: an error names the first
    missing value) or is omitted (``then="omit"``): left out of each aggregate, the
    weights of the other children renormalised, and the aggregate missing when fewer
    than *min_availability* of its children (a share, COINr's ``dat_thresh``) or none
    of them are present.

    Attributes:
        impute: Imputation steps, run in order on the raw values.
        then: ``"fail"`` or ``"omit"``: what happens to values still missing.
        min_availability: With ``omit``: the least share of its children (0 to 1) an
            aggregate needs; below it the aggregate is missing.
    """

    impute: tuple[Imputer, ...] = attrs.field(default=(), converter=_steps)
    then: Literal["fail", "omit"] = "fail"
    min_availability: float = 0.0

    def __attrs_post_init__(self) -> None:
        if self.then not in ("fail", "omit"):
            raise EngineError(
                "build.param-value",
                method="missing",
                param="then",
                value=self.then,
                expected="fail | omit",
            )
        m = self.min_availability
        if isinstance(m, bool) or not isinstance(m, int | float) or not 0 <= m <= 1:
            raise EngineError(
                "build.param-value",
                method="missing",
                param="min_availability",
                value=m,
                expected="0 ≤ min_availability ≤ 1",
            )
        if m > 0 and self.then == "fail":
            raise EngineError(
                "build.param-value",
                method="missing",
                param="min_availability",
                value=m,
                expected="then = omit",
            )

    @classmethod
    def fail(cls) -> MissingPolicy:
        """Refuse data with missing values (the default of a build)."""
        return cls()

    @classmethod
    def omit(cls, min_availability: float = 0.0) -> MissingPolicy:
        """Leave missing values out and renormalise the weights of the rest (COINr's default)."""
        return cls((), "omit", min_availability)

    @classmethod
    def keep(cls) -> MissingPolicy:
        """Score what can be scored: an aggregate with a missing child has no value.

        The ``keep`` of :func:`~kotacerdas.scoring.score` and
        :func:`~kotacerdas.panel.score_panel`: ``omit`` with every child required.
        """
        return cls((), "omit", 1.0)

    @classmethod
    def imputing(
        cls,
        *steps: Imputer,
        then: Literal["fail", "omit"] = "fail",
        min_availability: float = 0.0,
    ) -> MissingPolicy:
        """Impute with *steps* in order, then fail on (or omit) what is left."""
        return cls(steps, then, min_availability)
