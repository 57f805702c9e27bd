"""Sensitivity analysis: which uncertain choice moves a ranking most (Sobol indices).

Where :mod:`kotacerdas.uncertainty` says *how much* a ranking could move,
:func:`analyse` says *which assumption* moves it: the first-order Sobol index
``S_i`` of an assumption is the share of the output's variance it causes on its own,
the total index ``S_Ti`` the share it causes including its interactions with the
others (``S_Ti − S_i``).  The output is the mean absolute rank shift from the nominal
ranking (COINr's choice) or one unit's rank or score.

The design is Saltelli's: two independent sample matrices *A* and *B* of the
assumptions and, for each assumption *i*, *A* with assumption *i* taken from *B* —
``N(d + 2)`` builds for *d* assumptions.  Each assumption is one factor however many
numbers it draws (a weight-noise assumption draws one per weight): the indices are
those of groups of inputs.  The estimators (Saltelli et al. 2010, Jansen 1999) are

* first order: ``S_i = mean(f(B) · (f(A_B^i) − f(A))) / V``
* total: ``S_Ti = mean((f(A) − f(A_B^i))²) / (2V)``

with ``V`` the variance of ``f(A) ∪ f(B)``, outputs centred on their mean first (as
SALib does: the first-order estimator is not shift-invariant, and centring lowers its
variance), and bootstrap percentile intervals.
:func:`estimate` applies them to any model's outputs:

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> a, b = rng.random((2, 20000, 2))
>>> f = lambda x: x[:, 0] + 2 * x[:, 1]  # analytic S = (1/5, 4/5)
>>> y_ab = np.stack([f(np.where(np.arange(2) == i, b, a)) for i in range(2)])
>>> s = estimate(f(a), f(b), y_ab, seed=0)
>>> np.round(s.first, 1).tolist(), np.round(s.total, 1).tolist()
([0.2, 0.8], [0.2, 0.8])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np

import kotacerdas
from kotacerdas import _montecarlo as mc
from kotacerdas.engine import Build, Dataset
from kotacerdas.engine._util import FloatArray, Period, listing
from kotacerdas.engine.build import ResolvedBuild
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework
from kotacerdas.uncertainty import Assumption, Plan, Seed, official_model, plan

__all__ = ["Output", "SensitivityResult", "SobolIndices", "analyse", "estimate", "official"]

Output: TypeAlias = Literal["rank_shift", "rank", "score"]
"""What the indices explain: the mean absolute rank shift from nominal over all units,
or one unit's rank or score."""

_BOOT_BATCH = 64


def _readonly(a: FloatArray) -> FloatArray:
    a.flags.writeable = False
    return a


@attrs.frozen(eq=False)
class SobolIndices:
    """First-order and total Sobol indices with bootstrap confidence intervals.

    Arrays are ``(d,)`` (intervals ``(d, 2)``) for *d* factors.  Indices are NaN when
    the output does not vary at all.

    Attributes:
        first: First-order indices ``S_i``.
        total: Total indices ``S_Ti``.
        first_ci: Confidence interval of each ``S_i``.
        total_ci: Confidence interval of each ``S_Ti``.
        variance: The variance of the output.
        confidence: The level of the intervals (e.g. 0.95).
    """

    first: FloatArray = attrs.field(converter=_readonly)
    total: FloatArray = attrs.field(converter=_readonly)
    first_ci: FloatArray = attrs.field(converter=_readonly)
    total_ci: FloatArray = attrs.field(converter=_readonly)
    variance: float
    confidence: float


