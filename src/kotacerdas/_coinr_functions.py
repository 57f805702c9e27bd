"""COINr's vector functions by COINr's names: ``n_*`` normalise, ``i_*`` impute, ``a_*`` aggregate.

Each takes and returns what its R namesake does — a vector (1-D array; ``None`` or NaN
for R's ``NA``) and COINr's arguments, with R's dots written as underscores
(``ties.method`` → ``ties_method``) — and gives the same numbers, through the engine
where the engine has the method.  Where COINr would warn and return NaN or
meaningless numbers (no variance, a target below every value), these raise the
engine's :class:`~kotacerdas.errors.EngineError` instead.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import Any, TypeAlias, cast

import numpy as np
from numpy.typing import ArrayLike

from kotacerdas.engine import (
    DistanceToReference,
    DistanceToTarget,
    Goalposts,
    Impute,
    MinMax,
    ZScore,
    normalise_array,
)
from kotacerdas.engine import aggregate as _agg
from kotacerdas.engine._stats import TIES, Ties, rank
from kotacerdas.engine._util import FloatArray
from kotacerdas.engine.dataset import Dataset
from kotacerdas.engine.missing import impute
from kotacerdas.engine.treat import boxcox as _boxcox
from kotacerdas.engine.treat import check_skew_kurt as _check
from kotacerdas.engine.treat import kurtosis as _kurtosis
from kotacerdas.engine.treat import log_transform as _log
from kotacerdas.engine.treat import skewness as _skewness
from kotacerdas.engine.treat import winsorise as _winsorise
from kotacerdas.errors import EngineError

__all__ = [
    "a_amean",
    "a_copeland",
    "a_genmean",
    "a_gmean",
    "a_hmean",
    "boxcox",
    "check_SkewKurt",
    "i_mean",
    "i_mean_grp",
    "i_median",
    "i_median_grp",
    "kurt",
    "log_CT",
    "log_CT_orig",
    "log_CT_plus",
    "n_borda",
    "n_dist2max",
    "n_dist2ref",
    "n_dist2targ",
    "n_fracmax",
    "n_goalposts",
    "n_minmax",
    "n_prank",
    "n_rank",
    "n_scaled",
    "n_zscore",
    "outrankMatrix",
    "skew",
    "winsorise",
]

_TIE = 1e-12

Vector: TypeAlias = ArrayLike | Sequence[float | None]
"""A vector as R's: numbers, ``None`` or NaN for ``NA``."""

Matrix: TypeAlias = ArrayLike | Sequence[Sequence[float | None]]
"""A units × indicators table; ``None`` or NaN for ``NA``."""


def _bad(function: str, param: str, value: object, expected: str) -> EngineError:
    return EngineError(
        "build.param-value", method=function, param=param, value=value, expected=expected
    )


def _vector(x: Vector, function: str, name: str = "x") -> FloatArray:
    """A 1-D float array from a vector; ``None`` becomes NaN."""
    try:
        if isinstance(x, Sequence) and not isinstance(x, str | bytes):
            x = [math.nan if v is None else v for v in x]
        out = np.atleast_1d(np.array(x, dtype=np.float64))
    except (TypeError, ValueError):
        raise _bad(function, name, type(x).__name__, "numeric vector") from None
    if out.ndim != 1:
        raise _bad(function, name, f"shape {out.shape}", "numeric vector")
    if not out.size:
        raise _bad(function, name, "[]", "at least one value")
    if np.isinf(out).any():
        raise _bad(function, name, "Inf", "finite numbers or NA")
    return out


def _pair(value: Sequence[float], function: str, name: str) -> tuple[float, float]:
    if isinstance(value, str) or len(value) != 2:
        raise _bad(function, name, value, "two numbers")
    return float(value[0]), float(value[1])


def _direction(direction: float, function: str) -> float:
    if direction not in (1, -1):
        raise _bad(function, "direction", direction, "1 | -1")
    return float(direction)


def _column(norm: Any, x: FloatArray, **kw: Any) -> FloatArray:
    out: FloatArray = normalise_array(norm, x[:, np.newaxis], codes=("x",), **kw)[:, 0]
    return out


# -- normalisation ------------------------------------------------------------------------------


