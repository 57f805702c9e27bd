"""Panels: many regions and years scored at once, exactly as scoring.score does one."""

from __future__ import annotations

import doctest
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas import frameworks, panel
from kotacerdas.assessment import Assessment, Score
from kotacerdas.errors import LanguageError, PanelError, ScoringError
from kotacerdas.panel import PanelResult, score_panel
from kotacerdas.scoring import score

D = Decimal
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")
DIMENSIONS = ("G", "B", "E", "L", "S", "V")
GM2024 = frameworks.load("gm100sc@2024")
GM2022 = frameworks.load("gm100sc@2022")
SPBE = frameworks.load("spbe@2020")
INDICATORS = tuple(n.code for n in SPBE.nodes("indicator"))


def gm(
    region: str,
    year: int,
    values: tuple[str | None, ...],
    published: str | None = None,
    edition: str = "2022",
    **extra: str,
) -> Assessment:
    scores = [Score(c, D(v)) for c, v in zip(COMPONENTS, values, strict=True) if v is not None]
    if published is not None:
        scores.append(Score("INDEX", D(published)))
    scores += [Score(k, D(v)) for k, v in extra.items()]
    return Assessment(region, year, "gm100sc", edition, scores=tuple(scores))


KEDIRI_2022 = gm("35.71", 2022, ("3.60", "3.21", "3.23", "3.07", "3.65"), "3.31")
KEDIRI_2021 = gm("35.71", 2021, ("3.20", "2.95", "3.00", "3.05", "3.20"), "3.06")
MADIUN_2022 = gm("35.77", 2022, ("3.70", "3.40", "3.50", "3.20", "3.80"))
TABALONG_2022 = gm("63.09", 2022, ("3.10", "3.05", "3.00", "2.90", "3.15"))
BANJAR_2022 = gm("63.03", 2022, ("3.10", "3.05", "3.00", "2.90", "3.15"))  # ties Tabalong


def long_rows(assessments: list[Assessment]) -> list[dict[str, Any]]:
    return [
        {
            "region": a.region,
            "year": a.year,
            "framework": a.framework,
            "edition": a.edition,
            "node": s.node,
            "value": str(s.value),
        }
        for a in assessments
        for s in a.scores
    ]


def wide_rows(assessments: list[Assessment]) -> list[dict[str, Any]]:
    nodes = sorted({s.node for a in assessments for s in a.scores})
    out = []
    for a in assessments:
        row: dict[str, Any] = {"region": a.region, "year": a.year}
        given = a.scores_at()
        row.update({n: None if n not in given else str(given[n]) for n in nodes})
        out.append(row)
    return out


# -- golden -------------------------------------------------------------------------------------


def test_kota_kediri_2022_in_a_panel() -> None:
    p = score_panel([MADIUN_2022, KEDIRI_2022, TABALONG_2022, KEDIRI_2021])
    i = p.keys.index(("35.71", 2022))
    assert p.exact()[i] == D("3.315")
    assert str(p.exact()[i]) == "3.315"
    assert p.bounds()[i] == (D("3.310"), D("3.320"))
    assert [str(b) for b in p.bounds()[i] or ()] == ["3.310", "3.320"]
    assert p.published()[i] == D("3.32")  # half-up of 3.315 …
    assert p.given()[i] == D("3.31")  # … though 3.31 was published,
    assert p.consistent()[i] is True  # which the rounded inputs allow
    assert p.n_missing()[i] == 0
    assert p.framework_ref == "gm100sc@2022"
    assert p.version
    assert "exact" in p.method
    assert "missing=fail" in p.method


def test_rows_are_sorted_by_region_then_year() -> None:
    p = score_panel([MADIUN_2022, KEDIRI_2022, TABALONG_2022, KEDIRI_2021])
    assert p.keys == (("35.71", 2021), ("35.71", 2022), ("35.77", 2022), ("63.09", 2022))
    assert len(p) == 4
    assert p.nodes[:6] == ("INDEX", *COMPONENTS)
    assert p.nodes[6:] == DIMENSIONS


def test_improvement_from_the_published_index() -> None:
    p = score_panel([KEDIRI_2021, KEDIRI_2022, MADIUN_2022])
    (row,) = p.improvement()
    assert row == {
        "region": "35.71",
        "region_name": "Kota Kediri",
        "year": 2022,
        "previous_year": 2021,
        "value": D("3.31"),
        "previous": D("3.06"),
        "improvement": D("0.25"),
        "note": None,
    }
    assert str(row["improvement"]) == "0.25"


def test_improvement_without_published_values_uses_the_computed_ones() -> None:
    earlier = gm("35.77", 2021, ("3.60", "3.30", "3.40", "3.10", "3.70"))
    p = score_panel([earlier, MADIUN_2022])
    (row,) = p.improvement()
    assert (row["previous"], row["value"]) == (p.published()[0], p.published()[1])
    assert row["improvement"] == D("0.10")