def _indices(y_a: FloatArray, y_b: FloatArray, y_ab: FloatArray) -> tuple[FloatArray, FloatArray]:
    """``S_i`` and ``S_Ti`` for outputs along the last axis (batch axes allowed)."""
    v = np.var(np.concatenate([y_a, y_b], axis=-1), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(v > 0, v, np.nan)
        first = np.mean(y_b * (y_ab - y_a), axis=-1) / v
        total = 0.5 * np.mean((y_a - y_ab) ** 2, axis=-1) / v
    return first, total


def estimate(
    y_a: Any,
    y_b: Any,
    y_ab: Any,
    *,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    seed: Seed = None,
) -> SobolIndices:
    """Sobol indices from the outputs of a Saltelli design.

    Args:
        y_a: ``(N,)`` outputs of the rows of *A*.
        y_b: ``(N,)`` outputs of the rows of *B*.
        y_ab: ``(d, N)``: row *i* the outputs of *A* with factor *i* from *B*.
        bootstrap: Bootstrap resamples for the intervals (0: no intervals, NaN).
        confidence: Level of the percentile intervals.
        seed: Seed of the bootstrap.
    """
    try:
        a = np.asarray(y_a, dtype=np.float64)
        b = np.asarray(y_b, dtype=np.float64)
        ab = np.asarray(y_ab, dtype=np.float64)
    except (TypeError, ValueError):
        raise EngineError(
            "build.param-value",
            method="estimate",
            param="y_a, y_b, y_ab",
            value="not numbers",
            expected="numeric arrays",
        ) from None
    n = a.shape[0] if a.ndim == 1 else 0
    if a.ndim != 1 or b.shape != a.shape or ab.ndim != 2 or ab.shape[1] != n or n < 2:
        raise EngineError(
            "build.param-value",
            method="estimate",
            param="shapes",
            value=(a.shape, b.shape, ab.shape),
            expected="(N,), (N,), (d, N) with N ≥ 2",
        )
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise EngineError(
            "build.param-value",
            method="estimate",
            param="bootstrap",
            value=bootstrap,
            expected="int ≥ 0",
        )
    if not isinstance(confidence, float | int) or not 0 < confidence < 1:
        raise EngineError(
            "build.param-value",
            method="estimate",
            param="confidence",
            value=confidence,
            expected="0 < confidence < 1",
        )
    centre = np.mean(np.concatenate([a, b, ab.ravel()]))
    a, b, ab = a - centre, b - centre, ab - centre  # less variance in S_i; S_Ti unchanged
    first, total = _indices(a, b, ab)
    d = ab.shape[0]
    first_ci = np.full((d, 2), np.nan)
    total_ci = np.full((d, 2), np.nan)
    if bootstrap:
        rng = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(mc.entropy_of(seed), spawn_key=(2,)))
        )
        boot_first = np.empty((bootstrap, d))
        boot_total = np.empty((bootstrap, d))
        for start in range(0, bootstrap, _BOOT_BATCH):
            stop = min(bootstrap, start + _BOOT_BATCH)
            idx = rng.integers(0, n, size=(stop - start, n))
            f, t = _indices(a[idx], b[idx], ab[:, idx])  # (d, batch)
            boot_first[start:stop] = f.T
            boot_total[start:stop] = t.T
        tail = (1 - confidence) / 2
        if np.isfinite(first).all():
            first_ci = np.quantile(boot_first, (tail, 1 - tail), axis=0).T
            total_ci = np.quantile(boot_total, (tail, 1 - tail), axis=0).T
    variance = float(np.var(np.concatenate([a, b])))
    return SobolIndices(first, total, first_ci, total_ci, variance, float(confidence))


