"""Benchmark workloads of panels, validation and start-up (run through ``run.py``).

Each workload prints ONE JSON line, as the engine's do: the workload name, the timings
(best of several repeats, ``time.perf_counter``, side by side in one process — start-up
times in fresh subprocesses), the targets and the ratios.

* ``panel_national``: GM100SC@2024 for 552 regions × 10 years, from a pandas long frame
  of two-decimal component scores: :func:`kotacerdas.panel.score_panel` against a
  straightforward pandas ``groupby().apply()`` of the same exact formula (target: at least
  20× faster) and against a hand-written numpy computation from the same frame (target:
  within 3×), with the peak memory of ``score_panel`` (tracemalloc).  For scale, the line
  also gives the time of the integer arithmetic alone on an already pivoted matrix.
* ``validation_documents``: 10,000 assessment documents (18 programmes, 5 component
  scores, 30 evidence items each): bare pydantic parsing against ``assessment.from_data``
  plus ``validation.validate`` of each (target: within 3×).
* ``import_time`` and ``cold_load``: ``import kotacerdas`` against ``import pydantic``,
  and loading a bundled edition in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SEED = 20240501
YEARS = tuple(range(2015, 2025))
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")


def best(fn: Callable[[], object], *, repeat: int = 5, min_time: float = 0.05) -> float:
    """The best time of one call to *fn*, over *repeat* batches of at least *min_time* s."""
    fn()  # warm up: imports and caches, as any second call finds them
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            break
        number *= 2
    result = elapsed / number
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        result = min(result, (time.perf_counter() - start) / number)
    return result


def emit(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


# -- (a) a national panel -----------------------------------------------------------------------


def national_frame(seed: int = SEED) -> Any:
    """552 regions × 10 years × 5 components, two-decimal scores in [1.00, 4.00], long."""
    import pandas as pd

    from kotacerdas import regions

    codes = [r.code for r in regions.regions()]
    rng = np.random.default_rng(seed)
    n = len(codes) * len(YEARS)
    hundredths = rng.integers(100, 401, size=(n, len(COMPONENTS)))
    return pd.DataFrame(
        {
            "region": np.repeat(np.repeat(codes, len(YEARS)), len(COMPONENTS)),
            "year": np.repeat(np.tile(YEARS, len(codes)), len(COMPONENTS)),
            "framework": "gm100sc",
            "edition": "2024",
            "node": np.tile(COMPONENTS, n),
            "value": hundredths.reshape(-1) / 100,  # as pandas reads a CSV: floats
        }
    )


def _weights() -> dict[str, Decimal]:
    from kotacerdas import frameworks

    fw = frameworks.load("gm100sc@2024")
    out = {}
    for code in COMPONENTS:
        share = fw.share(code)
        assert share is not None
        out[code] = Decimal(share.numerator) / Decimal(share.denominator)
    return out


def pandas_apply(frame: Any) -> Any:
    """The formula, one region-year at a time: what a pandas user would write first."""
    import pandas as pd

    weights = _weights()
    half, low_end, high_end = Decimal("0.005"), Decimal(0), Decimal(4)
    cent = Decimal("0.01")

    def one(group: Any) -> Any:
        xs = {
            node: Decimal(repr(value)).quantize(cent)
            for node, value in zip(group["node"], group["value"], strict=True)
        }
        exact = sum((weights[k] * x for k, x in xs.items()), Decimal(0))
        low = sum((weights[k] * max(x - half, low_end) for k, x in xs.items()), Decimal(0))
        high = sum((weights[k] * min(x + half, high_end) for k, x in xs.items()), Decimal(0))
        published = exact.quantize(cent, ROUND_HALF_UP)
        return pd.Series({"exact": exact, "low": low, "high": high, "published": published})

    return frame.groupby(["region", "year"])[["node", "value"]].apply(one)


def numpy_hand(frame: Any) -> tuple[Any, ...]:
    """The formula in integer numpy, written for this one case (no checks at all)."""
    region = frame["region"].to_numpy()
    year = frame["year"].to_numpy()
    node = frame["node"].to_numpy()
    value = frame["value"].to_numpy()
    _, ri = np.unique(region, return_inverse=True)
    nodes, ni = np.unique(node, return_inverse=True)
    keys, ki = np.unique(ri * 10_000 + year, return_inverse=True)
    x = np.zeros((len(keys), len(nodes)), dtype=np.int64)
    x[ki, ni] = np.rint(value * 100).astype(np.int64)  # hundredths
    w = np.array([{"BASE": 10, "OUT": 20, "OUTC": 30, "IMP": 20, "QW": 20}[n] for n in nodes])
    return (keys, *_arithmetic(x, w))


def _arithmetic(x: Any, w: Any) -> tuple[Any, Any, Any, Any]:
    exact = x @ w  # at 10^-4
    low = np.maximum(x * 10 - 5, 0) @ w  # at 10^-5
    high = np.minimum(x * 10 + 5, 4000) @ w
    q, r = np.divmod(exact, 100)
    published = q + (2 * r >= 100)  # half up, at 10^-2
    return exact, low, high, published


def panel_national() -> None:
    from kotacerdas.panel import score_panel

    frame = national_frame()

    def ours() -> Any:
        return score_panel(frame, decimals=2)

    # Same numbers on all three sides.
    result = ours()
    _, exact, low, high, published = numpy_hand(frame)
    assert list(result.exact()) == [Decimal(int(v)).scaleb(-4) for v in exact]
    assert [b[0] for b in result.bounds() if b] == [Decimal(int(v)).scaleb(-5) for v in low]
    assert [b[1] for b in result.bounds() if b] == [Decimal(int(v)).scaleb(-5) for v in high]
    assert list(result.published()) == [Decimal(int(v)).scaleb(-2) for v in published]
    applied = pandas_apply(frame)
    assert list(applied["exact"]) == list(result.exact())
    assert list(applied["published"]) == list(result.published())

    panel_s = best(ours, repeat=7)
    numpy_s = best(lambda: numpy_hand(frame), repeat=7)
    pandas_s = best(lambda: pandas_apply(frame), repeat=3, min_time=0.0)
    # For scale: the arithmetic alone, on a matrix already pivoted (no reading at all).
    pivoted = np.rint(frame["value"].to_numpy() * 100).astype(np.int64).reshape(-1, 5)
    weights = np.array([10, 20, 30, 20, 20])
    arithmetic_s = best(lambda: _arithmetic(pivoted, weights), repeat=7)
    try:
        import polars as pl

        polars_frame = pl.DataFrame({c: frame[c].to_numpy() for c in frame.columns})
        polars_s: float | None = best(lambda: score_panel(polars_frame, decimals=2), repeat=7)
    except ImportError:  # polars is optional
        polars_s = None
    tracemalloc.start()
    ours()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    emit(
        {
            "workload": "panel-gm100sc2024-552x10",
            "seed": SEED,
            "rows": len(frame),
            "region_years": len(result),
            "score_panel_s": panel_s,
            "score_panel_polars_s": polars_s,
            "pandas_apply_s": pandas_s,
            "numpy_s": numpy_s,
            "numpy_arithmetic_only_s": arithmetic_s,
            "speedup_vs_pandas": round(pandas_s / panel_s, 1),
            "target_speedup": 20,
            "ratio": round(panel_s / numpy_s, 3),
            "target_ratio": 3,
            "peak_mib": round(peak / 2**20, 2),
        }
    )


# -- (b) validating documents ---------------------------------------------------------------


def documents(count: int = 10_000, seed: int = SEED) -> list[dict[str, Any]]:
    """*count* valid GM100SC@2024 documents: 18 programmes, 5 scores, 30 evidence items each.

    One per kabupaten/kota and year (2024, then 2023, …): a file may not hold two of one.
    """
    from kotacerdas import frameworks, regions

    fw = frameworks.load("gm100sc@2024")
    subs = [n.code for n in fw.nodes("sub_dimension")]
    kinds = [k.code for k in fw.evidence_kinds]
    places = [r.code for r in regions.regions() if not r.is_province]
    rng = np.random.default_rng(seed)
    programmes = [
        {
            "name": f"Program {code} {i}",
            "code": f"P{i:02d}",
            "node": code,
            "opd": "Diskominfo",
            "status": "running",
        }
        for i, code in enumerate(subs)
    ]
    evidence = [
        {
            "code": f"E{i:02d}",
            "title": f"Dokumen pendukung {i}",
            "kind": kinds[i % len(kinds)],
            "path": f"eviden/dokumen-{i:02d}.pdf",
            "sha256": f"{i:064x}",
            "stage": "tahap_1",
            "submitted_at": f"2024-06-{1 + i % 28:02d}T10:00:00+07:00",
            "programme": f"P{i % len(subs):02d}",
            "decision": {"status": "accepted"},
        }
        for i in range(30)
    ]
    sessions = [
        {
            "stage": "tahap_2",
            "start": "2024-09-10T09:00:00+07:00",
            "end": "2024-09-10T15:00:00+07:00",
        }
    ]
    out = []
    for i in range(count):
        values = rng.integers(100, 401, size=len(COMPONENTS))
        out.append(
            {
                "region": places[i % len(places)],
                "year": 2024 - i // len(places),  # one document per region and year
                "framework": "gm100sc",
                "edition": "2024",
                "scores": [
                    {"node": c, "value": Decimal(int(v)).scaleb(-2)}
                    for c, v in zip(COMPONENTS, values, strict=True)
                ],
                "programmes": programmes,
                "evidence": evidence,
                "sessions": sessions,
            }
        )
    return out


def validation_documents() -> None:
    from kotacerdas import assessment, frameworks, validation
    from kotacerdas._assessment_file import _MANY

    docs = documents()
    fw = frameworks.load("gm100sc@2024")

    def parse() -> object:
        return _MANY.validate_python(docs)

    def full() -> object:
        return [validation.validate(a, fw) for a in assessment.from_data(docs)]

    reports = full()
    assert isinstance(reports, list)
    assert all(r.valid for r in reports), reports[0].text("en")
    parse_s = best(parse, repeat=3, min_time=0.0)
    full_s = best(full, repeat=3, min_time=0.0)
    start = time.perf_counter()
    built = assessment.from_data(docs)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    for a in built:
        validation.validate(a, fw)
    validate_s = time.perf_counter() - start
    emit(
        {
            "workload": "validate-10000-documents",
            "seed": SEED,
            "documents": len(docs),
            "pydantic_parse_s": parse_s,
            "from_data_and_validate_s": full_s,
            "from_data_s_single_run": build_s,
            "validate_s_single_run": validate_s,
            "ratio": round(full_s / parse_s, 3),
            "target_ratio": 3,
        }
    )


# -- (c) start-up -------------------------------------------------------------------------------


def _fresh(code: str, repeat: int = 7) -> list[float]:
    """Best (minimum) of each number *code* prints, over *repeat* fresh interpreters."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    best_values: list[float] | None = None
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        values = [float(v) for v in out]
        best_values = values if best_values is None else list(map(min, best_values, values))
    assert best_values is not None
    return best_values


