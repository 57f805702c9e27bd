"""Outlier treatment: COINr's skewness/kurtosis rule, winsorisation, log and Box–Cox, recorded."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas import frameworks
from kotacerdas.coinr import read_coinr
from kotacerdas.engine import (
    BoxCox,
    Build,
    Dataset,
    LogTransform,
    MissingPolicy,
    Winsorise,
    compute,
)
from kotacerdas.engine.treat import (
    as_treatment,
    boxcox,
    check_skew_kurt,
    kurtosis,
    log_transform,
    skewness,
    winsorise,
)
from kotacerdas.errors import EngineError

NAN = math.nan
_HERE = Path(__file__).resolve().parent
_COPY = _HERE / "data" / "coinr-asem"
ASEM = (
    _COPY
    if (_COPY / "iMeta.csv").is_file()
    else _HERE.parent.parent / "shared" / "data" / "peers" / "coinr-asem"
)


def _g1(v: list[float]) -> float:
    """e1071 type 2 skewness, written out from its definition."""
    n = len(v)
    m = sum(v) / n
    m2 = sum((a - m) ** 2 for a in v) / n
    m3 = sum((a - m) ** 3 for a in v) / n
    return float(m3 / m2**1.5 * math.sqrt(n * (n - 1)) / (n - 2))


def _g2(v: list[float]) -> float:
    """e1071 type 2 excess kurtosis, written out from its definition."""
    n = len(v)
    m = sum(v) / n
    m2 = sum((a - m) ** 2 for a in v) / n
    m4 = sum((a - m) ** 4 for a in v) / n
    g2 = m4 / m2**2 - 3
    return ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))


SKEWED = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100]
TWO_STEP = [1.0] * 12 + [2.0, 50.0, 100.0, 1000.0, 2000.0]
# winsorising 5 points is not enough:
HEAVY = [float(i) for i in range(1, 41)] + [10.0**k for k in range(3, 12)]


def test_skewness_and_kurtosis_are_coinrs() -> None:
    x = np.array(SKEWED)
    assert skewness(x) == pytest.approx(_g1(SKEWED), rel=1e-12)
    assert kurtosis(x) == pytest.approx(_g2(SKEWED), rel=1e-12)
    assert skewness(np.array([*SKEWED, NAN])) == skewness(x)  # na.rm = TRUE
    assert math.isnan(skewness(np.array([1.0, 2.0])))  # fewer than 3 values
    assert math.isnan(kurtosis(np.array([1.0, 2.0, 3.0])))  # fewer than 4
    assert math.isnan(skewness(np.ones(5)))


def test_skewness_matches_pandas() -> None:
    pd = pytest.importorskip("pandas")
    x = pd.Series(TWO_STEP)
    assert skewness(x.to_numpy()) == pytest.approx(x.skew(), rel=1e-12)
    assert kurtosis(x.to_numpy()) == pytest.approx(x.kurt(), rel=1e-12)


def test_check_fails_only_when_both_thresholds_are_exceeded() -> None:
    passed, sk, kt = check_skew_kurt(np.array(SKEWED))
    assert passed is False
    assert sk > 2
    assert kt > 3.5
    assert check_skew_kurt(np.array(SKEWED), skew=4)[0] is True  # |skew| below 4
    assert check_skew_kurt(np.array(SKEWED), kurt=20)[0] is True  # kurtosis below 20
    assert check_skew_kurt(np.ones(5))[0] is None  # R's NA


def test_winsorise_replaces_the_top_value_by_the_next() -> None:
    x, nwin, flags = winsorise(np.array(SKEWED))
    assert x.tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    assert nwin == 1
    assert flags == ("",) * 9 + ("winhi",)


def test_winsorise_counts_tied_points_as_coinr() -> None:
    # 2000 → 1000, then both 1000s → 100: two points changed, both flagged
    x, nwin, flags = winsorise(np.array(TWO_STEP))
    assert x.tolist()[-3:] == [100, 100, 100]
    assert x.tolist()[:14] == TWO_STEP[:14]
    assert nwin == 2
    assert flags[-2:] == ("winhi", "winhi")
    assert flags[-3] == ""


def test_winsorise_low_outliers_when_skew_is_negative() -> None:
    x, nwin, flags = winsorise(-np.array(SKEWED))
    assert x.tolist()[-1] == -9
    assert nwin == 1
    assert flags[-1] == "winlo"


def test_winsorise_stops_at_winmax() -> None:
    x, nwin, _ = winsorise(np.array(HEAVY), winmax=2)
    assert nwin == 2
    assert x.tolist()[-3:] == [1e9] * 3


def test_default_rule_falls_back_to_log_of_the_original_values() -> None:
    x = np.array(HEAVY)
    out = Winsorise().treat(x)
    lo, hi = x.min(), x.max()
    assert out.applied == "log_CT"
    assert out.values.tolist() == pytest.approx(np.log(x - lo + 0.01 * (hi - lo)).tolist())
    assert out.winsorised == 0
    assert out.flags == ("log_CT",) * x.size
    assert out.status == "failed"  # even the log leaves it skewed and heavy-tailed
    assert check_skew_kurt(out.values)[0] is False


def test_combine_logs_the_winsorised_values() -> None:
    x = np.array(HEAVY)
    out = Winsorise(combine=True).treat(x)
    assert out.applied == "winsorise+log_CT"
    assert out.values.tolist() == pytest.approx(log_transform(winsorise(x)[0]).tolist())
    assert out.winsorised == 5


def test_plain_winsorisation_keeps_failing_values() -> None:
    out = Winsorise(fallback="none").treat(np.array(HEAVY))
    assert out.applied == "winsorise"
    assert out.status == "failed"
    assert out.winsorised == 5


def test_coinrs_own_treatment_tests() -> None:
    # COINr's tests/testthat/test-treat.R, "treat_num"
    x = np.array([*range(1, 11), 100.0])
    assert check_skew_kurt(x)[0] is False
    out = Winsorise(winmax=5, fallback="none").treat(x)
    assert out.values[-1] == 10
    assert out.values[:10].tolist() == x[:10].tolist()
    assert check_skew_kurt(out.values)[0] is True
    x = np.array([*range(1, 21), 100.0, 200.0])
    assert Winsorise(winmax=1, fallback="none").treat(x).status == "failed"
    logged = Winsorise(winmax=1, fallback="log").treat(x)
    assert logged.values.tolist() == np.log(x).tolist()
    forced = Winsorise(winmax=3, force=True, fallback="none").treat(x)
    assert sum(f != "" for f in forced.flags) == 3
    # "treat_df": a low outlier is winsorised from below
    low = Winsorise(winmax=2).treat(np.array([*range(1, 11), -100.0]))
    assert low.flags[-1] == "winlo"
    assert low.values[-1] == 1


def test_a_passing_indicator_is_left_alone() -> None:
    x = np.arange(10.0)
    out = Winsorise().treat(x)
    assert (out.applied, out.status) == ("none", "passed")
    assert out.values.tolist() == x.tolist()
    forced = LogTransform(force=True).treat(x)
    assert forced.applied == "log_CT"
    assert Winsorise(force=True, winmax=1).treat(x).values.tolist()[-1] == 8.0


def test_log_kinds_and_boxcox() -> None:
    x = np.array([1.0, 3.0, 7.0])
    assert log_transform(x, "log_CT_orig").tolist() == pytest.approx(np.log(x - 1 + 1).tolist())
    neg = np.array([-100.0, 1, 2, 3, 4, 5])  # negative skew: −log(max + a − x)
    a = 0.01 * 105
    assert log_transform(neg, "log_CT_plus").tolist() == pytest.approx(
        (-np.log(5 + a - neg)).tolist()
    )
    assert boxcox(x, 0.5).tolist() == pytest.approx(((np.sqrt(x - 1 + 1) - 1) / 0.5).tolist())
    assert boxcox(x, 0).tolist() == pytest.approx(np.log(x).tolist())
    assert boxcox(x, 2, makepos=False).tolist() == pytest.approx(((x**2 - 1) / 2).tolist())
    out = BoxCox(0.0).treat(np.array(HEAVY))
    assert out.applied == "boxcox"
    with pytest.raises(EngineError) as info:
        log_transform(np.array([0.0, 1.0]), "log")
    assert info.value.code == "treat.non-positive"


def test_constant_or_tiny_columns_are_unchecked() -> None:
    assert Winsorise().treat(np.ones(6)).status == "unchecked"
    assert Winsorise().treat(np.array([1.0, 100.0])).status == "unchecked"


def test_missing_values_stay_missing() -> None:
    x = np.array([*HEAVY, NAN])
    out = Winsorise().treat(x)
    assert math.isnan(out.values[-1])
    assert not np.isnan(out.values[:-1]).any()


def test_specs_from_names_and_mappings() -> None:
    assert as_treatment("default") == Winsorise()
    assert as_treatment("none") is None
    assert as_treatment({"method": "winsorise", "winmax": 3}) == Winsorise(winmax=3)
    assert as_treatment({"method": "log", "kind": "log_CT_plus"}) == LogTransform("log_CT_plus")
    assert as_treatment({"method": "boxcox", "lmbda": 0.5}) == BoxCox(0.5)
    with pytest.raises(EngineError, match="lmbda"):
        as_treatment("boxcox")
    with pytest.raises(EngineError) as info:
        as_treatment({"method": "winsorise", "cap": 1})
    assert info.value.code == "build.param-unknown"
    for bad in (
        lambda: Winsorise(winmax=0),
        lambda: Winsorise(fallback="sqrt"),  # type: ignore[arg-type]
        lambda: Winsorise(skew=-1),
        lambda: LogTransform(kind="ln"),  # type: ignore[arg-type]
        lambda: BoxCox(math.inf),
        lambda: Winsorise(force="yes"),  # type: ignore[arg-type]
    ):
        with pytest.raises(EngineError) as info:
            bad()
        assert info.value.code == "build.param-value"
    with pytest.raises(EngineError) as info:
        as_treatment(3)
    assert info.value.code == "build.spec-type"


FW = frameworks.from_data(
    {
        "id": "t",
        "edition": "1",
        "title": "T",
        "issuer": "tests",
        "provenance": {"confidence": "inferred"},
        "index": "I",
        "nodes": [
            {"code": "I", "kind": "index", "label": "I"},
            {"code": "a", "kind": "indicator", "label": "a", "parent": "I"},
            {"code": "b", "kind": "indicator", "label": "b", "parent": "I"},
        ],
    }
)


def _data(periods: int = 1) -> Dataset:
    n = len(SKEWED)
    values = np.empty((n, periods, 2))
    for p in range(periods):
        values[:, p, 0] = np.array(SKEWED) * (p + 1)
        values[:, p, 1] = np.arange(n)
    return Dataset(
        tuple(f"U{i}" for i in range(n)),
        ("a", "b"),
        values,
        tuple(range(2020, 2020 + periods)),
    )


def test_build_treats_before_normalising_and_records_it() -> None:
    result = compute(FW, _data(), Build(treat="default"))
    report = result.treatment
    assert report is not None
    a = report.record("a")
    assert (a.applied, a.status, a.winsorised) == ("winsorise", "treated", 1)
    assert a.changed == ("U9",)
    assert a.points == (("U9", 2020, 100.0, 9.0, "winhi"),)
    assert report.record("b").status == "passed"
    assert [r.indicator for r in report.treated] == ["a"]
    assert report.changed[:, 0, 0].tolist() == [False] * 9 + [True]
    # normalised after treatment: the winsorised top unit ties with the next one at 100
    assert result.normalised[-2:, 0, 0].tolist() == [100.0, 100.0]
    assert result.data[-1, 0, 0] == 100.0  # the record of the raw value is kept
    assert result.build.treatment["a"] == Winsorise()
    rows = report.to_rows()
    assert rows[0]["changed"] == ["U9"]
    assert rows[0]["method"] == "winsorise"


def test_without_treatment_nothing_is_recorded() -> None:
    result = compute(FW, _data(), Build())
    assert result.treatment is None
    assert result.build.treatment == {}


def test_treatment_per_indicator_overrides_the_default() -> None:
    result = compute(FW, _data(), Build(treat="default", treat_indicators={"a": "none"}))
    assert result.treatment is not None
    assert result.treatment.record("a").status == "off"
    assert not result.treatment.changed.any()


def test_panels_are_treated_per_period_or_pooled() -> None:
    per = compute(FW, _data(2), Build(treat="default", scope="period")).treatment
    assert per is not None
    assert [r.periods for r in per.records if r.indicator == "a"] == [(2020,), (2021,)]
    assert per.record("a", 2021).points == (("U9", 2021, 200.0, 18.0, "winhi"),)
    pooled = compute(FW, _data(2), Build(treat="default")).treatment
    assert pooled is not None
    record = pooled.record("a")
    assert record.periods == (2020, 2021)
    assert "U9 [2021]" in record.changed


def test_treatment_with_missing_values_omitted() -> None:
    d = _data()
    values = np.array(d.values)
    values[0, 0, 0] = NAN
    result = compute(
        FW, Dataset(d.units, d.indicators, values), Build(treat="default", missing="omit")
    )
    assert result.treatment is not None
    assert result.treatment.record("a").changed == ("U9",)
    assert math.isnan(result.normalised[0, 0, 0])


def test_treating_the_asem_example_matches_column_by_column() -> None:
    fw, data = read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")
    result = compute(fw, data, Build(treat="default", missing=MissingPolicy.omit()))
    report = result.treatment
    assert report is not None
    for i, code in enumerate(result.indicators):
        col = data.values[:, 0, data.indicator_index(code)]
        direct = Winsorise().treat(col)
        record = report.record(code)
        assert record.applied == direct.applied
        assert np.array_equal(report.values[:, 0, i], direct.values, equal_nan=True)
    assert report.treated  # ASEM has skewed indicators
    for record in report.treated:
        assert record.status in ("treated", "failed")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=4, max_size=40),
    st.sampled_from([Winsorise(), Winsorise(combine=True), LogTransform("log_CT_plus")]),
)
def test_treatment_keeps_the_order_of_units(values: list[float], method: Winsorise) -> None:
    x = np.array(values)
    out = method.treat(x)
    y = out.values
    order = np.argsort(x, kind="stable")
    assert (np.diff(y[order]) >= -1e-9 * (1 + np.abs(y[order][:-1]))).all()
    if out.status == "treated":
        assert check_skew_kurt(y)[0] is True
