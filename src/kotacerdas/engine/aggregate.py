"""Aggregation: how a node combines its children's scores into its own.

Every method, built-in or yours, is a function with one contract, the
:class:`Aggregator` protocol: ``aggregator(values, weights) -> scores`` with both
arrays ``(units, children)`` for one period, NaN for missing values, and each row of
weights summing to 1 over the children the unit has.

Built-in methods, by name (the :data:`kotacerdas.model.AGGREGATIONS`):

============  =========================================================================
arithmetic    ``Σ wᵢ xᵢ`` — fully compensatory
geometric     ``Π xᵢ^wᵢ`` — partially compensatory; needs ``xᵢ > 0``
harmonic      ``1 / Σ (wᵢ / xᵢ)`` — the least compensatory mean; needs ``xᵢ > 0``
median        weighted median: the value with at most half the weight on each side
              (the midpoint of the two middle values when exactly half lies below)
minimum       the lowest child (children with weight 0 are ignored)
maximum       the highest child (children with weight 0 are ignored)
sum           ``n · Σ wᵢ xᵢ`` with *n* the number of children: the plain sum with equal
              weights, and missing children counted at the unit's weighted mean
copeland      non-compensatory outranking (COINr's ``a_copeland``), see :func:`copeland`
============  =========================================================================

>>> import numpy as np
>>> v = np.array([[1.0, 4.0], [2.0, np.nan]])
>>> w = np.array([[0.5, 0.5], [1.0, 0.0]])
>>> geometric(v, w).tolist()
[2.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final, Protocol, TypeAlias

import numpy as np

from kotacerdas.engine._util import FloatArray
from kotacerdas.model import Aggregation

__all__ = [
    "AGGREGATORS",
    "POSITIVE_ONLY",
    "AggregationSpec",
    "Aggregator",
    "arithmetic",
    "copeland",
    "geometric",
    "harmonic",
    "maximum",
    "median",
    "minimum",
    "outranking",
    "total",
]

_TIE: Final = 1e-12


class Aggregator(Protocol):
    """A function that aggregates children's scores: ``(values, weights) -> scores``.

    The contract, the same for the built-in methods and yours:

    ``values``
        ``float64`` array of shape ``(units, children)``: the children's scores of
        every unit in one period.  NaN where a child is missing for a unit.
    ``weights``
        ``float64`` array of the same shape: per unit, the node's weights of its
        children (their shares of the node, see :class:`~kotacerdas.engine.Weights`)
        with the weight of every missing child set to 0 and the rest rescaled so that
        **each row sums to 1 over the children the unit has**.  A row of zeros marks
        a unit the node does not score (no data, or less than the policy's minimum
        data availability); whatever the function returns for it is replaced by NaN.
    the scores it returns
        ``float64`` array of shape ``(units,)``; any other shape is an error
        (``aggregate.custom-output``).

    So a weighted mean is ``np.nansum(values * weights, axis=1)`` and never needs to
    renormalise, and a method that compares units (like Copeland) sees every unit of
    the period at once.  The function is called once per period.
    """

    def __call__(self, values: FloatArray, weights: FloatArray, /) -> FloatArray:
        """Scores ``(units,)`` from *values* and *weights*, both ``(units, children)``."""
        ...


AggregationSpec: TypeAlias = Aggregation | Aggregator
"""A built-in method by name, or an :class:`Aggregator` of your own."""


def _used(weights: FloatArray) -> np.ndarray[tuple[int, ...], np.dtype[np.bool_]]:
    return weights > 0


def arithmetic(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted arithmetic mean ``Σ wᵢ xᵢ``."""
    out: FloatArray = np.where(_used(weights), values * weights, 0.0).sum(axis=1)
    return out


