"""Sensitivity analysis: Sobol estimators against analytic values, SALib and the engine."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kotacerdas import sensitivity as sa
from kotacerdas import uncertainty as ua
from kotacerdas.coinr import CoinrInput, read_coinr
from kotacerdas.engine import Build, MinMax, MissingPolicy, Rank
from kotacerdas.errors import EngineError

ASEM = Path(__file__).resolve().parent / "data" / "coinr-asem"
BUILD = Build(normalise=MinMax(1, 100), missing=MissingPolicy.omit())

Model = Callable[[np.ndarray], np.ndarray]


@pytest.fixture(scope="module")
def asem() -> CoinrInput:
    return read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")


def _design(
    f: Model, d: int, n: int, seed: int, low: float = 0.0, high: float = 1.0
) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    a = rng.uniform(low, high, (n, d))
    b = rng.uniform(low, high, (n, d))
    y_ab = np.stack([f(np.where(np.arange(d) == i, b, a)) for i in range(d)])
    return a, b, f(a), f(b), y_ab


def _ishigami(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = (
        np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    )
    return out


def _ishigami_analytic(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    pi = np.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def _inside(value: np.ndarray, ci: np.ndarray, slack: float = 0.0) -> np.ndarray:
    return (ci[:, 0] - slack <= value) & (value <= ci[:, 1] + slack)


def test_ishigami_indices_match_their_analytic_values() -> None:
    _, _, y_a, y_b, y_ab = _design(_ishigami, 3, 1 << 15, seed=1, low=-np.pi, high=np.pi)
    s = sa.estimate(y_a, y_b, y_ab, bootstrap=100, seed=1)
    first, total = _ishigami_analytic()
    assert _inside(first, s.first_ci).all(), (s.first, s.first_ci, first)
    assert _inside(total, s.total_ci).all(), (s.total, s.total_ci, total)
    assert np.allclose(s.first, first, atol=0.05)
    assert np.allclose(s.total, total, atol=0.05)
    assert s.confidence == 0.95


def test_linear_model_indices_are_the_squared_coefficient_shares() -> None:
    coef = np.array([1.0, 2.0, 3.0, 0.0])
    _, _, y_a, y_b, y_ab = _design(lambda x: x @ coef, 4, 1 << 13, seed=2)
    s = sa.estimate(y_a, y_b, y_ab, bootstrap=400, seed=2)
    expected = coef**2 / (coef**2).sum()
    assert _inside(expected, s.first_ci).all(), (s.first, s.first_ci)
    assert _inside(expected, s.total_ci).all(), (s.total, s.total_ci)
    assert s.total[3] == 0.0  # a factor the model ignores has exactly no total effect
    assert s.variance == pytest.approx((coef**2).sum() / 12, rel=0.05)


def test_estimates_match_salib() -> None:
    salib = pytest.importorskip("SALib.analyze.sobol")
    d, n = 3, 1 << 10
    _, _, y_a, y_b, y_ab = _design(_ishigami, d, n, seed=3, low=-np.pi, high=np.pi)
    # SALib's layout without second-order terms: per row A, A_B^1 … A_B^d, B.
    y = np.column_stack([y_a, *y_ab, y_b]).ravel()
    problem = {"num_vars": d, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * d}
    ref = salib.analyze(problem, y, calc_second_order=False, num_resamples=10, seed=1)
    s = sa.estimate(y_a, y_b, y_ab, bootstrap=0)
    assert np.allclose(s.first, ref["S1"], rtol=1e-10, atol=1e-12)
    assert np.allclose(s.total, ref["ST"], rtol=1e-10, atol=1e-12)
    assert np.isnan(s.first_ci).all()


def test_constant_output_has_no_indices() -> None:
    y = np.ones(10)
    s = sa.estimate(y, y, np.ones((2, 10)), bootstrap=20, seed=0)
    assert np.isnan(s.first).all()
    assert np.isnan(s.total).all()
    assert np.isnan(s.first_ci).all()


@pytest.mark.parametrize(
    "args",
    [
        (np.ones(5), np.ones(4), np.ones((2, 5))),
        (np.ones(5), np.ones(5), np.ones((2, 4))),
        (np.ones(1), np.ones(1), np.ones((1, 1))),
    ],
)
def test_estimate_refuses_mismatched_shapes(args: tuple[np.ndarray, ...]) -> None:
    with pytest.raises(EngineError):
        sa.estimate(*args)


@pytest.mark.parametrize(("kwargs"), [{"bootstrap": -1}, {"confidence": 1.0}, {"bootstrap": 1.5}])
def test_estimate_refuses_bad_settings(kwargs: dict[str, object]) -> None:
    with pytest.raises(EngineError):
        sa.estimate(np.arange(4.0), np.arange(4.0), np.ones((1, 4)), **kwargs)  # type: ignore[arg-type]


# -- on a composite index -----------------------------------------------------------------------


def _assumptions() -> list[ua.Assumption]:
    return [
        ua.WeightNoise(0.25, levels=(2, 3)),
        ua.AggregationChoice(("arithmetic", "geometric"), nodes="Index"),
        ua.NormalisationChoice((MinMax(1, 100), Rank())),
        ua.AggregationChoice(("arithmetic", "arithmetic"), nodes="Physical", name="dummy"),
    ]


def test_asem_sensitivity(asem: CoinrInput) -> None:
    fw, data = asem
    result = sa.analyse(fw, data, _assumptions(), BUILD, samples=400, seed=8, bootstrap=200)
    assert result.runs == 400 * 6
    assert result.names[-1] == "dummy"
    s = result.indices
    assert s.total[3] == 0.0  # the dummy changes nothing
    assert s.first[3] == 0.0
    assert np.argmax(s.total) == 2  # normalisation matters most here
    assert (s.total[:3] > 0).all()
    rows = result.to_rows()
    assert [r["assumption"] for r in rows] == list(result.names)
    doc = json.loads(json.dumps(result.to_json()))
    assert (doc["runs"], doc["output"], doc["seed"]) == (2400, "rank_shift", 8)
    again = sa.analyse(
        fw, data, _assumptions(), BUILD, samples=400, seed=8, bootstrap=200, chunk_size=37
    )
    assert json.dumps(again.to_json()) == json.dumps(result.to_json())


def test_rank_and_score_of_one_unit(asem: CoinrInput) -> None:
    fw, data = asem
    rank = sa.analyse(
        fw,
        data,
        _assumptions()[:2],
        BUILD,
        samples=200,
        output="rank",
        unit="HRV",
        seed=1,
        bootstrap=50,
    )
    assert rank.unit_name == "Croatia"
    score = sa.analyse(
        fw,
        data,
        _assumptions()[:2],
        BUILD,
        samples=200,
        output="score",
        unit="HRV",
        seed=1,
        bootstrap=50,
    )
    assert score.mean == pytest.approx(50, abs=10)
    pd = pytest.importorskip("pandas")
    assert isinstance(score.to_frame("pandas"), pd.DataFrame)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"output": "rank", "unit": "XXX"}, "sensitivity.unit-unknown"),
        ({"output": "rank"}, "sensitivity.unit-unknown"),
        ({"output": "rank_shift", "unit": "DEU"}, "build.param-value"),
        ({"output": "median"}, "build.param-value"),
        ({"samples": 1}, "build.param-value"),
    ],
)
def test_bad_requests_are_refused(asem: CoinrInput, kwargs: dict[str, object], code: str) -> None:
    fw, data = asem
    with pytest.raises(EngineError) as info:
        sa.analyse(fw, data, [ua.WeightNoise(0.1)], BUILD, **{"samples": 4, **kwargs})  # type: ignore[arg-type]
    assert info.value.code == code
    with pytest.raises(EngineError) as none:
        sa.analyse(fw, data, [], BUILD, samples=4)
    assert none.value.code == "sensitivity.no-assumption"


def test_official_sensitivity_measures_shifts_from_the_exact_ranking() -> None:
    from kotacerdas import regions

    units = [r.code for r in regions.regions() if r.level == "kota"][:10]
    rng = np.random.default_rng(3)
    rows = [
        {"region": u, "year": 2022, "node": node, "value": f"{rng.uniform(2, 4):.2f}"}
        for u in units
        for node in ("BASE", "OUT", "OUTC", "IMP", "QW")
    ]
    split = [
        ua.WeightNoise(0.25, nodes=("BASE", "OUT"), name="base and output"),
        ua.WeightNoise(0.25, nodes=("OUTC", "IMP", "QW"), name="outcome, impact, quick wins"),
        ua.WeightNoise(0.0, nodes=("QW",), name="fixed"),
    ]
    result = sa.official(rows, "gm100sc@2022", split, samples=300, seed=1, bootstrap=50)
    assert result.framework == "gm100sc@2022"
    assert result.period == 2022
    assert result.names == ("base and output", "outcome, impact, quick wins", "fixed")
    assert result.indices.total[2] == 0.0
    assert (result.indices.total[:2] > 0).all()
    default = sa.official(rows, "gm100sc@2022", samples=50, seed=1, bootstrap=10)
    assert default.names == ("inferred weights ±25 %",)
    with pytest.raises(EngineError):
        sa.official(rows, "gm100sc@2022", [], samples=10)
