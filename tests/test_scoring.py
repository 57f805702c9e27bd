"""Official scoring: golden tests for every published number the fact sheets hold."""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas import frameworks, regions
from kotacerdas.assessment import Assessment, Decision, Evidence, Score
from kotacerdas.errors import ScoringError
from kotacerdas.model import Confidence
from kotacerdas.scoring import check_published, improvement, score, to_decimal
from kotacerdas.validation import ValidationError

D = Decimal
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")


def gm(
    region: str,
    year: int,
    edition: str,
    values: tuple[str, ...],
    published: str | None = None,
    **extra: str,
) -> Assessment:
    scores = [Score(c, D(v)) for c, v in zip(COMPONENTS, values, strict=True)]
    if published is not None:
        scores.append(Score("INDEX", D(published)))
    scores += [Score(k, D(v)) for k, v in extra.items()]
    return Assessment(region, year, "gm100sc", edition, scores=tuple(scores))


KEDIRI_2022 = gm("35.71", 2022, "2022", ("3.60", "3.21", "3.23", "3.07", "3.65"), "3.31")
BANJAR_2020 = gm("63.03", 2020, "2021", ("3.51", "3.14", "3.34", "3.80", "3.57"), "3.41")


def test_kediri_2022_exact_and_bounds() -> None:
    r = score(KEDIRI_2022)
    assert r.index.exact == D("3.315")
    assert str(r.index.exact) == "3.315"
    assert r.index.published == D("3.32")  # half-up of the exact value …
    assert r.index.bounds == (D("3.310"), D("3.320"))
    assert str(r.index.bounds[0]) == "3.310"
    assert r.consistency is not None
    assert r.consistency.published == D("3.31")  # … yet 3.31 was published:
    assert r.consistency.consistent  # consistent with the rounded inputs
    assert r.framework_ref == "gm100sc@2022"
    assert r.version
    assert "exact" in r.method


def test_kediri_2022_inconsistent_with_scheme_a() -> None:
    r = score(KEDIRI_2022, frameworks.load("gm100sc@pre2021"), check_edition=False)
    assert r.index.exact == D("3.257")
    assert r.index.bounds == (D("3.252"), D("3.262"))
    assert r.consistency is not None
    assert not r.consistency.consistent
    assert "NOT consistent" in r.consistency.message("en")
    assert "TIDAK konsisten" in r.consistency.message("id")


def test_banjar_2020_fits_no_known_scheme() -> None:
    checks = check_published(BANJAR_2020)
    assert set(checks) == {str(ref) for ref in frameworks.available() if ref.id == "gm100sc"}
    assert not any(c.consistent for c in checks.values())
    assert checks["gm100sc@2021"].bounds == (D("3.450"), D("3.460"))  # 3.455 exactly
    assert checks["gm100sc@pre2021"].bounds == (D("3.473"), D("3.483"))  # 3.478 exactly


def test_check_published_needs_a_published_value() -> None:
    with pytest.raises(ScoringError):
        check_published(gm("35.71", 2022, "2022", ("3", "3", "3", "3", "3")))


def test_improvement_index() -> None:
    kediri_2021 = Assessment("35.71", 2021, "gm100sc", "2021", scores=(Score("INDEX", D("3.06")),))
    assert improvement(score(KEDIRI_2022), D("3.06")) == D("0.25")
    assert improvement(D("3.71"), D("3.34")) == D("0.37")  # Kota Bandung 2020 → 2021
    assert str(improvement(D("3.31"), D("3.06"))) == "0.25"
    del kediri_2021


def test_impact_inferred_from_the_six_dimensions() -> None:
    dims = {"G": "2.75", "B": "2.75", "E": "3.5", "S": "3.33", "L": "3.33", "V": "2.75"}
    a = gm("35.71", 2022, "2022", ("3.60", "3.21", "3.23", "3.07", "3.65"), "3.31", **dims)
    r = score(a)
    (code, check) = next((c, k) for c, k in r.checks if c == "IMP")
    assert check.consistent  # published Impact 3.07 fits the mean of the six (3.0683…)
    # Without an Impact score the rule derives it, marked inferred.
    a2 = attrs.evolve(a, scores=tuple(s for s in a.scores if s.node not in {"IMP", "INDEX"}))
    r2 = score(a2)
    assert r2["IMP"].derived
    assert r2["IMP"].confidence is Confidence.INFERRED
    assert r2["IMP"].exact == to_decimal(Fraction(1841, 600))  # 18.41 / 6
    assert r2["IMP"].published == D("3.07")
    del code


def test_missing_component() -> None:
    a = attrs.evolve(KEDIRI_2022, scores=KEDIRI_2022.scores[1:])
    with pytest.raises(ValidationError) as info:
        score(a)  # missing="fail" refuses, as validate does
    assert [f.code for f in info.value.report.errors] == ["score.missing"]
    r = score(a, check=False)
    assert not r.checked
    assert r.index.exact is None
    assert r.index.missing == 1
    assert r["BASE"].missing == 1
    omit = score(a, missing="omit")
    expected = (
        Fraction("0.2") * Fraction("3.21")
        + Fraction("0.3") * Fraction("3.23")
        + Fraction("0.2") * Fraction("3.07")
        + Fraction("0.2") * Fraction("3.65")
    )
    assert omit.index.exact == to_decimal(expected / Fraction("0.9"))