def test_rankings_with_ties() -> None:
    p = score_panel([MADIUN_2022, KEDIRI_2022, TABALONG_2022, BANJAR_2022])
    ranks = {r["region"]: r["rank"] for r in p.rank()}
    assert ranks == {"35.77": 1, "35.71": 2, "63.03": 3, "63.09": 3}
    dense = {r["region"]: r["rank"] for r in p.rank(method="dense")}
    assert dense == {"35.77": 1, "35.71": 2, "63.03": 3, "63.09": 3}
    ordinal = [(r["region"], r["rank"]) for r in p.rank(method="ordinal")]
    assert ordinal == [("35.77", 1), ("35.71", 2), ("63.03", 3), ("63.09", 4)]
    ascending = {r["region"]: r["rank"] for r in p.rank(ascending=True)}
    assert ascending == {"63.03": 1, "63.09": 1, "35.71": 3, "35.77": 4}
    # Ranking on a component: BASE 3.70, 3.60, 3.10, 3.10.
    base = {r["region"]: r["rank"] for r in p.rank("BASE", method="dense")}
    assert base == {"35.77": 1, "35.71": 2, "63.03": 3, "63.09": 3}


def test_ties_of_published_values_break_on_exact_values() -> None:
    a = gm("35.71", 2022, ("3.00", "3.00", "3.00", "3.00", "3.01"))  # 3.002 → 3.00
    b = gm("35.77", 2022, ("3.00", "3.00", "3.00", "3.00", "3.02"))  # 3.004 → 3.00
    p = score_panel([a, b])
    assert [r["rank"] for r in p.rank()] == [1, 1]
    exact = p.rank(exact=True)
    assert [(r["region"], r["rank"], r["value"]) for r in exact] == [
        ("35.77", 1, D("3.004")),
        ("35.71", 2, D("3.002")),
    ]


def test_ranks_are_within_each_year() -> None:
    p = score_panel([KEDIRI_2021, KEDIRI_2022, MADIUN_2022])
    rows = p.rank()
    assert [(r["year"], r["region"], r["rank"]) for r in rows] == [
        (2021, "35.71", 1),
        (2022, "35.77", 1),
        (2022, "35.71", 2),
    ]


def test_peer_groups() -> None:
    p = score_panel([MADIUN_2022, KEDIRI_2022, TABALONG_2022, BANJAR_2022])
    level = {r["region"]: (r["group"], r["rank"]) for r in p.rank(by="level")}
    assert level == {
        "35.77": ("kota", 1),
        "35.71": ("kota", 2),
        "63.03": ("kabupaten", 1),
        "63.09": ("kabupaten", 1),
    }
    province = {r["region"]: (r["group"], r["rank"]) for r in p.rank(by="province")}
    assert province["63.09"] == ("63", 1)
    assert province["35.71"] == ("35", 2)
    cohort = {r["region"]: r["group"] for r in p.rank(by="cohort")}
    assert cohort == {"35.77": 2019, "35.71": 2019, "63.03": 2019, "63.09": 2019}
    population = {r["region"]: r["group"] for r in p.rank(by="population_class")}
    assert set(population.values()) == {"200000-1000000"}
    names = {
        lang: {r["group_name"] for r in p.rank(by="population_class", lang=lang)}
        for lang in ("id", "en")
    }
    assert names == {
        "id": {"200.000 – < 1.000.000 jiwa"},
        "en": {"200,000 – < 1,000,000 inhabitants"},
    }
    with pytest.raises(LanguageError):
        p.rank(lang="fr")
    by_function = p.rank(by=lambda code: code.startswith("35"))
    assert {r["region"]: r["rank"] for r in by_function}["35.71"] == 2
    mapping = {"Kota Kediri": "east", "35.77": "east", "63.03": "south", "Kab. Tabalong": "south"}
    by_mapping = {r["region"]: (r["group"], r["rank"]) for r in p.rank(by=mapping)}
    assert by_mapping["63.09"] == ("south", 1)
    assert by_mapping["35.71"] == ("east", 2)
    with pytest.raises(ScoringError) as info:
        p.rank(by={"35.71": "a"})
    assert info.value.code == "panel.group"
    with pytest.raises(ScoringError):
        p.rank(by="island")  # type: ignore[arg-type]
    with pytest.raises(ScoringError):
        p.rank(method="average")  # type: ignore[arg-type]


def test_cohort_groups_use_the_first_cohort_year() -> None:
    depok = gm("32.76", 2022, ("3.00", "3.00", "3.00", "3.00", "3.00"))  # 2018 and 2019
    kediri_kab = gm("35.06", 2022, ("3.00", "3.00", "3.00", "3.00", "3.00"))  # no cohort
    p = score_panel([depok, kediri_kab])
    groups = {r["region"]: r["group"] for r in p.rank(by="cohort")}
    assert groups == {"32.76": 2018, "35.06": None}


def test_leaders() -> None:
    dims = {"G": "3.50", "B": "3.10", "E": "3.20", "L": "3.30", "S": "3.40", "V": "3.60"}
    low = dict.fromkeys(dims, "3.00")
    a = gm("35.71", 2022, ("3.60", "3.21", "3.23", None, "3.65"), **dims)
    b = gm("35.77", 2022, ("3.70", "3.40", "3.50", None, "3.80"), **low)
    c = gm("63.09", 2022, ("3.10", "3.05", "3.00", None, "3.15"), **{**low, "G": "3.50"})
    p = score_panel([a, b, c])
    top = p.leaders()
    assert [(r["node"], r["region"]) for r in top] == [
        ("G", "35.71"),
        ("G", "63.09"),  # tied at the top: both lead
        ("B", "35.71"),
        ("E", "35.71"),
        ("L", "35.71"),
        ("S", "35.71"),
        ("V", "35.71"),
    ]
    assert top[0]["value"] == D("3.50")
    components = p.leaders("component", n=2)
    assert [r["region"] for r in components if r["node"] == "BASE"] == ["35.77", "35.71"]
    assert [r["node"] for r in p.leaders(["INDEX"])] == ["INDEX"]
    with pytest.raises(ScoringError) as info:
        p.leaders("domain")
    assert info.value.code == "panel.kind"


