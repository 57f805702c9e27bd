"""Did you mean …? Unknown regions, nodes and stages answer with the close known ones."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotacerdas import frameworks, validation
from kotacerdas._suggest import close, close_nodes
from kotacerdas.assessment import Assessment, Score
from kotacerdas.errors import PanelError, Problem
from kotacerdas.panel import score_panel


def _finding(a: Assessment, code: str) -> validation.Finding:
    return next(f for f in validation.validate(a) if f.code == code)


def test_an_unknown_region_suggests_the_close_names() -> None:
    a = Assessment("Kab. Tabalung", 2023, "gm100sc", "2023")
    found = _finding(a, "assessment.region-unknown")
    assert found.close == ("63.09 Kabupaten Tabalong",)
    assert found.message("en").endswith("; did you mean: 63.09 Kabupaten Tabalong?")
    assert found.message("id").endswith("; maksud Anda: 63.09 Kabupaten Tabalong?")


def test_an_unknown_node_suggests_codes_by_code_and_alias() -> None:
    scores = (Score("BAS", Decimal("3.50")), Score("Quick Wins", Decimal("3.45")))
    a = Assessment("63.09", 2023, "gm100sc", "2023", scores=scores)
    unknown = [f for f in validation.validate(a) if f.code == "score.node-unknown"]
    assert [(f.path, f.close) for f in unknown] == [
        ("scores[0].node", ("BASE",)),
        ("scores[1].node", ("QW",)),
    ]


def test_an_unknown_stage_suggests_the_close_stage() -> None:
    a = Assessment(
        "63.09", 2023, "gm100sc", "2023", scores=(Score("BASE", Decimal("3.5"), "finl"),)
    )
    assert _finding(a, "score.stage-unknown").close == ("final",)


def test_nothing_close_means_no_suggestion() -> None:
    a = Assessment("63.09", 2023, "gm100sc", "2023", scores=(Score("ZZZZZZ", Decimal("3.5")),))
    found = _finding(a, "score.node-unknown")
    assert found.close == ()
    assert "did you mean" not in found.message("en")


def test_suggestions_are_not_part_of_equality() -> None:
    assert Problem("a.b", "x", close=("y",)) == Problem("a.b", "x")
    assert validation.Finding("a.b", "error", "x", close=("y",)) == validation.Finding(
        "a.b", "error", "x"
    )


def test_the_panel_suggests_nodes_the_same_way() -> None:
    row = {"region": "63.09", "year": 2023, "framework": "gm100sc", "edition": "2023"}
    with pytest.raises(PanelError) as caught:
        score_panel([{**row, "node": "OUTCOM", "value": "3.3"}])
    assert caught.value.problems[0].close == ("OUTC",)
    assert "did you mean: OUTC?" in caught.value.message("en")


def test_close_is_case_blind_and_keeps_the_names_as_given() -> None:
    assert close("Gm100Sc@2024", ["gm100sc@2024", "spbe@2020"]) == ("gm100sc@2024",)
    assert close("", ["a"]) == ()
    assert close_nodes(frameworks.load("spbe@2020"), "i47")[0] == "I47"


# -- editions: one resolver for frameworks.load, parse_ref, panels and the command line --------


def test_an_unknown_edition_suggests_the_close_editions() -> None:
    from kotacerdas.errors import FrameworkNotFoundError

    with pytest.raises(FrameworkNotFoundError) as info:
        frameworks.load("gm100sc@2025")
    assert info.value.close[0] == "gm100sc@2024"
    assert all(ref.startswith("gm100sc@") for ref in info.value.close)
    assert info.value.message("en").endswith("; did you mean: " + ", ".join(info.value.close) + "?")
    assert "; maksud Anda: gm100sc@2024" in info.value.message("id")
    with pytest.raises(FrameworkNotFoundError) as info:
        frameworks.load("spbe", "2019")
    assert info.value.close[:2] == ("spbe@2018", "spbe@2020") or "spbe@2020" in info.value.close


def test_a_misspelt_id_suggests_its_editions() -> None:
    from kotacerdas.errors import FrameworkNotFoundError

    with pytest.raises(FrameworkNotFoundError) as info:
        frameworks.parse_ref("sbpe")
    assert info.value.code == "framework.ref"
    assert set(info.value.close) == {"spbe@2018", "spbe@2020"}
    with pytest.raises(FrameworkNotFoundError) as info:
        frameworks.load("xyz@1")
    assert info.value.close == ()
    assert "did you mean" not in info.value.message("en")


def test_a_panel_mapping_to_an_unknown_edition_suggests_editions() -> None:
    from kotacerdas.errors import FrameworkNotFoundError

    rows = [{"region": "63.09", "year": 2023, "node": "BASE", "value": "3.5"}]
    with pytest.raises(FrameworkNotFoundError) as info:
        score_panel(rows, {2023: "gm100sc@2032"})
    assert info.value.close[0] == "gm100sc@2024"


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "gm100sc@2025"],
        ["show", "gm10sc"],
        ["score", "examples/tabalong-2023.json", "--framework", "gm100sc@2205"],
        ["map", "examples/tabalong-2023.json", "--to", "gm100sc@2205"],
        ["validate", "examples/tabalong-2023.json", "--framework", "gm100sc@2205"],
    ],
)
def test_the_command_line_suggests_editions(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from kotacerdas.cli import main

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "; did you mean: gm100sc@2024" in err
    assert err.count("\n") == 1
    assert main([*argv, "--lang", "id"]) == 2
    assert "; maksud Anda: gm100sc@2024" in capsys.readouterr().err
