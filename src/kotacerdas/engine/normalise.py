"""Normalisation: bring raw indicators onto a common scale, respecting their direction.

Every method is a small immutable object whose parameters are checked when it is made
(:class:`MinMax` ``(low=1, high=100)``; ``MinMax(low=5, high=1)`` raises).  Methods that
rank or scale by the data first multiply negative-direction indicators by −1, as COINr
does, so that a higher normalised value is always better; targets, goalposts and
reference values are flipped with them.

The statistics a method needs (minimum, maximum, mean, standard deviation, ranks) are
taken over all units of the *scope* the build chooses: every period at once (the
default, so 100 means the same thing every year) or each period on its own.

==========================  ===========================================================
method (name)               formula, for a positive indicator *x*
==========================  ===========================================================
:class:`MinMax` (minmax)    ``low + (x − min)/(max − min)·(high − low)``
:class:`ZScore` (zscore)    ``mean + (x − x̄)/s·sd`` (*s*: sample standard deviation)
:class:`Goalposts`          ``low + clip((x − lower)/(upper − lower), 0, 1)·(high − low)``
:class:`DistanceToTarget`   ``low + (x − min)/(target − min)·(high − low)``, optionally
                            capped at the target
:class:`DistanceToReference` as the target method, with a reference unit's value
:class:`Rank` (rank)        rank among observed values, 1 = worst, ties get the lowest
:class:`PercentileRank`     ``low + (rank − 1)/(n − 1)·(high − low)``
:class:`Identity`           the value as it is (already on a common scale)
==========================  ===========================================================

>>> import numpy as np
>>> normalise_array(MinMax(), [[1.0], [3.0], [2.0]]).ravel().tolist()
[0.0, 100.0, 50.0]
>>> normalise_array(MinMax(), [[1.0], [3.0], [2.0]], directions=[-1]).ravel().tolist()
[100.0, 0.0, 50.0]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Final, cast

import attrs
import numpy as np
from numpy.typing import ArrayLike

from kotacerdas.engine._util import FloatArray, Period, listing, number, where
from kotacerdas.errors import EngineError

__all__ = [
    "NORMALISERS",
    "DistanceToReference",
    "DistanceToTarget",
    "Goalposts",
    "Identity",
    "MinMax",
    "NormaliseContext",
    "Normaliser",
    "PercentileRank",
    "Rank",
    "ZScore",
    "normalise_array",
    "normaliser",
]


@attrs.frozen(eq=False)
class NormaliseContext:
    """What a normaliser knows besides the values: one entry per column of the block.

    Attributes:
        codes: Indicator codes of the columns.
        signs: ``+1.0`` or ``−1.0`` per column: the indicator's direction.
        targets: The framework's target per column, in raw units (NaN where none).
        units: Unit codes of the rows.
        period: The period of the block when normalising period by period, else ``None``.
    """

    codes: tuple[str, ...]
    signs: FloatArray
    targets: FloatArray
    units: tuple[str, ...]
    period: Period = None


class Normaliser:
    """Base of the normalisation methods.

    :meth:`apply` receives a block of shape ``(units, periods, k)`` for *k* indicators
    that share the method, already multiplied by their direction sign when
    :attr:`uses_direction` is true, and returns an array of the same shape.  NaN stays
    NaN.
    """

    __slots__ = ()

    method: ClassVar[str] = ""
    """The method's name, as written in a build (``"minmax"``)."""

    uses_direction: ClassVar[bool] = True
    """Whether values arrive multiplied by the direction sign."""

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """Normalise the block *x* (see the class docstring)."""
        raise NotImplementedError

    def params(self) -> dict[str, object]:
        """The method's parameters, by name."""
        return attrs.asdict(self, recurse=False)  # type: ignore[arg-type]


# -- checks and statistics --------------------------------------------------------------------


