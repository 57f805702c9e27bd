"""More engine benchmarks: COINr's ASEM example, a synthetic region index, the analyses.

Run from anywhere: ``python benchmarks/run.py`` (or ``python benchmarks/run.py asem``
for some workloads only).  Each workload prints ONE JSON line as ``fair.py``'s do::

    {"workload": "...", "ours_s": ..., "baseline_s": ..., "ratio": ..., "baseline": "numpy"}

timed the same way (:func:`fair.side_by_side`: interleaved medians in CPU time), against
the computation written directly in numpy.  Each workload first checks that both sides
compute the same numbers.  The targets of the project's performance issue are in
``fair.py``.

To add a workload, write a function that prints its line with :func:`report` and add
it to :data:`WORKLOADS`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # run from a plain checkout too

from kotacerdas import frameworks  # noqa: E402
from kotacerdas.coinr import read_coinr  # noqa: E402
from kotacerdas.engine import Build, Dataset, MinMax, MissingPolicy, compute  # noqa: E402
from kotacerdas.model import Direction, Framework  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from fair import line, side_by_side  # noqa: E402

ASEM = ROOT / "tests" / "data" / "coinr-asem"


def report(workload: str, engine: Callable[[], object], numpy: Callable[[], object]) -> None:
    """Time *engine* and *numpy* side by side (as ``fair.py`` does) and print the JSON line."""
    ours, base = side_by_side(engine, numpy)
    line(workload, ours, base, None, baseline="numpy")


# -- the hand-written reference: min–max with directions, then weighted arithmetic means ------


class HandBuild:
    """COINr's default build written directly in numpy, with the structure as plain arrays.

    The structure (columns of each aggregate's children and their normalised weights)
    is prepared once, outside the timing, as it would be literal in a script.
    """

    def __init__(self, fw: Framework, data: Dataset) -> None:
        leaves = fw.leaves()
        self.n_leaves = len(leaves)
        self.x = np.array(data.values[:, :, [data.indicators.index(n.code) for n in leaves]])
        self.x = self.x.reshape(-1, self.n_leaves)
        self.signs = np.array([-1.0 if n.direction is Direction.NEGATIVE else 1.0 for n in leaves])
        column = {n.code: i for i, n in enumerate(leaves)}
        order = sorted(
            (n for n in fw if n.children), key=lambda n: (_height(n), fw.codes.index(n.code))
        )
        self.groups: list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]] = []
        for n in order:
            column[n.code] = len(column)
            w = np.array([float(c.weight or 1) for c in n.children])
            idx = np.array([column[c.code] for c in n.children])
            self.groups.append((idx, w / w.sum()))
        self.width = len(column)

    def __call__(self) -> np.ndarray[Any, Any]:
        out = np.empty((self.x.shape[0], self.width))
        xs = self.x * self.signs
        lo = np.nanmin(xs, axis=0)
        hi = np.nanmax(xs, axis=0)
        out[:, : self.n_leaves] = (xs - lo) / (hi - lo) * 100.0
        col = self.n_leaves
        for idx, w in self.groups:
            v = out[:, idx]
            seen = ~np.isnan(v)
            out[:, col] = np.where(seen, v, 0.0) @ w / (seen @ w)
            col += 1
        return out


def _height(node: Any) -> int:
    return 1 + max((_height(c) for c in node.children), default=0)


COINR_BUILD = Build(normalise=MinMax(0, 100), aggregate="arithmetic", missing=MissingPolicy.omit())


def _same(fw: Framework, data: Dataset, hand: HandBuild) -> None:
    got = compute(fw, data, COINR_BUILD).values.reshape(-1, hand.width)
    with np.errstate(invalid="ignore", divide="ignore"):
        want = hand()
    if not np.allclose(got, want, rtol=1e-12, atol=1e-9, equal_nan=True):
        msg = "the engine and the hand-written build disagree"
        raise AssertionError(msg)


def _timed(fw: Framework, data: Dataset) -> tuple[Callable[[], object], Callable[[], object]]:
    hand = HandBuild(fw, data)
    _same(fw, data, hand)

    def numpy_side() -> object:
        with np.errstate(invalid="ignore", divide="ignore"):
            return hand()

    return (lambda: compute(fw, data, COINR_BUILD)), numpy_side


# -- workloads --------------------------------------------------------------------------------


def asem() -> None:
    """COINr's ASEM example (51 units × 49 indicators, 4 levels): its default build."""
    fw, data = read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")
    report("asem-51x49-minmax-arithmetic", *_timed(fw, data))


def synthetic_regions() -> None:
    """552 regions × 60 indicators, 4 levels (60 → 15 → 5 → 1), 5 % missing."""
    rng = np.random.default_rng(2024)
    nodes: list[dict[str, Any]] = [{"code": "INDEX", "kind": "index", "label": "Index"}]
    for p in range(5):
        nodes.append(
            {
                "code": f"P{p}",
                "kind": "pillar",
                "label": f"P{p}",
                "parent": "INDEX",
                "weight": Decimal(int(rng.integers(1, 5))),
            }
        )
        for s in range(3):
            sub = f"P{p}S{s}"
            nodes.append(
                {
                    "code": sub,
                    "kind": "sub",
                    "label": sub,
                    "parent": f"P{p}",
                    "weight": Decimal(int(rng.integers(1, 5))),
                }
            )
            for i in range(4):
                code = f"{sub}I{i}"
                nodes.append(
                    {
                        "code": code,
                        "kind": "indicator",
                        "label": code,
                        "parent": sub,
                        "weight": Decimal(int(rng.integers(1, 5))),
                        "direction": "negative" if rng.random() < 0.3 else "positive",
                    }
                )
    fw = frameworks.from_data(
        {
            "id": "synthetic",
            "edition": "1",
            "title": "Synthetic",
            "issuer": "benchmarks",
            "provenance": {"confidence": "inferred"},
            "index": "INDEX",
            "weights": "relative",
            "nodes": nodes,
        }
    )
    leaves = tuple(n.code for n in fw.leaves())
    values = rng.lognormal(3.0, 1.0, (552, len(leaves)))
    values[rng.random(values.shape) < 0.05] = np.nan
    data = Dataset(tuple(f"R{u:03d}" for u in range(552)), leaves, values)
    report("regions-552x60x4-minmax-arithmetic", *_timed(fw, data))


WORKLOADS: list[Callable[[], None]] = [asem, synthetic_regions]

# Statistical checks and outlier treatment (benchmarks/analysis_workloads.py).
from analysis_workloads import ANALYSIS_WORKLOADS  # noqa: E402

WORKLOADS += ANALYSIS_WORKLOADS


def main(argv: list[str]) -> None:
    """Run the workloads whose function names contain one of *argv* (all when empty)."""
    for workload in WORKLOADS:
        if not argv or any(a in workload.__name__ for a in argv):
            workload()


if __name__ == "__main__":
    main(sys.argv[1:])
