"""Bundled editions beyond GM100SC and SPBE 2020.

Pemdi 2026, SPBE 2018, U4SSC, Giffinger, Cohen and ISO 37120.

Each is provisional (the official text was not available or is incomplete), says how
incomplete it is per node, and reproduces the arithmetic its sources publish.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest

from kotacerdas import engine, frameworks
from kotacerdas.errors import EngineError
from kotacerdas.model import Confidence, SourceKind

NEW = ("pemdi@2026", "spbe@2018", "u4ssc@2017", "giffinger@2007", "cohen@wheel", "iso37120@2018")


@pytest.mark.parametrize("ref", NEW)
def test_new_editions_load_in_one_line_and_are_provisional(ref: str) -> None:
    fw = frameworks.load(ref)
    assert fw.status == "provisional"
    assert fw.note is not None
    assert fw.note.en is not None


# -- Pemdi 2026 ---------------------------------------------------------------------------------


def test_pemdi_structure_and_weights() -> None:
    fw = frameworks.load("pemdi@2026")
    assert len(fw.nodes("aspect")) == 7
    assert len(fw.nodes("indicator")) == 20
    assert fw.completeness("INDEX") == (7, 7)
    assert fw.global_weight("A7") == Decimal(25)
    assert fw.global_weight("I20") == Decimal(15)
    assert fw.source_kind is SourceKind.SECONDARY
    # I12's weight: 4 in three sources, 3 in other apps.
    assert fw.node("I12").provenance_of("weight").confidence is Confidence.UNCERTAIN


def test_pemdi_aspect_index_reproduces_the_worked_example() -> None:
    # MINB: I1 = 3.5 and I2 = 3.0 give IndeksAspek A1 = (5 % x 3.5 + 5 % x 3.0) / 10 % = 3.25.
    fw = frameworks.load("pemdi@2026")
    levels = {"I1": Fraction(7, 2), "I2": Fraction(3)}
    aspect = sum((fw.share(code) or Fraction(0)) * v for code, v in levels.items())
    assert aspect == Fraction(13, 4)


def test_pemdi_imported_indicators_and_bands() -> None:
    fw = frameworks.load("pemdi@2026")
    imported = {n.code: n.provenance_of("imported_from").confidence for n in fw if n.imported_from}
    assert imported == {
        "I5": Confidence.CONFIRMED,
        "I6": Confidence.CONFIRMED,
        "I7": Confidence.CONFIRMED,
        "I10": Confidence.CONFIRMED,
        "I11": Confidence.UNCERTAIN,
        "I12": Confidence.UNCERTAIN,
        "I18": Confidence.UNCERTAIN,
    }
    assert fw.predicates is not None
    assert [b.code for b in fw.predicates.bands] == [
        "kurang",
        "cukup",
        "baik",
        "sangat_baik",
        "memuaskan",
    ]
    band = fw.predicates.classify(Decimal("3.5"))
    assert band is not None
    assert band.code == "sangat_baik"  # lower-inclusive, as ROKI and NIU-N
    assert fw.predicates.provenance.confidence is Confidence.UNCERTAIN  # the edges
    ladder = fw.ladder("pemdi")
    assert [lv.value for lv in ladder.levels] == [0, 1, 2, 3, 4, 5]
    rubric = fw.node("I1").rubric
    assert rubric is not None
    assert (rubric.minimum, rubric.maximum) == (0, 5)


# -- SPBE 2018 ----------------------------------------------------------------------------------


def test_spbe_2018_says_how_incomplete_it_is() -> None:
    fw = frameworks.load("spbe@2018")
    assert fw.completeness("INDEX") == (0, 3)
    assert fw.node("INDEX").provenance_of("aggregation").confidence is Confidence.NOT_PUBLISHED
    assert fw.node("Kebijakan Internal terkait Manajemen Data").code == "KI-MD"


# -- U4SSC ----------------------------------------------------------------------------------------


def test_u4ssc_counts_match_the_codes() -> None:
    fw = frameworks.load("u4ssc@2017")
    kpis = fw.nodes("kpi")
    assert len(kpis) == 91
    by_dim = Counter(fw.path(k.code)[0].code for k in kpis)
    assert by_dim == {"EC": 45, "EN": 17, "SC": 29}
    tiers = Counter(next(t for t in k.tags if t in {"core", "advanced"}) for k in kpis)
    assert tiers == {"core": 55, "advanced": 36}
    assert len({n.label.id for n in fw.nodes("category")}) == 22
    assert len(fw.nodes("sub_dimension")) == 7
    # The official code finds the KPI; the odd one out sits in Health.
    assert fw.node("EC: ICT: ICT: 1C").label.id == "Household Internet Access"
    ehr = fw.node("SC: EH: ED: 5A")
    assert fw.parent(ehr.code).label.id == "Health"  # type: ignore[union-attr]


def test_u4ssc_direction_only_where_sourced() -> None:
    fw = frameworks.load("u4ssc@2017")
    with_direction = [k for k in fw.nodes("kpi") if k.direction is not None]
    assert len(with_direction) == 13
    for k in fw.nodes("kpi"):
        if k.direction is None:
            assert k.provenance_of("direction").confidence is Confidence.NOT_PUBLISHED


def test_u4ssc_band_scoring_reproduces_the_education_example() -> None:
    fw = frameworks.load("u4ssc@2017")
    assert fw.method is not None
    bands = fw.method.bands
    shares = [Decimal("0.20"), Decimal("0.80"), Decimal("1.10"), Decimal("0.10")]
    points = []
    for share in shares:
        band = next(
            b
            for b in bands
            if (b.lower is None or share >= b.lower) and (b.upper is None or share < b.upper)
        )
        points.append(int(band.code))
    assert points == [1, 3, 4, 1]
    assert Fraction(sum(points), 4 * len(points)) == Fraction(9, 16)  # 56.25 %
    with pytest.raises(EngineError):
        engine.Build.preset(fw)  # no targets: no preset


# -- Giffinger 2007 and Cohen ------------------------------------------------------------------


def test_giffinger_structure_and_completeness() -> None:
    fw = frameworks.load("giffinger@2007")
    assert len(fw.nodes("characteristic")) == 6
    assert len(fw.nodes("factor")) == 33
    assert len(fw.nodes("indicator")) == 21
    assert fw.completeness("INDEX") == (6, 6)
    cosmo = fw.node("Cosmopolitanism / Open-mindedness")
    assert fw.completeness(cosmo.code) == (2, 3)
    for node in fw.nodes("indicator"):
        assert node.direction is None
        assert node.provenance_of("direction").confidence is Confidence.NOT_PUBLISHED


def test_giffinger_method_preset_computes_means_of_available_z_scores() -> None:
    fw = frameworks.load("giffinger@2007")
    build = engine.Build.preset(fw)
    eco1 = [c.code for c in fw.node("Innovative spirit").children]
    rows = [
        {"unit": "A", eco1[0]: 1.0, eco1[1]: 10.0, eco1[2]: 5.0},
        {"unit": "B", eco1[0]: 2.0, eco1[1]: None, eco1[2]: 6.0},
        {"unit": "C", eco1[0]: 3.0, eco1[1]: 30.0, eco1[2]: 7.0},
    ]
    data = engine.Dataset.from_rows(rows, indicators=eco1)
    tree_build = engine.Build(
        normalise=build.normalise, aggregate=build.aggregate, missing=build.missing, tree="ECO1"
    )
    result = engine.compute(fw, data, tree_build)
    scores = {r["unit"]: float(str(r["value"])) for r in result.to_long() if r["node"] == "ECO1"}
    # B has no value for the second indicator: its score is the mean of the other two (0, 0).
    assert scores["B"] == pytest.approx(0.0, abs=1e-12)
    assert scores["A"] < scores["C"]


def test_cohen_is_six_by_three() -> None:
    fw = frameworks.load("cohen@wheel")
    assert len(fw.roots) == 6
    assert all(len(r.children) == 3 for r in fw.roots)
    assert fw.completeness() == (18, 18)
    assert fw.node("Smart Government").code == "GOV"


# -- ISO 37120:2018 -----------------------------------------------------------------------------


def test_iso37120_is_a_taxonomy_of_19_themes_without_indicators() -> None:
    fw = frameworks.load("iso37120@2018")
    assert fw.status == "provisional"
    assert fw.source_kind is SourceKind.SECONDARY
    assert len(fw.roots) == 19
    assert all(r.kind == "theme" and not r.children for r in fw.roots)
    assert [r.label.en for r in fw.roots][:3] == ["Economy", "Education", "Energy"]
    assert fw.node("Wastewater").code == "WWA"
    # Nothing that would score: no weights, scale, predicates or method.
    assert fw.scale is None
    assert fw.predicates is None
    assert fw.method is None
    assert all(r.weight is None for r in fw.roots)
    # Every theme says why its indicators are absent.
    for theme in fw.roots:
        missing = theme.provenance_of("expected_children")
        assert missing.confidence is Confidence.NOT_PUBLISHED
        assert missing.note is not None
        assert "paywalled" in (missing.note.en or "")
        assert theme.provenance_of("label").confidence is Confidence.CONFIRMED
        assert theme.provenance.confidence is Confidence.CONFIRMED
        assert theme.provenance.urls == ("https://en.wikipedia.org/wiki/ISO_37120",)
    assert fw.note is not None
    assert "104" in (fw.note.en or "")
    assert "unverified" in (fw.note.en or "")
    assert "Indonesian labels are ours" in (fw.note.en or "")
    # The theme names are sourced; nothing about their indicators is.
    assert fw.confidence_shares()[Confidence.CONFIRMED] == Fraction(1, 2)
    assert fw.confidence_shares()[Confidence.NOT_PUBLISHED] == Fraction(1, 2)


def test_the_iso_column_of_the_proposed_crosswalk_ships_as_a_draft() -> None:
    from kotacerdas import crosswalks

    cw = crosswalks.load("gm100sc--iso37120")
    assert (cw.source, cw.target, cw.status, cw.kind) == (
        "gm100sc",
        "iso37120@2018",
        "draft",
        "crosswalk",
    )
    pairs = {(link.source, link.target) for link in cw.links}
    assert {("G", "GOV"), ("L", "TRA"), ("V", "SWA"), ("S", "TEL"), ("B", "REC")} <= pairs
    assert len(cw.links) == 20
    assert {link.relation for link in cw.links} == {"partial"}
    # Every theme but urban agriculture is reached by some GM100SC dimension.
    iso = frameworks.load("iso37120@2018")
    assert {t for _, t in pairs} == set(iso.codes) - {"AGR"}
    assert all(link.coverage is None for link in cw.links)
