"""Aggregation methods: hand-computed values, missing children, the custom-function contract."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from kotacerdas import frameworks
from kotacerdas.engine import AGGREGATORS, Build, Dataset, Identity, MissingPolicy, compute
from kotacerdas.engine.aggregate import (
    arithmetic,
    copeland,
    geometric,
    harmonic,
    maximum,
    median,
    minimum,
    outranking,
    total,
)
from kotacerdas.errors import EngineError
from kotacerdas.model import AGGREGATIONS

NAN = float("nan")


def w_equal(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    present = ~np.isnan(values)
    return np.asarray(present / present.sum(axis=1, keepdims=True), dtype=np.float64)


def arr(rows: list[list[float]]) -> np.ndarray[Any, Any]:
    return np.array(rows, dtype=np.float64)


def test_every_model_aggregation_has_a_method() -> None:
    assert tuple(AGGREGATORS) == AGGREGATIONS


def test_means() -> None:
    v = arr([[1, 4], [2, 8]])
    w = arr([[0.5, 0.5], [1 / 3, 2 / 3]])
    assert arithmetic(v, w).tolist() == pytest.approx([2.5, 6.0])
    assert geometric(v, w).tolist() == pytest.approx([2.0, 2 ** (7 / 3)])
    assert harmonic(v, w).tolist() == pytest.approx([1.6, 1 / (1 / 6 + 1 / 12)])


def test_missing_children_have_zero_weight() -> None:
    v = arr([[1, NAN, 3]])
    w = arr([[0.5, 0.0, 0.5]])
    for f in (arithmetic, geometric, harmonic, median, minimum, maximum):
        assert np.isfinite(f(v, w)).all(), f.__name__
    assert arithmetic(v, w).tolist() == [2.0]
    assert total(v, w).tolist() == [6.0]  # 3 children × weighted mean


def test_weighted_median() -> None:
    assert median(arr([[1, 2, 3, 4]]), arr([[0.25] * 4])).tolist() == [2.5]
    assert median(arr([[3, 1, 2]]), arr([[1 / 3] * 3])).tolist() == [2.0]
    assert median(arr([[1, 2, 3]]), arr([[0.1, 0.2, 0.7]])).tolist() == [3.0]
    assert median(arr([[1, 2, 3]]), arr([[0.5, 0.25, 0.25]])).tolist() == [1.5]


def test_minimum_maximum_ignore_zero_weight() -> None:
    v = arr([[5, 1, 9]])
    w = arr([[0.5, 0.0, 0.5]])
    assert minimum(v, w).tolist() == [5.0]
    assert maximum(v, w).tolist() == [9.0]


def test_copeland_matches_coinr_example() -> None:
    # COINr's test: x1 = 1:4, x2 = c(3, 2, 1, 5), x3 = c(2, 3, 1, 4), equal weights.
    v = arr([[1, 3, 2], [2, 2, 3], [3, 1, 1], [4, 5, 4]])
    w = np.full(v.shape, 1 / 3)
    assert copeland(v, w).tolist() == [-1.0, 1.0, -3.0, 3.0]
    o = outranking(v, w)
    assert o[0, 1] == pytest.approx(1 / 3)
    assert o[0, 1] + o[1, 0] == pytest.approx(1.0)
    assert np.diag(o).tolist() == [0.0] * 4


def test_copeland_ties_and_missing_are_symmetric() -> None:
    v = arr([[1, 2], [2, 1], [NAN, 5]])
    w = w_equal(v)
    o = outranking(v, w)
    assert o[0, 1] == pytest.approx(0.5)  # one win each: a tie, scored 0
    assert o[0, 2] == pytest.approx(0.0)  # compared on the second child only
    assert o[2, 0] == pytest.approx(1.0)
    assert copeland(v, w).tolist() == [-1.0, -1.0, 2.0]


# -- through the engine --------------------------------------------------------------------------


def tree(aggregation: str | None = None, **extra: Any) -> Any:
    """I ← (P ← a, b), c: a two-level tree."""
    agg = {"aggregation": aggregation} if aggregation else {}
    return frameworks.from_data(
        {
            "id": "t",
            "edition": "1",
            "title": "T",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "weights": "relative",
            **extra,
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "I",
                    **agg,
                    "children": [
                        {
                            "code": "P",
                            "kind": "pillar",
                            "label": "P",
                            "weight": 1,
                            "children": [
                                {"code": "a", "kind": "indicator", "label": "a", "weight": 1},
                                {"code": "b", "kind": "indicator", "label": "b", "weight": 3},
                            ],
                        },
                        {"code": "c", "kind": "indicator", "label": "c", "weight": 1},
                    ],
                }
            ],
        }
    )


def data(rows: list[list[float]]) -> Dataset:
    return Dataset(tuple("UVWXYZ"[: len(rows)]), ("a", "b", "c"), arr(rows))


def test_weighted_arithmetic_with_omitted_children() -> None:
    d = data([[4, 8, 2], [NAN, 8, 2], [NAN, NAN, 2]])
    r = compute(tree(), d, Build(normalise=Identity(), missing="omit"))
    assert r.score("P").tolist()[:2] == [7.0, 8.0]  # (1·4 + 3·8)/4; b alone
    assert np.isnan(r.score("P")[2])
    assert r.score("I").tolist() == [4.5, 5.0, 2.0]  # P missing: c alone
    avail = r.availability[:, 0, r.nodes.index("P")].tolist()
    assert avail == [1.0, 0.5, 0.0]


def test_minimum_data_availability() -> None:
    d = data([[4, 8, 2], [NAN, 8, 2]])
    policy = MissingPolicy.omit(min_availability=0.75)
    r = compute(tree(), d, Build(normalise=Identity(), missing=policy))
    assert r.score("P").tolist()[0] == 7.0
    assert np.isnan(r.score("P")[1])  # half of P's children: below 0.75
    assert r.score("I").tolist()[0] == 4.5
    assert np.isnan(r.score("I")[1])  # P missing, so I has half its children too
    assert r.availability[1, 0, r.nodes.index("I")] == 0.5


def test_the_framework_nodes_aggregation_is_the_default() -> None:
    d = data([[1, 4, 2], [2, 8, 4]])
    r = compute(tree("geometric"), d, Build(normalise=Identity()))
    assert r.build.aggregation["I"] == "geometric"
    assert r.build.aggregation["P"] == "arithmetic"
    assert r.score("I").tolist() == pytest.approx([(13 / 4 * 2) ** 0.5, (26 / 4 * 4) ** 0.5])


def test_custom_aggregator_receives_documented_weights() -> None:
    seen: list[np.ndarray[Any, Any]] = []

    def spy(values: np.ndarray[Any, Any], weights: np.ndarray[Any, Any]) -> Any:
        seen.append(weights.copy())
        return np.nansum(values * weights, axis=1)

    d = data([[4, 8, 2], [NAN, 8, 2], [NAN, NAN, 2]])
    r = compute(tree(), d, Build(normalise=Identity(), aggregate_nodes={"P": spy}, missing="omit"))
    w = seen[0]
    assert w.tolist() == [[0.25, 0.75], [0.0, 1.0], [0.0, 0.0]]
    assert r.score("P")[:2].tolist() == [7.0, 8.0]
    assert np.isnan(r.score("P")[2])  # a row of zero weights: not scored, whatever it returns
    assert r.build.aggregation["P"] is spy


def test_copeland_inside_a_tree_is_per_period() -> None:
    values = np.array([[[1, 1, 1], [1, 1, 9]], [[2, 2, 2], [0, 0, 0]]], dtype=float)
    d = Dataset(("U", "V"), ("a", "b", "c"), values, (1, 2))
    r = compute(tree(), d, Build(normalise=Identity(), aggregate_nodes={"I": "copeland"}))
    assert r.column("I").tolist() == [[-1.0, 1.0], [1.0, -1.0]]


def test_geometric_refuses_non_positive_indicators_up_front() -> None:
    d = data([[0, 8, 2], [1, 9, 3]])
    with pytest.raises(EngineError) as info:
        compute(tree(), d, Build(aggregate="geometric"))  # min–max gives 0s
    assert info.value.code == "aggregate.non-positive"
    assert info.value.params["node"] == "P"
    assert "MinMax(low=1, high=100)" in info.value.message("en")
    r = compute(tree(), d, Build(normalise={"method": "minmax", "low": 1}, aggregate="geometric"))
    assert np.isfinite(r.score("I")).all()


def test_geometric_refuses_a_non_positive_aggregate_child() -> None:
    d = data([[1, 8, 2], [2, 1, 3], [3, 5, 1]])
    build = Build(normalise=Identity(), aggregate_nodes={"P": "copeland", "I": "harmonic"})
    with pytest.raises(EngineError) as info:
        compute(tree(), d, build)
    assert info.value.params["child"] == "P"


def test_custom_aggregator_output_shape_is_checked() -> None:
    d = data([[1, 8, 2], [2, 1, 3]])
    build = Build(aggregate_nodes={"P": lambda v, w: np.zeros(3)})
    with pytest.raises(EngineError) as info:
        compute(tree(), d, build)
    assert info.value.code == "aggregate.custom-output"
