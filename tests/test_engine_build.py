"""Build specifications: resolution per node, per-level expansion, trees, datasets and results."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import kotacerdas
from kotacerdas import frameworks
from kotacerdas.engine import (
    Build,
    Dataset,
    Identity,
    MinMax,
    Rank,
    ZScore,
    compute,
)
from kotacerdas.engine.build import levels
from kotacerdas.model import Framework

NAN = float("nan")


def fw() -> Framework:
    """I ← A ← (a1, a2), B ← (b1, C ← (c1, c2)); plus an unscored axis X ← x1."""
    return frameworks.from_data(
        {
            "id": "b",
            "edition": "1",
            "title": "B",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "nodes": [
                {"code": "I", "kind": "index", "label": "I"},
                {"code": "A", "kind": "pillar", "label": "A", "parent": "I"},
                {"code": "a1", "kind": "indicator", "label": "a1", "parent": "A"},
                {"code": "a2", "kind": "indicator", "label": "a2", "parent": "A"},
                {
                    "code": "B",
                    "kind": "pillar",
                    "label": "B",
                    "parent": "I",
                    "aggregation": "minimum",
                },
                {"code": "b1", "kind": "indicator", "label": "b1", "parent": "B"},
                {"code": "C", "kind": "sub", "label": "C", "parent": "B"},
                {"code": "c1", "kind": "indicator", "label": "c1", "parent": "C"},
                {"code": "c2", "kind": "indicator", "label": "c2", "parent": "C"},
                {"code": "X", "kind": "axis", "label": "X"},
                {"code": "x1", "kind": "indicator", "label": "x1", "parent": "X"},
            ],
        }
    )


def data(n: int = 4, seed: int = 1) -> Dataset:
    rng = np.random.default_rng(seed)
    codes = ("a1", "a2", "b1", "c1", "c2")
    return Dataset(tuple(f"U{i}" for i in range(n)), codes, rng.uniform(1, 9, (n, len(codes))))


def test_levels_count_up_from_the_indicators() -> None:
    f = fw()
    assert levels((f.node("I"),)) == {
        "I": 4,
        "A": 2,
        "a1": 1,
        "a2": 1,
        "B": 3,
        "b1": 1,
        "C": 2,
        "c1": 1,
        "c2": 1,
    }


def test_resolution_priority() -> None:
    f = fw()
    r = Build().resolve(f)
    assert r.roots == ("I",)  # the index tree only
    assert dict(r.aggregation) == {
        "I": "arithmetic",
        "A": "arithmetic",
        "B": "minimum",
        "C": "arithmetic",
    }
    assert r.normalisation["a1"] == MinMax()
    r = Build(aggregate="geometric").resolve(f)
    assert set(r.aggregation.values()) == {"geometric"}  # overrides the framework's own
    build = Build(
        aggregate="median", aggregate_levels={2: "harmonic"}, aggregate_nodes={"C": "maximum"}
    )
    resolved = build.resolve(f)
    assert dict(resolved.aggregation) == {
        "I": "median",
        "A": "harmonic",
        "B": "median",
        "C": "maximum",
    }
    r2 = Build(normalise="zscore", normalise_indicators={"b1": "rank"}).resolve(f)
    assert r2.normalisation["b1"] == Rank()
    assert r2.normalisation["c1"] == ZScore()


def test_per_level_expands_to_per_node() -> None:
    f = fw()
    by_level = Build(normalise=MinMax(1, 100), aggregate_levels={2: "geometric", 3: "harmonic"})
    by_node = Build(
        normalise=MinMax(1, 100),
        aggregate_nodes={"A": "geometric", "C": "geometric", "B": "harmonic"},
    )
    assert by_level.resolve(f).aggregation == by_node.resolve(f).aggregation
    a, b = compute(f, data(), by_level), compute(f, data(), by_node)
    assert np.array_equal(a.values, b.values)


def test_another_tree_and_extra_columns() -> None:
    f = fw()
    d = Dataset(("U", "V"), ("x1", "zzz"), np.array([[1.0, 5.0], [3.0, 6.0]]))
    r = compute(f, d, Build(tree="X"))
    assert r.nodes == ("x1", "X")
    assert r.score("X").tolist() == [0.0, 100.0]


def test_the_result_records_how_it_was_made() -> None:
    f = fw()
    build = Build(missing="omit")
    r = compute(f, data(), build)
    assert r.framework is f
    assert r.framework_ref == "b@1"
    assert r.version == kotacerdas.__version__
    assert r.build.spec == build
    assert r.build.scope == "all"
    assert r.missing == build.missing
    assert r.nodes == ("a1", "a2", "b1", "c1", "c2", "A", "C", "B", "I")
    assert r.aggregates == ("A", "C", "B", "I")
    assert r.normalised.shape == (4, 1, 5)
    assert r.effective_weights["c1"] == pytest.approx(0.125)
    with pytest.raises(ValueError, match="read-only"):
        r.values[0, 0, 0] = 1.0


def test_long_and_wide_rows() -> None:
    d = Dataset(
        ("U", "V"),
        ("a1", "a2", "b1", "c1", "c2"),
        np.array([[1.0, 2.0, 3.0, 4.0, NAN], [2.0, 3.0, 4.0, 5.0, 6.0]]),
        (2024,),
    )
    r = compute(fw(), d, Build(normalise=Identity(), missing="omit"))
    long = r.to_long()
    assert len(long) == 2 * 9
    assert long[0] == {"unit": "U", "unit_name": None, "period": 2024, "node": "a1", "value": 1.0}
    assert {"unit": "U", "unit_name": None, "period": 2024, "node": "c2", "value": None} in long
    wide = r.to_wide()
    assert wide[1]["unit"] == "V"
    assert wide[1]["C"] == 5.5
    assert wide[0]["C"] == 4.0
    assert list(wide[0])[:4] == ["unit", "unit_name", "period", "a1"]


def test_scores_and_ranks() -> None:
    d = Dataset(
        ("U", "V", "W"), ("a1", "a2", "b1", "c1", "c2"), np.array([[1.0] * 5, [3.0] * 5, [3.0] * 5])
    )
    r = compute(fw(), d, Build(normalise=Identity()))
    assert r.score("i").tolist() == [1.0, 3.0, 3.0]  # aliases and case resolve
    assert r.rank("I").tolist() == [3.0, 1.0, 1.0]


def test_dataset_from_rows_and_long() -> None:
    rows: list[dict[str, object]] = [
        {"region": "A", "year": "2023", "x": "1.5", "g": "p"},
        {"region": "A", "year": "2024", "x": "NA", "g": "p"},
        {"region": "B", "year": "2024", "x": 2, "g": ""},
    ]
    d = Dataset.from_rows(rows, unit="region", period="year", groups=("g",))
    assert d.units == ("A", "B")
    assert d.periods == (2023, 2024)
    assert d.indicators == ("x",)
    assert d.groups["g"] == ("p", None)
    assert d.value("A", "x", 2023) == 1.5
    assert math.isnan(d.value("A", "x"))
    again = Dataset.from_long(d.to_long())
    assert again.value("B", "x") == 2.0
    assert again.periods == (2023, 2024)


def test_dataset_is_read_only_and_copies_its_input() -> None:
    source = np.array([[1.0, 2.0]])
    d = Dataset(("A",), ("x", "y"), source)
    source[0, 0] = 99.0
    assert d.value("A", "x") == 1.0
    with pytest.raises(ValueError, match="read-only"):
        d.values[0, 0, 0] = 5.0


def test_build_is_hashable_and_compared_by_value() -> None:
    one: Any = Build(normalise={"method": "minmax", "low": 1}, aggregate_nodes={"A": "a_gmean"})
    two = Build(normalise=MinMax(low=1), aggregate_nodes={"A": "geometric"})
    assert one == two
    assert hash(one) == hash(two)
