from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from kotacerdas import frameworks
from kotacerdas.errors import KotaCerdasError, LanguageError, NodeNotFoundError
from kotacerdas.model import (
    Band,
    Confidence,
    Level,
    Predicates,
    Provenance,
    Rubric,
    Text,
    normalise_key,
)

PROV = Provenance(Confidence.CONFIRMED)


def test_text_falls_back_to_indonesian() -> None:
    assert Text("Layanan Publik", "Public service").get("en") == "Public service"
    assert Text("Layanan Publik").get("en") == "Layanan Publik"
    assert Text("a", "b").get("id") == "a"
    with pytest.raises(LanguageError) as info:
        Text("a").get("fr")
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, KotaCerdasError)
    assert "unknown language 'fr'" in info.value.message("en")
    assert "bahasa 'fr' tidak dikenal" in info.value.message("id")


def test_lookup_by_code_and_alias(minimal: dict[str, Any]) -> None:
    fw = frameworks.from_data(minimal)
    assert fw.node("A").code == "A"
    assert fw.node("a").code == "A"
    assert fw.node("  komponen   SATU ").code == "A"
    assert fw.node("pertama").code == "A"
    assert "X1" in fw
    assert "nope" not in fw
    with pytest.raises(NodeNotFoundError) as info:
        fw.node("nope")
    assert isinstance(info.value, LookupError)
    assert isinstance(info.value, KotaCerdasError)
    assert "nope" in info.value.message("en")
    assert "tidak ada simpul" in info.value.message("id")


def test_traversal(minimal: dict[str, Any]) -> None:
    fw = frameworks.from_data(minimal)
    assert fw.codes == ("INDEX", "A", "B", "X", "X1")
    assert len(fw) == 5
    assert [n.code for n in fw.roots] == ["INDEX", "X"]
    parent = fw.parent("X1")
    assert parent is not None
    assert parent.code == "X"
    assert fw.parent("X") is None
    assert [n.code for n in fw.children("INDEX")] == ["A", "B"]
    assert [n.code for n in fw.path("B")] == ["INDEX", "B"]
    assert [n.code for n in fw.ancestors("X1")] == ["X"]
    assert [n.code for n in fw.leaves()] == ["A", "B", "X1"]
    assert [n.code for n in fw.nodes("component")] == ["A", "B"]
    assert fw.index_node is not None
    assert fw.index_node.code == "INDEX"
    assert fw.ref == "demo@1"


def test_weights(minimal: dict[str, Any]) -> None:
    fw = frameworks.from_data(minimal)
    assert fw.share("A") == Fraction(1, 4)
    assert fw.global_share("B") == Fraction(3, 4)
    assert fw.global_weight("B") == Decimal("0.75")
    assert fw.share("INDEX") is None
    assert fw.share("X1") is None
    assert fw.effective_weight("A", "INDEX") == Fraction(1, 4)
    with pytest.raises(NodeNotFoundError) as info:
        fw.effective_weight("A", "X")
    assert "not a descendant" in info.value.message("en")
    with pytest.raises(LookupError, match="'x'"):
        fw.ladder("x")


def test_provenance_of_fields(minimal: dict[str, Any]) -> None:
    minimal["nodes"][0]["children"][0]["field_provenance"] = {
        "weight": {
            "confidence": "inferred",
            "sources": ["letter"],
            "note": {"id": "dari jumlah", "en": "from the sum"},
        }
    }
    fw = frameworks.from_data(minimal)
    a = fw.node("A")
    assert a.provenance_of("weight").confidence is Confidence.INFERRED
    assert a.provenance_of("weight").sources[0].title == "Surat B-1/2021"
    assert a.provenance_of("label").confidence is Confidence.CONFIRMED
    assert a.provenance_of("label").urls == ("https://example.org/a",)
    assert fw.node("B").provenance.confidence is Confidence.INFERRED


def _rubric(minimum: int = 1, cumulative: bool = True) -> Rubric:
    return Rubric(tuple(Level(v, Text(str(v))) for v in range(minimum, 6)), cumulative)


def test_rubric_cumulative_rule() -> None:
    r = _rubric()
    assert (r.minimum, r.maximum) == (1, 5)
    assert r.achieved({1, 2, 3}) == 3
    assert r.achieved({1, 2, 4, 5}) == 2
    assert r.achieved({2, 3}) is None
    assert r.achieved(set()) is None
    assert r.achieved({1, 2, 3, 9}) == 3
    assert _rubric(cumulative=False).achieved({2, 4}) == 4
    assert _rubric(minimum=0).achieved({0, 1}) == 1
    assert r.level(3) is not None
    assert r.level(6) is None
    assert r.level(0) is None


def test_predicates_half_open() -> None:
    p = Predicates(
        (
            Band("low", Text("Rendah"), None, Decimal("2")),
            Band("mid", Text("Sedang"), Decimal("2"), Decimal("3")),
            Band("top", Text("Tinggi"), Decimal("3"), Decimal("4")),
        ),
        PROV,
    )
    assert p.classify(Decimal("1.99")).code == "low"  # type: ignore[union-attr]
    assert p.classify(2).code == "mid"  # type: ignore[union-attr]
    assert p.classify(2.9999).code == "mid"  # type: ignore[union-attr]
    assert p.classify(3).code == "top"  # type: ignore[union-attr]
    assert p.classify(4).code == "top"  # type: ignore[union-attr]
    assert p.classify(Decimal("4.0001")) is None
    assert p.classify(-100).code == "low"  # type: ignore[union-attr]


def test_normalise_key() -> None:
    assert normalise_key("Tata Kelola\tBirokrasi") == "tatakelolabirokrasi"
    assert normalise_key("G1") == normalise_key(" g 1 ")


def test_node_iteration_is_depth_first(minimal: dict[str, Any]) -> None:
    fw = frameworks.from_data(minimal)
    assert [n.code for n in fw.node("INDEX")] == ["INDEX", "A", "B"]
    assert "children=(A, B)" in repr(fw.node("INDEX"))