def test_gap_to_a_target() -> None:
    p = score_panel([KEDIRI_2022, MADIUN_2022])
    gaps = {r["region"]: r["gap"] for r in p.gap("3.50")}
    assert gaps["35.71"] == D("0.18")  # 3.50 − 3.32
    assert p.gap(3.5)[0]["target"] == D("3.5")
    exact = {r["region"]: r["gap"] for r in p.gap(D("3.5"), exact=True)}
    assert exact["35.71"] == D("0.185")
    assert p.gap(4, "BASE")[0]["gap"] == D("0.40")
    with pytest.raises(ScoringError):
        p.gap("many")


def test_impact_derived_from_the_dimensions() -> None:
    dims = {"G": "2.75", "B": "2.75", "E": "3.5", "S": "3.33", "L": "3.33", "V": "2.75"}
    a = gm("35.71", 2022, ("3.60", "3.21", "3.23", None, "3.65"), **dims)
    p = score_panel([a])
    r = score(a)
    assert p.exact("IMP")[0] == r["IMP"].exact
    assert p.derived("IMP") == (True,)
    assert p.published("IMP") == (D("3.07"),)
    assert p.exact()[0] == r.index.exact
    assert p.bounds()[0] == r.index.bounds
    assert p.given("G") == (D("2.75"),)


def test_spbe_panel_matches_the_formula() -> None:
    levels = dict.fromkeys(INDICATORS, 3)
    levels["I1"] = 5
    a = Assessment(
        "31",
        2024,
        "spbe",
        "2020",
        scores=tuple(Score(c, D(v)) for c, v in levels.items()),
        kind="published",
    )
    unit = Assessment(
        "KEMENPANRB",
        2024,
        "spbe",
        "2020",
        scores=tuple(Score(c, D(4)) for c in INDICATORS),
        kind="published",
    )
    p = score_panel([a, unit], units=["KEMENPANRB"])
    assert p.keys == (("31", 2024), ("KEMENPANRB", 2024))
    assert p.exact() == (D("3.026"), D(4))
    assert p.exact("A1")[0] == D("3.2")
    assert p.published() == (None, None)  # SPBE names no publication rounding
    assert p.value() == p.exact()
    band = p.predicate()[0]
    assert band is not None
    assert band.code == "baik"
    assert p.rank(by="level")[0]["group"] in {"provinsi", None}


# -- agreement with scoring.score -------------------------------------------------------------

REGION_POOL = ("35.71", "35.77", "63.09", "63.03", "32.76", "31", "11.01", "35.06")


def _value(draw: st.DrawFn, low: int, high: int, places: tuple[int, ...]) -> str:
    p = draw(st.sampled_from(places))
    n = draw(st.integers(low * 10**p, high * 10**p))
    return str(D(n).scaleb(-p))


@st.composite
def gm_panels(draw: st.DrawFn) -> list[Assessment]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(REGION_POOL), st.integers(2019, 2024)),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    out = []
    for region, year in keys:
        scores = []
        for code in COMPONENTS:
            if draw(st.integers(0, 9)):  # present nine times in ten
                scores.append(Score(code, D(_value(draw, 0, 4, (2, 2, 2, 1, 0, 3)))))
        if draw(st.booleans()):
            for code in DIMENSIONS:
                if draw(st.integers(0, 9)):
                    scores.append(Score(code, D(_value(draw, 0, 4, (2, 2, 1)))))
        if draw(st.booleans()):
            scores.append(Score("INDEX", D(_value(draw, 0, 4, (2,)))))
        draw(st.randoms()).shuffle(scores)
        out.append(Assessment(region, year, "gm100sc", "2024", scores=tuple(scores)))
    return out


@st.composite
def spbe_panels(draw: st.DrawFn) -> list[Assessment]:
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(REGION_POOL), st.integers(2019, 2024)),
            min_size=1,
            max_size=4,
            unique=True,
        )
    )
    rng = draw(st.randoms())
    gaps = draw(st.sampled_from((0.0, 0.02, 0.3)))
    out = []
    for region, year in keys:
        scores = [
            Score(code, D(rng.choice(("1", "2", "3", "4", "5", "2.5"))))
            for code in INDICATORS
            if rng.random() >= gaps
        ]
        if rng.random() < 0.5:
            scores.append(Score("INDEX", D(rng.choice(("2.61", "3.1", "1.80")))))
        out.append(Assessment(region, year, "spbe", "2020", scores=tuple(scores)))
    return out