@attrs.frozen(eq=False)
class SensitivityResult:
    """Sobol indices of every assumption on one output of a composite index.

    Attributes:
        framework: The framework's ``ID@EDITION``.
        node: The node whose scores are ranked.
        period: The period analysed.
        output: What the indices explain (:data:`Output`).
        unit: The unit, for the ``rank`` and ``score`` outputs.
        unit_name: Its display name, where known.
        assumptions: The assumptions as resolved (plain data), in factor order.
        indices: The Sobol indices, one per assumption.
        samples: *N*, the rows of each of *A* and *B*.
        runs: The builds computed, ``N(d + 2)``.
        mean: The mean of the output over *A* and *B*.
        build: The nominal build as resolved.
        seed: The entropy of the run's :class:`numpy.random.SeedSequence`.
        version: The kotacerdas version that computed it.
    """

    framework: str
    node: str
    period: Period
    output: Output
    unit: str | None
    unit_name: str | None
    assumptions: tuple[Mapping[str, Any], ...] = attrs.field(repr=False)
    indices: SobolIndices = attrs.field(repr=False)
    samples: int
    runs: int
    mean: float
    build: ResolvedBuild = attrs.field(repr=False)
    seed: int
    version: str

    @property
    def names(self) -> tuple[str, ...]:
        """The assumptions' names, in factor order."""
        return tuple(str(a["name"]) for a in self.assumptions)

    def to_rows(self) -> list[dict[str, object]]:
        """One row per assumption: its indices, their intervals and its interactions."""
        s = self.indices
        rows: list[dict[str, object]] = []
        for i, name in enumerate(self.names):
            rows.append(
                {
                    "assumption": name,
                    "first": _clean(s.first[i]),
                    "first_low": _clean(s.first_ci[i, 0]),
                    "first_high": _clean(s.first_ci[i, 1]),
                    "total": _clean(s.total[i]),
                    "total_low": _clean(s.total_ci[i, 0]),
                    "total_high": _clean(s.total_ci[i, 1]),
                    "interactions": _clean(s.total[i] - s.first[i]),
                }
            )
        return rows

    def to_frame(self, backend: Any = None, *, like: Any = None) -> Any:
        """:meth:`to_rows` as a frame of *backend* (``"pandas"``, ``"polars"``) or like *like*."""
        from kotacerdas._frames import frame

        rows = self.to_rows()
        return frame({k: [r[k] for r in rows] for k in rows[0]}, backend, like)

    def record(self) -> dict[str, Any]:
        """How the result was made: output, samples, runs, seed, version, assumptions."""
        return {
            "framework": self.framework,
            "node": self.node,
            "period": self.period,
            "output": self.output,
            "unit": self.unit,
            "unit_name": self.unit_name,
            "samples": self.samples,
            "runs": self.runs,
            "confidence": self.indices.confidence,
            "variance": _clean(self.indices.variance),
            "mean": _clean(self.mean),
            "seed": self.seed,
            "version": self.version,
            "assumptions": [dict(a) for a in self.assumptions],
        }

    def to_json(self) -> dict[str, Any]:
        """The record and the indices per assumption, as JSON-ready data."""
        return {**self.record(), "indices": self.to_rows()}


def _clean(value: float) -> float | None:
    v = float(value)
    return None if math.isnan(v) else round(v, 6) + 0.0


def analyse(
    framework: Framework,
    data: Dataset,
    assumptions: Sequence[Assumption],
    build: Build | None = None,
    *,
    samples: int = 1000,
    output: Output = "rank_shift",
    unit: str | None = None,
    seed: Seed = None,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    node: str | None = None,
    period: Period = None,
    chunk_size: int | None = None,
    progress: bool = False,
) -> SensitivityResult:
    """Sobol indices of each of *assumptions* on *output*, from ``samples·(d + 2)`` builds.

    Args:
        framework: The framework whose tree the build computes.
        data: The indicator data.
        assumptions: The factors: what varies, and how (:mod:`kotacerdas.uncertainty`).
        build: The nominal build (default :class:`~kotacerdas.engine.Build` ``()``).
        samples: *N*, the rows of each of the matrices *A* and *B*.
        seed: The seed; recorded in the result.
        node: The node to rank by (default: the root of the build's tree).
        period: The period to analyse (default: the latest).
        chunk_size: Samples computed at once, rounded up to whole blocks of 256; the
            result does not depend on it.
        progress: Show a progress bar on standard error (needs ``tqdm``).
        output: ``"rank_shift"`` (default): the mean absolute rank shift from the
            nominal ranking; ``"rank"`` or ``"score"``: *unit*'s rank or score.
        unit: The unit (its code) for the ``rank`` and ``score`` outputs.
        bootstrap: Bootstrap resamples for the confidence intervals.
        confidence: Level of the intervals (default 0.95).

    Raises:
        EngineError: no assumption, an unknown output or unit, or an assumption that
            does not fit the build (see :func:`kotacerdas.uncertainty.analyse`).
    """
    _check(assumptions, output, samples)
    entropy = mc.entropy_of(seed)
    the_plan = plan(framework, data, assumptions, build, node=node, period=period)
    nominal_ranks = the_plan.nominal.rank(the_plan.node, the_plan.period)
    return _sobol(
        the_plan, nominal_ranks, framework.ref, samples, output, unit, entropy, bootstrap,
        confidence, chunk_size, progress,
    )  # fmt: skip