def n_minmax(x: Vector, l_u: Sequence[float] = (0, 100)) -> FloatArray:
    """``(x − min)/(max − min)·(u − l) + l`` (the engine's :class:`~kotacerdas.engine.MinMax`)."""
    low, high = _pair(l_u, "n_minmax", "l_u")
    return _column(MinMax(low, high), _vector(x, "n_minmax"))


def n_zscore(x: Vector, m_sd: Sequence[float] = (0, 1)) -> FloatArray:
    """``(x − mean)/sd·s + m`` with R's sample ``sd`` (:class:`~kotacerdas.engine.ZScore`)."""
    mean, sd = _pair(m_sd, "n_zscore", "m_sd")
    return _column(ZScore(mean, sd), _vector(x, "n_zscore"))


def n_scaled(x: Vector, npara: Sequence[float] = (0, 100), scale_factor: float = 100) -> FloatArray:
    """``(x − l)/(u − l)·scale_factor`` with fixed ``npara = (l, u)``, not clipped."""
    lower, upper = _pair(npara, "n_scaled", "npara")
    norm = Goalposts(lower, upper, 0.0, float(scale_factor), clip=False)
    return _column(norm, _vector(x, "n_scaled"))


def n_dist2max(x: Vector) -> FloatArray:
    """``1 − (max − x)/(max − min)``: min–max to ``[0, 1]``."""
    return _column(MinMax(0.0, 1.0), _vector(x, "n_dist2max"))


def n_dist2ref(x: Vector, iref: int, cap_max: bool = False) -> FloatArray:
    """``1 − (x_ref − x)/(x_ref − min)``; *iref*: the reference's position, **1-based** as in R."""
    v = _vector(x, "n_dist2ref")
    if isinstance(iref, bool) or not isinstance(iref, int) or not 1 <= iref <= v.size:
        raise _bad("n_dist2ref", "iref", iref, f"an integer in 1:{v.size}")
    norm = DistanceToReference(str(iref - 1), cap=cap_max)
    return _column(norm, v)


def n_dist2targ(x: Vector, targ: float, direction: float = 1, cap_max: bool = False) -> FloatArray:
    """``(x − min)/(targ − min)``, or ``(max − x)/(max − targ)`` for ``direction = −1``."""
    sign = _direction(direction, "n_dist2targ")
    if not isinstance(targ, int | float) or isinstance(targ, bool) or not math.isfinite(targ):
        raise _bad("n_dist2targ", "targ", targ, "a number")
    norm = DistanceToTarget(float(targ), cap=cap_max)
    return _column(norm, _vector(x, "n_dist2targ"), directions=[sign])


def n_fracmax(x: Vector) -> FloatArray:
    """``x / max(x)``."""
    v = _vector(x, "n_fracmax")
    top = np.nanmax(v) if (~np.isnan(v)).any() else math.nan
    if top == 0:
        raise _bad("n_fracmax", "x", "max(x) = 0", "max(x) ≠ 0")
    out: FloatArray = v / top
    return out


def _ties(ties_method: str, function: str) -> Ties:
    if ties_method not in TIES:
        raise _bad(function, "ties_method", ties_method, " | ".join(TIES))
    return cast(Ties, ties_method)


def n_rank(x: Vector, ties_method: str = "min") -> FloatArray:
    """R's ``rank(x, ties.method, na.last = "keep")``: 1 = lowest."""
    return rank(_vector(x, "n_rank"), _ties(ties_method, "n_rank"))


def n_borda(x: Vector, ties_method: str = "min") -> FloatArray:
    """Borda scores: ``rank − 1``."""
    return rank(_vector(x, "n_borda"), _ties(ties_method, "n_borda")) - 1.0


def n_prank(x: Vector, ties_method: str = "min") -> FloatArray:
    """Percentile ranks ``(rank − 1)/(n − 1)``, *n* the number of observed values."""
    v = _vector(x, "n_prank")
    n = int((~np.isnan(v)).sum())
    if n < 2:
        raise _bad("n_prank", "x", f"{n} observed value(s)", "at least 2")
    out: FloatArray = (rank(v, _ties(ties_method, "n_prank")) - 1.0) / (n - 1)
    return out


