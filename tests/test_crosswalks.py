"""Crosswalks as data, validated like framework files, and views of one framework in another."""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import crosswalks, frameworks
from kotacerdas.cli import ExitCode, main
from kotacerdas.errors import CrosswalkError
from kotacerdas.model import Confidence, SourceKind

ROOT = Path(__file__).resolve().parents[1]
SPBE = frameworks.load("spbe@2020")
GM = frameworks.load("gm100sc@2024")
PEMDI = frameworks.load("pemdi@2026")


@pytest.mark.parametrize("cid", crosswalks.available())
def test_bundled_crosswalks_load_and_are_drafts(cid: str) -> None:
    cw = crosswalks.load(cid)
    assert cw.status == "draft"
    assert all(link.status == "draft" for link in cw.links)
    for link in cw.links:
        assert link.rationale is not None
        assert link.provenance.confidence is Confidence.INFERRED
        assert link.provenance.kind is SourceKind.OWN
    for source in cw.sources:
        assert source.url or source.locator


@pytest.mark.parametrize("cid", crosswalks.available())
def test_bundled_crosswalks_validate_against_the_published_schema(cid: str) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the [test] extra")
    text = resources.files("kotacerdas.data.schema").joinpath("crosswalk-1.json").read_text()
    schema = json.loads(text)
    assert schema == crosswalks.json_schema()
    path = resources.files("kotacerdas.data.crosswalks").joinpath(f"{cid}.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)


def _data(**links: Any) -> dict[str, Any]:
    return {
        "format": 1,
        "id": "contoh",
        "source": "gm100sc",
        "target": "spbe@2020",
        "title": "Contoh",
        "provenance": {"confidence": "inferred"},
        "links": [{"source": "G1", "target": "A8", "relation": "partial", **links}],
    }


def test_unknown_nodes_relations_and_duplicates_are_problems() -> None:
    bad = _data()
    bad["links"].append({"source": "G9", "target": "A8", "relation": "partial"})
    bad["links"].append({"source": "G1", "target": "A8", "relation": "equal"})
    with pytest.raises(CrosswalkError) as info:
        crosswalks.from_data(bad)
    codes = [p.code for p in info.value.problems]
    # G9 is unknown in every GM100SC edition; the pair G1-A8 is repeated.
    assert codes.count("crosswalk.node-unknown") == len(
        [r for r in frameworks.available() if r.id == "gm100sc"]
    )
    assert "crosswalk.duplicate" in codes
    with pytest.raises(CrosswalkError):
        crosswalks.from_data(_data(relation="close"))
    with pytest.raises(CrosswalkError):
        crosswalks.from_data(_data(coverage=1.5))


def test_inverse_swaps_narrower_and_broader() -> None:
    cw = crosswalks.load("gm100sc--spbe")
    inv = cw.inverse()
    assert inv.source == "spbe@2020"
    assert inv.target == "gm100sc"
    (g,) = cw.links_from("G")
    (back,) = inv.links_to("G")
    assert (g.relation, back.relation) == ("broader", "narrower")
    assert inv.inverse().links == cw.links


def test_spbe_levels_show_up_against_gm100sc_governance() -> None:
    levels = {n.code: Decimal(3) for n in SPBE.nodes("indicator")}
    levels.update({f"I{i}": Decimal(5) for i in range(42, 48)})  # A8 (public services) at 5
    view = crosswalks.view(levels, SPBE, GM)
    assert view.status == "draft"
    # A8 = 5 on SPBE's 1-5 scale = 4 on GM100SC's 0-4 scale; A7 and D3 = 3 -> 2.
    assert view["G1"].value == Decimal(4)
    assert view["G1"].sources == ("A8",)
    assert view["G2"].value == Decimal(2)
    assert view["G2"].sources == ("A7", "D3")
    # G is re-aggregated from G1-G3 (the lowest mapped level), not copied from SPBE's index.
    assert view["G"].value == Decimal("2.666667")
    assert view["G"].informed == 1
    assert view["G"].coverage is None  # partial mappings carry no coverage weight
    # The other dimensions: Economy only through I34 (government finance).
    assert view["E"].sources == ("I34",)
    assert view["B"].value is None
    assert "B" in view.not_carried
    # The index tree of GM100SC (five components) gets nothing from SPBE.
    assert view["INDEX"].value is None
    assert view["INDEX"].informed == 0
    assert any("rescaled" in a for a in view.assumptions)


def test_partial_scores_give_partial_views() -> None:
    levels = {"I42": Decimal(4)}  # one of A8's six indicators
    view = crosswalks.view(levels, SPBE, GM)
    assert view["G1"].value is not None
    assert view["G"].informed == Fraction(1, 3)


def test_spbe_2020_carried_forward_to_pemdi_2026() -> None:
    levels = {n.code: Decimal(3) for n in SPBE.nodes("indicator")}
    levels["I28"] = Decimal(4)
    view = crosswalks.view(levels, SPBE, PEMDI)
    # Levels are carried as levels (both are maturity rubrics), not rescaled.
    assert view["I2"].value == Decimal(4)
    assert view["I2"].coverage == 1  # an equal mapping covers the whole indicator
    assert view["I1"].coverage is None
    # Indicators with no SPBE counterpart are reported as not carried.
    assert {"I6", "I7", "I8", "I11", "I12", "I17", "I18", "I19", "I20"} <= set(view.not_carried)
    assert view["INDEX"].informed < 1
    assert view.unmapped  # e.g. the SPBE service indicators


def test_editions_of_one_framework_map_by_code() -> None:
    old = frameworks.load("gm100sc@2023")
    scores = {"BASE": Decimal("3.5"), "OUT": Decimal("3.4")}
    view = crosswalks.view(scores, old, GM)
    assert view["BASE"].value == Decimal("3.5")
    assert view["BASE"].coverage == 1
    cw = crosswalks.between(old, GM)
    assert (cw.id, cw.kind, cw.status) == ("gm100sc-editions", "migration", "draft")


def test_editions_without_records_map_by_code() -> None:
    cw = crosswalks.between(frameworks.load("spbe@2018"), SPBE)
    assert cw.kind == "migration"
    assert cw.status == "reviewed"
    assert [(link.source, link.relation) for link in cw.links] == [("INDEX", "equal")]


def test_no_crosswalk_is_a_clear_refusal() -> None:
    with pytest.raises(CrosswalkError) as info:
        crosswalks.between(frameworks.load("giffinger@2007"), SPBE)
    assert info.value.problems[0].code == "crosswalk.none"
    with pytest.raises(CrosswalkError):
        crosswalks.load("tidak-ada")


def test_cli_map(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(ROOT / "examples" / "tabalong-2023.json")
    assert main(["map", example, "--to", "gm100sc@2024"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "gm100sc@2023 → gm100sc@2024" in out
    assert main(["map", example, "--to", "gm100sc@2024", "--format", "json"]) == ExitCode.OK
    rows = json.loads(capsys.readouterr().out)
    base = next(n for n in rows[0]["nodes"] if n["code"] == "BASE")
    assert base["value"] == 3.5
    assert base["coverage"] == "1/1"
    # Through a draft crosswalk, component scores inform nothing: said, not hidden.
    assert main(["map", example, "--to", "u4ssc@2017", "--lang", "en"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "draft" in out
    assert "source values with no mapping: BASE, OUT, OUTC, IMP, QW, INDEX" in out
    assert "not carried (128 of 128 nodes): " in out
    assert main(["map", example, "--to", "u4ssc@2017", "--lang", "id"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "nilai sumber tanpa pemetaan: BASE, OUT, OUTC, IMP, QW, INDEX" in out
    assert "tidak terbawa (128 dari 128 simpul): " in out
    assert "not carried" not in out
    assert main(["map", example, "--to", "spbe@2018"]) == ExitCode.INPUT
    assert "crosswalk" in capsys.readouterr().err
    assert main(["map", example, "--to", "tidak@ada"]) == ExitCode.USAGE


# -- coverage of records that give none ---------------------------------------------------------


def _spbe_levels() -> dict[str, Decimal]:
    return {c: Decimal(3) for c in SPBE.codes if c.startswith("I")}


def test_unknown_coverage_is_reported_with_its_bounds() -> None:
    view = crosswalks.view(_spbe_levels(), SPBE, PEMDI)
    # I1 gets four `partial` records without coverage: more than 0, at most 1.
    assert view["I1"].coverage is None
    assert view["I1"].coverage_bounds == (Fraction(0), Fraction(1))
    # I2 gets one `equal` record: fully covered, known.
    assert view["I2"].coverage == 1
    assert view["I2"].coverage_bounds == (Fraction(1), Fraction(1))
    # A1 = half I1 + half I2: more than 1/2, at most 1.
    assert view["A1"].coverage is None
    assert view["A1"].coverage_bounds == (Fraction(1, 2), Fraction(1))
    low, high = view["INDEX"].coverage_bounds
    assert 0 < low < high < 1
    assert not any("stated default" in a for a in view.assumptions)
    # Nodes nothing reaches are known to be uncovered.
    assert view["I6"].coverage == 0
    assert view["I6"].coverage_bounds == (Fraction(0), Fraction(0))


def test_a_stated_default_coverage_is_used_and_said() -> None:
    view = crosswalks.view(_spbe_levels(), SPBE, PEMDI, partial_coverage="0.25")
    assert view["I1"].coverage == 1  # four records x 1/4
    assert view["I9"].coverage == Fraction(3, 4)  # three partial audit records
    assert view["I9"].coverage_bounds == (Fraction(3, 4), Fraction(3, 4))
    assert "I29→I9: partial record counted as covering 0.25 (stated default)" in view.assumptions
    unknown = crosswalks.view(_spbe_levels(), SPBE, PEMDI)
    low, high = unknown["INDEX"].coverage_bounds
    stated = view["INDEX"].coverage
    assert stated is not None
    assert low <= stated <= high  # a default stays within the bounds


@pytest.mark.parametrize("bad", ["0", "1.5", "-1", "abc", "nan"])
def test_a_default_coverage_outside_0_1_is_refused(bad: str) -> None:
    with pytest.raises(CrosswalkError) as info:
        crosswalks.view(_spbe_levels(), SPBE, PEMDI, partial_coverage=bad)
    assert info.value.problems[0].code == "crosswalk.partial-coverage"


def test_cli_map_shows_coverage_bounds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "spbe.json"
    path.write_text(
        json.dumps(
            {
                "format": 1,
                "region": "63.09",
                "year": 2024,
                "framework": "spbe",
                "edition": "2020",
                "kind": "published",
                "scores": [{"node": "I10", "value": 3}, {"node": "I28", "value": 2}],
            }
        ),
        encoding="utf-8",
    )
    assert main(["map", str(path), "--to", "pemdi@2026", "--lang", "en"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "coverage >50% ≤100%" in out  # A1
    assert main(["map", str(path), "--to", "pemdi@2026", "--partial-coverage", "1/2"]) == 0
    assert "cakupan  75%" in capsys.readouterr().out
    assert main(["map", str(path), "--to", "pemdi@2026", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    a1 = next(n for n in rows[0]["nodes"] if n["code"] == "A1")
    assert a1["coverage"] is None
    assert a1["coverage_bounds"] == ["1/2", "1/1"]
    assert main(["map", str(path), "--to", "pemdi@2026", "--partial-coverage", "2"]) == 2
    capsys.readouterr()


@pytest.mark.parametrize("coverage", [0, -0.5, 1.5])
def test_a_record_covers_something_and_no_more_than_all(coverage: float) -> None:
    # A record of coverage 0 would map nothing; it used to count as fully covering (weight 1).
    with pytest.raises(CrosswalkError) as info:
        crosswalks.from_data(_data(coverage=coverage))
    assert info.value.problems[0].path.endswith("coverage")
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the [test] extra")
    validator = jsonschema.Draft202012Validator(crosswalks.json_schema())
    assert not validator.is_valid(_data(coverage=coverage))  # the schema refuses it too
    assert validator.is_valid(_data(coverage=1))


def test_a_small_coverage_weighs_its_record_by_it() -> None:
    cw = crosswalks.from_data(_data(coverage=0.25))
    assert cw.links[0].coverage_or(None) == Fraction(1, 4)
