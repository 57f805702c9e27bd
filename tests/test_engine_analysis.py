"""Statistical checks and weights from data: correlations, alpha, PCA; PCA, equal, optimised."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kotacerdas import frameworks
from kotacerdas._special import betainc
from kotacerdas.coinr import read_coinr
from kotacerdas.engine import Build, CompositeResult, Dataset, MissingPolicy, compute
from kotacerdas.engine._stats import correlation_pvalue, pearson, pearson_matrix
from kotacerdas.engine.analysis import (
    Table,
    correlations,
    cronbach,
    indicator_stats,
    parent_correlations,
    pca,
    principal_components,
)
from kotacerdas.engine.weighting import (
    DerivedWeights,
    equal_weights,
    optimise_weights,
    pca_weights,
)
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework

Asem = tuple[Framework, Dataset, CompositeResult]

NAN = math.nan
_HERE = Path(__file__).resolve().parent
_COPY = _HERE / "data" / "coinr-asem"
ASEM = (
    _COPY
    if (_COPY / "iMeta.csv").is_file()
    else _HERE.parent.parent / "shared" / "data" / "peers" / "coinr-asem"
)

FW = frameworks.from_data(
    {
        "id": "a",
        "edition": "1",
        "title": "A",
        "issuer": "tests",
        "provenance": {"confidence": "inferred"},
        "index": "I",
        "nodes": [
            {"code": "I", "kind": "index", "label": "I"},
            {"code": "P", "kind": "pillar", "label": "P", "parent": "I"},
            {"code": "Q", "kind": "pillar", "label": "Q", "parent": "I"},
            {"code": "a", "kind": "indicator", "label": "a", "parent": "P"},
            {"code": "b", "kind": "indicator", "label": "b", "parent": "P"},
            {"code": "c", "kind": "indicator", "label": "c", "parent": "Q"},
            {
                "code": "d",
                "kind": "indicator",
                "label": "d",
                "parent": "Q",
                "direction": "negative",
            },
        ],
    }
)
VALUES = np.array(
    [
        [1.0, 2.0, 5.0, 9.0],
        [2.0, 1.0, 3.0, 7.0],
        [3.0, 4.0, 4.0, 8.0],
        [4.0, 3.0, 1.0, 2.0],
        [5.0, 6.0, 2.0, 1.0],
        [6.0, 5.0, 6.0, 3.0],
    ]
)
DATA = Dataset(tuple("UVWXYZ"), ("a", "b", "c", "d"), VALUES)


@pytest.fixture(scope="module")
def result() -> CompositeResult:
    return compute(FW, DATA, Build())


@pytest.fixture(scope="module")
def asem() -> Asem:
    fw, data = read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")
    return fw, data, compute(fw, data, Build(missing=MissingPolicy.omit()))


# -- p-values -------------------------------------------------------------------------------------


def test_pvalues_match_the_t_distribution_in_closed_form() -> None:
    # df = 1 (n = 3): p = 1 − (2/π)·atan|t|;  df = 2 (n = 4): p = 1 − |t|/√(t² + 2)
    for r in (0.1, 0.5, 0.9, -0.7):
        t1 = r * math.sqrt(1 / (1 - r * r))
        assert correlation_pvalue(r, 3) == pytest.approx(1 - 2 / math.pi * math.atan(abs(t1)))
        t2 = r * math.sqrt(2 / (1 - r * r))
        assert correlation_pvalue(r, 4) == pytest.approx(1 - abs(t2) / math.sqrt(t2 * t2 + 2))
    assert correlation_pvalue(0.0, 30) == pytest.approx(1.0)
    assert correlation_pvalue(1.0, 30) == 0.0
    assert math.isnan(correlation_pvalue(0.5, 2))
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248)  # I_0.4(2, 3), by the binomial sum


# -- correlations -------------------------------------------------------------------------------


def test_pearson_within_a_level(result: CompositeResult) -> None:
    table = correlations(result, 1)
    assert len(table) == 6  # each pair of 4 indicators once
    norm = result.normalised[:, 0, :]
    for row in table.to_rows():
        i, j = result.indicators.index(row["x"]), result.indicators.index(row["y"])
        assert row["r"] == pytest.approx(np.corrcoef(norm[:, i], norm[:, j])[0, 1])
        assert row["n"] == 6
        assert row["significant"] == (row["p"] < 0.05)


def test_spearman_is_pearson_of_ranks(result: CompositeResult) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(result.normalised[:, 0, :], columns=list(result.indicators))
    expected = frame.corr(method="spearman")
    for row in correlations(result, 1, method="spearman").to_rows():
        assert row["r"] == pytest.approx(expected.loc[row["x"], row["y"]])


def test_within_groups_and_with_parents(result: CompositeResult) -> None:
    within = correlations(result, 1, within=2)
    assert [(r["x"], r["y"]) for r in within.to_rows()] == [("a", "b"), ("c", "d")]
    between = correlations(result, (1, 2))
    assert len(between) == 8
    parents = correlations(result, (1, 2), parent_only=True)
    assert [(r["x"], r["y"]) for r in parents.to_rows()] == [
        ("a", "P"),
        ("b", "P"),
        ("c", "Q"),
        ("d", "Q"),
    ]


def test_missing_values_are_left_out_pair_by_pair() -> None:
    values = VALUES.copy()
    values[0, 0] = NAN
    r = compute(FW, Dataset(DATA.units, DATA.indicators, values), Build(missing="omit"))
    row = correlations(r, 1).to_rows()[0]
    assert (row["x"], row["y"], row["n"]) == ("a", "b", 5)


def test_negative_correlations_with_the_parent_are_flagged(result: CompositeResult) -> None:
    table = parent_correlations(result)
    rows = {r["node"]: r for r in table.to_rows()}
    assert set(rows) == {"a", "b", "c", "d", "P", "Q"}
    for code, row in rows.items():
        expected = np.corrcoef(result.score(code), result.score(row["parent"]))[0, 1]
        assert row["r"] == pytest.approx(expected)
        assert row["negative"] == (expected < 0)
    assert rows["c"]["negative"] != rows["d"]["negative"] or rows["c"]["r"] * rows["d"]["r"] > 0


def test_raw_data_only_for_indicators(result: CompositeResult) -> None:
    raw = correlations(result, 1, data="raw").to_rows()[0]
    assert raw["r"] == pytest.approx(np.corrcoef(VALUES[:, 0], VALUES[:, 1])[0, 1])
    with pytest.raises(EngineError) as info:
        correlations(result, 2, data="raw")
    assert info.value.code == "build.not-indicator"
    assert len(parent_correlations(result, data="raw")) == 4


# -- alpha, PCA, stats ---------------------------------------------------------------------------


def _alpha_textbook(x: np.ndarray) -> float:
    k = x.shape[1]
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1)))


def test_cronbach_alpha(result: CompositeResult) -> None:
    rows = {r["node"]: r for r in cronbach(result).to_rows()}
    assert set(rows) == {"P", "Q", "I"}
    norm = result.normalised[:, 0, :]
    assert rows["P"]["alpha"] == pytest.approx(_alpha_textbook(norm[:, :2]))
    assert rows["Q"]["k"] == 2
    assert [r["node"] for r in cronbach(result, 2).to_rows()] == ["P", "Q"]


def test_pca_matches_the_svd(result: CompositeResult) -> None:
    x = result.normalised[:, 0, :]
    values, vectors, n = principal_components(x)
    z = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    s = np.linalg.svd(z, compute_uv=False)
    assert values.tolist() == pytest.approx((s**2 / (n - 1)).tolist())
    assert np.linalg.norm(vectors[:, 0]) == pytest.approx(1.0)
    assert vectors[:, 0].sum() >= 0
    rows = pca(result, 2).to_rows()
    assert [(r["node"], r["child"]) for r in rows] == [
        ("P", "a"),
        ("P", "b"),
        ("Q", "c"),
        ("Q", "d"),
    ]
    p = principal_components(x[:, :2])[0]
    assert rows[0]["variance_share"] == pytest.approx(p[0] / p.sum())


def test_indicator_stats(result: CompositeResult) -> None:
    rows = indicator_stats(result).to_rows()
    a = rows[0]
    assert (a["indicator"], a["min"], a["max"], a["mean"], a["median"]) == ("a", 1, 6, 3.5, 3.5)
    assert a["sd"] == pytest.approx(np.std(VALUES[:, 0], ddof=1))
    assert a["flag_skewkurt"] == "ok"
    assert a["frc_avail"] == 1.0


def test_tables_become_frames(result: CompositeResult) -> None:
    pd = pytest.importorskip("pandas")
    frame = correlations(result, 1).to_frame("pandas")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["x", "y", "level_x", "level_y", "r", "p", "n", "significant"]
    again = cronbach(result).to_frame(like=frame)
    assert isinstance(again, pd.DataFrame)
    assert isinstance(cronbach(result).to_frame(), pd.DataFrame)  # pandas by default
    assert Table(("x",), ((1,),)).column("x") == [1]


def test_bad_arguments(result: CompositeResult) -> None:
    cases: tuple[Callable[[], object], ...] = (
        lambda: correlations(result, 7),
        lambda: correlations(result, 1, method="kendall"),  # type: ignore[arg-type]
        lambda: correlations(result, 1, data="weird"),  # type: ignore[arg-type]
        lambda: cronbach(result, 1),
        lambda: correlations(result, 1, period=1999),
    )
    for bad in cases:
        with pytest.raises(EngineError):
            bad()


def test_checks_on_the_asem_example(asem: Asem) -> None:
    _, _, r = asem
    alpha = {row["node"]: row["alpha"] for row in cronbach(r, 2).to_rows()}
    assert len(alpha) == 8
    assert all(-1 < a <= 1 for a in alpha.values())
    flagged = [row["node"] for row in parent_correlations(r).to_rows() if row["negative"]]
    assert flagged  # ASEM has indicators pulling against their pillar
    shares = {row["node"]: row["variance_share"] for row in pca(r, 2).to_rows()}
    assert all(0 < s <= 1 for s in shares.values())


# -- weights from data ---------------------------------------------------------------------------


def test_pca_weights_are_the_first_loadings(result: CompositeResult) -> None:
    w = pca_weights(result, 1, form="squared")
    assert isinstance(w, DerivedWeights)
    assert (w.method, w.level) == ("pca", 1)
    x = result.normalised[:, 0, :]
    load = principal_components(x[:, :2])[1][:, 0]
    assert w.values["a"] == pytest.approx(load[0] ** 2)
    assert w.values["a"] + w.values["b"] == pytest.approx(1.0)
    built = compute(FW, DATA, Build(weights=w))
    assert built.weights.scheme is w
    assert built.weights.local["a"] == pytest.approx(load[0] ** 2)
    assert built.weights.local["P"] == 0.5  # the level above keeps the framework's weights


def test_pca_weights_refuse_negative_loadings() -> None:
    up = np.arange(6.0)
    values = np.column_stack([up, up**2, -up, up])  # Q falls as P rises (d is negative)
    r = compute(FW, Dataset(DATA.units, DATA.indicators, values), Build())
    with pytest.raises(EngineError) as info:
        pca_weights(r, 2)
    assert info.value.code == "weights.pca-negative"
    assert info.value.params["node"] == "I"


def test_equal_weights_by_level() -> None:
    fw = frameworks.from_data(
        {
            "id": "w",
            "edition": "1",
            "title": "W",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "weights": "relative",
            "index": "I",
            "nodes": [
                {"code": "I", "kind": "index", "label": "I"},
                {"code": "P", "kind": "pillar", "label": "P", "parent": "I", "weight": 3},
                {"code": "Q", "kind": "pillar", "label": "Q", "parent": "I", "weight": 1},
                {"code": "a", "kind": "indicator", "label": "a", "parent": "P", "weight": 3},
                {"code": "b", "kind": "indicator", "label": "b", "parent": "P", "weight": 1},
                {"code": "c", "kind": "indicator", "label": "c", "parent": "Q", "weight": 1},
            ],
        }
    )
    data = Dataset(("U", "V"), ("a", "b", "c"), np.array([[1, 2, 3], [2, 1, 1]]))
    r = compute(fw, data, Build(weights=equal_weights(fw, 1)))
    assert r.weights.local["a"] == 0.5
    assert r.weights.local["P"] == 0.75  # level 2 keeps the framework's 3 : 1
    assert r.effective_weights["a"] == 0.375
    with pytest.raises(EngineError) as info:
        equal_weights(fw, 3)
    assert info.value.code == "build.level-unknown"


def test_optimised_weights_reach_their_targets(asem: Asem) -> None:
    # COINr's tests/testthat/test-weights.R: equal → (0.5, 0.5); c(1, 2) → (0.33, 0.67)
    fw, data, _ = asem
    build = Build(missing=MissingPolicy.omit())
    equal = optimise_weights(fw, data, build, 3)
    assert [round(v, 2) for v in equal.details.column("obtained")] == [0.5, 0.5]
    w = optimise_weights(fw, data, build, 3, targets={"Conn": 1, "Sust": 2})
    rows = {r["node"]: r for r in w.details.to_rows()}
    assert rows["Conn"]["obtained"] == pytest.approx(1 / 3, abs=1e-3)
    assert rows["Sust"]["obtained"] == pytest.approx(2 / 3, abs=1e-3)
    r = compute(fw, data, Build(missing=MissingPolicy.omit(), weights=w))
    got = [np.corrcoef(r.score(c), r.score("Index"))[0, 1] for c in ("Conn", "Sust")]
    assert got[0] / sum(got) == pytest.approx(1 / 3, abs=1e-3)
    assert isinstance(r.weights.scheme, DerivedWeights)
    assert r.weights.scheme.method == "optimised"


def test_infomax_does_not_lower_the_total_correlation(asem: Asem) -> None:
    fw, data, before = asem
    w = optimise_weights(fw, data, Build(missing=MissingPolicy.omit()), 3, optimise="infomax")
    start = sum(np.corrcoef(before.score(c), before.score("Index"))[0, 1] for c in ("Conn", "Sust"))
    assert sum(w.details.column("correlation")) >= start - 1e-9


def test_optimise_refusals(asem: Asem) -> None:
    fw, data, _ = asem
    build = Build(missing=MissingPolicy.omit())
    cases: tuple[tuple[dict[str, Any], str], ...] = (
        ({"level": 4}, "build.level-unknown"),
        ({"level": 3, "targets": {"Conn": 1}}, "weights.partial"),
        ({"level": 3, "targets": {"Conn": 0, "Sust": 0}}, "weights.zero-total"),
        ({"level": 3, "optimise": "max"}, "build.param-value"),
        ({"level": 3, "maxiter": 0}, "build.param-value"),
        ({"level": 3, "tol": 2}, "build.param-value"),
    )
    for kwargs, code in cases:
        with pytest.raises(EngineError) as info:
            optimise_weights(fw, data, build, **kwargs)
        assert info.value.code == code


@settings(max_examples=40, deadline=None)
@example(
    [
        [None, None, None],
        [None, None, 0.0],
        [None, None, -2.0],
        [0.0, None, 2.0],
        [0.0, None, 2.0],
        [1.0, None, 2.0],
    ]
)  # constant over the pairs: noise, not -3e-10
@given(
    st.integers(3, 12).flatmap(
        lambda n: st.lists(
            st.lists(st.one_of(st.none(), st.integers(-20, 20).map(float)), min_size=3, max_size=3),
            min_size=n,
            max_size=n,
        )
    )
)
def test_the_correlation_matrix_is_pearson_pair_by_pair(rows: list[list[float | None]]) -> None:
    x = np.array(rows, dtype=float)
    r, n = pearson_matrix(x, x)
    for i in range(3):
        for j in range(3):
            expected, count = pearson(x[:, i], x[:, j])
            assert n[i, j] == count
            if math.isnan(expected):
                assert math.isnan(r[i, j])
            else:
                assert r[i, j] == pytest.approx(expected, abs=1e-9)
