"""Engine data near the float limits: the right number or a clear refusal, never a wrong one."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kotacerdas import frameworks
from kotacerdas.engine import (
    Build,
    CompositeResult,
    Dataset,
    Goalposts,
    MinMax,
    PercentileRank,
    ZScore,
    compute,
)
from kotacerdas.engine.treat import BoxCox
from kotacerdas.errors import EngineError
from kotacerdas.limits import MAX_DATA_MAGNITUDE
from kotacerdas.model import Framework

LOW = 1 / MAX_DATA_MAGNITUDE


def _framework(aggregation: str = "arithmetic") -> Framework:
    return frameworks.from_data(
        {
            "id": "f",
            "edition": "1",
            "title": "F",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "I",
                    "aggregation": aggregation,
                    "children": [
                        {"code": "a", "kind": "indicator", "label": "a"},
                        {"code": "b", "kind": "indicator", "label": "b"},
                    ],
                }
            ],
        }
    )


def _data(a: list[float], b: list[float] | None = None) -> Dataset:
    b = b if b is not None else [1.0 + i for i in range(len(a))]
    units = tuple(f"U{i}" for i in range(len(a)))
    return Dataset(units, ("a", "b"), np.array([a, b]).T)


@pytest.mark.parametrize("value", [1e308, -1e308, 1.5e100, 1e-300, -5e-324, 1e-101])
def test_values_beyond_the_engine_range_are_refused(value: float) -> None:
    # Before: [1e308, -1e308, 3] min-maxed to a wrong score with only a RuntimeWarning.
    with pytest.raises(EngineError) as info:
        _data([value, 3.0, 5.0])
    assert info.value.code == "data.out-of-range"
    assert "a / U0" in info.value.message("en")
    assert "1e-100" in info.value.message("id")


@pytest.mark.parametrize(
    "build", [Build(), Build(normalise=ZScore()), Build(normalise=PercentileRank())]
)
def test_the_extremes_of_the_range_give_the_right_numbers(build: Build) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        result = compute(
            _framework(), _data([MAX_DATA_MAGNITUDE, -MAX_DATA_MAGNITUDE, LOW, 0.0]), build
        )
    scores = result.score("I")
    assert np.isfinite(scores).all()
    if build.normalise is None or isinstance(build.normalise, MinMax):
        # a: 100, 0, 50, 50 (LOW and 0 are the midpoint in float); b: 0, 33.3, 66.7, 100
        assert scores.tolist() == pytest.approx([50.0, 100 / 6, 350 / 6, 75.0])


def test_overflow_in_a_step_is_refused_not_returned() -> None:
    fw, data = _framework(), _data([1e100, 5e99, 3.0])
    with pytest.raises(EngineError) as info:  # x^5 of 1e100 is beyond the float range
        compute(fw, data, Build(treat=BoxCox(5.0, makepos=False, force=True)))
    assert info.value.code == "engine.overflow"
    assert "treatment" in info.value.message("en")
    goalposts = Goalposts(lower=-1e308, upper=1e308)  # hi − lo overflows
    with pytest.raises(EngineError) as info:
        compute(fw, _data([1.0, 2.0, 3.0]), Build(normalise=goalposts))
    assert info.value.code == "engine.overflow"


def test_an_aggregator_returning_infinity_is_refused() -> None:
    def wild(values: Any, weights: Any) -> Any:
        return np.full(values.shape[0], np.inf)

    with pytest.raises(EngineError) as info:
        compute(_framework(), _data([1.0, 2.0, 3.0]), Build(aggregate=wild))
    assert info.value.code == "engine.overflow"
    assert "I" in info.value.message("en")


def _computed(fw: Framework, data: Dataset, build: Build) -> CompositeResult | None:
    try:
        return compute(fw, data, build)
    except EngineError as exc:
        if exc.code != "normalise.no-variance":
            raise
        return None


_IN_RANGE = st.one_of(
    st.just(0.0),
    st.floats(LOW, MAX_DATA_MAGNITUDE),
    st.floats(-MAX_DATA_MAGNITUDE, -LOW),
)


@settings(max_examples=60, deadline=None)
@given(
    values=arrays(np.float64, (5, 2), elements=_IN_RANGE),
    aggregation=st.sampled_from(["arithmetic", "median", "minimum", "maximum"]),
)
def test_finite_inputs_in_range_give_bounded_scores(values: Any, aggregation: str) -> None:
    fw = _framework(aggregation)
    data = _data(list(values[:, 0]), list(values[:, 1]))
    flat = [len(set(values[:, j])) == 1 for j in range(2)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for build, lo, hi in (
            (Build(normalise=MinMax()), 0.0, 100.0),
            (Build(normalise=ZScore()), -np.inf, np.inf),
            (Build(normalise=PercentileRank()), 0.0, 1.0),
            (Build(normalise=Goalposts(-MAX_DATA_MAGNITUDE, MAX_DATA_MAGNITUDE)), 0.0, 1.0),
        ):
            result = _computed(fw, data, build)
            if result is None:  # a clear refusal: a column without spread
                assert any(flat)
                continue
            normalised = result.values[:, :, : len(result.indicators)]
            for got in (normalised[~np.isnan(normalised)], result.score("I")):
                assert np.isfinite(got).all()
                assert (got >= lo).all()
                assert (got <= hi).all()


def test_uncertainty_refuses_an_overflowing_alternative() -> None:
    from kotacerdas import uncertainty

    def wild(values: Any, weights: Any) -> Any:
        return np.full(values.shape[0], np.inf)

    choice = uncertainty.AggregationChoice(("arithmetic", wild), nodes="I")
    with pytest.raises(EngineError) as info:
        uncertainty.analyse(_framework(), _data([1.0, 2.0, 3.0]), [choice], samples=8, seed=1)
    assert info.value.code == "engine.overflow"
    assert "I" in info.value.message("en")


def test_pairwise_correlation_of_a_constant_pair_is_nan_not_rounding_noise() -> None:
    # Hypothesis found it: column 0 is 3, 3, 3 where column 2 is present, but centred on
    # its own mean (1.8) the variance came out as rounding noise and r as -3e-10.
    from kotacerdas.engine._stats import pearson, pearson_matrix

    x = np.array(
        [[0, np.nan, np.nan], [0, np.nan, np.nan], [3, np.nan, 0], [3, np.nan, 0], [3, np.nan, 1]]
    )
    r, _ = pearson_matrix(x, x)
    assert np.isnan(r[0, 2])
    assert np.isnan(r[2, 0])
    assert np.isnan(pearson(x[:, 0], x[:, 2])[0])
    assert r[2, 2] == 1.0
