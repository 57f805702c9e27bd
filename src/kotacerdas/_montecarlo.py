"""Machinery of the uncertainty and sensitivity analyses: seeds, the batched model, ranks.

The model is one composite-index build evaluated for many samples at once.  The
normalised indicators of every distinct alternative (normalisation, missing-data
policy) are computed once by the engine; what varies per sample — weights, the
aggregation method of a node, the alternative in use — is an array with a sample
axis, and every aggregate is computed for all samples of a chunk in one array
operation.  Nothing here loops over samples in Python, except for aggregation
methods that compare units (Copeland, your own functions), which see one sample at
a time as the engine's contract says.

Random draws come in fixed blocks of :data:`BLOCK` samples, block *b* of stream *s*
drawn from ``SeedSequence(entropy, spawn_key=(s, b))``, so a run gives the same
numbers whatever its chunk size.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final

import attrs
import numpy as np

from kotacerdas.engine._util import (
    FloatArray,
    IntArray,
    no_overflow,
    number,
    refuse_infinite,
    where,
)
from kotacerdas.engine.aggregate import AGGREGATORS, ROW_WISE, AggregationSpec
from kotacerdas.errors import EngineError

__all__ = [
    "BLOCK",
    "Draws",
    "Model",
    "Step",
    "block_rng",
    "chunks",
    "entropy_of",
    "progress_bar",
    "quantiles",
    "rank_columns",
]

BLOCK: Final = 256
"""Samples per block of random draws: the unit of reproducibility across chunk sizes."""

_AVAILABILITY_TOL: Final = 1e-12
_MEANS: Final = frozenset({"arithmetic", "geometric"})
_PRODUCT_SIZE: Final = 1 << 17  # multiply-adds of one matrix product: BLAS stays single-threaded


def entropy_of(seed: object) -> int:
    """The entropy a run records: *seed* as given, drawn from a Generator, or fresh."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63))
    if isinstance(seed, np.random.SeedSequence):
        entropy = seed.entropy
        if isinstance(entropy, int):
            return entropy
        raise EngineError(
            "build.param-value",
            method="seed",
            param="entropy",
            value=entropy,
            expected="an integer entropy",
        )
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)
        return entropy
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise EngineError(
            "build.param-value",
            method="seed",
            param="seed",
            value=seed,
            expected="int ≥ 0 | numpy.random.Generator | None",
        )
    return int(seed)


def block_rng(entropy: int, stream: int, block: int) -> np.random.Generator:
    """The generator of *block* in *stream*: a child seed of the run's entropy."""
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(stream, block)))
    )


# -- per-sample choices -----------------------------------------------------------------------


@attrs.define
class Draws:
    """Per-sample choices of a chunk of *n* samples; ``None`` means the nominal choice.

    Attributes:
        n: Number of samples.
        weights: ``(n, nodes)`` raw weight of every node in its parent (renormalised
            over the present children when aggregating), or ``None``.
        leaf_alt: ``(n,)`` index of the missing-data alternative, or ``None``.
        leaf_opt: ``(n, indicators)`` index of each indicator's normalisation option.
        methods: Per aggregate step, ``(n,)`` index into its method options.
    """

    n: int
    weights: FloatArray | None = None
    leaf_alt: IntArray | None = None
    leaf_opt: IntArray | None = None
    methods: dict[int, IntArray] = attrs.Factory(dict)


@attrs.frozen(eq=False)
class Step:
    """One aggregate: its position, its children's positions, its method options."""

    code: str
    row: int
    kids: IntArray
    options: tuple[AggregationSpec, ...]