def n_goalposts(
    x: Vector, gposts: Sequence[float], direction: float = 1, trunc2posts: bool = True
) -> FloatArray:
    """``(x − l)/(u − l)·s`` with ``gposts = (l, u, s)``.

    For ``direction = −1``: ``(x − u)/(l − u)·s``.  Clipped to ``[0, s]`` unless
    ``trunc2posts=False``.
    """
    if isinstance(gposts, str) or len(gposts) != 3:
        raise _bad("n_goalposts", "gposts", gposts, "(lower, upper, scale)")
    sign = _direction(direction, "n_goalposts")
    lower, upper, scale = (float(g) for g in gposts)
    norm = Goalposts(lower, upper, 0.0, scale, clip=trunc2posts)
    return _column(norm, _vector(x, "n_goalposts"), directions=[sign])


# -- imputation ---------------------------------------------------------------------------------


def _impute(x: FloatArray, statistic: str, groups: tuple[str | None, ...] | None) -> FloatArray:
    data = Dataset(
        tuple(str(i) for i in range(x.size)),
        ("x",),
        x[:, np.newaxis],
        groups={} if groups is None else {"f": groups},
    )
    step = Impute(statistic, by=None if groups is None else "f")  # type: ignore[arg-type]
    values, _ = impute(data, [step])
    out: FloatArray = values[:, 0, 0].copy()
    return out


def i_mean(x: Vector) -> FloatArray:
    """Missing values replaced by the mean of the others."""
    return _impute(_vector(x, "i_mean"), "mean", None)


def i_median(x: Vector) -> FloatArray:
    """Missing values replaced by the median of the others."""
    return _impute(_vector(x, "i_median"), "median", None)


def _groups(x: FloatArray, f: Sequence[Hashable | None], skip_f_na: bool, fn: str) -> Any:
    if isinstance(f, str) or len(f) != x.size:
        raise _bad(fn, "f", f"length {len(f)}", f"length {x.size}")
    labels = tuple(
        None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in f
    )
    if all(v is None for v in labels):
        raise _bad(fn, "f", "all NA", "at least one group")
    if not skip_f_na and any(v is None for v in labels):
        raise _bad(fn, "f", "NA", "no NA when skip_f_na = False")
    return labels


def i_mean_grp(x: Vector, f: Sequence[Hashable | None], skip_f_na: bool = True) -> FloatArray:
    """Missing values replaced by the mean of their group in *f*; units without a group stay NA."""
    v = _vector(x, "i_mean_grp")
    return _impute(v, "mean", _groups(v, f, skip_f_na, "i_mean_grp"))


def i_median_grp(x: Vector, f: Sequence[Hashable | None], skip_f_na: bool = True) -> FloatArray:
    """Missing values replaced by the median of their group in *f*; units without one stay NA."""
    v = _vector(x, "i_median_grp")
    return _impute(v, "median", _groups(v, f, skip_f_na, "i_median_grp"))


# -- aggregation --------------------------------------------------------------------------------


def _weights(w: Vector | None, n: int, function: str) -> FloatArray:
    if w is None:
        return np.ones(n)
    out = _vector(w, function, "w")
    if out.size != n:
        raise _bad(function, "w", f"length {out.size}", f"length {n}")
    if np.isnan(out).any():
        raise _bad(function, "w", "NA", "no NA")
    if (out < 0).any():
        raise _bad(function, "w", "negative", "w ≥ 0")
    return out


def _engine_mean(fn: Any, x: FloatArray, w: FloatArray) -> float:
    seen = ~np.isnan(x)
    if not seen.any():
        return math.nan
    ws = np.where(seen, w, 0.0)
    total = ws.sum()
    if total <= 0:
        return math.nan
    return float(fn(x[np.newaxis, :], (ws / total)[np.newaxis, :])[0])


def a_amean(x: Vector, w: Vector) -> float:
    """Weighted arithmetic mean of the observed values, weights renormalised over them."""
    v = _vector(x, "a_amean")
    return _engine_mean(_agg.arithmetic, v, _weights(w, v.size, "a_amean"))


def a_gmean(x: Vector, w: Vector | None = None) -> float:
    """Weighted geometric mean of the observed values; they must be positive."""
    v = _vector(x, "a_gmean")
    if (v <= 0).any():
        raise _bad("a_gmean", "x", float(v[v <= 0][0]), "x > 0 (the geometric mean takes logs)")
    return _engine_mean(_agg.geometric, v, _weights(w, v.size, "a_gmean"))