def _assert_same(p: PanelResult, assessments: list[Assessment], policy: str) -> None:
    for a in assessments:
        r = score(a, missing="omit" if policy == "omit" else "keep", check=False)
        i = p.keys.index((a.region, a.year))
        for code, ns in r.nodes.items():
            got = (
                p.exact(code)[i],
                p.published(code)[i],
                p.bounds(code)[i],
                p.n_missing(code)[i],
                p.derived(code)[i],
            )
            want = (ns.exact, ns.published, ns.bounds, ns.missing, ns.derived)
            assert got == want, (a.region, a.year, code)
            assert repr(got) == repr(want), (a.region, a.year, code)  # same digits written
        assert p.predicate()[i] == r.index.predicate
        consistent = None if r.consistency is None else r.consistency.consistent
        assert p.consistent()[i] == consistent
        if r.consistency is not None:
            assert p.given()[i] == r.consistency.published


@given(gm_panels(), st.sampled_from(("keep", "omit")))
def test_gm100sc_batch_equals_score(assessments: list[Assessment], policy: str) -> None:
    # The arithmetic on any numbers, checked or not (three decimals are off the rules).
    p = score_panel(assessments, missing=policy, check=False)  # type: ignore[arg-type]
    _assert_same(p, assessments, policy)


@settings(max_examples=25)
@given(spbe_panels(), st.sampled_from(("keep", "omit")))
def test_spbe_batch_equals_score(assessments: list[Assessment], policy: str) -> None:
    p = score_panel(assessments, missing=policy, check=False)  # type: ignore[arg-type]
    _assert_same(p, assessments, policy)


@given(gm_panels(), st.randoms())
def test_permuting_regions_changes_no_score(assessments: list[Assessment], rng: Any) -> None:
    shuffled = list(assessments)
    rng.shuffle(shuffled)
    a = score_panel(assessments, missing="omit", check=False)
    b = score_panel(shuffled, missing="omit", check=False)
    assert a.keys == b.keys
    for code in a.nodes:
        assert a.exact(code) == b.exact(code)
        assert a.bounds(code) == b.bounds(code)
    assert a.rank() == b.rank()


@given(
    st.lists(st.integers(0, 400), min_size=5, max_size=5),
    st.sampled_from(COMPONENTS),
    st.integers(1, 400),
)
def test_raising_one_component_never_lowers_the_index(
    values: list[int], component: str, raise_by: int
) -> None:
    before = [str(D(v).scaleb(-2)) for v in values]
    after = list(before)
    k = COMPONENTS.index(component)
    after[k] = str(min(D(400), D(values[k] + raise_by)).scaleb(-2))
    rows = [
        gm("35.71", 2022, tuple(before), edition="2024"),
        gm("35.71", 2023, tuple(after), edition="2024"),
    ]
    p = score_panel(rows)
    low, high = p.exact()
    assert low is not None
    assert high is not None
    assert high >= low
    assert p.published()[1] >= p.published()[0]  # type: ignore[operator]


# -- input forms ----------------------------------------------------------------------------


PANEL = [KEDIRI_2021, KEDIRI_2022, MADIUN_2022, TABALONG_2022]


def _same_scores(a: PanelResult, b: PanelResult) -> None:
    assert a.keys == b.keys
    for code in a.nodes:
        assert a.exact(code) == b.exact(code)
        assert a.bounds(code) == b.bounds(code)
        assert a.published(code) == b.published(code)
    assert a.consistent() == b.consistent()


def test_long_and_wide_dicts_score_like_assessments() -> None:
    reference = score_panel(PANEL)
    _same_scores(score_panel(long_rows(PANEL)), reference)
    _same_scores(score_panel(wide_rows(PANEL), GM2022), reference)
    _same_scores(score_panel(wide_rows(PANEL), "gm100sc@2022"), reference)


def test_region_names_resolve() -> None:
    rows = long_rows([KEDIRI_2022])
    for row in rows:
        row["region"] = "Kota Kediri"
    assert score_panel(rows).keys == (("35.71", 2022),)


def test_stage_selects_rows() -> None:
    rows = long_rows([KEDIRI_2022])
    early = [dict(r, stage="tahap_1", value="1.00") for r in rows]
    p = score_panel(rows + early)
    assert p.exact() == (D("3.315"),)
    assert score_panel(rows + early, stage="tahap_1").exact() == (D("1"),)
    assert score_panel(rows + early, stage="tahap_1").stage == "tahap_1"
    typo = [dict(r, stage="tahap1") for r in early]  # no such stage: refused, as validate does
    assert _problems(lambda: score_panel(rows + typo)) == [
        ("score.stage-unknown", "rows 6, 7, 8, 9, 10 (+1 more)")
    ]


def test_floats_read_as_they_print_unless_decimals_say_otherwise() -> None:
    rows = long_rows([KEDIRI_2022])
    for row in rows:
        row["value"] = float(row["value"])
    as_printed = score_panel(rows, GM2022)  # 3.60 became 3.6: ± 0.05
    assert as_printed.exact() == (D("3.315"),)
    assert as_printed.bounds("BASE") == ((D("3.550"), D("3.650")),)
    two = score_panel(rows, GM2022, decimals=2)
    assert two.bounds() == ((D("3.310"), D("3.320")),)
    assert two.given("BASE") == (D("3.60"),)