@attrs.frozen(eq=False)
class Model:
    """A build laid out for batched evaluation over samples.

    Attributes:
        codes: Node codes: the indicators first, then the aggregates level by level
            (the columns of :attr:`kotacerdas.engine.CompositeResult.values`).
        n_leaves: How many of *codes* are indicators.
        units: Unit codes (rows).
        period: The period analysed.
        table: ``(alternatives, options, units, indicators)``: the normalised
            indicators of every missing-data alternative and normalisation option.
        thresholds: ``(alternatives,)``: each alternative's minimum data availability.
        weights: ``(nodes,)``: the nominal share of every node in its parent (1 for roots).
        steps: The aggregates, children before parents.
        target: The position of the node whose scores are ranked.
    """

    codes: tuple[str, ...]
    n_leaves: int
    units: tuple[str, ...]
    period: object
    table: FloatArray
    thresholds: FloatArray
    weights: FloatArray
    steps: tuple[Step, ...]
    target: int

    def evaluate(self, draws: Draws) -> FloatArray:
        """The target's scores ``(units, n)`` of every sample in *draws*."""
        n = draws.n
        values: list[FloatArray] = [np.empty(0)] * len(self.codes)
        self._leaves(draws, values)
        w = draws.weights if draws.weights is not None else self.weights[np.newaxis, :]
        thr: FloatArray | None = None
        if self.thresholds.any():
            thr = (
                self.thresholds[draws.leaf_alt]
                if draws.leaf_alt is not None
                else np.full(1, self.thresholds[0])
            )
        for i, step in enumerate(self.steps):
            with no_overflow(step.code):  # as the engine: a refusal, never an infinity
                y = self._step(i, step, draws, values, w, thr)
            refuse_infinite(y, step.code)
            values[step.row] = y
        out = values[self.target]
        return np.broadcast_to(out, (len(self.units), n)) if out.shape[1] != n else out

    def _step(
        self,
        i: int,
        step: Step,
        draws: Draws,
        values: list[FloatArray],
        w: FloatArray,
        thr: FloatArray | None,
    ) -> FloatArray:
        xs = [values[int(k)] for k in step.kids]
        wk = w[:, step.kids]
        choice = draws.methods.get(i)
        if choice is None or len(step.options) == 1:
            return self._aggregate(step, step.options[0], xs, wk, thr)
        y = np.empty((len(self.units), draws.n))
        for o, method in enumerate(step.options):
            cols = np.flatnonzero(choice == o)
            if not cols.size:
                continue
            sub = [x if x.shape[1] == 1 else x[:, cols] for x in xs]
            sub_w = wk if wk.shape[0] == 1 else wk[cols]
            sub_t = thr if thr is None or thr.size == 1 else thr[cols]
            y[:, cols] = self._aggregate(step, method, sub, sub_w, sub_t)
        return y

    def _leaves(self, draws: Draws, values: list[FloatArray]) -> None:
        alts, opts = self.table.shape[:2]
        if (alts == 1 or draws.leaf_alt is None) and (opts == 1 or draws.leaf_opt is None):
            for j in range(self.n_leaves):
                values[j] = self.table[0, 0, :, j : j + 1]
            return
        n = draws.n
        alt = draws.leaf_alt if draws.leaf_alt is not None else np.zeros(n, dtype=np.intp)
        opt = (
            draws.leaf_opt
            if draws.leaf_opt is not None
            else np.zeros((n, self.n_leaves), dtype=np.intp)
        )
        for j in range(self.n_leaves):
            values[j] = self.table[alt, opt[:, j], :, j].T  # (units, n)

    def _aggregate(
        self,
        step: Step,
        method: AggregationSpec,
        xs: list[FloatArray],
        w: FloatArray,
        thr: FloatArray | None,
    ) -> FloatArray:
        """One aggregate for a set of samples: *xs* ``(units, n|1)`` per child, *w* ``(n|1, k)``."""
        k = len(xs)
        if method in _MEANS:
            if all(x.shape[1] == 1 for x in xs):
                return self._fixed_children(step, method, np.hstack(xs), w, thr)
            return self._varying_children(step, method, xs, w, thr)
        x = np.stack(np.broadcast_arrays(*xs)) if k > 1 else xs[0][np.newaxis]  # (k, U, c)
        wk = w.T[:, np.newaxis, :]  # (k, 1, n|1)
        present = ~np.isnan(x)
        with np.errstate(divide="ignore", invalid="ignore"):
            total = (present * wk).sum(axis=0)
            scored = total > 0
            if thr is not None:
                count = present.sum(axis=0)
                scored = scored & (count >= k * (thr - _AVAILABILITY_TOL))
            if method == "harmonic":
                used = present & (wk > 0)
                self._require_positive(step, method, x, used)
                y = total / np.where(used, wk / np.where(used, x, 1.0), 0.0).sum(axis=0)
            else:
                y = self._general(step, method, x, present, wk, total, scored)
        return np.where(scored, y, np.nan)

    def _varying_children(
        self,
        step: Step,
        method: str,
        xs: list[FloatArray],
        w: FloatArray,
        thr: FloatArray | None,
    ) -> FloatArray:
        """An arithmetic or geometric mean of children that vary by sample, child by child.

        Elementwise sums round the same whatever the number of samples.
        """
        u = xs[0].shape[0]
        c = max(max(x.shape[1] for x in xs), w.shape[0])
        complete = not any(np.isnan(x).any() for x in xs)
        y = np.zeros((u, c))
        tmp = np.empty((u, c))
        total = np.zeros((1, c)) if complete else np.zeros((u, c))
        count = np.zeros((u, 1 if complete else c))
        with np.errstate(divide="ignore", invalid="ignore"):
            for j, x in enumerate(xs):
                wj = w[:, j]
                if method == "geometric":
                    used = ~np.isnan(x) & (wj > 0)
                    self._require_positive(step, method, x[np.newaxis], used[np.newaxis])
                    x = np.log(np.where(used, x, 1.0))
                if complete:
                    np.multiply(x, wj, out=tmp)
                    total += wj
                else:
                    present = ~np.isnan(x)
                    np.multiply(np.where(present, x, 0.0), wj, out=tmp)
                    total += present * wj
                    count += present
                y += tmp
            y /= total
            if method == "geometric":
                np.exp(y, out=y)
            scored = total > 0
            if thr is not None:
                n_kids = len(xs)
                have = count if not complete else np.full((u, 1), float(n_kids))
                scored = scored & (have >= n_kids * (thr - _AVAILABILITY_TOL))
        out: FloatArray = np.where(scored, y, np.nan)
        return out

    def _fixed_children(
        self, step: Step, method: str, x: FloatArray, w: FloatArray, thr: FloatArray | None
    ) -> FloatArray:
        """An arithmetic or geometric mean of children that do not vary by sample.

        *x* is ``(units, k)``, the weights ``(n, k)``: a matrix product, taken over
        blocks of samples whose width depends only on the shape of *x* and divides
        :data:`BLOCK`, so that its rounding (which may depend on the shapes) is the
        same whatever the chunk size.  The blocks are small enough for BLAS to stay on
        one thread, which is faster for such thin products and spares shared machines.
        """
        present = ~np.isnan(x)
        if method == "geometric":
            used = present & (w > 0).any(axis=0)
            self._require_positive(step, method, x.T[:, :, np.newaxis], used.T[:, :, np.newaxis])
        with np.errstate(divide="ignore", invalid="ignore"):
            if method == "geometric":
                x = np.log(np.where(present, x, 1.0))
            filled = np.where(present, x, 0.0)
            complete = bool(present.all())
            mask = present.astype(np.float64)
            n = w.shape[0]
            y = np.empty((x.shape[0], n))
            total = np.empty((1, n)) if complete else np.empty((x.shape[0], n))
            width = BLOCK
            while width > 8 and x.size * width > _PRODUCT_SIZE:
                width //= 2
            for b in range(0, n, width):
                part = w[b : b + width].T
                y[:, b : b + width] = filled @ part  # (an `out=` view would bypass BLAS)
                if complete:
                    total[:, b : b + width] = part.sum(axis=0)
                else:
                    total[:, b : b + width] = mask @ part
            y /= total
            if method == "geometric":
                np.exp(y, out=y)
            scored = total > 0
            if thr is not None:
                count = present.sum(axis=1, keepdims=True)
                scored = scored & (count >= x.shape[1] * (thr - _AVAILABILITY_TOL))
        out: FloatArray = np.where(scored, y, np.nan)
        return out

    def _general(
        self,
        step: Step,
        method: AggregationSpec,
        x: FloatArray,
        present: Any,
        wk: FloatArray,
        total: FloatArray,
        scored: Any,
    ) -> FloatArray:
        k, u = x.shape[:2]
        c = max(x.shape[2], wk.shape[2], total.shape[1])
        x = np.broadcast_to(x, (k, u, c))
        shares = np.where(present & scored, wk, 0.0) / np.where(scored, total, 1.0)
        shares = np.broadcast_to(shares, (k, u, c))
        if isinstance(method, str) and method in ROW_WISE:
            rows = AGGREGATORS[method](
                np.ascontiguousarray(x.transpose(1, 2, 0)).reshape(-1, k),
                np.ascontiguousarray(shares.transpose(1, 2, 0)).reshape(-1, k),
            )
            return np.asarray(rows, dtype=np.float64).reshape(u, c)
        func = AGGREGATORS[method] if isinstance(method, str) else method
        out = np.empty((u, c))
        for s in range(c):  # methods that compare units see one sample at a time
            got = np.asarray(
                func(np.ascontiguousarray(x[:, :, s].T), np.ascontiguousarray(shares[:, :, s].T)),
                dtype=np.float64,
            )
            if got.shape != (u,):
                raise EngineError(
                    "aggregate.custom-output", node=step.code, got=got.shape, expected=(u,)
                )
            out[:, s] = got
        return out

    def _require_positive(self, step: Step, method: str, x: FloatArray, used: Any) -> None:
        bad = used & (x <= 0)
        if bad.any():
            c, u, _ = (int(i) for i in np.argwhere(bad)[0])
            raise EngineError(
                "uncertainty.non-positive",
                method=method,
                node=step.code,
                child=self.codes[int(step.kids[c])],
                value=number(float(x[c, u, 0] if x.shape[2] == 1 else x[bad][0])),
                unit=where(self.units[u], self.period),  # type: ignore[arg-type]
            )


