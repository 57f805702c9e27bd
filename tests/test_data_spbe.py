"""The bundled SPBE edition (PermenPANRB 59/2020): structure, weights, rubrics, predicates.

The expected values are pinned from the team's sources (the 47-row indicator table and
the fact sheet, sec. 2), not read back from the data file, so a wrong edit of
``spbe@2020.toml`` makes these tests fail.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kotacerdas import frameworks
from kotacerdas.model import Confidence, Framework, Node

INDICATORS = tuple(f"I{i}" for i in range(1, 48))
ASPECT_WEIGHTS = {
    "A1": Decimal(13),
    "A2": Decimal(10),
    "A3": Decimal(10),
    "A4": Decimal(5),
    "A5": Decimal(12),
    "A6": Decimal("4.5"),
    "A7": Decimal("27.5"),
    "A8": Decimal(18),
}
DOMAIN_WEIGHTS = {
    "D1": Decimal(13),
    "D2": Decimal(25),
    "D3": Decimal("16.5"),
    "D4": Decimal("45.5"),
}
ASPECT_OF_DOMAIN = {
    "D1": ("A1",),
    "D2": ("A2", "A3", "A4"),
    "D3": ("A5", "A6"),
    "D4": ("A7", "A8"),
}
# Indicator numbers per aspect (10 + 10 + 11 + 16 = 47) and the weight of each, in percent.
ASPECT_INDICATORS = {
    "A1": (range(1, 11), Decimal("1.3")),
    "A2": (range(11, 15), Decimal("2.5")),
    "A3": (range(15, 19), Decimal("2.5")),
    "A4": (range(19, 21), Decimal("2.5")),
    "A5": (range(21, 29), Decimal("1.5")),
    "A6": (range(29, 32), Decimal("1.5")),
    "A7": (range(32, 42), Decimal("2.75")),
    "A8": (range(42, 48), Decimal(3)),
}
UNCERTAIN = frozenset({"I3"})


@pytest.fixture(scope="module")
def fw() -> Framework:
    return frameworks.load("spbe@2020")


def _gw(fw: Framework, code: str) -> Decimal:
    weight = fw.global_weight(code)
    assert weight is not None, code
    return weight


def _rubric_node(fw: Framework, code: str) -> Node:
    node = fw.node(code)
    assert node.rubric is not None, code
    return node


# -- identity and metadata ------------------------------------------------------------------


def test_registered_and_metadata(fw: Framework) -> None:
    assert frameworks.FrameworkRef("spbe", "2020") in frameworks.available()
    assert fw.ref == "spbe@2020"
    assert fw.weights == "global"
    assert fw.weight_total == 100
    assert fw.index == "INDEX"
    assert fw.year == 2020
    assert fw.issuer.id == "KemenPANRB"
    assert fw.legal_basis is not None
    assert fw.legal_basis.id == (
        "Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan Evaluasi SPBE"
    )
    assert fw.title.en is not None
    assert fw.note is not None
    assert "2021-2025" in fw.note.id


def test_index_scale_is_one_to_five_without_invented_decimals(fw: Framework) -> None:
    assert fw.scale is not None
    assert (fw.scale.minimum, fw.scale.maximum) == (Decimal(1), Decimal(5))
    assert fw.scale.decimals is None  # no source states the published precision
    assert fw.scale.provenance is not None


# -- structure ------------------------------------------------------------------------------


def test_counts(fw: Framework) -> None:
    assert len(fw.roots) == 1
    assert fw.index_node is not None
    assert fw.index_node.code == "INDEX"
    assert [n.code for n in fw.nodes("domain")] == ["D1", "D2", "D3", "D4"]
    assert [n.code for n in fw.nodes("aspect")] == [f"A{i}" for i in range(1, 9)]
    assert tuple(n.code for n in fw.nodes("indicator")) == INDICATORS
    assert len(fw) == 1 + 4 + 8 + 47


def test_tree_shape(fw: Framework) -> None:
    assert [c.code for c in fw.children("INDEX")] == list(DOMAIN_WEIGHTS)
    for domain, aspects in ASPECT_OF_DOMAIN.items():
        assert tuple(c.code for c in fw.children(domain)) == aspects
    for aspect, (numbers, _) in ASPECT_INDICATORS.items():
        assert [c.code for c in fw.children(aspect)] == [f"I{i}" for i in numbers]
    assert all(fw.node(code).is_leaf for code in INDICATORS)


def test_labels(fw: Framework) -> None:
    assert fw.node("INDEX").label.id == "Indeks SPBE"
    assert fw.label("D1") == "Kebijakan Internal SPBE"
    assert fw.label("D4") == "Layanan SPBE"
    assert fw.label("A7") == "Layanan Administrasi Pemerintahan Berbasis Elektronik"
    assert fw.label("I44") == (
        "Tingkat Kematangan Layanan Jaringan Dokumentasi dan Informasi Hukum (JDIH)"
    )
    for node in fw:
        assert node.label.en is not None, node.code


def test_aggregation_is_arithmetic_above_the_indicators(fw: Framework) -> None:
    for node in fw:
        expected = None if node.kind == "indicator" else "arithmetic"
        assert node.aggregation == expected, node.code


# -- weights --------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "weight"), ASPECT_WEIGHTS.items())
def test_aspect_weights(fw: Framework, code: str, weight: Decimal) -> None:
    assert fw.node(code).weight == weight
    assert _gw(fw, code) == weight


@pytest.mark.parametrize(("code", "weight"), DOMAIN_WEIGHTS.items())
def test_domain_weights(fw: Framework, code: str, weight: Decimal) -> None:
    assert fw.node(code).weight == weight
    assert _gw(fw, code) == weight


@pytest.mark.parametrize(
    ("code", "weight"),
    [
        ("I1", Decimal("1.3")),
        ("I11", Decimal("2.5")),
        ("I21", Decimal("1.5")),
        ("I32", Decimal("2.75")),
        ("I41", Decimal("2.75")),
        ("I42", Decimal(3)),
    ],
)
def test_specific_indicator_weights(fw: Framework, code: str, weight: Decimal) -> None:
    assert fw.node(code).weight == weight
    assert _gw(fw, code) == weight


def test_every_indicator_weight(fw: Framework) -> None:
    for aspect, (numbers, weight) in ASPECT_INDICATORS.items():
        for i in numbers:
            assert _gw(fw, f"I{i}") == weight, (aspect, i)


def test_weights_add_up_exactly(fw: Framework) -> None:
    assert sum((_gw(fw, c) for c in INDICATORS), Decimal(0)) == 100
    assert sum(DOMAIN_WEIGHTS.values(), Decimal(0)) == 100
    for node in fw:
        if node.children and node.weight is not None:
            kids = sum((c.weight for c in node.children if c.weight is not None), Decimal(0))
            assert kids == node.weight, node.code


def test_seeder_typo_not_copied(fw: Framework) -> None:
    # One seeder writes 27.50 for indicators 32-41; the aspect total shows it is 2.75.
    for i in range(32, 42):
        assert fw.node(f"I{i}").weight == Decimal("2.75")


# -- the index formula ----------------------------------------------------------------------


def _index(fw: Framework, levels: dict[str, int]) -> Decimal:
    """Indeks SPBE = sum of w_i * NI_i / 100 over the 47 indicators."""
    return sum((_gw(fw, c) * levels[c] for c in INDICATORS), Decimal(0)) / 100


@pytest.mark.parametrize("level", [1, 3, 5])
def test_formula_all_levels_equal(fw: Framework, level: int) -> None:
    assert _index(fw, dict.fromkeys(INDICATORS, level)) == level


def test_formula_two_step_equals_one_step(fw: Framework) -> None:
    # Aspect indices (weighted means), then sum of aspect weight * aspect index / 100.
    levels = {c: (i % 5) + 1 for i, c in enumerate(INDICATORS)}
    one_step = _index(fw, levels)
    two_step = Decimal(0)
    for aspect, weight in ASPECT_WEIGHTS.items():
        kids = fw.children(aspect)
        aspect_index = sum((_gw(fw, k.code) * levels[k.code] for k in kids), Decimal(0)) / weight
        two_step += weight * aspect_index
    assert two_step / 100 == one_step
    assert Decimal(1) < one_step < Decimal(5)


def test_only_policy_domain_at_five(fw: Framework) -> None:
    levels = {c: 5 if fw.parent(c) == fw.node("A1") else 1 for c in INDICATORS}
    # 13 % of the index at level 5, the rest at level 1: 1 + 4 * 0.13.
    assert _index(fw, levels) == Decimal("1.52")


# -- rubrics and ladders --------------------------------------------------------------------


def test_ladders(fw: Framework) -> None:
    process = fw.ladder("process")
    service = fw.ladder("service")
    assert [lv.name.id for lv in process.levels] == [
        "Rintisan",
        "Terkelola",
        "Terdefinisi",
        "Terpadu dan Terukur",
        "Optimum",
    ]
    assert [lv.name.id for lv in service.levels] == [
        "Informasi",
        "Interaksi",
        "Transaksi",
        "Kolaborasi",
        "Optimalisasi",
    ]
    for ladder in (process, service):
        assert [lv.value for lv in ladder.levels] == [1, 2, 3, 4, 5]
        assert all(lv.name.en for lv in ladder.levels)
        assert ladder.provenance.sources


@pytest.mark.parametrize("code", INDICATORS)
def test_rubric_shape(fw: Framework, code: str) -> None:
    node = _rubric_node(fw, code)
    rubric = node.rubric
    assert rubric is not None
    assert [lv.value for lv in rubric.levels] == [1, 2, 3, 4, 5]
    assert (rubric.minimum, rubric.maximum) == (1, 5)
    assert rubric.cumulative is True
    assert rubric.ladder is not None
    ladder = fw.ladder(rubric.ladder)
    for lv in rubric.levels:
        assert lv.criteria is not None
        assert lv.criteria.id.strip()
        rung = ladder.level(lv.value)
        assert rung is not None
        assert lv.name == rung.name
    # One general evidence entry and one for each level.
    assert len(rubric.evidence_for(None)) == 1
    for level in range(1, 6):
        assert len(rubric.evidence_for(level)) == 1, (code, level)
    assert len(rubric.evidence) == 6
    assert rubric.provenance is not None


def test_ladder_per_indicator(fw: Framework) -> None:
    # As in the indicator table: process for indicators 1-31, service for 32-47.
    for i, code in enumerate(INDICATORS, start=1):
        rubric = _rubric_node(fw, code).rubric
        assert rubric is not None
        assert rubric.ladder == ("process" if i <= 31 else "service"), code


def test_level_names_follow_the_ladder(fw: Framework) -> None:
    i1 = _rubric_node(fw, "I1").rubric
    i42 = _rubric_node(fw, "I42").rubric
    assert i1 is not None
    assert i42 is not None
    level4 = i1.level(4)
    transaksi = i42.level(3)
    assert level4 is not None
    assert transaksi is not None
    assert level4.name.id == "Terpadu dan Terukur"
    assert transaksi.name.id == "Transaksi"
    assert transaksi.name.get("en") == "Transaction"


def test_cumulative_rule(fw: Framework) -> None:
    rubric = _rubric_node(fw, "I11").rubric
    assert rubric is not None
    assert rubric.achieved({1, 2, 3, 5}) == 3
    assert rubric.achieved({2, 3, 4, 5}) is None
    assert rubric.achieved(range(1, 6)) == 5


def test_criteria_verbatim(fw: Framework) -> None:
    rubric = _rubric_node(fw, "I1").rubric
    assert rubric is not None
    level5 = rubric.level(5)
    assert level5 is not None
    assert level5.criteria is not None
    assert level5.criteria.id == (
        "Tingkat 4 terpenuhi dan hasil reviu/evaluasi kebijakan ditindaklanjuti dengan "
        "penetapan kebijakan baru."
    )
    assert level5.criteria.en is None  # long criteria are not machine-translated
    general = rubric.evidence_for(None)[0].description.id
    assert general.startswith("dokumen kebijakan yang sudah ditetapkan")
    assert not general.startswith("Umum")
    level1 = rubric.evidence_for(1)[0].description.id
    assert level1.startswith("draf peraturan/keputusan/surat edaran tentang Arsitektur SPBE")


# -- predicates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "predicate"),
    [
        (Decimal("1"), "Kurang"),
        (Decimal("1.79"), "Kurang"),
        (Decimal("1.8"), "Cukup"),
        (Decimal("2.59"), "Cukup"),  # Aceh Tengah 2025
        (Decimal("2.6"), "Baik"),
        (Decimal("2.79"), "Baik"),  # national 2023
        (Decimal("3.12"), "Baik"),  # national 2024
        (Decimal("3.4999"), "Baik"),
        (Decimal("3.5"), "Sangat Baik"),
        (Decimal("4.19"), "Sangat Baik"),
        (Decimal("4.2"), "Memuaskan"),
        (Decimal("5.0"), "Memuaskan"),
        (5, "Memuaskan"),
        (2.6, "Baik"),
    ],
)
def test_predicates(fw: Framework, value: Decimal | int | float, predicate: str) -> None:
    assert fw.predicates is not None
    band = fw.predicates.classify(value)
    assert band is not None
    assert band.label.id == predicate


def test_predicate_bands(fw: Framework) -> None:
    assert fw.predicates is not None
    bands = fw.predicates.bands
    assert [b.code for b in bands] == ["kurang", "cukup", "baik", "sangat_baik", "memuaskan"]
    assert [b.label.en for b in bands] == ["Poor", "Fair", "Good", "Very good", "Satisfactory"]
    assert bands[0].lower is None
    assert [b.lower for b in bands[1:]] == [Decimal(x) for x in ("1.8", "2.6", "3.5", "4.2")]
    assert bands[-1].upper == 5
    assert fw.predicates.classify(Decimal("5.01")) is None
    # A single unofficial source gives the full table.
    assert fw.predicates.provenance.confidence is Confidence.UNCERTAIN


# -- stages ---------------------------------------------------------------------------------


def test_stages(fw: Framework) -> None:
    assert [s.code for s in fw.stages] == ["mandiri", "dokumen", "interviu", "visitasi"]
    assert [s.label.id for s in fw.stages] == [
        "Penilaian Mandiri",
        "Penilaian Dokumen",
        "Penilaian Interviu",
        "Penilaian Visitasi",
    ]
    for stage in fw.stages:
        assert stage.provenance is not None
        assert stage.provenance.sources
    assert fw.evidence_kinds == ()  # the status vocabulary is not a kind of evidence


# -- look-up by alias -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("Kebijakan Internal Arsitektur SPBE", "I1"),
        ("Arsitektur SPBE", "I11"),
        ("Kebijakan Internal Manajemen Data", "I3"),
        ("manajemen  data", "I23"),
        ("Tim Koordinasi SPBE", "I19"),
        ("Kebijakan Internal Tim Koordinasi SPBE", "I10"),
        ("JDIH", "I44"),
        ("i47", "I47"),
    ],
)
def test_aliases(fw: Framework, key: str, code: str) -> None:
    assert fw.node(key).code == code


def test_aliases_unique(fw: Framework) -> None:
    seen: dict[str, str] = {}
    for node in fw:
        for alias in node.aliases:
            key = "".join(alias.split()).casefold()
            assert key not in seen, (alias, seen.get(key), node.code)
            seen[key] = node.code


# -- provenance -----------------------------------------------------------------------------


def test_every_node_has_a_source_url(fw: Framework) -> None:
    for node in fw:
        assert node.provenance.urls, node.code
        assert all(u.startswith("https://") for u in node.provenance.urls), node.code
        for field in ("weight", "aggregation"):
            if getattr(node, field) is not None:
                assert node.provenance_of(field).sources, (node.code, field)


def test_github_citations_are_blob_urls(fw: Framework) -> None:
    urls = {u for node in fw for u in node.provenance.urls if "github.com" in u}
    assert urls
    for url in urls:
        assert "/blob/" in url, url
        assert "@" not in url, url


def test_indicator_sources(fw: Framework) -> None:
    urls = fw.node("I1").provenance.urls
    assert (
        "https://github.com/sleeppygirls/SPBE/blob/f2f26dc73cbd886c194417c7bcfa24fe584af785/"
        "database/seeders/IndikatorSeeder.php"
    ) in urls
    assert (
        "https://github.com/lembanoyoga/spbe/blob/dc16bac61e53c6b72273dfbb3c8fe0209de4a0e8/"
        "application/views/domain_kebijakan/vw_kebijakan_arsitektur.php"
    ) in urls


@pytest.mark.parametrize("code", INDICATORS)
def test_confidence_follows_indicator_table(fw: Framework, code: str) -> None:
    node = fw.node(code)
    rubric = node.rubric
    assert rubric is not None
    assert rubric.provenance is not None
    expected = Confidence.UNCERTAIN if code in UNCERTAIN else Confidence.CONFIRMED
    assert node.provenance.confidence is expected
    assert rubric.provenance.confidence is expected
    # The weights are confirmed even where the criteria are doubtful.
    assert node.provenance_of("weight").confidence is Confidence.CONFIRMED
    if code in UNCERTAIN:
        assert node.note is not None
        assert node.note.en is not None


def test_uncertain_criteria_keep_their_doubt(fw: Framework) -> None:
    rubric = _rubric_node(fw, "I3").rubric
    assert rubric is not None
    level3 = rubric.level(3)
    assert level3 is not None
    assert level3.criteria is not None
    assert "[Dalam semua salinan sumber" in level3.criteria.id


def test_domain_three_weight_is_inferred(fw: Framework) -> None:
    # 12 + 4.5; a conflicting 13 % in one source is treated as an extraction error.
    prov = fw.node("D3").provenance_of("weight")
    assert prov.confidence is Confidence.INFERRED
    assert prov.note is not None
    assert "13 %" in prov.note.id


def test_round_trip(fw: Framework, tmp_path: Path) -> None:
    for name in ("spbe.toml", "spbe.json"):
        frameworks.write(fw, tmp_path / name)
        assert frameworks.read(tmp_path / name) == fw
