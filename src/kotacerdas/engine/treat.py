"""Outlier treatment: tame skewed indicators before normalisation, COINr's way, and record it.

An indicator *needs* treatment when its distribution is both skewed and heavy-tailed:
``|skewness| ≥ skew`` **and** ``kurtosis ≥ kurt`` (COINr's ``check_SkewKurt``, by
default 2 and 3.5; skewness and kurtosis as in :func:`skewness` and :func:`kurtosis`).
The methods, each a small immutable value checked when made:

* :class:`Winsorise` — COINr's default (``Treat``, ``qTreat``): while the indicator
  fails the check, replace its most extreme value (the highest when the skew is
  positive, else the lowest; tied values together) by the next one in, at most
  *winmax* points; if it still fails, fall back to a log transform of the
  **original** values (*fallback*, default ``log_CT``);
* :class:`LogTransform` — COINr's ``log_CT`` family, when the indicator fails the
  check (or always, with ``force=True``);
* :class:`BoxCox` — the Box–Cox transform with a chosen λ, likewise.

Every transform keeps the order of the units, so an indicator's direction still
holds.  Statistics are taken over the units of one period, or over all periods at
once when the build normalises over ``scope="all"``.  A column that cannot be
checked (fewer than four values, or all equal), or that treatment would leave with
no variance, is left as it is and recorded as ``"unchecked"`` (COINr warns and
returns it untreated).

>>> import numpy as np
>>> x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100])
>>> out = Winsorise().treat(x)
>>> out.applied, out.winsorised, float(out.values[-1])
('winsorise', 1, 9.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final, Literal, TypeAlias, cast

import attrs
import numpy as np

from kotacerdas.engine._stats import kurtosis, observed, skewness
from kotacerdas.engine._util import BoolArray, FloatArray, Period, listing, where
from kotacerdas.errors import EngineError

__all__ = [
    "TREATMENTS",
    "BoxCox",
    "IndicatorTreatment",
    "LogTransform",
    "Outcome",
    "Treatment",
    "TreatmentReport",
    "Winsorise",
    "as_treatment",
    "boxcox",
    "check_skew_kurt",
    "kurtosis",
    "log_transform",
    "skewness",
    "winsorise",
]

LogKind: TypeAlias = Literal["log_CT", "log_CT_plus", "log_CT_orig", "log"]
LOG_KINDS: Final[tuple[str, ...]] = ("log_CT", "log_CT_plus", "log_CT_orig", "log")
Status: TypeAlias = Literal["passed", "treated", "failed", "unchecked"]


def check_skew_kurt(
    x: FloatArray, skew: float = 2.0, kurt: float = 3.5
) -> tuple[bool | None, float, float]:
    """COINr's ``check_SkewKurt``: whether *x* passes, with its skewness and kurtosis.

    It passes when ``|skewness| < skew`` **or** ``kurtosis < kurt``; ``None`` when that
    cannot be decided (too few values, no variance), as R's ``NA``.
    """
    sk, kt = skewness(x), kurtosis(x)
    a = None if math.isnan(sk) else abs(sk) < skew
    b = None if math.isnan(kt) else kt < kurt
    if a is True or b is True:
        return True, sk, kt
    if a is None or b is None:
        return None, sk, kt
    return False, sk, kt


def winsorise(
    x: FloatArray,
    winmax: int | None = 5,
    skew: float = 2.0,
    kurt: float = 3.5,
    force: bool = False,
) -> tuple[FloatArray, int, tuple[str, ...]]:
    """COINr's ``winsorise``: the values, the number of points changed, and each point's flag.

    While *x* fails :func:`check_skew_kurt` (or always, with *force*) and fewer than
    *winmax* points have been changed (``None``: no limit), the highest values are
    replaced by the next highest when the skew is positive, else the lowest by the
    next lowest.  Flags are ``"winhi"``, ``"winlo"`` or ``""``.
    """
    x = np.array(x, dtype=np.float64)
    passing = check_skew_kurt(x, skew, kurt)[0]
    imax: np.ndarray[Any, np.dtype[np.intp]] = np.array([], dtype=np.intp)
    imin = imax
    nwin = 0
    while (passing is False or force) and (winmax is None or nwin < winmax):
        obs = observed(x)
        if np.unique(obs).size < 2:
            break
        if skewness(x) >= 0:
            imax = np.flatnonzero(x == obs.max())
            x[imax] = np.nanmax(np.delete(x, imax))
        else:
            imin = np.flatnonzero(x == obs.min())
            x[imin] = np.nanmin(np.delete(x, imin))
        nwin = imax.size + imin.size
        passing = check_skew_kurt(x, skew, kurt)[0]
        if passing is None:
            break
    flags = [""] * x.size
    for i in imax:
        flags[int(i)] = "winhi"
    for i in imin:
        flags[int(i)] = "winlo"
    return x, nwin, tuple(flags)


def log_transform(x: FloatArray, kind: LogKind = "log_CT") -> FloatArray:
    """COINr's log transforms, which keep the order of the values.

    ``log_CT``: ``log(x − min + 0.01·(max − min))``; ``log_CT_orig``: ``log(x − min +
    1)``; ``log_CT_plus``: ``log_CT`` when the skew is positive, else ``−log(max +
    0.01·(max − min) − x)`` (for low outliers); ``log``: R's plain ``log(x)``, for
    positive values only.

    Raises:
        EngineError: ``log`` of a value that is not positive (``treat.non-positive``).
    """
    obs = observed(x)
    if kind == "log" and (obs <= 0).any():
        raise EngineError("treat.non-positive", method="log", value=float(obs.min()))
    lo, hi = float(obs.min()), float(obs.max())
    a = 0.01 * (hi - lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "log":
            out: FloatArray = np.log(x)
        elif kind == "log_CT_orig":
            out = np.log(x - lo + 1.0)
        elif kind == "log_CT_plus" and not skewness(x) > 0:
            out = -np.log(hi + a - x)
        else:
            out = np.log(x - lo + a)
    return out


def boxcox(x: FloatArray, lmbda: float, makepos: bool = True) -> FloatArray:
    """COINr's ``boxcox``: ``(x^λ − 1)/λ`` (``log x`` for λ = 0); shifted to start at 1 first.

    With *makepos*, *x* is first replaced by ``x − min + 1``.
    """
    if makepos:
        x = x - np.nanmin(x) + 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        if lmbda == 0:
            out: FloatArray = np.log(x)
        else:
            out = (np.power(x, lmbda) - 1.0) / lmbda
    return out


@attrs.frozen
class Outcome:
    """What a treatment did to one column of values.

    Attributes:
        values: The treated values (NaN stays NaN).
        applied: ``"none"``, ``"winsorise"``, a log kind (``"log_CT"`` …), ``"boxcox"``,
            or ``"winsorise+log_CT"`` when a fallback was applied to winsorised values.
        status: ``"passed"`` (no treatment needed), ``"treated"`` (passes now),
            ``"failed"`` (still fails after treatment) or ``"unchecked"`` (too few
            values or no variance to decide).
        skew_before: Skewness before.
        kurt_before: Kurtosis before.
        skew_after: Skewness after.
        kurt_after: Kurtosis after.
        winsorised: The number of points winsorisation changed (COINr's ``nwin``).
        flags: Per value: ``"winhi"``, ``"winlo"``, the transform's name, or ``""``.
    """

    values: FloatArray = attrs.field(repr=False)
    applied: str
    status: Status
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float
    winsorised: int = 0
    flags: tuple[str, ...] = attrs.field(default=(), repr=False)


def _number(method: str, name: str, value: object, ok: bool, expected: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not ok:
        raise EngineError(
            "build.param-value", method=method, param=name, value=value, expected=expected
        )


class Treatment:
    """Base of the outlier treatments: :meth:`treat` one column of values."""

    __slots__ = ()

    method: ClassVar[str] = ""
    """The method's name, as written in a build (``"winsorise"``)."""

    skew: float
    kurt: float
    force: bool

    def _checks(self) -> None:
        _number(self.method, "skew", self.skew, self.skew > 0, "skew > 0")
        _number(self.method, "kurt", self.kurt, math.isfinite(self.kurt), "float")
        if not isinstance(self.force, bool):
            raise EngineError(
                "build.param-value",
                method=self.method,
                param="force",
                value=self.force,
                expected="bool",
            )

    def transform(self, x: FloatArray) -> tuple[FloatArray, str, int, tuple[str, ...]]:
        """The treated values, the name of what was applied, points winsorised, flags."""
        raise NotImplementedError

    def treat(self, x: FloatArray) -> Outcome:
        """Check *x* and treat it if it fails (or always, with ``force``)."""
        x = np.asarray(x, dtype=np.float64)
        passed, sk, kt = check_skew_kurt(x, self.skew, self.kurt)
        if passed is None:
            return Outcome(x, "none", "unchecked", sk, kt, sk, kt, 0, ("",) * x.size)
        if passed and not self.force:
            return Outcome(x, "none", "passed", sk, kt, sk, kt, 0, ("",) * x.size)
        values, applied, nwin, flags = self.transform(x)
        after, sk2, kt2 = check_skew_kurt(values, self.skew, self.kurt)
        if after is None:  # treated into no variance: COINr keeps the original values
            return Outcome(x, "none", "unchecked", sk, kt, sk, kt, 0, ("",) * x.size)
        status: Status = "treated" if after else "failed"
        return Outcome(values, applied, status, sk, kt, sk2, kt2, nwin, flags)

    def params(self) -> dict[str, object]:
        """The method's parameters, by name."""
        return attrs.asdict(self, recurse=False)  # type: ignore[arg-type]


def _kind(method: str, kind: object, allowed: Sequence[str]) -> None:
    if kind not in allowed:
        raise EngineError(
            "build.param-value",
            method=method,
            param="kind" if method != "winsorise" else "fallback",
            value=kind,
            expected=" | ".join(allowed),
        )


@attrs.frozen
class Winsorise(Treatment):
    """COINr's default treatment: winsorise up to *winmax* points, else a log transform.

    Attributes:
        winmax: The most points to winsorise (``None``: no limit).
        skew: The skewness threshold of the check.
        kurt: The kurtosis threshold of the check.
        fallback: The log transform applied when winsorisation cannot make the
            indicator pass (``"log_CT"``, ``"log_CT_plus"``, ``"log_CT_orig"``,
            ``"log"``), or ``"none"`` to keep the winsorised values (plain
            winsorisation).
        combine: Apply the fallback to the winsorised values instead of the original
            ones (COINr's ``combine_treat``).
        force: Winsorise even an indicator that passes (up to *winmax* points).
    """

    winmax: int | None = 5
    skew: float = 2.0
    kurt: float = 3.5
    fallback: LogKind | Literal["none"] = "log_CT"
    combine: bool = False
    force: bool = False
    method: ClassVar[str] = "winsorise"

    def __attrs_post_init__(self) -> None:
        if self.winmax is not None:
            _number(
                self.method,
                "winmax",
                self.winmax,
                isinstance(self.winmax, int) and self.winmax >= 1,
                "int ≥ 1 | None",
            )
        _kind(self.method, self.fallback, (*LOG_KINDS, "none"))
        self._checks()

    def transform(self, x: FloatArray) -> tuple[FloatArray, str, int, tuple[str, ...]]:
        """See :class:`Treatment`."""
        values, nwin, flags = winsorise(x, self.winmax, self.skew, self.kurt, self.force)
        if self.fallback == "none" or check_skew_kurt(values, self.skew, self.kurt)[0] is not False:
            return values, "winsorise", nwin, flags
        kind = self.fallback
        if self.combine:
            logged = log_transform(values, kind)
            return logged, f"winsorise+{kind}", nwin, tuple(f or kind for f in flags)
        return log_transform(x, kind), kind, 0, (kind,) * x.size


@attrs.frozen
class LogTransform(Treatment):
    """A log transform (COINr's ``log_CT`` family) of an indicator that fails the check.

    Attributes:
        kind: ``"log_CT"`` (default), ``"log_CT_plus"``, ``"log_CT_orig"`` or ``"log"``, see
            :func:`~kotacerdas.engine.treat.log_transform`.
        skew: The skewness threshold of the check.
        kurt: The kurtosis threshold of the check.
        force: Transform even an indicator that passes.
    """

    kind: LogKind = "log_CT"
    skew: float = 2.0
    kurt: float = 3.5
    force: bool = False
    method: ClassVar[str] = "log"

    def __attrs_post_init__(self) -> None:
        _kind(self.method, self.kind, LOG_KINDS)
        self._checks()

    def transform(self, x: FloatArray) -> tuple[FloatArray, str, int, tuple[str, ...]]:
        """See :class:`Treatment`."""
        return log_transform(x, self.kind), self.kind, 0, (self.kind,) * x.size


@attrs.frozen
class BoxCox(Treatment):
    """The Box–Cox transform with parameter *lmbda* of an indicator that fails the check.

    Attributes:
        lmbda: λ: ``(x^λ − 1)/λ``, or ``log x`` for 0.
        makepos: First shift the values to start at 1 (``x − min + 1``), as COINr.
        skew: The skewness threshold of the check.
        kurt: The kurtosis threshold of the check.
        force: Transform even an indicator that passes.
    """

    lmbda: float
    makepos: bool = True
    skew: float = 2.0
    kurt: float = 3.5
    force: bool = False
    method: ClassVar[str] = "boxcox"

    def __attrs_post_init__(self) -> None:
        _number(self.method, "lmbda", self.lmbda, math.isfinite(self.lmbda), "float")
        self._checks()

    def transform(self, x: FloatArray) -> tuple[FloatArray, str, int, tuple[str, ...]]:
        """See :class:`Treatment`."""
        if not self.makepos and (observed(x) <= 0).any():
            raise EngineError("treat.non-positive", method=self.method, value=float(np.nanmin(x)))
        return boxcox(x, self.lmbda, self.makepos), "boxcox", 0, ("boxcox",) * x.size


TREATMENTS: Final[Mapping[str, type[Treatment]]] = {
    "winsorise": Winsorise,
    "log": LogTransform,
    "boxcox": BoxCox,
}
"""The treatment methods by name."""


def as_treatment(spec: object, where: str = "treat") -> Treatment | None:
    """A treatment from a :class:`Treatment`, a name, a mapping with ``method``, or ``None``.

    ``"default"`` is COINr's default rule (:class:`Winsorise` ``()``); ``"none"`` and
    ``None`` mean no treatment.
    """
    if spec is None or isinstance(spec, Treatment):
        return spec
    params: dict[str, Any] = {}
    name: object = spec
    if isinstance(spec, Mapping):
        params = dict(spec)
        name = params.pop("method", None)
    if isinstance(name, str):
        key = name.strip().lower()
        if key == "none" and not params:
            return None
        cls = Winsorise if key == "default" else TREATMENTS.get(key)
        if cls is None:
            raise EngineError(
                "build.treatment-unknown",
                name=name,
                where=where,
                choices=", ".join(("default", *TREATMENTS, "none")),
            )
        fields = {f.name for f in attrs.fields(cast(Any, cls))}
        for param in params:
            if param not in fields:
                raise EngineError(
                    "build.param-unknown",
                    method=cls.method,
                    param=param,
                    allowed=", ".join(fields),
                )
        if cls is BoxCox and "lmbda" not in params:
            raise EngineError("build.param-missing", method=cls.method, param="lmbda")
        return cls(**params)
    raise EngineError(
        "build.spec-type",
        where=where,
        expected="Treatment | str | mapping | None",
        got=type(spec).__name__,
    )


@attrs.frozen
class IndicatorTreatment:
    """The treatment of one indicator over one scope (a period, or all periods at once).

    Attributes:
        indicator: The indicator code.
        periods: The periods whose values were checked together.
        method: The treatment the build chose (``None``: none chosen).
        applied: What was applied (see :attr:`Outcome.applied`).
        status: ``"passed"``, ``"treated"``, ``"failed"``, ``"unchecked"`` or ``"off"``
            (no treatment chosen for this indicator).
        skew_before: Skewness before.
        kurt_before: Kurtosis before.
        skew_after: Skewness after.
        kurt_after: Kurtosis after.
        winsorised: Points changed by winsorisation.
        points: The changed points: ``(unit, period, before, after, flag)``.
    """

    indicator: str
    periods: tuple[Period, ...]
    method: Treatment | None
    applied: str
    status: str
    skew_before: float
    kurt_before: float
    skew_after: float
    kurt_after: float
    winsorised: int
    points: tuple[tuple[str, Period, float, float, str], ...] = attrs.field(repr=False)

    @property
    def changed(self) -> tuple[str, ...]:
        """The units whose value changed (with the period, in a panel treated over all periods)."""
        if len(self.periods) == 1:
            return tuple(p[0] for p in self.points)
        return tuple(where(p[0], p[1]) for p in self.points)


def _plain(v: float) -> float | None:
    return None if math.isnan(v) else v


@attrs.frozen(eq=False)
class TreatmentReport:
    """Every indicator's treatment in a build, and the values after treatment.

    Attributes:
        records: One :class:`~kotacerdas.engine.treat.IndicatorTreatment` per indicator
            and scope.
        values: ``(units, periods, indicators)``: the values after treatment.
        changed: Same shape: which values treatment changed.
    """

    records: tuple[IndicatorTreatment, ...]
    values: FloatArray = attrs.field(repr=False)
    changed: BoolArray = attrs.field(repr=False)

    def record(self, indicator: str, period: Period = None) -> IndicatorTreatment:
        """The record of *indicator* (in *period*, when treated period by period)."""
        for r in self.records:
            if r.indicator == indicator and (period is None or period in r.periods):
                return r
        raise EngineError(
            "result.node-unknown",
            code=indicator,
            available=listing(dict.fromkeys(r.indicator for r in self.records)),
        )

    @property
    def treated(self) -> tuple[IndicatorTreatment, ...]:
        """The records of indicators whose values changed."""
        return tuple(r for r in self.records if r.points)

    def to_rows(self) -> list[dict[str, object]]:
        """One row per indicator and scope: what was applied, the statistics, the points changed."""
        return [
            {
                "indicator": r.indicator,
                "periods": list(r.periods),
                "method": None if r.method is None else r.method.method,
                "applied": r.applied,
                "status": r.status,
                "skew_before": _plain(r.skew_before),
                "kurt_before": _plain(r.kurt_before),
                "skew_after": _plain(r.skew_after),
                "kurt_after": _plain(r.kurt_after),
                "winsorised": r.winsorised,
                "changed": list(r.changed),
            }
            for r in self.records
        ]


def apply_treatment(
    raw: FloatArray,
    codes: Sequence[str],
    specs: Mapping[str, Treatment | None],
    units: Sequence[str],
    periods: Sequence[Period],
    pooled: bool,
) -> TreatmentReport:
    """Treat every indicator of *raw* ``(units, periods, indicators)`` with its spec.

    Over all periods at once when *pooled*, else period by period.
    """
    out = raw.copy()
    records: list[IndicatorTreatment] = []
    scopes: list[tuple[slice, tuple[Period, ...]]]
    if pooled or raw.shape[1] == 1:
        scopes = [(slice(None), tuple(periods))]
    else:
        scopes = [(slice(p, p + 1), (period,)) for p, period in enumerate(periods)]
    for i, code in enumerate(codes):
        spec = specs.get(code)
        for part, scope_periods in scopes:
            block = raw[:, part, i]
            col = block.reshape(-1)
            if spec is None:
                records.append(
                    IndicatorTreatment(
                        code, scope_periods, None, "none", "off", *(math.nan,) * 4, 0, ()
                    )
                )
                continue
            done = spec.treat(col)
            new = done.values.reshape(block.shape)
            out[:, part, i] = new
            moved = np.flatnonzero(~np.isnan(col) & (done.values != col))
            n_p = block.shape[1]
            points = tuple(
                (
                    units[int(k) // n_p],
                    scope_periods[int(k) % n_p],
                    float(col[k]),
                    float(done.values[k]),
                    done.flags[int(k)] if done.flags else done.applied,
                )
                for k in moved
            )
            records.append(
                IndicatorTreatment(
                    code,
                    scope_periods,
                    spec,
                    done.applied,
                    done.status,
                    done.skew_before,
                    done.kurt_before,
                    done.skew_after,
                    done.kurt_after,
                    done.winsorised,
                    points,
                )
            )
    changed = ~np.isnan(raw) & (out != raw)
    return TreatmentReport(tuple(records), out, changed)
