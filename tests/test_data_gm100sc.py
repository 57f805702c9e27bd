"""The bundled GM100SC editions: structure, weights and provenance pinned to the sources."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotacerdas import frameworks
from kotacerdas.model import Confidence, Framework, Node, Provenance, SourceKind

EDITIONS = ("2021", "2022", "2023", "2024", "pre2021")
DATED = ("2021", "2022", "2023", "2024")
DIMENSIONS = ("G", "B", "E", "L", "S", "V")
SUB_DIMENSIONS = tuple(f"{d}{i}" for d in DIMENSIONS for i in (1, 2, 3))
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")

WEIGHTS_2021_ON = tuple(Decimal(w) for w in ("0.10", "0.20", "0.30", "0.20", "0.20"))
WEIGHTS_PRE2021 = tuple(Decimal(w) for w in ("0.10", "0.20", "0.30", "0.30", "0.10"))

# Kota Kediri, evaluation 2022 (bangsaonline): B, O, Oc, I, QW as published; final 3.31.
KEDIRI_2022 = tuple(Decimal(v) for v in ("3.60", "3.21", "3.23", "3.07", "3.65"))


def load(edition: str) -> Framework:
    return frameworks.load(f"gm100sc@{edition}")


def weights(fw: Framework) -> tuple[Decimal, ...]:
    out = []
    for code in COMPONENTS:
        weight = fw.node(code).weight
        assert weight is not None, code
        out.append(weight)
    return tuple(out)


def all_provenance(fw: Framework) -> list[tuple[str, Provenance]]:
    """Every provenance record of the edition, with where it sits."""
    found: list[tuple[str, Provenance]] = [("provenance", fw.provenance)]
    for node in fw:
        found.append((node.code, node.provenance))
        found += [(f"{node.code}.{f}", p) for f, p in node.field_provenance.items()]
    for group in ("stages", "evidence_kinds", "categories", "enablers"):
        for item in getattr(fw, group):
            assert item.provenance is not None, f"{group}.{item.code} has no provenance"
            found.append((f"{group}.{item.code}", item.provenance))
    assert fw.scale is not None
    assert fw.scale.provenance is not None
    found.append(("scale", fw.scale.provenance))
    if fw.survey is not None:  # pre2021 has none: no survey rule before 2021 was found
        assert fw.survey.provenance is not None
        found.append(("survey", fw.survey.provenance))
    return found


# -- structure -----------------------------------------------------------------------------------


def test_every_edition_is_bundled() -> None:
    refs = {str(r) for r in frameworks.available() if r.id == "gm100sc"}
    assert refs == {f"gm100sc@{e}" for e in EDITIONS}


@pytest.mark.parametrize("edition", EDITIONS)
def test_six_dimensions_of_three_sub_dimensions(edition: str) -> None:
    fw = load(edition)
    assert tuple(n.code for n in fw.nodes("dimension")) == DIMENSIONS
    assert tuple(n.code for n in fw.nodes("sub_dimension")) == SUB_DIMENSIONS
    for dim in DIMENSIONS:
        kids = fw.children(dim)
        assert [k.code for k in kids] == [f"{dim}{i}" for i in (1, 2, 3)]
        assert all(k.kind == "sub_dimension" for k in kids)
        assert fw.parent(dim) is None
    # The smart dimensions are a classification axis: unweighted, roll-up not published.
    for node in (*fw.nodes("dimension"), *fw.nodes("sub_dimension")):
        assert node.weight is None
        assert node.aggregation is None
        assert node.provenance_of("aggregation").confidence is Confidence.NOT_PUBLISHED


@pytest.mark.parametrize("edition", EDITIONS)
def test_index_has_five_components_summing_to_one(edition: str) -> None:
    fw = load(edition)
    assert fw.index == "INDEX"
    assert fw.index_node is not None
    assert fw.index_node.kind == "index"
    assert fw.index_node.aggregation == "arithmetic"
    assert tuple(c.code for c in fw.index_node.children) == COMPONENTS
    assert all(c.kind == "component" for c in fw.index_node.children)
    assert fw.weights == "local"
    assert fw.weight_total == Decimal(1)
    total = sum(weights(fw), Decimal(0))
    assert total == Decimal(1)
    assert isinstance(total, Decimal)


@pytest.mark.parametrize("edition", DATED)
def test_weights_from_2021_on(edition: str) -> None:
    assert weights(load(edition)) == WEIGHTS_2021_ON
    # Written with two decimals, as the README shows them.
    assert [str(w) for w in weights(load(edition))] == ["0.10", "0.20", "0.30", "0.20", "0.20"]


def test_weights_before_2021() -> None:
    fw = load("pre2021")
    assert weights(fw) == WEIGHTS_PRE2021
    assert fw.status == "provisional"
    for code in COMPONENTS:
        prov = fw.node(code).provenance_of("weight")
        assert prov.confidence is Confidence.UNCERTAIN
        assert "https://kominfo.slemankab.go.id/monev-smart-city-kabupaten-sleman/" in prov.urls


def test_pre2021_is_undated() -> None:
    fw = load("pre2021")
    assert fw.year is None
    assert fw.survey is None
    assert fw.status == "provisional"


# -- weight provenance ---------------------------------------------------------------------------


def test_2021_weights_come_from_the_letter_and_quick_win_is_inferred() -> None:
    fw = load("2021")
    for code in ("BASE", "OUT", "OUTC", "IMP"):
        prov = fw.node(code).provenance_of("weight")
        assert prov.confidence is Confidence.CONFIRMED, code
        assert "letter2021" in {s.key for s in prov.sources}
    qw = fw.node("QW").provenance_of("weight")
    assert qw.confidence is Confidence.INFERRED
    assert qw.note is not None
    assert qw.note.en is not None
    assert "cut off" in qw.note.en


@pytest.mark.parametrize(
    ("edition", "confidence"),
    [
        # 2022 and 2024: published breakdowns are consistent with 10/20/30/20/20.
        ("2022", Confidence.INFERRED),
        ("2024", Confidence.INFERRED),
        # 2023: no source gives a weight and no breakdown was found: our assumption.
        ("2023", Confidence.ASSUMED),
    ],
)
def test_later_weights_are_inferred_or_assumed(edition: str, confidence: Confidence) -> None:
    fw = load(edition)
    for code in COMPONENTS:
        prov = fw.node(code).provenance_of("weight")
        assert prov.confidence is confidence, code
        assert prov.kind is SourceKind.OWN
        assert "kediri2022" in {s.key for s in prov.sources}


@pytest.mark.parametrize(
    ("edition", "expected"), [("2022", Decimal("3.315")), ("pre2021", Decimal("3.257"))]
)
def test_kediri_2022_arithmetic(edition: str, expected: Decimal) -> None:
    fw = load(edition)
    index = sum((w * v for w, v in zip(weights(fw), KEDIRI_2022, strict=True)), Decimal(0))
    assert index == expected
    # Published 3.31: only the 2022 weights give an exact index that rounds into [3.305, 3.315].
    assert (Decimal("3.305") <= index <= Decimal("3.315")) is (edition == "2022")


# -- the index tree ------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_component_rubrics_are_absent_and_not_published(edition: str) -> None:
    fw = load(edition)
    for code in ("INDEX", *COMPONENTS):
        node = fw.node(code)
        assert node.rubric is None, code
        prov = node.provenance_of("rubric")
        assert prov is not node.provenance, f"{code}: rubric has no provenance of its own"
        assert prov.confidence is Confidence.NOT_PUBLISHED, code
    assert fw.predicates is None
    assert fw.ladders == ()


@pytest.mark.parametrize("edition", EDITIONS)
def test_quick_win_has_ten_criteria(edition: str) -> None:
    fw = load(edition)
    criteria = fw.children("QW")
    assert [c.code for c in criteria] == [f"QW{i}" for i in range(1, 11)]
    assert [c.label.en for c in criteria] == [
        "Formulation of the innovation", "Attractiveness", "Benefit", "Uniqueness",
        "Partnership opportunity", "Development potential", "Continuity", "Resources",
        "Risk management", "Sustainability",
    ]  # fmt: skip
    for c in criteria:
        assert c.kind == "criterion"
        assert c.provenance.confidence is Confidence.CONFIRMED
        for field in ("weight", "scale", "rubric"):
            assert c.provenance_of(field).confidence is Confidence.NOT_PUBLISHED, (c.code, field)
        # The Indonesian wording is our back-translation, so it is not "confirmed".
        assert c.provenance_of("label").confidence is Confidence.UNCERTAIN


@pytest.mark.parametrize("edition", EDITIONS)
def test_impact_is_derived_from_the_six_dimensions(edition: str) -> None:
    imp = load(edition).node("IMP")
    assert imp.inputs == DIMENSIONS
    assert imp.aggregation == "arithmetic"
    for field in ("inputs", "aggregation"):
        prov = imp.provenance_of(field)
        assert prov.confidence is Confidence.INFERRED
        assert "kediri2022" in {s.key for s in prov.sources}


@pytest.mark.parametrize("edition", EDITIONS)
def test_scale(edition: str) -> None:
    scale = load(edition).scale
    assert scale is not None
    assert (scale.minimum, scale.maximum) == (Decimal(0), Decimal(4))
    assert scale.decimals == 2
    assert scale.rounding == "half_up"
    # Maximum and decimals are sourced; the lower bound and the rounding rule are not.
    assert scale.provenance_of("maximum") is not None
    assert scale.provenance_of("maximum").confidence is Confidence.CONFIRMED  # type: ignore[union-attr]
    assert scale.provenance_of("decimals").confidence is Confidence.CONFIRMED  # type: ignore[union-attr]
    for field in ("minimum", "rounding"):
        prov = scale.provenance_of(field)
        assert prov is not None
        assert prov.confidence is Confidence.ASSUMED, field
        assert prov.note is not None
        assert prov.note.en is not None
        assert "assumption" in prov.note.en


# -- labels and look-up --------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("Pelayanan", "G1"),
        ("  pelayanan ", "G1"),
        ("BIROKRASI", "G2"),
        ("Kebijakan", "G3"),
        ("wajah kota", "B3"),
        ("Ekosistem industri", "E1"),
        ("ekosistemtransaksikeuangan", "E3"),
        ("Ekosistem Belajar", "S2"),
        ("Tata kelola sampah dan limbah", "V2"),
        ("Program Percepatan", "QW"),
        ("g1", "G1"),
    ],
)
def test_aliases_resolve(edition: str, key: str, code: str) -> None:
    assert load(edition).node(key).code == code


@pytest.mark.parametrize("edition", EDITIONS)
def test_sub_dimension_labels(edition: str) -> None:
    fw = load(edition)
    assert fw.label("G1") == "Layanan Publik"
    assert fw.label("G1", "en") == "Public service"
    assert fw.label("G2") == "Tata Kelola Birokrasi"
    assert fw.label("B1") == "Tourism Branding"  # the Indonesian label as published
    assert fw.label("V3") == "Energi"
    for code in SUB_DIMENSIONS:
        node = fw.node(code)
        assert node.label.en is not None
        assert node.aliases, code
        assert node.provenance_of("aliases").confidence is Confidence.UNCERTAIN
    # The [U] about the order of G2/G3 is recorded, as data and in the note.
    note = fw.node("G").note
    assert note is not None
    assert note.en is not None
    assert "G2/G3" in note.en
    for code in SUB_DIMENSIONS:
        expected = Confidence.UNCERTAIN if code in {"G2", "G3"} else Confidence.CONFIRMED
        assert fw.node(code).provenance_of("order").confidence is expected, code


def test_overlays_keep_the_base_nodes() -> None:
    base = load("2021")
    for edition in EDITIONS[1:]:
        fw = load(edition)
        assert fw.codes == base.codes
        for code in base.codes:
            if code not in ("INDEX", *COMPONENTS):
                assert fw.node(code) == base.node(code), (edition, code)
        # Overlays replace a patched node's whole field_provenance table, so they restate
        # every entry: all but the weight's must equal the base's.
        for code in COMPONENTS:
            ours, theirs = fw.node(code), base.node(code)
            assert ours.field_provenance.keys() == theirs.field_provenance.keys(), code
            for field, prov in theirs.field_provenance.items():
                if field != "weight":
                    assert ours.field_provenance[field] == prov, (edition, code, field)
            assert (ours.label, ours.definition, ours.inputs) == (
                theirs.label,
                theirs.definition,
                theirs.inputs,
            )


# -- provenance everywhere -----------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_datum_cites_a_source(edition: str) -> None:
    fw = load(edition)
    for where, prov in all_provenance(fw):
        assert prov.sources, f"{where} cites no source"
        for source in prov.sources:
            assert source.url or source.key, where
            assert source.url is None or source.url.startswith(("http://", "https://")), where
    # Every node has a provenance record of its own, distinct from the edition's default.
    for node in fw:
        assert node.provenance != fw.provenance, node.code
    # Keyed sources say what they are.
    assert all(s.title for s in fw.sources)


@pytest.mark.parametrize("edition", EDITIONS)
def test_not_published_means_left_out(edition: str) -> None:
    fw = load(edition)
    empty: dict[str, object] = {
        "weight": None, "aggregation": None, "rubric": None, "scale": None, "inputs": (),
        "aliases": (), "definition": None, "unit": None, "target": None,
    }  # fmt: skip
    checked = 0
    for node in fw:
        for field, prov in node.field_provenance.items():
            if prov.confidence is Confidence.NOT_PUBLISHED:
                assert getattr(node, field) == empty[field], (node.code, field)
                assert prov.note is not None, (node.code, field)
                checked += 1
    assert checked >= 5 + 10 * 3 + 24


def test_edition_metadata() -> None:
    fw21, fw22, fw23, fw24 = (load(e) for e in DATED)
    assert (fw21.id, fw21.edition, fw21.year, fw21.status) == ("gm100sc", "2021", 2021, "official")
    assert fw21.title.id == "Gerakan Menuju 100 Smart City"
    for fw, year in ((fw22, 2022), (fw23, 2023), (fw24, 2024)):
        assert fw.year == year
        assert fw.title.id == "Gerakan Menuju Kota Cerdas (Smart City)"
    letters = {
        "2021": "B-1013/DJAI/AI.01.02/10/2021",
        "2022": "B-1003/DJAI/AI.01.04/12/2022",
        "2024": "B-1478/DJAI/AI.01.02/11/2024",
    }
    for edition, letter in letters.items():
        basis = load(edition).legal_basis
        assert basis is not None
        assert letter in basis.id
    assert fw24.legal_basis is not None
    assert "B-1477" in fw24.legal_basis.id
    assert fw21.legal_basis is not None
    assert "Versi 2.0" in fw21.legal_basis.id
    assert "Aplikasi Informatika" in fw21.issuer.id
    # Translations are marked as ours in every edition's note.
    for edition in EDITIONS:
        note = load(edition).note
        assert note is not None
        assert note.en is not None
        assert "our own translation/paraphrase" in note.en


# -- stages, evidence, categories, enablers, survey ----------------------------------------------


def test_stages_by_year() -> None:
    codes = {e: [s.code for s in load(e).stages] for e in EDITIONS}
    assert codes["2021"] == ["field_review", "questionnaire", "impact_survey", "interview"]
    assert codes["2023"] == ["tahap_1", "impact_survey", "tahap_2"]
    assert codes["2024"] == ["tahap_1", "impact_survey", "tahap_2"]
    assert codes["2022"][0] == "tahap_1"
    assert codes["2022"][-1] == "tahap_2"
    assert codes["pre2021"] == []


@pytest.mark.parametrize("edition", ["2023", "2024"])
def test_tahap_2_has_a_24_hour_evidence_window(edition: str) -> None:
    stages = {s.code: s for s in load(edition).stages}
    assert stages["tahap_2"].window_hours == 24
    assert all(s.window_hours is None for c, s in stages.items() if c != "tahap_2")
    window = stages["tahap_2"].provenance_of("window_hours")
    assert window is not None
    # 2023: "within 24 hours" is sourced; 2024: the source says "tomorrow", so 24 h is ours.
    expected = Confidence.CONFIRMED if edition == "2023" else Confidence.ASSUMED
    assert window.confidence is expected


def test_2024_stage_dates_and_impact_survey() -> None:
    stages = {s.code: s for s in load("2024").stages}
    desc = stages["tahap_1"].description
    assert desc is not None
    assert "24–27 Juni 2024" in desc.id
    survey = stages["impact_survey"]
    assert survey.provenance is not None
    assert survey.provenance.confidence is Confidence.INFERRED
    assert any("habanusantara" in u for u in survey.provenance.urls)


def test_2021_terms() -> None:
    fw = load("2021")
    assert [t.code for t in fw.enablers] == ["struktur", "infrastruktur", "suprastruktur"]
    assert all(t.definition is not None for t in fw.enablers)
    assert [t.label.id for t in fw.categories] == ["Indeks Pencapaian", "Indeks Peningkatan"]
    assert all(
        t.provenance is not None and t.provenance.confidence is Confidence.CONFIRMED
        for t in fw.categories
    )
    kinds = [t.code for t in fw.evidence_kinds]
    assert kinds[0] == "kebijakan"
    assert len(kinds) == 5


@pytest.mark.parametrize("edition", EDITIONS)
def test_survey_minimum(edition: str) -> None:
    survey = load(edition).survey
    if edition == "pre2021":
        assert survey is None  # no survey rule before 2021 was found
        return
    assert survey is not None
    assert survey.respondents_min == 50
    assert survey.respondents_per == "dimension"


def test_survey_rule_2023_is_confirmed() -> None:
    survey = load("2023").survey
    assert survey is not None
    assert survey.provenance is not None
    assert (survey.programmes_per, survey.split_respondents_per) == ("sub_dimension",) * 2
    assert survey.provenance.confidence is Confidence.CONFIRMED
    # Other years' rules are weaker: 2021 read from "6 programmes", 2022/2024 carried over.
    for edition, weaker in (
        ("2021", Confidence.UNCERTAIN),
        ("2022", Confidence.ASSUMED),
        ("2024", Confidence.ASSUMED),
    ):
        other = load(edition).survey
        assert other is not None
        assert other.provenance is not None
        assert other.provenance.confidence is weaker, edition


def test_nodes_are_frameworks_own() -> None:
    """Look-ups return the node objects of the edition, with parents set."""
    fw = load("2024")
    node: Node = fw.node("Pelayanan")
    assert fw.parent(node.code) == fw.node("G")
    assert [n.code for n in fw.path("QW10")] == ["INDEX", "QW", "QW10"]