def a_hmean(x: Vector, w: Vector | None = None) -> float:
    """Weighted harmonic mean ``Σw / Σ(w/x)`` of the observed values; none may be 0."""
    v = _vector(x, "a_hmean")
    if (v == 0).any():
        raise _bad("a_hmean", "x", 0.0, "x ≠ 0 (the harmonic mean divides by x)")
    return _engine_mean(_agg.harmonic, v, _weights(w, v.size, "a_hmean"))


def a_genmean(x: Vector, w: Vector | None = None, p: float | None = None) -> float:
    """The generalised (power) mean ``(Σ w·x^p / Σ w)^{1/p}``.

    As COINr's, it is NaN when any value is missing (COINr sums without ``na.rm``);
    ``p = 0`` is refused (use :func:`a_gmean`), and so are non-positive values with
    ``p < 0``.
    """
    v = _vector(x, "a_genmean")
    ws = _weights(w, v.size, "a_genmean")
    if p is None:
        raise EngineError("build.param-missing", method="a_genmean", param="p")
    if isinstance(p, bool) or not isinstance(p, int | float) or p == 0 or not math.isfinite(p):
        raise _bad("a_genmean", "p", p, "p ≠ 0 (p = 0 is the geometric mean: a_gmean)")
    if np.isnan(v).any():
        return math.nan
    if p < 0 and (v <= 0).any():
        raise _bad("a_genmean", "x", float(v[v <= 0][0]), "x > 0 when p < 0")
    with np.errstate(invalid="ignore"):
        return float((np.sum(ws * v**p) / ws.sum()) ** (1.0 / p))


def outrankMatrix(X: Matrix, w: Vector | None = None) -> dict[str, Any]:  # noqa: N802, N803
    """COINr's outranking matrix of the units (rows of *X*, units × indicators), as COINr's list.

    ``{"OutRankMatrix": O, "nDominant": …, "fracDominant": …}``: the matrix, the
    number of its entries equal to 1 (pairs where one unit beats the other on every
    indicator) and their share of the ``n(n − 1)/2`` pairs.

    ``O[i, j]`` (``i < j``) is the weight of the indicators on which unit *i* beats
    unit *j* plus half the weight of those on which they tie, comparisons with a
    missing value counting for neither; ``O[j, i] = 1 − O[i, j]``, so a missing
    comparison counts against the unit listed first, as in COINr.  Weights are
    normalised to sum to 1 over all indicators.
    """
    out = _outrank(X, w)
    n = out.shape[0]
    dominant = int((out == 1).sum())
    pairs = n * (n - 1) / 2
    return {
        "OutRankMatrix": out,
        "nDominant": dominant,
        "fracDominant": dominant / pairs if pairs else math.nan,
    }