def test_pandas_round_trip_long_and_wide() -> None:
    pd = pytest.importorskip("pandas")
    reference = score_panel(PANEL)
    long = pd.DataFrame(long_rows(PANEL))
    from_long = score_panel(long)
    _same_scores(from_long, reference)
    out = from_long.to_frame(like=long)
    assert isinstance(out, pd.DataFrame)
    assert len(out) == len(reference) * len(reference.nodes)
    index = out[(out["node"] == "INDEX") & (out["region"] == "35.71") & (out["year"] == 2022)]
    assert index["exact"].tolist() == [D("3.315")]
    assert index["low"].tolist() == [D("3.310")]
    assert index["consistent"].tolist() == [True]
    wide = pd.DataFrame(wide_rows(PANEL)).assign(framework="gm100sc", edition="2022")
    from_wide = score_panel(wide)
    _same_scores(from_wide, reference)
    back = from_wide.to_frame(like=wide, layout="wide")
    assert isinstance(back, pd.DataFrame)
    assert back["INDEX"].tolist() == list(reference.value())
    # The wide output's node columns score again to the same index.
    again = score_panel(back[["region", "year", "framework", "edition", *COMPONENTS]])
    assert again.exact() == reference.exact()


def test_pandas_float_frame_with_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    wide = pd.DataFrame(
        {
            "region": ["35.71", "35.77"],
            "year": [2022, 2022],
            "BASE": [3.60, 3.70],
            "OUT": [3.21, float("nan")],  # pandas' empty cell
            "OUTC": [3.23, 3.50],
            "IMP": [3.07, 3.20],
            "QW": [3.65, 3.80],
        }
    )
    p = score_panel(wide, "gm100sc@2022", decimals=2, missing="keep")
    assert p.exact() == (D("3.315"), None)
    assert p.n_missing() == (0, 1)
    with pytest.raises(PanelError) as info:
        score_panel(wide, "gm100sc@2022", decimals=2)
    assert [x.code for x in info.value.problems] == ["panel.missing"]
    assert "35.77 2022" in info.value.message("en")
    assert "OUT" in info.value.message("en")


def test_polars_round_trip_long_and_wide() -> None:
    pl = pytest.importorskip("polars")
    reference = score_panel(PANEL)
    long = pl.DataFrame(long_rows(PANEL))
    from_long = score_panel(long)
    _same_scores(from_long, reference)
    out = from_long.to_frame(like=long)
    assert isinstance(out, pl.DataFrame)
    index = out.filter((pl.col("node") == "INDEX") & (pl.col("year") == 2022))
    assert index["exact"].to_list()[0] == D("3.315")
    text = from_long.to_frame("polars", numbers="str")
    assert text.filter(pl.col("node") == "INDEX")["low"].to_list()[1] == "3.310"
    wide = pl.DataFrame(wide_rows(PANEL))
    from_wide = score_panel(wide, "gm100sc@2022")
    _same_scores(from_wide, reference)
    back = from_wide.to_frame(like=wide, layout="wide")
    assert isinstance(back, pl.DataFrame)
    assert back["index_exact"].to_list()[1] == D("3.315")


def test_polars_nan_is_refused_but_null_is_missing() -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(
        {
            "region": ["35.71", "35.71"],
            "year": [2022, 2022],
            "node": ["BASE", "OUT"],
            "value": [float("nan"), None],
        }
    )
    with pytest.raises(PanelError) as info:
        score_panel(frame, GM2022, missing="keep")
    assert [p.code for p in info.value.problems] == ["panel.nan"]
    assert info.value.problems[0].path == "row 0"
    ok = score_panel(frame.filter(pl.col("node") == "OUT"), GM2022, missing="keep")
    assert ok.exact() == (None,)


def test_no_binary_float_artefacts_in_outputs() -> None:
    rows = long_rows(PANEL)
    for row in rows:
        row["value"] = float(row["value"])
    p = score_panel(rows, decimals=2)
    numeric = ("value", "exact", "published", "low", "high", "given")
    for row in p.to_long("en"):
        for key in numeric:
            assert row[key] is None or isinstance(row[key], Decimal), (key, row[key])
        assert isinstance(row["missing"], int)
    for row in p.to_wide():
        for key, value in row.items():
            assert not isinstance(value, float), key
    for rows_ in (p.rank(), p.improvement(), p.gap(3.5), p.leaders("component")):
        for row in rows_:
            assert not any(isinstance(v, float) for v in row.values())


def test_to_frame_says_which_library_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    from kotacerdas import _frames
    from kotacerdas.errors import MissingExtraError

    p = score_panel([KEDIRI_2022])
    monkeypatch.setattr(_frames, "DEFAULT_BACKEND", "kotacerdas_no_such_library")
    with pytest.raises(MissingExtraError) as info:
        p.to_frame()
    assert info.value.code == "extra.missing"
    with pytest.raises(MissingExtraError):
        p.to_frame("kotacerdas_no_such_library")
    with pytest.raises(ScoringError):
        p.to_frame("pandas", layout="tall")  # type: ignore[arg-type]


def test_result_is_immutable() -> None:
    p = score_panel([KEDIRI_2022])
    with pytest.raises(AttributeError):
        p.framework = "spbe"  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        p._a.num[0, 0] = 1


