"""The missing-data policy: fail, omit, imputation by mean/median/peer group/latest year."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from kotacerdas import frameworks
from kotacerdas.engine import (
    Build,
    Dataset,
    Identity,
    Impute,
    LatestYear,
    MissingPolicy,
    compute,
    impute,
)
from kotacerdas.errors import EngineError, MissingDataError

NAN = float("nan")


def fw() -> Any:
    return frameworks.from_data(
        {
            "id": "m",
            "edition": "1",
            "title": "M",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "I",
                    "children": [
                        {"code": "x", "kind": "indicator", "label": "x"},
                        {"code": "y", "kind": "indicator", "label": "y"},
                    ],
                }
            ],
        }
    )


def data() -> Dataset:
    # four units in two provinces; y is missing for B and for both units of province 35
    values = np.array([[1.0, 10.0], [3.0, NAN], [5.0, NAN], [7.0, NAN]])
    return Dataset(
        ("A", "B", "C", "D"), ("x", "y"), values, groups={"prov": ("63", "63", "35", "35")}
    )


def test_fail_is_the_default_and_names_the_first_gap() -> None:
    with pytest.raises(MissingDataError) as info:
        compute(fw(), data())
    assert info.value.code == "missing.fail"
    assert info.value.params == {"count": 3, "where": "y / B"}
    assert "MissingPolicy.omit()" in info.value.message("en")


def test_omit_is_recorded_in_the_result() -> None:
    r = compute(fw(), data(), Build(normalise=Identity(), missing="omit"))
    assert r.missing == MissingPolicy.omit()
    assert r.score("I").tolist() == [5.5, 3.0, 5.0, 7.0]
    assert not r.imputed.any()


def test_impute_mean_and_median_per_period() -> None:
    d = Dataset(("A", "B", "C", "D"), ("y",), np.array([[1.0], [2.0], [NAN], [9.0]]))
    values, mask = impute(d, [Impute("mean")])
    assert values[:, 0, 0].tolist() == [1.0, 2.0, 4.0, 9.0]
    assert mask[:, 0, 0].tolist() == [False, False, True, False]
    values, _ = impute(d, [Impute("median")])
    assert values[2, 0, 0] == 2.0


def test_impute_peer_group_mean_with_fallback() -> None:
    d = data()
    values, mask = impute(d, [Impute("mean", by="prov"), Impute("mean")])
    assert values[:, 0, 1].tolist() == [10.0, 10.0, 10.0, 10.0]
    # the fallback averages observed values only, never the first step's imputations
    d3 = Dataset(
        ("A", "B", "C", "D"),
        ("y",),
        np.array([[2.0], [NAN], [4.0], [NAN]]),
        groups={"g": ("p", "p", "q", "r")},
    )
    values, _ = impute(d3, [Impute("mean", by="g"), Impute("mean")])
    assert values[:, 0, 0].tolist() == [2.0, 2.0, 4.0, 3.0]
    assert mask[:, 0, 1].tolist() == [False, True, True, True]
    d2 = Dataset(
        ("A", "B", "C"), ("y",), np.array([[1.0], [NAN], [3.0]]), groups={"g": ("p", "p", "q")}
    )
    values, _ = impute(d2, [Impute("median", by="g")])
    assert values[:, 0, 0].tolist() == [1.0, 1.0, 3.0]


def test_an_empty_peer_group_is_an_error_when_nothing_follows() -> None:
    policy = MissingPolicy.imputing(Impute("mean", by="prov"))
    with pytest.raises(MissingDataError) as info:
        compute(fw(), data(), Build(missing=policy))
    assert info.value.code == "missing.group-empty"
    assert info.value.params["group"] == "35"
    # …and is left missing (then omitted) when the policy says so
    policy = MissingPolicy.imputing(Impute("mean", by="prov"), then="omit")
    r = compute(fw(), data(), Build(normalise=Identity(), missing=policy))
    assert r.data[:, 0, 1].tolist()[:2] == [10.0, 10.0]
    assert np.isnan(r.data[2:, 0, 1]).all()


def test_peer_groups_from_the_region_registry() -> None:
    values = np.array([[1.0], [3.0], [NAN], [8.0]])
    d = Dataset(("63.09", "63.01", "63.02", "35.71"), ("y",), values)
    filled, _ = impute(d.with_region_groups("province"), [Impute("mean", by="province")])
    assert filled[2, 0, 0] == 2.0


def test_latest_year_carries_forward_within_the_lag() -> None:
    values = np.array([[[1.0], [NAN], [NAN], [4.0]], [[NAN], [2.0], [NAN], [NAN]]])
    d = Dataset(("A", "B"), ("y",), values, (2020, 2021, 2022, 2023))
    filled, mask = impute(d, [LatestYear()])
    assert filled[:, :, 0].tolist()[0] == [1.0, 1.0, 1.0, 4.0]
    assert np.isnan(filled[1, 0, 0])  # nothing earlier to carry
    assert filled[1, 1:, 0].tolist() == [2.0, 2.0, 2.0]
    filled, _ = impute(d, [LatestYear(max_lag=1)])
    assert np.isnan(filled[0, 2, 0])
    assert filled[0, 1, 0] == 1.0
    assert mask.sum() == 4


def test_imputation_never_changes_observed_values() -> None:
    d = data()
    for steps in ([Impute("mean")], [Impute("median", by="prov"), Impute("mean")], [LatestYear()]):
        values, mask = impute(d, steps)
        observed = ~np.isnan(d.values)
        assert (values[observed] == d.values[observed]).all()
        assert not mask[observed].any()


def test_policy_forms_and_checks() -> None:
    assert Build(missing="omit").missing == MissingPolicy.omit()
    assert Build().missing == MissingPolicy.fail()
    with pytest.raises(EngineError):
        MissingPolicy(then="omit", min_availability=1.5)
    with pytest.raises(EngineError):
        MissingPolicy(min_availability=0.5)  # a threshold only makes sense with omit
