"""Normalisation methods: hand-computed values, directions, output ranges and panel scope."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from kotacerdas import frameworks
from kotacerdas.engine import (
    Build,
    Dataset,
    DistanceToReference,
    DistanceToTarget,
    Goalposts,
    Identity,
    MinMax,
    PercentileRank,
    Rank,
    ZScore,
    compute,
    normalise_array,
    normaliser,
)
from kotacerdas.engine.normalise import as_normaliser

NAN = float("nan")


def col(method: Any, values: list[float], **kw: Any) -> list[float]:
    out = normalise_array(method, [[v] for v in values], **kw)
    return [round(float(v), 12) if v == v else NAN for v in out[:, 0]]


def same(a: list[float], b: list[float]) -> bool:
    return all((x != x and y != y) or x == pytest.approx(y) for x, y in zip(a, b, strict=True))


def test_minmax_default_range_and_direction() -> None:
    assert col(MinMax(), [1, 3, 2]) == [0, 100, 50]
    assert col(MinMax(), [1, 3, 2], directions=[-1]) == [100, 0, 50]
    assert col(MinMax(low=1, high=100), [1, 3, 2]) == [1, 100, 50.5]
    assert same(col(MinMax(), [1, NAN, 3]), [0, NAN, 100])


def test_zscore_sample_sd_and_chosen_mean_sd() -> None:
    assert col(ZScore(), [1, 2, 3]) == [-1, 0, 1]
    assert col(ZScore(mean=10, sd=2), [1, 2, 3]) == [8, 10, 12]
    assert col(ZScore(mean=10, sd=2), [1, 2, 3], directions=[-1]) == [12, 10, 8]
    # sample sd of (2, 4, 4, 4, 5, 5, 7, 9) is sqrt(32/7)
    z = col(ZScore(), [2, 4, 4, 4, 5, 5, 7, 9])
    assert z[0] == pytest.approx(-3 / (32 / 7) ** 0.5)


def test_goalposts_clip_scale_and_direction() -> None:
    assert col(Goalposts(0, 10), [-5, 5, 12]) == [0, 0.5, 1]
    assert col(Goalposts(0, 10, clip=False), [-5, 5, 12]) == [-0.5, 0.5, 1.2]
    assert col(Goalposts(0, 10), [-5, 5, 12], directions=[-1]) == [1, 0.5, 0]
    assert col(Goalposts(0, 10, low=1, high=100), [0, 5, 10]) == [1, 50.5, 100]


def test_distance_to_target() -> None:
    assert same(col(DistanceToTarget(target=4), [1, 2, 5]), [0, 1 / 3, 4 / 3])
    assert same(col(DistanceToTarget(target=4, cap=True), [1, 2, 5]), [0, 1 / 3, 1])
    # negative: (max − x) / (max − target)
    assert col(DistanceToTarget(target=2), [1, 4, 3], directions=[-1]) == [1.5, 0, 0.5]
    # the target may come from the framework (here: passed per column)
    assert col(DistanceToTarget(high=100), [0, 5, 10], targets=[10]) == [0, 50, 100]


def test_distance_to_reference() -> None:
    units = ["A", "B", "C"]
    assert col(DistanceToReference("B"), [1, 3, 5], units=units) == [0, 1, 2]
    assert col(DistanceToReference("B", cap=True), [1, 3, 5], units=units) == [0, 1, 1]
    assert col(DistanceToReference("A"), [1, 3, 5], units=units, directions=[-1]) == [1, 0.5, 0]


def test_rank_and_percentile_rank_ties_min() -> None:
    assert col(Rank(), [3, 1, 3, 2]) == [3, 1, 3, 2]
    assert same(col(Rank(), [3, NAN, 1]), [2, NAN, 1])
    assert col(Rank(), [3, 1, 2], directions=[-1]) == [1, 3, 2]
    assert col(PercentileRank(), [10, 20, 30]) == [0, 0.5, 1]
    assert col(PercentileRank(), [1, 1, 2]) == [0, 0, 1]
    assert col(PercentileRank(low=0, high=100), [10, 30, 20]) == [0, 100, 50]


def test_identity_keeps_values() -> None:
    assert col(Identity(), [3, 1, 2]) == [3, 1, 2]


def test_names_aliases_and_mappings() -> None:
    assert normaliser("minmax", low=1, high=100) == MinMax(1, 100)
    assert normaliser("n_minmax") == MinMax()
    assert normaliser("Z-Score", mean=10, sd=2) == ZScore(10, 2)
    assert normaliser("n_dist2targ", cap=True) == DistanceToTarget(cap=True)
    assert normaliser("n_prank") == PercentileRank()
    assert normaliser("none") == Identity()
    assert as_normaliser({"method": "goalposts", "lower": 0, "upper": 1}) == Goalposts(0, 1)
    assert as_normaliser(Rank()) == Rank()
    assert MinMax(1, 100).params() == {"low": 1, "high": 100}


# -- through the engine: targets from the framework, panel scope --------------------------------


def _fw(**leaf: Any) -> Any:
    return frameworks.from_data(
        {
            "id": "n",
            "edition": "1",
            "title": "N",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "I",
                    "children": [{"code": "x", "kind": "indicator", "label": "x", **leaf}],
                }
            ],
        }
    )


def test_target_from_the_framework_node() -> None:
    fw = _fw(target=10)
    data = Dataset(("A", "B"), ("x",), np.array([[0.0], [5.0]]))
    r = compute(fw, data, Build(normalise=DistanceToTarget(high=100)))
    assert r.score("x").tolist() == [0.0, 50.0]


def test_panel_scope_all_periods_or_each_period() -> None:
    fw = _fw()
    values = np.array([[[1.0], [2.0]], [[3.0], [4.0]]])  # units × periods × indicators
    data = Dataset(("A", "B"), ("x",), values, (2020, 2021))
    pooled = compute(fw, data, Build(scope="all")).column("x")
    assert pooled.round(6).tolist() == [[0.0, 33.333333], [66.666667, 100.0]]
    yearly = compute(fw, data, Build(scope="period")).column("x")
    assert yearly.tolist() == [[0.0, 0.0], [100.0, 100.0]]
    ranks = compute(fw, data, Build(normalise="rank", scope="period")).column("x")
    assert ranks.tolist() == [[1.0, 1.0], [2.0, 2.0]]