def test_module_imports_no_dataframe_library() -> None:
    # numpy is a core dependency (the arithmetic); data frame libraries are optional.
    import subprocess
    import sys

    code = (
        "import sys, kotacerdas.panel; "
        "print(sorted(m for m in ('pandas', 'polars', 'narwhals') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_doctests_run() -> None:
    result = doctest.testmod(panel)
    assert result.failed == 0
    assert result.attempted > 0


# -- bad input --------------------------------------------------------------------------------


def _problems(call: Callable[[], object]) -> list[tuple[str, str]]:
    with pytest.raises(PanelError) as info:
        call()
    assert isinstance(info.value, ScoringError)
    assert isinstance(info.value, ValueError)
    text_en, text_id = info.value.message("en"), info.value.message("id")
    assert text_en != text_id
    return [(p.code, p.path) for p in info.value.problems]


def test_one_region_year_under_two_editions() -> None:
    other = gm("35.71", 2022, ("3", "3", "3", "3", "3"), edition="2024")
    assert _problems(lambda: score_panel([KEDIRI_2022, other])) == [
        ("panel.duplicate-key", "2022, 2024")
    ]
    p = score_panel([KEDIRI_2022, gm("35.77", 2022, ("3", "3", "3", "3", "3"), edition="2024")])
    assert p.editions == ("2022", "2024")
    assert p.edition == "2022,2024"


def test_mixed_frameworks_and_mismatch() -> None:
    spbe = Assessment("31", 2022, "spbe", "2020", scores=(Score("I1", D(3)),))
    assert _problems(lambda: score_panel([KEDIRI_2022, spbe]))[0][0] == "panel.mixed-framework"
    assert _problems(lambda: score_panel([KEDIRI_2022], GM2024)) == [
        ("panel.framework-mismatch", "assessment 0 (35.71 2022)")
    ]


def test_no_framework() -> None:
    assert _problems(lambda: score_panel(wide_rows(PANEL))) == [("panel.no-framework", "")]


def test_duplicate_region_years() -> None:
    again = gm("Kota Kediri", 2022, ("3", "3", "3", "3", "3"))
    problems = _problems(lambda: score_panel([KEDIRI_2022, MADIUN_2022, again]))
    assert problems == [("panel.duplicate-key", "assessments 0 (35.71 2022), 2 (Kota Kediri 2022)")]
    rows = wide_rows([KEDIRI_2022, KEDIRI_2022])
    assert _problems(lambda: score_panel(rows, GM2022)) == [("panel.duplicate-key", "rows 0, 1")]


def test_duplicate_node_within_a_region_year() -> None:
    rows = long_rows([KEDIRI_2022])
    rows.append(dict(rows[1], value="3.00"))
    assert _problems(lambda: score_panel(rows)) == [("panel.duplicate-node", "rows 1, 6")]
    alias = Assessment(
        "35.71",
        2022,
        "gm100sc",
        "2022",
        scores=(*KEDIRI_2022.scores, Score("Quick Win", D("3.00"))),
    )
    problems = _problems(lambda: score_panel([alias]))  # validation's finding, as score's
    assert problems == [("score.duplicate", "assessment 0 (35.71 2022), scores[6]")]
    problems = _problems(lambda: score_panel([alias], check=False))
    assert [p[0] for p in problems] == ["panel.duplicate-node"]


def test_missing_components_fail_by_default() -> None:
    a = gm("35.71", 2022, ("3.60", None, "3.23", None, "3.65"))
    b = gm("35.77", 2022, ("3.60", "3.21", "3.23", "3.07", "3.65"))
    with pytest.raises(PanelError) as info:
        score_panel([a, b])
    (problem,) = info.value.problems
    assert problem.code == "panel.missing"
    assert problem.path == "35.71 2022"
    assert problem.params["nodes"] == "OUT, IMP (G, B, E, L, S, V)"
    keep = score_panel([a, b], missing="keep")
    assert keep.exact()[0] is None
    assert keep.n_missing()[0] == 1  # OUT; IMP is derivable, so not counted (as score does)
    omit = score_panel([a, b], missing="omit")
    assert omit.exact()[0] == score(a, missing="omit").index.exact


def test_unknown_nodes() -> None:
    rows = long_rows([KEDIRI_2022])
    rows[2]["node"] = "OUTCOME_X"
    assert _problems(lambda: score_panel(rows)) == [("panel.unknown-node", "row 2")]
    wide = wide_rows([KEDIRI_2022])
    wide[0]["source"] = "fact sheet"
    assert _problems(lambda: score_panel(wide, GM2022)) == [("panel.unknown-node", "column source")]
    long = long_rows([KEDIRI_2022])
    long[0]["source"] = "fact sheet"
    assert _problems(lambda: score_panel(long))[0][0] == "panel.unknown-column"


def test_unresolvable_and_ambiguous_regions() -> None:
    rows = long_rows([KEDIRI_2022])
    for row in rows:
        row["region"] = "Kediri"
    problems = _problems(lambda: score_panel(rows))
    assert problems == [("panel.region-ambiguous", "rows 0, 1, 2, 3, 4 (+1 more)")]
    for row in rows:
        row["region"] = "Kota Atlantis"
    assert _problems(lambda: score_panel(rows))[0][0] == "panel.region-unknown"


def test_non_numeric_values() -> None:
    rows = long_rows([KEDIRI_2022])
    rows[0]["value"] = "tinggi"
    rows[1]["value"] = "3,21"
    rows[2]["value"] = True
    rows[3]["value"] = "3.0000001"
    rows[4]["value"] = "1e12"
    assert _problems(lambda: score_panel(rows)) == [
        ("panel.not-number", "row 0"),
        ("panel.decimal-comma", "row 1"),
        ("panel.not-number", "row 2"),
        ("panel.precision", "row 3"),
        ("panel.too-large", "row 4"),
    ]


def test_nan_values() -> None:
    rows = long_rows([KEDIRI_2022])
    rows[0]["value"] = float("nan")
    rows[1]["value"] = D("NaN")
    rows[2]["value"] = "inf"
    assert [p[0] for p in _problems(lambda: score_panel(rows))] == ["panel.nan"] * 3


def test_more_decimals_than_asked() -> None:
    rows = long_rows([KEDIRI_2022])
    rows[0]["value"] = "3.605"
    assert _problems(lambda: score_panel(rows, decimals=2)) == [("panel.precision", "row 0")]
    with pytest.raises(ScoringError):
        score_panel(rows, decimals=9)


def test_bad_years_and_empty_cells() -> None:
    rows = long_rows([KEDIRI_2022])
    rows[0]["year"] = "2022.5"
    assert _problems(lambda: score_panel(rows)) == [("panel.year", "row 0")]
    rows[0]["year"] = None
    assert _problems(lambda: score_panel(rows)) == [("panel.empty-cell", "row 0")]
    rows = long_rows([KEDIRI_2022])
    rows[1]["region"] = None
    assert _problems(lambda: score_panel(rows)) == [("panel.empty-cell", "row 1")]


def test_shapes_of_data_that_cannot_be_scored() -> None:
    assert _problems(lambda: score_panel([])) == [("panel.empty", "")]
    assert _problems(lambda: score_panel("gm100sc.csv")) == [("panel.data-type", "")]
    assert _problems(lambda: score_panel({"region": ["35.71"]}))[0][0] == "panel.data-type"
    assert _problems(lambda: score_panel([KEDIRI_2022, {"region": "35.71"}])) == [
        ("panel.item-type", "item 1")
    ]
    no_value = [{"region": "35.71", "year": 2022, "node": "BASE"}]
    assert _problems(lambda: score_panel(no_value, GM2022))[0][0] == "panel.unknown-node"
    assert _problems(lambda: score_panel([{"year": 2022, "BASE": "3"}], GM2022)) == [
        ("panel.missing-column", "")
    ]
    stage_only = [dict(r, stage="tahap1") for r in long_rows([KEDIRI_2022])]
    assert _problems(lambda: score_panel(stage_only)) == [("panel.no-stage", "")]
    with pytest.raises(ScoringError):
        score_panel(PANEL, missing="drop")  # type: ignore[arg-type]


def test_many_problems_are_all_listed() -> None:
    rows = [{"region": "35.71", "year": 2000 + i, "node": "BASE", "value": "x"} for i in range(30)]
    with pytest.raises(PanelError) as info:
        score_panel(rows, GM2022)
    assert len(info.value.problems) == 30
    assert "… and 10 more problem(s)" in info.value.message("en")


def test_unknown_node_of_a_result() -> None:
    p = score_panel([KEDIRI_2022])
    with pytest.raises(ScoringError) as info:
        p.exact("I1")
    assert info.value.code == "panel.node"
    assert p.exact("Quick Win") == p.exact("QW")  # aliases and labels work


def test_a_random_national_panel_matches_score_one_at_a_time() -> None:
    from kotacerdas import regions

    rng = random.Random(7)
    codes = [r.code for r in regions.regions().select("kota")][:40]
    assessments = [
        gm(code, year, tuple(str(D(rng.randint(0, 400)).scaleb(-2)) for _ in COMPONENTS))
        for code in codes
        for year in (2021, 2022)
    ]
    p = score_panel(assessments)
    for a in assessments[::7]:
        r = score(a)
        i = p.keys.index((a.region, a.year))
        assert (p.exact()[i], p.bounds()[i], p.published()[i]) == (
            r.index.exact,
            r.index.bounds,
            r.index.published,
        )


def test_only_weighted_arithmetic_trees(minimal: dict[str, Any]) -> None:
    minimal["nodes"][0]["aggregation"] = "geometric"
    fw = frameworks.from_data(minimal)
    rows = [{"region": "35.71", "year": 2022, "node": "A", "value": "1"}]
    with pytest.raises(ScoringError) as info:
        score_panel(rows, fw)
    assert info.value.code == "scoring.aggregation"
    assert info.value.params["node"] == "INDEX"


def test_fixed_point_overflow_is_refused(minimal: dict[str, Any]) -> None:
    minimal["nodes"][0]["children"][0]["weight"] = D("0.999")
    minimal["nodes"][0]["children"][1]["weight"] = D("0.001")
    fw = frameworks.from_data(minimal)
    big = [
        {"region": "35.71", "year": 2022, "node": "A", "value": "999999999.000001"},
        {"region": "35.71", "year": 2022, "node": "B", "value": "1"},
    ]
    with pytest.raises(ScoringError) as info:
        score_panel(big, fw)
    assert info.value.code == "panel.overflow"
    small = [dict(row, value="99.000001") for row in big]
    assert (
        score(
            Assessment(
                "35.71",
                2022,
                "demo",
                "1",
                scores=(Score("A", D("99.000001")), Score("B", D("99.000001"))),
            ),
            fw,
        ).index.exact
        == score_panel(small, fw).exact()[0]
    )


def test_repr_is_short_and_final_is_the_final_stage() -> None:
    from kotacerdas import assessment

    p = score_panel([KEDIRI_2022])
    assert repr(p) == "<PanelResult gm100sc@2022: 1 region-years, 12 nodes, missing='fail'>"
    assert panel.FINAL == assessment.FINAL


# -- the fast paths agree with the general ones ------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(REGION_POOL),
            st.integers(2019, 2024),
            st.lists(st.integers(0, 400), min_size=5, max_size=5),
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda t: (t[0], t[1]),
    ),
    st.sampled_from((2, 3)),
)
def test_float_frames_with_decimals_score_as_written(
    rows: list[tuple[str, int, list[int]]], places: int
) -> None:
    # A float column read with decimals=… (one pass, every value alike: the scalar path)
    # gives the digits the same values give written out, one assessment at a time.
    pd = pytest.importorskip("pandas")
    assessments = [
        Assessment(
            region,
            year,
            "gm100sc",
            "2024",
            scores=tuple(
                Score(c, D(v).scaleb(-2).quantize(D(1).scaleb(-places)))
                for c, v in zip(COMPONENTS, values, strict=True)
            ),
        )
        for region, year, values in rows
    ]
    wide = pd.DataFrame(
        {
            "region": [r for r, _, _ in rows],
            "year": [y for _, y, _ in rows],
            **{c: [v[k] / 100 for _, _, v in rows] for k, c in enumerate(COMPONENTS)},
        }
    )
    long = wide.melt(["region", "year"], var_name="node", value_name="value")
    for frame in (wide, long):
        p = score_panel(frame, "gm100sc@2024", decimals=places, check=False)
        _assert_same(p, assessments, "keep")


