"""Small statistics the engine's treatment, checks and weights share, written as COINr does.

No SciPy: skewness and kurtosis are COINr's (``e1071`` type 2, the sample-adjusted
moments), ranks follow R's ``rank`` (ties ``min``, ``max``, ``average``, ``first``,
``last``), and the two-sided p-value of a correlation is the one of R's
``cor.test``: Student's *t* with ``n − 2`` degrees of freedom, through the
regularised incomplete beta function.
"""

from __future__ import annotations

import math
from typing import Final, Literal, TypeAlias

import numpy as np

from kotacerdas._special import betainc
from kotacerdas.engine._util import FloatArray

Ties: TypeAlias = Literal["min", "max", "average", "first", "last"]
TIES: Final[tuple[str, ...]] = ("min", "max", "average", "first", "last")


def observed(x: FloatArray) -> FloatArray:
    """The non-missing values of a 1-D array."""
    out: FloatArray = x[~np.isnan(x)]
    return out


def _deviations(v: FloatArray) -> FloatArray | None:
    """``x − x̄`` scaled to a largest magnitude of 1 (the moments' ratios do not change)."""
    d = v - v.mean()
    top = float(np.abs(d).max())
    if top == 0 or not math.isfinite(top):
        return None
    out: FloatArray = d / top
    return out


def skewness(x: FloatArray) -> float:
    """Sample skewness of the observed values (COINr's ``skew``, ``e1071`` type 2).

    ``√n·Σd³/(Σd²)^{3/2} · √(n(n−1))/(n−2)`` with ``d = x − x̄``; NaN for fewer than
    three values or no variance.
    """
    v = observed(x)
    n = v.size
    d = _deviations(v) if n >= 3 else None
    if d is None:
        return math.nan
    s2 = float((d * d).sum())
    y: float = math.sqrt(n) * float((d**3).sum()) / s2**1.5
    return y * math.sqrt(n * (n - 1)) / (n - 2)


def kurtosis(x: FloatArray) -> float:
    """Sample excess kurtosis of the observed values (COINr's ``kurt``, ``e1071`` type 2).

    ``((n+1)(r−3)+6)(n−1)/((n−2)(n−3))`` with ``r = n·Σd⁴/(Σd²)²``; NaN for fewer than
    four values or no variance.
    """
    v = observed(x)
    n = v.size
    d = _deviations(v) if n >= 4 else None
    if d is None:
        return math.nan
    s2 = float((d * d).sum())
    r = n * float((d**4).sum()) / s2**2
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def rank(x: FloatArray, ties: Ties = "min") -> FloatArray:
    """R's ``rank(x, ties.method = ties, na.last = "keep")``: 1 = lowest, NaN stays NaN."""
    out = np.full(x.shape, np.nan)
    seen = np.flatnonzero(~np.isnan(x))
    v = x[seen]
    order = np.argsort(v, kind="stable")
    sorted_v = v[order]
    if ties == "min":
        r = np.searchsorted(sorted_v, v, side="left") + 1.0
    elif ties == "max":
        r = np.searchsorted(sorted_v, v, side="right") * 1.0
    elif ties == "average":
        r = (
            np.searchsorted(sorted_v, v, side="left") + 1.0 + np.searchsorted(sorted_v, v, "right")
        ) / 2.0
    elif ties == "first":
        r = np.empty(v.size)
        r[order] = np.arange(1, v.size + 1)
    else:  # last: ties in reverse order of appearance
        rev = np.lexsort((-np.arange(v.size), v))
        r = np.empty(v.size)
        r[rev] = np.arange(1, v.size + 1)
    out[seen] = r
    return out


def correlation_pvalue(r: float, n: int) -> float:
    """Two-sided p-value of a correlation *r* from *n* pairs (Student's *t*, ``n − 2`` df)."""
    if n < 3 or math.isnan(r):
        return math.nan
    df = n - 2
    if abs(r) >= 1:
        return 0.0
    t2 = r * r * df / (1.0 - r * r)
    return betainc(df / 2.0, 0.5, df / (df + t2))


def pearson(x: FloatArray, y: FloatArray) -> tuple[float, int]:
    """Pearson correlation over the pairs where both are observed, and the number of pairs."""
    both = ~np.isnan(x) & ~np.isnan(y)
    n = int(both.sum())
    if n < 2:
        return math.nan, n
    a = x[both] - x[both].mean()
    b = y[both] - y[both].mean()
    den = math.sqrt(float((a * a).sum()) * float((b * b).sum()))
    if den == 0:
        return math.nan, n
    return max(-1.0, min(1.0, float((a * b).sum()) / den)), n


def pearson_matrix(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Pearson correlations of every column of *x* with every column of *y*, pairwise complete.

    Both are ``(units, k)``; returns the ``(kx, ky)`` correlations and pair counts, the
    same numbers as :func:`pearson` column by column (R's ``use =
    "pairwise.complete.obs"``), with matrix products instead of a loop.
    """
    mx, my = ~np.isnan(x), ~np.isnan(y)
    fx, fy = mx.astype(np.float64), my.astype(np.float64)
    # centre each column first, for accuracy; pairwise means are corrected below
    cx = np.where(mx, x, 0.0).sum(axis=0) / np.maximum(fx.sum(axis=0), 1.0)
    cy = np.where(my, y, 0.0).sum(axis=0) / np.maximum(fy.sum(axis=0), 1.0)
    x0 = np.where(mx, x - cx, 0.0)
    y0 = np.where(my, y - cy, 0.0)
    n = fx.T @ fy
    sx, sy = x0.T @ fy, fx.T @ y0
    sxx, syy = (x0 * x0).T @ fy, fx.T @ (y0 * y0)
    sxy = x0.T @ y0
    with np.errstate(divide="ignore", invalid="ignore"):
        cov = sxy - sx * sy / n
        vx = sxx - sx * sx / n
        vy = syy - sy * sy / n
        r = cov / np.sqrt(vx * vy)
    bad = (n < 2) | ~(vx > 0) | ~(vy > 0)
    # A variance at the rounding error of the sums it comes from may be a constant
    # column among the pairs (e.g. 3, 3, 3 centred on another mean): those few pairs
    # are computed directly, as pearson() does, rather than from the cancellation.
    near = (n >= 2) & ((vx <= _CANCELLATION * sxx) | (vy <= _CANCELLATION * syy))
    r = np.where(bad, np.nan, r)
    for i, j in np.argwhere(near):
        r[i, j] = pearson(x[:, i], y[:, j])[0]
    out: FloatArray = np.clip(r, -1.0, 1.0)
    return out, n


_CANCELLATION = 1e-9  # a variance this small beside its sum of squares is rounding noise


def spearman(x: FloatArray, y: FloatArray) -> tuple[float, int]:
    """Spearman correlation (Pearson of average ranks) over the pairs where both are observed."""
    both = ~np.isnan(x) & ~np.isnan(y)
    return pearson(rank(x[both], "average"), rank(y[both], "average"))
