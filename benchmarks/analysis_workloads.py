"""Statistical checks and outlier treatment, timed against what a sceptical reviewer writes.

* ``correlations``: every pair of 60 indicators of 552 regions (5 % missing), Pearson
  with p-values, against pandas' ``DataFrame.corr()`` (pairwise complete, no p-values;
  the engine also computes 1,770 p-values);
* ``treatment``: COINr's default rule on 60 skewed indicators, against a hand-written
  numpy loop doing the same (skewness and kurtosis, winsorise up to five points, else
  ``log_CT``).

Run with ``python benchmarks/run.py analysis`` (pandas needed).
"""

from __future__ import annotations

import numpy as np

from kotacerdas import frameworks
from kotacerdas.engine import Build, Dataset, compute
from kotacerdas.engine.analysis import correlations
from kotacerdas.engine.treat import Winsorise

REGIONS, INDICATORS = 552, 60


def _data() -> tuple[object, Dataset]:
    rng = np.random.default_rng(16)
    codes = [f"I{i:02d}" for i in range(INDICATORS)]
    nodes = [{"code": "INDEX", "kind": "index", "label": "Index"}]
    nodes += [{"code": c, "kind": "indicator", "label": c, "parent": "INDEX"} for c in codes]
    fw = frameworks.from_data(
        {
            "id": "bench",
            "edition": "1",
            "title": "Bench",
            "issuer": "benchmarks",
            "provenance": {"confidence": "inferred"},
            "index": "INDEX",
            "nodes": nodes,
        }
    )
    values = rng.lognormal(2.0, 1.2, (REGIONS, INDICATORS))
    values[rng.random(values.shape) < 0.05] = np.nan
    return fw, Dataset(tuple(f"R{u:03d}" for u in range(REGIONS)), tuple(codes), values)


def _skew(v: np.ndarray) -> float:
    v = v[~np.isnan(v)]
    n = v.size
    d = v - v.mean()
    return float(np.sqrt(n) * (d**3).sum() / (d**2).sum() ** 1.5 * np.sqrt(n * (n - 1)) / (n - 2))


def _kurt(v: np.ndarray) -> float:
    v = v[~np.isnan(v)]
    n = v.size
    d = v - v.mean()
    r = n * (d**4).sum() / (d**2).sum() ** 2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def _hand_treat(x: np.ndarray) -> np.ndarray:
    out = x.copy()
    for j in range(x.shape[1]):
        col = x[:, j].copy()
        if not (abs(_skew(col)) >= 2 and _kurt(col) >= 3.5):
            continue
        changed = 0
        while changed < 5 and abs(_skew(col)) >= 2 and _kurt(col) >= 3.5:
            top = np.nanmax(col)
            hit = col == top
            col[hit] = np.nanmax(col[~hit])
            changed = int(hit.sum()) if changed == 0 else changed + int(hit.sum())
        if abs(_skew(col)) >= 2 and _kurt(col) >= 3.5:
            lo, hi = np.nanmin(x[:, j]), np.nanmax(x[:, j])
            col = np.log(x[:, j] - lo + 0.01 * (hi - lo))
        out[:, j] = col
    return out


def analysis_correlations() -> None:
    """Pearson correlations with p-values of 60 indicators × 552 regions."""
    import pandas as pd
    from run import report

    fw, data = _data()
    result = compute(fw, data, Build(missing="omit"))  # type: ignore[arg-type]
    frame = pd.DataFrame(result.normalised[:, 0, :], columns=list(result.indicators))
    table = correlations(result, 1)
    expected = frame.corr()
    row = table.to_rows()[7]
    assert abs(row["r"] - expected.loc[row["x"], row["y"]]) < 1e-9
    report("analysis-correlations-552x60-pearson+p", lambda: correlations(result, 1), frame.corr)


def analysis_treatment() -> None:
    """COINr's default treatment of 60 skewed indicators × 552 regions."""
    from run import report

    _, data = _data()
    x = data.values[:, 0, :]
    method = Winsorise()

    def engine() -> list[object]:
        return [method.treat(x[:, j]) for j in range(x.shape[1])]

    got = np.column_stack([o.values for o in engine()])  # type: ignore[attr-defined]
    assert np.allclose(got, _hand_treat(x), equal_nan=True)
    report("analysis-treatment-552x60-default", engine, lambda: _hand_treat(x))


ANALYSIS_WORKLOADS = [analysis_correlations, analysis_treatment]