_TIMED_IMPORT = (
    "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
)


def import_time() -> None:
    (ours,) = _fresh(_TIMED_IMPORT.format(module="kotacerdas"))
    (pydantic,) = _fresh(_TIMED_IMPORT.format(module="pydantic"))
    (panel,) = _fresh(_TIMED_IMPORT.format(module="kotacerdas.panel"))
    emit(
        {
            "workload": "import-kotacerdas-vs-pydantic",
            "kotacerdas_s": ours,
            "pydantic_s": pydantic,
            "kotacerdas_panel_s": panel,
            "ratio": round(ours / pydantic, 3),
        }
    )


_COLD_LOAD = (
    "import time; t0 = time.perf_counter(); from kotacerdas import frameworks; "
    "t1 = time.perf_counter(); frameworks.load({ref!r}); t2 = time.perf_counter(); "
    "print(t1 - t0, t2 - t1)"
)


def cold_load() -> None:
    line: dict[str, Any] = {"workload": "cold-load-bundled-editions"}
    for ref in ("gm100sc@2024", "spbe@2020"):
        imported, loaded = _fresh(_COLD_LOAD.format(ref=ref))
        line[f"{ref}_import_s"] = imported
        line[f"{ref}_load_s"] = loaded
    (pydantic,) = _fresh(_TIMED_IMPORT.format(module="pydantic"))
    line["pydantic_import_s"] = pydantic
    line["ratio"] = round(
        (line["gm100sc@2024_import_s"] + line["gm100sc@2024_load_s"]) / pydantic, 3
    )
    emit(line)


PANEL_WORKLOADS: list[Callable[[], None]] = [
    panel_national,
    validation_documents,
    import_time,
    cold_load,
]