def _outrank(X: Matrix, w: Vector | None) -> FloatArray:  # noqa: N803
    try:
        m = np.array(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise _bad("outrankMatrix", "X", type(X).__name__, "numeric matrix") from None
    if m.ndim != 2:
        raise _bad("outrankMatrix", "X", f"shape {m.shape}", "(units, indicators)")
    ws = _weights(w, m.shape[1], "outrankMatrix")
    ws = ws / ws.sum()
    a, b = m[:, np.newaxis, :], m[np.newaxis, :, :]
    with np.errstate(invalid="ignore"):
        wins = np.where(a > b, ws, 0.0).sum(axis=2) + np.where(a == b, ws / 2, 0.0).sum(axis=2)
    upper = np.triu(wins, 1)
    out: FloatArray = upper + np.triu(1.0 - upper, 1).T * np.tri(m.shape[0], k=-1)
    np.fill_diagonal(out, 0.0)
    return out


def a_copeland(X: Matrix, w: Vector | None = None) -> FloatArray:  # noqa: N803
    """Copeland scores: row sums of :func:`outrankMatrix` mapped to +1 (> ½), −1 (< ½), 0 (= ½).

    Without missing values this is the engine's ``copeland``; with them, COINr's rule
    of :func:`outrankMatrix` applies.
    """
    o = _outrank(X, w)
    signs = np.where(o > 0.5 + _TIE, 1.0, np.where(o < 0.5 - _TIE, -1.0, 0.0))
    np.fill_diagonal(signs, 0.0)
    out: FloatArray = signs.sum(axis=1)
    return out


# -- outlier treatment ---------------------------------------------------------------------------


def skew(x: Vector, na_rm: bool = False) -> float:
    """Sample skewness (``e1071`` type 2); NaN with missing values unless *na_rm*."""
    v = _vector(x, "skew")
    return math.nan if np.isnan(v).any() and not na_rm else _skewness(v)


def kurt(x: Vector, na_rm: bool = False) -> float:
    """Sample excess kurtosis (``e1071`` type 2); NaN with missing values unless *na_rm*."""
    v = _vector(x, "kurt")
    return math.nan if np.isnan(v).any() and not na_rm else _kurtosis(v)


def check_SkewKurt(  # noqa: N802
    x: Vector, na_rm: bool = False, skew_thresh: float = 2, kurt_thresh: float = 3.5
) -> dict[str, Any]:
    """``{"Pass": …, "Skew": …, "Kurt": …}``: whether *x* is free of outliers, COINr's way.

    It passes when ``|skew| < skew_thresh`` or ``kurt < kurt_thresh``.  ``Pass`` is
    ``None`` (R's ``NA``) when it cannot be decided.
    """
    v = _vector(x, "check_SkewKurt")
    if np.isnan(v).any() and not na_rm:
        return {"Pass": None, "Skew": math.nan, "Kurt": math.nan}
    passed, sk, kt = _check(v, skew_thresh, kurt_thresh)
    return {"Pass": passed, "Skew": sk, "Kurt": kt}


def winsorise(
    x: Vector,
    na_rm: bool = False,
    winmax: int | None = 5,
    skew_thresh: float = 2,
    kurt_thresh: float = 3.5,
    force_win: bool = False,
) -> dict[str, Any]:
    """``{"x": …, "nwin": …, "treated": …}``: COINr's winsorisation (see ``engine.treat``).

    *na_rm* is accepted for COINr's signature; missing values are always skipped.
    """
    del na_rm
    values, nwin, flags = _winsorise(
        _vector(x, "winsorise"), winmax, skew_thresh, kurt_thresh, force_win
    )
    return {"x": values, "nwin": nwin, "treated": list(flags)}


def _log_result(x: Vector, kind: Any) -> dict[str, Any]:
    v = _vector(x, kind)
    if np.isnan(v).all():
        raise _bad(kind, "x", "NA only", "at least one observed value")
    label = kind
    if kind == "log_CT_plus":
        label = "log_CT" if _skewness(v) > 0 else "log_CT_neg"
    return {"x": _log(v, kind), "treated": [label] * v.size}


def log_CT(x: Vector, na_rm: bool = False) -> dict[str, Any]:  # noqa: N802
    """``{"x": log(x − min + 0.01·(max − min)), "treated": …}``."""
    del na_rm
    return _log_result(x, "log_CT")


def log_CT_plus(x: Vector, na_rm: bool = False) -> dict[str, Any]:  # noqa: N802
    """``log_CT`` when the skew is positive, else ``−log(max + 0.01·(max − min) − x)``."""
    del na_rm
    return _log_result(x, "log_CT_plus")


def log_CT_orig(x: Vector, na_rm: bool = False) -> dict[str, Any]:  # noqa: N802
    """``{"x": log(x − min + 1), "treated": …}``."""
    del na_rm
    return _log_result(x, "log_CT_orig")


def boxcox(x: Vector, lambda_: float, makepos: bool = True, na_rm: bool = False) -> FloatArray:
    """The Box–Cox transform; *lambda_* is R's ``lambda`` (a Python keyword)."""
    del na_rm
    v = _vector(x, "boxcox")
    if not makepos and (v <= 0).any():
        raise EngineError("treat.non-positive", method="boxcox", value=float(v[v <= 0][0]))
    if isinstance(lambda_, bool) or not isinstance(lambda_, int | float):
        raise _bad("boxcox", "lambda_", type(lambda_).__name__, "a number")
    return _boxcox(v, float(lambda_), makepos)