def test_contributions_and_needed() -> None:
    r = score(KEDIRI_2022)
    parts = r.contributions()
    assert parts == {
        "BASE": D("0.36"),
        "OUT": D("0.642"),
        "OUTC": D("0.969"),
        "IMP": D("0.614"),
        "QW": D("0.73"),
    }
    assert sum(parts.values()) == r.index.exact
    # Outcome needed for the index to publish as 3.40 (exact ≥ 3.395): 3.23 + 0.08/0.3.
    assert r.needed("OUTC", "3.40") == D("3.496667")
    assert r.needed("OUTC", "3.40", published=False) == D("3.513333")
    with pytest.raises(ScoringError):
        r.needed("G1", "3.5")


def test_tables() -> None:
    r = score(KEDIRI_2022)
    long = r.to_long("en")
    assert {row["node"] for row in long} == {"INDEX", *COMPONENTS}
    (wide,) = r.to_wide("en")
    assert wide["INDEX"] == D("3.32")
    assert wide["BASE"] == D("3.60")
    assert set(wide) >= {"region", "region_name", "year", "predicate"}
    with pytest.warns(DeprecationWarning, match=r"to_wide\(\)\[0\]"):
        assert r.to_wide()["INDEX"] == D("3.32")  # type: ignore[call-overload]
    doc = r.to_json()
    assert doc["index_exact"] == "3.315"
    assert doc["index_bounds"] == ["3.310", "3.320"]
    assert doc["nodes"]["OUT"] == D("3.21")


def test_edition_mismatch() -> None:
    with pytest.raises(ScoringError) as info:
        score(KEDIRI_2022, frameworks.load("gm100sc@2024"))
    assert "gm100sc@2022" in info.value.message("en")


# -- SPBE ---------------------------------------------------------------------------------------

SPBE = frameworks.load("spbe@2020")
INDICATORS = [n.code for n in SPBE.nodes("indicator")]


def spbe(levels: dict[str, int], evidence: tuple[Evidence, ...] = ()) -> Assessment:
    return Assessment(
        "63.09",
        2024,
        "spbe",
        "2020",
        scores=tuple(Score(c, D(v)) for c, v in levels.items()),
        evidence=evidence,
        kind="submission" if evidence else "published",
    )


def test_spbe_index_formula() -> None:
    levels = dict.fromkeys(INDICATORS, 3)
    r = score(spbe(levels))
    assert r.index.exact == D(3)
    levels["I1"] = 5  # +2 levels × 1.3 % = +0.026
    r = score(spbe(levels))
    assert r.index.exact == D("3.026")
    assert r["A1"].exact == D("3.2")
    assert r["D1"].exact == D("3.2")
    levels["I32"] = 4  # +1 × 2.75 % = +0.0275
    assert score(spbe(levels)).index.exact == D("3.0535")


def test_spbe_index_equals_weighted_sum_of_aspects() -> None:
    levels = {c: 1 + (i % 5) for i, c in enumerate(INDICATORS)}
    r = score(spbe(levels))
    total: D = (
        sum(
            (
                (SPBE.global_weight(a.code) or D(0)) * (r[a.code].exact or D(0))
                for a in SPBE.nodes("aspect")
            ),
            D(0),
        )
        / 100
    )
    assert abs(total - (r.index.exact or D(0))) < D("1e-20")
    direct = sum((SPBE.global_weight(c) or D(0)) * D(v) for c, v in levels.items()) / 100
    assert r.index.exact == direct


@pytest.mark.parametrize(("value", "band"), [(2, "kurang"), (3, "baik")])
def test_spbe_predicate(value: int, band: str) -> None:
    levels = dict.fromkeys(INDICATORS, value)
    predicate = score(spbe(levels)).index.predicate
    assert predicate is not None
    assert predicate.code == ("cukup" if value == 2 else band)


def test_spbe_levels_from_evidence() -> None:
    ev = tuple(
        Evidence(
            f"{c}-{lv}",
            node=c,
            level=lv,
            decision=Decision.REJECTED if (c, lv) == ("I1", 2) else Decision.ACCEPTED,
        )
        for c in INDICATORS
        for lv in (1, 2, 3)
    )
    levels = dict.fromkeys(INDICATORS, 3)
    with pytest.raises(ValidationError):
        score(spbe(levels, ev))  # the claimed level 3 of I1 lacks evidence for level 2
    r = score(spbe(levels, ev), levels="evidence")
    assert r["I1"].claimed == 3
    assert r["I1"].level == 1  # level 2 was rejected: the staircase stops at 1
    assert r.index.exact == D(3) - D(2) * D("1.3") / 100


# -- properties -----------------------------------------------------------------------------------

two_dp = st.integers(0, 400).map(lambda n: D(n) / 100)