def test_pandas_frames_read_directly_or_through_narwhals_alike() -> None:
    # Plain numpy and text columns are read directly; other dtypes (nullable floats,
    # categories) through narwhals.  Both give the same result.
    pd = pytest.importorskip("pandas")
    plain = pd.DataFrame(wide_rows(PANEL)).assign(framework="gm100sc", edition="2022")
    other = plain.astype({"region": "category", "BASE": "Float64"})
    other.loc[0, "OUT"] = None
    plain.loc[0, "OUT"] = None
    for frame in (plain, other):
        p = score_panel(frame, missing="keep")
        assert p.exact()[0] is None
        assert p.n_missing()[0] == 1
        assert p.exact()[1:] == score_panel(PANEL[1:]).exact()


def test_result_stores_only_the_nodes_that_have_values() -> None:
    # 552 regions × 100 years of GM100SC components: the six dimensions have no value
    # anywhere, so no per-row storage is kept for them; what depends only on which
    # inputs a row has (denominators, missing counts) is kept once, not per row.
    from kotacerdas import regions

    codes = [r.code for r in regions.regions()][:552]
    years = range(1925, 2025)
    rng = random.Random(7)
    rows: list[dict[str, Any]] = [
        {"region": code, "year": year}
        | {c: f"{rng.randint(100, 400) / 100:.2f}" for c in COMPONENTS}
        for code in codes
        for year in years
    ]
    p = score_panel(rows, "gm100sc@2024", check=False)
    n = len(codes) * len(years)
    assert len(p) == n == 55_200
    a = p._a
    # The index is computed and stored; the components are the values as given, read
    # from them; the dimensions have nothing.
    assert [p.nodes[j] for j in range(len(p.nodes)) if a.stored[j] >= 0] == ["INDEX"]
    assert [p.nodes[j] for j in range(len(p.nodes)) if a.copy_of[j] >= 0] == list(COMPONENTS)
    assert a.num.shape == a.low.shape == a.high.shape == a.published.shape == (n, 1)
    assert a.given_m.shape == a.given_e.shape == a.given_ok.shape == (n, 5)  # the inputs
    assert a.den.shape == a.valid.shape == a.missing.shape == (1, len(p.nodes))
    per_row = sum(
        x.nbytes
        for x in (a.num, a.low, a.high, a.published, a.given_m, a.given_e, a.given_ok)
        if x.base is None or x.base.nbytes == x.nbytes  # owns its memory, not a view
    )
    assert per_row == n * (4 * 1 * 8 + 5 * (8 + 8 + 1))
    assert p.exact("BASE")[0] == D(rows[0]["BASE"])
    assert p.bounds("BASE")[0] == (D(rows[0]["BASE"]) - D("0.005"), D(rows[0]["BASE"]) + D("0.005"))
    for code in DIMENSIONS:
        assert set(p.exact(code)) == {None}
    first = Assessment(
        codes[0], 1925, "gm100sc", "2024", scores=tuple(Score(c, D(rows[0][c])) for c in COMPONENTS)
    )
    assert p.exact()[0] == score(first, GM2024, check=False).index.exact


def test_wide_columns_naming_one_node_are_refused() -> None:
    # "Kondisi Awal" is BASE's alias: a wide table with both columns gives BASE twice in
    # every row (an empty cell included), which is refused rather than merged.
    rows = wide_rows([KEDIRI_2022, MADIUN_2022])
    rows[1]["Kondisi Awal"] = rows[1].pop("BASE")
    rows[0]["Kondisi Awal"] = None
    with pytest.raises(PanelError) as info:
        score_panel(rows, "gm100sc@2022")
    assert [x.code for x in info.value.problems] == ["panel.duplicate-node"] * 2
