"""Weighting schemes: framework, equal and explicit weights; local and global shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from kotacerdas import frameworks
from kotacerdas.engine import Build, Dataset, Identity, Weights, compute, resolve_weights
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework


def fw(mode: str = "local", total: int = 1) -> Framework:
    """I ← A (0.6: a1 0.5, a2 0.5), B (0.4: b1 0.25, b2 0.75), in local or global weights."""
    g = mode == "global"
    t = Decimal(total)

    def w(local: str, parent: str = "1") -> Decimal:
        return Decimal(local) * (Decimal(parent) if g else 1) * t

    return frameworks.from_data(
        {
            "id": "w",
            "edition": "1",
            "title": "W",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "weights": mode,
            "weight_total": t,
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "I",
                    "children": [
                        {
                            "code": "A",
                            "kind": "pillar",
                            "label": "A",
                            "weight": w("0.6"),
                            "children": [
                                {
                                    "code": "a1",
                                    "kind": "indicator",
                                    "label": "a1",
                                    "weight": w("0.5", "0.6"),
                                },
                                {
                                    "code": "a2",
                                    "kind": "indicator",
                                    "label": "a2",
                                    "weight": w("0.5", "0.6"),
                                },
                            ],
                        },
                        {
                            "code": "B",
                            "kind": "pillar",
                            "label": "B",
                            "weight": w("0.4"),
                            "children": [
                                {
                                    "code": "b1",
                                    "kind": "indicator",
                                    "label": "b1",
                                    "weight": w("0.25", "0.4"),
                                },
                                {
                                    "code": "b2",
                                    "kind": "indicator",
                                    "label": "b2",
                                    "weight": w("0.75", "0.4"),
                                },
                            ],
                        },
                    ],
                }
            ],
        }
    )


@pytest.mark.parametrize(("mode", "total"), [("local", 1), ("local", 100), ("global", 100)])
def test_framework_weights_in_any_mode_give_the_same_shares(mode: str, total: int) -> None:
    r = resolve_weights(fw(mode, total))
    assert r.local["A"] == pytest.approx(0.6)
    assert r.local["b2"] == pytest.approx(0.75)
    assert r.effective["b2"] == pytest.approx(0.3)
    assert r.effective["I"] == 1.0
    assert r.percent("a1") == pytest.approx(30.0)


def test_effective_weights_agree_with_the_model() -> None:
    f = fw("global", 100)
    r = resolve_weights(f)
    for node in f:
        if node.parent is not None:
            expected = f.effective_weight(node.code)
            assert expected is not None
            assert r.effective[node.code] == pytest.approx(float(expected))


def test_equal_weights() -> None:
    r = resolve_weights(fw(), Weights.equal())
    assert r.local["A"] == 0.5
    assert r.effective["b2"] == 0.25


def test_explicit_relative_weights_override_whole_sibling_sets() -> None:
    r = resolve_weights(fw(), Weights.explicit({"b1": 1, "b2": 1}))
    assert r.local["b1"] == 0.5
    assert r.local["A"] == pytest.approx(0.6)  # not named: the framework's
    r = resolve_weights(fw(), Weights.explicit({"b1": 1, "b2": 1}, base="equal"))
    assert r.local["A"] == 0.5


def test_explicit_global_percentages_are_checked_for_consistency() -> None:
    good = {"A": 50, "B": 50, "a1": 10, "a2": 40, "b1": 25, "b2": 25}
    r = resolve_weights(fw(), Weights.explicit(good, mode="global", total=100))
    assert r.local["a2"] == pytest.approx(0.8)
    assert r.effective["a2"] == pytest.approx(0.4)
    bad = {**good, "a2": 30}
    with pytest.raises(EngineError) as info:
        resolve_weights(fw(), Weights.explicit(bad, mode="global", total=100))
    assert info.value.code == "weights.inconsistent"
    assert info.value.params["parent"] == "A"


def test_explicit_local_shares_must_sum_to_total() -> None:
    r = resolve_weights(fw(), Weights.explicit({"A": 0.5, "B": 0.5}, mode="local"))
    assert r.local["A"] == 0.5
    with pytest.raises(EngineError) as info:
        resolve_weights(fw(), Weights.explicit({"A": 0.5, "B": 0.6}, mode="local"))
    assert info.value.params["parent"] == "I"


def test_weights_change_the_result_through_a_build() -> None:
    data = Dataset(("U",), ("a1", "a2", "b1", "b2"), np.array([[1.0, 2.0, 3.0, 4.0]]))
    base = Build(normalise=Identity())
    r = compute(fw(), data, base)
    assert r.score("I").tolist() == pytest.approx([0.6 * 1.5 + 0.4 * 3.75])
    assert r.effective_weights["b2"] == pytest.approx(0.3)
    r = compute(fw(), data, Build(normalise=Identity(), weights="equal"))
    assert r.score("I").tolist() == pytest.approx([2.5])
    r = compute(fw(), data, Build(normalise=Identity(), weights={"A": 0, "B": 1}))
    assert r.score("I").tolist() == pytest.approx([3.75])


def test_weights_spec_forms() -> None:
    explicit: Any = {"A": 1, "B": 1}
    assert Build(weights=explicit).weights == Weights.explicit(explicit)
    assert Build(weights="equal").weights == Weights.equal()
    assert Build().weights == Weights.framework()