def geometric(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted geometric mean ``exp(Σ wᵢ log xᵢ)``; the inputs must be positive."""
    used = _used(weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.where(used, values, 1.0))
    out: FloatArray = np.exp((logs * weights).sum(axis=1))
    return out


def harmonic(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted harmonic mean ``1 / Σ (wᵢ / xᵢ)``; the inputs must be positive."""
    used = _used(weights)
    with np.errstate(divide="ignore", invalid="ignore"):
        out: FloatArray = 1.0 / np.where(used, weights / np.where(used, values, 1.0), 0.0).sum(
            axis=1
        )
    return out


def median(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted median: the first value (in order) at which the cumulative weight reaches ½.

    When the cumulative weight is exactly ½ there, the result is the midpoint of that
    value and the next, so equal weights give the ordinary median.
    """
    used = _used(weights)
    keyed = np.where(used, values, np.inf)
    order = np.argsort(keyed, axis=1, kind="stable")
    v = np.take_along_axis(keyed, order, axis=1)
    cum = np.cumsum(np.take_along_axis(np.where(used, weights, 0.0), order, axis=1), axis=1)
    j = np.argmax(cum >= 0.5 - _TIE, axis=1)
    rows = np.arange(values.shape[0])
    lo = v[rows, j]
    hi = v[rows, np.minimum(j + 1, values.shape[1] - 1)]
    half = np.abs(cum[rows, j] - 0.5) <= _TIE
    out = np.where(half & np.isfinite(hi), (lo + hi) / 2.0, lo)
    return np.where(np.isfinite(out), out, np.nan)


def minimum(values: FloatArray, weights: FloatArray) -> FloatArray:
    """The lowest child with a positive weight."""
    out = np.where(_used(weights), values, np.inf).min(axis=1)
    return np.where(np.isfinite(out), out, np.nan)


def maximum(values: FloatArray, weights: FloatArray) -> FloatArray:
    """The highest child with a positive weight."""
    out = np.where(_used(weights), values, -np.inf).max(axis=1)
    return np.where(np.isfinite(out), out, np.nan)


def total(values: FloatArray, weights: FloatArray) -> FloatArray:
    """``n · Σ wᵢ xᵢ`` for *n* children: the plain sum when weights are equal."""
    out: FloatArray = values.shape[1] * arithmetic(values, weights)
    return out


def outranking(values: FloatArray, weights: FloatArray) -> FloatArray:
    """The outranking matrix ``O`` of the units (``units × units``).

    ``O[p, q]`` is the weight of the children on which unit *p* beats unit *q*, plus
    half the weight of those on which they tie, counting only children that both
    units have and renormalising their weights to sum to 1; so ``O[p, q] + O[q, p] =
    1`` for every pair with a child in common, and ``O[p, q] = ½`` for a pair with
    none.  The diagonal is 0.  COINr counts a comparison with a missing value as a
    loss for the first unit of the pair (so its result depends on the order of the
    units); this renormalisation does not.
    """
    used = _used(weights)
    n = values.shape[0]
    wins = np.zeros((n, n))
    common = np.zeros((n, n))
    for i in range(values.shape[1]):
        col = values[:, i]
        has = used[:, i]
        if not has.any():
            continue
        both = has[:, np.newaxis] & has[np.newaxis, :]
        w = np.where(both, weights[:, i][:, np.newaxis], 0.0)
        beats = col[:, np.newaxis] > col[np.newaxis, :]
        ties = col[:, np.newaxis] == col[np.newaxis, :]
        wins += np.where(beats, w, 0.0) + np.where(ties, 0.5 * w, 0.0)
        common += w
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(common > 0, wins / common, 0.5)
    np.fill_diagonal(out, 0.0)
    return out


def copeland(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Copeland scores (COINr's ``a_copeland``): row sums of the transformed outranking matrix.

    Each entry of :func:`outranking` above ½ counts +1, below ½ counts −1, exactly ½
    (within 1e-12) counts 0; the diagonal is 0.  Scores lie in ``[−(n−1), n−1]`` for
    *n* scored units; they rank units without letting a strength on one child make up
    for a weakness on another.
    """
    o = outranking(values, weights)
    signs = np.where(o > 0.5 + _TIE, 1.0, np.where(o < 0.5 - _TIE, -1.0, 0.0))
    np.fill_diagonal(signs, 0.0)
    scored = _used(weights).any(axis=1)
    signs[~scored, :] = 0.0
    signs[:, ~scored] = 0.0
    out: FloatArray = signs.sum(axis=1)
    return out


AGGREGATORS: Final[Mapping[Aggregation, Callable[[FloatArray, FloatArray], FloatArray]]] = {
    "arithmetic": arithmetic,
    "geometric": geometric,
    "harmonic": harmonic,
    "median": median,
    "minimum": minimum,
    "maximum": maximum,
    "sum": total,
    "copeland": copeland,
}
"""The built-in aggregation methods by name."""

POSITIVE_ONLY: Final[frozenset[str]] = frozenset({"geometric", "harmonic"})
"""Methods whose inputs must be positive; the engine checks before it aggregates."""

ROW_WISE: Final[frozenset[str]] = frozenset(AGGREGATORS) - {"copeland"}
"""Built-in methods that score each unit on its own (all but Copeland)."""