def _number(method: str, name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise EngineError(
            "build.param-value", method=method, param=name, value=value, expected="float"
        )


def _require(ok: bool, method: str, name: str, value: object, expected: str) -> None:
    if not ok:
        raise EngineError(
            "build.param-value", method=method, param=name, value=value, expected=expected
        )


def _range(method: str, low: float, high: float) -> None:
    _number(method, "low", low)
    _number(method, "high", high)
    _require(low < high, method, "high", high, f"low < high (low = {number(low)})")


def _flat(x: FloatArray) -> FloatArray:
    return x.reshape(-1, x.shape[-1])


def _minmax(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    flat = _flat(x)
    return np.fmin.reduce(flat, axis=0), np.fmax.reduce(flat, axis=0)


def _no_variance(
    x: FloatArray, ctx: NormaliseContext, method: str, lo: FloatArray, hi: FloatArray
) -> None:
    """Refuse columns whose observed values (one or more) are all equal: *lo* == *hi*."""
    bad = np.flatnonzero(lo == hi)  # NaN (a column with no value) compares false
    if bad.size:
        j = int(bad[0])
        raise EngineError(
            "normalise.no-variance",
            where=where(ctx.codes[j], ctx.period),
            value=number(float(lo[j] * ctx.signs[j])),
            count=int((~np.isnan(_flat(x)[:, j])).sum()),
            method=method,
        )


def _scale(ratio: FloatArray, low: float, high: float) -> FloatArray:
    if low == 0 and high == 1:
        return ratio
    return low + ratio * (high - low)


def _ranks(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Ranks (1 = lowest, ties get the lowest rank) over each column, and the counts."""
    flat = _flat(x)
    out = np.full(flat.shape, np.nan)
    counts = np.zeros(flat.shape[1])
    for j in range(flat.shape[1]):
        col = flat[:, j]
        seen = ~np.isnan(col)
        obs = col[seen]
        out[seen, j] = np.searchsorted(np.sort(obs), obs, side="left") + 1.0
        counts[j] = obs.size
    return out.reshape(x.shape), counts


# -- the methods -------------------------------------------------------------------------------


@attrs.frozen
class MinMax(Normaliser):
    """Min–max scaling to ``[low, high]``: the worst observed value gets *low*, the best *high*.

    Use ``MinMax(low=1, high=100)`` before a geometric or harmonic mean, which need
    positive values.
    """

    low: float = 0.0
    high: float = 100.0
    method: ClassVar[str] = "minmax"

    def __attrs_post_init__(self) -> None:
        _range(self.method, self.low, self.high)

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        lo, hi = _minmax(x)
        _no_variance(x, ctx, self.method, lo, hi)
        out: FloatArray = self.low + (x - lo) / (hi - lo) * (self.high - self.low)
        return out


@attrs.frozen
class ZScore(Normaliser):
    """Standardisation to a chosen *mean* and *sd* (sample standard deviation, as R's ``sd``).

    COINr's alternative build uses ``ZScore(mean=10, sd=2)``.
    """

    mean: float = 0.0
    sd: float = 1.0
    method: ClassVar[str] = "zscore"

    def __attrs_post_init__(self) -> None:
        _number(self.method, "mean", self.mean)
        _number(self.method, "sd", self.sd)
        _require(self.sd > 0, self.method, "sd", self.sd, "sd > 0")

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        _no_variance(x, ctx, self.method, *_minmax(x))
        flat = _flat(x)
        seen = ~np.isnan(flat)
        n = seen.sum(axis=0)
        mu = np.where(seen, flat, 0.0).sum(axis=0) / n
        dev = np.where(seen, flat - mu, 0.0)
        s = np.sqrt((dev * dev).sum(axis=0) / (n - 1))
        out: FloatArray = self.mean + (x - mu) / s * self.sd
        return out


@attrs.frozen
class Goalposts(Normaliser):
    """Fixed goalposts in raw units: *lower* scores *low* and *upper* scores *high*.

    For a negative indicator the posts swap roles (*upper* is the worst).  Values
    outside the posts are clipped to them unless ``clip=False``.  The scores do not
    depend on the other units, so they are comparable over time.
    """

    lower: float
    upper: float
    low: float = 0.0
    high: float = 1.0
    clip: bool = True
    method: ClassVar[str] = "goalposts"

    def __attrs_post_init__(self) -> None:
        _number(self.method, "lower", self.lower)
        _number(self.method, "upper", self.upper)
        _require(
            self.lower < self.upper,
            self.method,
            "upper",
            self.upper,
            f"lower < upper (lower = {number(self.lower)})",
        )
        _range(self.method, self.low, self.high)

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        a = ctx.signs * self.lower
        b = ctx.signs * self.upper
        worst, best = np.minimum(a, b), np.maximum(a, b)
        ratio = (x - worst) / (best - worst)
        if self.clip:
            ratio = np.clip(ratio, 0.0, 1.0)
        return _scale(ratio, self.low, self.high)


@attrs.frozen
class DistanceToTarget(Normaliser):
    """Progress from the worst observed value towards a target: worst = *low*, target = *high*.

    The target is *target* when given, else the indicator's ``target`` in the
    framework.  Values beyond the target score above *high* unless ``cap=True``.
    """

    target: float | None = None
    cap: bool = False
    low: float = 0.0
    high: float = 1.0
    method: ClassVar[str] = "target"

    def __attrs_post_init__(self) -> None:
        if self.target is not None:
            _number(self.method, "target", self.target)
        _range(self.method, self.low, self.high)

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        raw = ctx.targets if self.target is None else np.full(len(ctx.codes), self.target)
        missing = np.flatnonzero(np.isnan(raw))
        if missing.size:
            raise EngineError("normalise.no-target", indicator=ctx.codes[int(missing[0])])
        goal = ctx.signs * raw
        lo, _ = _minmax(x)
        bad = np.flatnonzero(~np.isnan(lo) & (goal <= lo))
        if bad.size:
            j = int(bad[0])
            raise EngineError(
                "normalise.target-at-worst",
                where=where(ctx.codes[j], ctx.period),
                target=number(float(raw[j])),
                worst=number(float(lo[j] * ctx.signs[j])),
            )
        ratio = (x - lo) / (goal - lo)
        if self.cap:
            ratio = np.minimum(ratio, 1.0)
        return _scale(ratio, self.low, self.high)


@attrs.frozen
class DistanceToReference(Normaliser):
    """Progress from the worst observed value towards a reference unit's value.

    The reference is the unit *unit* in the same period (a benchmark city); the worst
    value is taken over the scope.  Units better than the reference score above *high*
    unless ``cap=True``.
    """

    unit: str
    cap: bool = False
    low: float = 0.0
    high: float = 1.0
    method: ClassVar[str] = "reference"

    def __attrs_post_init__(self) -> None:
        _require(
            isinstance(self.unit, str) and bool(self.unit), self.method, "unit", self.unit, "str"
        )
        _range(self.method, self.low, self.high)

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        if self.unit not in ctx.units:
            raise EngineError(
                "normalise.reference-unknown", unit=self.unit, available=listing(ctx.units)
            )
        ref = x[ctx.units.index(self.unit)]  # (periods, k)
        if np.isnan(ref).any():
            p, j = (int(n) for n in np.argwhere(np.isnan(ref))[0])
            raise EngineError(
                "normalise.reference-missing",
                unit=self.unit,
                where=where(ctx.codes[j], ctx.period if x.shape[1] == 1 else p),
            )
        lo, _ = _minmax(x)
        gap = ref - lo
        if (gap <= 0).any():
            p, j = (int(n) for n in np.argwhere(gap <= 0)[0])
            raise EngineError(
                "normalise.reference-at-worst",
                unit=self.unit,
                where=where(ctx.codes[j], ctx.period),
                value=number(float(ref[p, j] * ctx.signs[j])),
            )
        ratio = (x - lo) / gap
        if self.cap:
            ratio = np.minimum(ratio, 1.0)
        return _scale(ratio, self.low, self.high)


@attrs.frozen
class Rank(Normaliser):
    """The rank among observed values: 1 for the worst; ties share the lowest rank.

    This is R's ``rank(ties.method = "min")``, as COINr's ``n_rank``.
    """

    method: ClassVar[str] = "rank"

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        del ctx
        return _ranks(x)[0]


@attrs.frozen
class PercentileRank(Normaliser):
    """``(rank − 1)/(n − 1)`` scaled to ``[low, high]``: the worst gets *low*, the best *high*.

    *n* is the number of observed values in the scope; ties share the lowest rank.
    """

    low: float = 0.0
    high: float = 1.0
    method: ClassVar[str] = "percentile"

    def __attrs_post_init__(self) -> None:
        _range(self.method, self.low, self.high)

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        ranks, counts = _ranks(x)
        bad = np.flatnonzero(counts == 1)
        if bad.size:
            j = int(bad[0])
            lo, _ = _minmax(x)
            raise EngineError(
                "normalise.no-variance",
                where=where(ctx.codes[j], ctx.period),
                value=number(float(lo[j] * ctx.signs[j])),
                count=1,
                method=self.method,
            )
        return _scale((ranks - 1.0) / (counts - 1.0), self.low, self.high)


@attrs.frozen
class Identity(Normaliser):
    """No normalisation: for indicators already on a common scale where higher is better.

    Maturity levels (SPBE, GM100SC) are an example.  An indicator whose direction is
    negative is refused, since keeping its values would count lower as worse.
    """

    method: ClassVar[str] = "identity"
    uses_direction: ClassVar[bool] = False

    def apply(self, x: FloatArray, ctx: NormaliseContext) -> FloatArray:
        """See :class:`Normaliser`."""
        bad = np.flatnonzero(ctx.signs < 0)
        if bad.size:
            raise EngineError("normalise.identity-direction", indicator=ctx.codes[int(bad[0])])
        return x.copy()


NORMALISERS: Final[Mapping[str, type[Normaliser]]] = {
    cls.method: cls
    for cls in (
        MinMax,
        ZScore,
        Goalposts,
        DistanceToTarget,
        DistanceToReference,
        Rank,
        PercentileRank,
        Identity,
    )
}
"""The normalisation methods by name."""

_ALIASES: Final[Mapping[str, str]] = {
    # COINr's function names, so its users can write what they know.
    "n_minmax": "minmax",
    "n_zscore": "zscore",
    "n_goalposts": "goalposts",
    "n_dist2targ": "target",
    "n_dist2ref": "reference",
    "n_rank": "rank",
    "n_prank": "percentile",
    "none": "identity",
    "min-max": "minmax",
    "z-score": "zscore",
}


def normaliser(name: str, /, where: str = "build", **params: Any) -> Normaliser:
    """The normalisation method *name* with *params*, checked.

    >>> normaliser("minmax", low=1, high=100)
    MinMax(low=1, high=100)
    >>> normaliser("n_zscore", mean=10, sd=2)
    ZScore(mean=10, sd=2)

    Raises:
        EngineError: the name is unknown (``build.normaliser-unknown``), a parameter is
            unknown (``build.param-unknown``), missing (``build.param-missing``) or
            invalid (``build.param-value``).
    """
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    cls = NORMALISERS.get(key)
    if cls is None:
        raise EngineError(
            "build.normaliser-unknown",
            name=name,
            where=where,
            choices=", ".join(NORMALISERS),
        )
    fields = {f.name: f for f in attrs.fields(cast(Any, cls))}
    for param in params:
        if param not in fields:
            raise EngineError(
                "build.param-unknown",
                method=cls.method,
                param=param,
                allowed=", ".join(fields) or "-",
            )
    for f in fields.values():
        if f.default is attrs.NOTHING and f.name not in params:
            raise EngineError("build.param-missing", method=cls.method, param=f.name)
    return cls(**params)


def as_normaliser(spec: object, where: str = "build") -> Normaliser:
    """A normaliser from a :class:`Normaliser`, a name, or a mapping with ``method`` and params."""
    if isinstance(spec, Normaliser):
        return spec
    if isinstance(spec, str):
        return normaliser(spec, where=where)
    if isinstance(spec, Mapping):
        params = dict(spec)
        name = params.pop("method", None)
        if not isinstance(name, str):
            raise EngineError("build.param-missing", method=where, param="method")
        return normaliser(name, where=where, **params)
    raise EngineError(
        "build.spec-type", where=where, expected="Normaliser | str", got=type(spec).__name__
    )


def normalise_array(
    method: Normaliser | str,
    values: ArrayLike,
    *,
    directions: Sequence[float] | None = None,
    targets: Sequence[float | None] | None = None,
    units: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> FloatArray:
    """Normalise a ``(units, indicators)`` array column by column, outside any framework.

    Args:
        method: A normaliser or its name.
        values: Raw values; NaN = missing.
        directions: ``+1``/``−1`` per column (default all ``+1``).
        targets: Targets per column in raw units (``None`` where none).
        units: Unit codes (needed by :class:`DistanceToReference`).
        codes: Column names for error messages.
    """
    norm = as_normaliser(method)
    x = np.array(values, dtype=np.float64)
    if x.ndim != 2:
        raise EngineError("data.shape", got=x.shape, expected="(units, indicators)")
    k = x.shape[1]
    signs = np.ones(k) if directions is None else np.sign(np.asarray(directions, dtype=float))
    goal = (
        np.full(k, np.nan)
        if targets is None
        else np.array([np.nan if t is None else t for t in targets], dtype=np.float64)
    )
    ctx = NormaliseContext(
        codes=tuple(codes) if codes is not None else tuple(f"[{j}]" for j in range(k)),
        signs=signs,
        targets=goal,
        units=tuple(units) if units is not None else tuple(str(i) for i in range(x.shape[0])),
    )
    block = x[:, np.newaxis, :]
    if norm.uses_direction:
        block = block * signs
    return norm.apply(block, ctx)[:, 0, :]