# -- ranks ------------------------------------------------------------------------------------


def rank_columns(scores: FloatArray) -> FloatArray:
    """Rank the units ``(units, n)`` in every column: 1 = highest, ties share the best rank.

    The same ranks as :meth:`kotacerdas.engine.CompositeResult.rank`; missing scores
    have no rank (NaN).
    """
    u = scores.shape[0]
    neg = -scores
    order = np.argsort(neg, axis=0, kind="stable")  # NaN sorts last
    ordered = np.take_along_axis(neg, order, axis=0)
    position = np.arange(u, dtype=np.float64)[:, np.newaxis]
    new = np.ones(ordered.shape, dtype=bool)
    new[1:] = ordered[1:] != ordered[:-1]
    first = np.maximum.accumulate(np.where(new, position, 0.0), axis=0) + 1.0
    ranks = np.empty(scores.shape)
    np.put_along_axis(ranks, order, first, axis=0)
    ranks[np.isnan(scores)] = np.nan
    return ranks


# -- chunks and progress ---------------------------------------------------------------------


def chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    """``(start, stop)`` of consecutive chunks of at most *size* samples."""
    for start in range(0, total, size):
        yield start, min(total, start + size)


def progress_bar(show: bool, total: int, desc: str) -> Callable[[int], None]:
    """An ``update(n)`` function: a tqdm bar on standard error when *show*, else a no-op.

    The bar honours ``TQDM_DISABLE`` and tqdm's other environment settings.
    """
    if not show or os.environ.get("TQDM_DISABLE", "").strip().lower() in {"1", "true", "yes"}:
        return _no_progress
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise EngineError("uncertainty.progress") from None
    bar = tqdm(total=total, desc=desc, unit="sample", file=sys.stderr, leave=False)

    def update(n: int) -> None:
        bar.update(n)
        if bar.n >= total:
            bar.close()

    return update


def _no_progress(n: int) -> None:
    del n


def quantiles(a: FloatArray, qs: Sequence[float]) -> FloatArray:
    """Quantiles along the sample axis, ignoring NaN (R's type 7, COINr's default)."""
    if not np.isnan(a).any():
        return np.quantile(a, qs, axis=1)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanquantile(a, qs, axis=1)