def official(
    data: Any,
    framework: Framework | str | None = None,
    assumptions: Sequence[Assumption] | None = None,
    *,
    year: int | None = None,
    samples: int = 1000,
    output: Output = "rank_shift",
    unit: str | None = None,
    seed: Seed = None,
    bootstrap: int = 1000,
    confidence: float = 0.95,
    chunk_size: int | None = None,
    progress: bool = False,
) -> SensitivityResult:
    """Sobol indices of each assumption on an official GM100SC or SPBE ranking.

    The index is recomputed from its direct inputs as in
    :func:`kotacerdas.uncertainty.official` (whose arguments these are; by default the
    provenance preset), and the rank shift is measured from the ranks of the *exact*
    official index.  See :func:`analyse` for *output*, *unit*, *bootstrap* and
    *confidence*.
    """
    model = official_model(data, framework, assumptions, year=year)
    _check(model.assumptions, output, samples)
    entropy = mc.entropy_of(seed)
    the_plan = plan(model.index, model.data, model.assumptions, model.build)
    result = _sobol(
        the_plan, model.exact_ranks(), model.framework.ref, samples, output, unit, entropy,
        bootstrap, confidence, chunk_size, progress,
    )  # fmt: skip
    return attrs.evolve(result, period=model.year)


def _check(assumptions: Sequence[object], output: str, samples: object) -> None:
    if not assumptions:
        raise EngineError("sensitivity.no-assumption")
    if output not in ("rank_shift", "rank", "score"):
        raise EngineError(
            "build.param-value",
            method="sensitivity",
            param="output",
            value=output,
            expected="rank_shift | rank | score",
        )
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise EngineError(
            "build.param-value",
            method="sensitivity",
            param="samples",
            value=samples,
            expected="int ≥ 2",
        )


def _sobol(
    the_plan: Plan,
    nominal_ranks: FloatArray,
    framework_ref: str,
    samples: int,
    output: Output,
    unit: str | None,
    entropy: int,
    bootstrap: int,
    confidence: float,
    chunk_size: int | None,
    progress: bool,
) -> SensitivityResult:
    units = the_plan.model.units
    row = None
    if output != "rank_shift":
        if unit is None or unit not in units:
            raise EngineError("sensitivity.unit-unknown", unit=unit, available=listing(units))
        row = units.index(unit)
    elif unit is not None:
        raise EngineError(
            "build.param-value",
            method="sensitivity",
            param="unit",
            value=unit,
            expected="output = rank | score",
        )

    def measure(scores: FloatArray) -> FloatArray:
        if output == "score":
            return scores[row]
        ranks = mc.rank_columns(scores)
        if output == "rank":
            return ranks[row]
        shift = np.abs(ranks - nominal_ranks[:, np.newaxis])
        out: FloatArray = np.nanmean(shift, axis=0) if np.isnan(shift).any() else shift.mean(0)
        return out

    d = len(the_plan.bounds)
    size = the_plan.chunk_size(chunk_size)
    y_a = np.empty(samples)
    y_b = np.empty(samples)
    y_ab = np.empty((d, samples))
    update = mc.progress_bar(progress, samples * (d + 2), "sensitivity")
    for start, stop in mc.chunks(samples, size):
        a = the_plan.draw(entropy, 0, start, stop)
        b = the_plan.draw(entropy, 1, start, stop)
        y_a[start:stop] = measure(the_plan.evaluate(a))
        y_b[start:stop] = measure(the_plan.evaluate(b))
        for i in range(d):
            mixed = [b[j] if j == i else a[j] for j in range(d)]
            y_ab[i, start:stop] = measure(the_plan.evaluate(mixed))
        update((stop - start) * (d + 2))
    indices = estimate(y_a, y_b, y_ab, bootstrap=bootstrap, confidence=confidence, seed=entropy)
    return SensitivityResult(
        framework=framework_ref,
        node=the_plan.node,
        period=the_plan.period,
        output=output,
        unit=unit,
        unit_name=the_plan.names[row] if row is not None else None,
        assumptions=tuple(b.assumption.record() for b in the_plan.bounds),
        indices=indices,
        samples=samples,
        runs=samples * (d + 2),
        mean=float(np.mean(np.concatenate([y_a, y_b]))),
        build=the_plan.nominal.build,
        seed=entropy,
        version=kotacerdas.__version__,
    )
