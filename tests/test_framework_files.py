"""Loading framework and overlay files: the happy paths and every kind of bad input."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import frameworks
from kotacerdas.errors import FrameworkError, FrameworkNotFoundError


def _problems(data: Any) -> list[tuple[str, str]]:
    with pytest.raises(FrameworkError) as info:
        frameworks.from_data(data, "test.toml")
    assert isinstance(info.value, ValueError)
    return [(p.code, p.path) for p in info.value.problems]


def test_valid_minimal(minimal: dict[str, Any]) -> None:
    fw = frameworks.from_data(minimal)
    assert fw.node("A").weight == Decimal("0.25")


def test_all_problems_reported_at_once(minimal: dict[str, Any]) -> None:
    bad = copy.deepcopy(minimal)
    kids = bad["nodes"][0]["children"]
    kids[0]["weight"] = "0.25"  # text, not a number
    kids[1]["colour"] = "red"  # unknown field
    del bad["nodes"][1]["label"]
    got = _problems(bad)
    assert ("schema.type", "nodes[0].children[0].weight") in got
    assert ("schema.extra", "nodes[0].children[1].colour") in got
    assert ("schema.missing", "nodes[1].label") in got


def test_messages_in_both_languages(minimal: dict[str, Any]) -> None:
    minimal["nodes"][0]["children"][1]["weight"] = Decimal("0.70")
    with pytest.raises(FrameworkError) as info:
        frameworks.from_data(minimal, "x.toml")
    en = info.value.message("en")
    idn = info.value.message("id")
    assert "x.toml has 1 problem(s)" in en
    assert "add up to 0.95, expected 1" in en
    assert "berjumlah 0.95, seharusnya 1" in idn
    assert str(info.value) in {en, idn}


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda d: d["nodes"][0]["children"][1].update(code="A"),
            ("code.duplicate", "nodes[0].children[1].code"),
        ),
        (
            lambda d: d["nodes"][0]["children"][1].update(code="bad code!"),
            ("code.invalid", "nodes[0].children[1].code"),
        ),
        (
            lambda d: d["nodes"][0]["children"][1].update(weight=Decimal("0.5")),
            ("weight.sum", "nodes[0]"),
        ),
        (
            lambda d: d["nodes"][0]["children"][1].update(weight=Decimal("-0.75")),
            ("weight.negative", "nodes[0].children[1].weight"),
        ),
        (
            lambda d: d["nodes"][0]["children"][1].pop("weight"),
            ("weight.partial", "nodes[0].children"),
        ),
        (
            lambda d: d["nodes"][0]["children"][1].update(weight=True),
            ("schema.type", "nodes[0].children[1].weight"),
        ),
        (
            lambda d: d["nodes"][0]["children"][1].update(weight=Decimal("NaN")),
            ("schema.not-finite", "nodes[0].children[1].weight"),
        ),
        (
            lambda d: d["nodes"][0]["children"][1].update(weight=float("inf")),
            ("schema.not-finite", "nodes[0].children[1].weight"),
        ),
        (lambda d: d["nodes"][2].update(parent="NOPE"), ("node.unknown", "nodes[2].parent")),
        (
            lambda d: d["nodes"][2].update(aliases=["pertama"]),
            ("alias.duplicate", "nodes[2].aliases[0]"),
        ),
        (lambda d: d["nodes"][2].update(aliases=["a"]), ("alias.duplicate", "nodes[2].aliases[0]")),
        (lambda d: d.update(index="X1"), ("index.unknown", "index")),
        (
            lambda d: d["nodes"][0].update(inputs=["Q"]),
            ("node.input-unknown", "nodes[0].inputs[0]"),
        ),
        (
            lambda d: d["nodes"][0].update(aggregation="mean-ish"),
            ("schema.choice", "nodes[0].aggregation"),
        ),
        (
            lambda d: d["provenance"].update(confidence="sure"),
            ("schema.choice", "provenance.confidence"),
        ),
        (
            lambda d: d["provenance"].update(sources=["nokey"]),
            ("source.unknown-key", "provenance.sources[0]"),
        ),
        (lambda d: d.update(format=2), ("schema.choice", "format")),
        (lambda d: d.update(nodes=[]), ("schema.value", "nodes")),
        (lambda d: d.update(year="2024"), ("schema.type", "year")),
        (
            lambda d: d["nodes"][2].update(field_provenance={"colour": {"confidence": "inferred"}}),
            ("provenance.field-unknown", "nodes[2].field_provenance"),
        ),
        (lambda d: d.update(scale={"minimum": 4, "maximum": 0}), ("scale.order", "scale")),
    ],
)
def test_bad_input(minimal: dict[str, Any], mutate: Any, expected: tuple[str, str]) -> None:
    mutate(minimal)
    assert expected in _problems(minimal)


def test_cycle_is_reported(minimal: dict[str, Any]) -> None:
    minimal["nodes"].extend(
        [
            {"code": "P", "kind": "k", "label": "P", "parent": "Q"},
            {"code": "Q", "kind": "k", "label": "Q", "parent": "P"},
        ]
    )
    got = _problems(minimal)
    assert ("node.cycle", "nodes[3].parent") in got
    assert ("node.cycle", "nodes[4].parent") in got


def test_global_weights_must_add_up_to_parent(minimal: dict[str, Any]) -> None:
    minimal["weights"] = "global"
    minimal["weight_total"] = 100
    kids = minimal["nodes"][0]["children"]
    kids[0]["weight"] = Decimal(25)
    kids[1]["weight"] = Decimal(75)
    kids[1]["children"] = [
        {"code": "B1", "kind": "i", "label": "b1", "weight": Decimal("37.5")},
        {
            "code": "B2",
            "kind": "i",
            "label": "b2",
            "weight": Decimal("37.5"),
            "global_weight": Decimal("37.5"),
        },
    ]
    fw = frameworks.from_data(minimal)
    assert fw.global_weight("B2") == Decimal("37.5")
    assert fw.share("B2") == Decimal("0.5")
    kids[1]["children"][1]["weight"] = Decimal("37.4")
    kids[1]["children"][1]["global_weight"] = Decimal("37.4")
    got = _problems(minimal)
    assert ("weight.sum", "nodes[0].children[1]") in got


def test_global_weight_cross_check(minimal: dict[str, Any]) -> None:
    minimal["nodes"][0]["children"][0]["global_weight"] = Decimal("0.3")
    assert ("weight.global-mismatch", "nodes[0].children[0].global_weight") in _problems(minimal)


def test_relative_weights_are_normalised(minimal: dict[str, Any]) -> None:
    minimal["weights"] = "relative"
    kids = minimal["nodes"][0]["children"]
    kids[0]["weight"] = Decimal(1)
    kids[1]["weight"] = Decimal(2)
    fw = frameworks.from_data(minimal)
    assert fw.share("A") + fw.share("B") == 1  # type: ignore[operator]
    assert str(fw.share("B")) == "2/3"


def test_rubric_with_ladder(minimal: dict[str, Any]) -> None:
    minimal["ladders"] = [
        {
            "code": "proc",
            "name": "Proses",
            "levels": [{"value": v, "name": {"id": f"T{v}", "en": f"L{v}"}} for v in range(1, 6)],
        }
    ]
    minimal["nodes"][2]["rubric"] = {
        "ladder": "proc",
        "levels": [{"value": v, "criteria": f"kriteria {v}"} for v in range(1, 6)],
        "evidence": [{"description": "umum"}, {"description": "draf", "level": 1}],
    }
    fw = frameworks.from_data(minimal)
    rubric = fw.node("X1").rubric
    assert rubric is not None
    assert rubric.level(2).name.get("en") == "L2"  # type: ignore[union-attr]
    assert rubric.level(2).criteria.id == "kriteria 2"  # type: ignore[union-attr]
    assert [e.description.id for e in rubric.evidence_for(1)] == ["draf"]
    assert [e.description.id for e in rubric.evidence_for(None)] == ["umum"]
    minimal["nodes"][2]["rubric"]["levels"][4]["value"] = 7
    minimal["nodes"][2]["rubric"]["evidence"][1]["level"] = 9
    got = _problems(minimal)
    assert ("rubric.level-unknown", "nodes[2].rubric.levels[4].value") in got
    assert ("rubric.levels", "nodes[2].rubric.levels") in got
    assert ("rubric.level-unknown", "nodes[2].rubric.evidence[1].level") in got
    minimal["nodes"][2]["rubric"] = {"ladder": "nope"}
    assert ("rubric.ladder-unknown", "nodes[2].rubric.ladder") in _problems(minimal)


def test_bands_must_be_contiguous(minimal: dict[str, Any]) -> None:
    minimal["predicates"] = {
        "bands": [
            {"code": "a", "label": "A", "upper": Decimal(2)},
            {"code": "b", "label": "B", "lower": Decimal("2.5"), "upper": Decimal(3)},
        ]
    }
    assert ("bands.order", "predicates.bands[1]") in _problems(minimal)


def test_flat_and_nested_agree(minimal: dict[str, Any]) -> None:
    nested = frameworks.from_data(minimal)
    flat = copy.deepcopy(minimal)
    index = flat["nodes"][0]
    kids = index.pop("children")
    flat["nodes"][1:1] = [{**k, "parent": "INDEX"} for k in kids]
    assert frameworks.from_data(flat) == nested


def test_dump_and_reload(minimal: dict[str, Any], tmp_path: Path) -> None:
    fw = frameworks.from_data(minimal)
    for name in ("fw.toml", "fw.json"):
        frameworks.write(fw, tmp_path / name)
        assert frameworks.read(tmp_path / name) == fw
    frameworks.write(fw, tmp_path / "flat.toml", nested=False)
    assert frameworks.read(tmp_path / "flat.toml") == fw
    assert json.loads((tmp_path / "fw.json").read_text())["$schema"].endswith("framework-1.json")


def test_load_file_reports_file_name(write: Any) -> None:
    path = write("bad.toml", 'format = 1\nid = "x"\n')
    with pytest.raises(FrameworkError) as info:
        frameworks.read(path)
    assert str(path) in info.value.message("en")
    assert ("schema.missing", "edition") in [(p.code, p.path) for p in info.value.problems]


def test_overlay_patches_adds_and_removes(minimal: dict[str, Any], tmp_path: Path) -> None:
    base = frameworks.from_data(minimal)
    frameworks.write(base, tmp_path / "base.toml")
    overlay = {
        "format": 1,
        "extends": "base.toml",
        "edition": "1-kabupaten",
        "nodes": [
            {"code": "A", "weight": Decimal("0.5"), "label": {"id": "Satu (lokal)"}},
            {"code": "B", "weight": Decimal("0.5")},
            {"code": "X", "children": [{"code": "X2", "kind": "sub_dimension", "label": "X2"}]},
            {"code": "Y", "kind": "dimension", "label": "Dimensi Y"},
        ],
        "remove": ["X1"],
    }
    (tmp_path / "overlay.json").write_text(json.dumps(overlay, default=str))
    path = tmp_path / "overlay.json"
    text = path.read_text().replace('"0.5"', "0.5")
    path.write_text(text)
    fw = frameworks.read(path)
    assert fw.edition == "1-kabupaten"
    assert fw.node("A").label.id == "Satu (lokal)"
    assert fw.share("A") == Decimal("0.5")
    assert [n.code for n in fw.children("X")] == ["X2"]
    assert "X1" not in fw
    assert fw.node("Y").parent is None
    assert fw.node("pertama").code == "A"  # aliases kept from the base


def test_overlay_errors(minimal: dict[str, Any]) -> None:
    with pytest.raises(FrameworkNotFoundError):
        frameworks.from_data({"format": 1, "extends": "nope@1"})
    # An overlay that breaks the weights is reported like any other problem.
    with pytest.raises(FrameworkError):
        frameworks.from_data(
            {"format": 1, "extends": "gm100sc@2024", "nodes": [{"code": "QW", "weight": 0.5}]}
        )
    # Moving a node under its own descendant is a cycle.
    with pytest.raises(FrameworkError) as info:
        frameworks.from_data(
            {"format": 1, "extends": "gm100sc@2024", "nodes": [{"code": "G", "parent": "G1"}]}
        )
    assert "node.cycle" in {p.code for p in info.value.problems}


def test_json_schema_describes_files() -> None:
    schema = frameworks.json_schema()
    assert schema["$schema"].startswith("https://json-schema.org/draft/2020-12")
    names = {ref["$ref"].rsplit("/", 1)[1] for ref in schema["anyOf"]}
    assert names == {"FrameworkFile", "OverlayFile"}
    node = schema["$defs"]["NodeModel"]
    assert node["additionalProperties"] is False
    assert {"code", "kind", "label"} <= set(node["required"])


def test_confirmed_needs_a_source(minimal: dict[str, Any]) -> None:
    minimal["nodes"][2]["provenance"] = {"confidence": "confirmed"}
    assert ("provenance.no-source", "nodes[2].provenance.sources") in _problems(minimal)
    minimal["nodes"][2]["provenance"] = {"confidence": "inferred"}
    frameworks.from_data(minimal)


def test_evidence_kind_must_be_declared(minimal: dict[str, Any]) -> None:
    minimal["nodes"][2]["evidence"] = [{"description": "x", "kind": "foto"}]
    assert ("evidence-kind.unknown", "nodes[2].evidence[0].kind") in _problems(minimal)
    minimal["evidence_kinds"] = [{"code": "foto", "label": "Foto"}]
    frameworks.from_data(minimal)


def test_circular_overlay_chain_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"format": 1, "extends": "b.json"}))
    (tmp_path / "b.json").write_text(json.dumps({"format": 1, "extends": "a.json"}))
    with pytest.raises(FrameworkError) as info:
        frameworks.read(tmp_path / "a.json")
    (problem,) = info.value.problems
    assert (problem.code, problem.path) == ("overlay.chain", "extends")
    assert "a.json → b.json → a.json" in info.value.message("en")
    (tmp_path / "self.json").write_text(json.dumps({"format": 1, "extends": "self.json"}))
    with pytest.raises(FrameworkError, match="circular"):
        frameworks.read(tmp_path / "self.json")


def test_a_source_needs_a_url_or_a_title(minimal: dict[str, Any]) -> None:
    minimal["sources"].append({"key": "bare"})
    with pytest.raises(FrameworkError) as info:
        frameworks.from_data(minimal)
    assert [(p.code, p.path) for p in info.value.problems] == [("source.empty", "sources[1]")]


@pytest.mark.parametrize("ref", [str(r) for r in frameworks.available()])
def test_to_data_is_the_inverse_of_load_data(ref: str) -> None:
    fw = frameworks.load(ref)
    assert frameworks.from_data(frameworks.to_data(fw)) == fw
    flat = frameworks.to_data(fw, nested=False)
    assert all("children" not in node for node in flat["nodes"])
    assert frameworks.from_data(flat) == fw
