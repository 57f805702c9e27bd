"""COINr's n_*, i_*, a_* functions: COINr's names, arguments and numbers (from its formulas)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas import coinr
from kotacerdas.engine import aggregate
from kotacerdas.errors import EngineError

NAN = math.nan
X = [1.0, 3.0, None, 2.0, 7.0]


def same(got: object, expected: list[float]) -> None:
    values = np.asarray(got, dtype=float).tolist()
    assert len(values) == len(expected)
    for g, e in zip(values, expected, strict=True):
        if math.isnan(e):
            assert math.isnan(g)
        else:
            assert g == pytest.approx(e, rel=1e-12, abs=1e-12)


# -- normalisation ------------------------------------------------------------------------------


def test_n_minmax() -> None:
    same(coinr.n_minmax(X), [0, 100 / 3, NAN, 100 / 6, 100])
    same(coinr.n_minmax(X, l_u=(1, 100)), [1, 1 + 99 / 3, NAN, 1 + 99 / 6, 100])


def test_n_zscore_uses_the_sample_sd() -> None:
    obs = [1.0, 3.0, 2.0, 7.0]
    m, s = statistics.mean(obs), statistics.stdev(obs)
    expected = [NAN if v is None else (v - m) / s for v in X]
    same(coinr.n_zscore(X), expected)
    same(coinr.n_zscore(X, m_sd=(10, 2)), [10 + 2 * e for e in expected])


def test_n_scaled_is_not_clipped() -> None:
    same(coinr.n_scaled([1, 3, 12], npara=(0, 10), scale_factor=100), [10, 30, 120])


def test_n_dist2max() -> None:
    same(coinr.n_dist2max(X), [1 - (7 - 1) / 6, 1 - 4 / 6, NAN, 1 - 5 / 6, 1])


def test_n_dist2ref_counts_from_one_as_r() -> None:
    same(coinr.n_dist2ref(X, iref=2), [0, 1, NAN, 0.5, 3])
    same(coinr.n_dist2ref(X, iref=2, cap_max=True), [0, 1, NAN, 0.5, 1])


def test_n_dist2targ_both_directions() -> None:
    same(coinr.n_dist2targ(X, targ=5), [0, 0.5, NAN, 0.25, 1.5])
    same(coinr.n_dist2targ(X, targ=5, cap_max=True), [0, 0.5, NAN, 0.25, 1])
    same(coinr.n_dist2targ(X, targ=2, direction=-1), [1.2, 0.8, NAN, 1, 0])
    same(coinr.n_dist2targ(X, targ=2, direction=-1, cap_max=True), [1, 0.8, NAN, 1, 0])


def test_n_fracmax() -> None:
    same(coinr.n_fracmax(X), [1 / 7, 3 / 7, NAN, 2 / 7, 1])


@pytest.mark.parametrize(
    ("ties", "expected"),
    [
        ("min", [3, 1, 3, NAN, 2]),
        ("max", [4, 1, 4, NAN, 2]),
        ("average", [3.5, 1, 3.5, NAN, 2]),
        ("first", [3, 1, 4, NAN, 2]),
        ("last", [4, 1, 3, NAN, 2]),
    ],
)
def test_n_rank_ties_as_r(ties: str, expected: list[float]) -> None:
    same(coinr.n_rank([3, 1, 3, None, 2], ties_method=ties), expected)


def test_n_borda_and_n_prank() -> None:
    same(coinr.n_borda([3, 1, 3, None, 2]), [2, 0, 2, NAN, 1])
    same(coinr.n_prank([3, 1, 3, None, 2]), [2 / 3, 0, 2 / 3, NAN, 1 / 3])
    same(coinr.n_prank([3, 1, 3, None, 2], ties_method="max"), [1, 0, 1, NAN, 1 / 3])


def test_n_goalposts() -> None:
    same(coinr.n_goalposts(X, gposts=(2, 6, 100)), [0, 25, NAN, 0, 100])
    same(coinr.n_goalposts(X, gposts=(2, 6, 100), direction=-1), [100, 75, NAN, 100, 0])
    same(coinr.n_goalposts(X, gposts=(2, 6, 100), trunc2posts=False), [-25, 25, NAN, 0, 125])


# -- imputation ---------------------------------------------------------------------------------


def test_i_mean_and_i_median() -> None:
    same(coinr.i_mean([1, None, 3, None]), [1, 2, 3, 2])
    same(coinr.i_median([1, None, 3, 10]), [1, 3, 3, 10])
    same(coinr.i_mean([None, None]), [NAN, NAN])


def test_group_imputation_leaves_units_without_a_group() -> None:
    x = [1, None, 3, 10, None, None, 8]
    f = ["a", "a", "b", "b", None, "b", "b"]
    same(coinr.i_mean_grp(x, f), [1, 1, 3, 10, NAN, 7, 8])
    same(coinr.i_median_grp(x, f), [1, 1, 3, 10, NAN, 8, 8])
    same(coinr.i_mean_grp([1, None], [1, 1]), [1, 1])  # any labels, as R's factors


# -- aggregation --------------------------------------------------------------------------------


def test_means() -> None:
    assert coinr.a_amean([1, None, 3], w=[1, 1, 2]) == pytest.approx(7 / 3)
    assert math.isnan(coinr.a_amean([None, None], w=[1, 1]))
    assert coinr.a_gmean([1, 4]) == pytest.approx(2)
    assert coinr.a_gmean([1, 4, None], w=[1, 3, 5]) == pytest.approx(4 ** (3 / 4))
    assert coinr.a_hmean([1, 4]) == pytest.approx(1.6)
    assert coinr.a_hmean([1, 4], w=[1, 3]) == pytest.approx(4 / (1 + 3 / 4))
    assert coinr.a_genmean([1, 4], p=2) == pytest.approx(math.sqrt(8.5))
    assert coinr.a_genmean([1, 4], None, 1) == pytest.approx(2.5)
    assert coinr.a_genmean([1, 4], p=-1) == pytest.approx(coinr.a_hmean([1, 4]))
    assert coinr.a_genmean([1, 4], w=[3, 1], p=3) == pytest.approx(((3 + 64) / 4) ** (1 / 3))
    assert math.isnan(coinr.a_genmean([1, None, 4], p=2))  # COINr: NA when any is NA


def test_copeland_with_half_weight_for_ties() -> None:
    same(coinr.a_copeland([[1, 2], [2, 1], [3, 3]]), [-1, -1, 2])
    same(coinr.a_copeland([[1, 2], [2, 1], [3, 3]], w=[3, 1]), [-2, 0, 2])
    o = coinr.outrankMatrix([[1, 1], [1, 2]])["OutRankMatrix"]
    same(o.ravel(), [0, 0.25, 0.75, 0])
    same(coinr.a_copeland([[1, 1], [1, 2]]), [-1, 1])


def test_copeland_missing_values_as_coinr() -> None:
    # A comparison with a missing value counts for neither unit in O[i, j] (i < j), so
    # O[j, i] = 1 − O[i, j] gives it to the later unit, as COINr's outrankMatrix.
    x: list[list[float | None]] = [[1, None], [2, 1], [0, 5]]
    same(coinr.outrankMatrix(x)["OutRankMatrix"].ravel(), [0, 0, 0.5, 1, 0, 0.5, 0.5, 0.5, 0])
    same(coinr.a_copeland(x), [-1, 1, 0])


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 6).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(0, 4).map(float), min_size=3, max_size=3),
            min_size=n,
            max_size=n,
        )
    ),
    st.lists(st.integers(1, 5).map(float), min_size=3, max_size=3),
)
def test_copeland_is_the_engines_without_missing_values(
    x: list[list[float]], w: list[float]
) -> None:
    values = np.array(x)
    weights = np.broadcast_to(np.array(w) / sum(w), values.shape).copy()
    same(coinr.a_copeland(x, w), aggregate.copeland(values, weights).tolist())


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-50, 50).map(float)), min_size=2, max_size=12),
    st.sampled_from(["min", "max", "average", "first"]),
)
def test_ranks_match_pandas(x: list[float | None], ties: str) -> None:
    pd = pytest.importorskip("pandas")
    expected = pd.Series(x, dtype=float).rank(method=ties).tolist()
    same(coinr.n_rank(x, ties_method=ties), expected)


# -- COINr's own tests (tests/testthat/test-normalise.R, test-aggregate.R, test-Impute.R) --------


def test_coinrs_own_normalisation_tests() -> None:
    same(coinr.n_dist2targ([0, 5, 11], targ=10), [0, 0.5, 1.1])
    same(coinr.n_dist2targ([0, 5, 11], targ=10, cap_max=True), [0, 0.5, 1])
    same(coinr.n_dist2targ([-1, 1, 10], targ=0, direction=-1), [1.1, 0.9, 0])
    same(coinr.n_dist2targ([-1, 1, 10], targ=0, direction=-1, cap_max=True), [1, 0.9, 0])
    for v, expected in ((1, 0.1), (11, 1), (-1, 0)):
        same(coinr.n_goalposts(v, (0, 10, 1)), [expected])
    for v, expected in ((1, 0.9), (-1, 1), (11, 0)):
        same(coinr.n_goalposts(v, (0, 10, 1), direction=-1), [expected])
    x = np.array([0.42, 0.07, 0.91, 0.33, 0.65, 0.18, 0.77, 0.5, 0.02, 0.88])
    same(coinr.n_scaled(x, npara=(1, 10)), ((x - 1) / 9 * 100).tolist())
    same(coinr.n_dist2ref(x, iref=1), (1 - (x[0] - x) / (x[0] - x.min())).tolist())
    same(coinr.n_minmax(np.arange(1.0, 11), l_u=(2, 7))[[0, -1]], [2, 7])
    z = coinr.n_zscore(np.arange(1.0, 11), m_sd=(5, 2))
    assert (z.mean(), z.std(ddof=1)) == (pytest.approx(5), pytest.approx(2))


def test_coinrs_own_aggregation_tests() -> None:
    assert coinr.a_gmean([1, 2, 3]) == pytest.approx(6 ** (1 / 3))
    assert coinr.a_gmean([1, 2, 3], [1, 1, 2]) == pytest.approx(18 ** (1 / 4))
    assert coinr.a_hmean([1, 2, 3], [2, 1, 1]) == pytest.approx(4 / (2 + 1 / 2 + 1 / 3))
    assert coinr.a_genmean([1, 2, 3], [2, 1, 1], p=-1) == pytest.approx(4 / (2 + 1 / 2 + 1 / 3))
    assert coinr.a_genmean([1, 2, 3], p=1) == pytest.approx(2)
    x = [[1, 3, 2], [2, 2, 3], [3, 1, 1], [4, 5, 4]]
    orm = coinr.outrankMatrix(x)
    o = orm["OutRankMatrix"]
    assert (o[1, 0], o[2, 0], o[3, 0]) == (pytest.approx(2 / 3), pytest.approx(1 / 3), 1)
    assert o.diagonal().tolist() == [0, 0, 0, 0]
    assert (orm["nDominant"], orm["fracDominant"]) == (3, 0.5)
    signs = np.where(o > 0.5, 1, np.where(o < 0.5, -1, 0))
    np.fill_diagonal(signs, 0)
    same(coinr.a_copeland(x), signs.sum(axis=1).tolist())
    tie = coinr.outrankMatrix([[1, 2], [2, 1]])["OutRankMatrix"]
    assert (tie[0, 1], tie[1, 0]) == (0.5, 0.5)
    same(coinr.a_copeland([[1, 2], [2, 1]]), [0, 0])


def test_coinrs_own_imputation_test() -> None:
    x: list[float | None] = [float(v) for v in range(1, 11)]
    x[2] = None
    out = coinr.i_median(x)
    assert out[2] == statistics.median([v for v in x if v is not None])
    same(np.delete(out, 2), [v for v in x if v is not None])


# -- outlier treatment --------------------------------------------------------------------------


def test_treatment_functions() -> None:
    x = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100]
    assert coinr.check_SkewKurt(x)["Pass"] is False
    assert coinr.check_SkewKurt([*x, None])["Pass"] is None  # na.rm = FALSE
    assert coinr.check_SkewKurt([*x, None], na_rm=True)["Pass"] is False
    assert math.isnan(coinr.skew([*x, None]))
    assert coinr.skew([*x, None], na_rm=True) == coinr.skew(x)
    assert coinr.kurt(x) > 3.5
    win = coinr.winsorise(x)
    assert win["nwin"] == 1
    assert win["treated"][-1] == "winhi"
    assert win["x"][-1] == 9
    lo, hi = 1.0, 100.0
    same(coinr.log_CT(x)["x"], [math.log(v - lo + 0.01 * (hi - lo)) for v in x])
    same(coinr.log_CT_orig(x)["x"], [math.log(v - lo + 1) for v in x])
    assert coinr.log_CT_plus(x)["treated"][0] == "log_CT"
    assert coinr.log_CT_plus([-v for v in x])["treated"][0] == "log_CT_neg"
    same(coinr.boxcox([1, 2, 4], 0.5), [(math.sqrt(v) - 1) / 0.5 for v in (1, 2, 4)])


# -- refusals -------------------------------------------------------------------------------------

REFUSALS: dict[str, Callable[[], object]] = {
    "no variance": lambda: coinr.n_minmax([2, 2, None]),
    "bad l_u": lambda: coinr.n_minmax(X, l_u=(1, 2, 3)),
    "text": lambda: coinr.n_minmax(["a", "b"]),
    "matrix": lambda: coinr.n_rank([[1, 2], [3, 4]]),
    "infinite": lambda: coinr.n_rank([1, math.inf]),
    "iref 0": lambda: coinr.n_dist2ref(X, iref=0),
    "iref too big": lambda: coinr.n_dist2ref(X, iref=9),
    "target below min": lambda: coinr.n_dist2targ(X, targ=0),
    "direction 2": lambda: coinr.n_dist2targ(X, targ=5, direction=2),
    "targ text": lambda: coinr.n_dist2targ(X, targ="5"),  # type: ignore[arg-type]
    "ties": lambda: coinr.n_rank(X, ties_method="random"),
    "prank one": lambda: coinr.n_prank([1, None]),
    "fracmax zero": lambda: coinr.n_fracmax([0, 0]),
    "gposts": lambda: coinr.n_goalposts(X, gposts=(1, 2)),
    "f length": lambda: coinr.i_mean_grp([1, None], ["a"]),
    "f all NA": lambda: coinr.i_mean_grp([1, None], [None, None]),
    "f NA not skipped": lambda: coinr.i_mean_grp([1, None], ["a", None], skip_f_na=False),
    "w length": lambda: coinr.a_amean([1, 2], w=[1]),
    "w NA": lambda: coinr.a_amean([1, 2], w=[1, None]),
    "w negative": lambda: coinr.a_amean([1, 2], w=[1, -1]),
    "gmean zero": lambda: coinr.a_gmean([0, 2]),
    "hmean zero": lambda: coinr.a_hmean([0, 2]),
    "genmean p 0": lambda: coinr.a_genmean([1, 2], p=0),
    "genmean no p": lambda: coinr.a_genmean([1, 2]),
    "genmean negative p": lambda: coinr.a_genmean([-1, 2], p=-1),
    "outrank shape": lambda: coinr.outrankMatrix([1, 2]),
    "boxcox non-positive": lambda: coinr.boxcox([-1, 2], 1, makepos=False),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_are_the_library_error(case: str) -> None:
    with pytest.raises(EngineError) as info:
        REFUSALS[case]()
    assert info.value.message("en")
    assert info.value.message("id") != info.value.message("en")


# -- Denominate -----------------------------------------------------------------------------------


def test_denominators_from_imeta_as_coinrs_denominate() -> None:
    from pathlib import Path

    from kotacerdas.engine import Build, Denominator, MissingPolicy, compute

    here = Path(__file__).resolve().parent
    asem = here / "data" / "coinr-asem"
    if not (asem / "iMeta.csv").is_file():
        asem = here.parent.parent / "shared" / "data" / "peers" / "coinr-asem"
    denoms = coinr.read_denominators(asem / "iMeta.csv", missing="keep")
    assert len(denoms) == 17
    assert denoms["Flights"] == Denominator("Population", 1.0, "keep")
    fw, data = coinr.read_coinr(asem / "iData.csv", asem / "iMeta.csv")
    result = compute(fw, data, Build(denominate=denoms, missing=MissingPolicy.omit()))
    i, pop = data.indicator_index("Flights"), data.indicator_index("Population")
    expected = data.values[:, 0, i] / data.values[:, 0, pop]  # COINr: x / (d / 1)
    got = result.data[:, 0, result.indicators.index("Flights")]
    assert np.allclose(got, expected, equal_nan=True)
    energy = result.data[:, 0, result.indicators.index("Elec")]
    assert math.isnan(energy[data.units.index("LAO")])  # no Energy for Laos: NA, as COINr
    with pytest.raises(EngineError) as info:
        compute(fw, data, Build(denominate=coinr.read_denominators(asem / "iMeta.csv")))
    assert info.value.code == "denominate.missing"
    assert "LAO" in str(info.value.params["where"])