@given(
    st.tuples(two_dp, two_dp, two_dp, two_dp, two_dp), st.sampled_from(range(5)), st.integers(1, 50)
)
def test_raising_a_component_never_lowers_the_index(
    values: tuple[D, ...], which: int, bump: int
) -> None:
    base = gm("35.71", 2024, "2024", tuple(str(v) for v in values))
    raised_values = list(values)
    raised_values[which] = min(D(4), raised_values[which] + D(bump) / 100)
    raised = gm("35.71", 2024, "2024", tuple(str(v) for v in raised_values))
    a, b = score(base).index.exact, score(raised).index.exact
    assert a is not None
    assert b is not None
    assert b >= a


@given(st.tuples(two_dp, two_dp, two_dp, two_dp, two_dp))
def test_no_binary_float_artefacts(values: tuple[D, ...]) -> None:
    r = score(gm("35.71", 2024, "2024", tuple(str(v) for v in values)))
    exact = r.index.exact
    assert exact is not None
    assert len(str(exact).split(".")[-1]) <= 3  # Σ 0.10×2dp … has at most 3 decimals
    assert "e" not in str(exact).lower()
    lo, hi = r.index.bounds or (D(0), D(0))
    assert lo <= exact <= hi
    assert D(0) <= lo
    assert hi <= D(4)


# -- the published record -------------------------------------------------------------------------


def published_rows() -> list[dict[str, str]]:
    with (Path(__file__).parent / "data" / "published-gm100sc.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_published_final_is_on_the_scale_and_region_resolves() -> None:
    fw = frameworks.load("gm100sc@2024")
    assert fw.scale is not None
    for row in published_rows():
        value = D(row["index"])
        assert value in fw.scale, row
        assert value.as_tuple().exponent == -2, row  # published to 2 decimals
        regions.resolve(row["region"])


@pytest.mark.parametrize(
    ("region", "before", "after", "reported"),
    [("Kota Kediri", 2021, 2022, "0.25"), ("Kota Bandung", 2020, 2021, "0.37")],
)
def test_published_improvements(region: str, before: int, after: int, reported: str) -> None:
    finals = {(r["region"], int(r["year"])): D(r["index"]) for r in published_rows()}
    assert improvement(finals[(region, after)], finals[(region, before)]) == D(reported)


def test_dimension_scores_given_by_a_document_are_reported() -> None:
    dims = {"G": "2.75", "B": "2.75", "E": "3.5", "S": "3.33", "L": "3.33", "V": "2.75"}
    a = gm("35.71", 2022, "2022", ("3.60", "3.21", "3.23", "3.07", "3.65"), "3.31", **dims)
    r = score(a)
    assert {code: str(r[code].value) for code in dims} == {
        "G": "2.75",
        "B": "2.75",
        "E": "3.50",
        "S": "3.33",
        "L": "3.33",
        "V": "2.75",
    }
    assert str(r["E"].exact) == "3.5"
    assert r["E"].bounds == (D("3.45"), D("3.55"))
    assert not r["E"].derived
    assert r["E"].given == D("3.5")


def test_impact_derived_is_not_missing_for_validation() -> None:
    from kotacerdas.validation import validate

    dims = {"G": "2.75", "B": "2.75", "E": "3.5", "S": "3.33", "L": "3.33", "V": "2.75"}
    a = gm("35.71", 2022, "2022", ("3.60", "3.21", "3.23", "3.07", "3.65"), **dims)
    a = attrs.evolve(a, scores=tuple(s for s in a.scores if s.node != "IMP"))
    report = validate(a)
    assert "score.missing" not in report.codes()
    assert score(a).index.exact is not None
    no_dims = attrs.evolve(a, scores=tuple(s for s in a.scores if s.node not in dims))
    assert "score.missing" in validate(no_dims).codes()


def test_missing_policies_have_the_panel_names() -> None:
    a = attrs.evolve(KEDIRI_2022, scores=KEDIRI_2022.scores[1:])
    keep = score(a, missing="keep")
    assert keep.index.exact is None
    assert keep.index.missing == 1
    assert keep.checked
    assert "missing=keep" in keep.method
    assert score(a, missing="fail", check=False).index == keep.index
    with pytest.raises(ValidationError) as info:
        score(a, missing="fail")
    assert "score.missing" in [f.code for f in info.value.report.errors]
    with pytest.raises(ScoringError, match="missing='drop'"):
        score(a, missing="drop")  # type: ignore[arg-type]


@given(
    st.lists(
        st.tuples(st.fractions(min_value=0, max_value=10), st.fractions(min_value=-5, max_value=5)),
        max_size=8,
    ),
    st.fractions(min_value=Fraction(1, 100), max_value=100),
)
def test_weighted_mean_is_the_plain_fraction_sum(
    terms: list[tuple[Fraction, Fraction]], total: Fraction
) -> None:
    # One reduction at the end gives the same fraction as reducing after every term.
    from kotacerdas.scoring import _mean

    assert _mean(terms, total) == sum((w * v for w, v in terms), Fraction(0)) / total
