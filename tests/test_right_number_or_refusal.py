"""The right number or a clear refusal, on every path (issue 9: one test per reported case)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from kotacerdas import assessment, frameworks, validation
from kotacerdas._files import dump_json
from kotacerdas.assessment import Assessment, Score
from kotacerdas.cli import ExitCode, main
from kotacerdas.errors import AssessmentError, FileFormatError, KotaCerdasError
from kotacerdas.panel import score_panel
from kotacerdas.scoring import score

D = Decimal
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")
SPBE = frameworks.load("spbe@2020")
INDICATORS = tuple(n.code for n in SPBE.nodes("indicator"))


def gm(value: str, year: int = 2023, edition: str = "2023", region: str = "63.09") -> Assessment:
    scores = tuple(Score(c, D(value)) for c in COMPONENTS)
    return Assessment(region, year, "gm100sc", edition, scores=scores)


def spbe(levels: dict[str, int | str] | None = None, *, kind: str = "published") -> Assessment:
    given: dict[str, int | str] = dict.fromkeys(INDICATORS, 3)
    given |= levels or {}
    scores = tuple(Score(code, D(str(v))) for code, v in given.items())
    return Assessment("63.09", 2024, "spbe", "2020", scores=scores, kind=kind)  # type: ignore[arg-type]


def finding_codes(call: object) -> set[str]:
    """The finding codes of the library error *call* raises (every finding, with its path)."""
    assert callable(call)
    with pytest.raises(KotaCerdasError) as info:
        call()
    error = info.value
    assert isinstance(error, ValueError)
    assert error.message("id") != error.message("en")
    found = getattr(error, "report", None)
    if found is not None:
        return {f.code for f in found.errors}
    return {p.code for p in error.problems}  # type: ignore[attr-defined]


# -- numbers from invalid input -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["4.88", "-0.50"])
def test_score_refuses_component_scores_off_the_scale(value: str) -> None:
    a = gm(value)
    assert not validation.validate(a).valid
    assert "score.off-scale" in finding_codes(lambda: score(a))


@pytest.mark.parametrize(
    ("level", "code"), [("7", "score.off-scale"), ("3.5", "score.level-not-integer")]
)
def test_score_refuses_spbe_levels_that_are_no_level(level: str, code: str) -> None:
    a = spbe({"I1": level})
    assert code in finding_codes(lambda: score(a))


def test_panel_refuses_what_validate_refuses() -> None:
    assert "score.off-scale" in finding_codes(lambda: score_panel([gm("4.88")]))
    assert "score.level-not-integer" in finding_codes(lambda: score_panel([spbe({"I1": "3.5"})]))
    assert "score.off-scale" in finding_codes(lambda: score_panel([spbe({"I1": "7"})]))


def test_refusal_carries_every_finding_with_path_and_both_languages() -> None:
    a = Assessment(
        "63.09",
        2023,
        "gm100sc",
        "2023",
        scores=(Score("BASE", D("4.88")), Score("OUT", D("-1"))),
    )
    with pytest.raises(validation.ValidationError) as info:
        score(a)
    findings = info.value.report.errors
    paths = {(f.code, f.path) for f in findings}
    assert ("score.off-scale", "scores[0].value") in paths
    assert ("score.off-scale", "scores[1].value") in paths
    assert ("score.missing", "scores") in paths
    assert all(f.message("id") != f.message("en") for f in findings)


def test_unchecked_scoring_is_explicit_and_recorded() -> None:
    result = score(gm("4.88"), check=False)
    assert result.checked is False
    assert result.index.exact == D("4.88")
    assert score(gm("3.50")).checked is True


# -- published results --------------------------------------------------------------------------


def write_spbe_csv(path: Path, level: int = 3) -> Path:
    lines = ["region,year,framework,edition,node,value"]
    lines += [f"63.09,2024,spbe,2020,{code},{level}" for code in INDICATORS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_published_spbe_levels_score_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_spbe_csv(tmp_path / "spbe.csv")
    for extra in ([], ["--levels", "claimed"]):
        code = main(["score", str(path), "--lang", "en", *extra])
        out, err = capsys.readouterr()
        assert code == ExitCode.OK, err
        assert "Index: 3" in out
        assert "Good" in out  # the predicate
        for node in ("D1", "D4", "A1", "A8"):
            assert f"    {node} " in out or f"  {node} " in out
    code = main(["validate", str(path), "--lang", "en", "--format", "json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == ExitCode.OK
    assert doc["valid"] is True
    notes = [f for f in doc["findings"] if f["code"] == "score.levels-published"]
    assert notes
    assert notes[0]["severity"] == "info"


def test_csv_reads_as_published_results_and_json_says_which(tmp_path: Path) -> None:
    (a,) = assessment.read(write_spbe_csv(tmp_path / "spbe.csv"))
    assert a.kind == "published"
    assert validation.validate(a).valid
    assert score(a).index.exact == 3
    doc = assessment.to_data(a)
    assert doc["kind"] == "published"
    doc["kind"] = "submission"
    (submitted,) = assessment.from_data(doc)
    assert submitted.kind == "submission"
    report = validation.validate(submitted)
    assert not report.valid
    assert {f.code for f in report.errors} == {"score.level-unsupported"}
    # score agrees with validate: no number from what validate calls invalid
    assert "score.level-unsupported" in finding_codes(lambda: score(submitted))


# -- no silent choices --------------------------------------------------------------------------


def test_json_key_given_twice_is_an_error_naming_key_and_line(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        '{"region": "63.09",\n "year": 2023,\n "year": 1999,\n'
        ' "framework": "gm100sc", "edition": "2023"}\n',
        encoding="utf-8",
    )
    with pytest.raises(FileFormatError) as info:
        assessment.read(path)
    assert info.value.code == "file.duplicate-key"
    assert info.value.params["key"] == "year"
    assert info.value.params["line"] == 3
    assert "year" in info.value.message("en")


def test_two_assessments_of_one_region_year_are_an_error_naming_both(tmp_path: Path) -> None:
    tabalong = gm("3.10", region="Kabupaten Tabalong")
    docs = [assessment.to_data(gm("3.50")), assessment.to_data(tabalong)]
    with pytest.raises(AssessmentError) as info:
        assessment.from_data(docs)
    (problem,) = info.value.problems
    assert problem.code == "assessment.duplicate"
    assert problem.path == "[1]"
    assert problem.params["first"] == "[0]"
    # another stage of the same region-year is no duplicate
    other = assessment.to_data(gm("3.10"))
    for s in other["scores"]:
        s["stage"] = "tahap1"
    assert len(assessment.from_data([docs[0], other])) == 2


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_header_without_rows_is_unreadable_input(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"empty{suffix}"
    if suffix == ".xlsx":
        pytest.importorskip("openpyxl")
        assessment.write([], path)
    else:
        path.write_text("region,year,framework,edition,node,value\n", encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        assessment.read(path)
    assert info.value.problems[0].code == "assessment.none"
    for command in ("validate", "score"):
        assert main([command, str(path)]) == ExitCode.INPUT
        capsys.readouterr()


@pytest.mark.parametrize("year", ["0", "1899", "+2023", "2_023", "20230"])
def test_csv_years_follow_the_json_rule(year: str, tmp_path: Path) -> None:
    path = tmp_path / "y.csv"
    rows = ["region,year,framework,edition,node,value"]
    rows += [f"63.09,{year},gm100sc,2023,{c},3.00" for c in COMPONENTS]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        assessment.read(path)
    assert {p.code for p in info.value.problems} == {"assessment.year"}
    doc = assessment.to_data(gm("3.00"))
    doc["year"] = 1899
    with pytest.raises(AssessmentError):
        assessment.from_data(doc)


def test_validate_applies_the_year_rule_to_assessments_built_in_python() -> None:
    report = validation.validate(gm("3.00", year=0))
    assert "assessment.year" in {f.code for f in report.errors}


def test_excel_numbers_are_read_as_stored_not_as_displayed(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "year", "framework", "edition", "node", "value"])
    stored = [("BASE", 3.125, "0.00"), ("OUT", 2.5, "0"), ("OUTC", 3.6, "0.00"), ("IMP", 3, "0.00")]
    for node, value, fmt in [*stored, ("QW", 3.45, "General")]:
        sheet.append(["63.09", 2023, "gm100sc", "2023", node, value])
        sheet.cell(row=sheet.max_row, column=6).number_format = fmt
    path = tmp_path / "s.xlsx"
    book.save(path)
    (a,) = assessment.read(path)
    values = {s.node: str(s.value) for s in a.scores}
    assert values == {"BASE": "3.125", "OUT": "2.5", "OUTC": "3.60", "IMP": "3.00", "QW": "3.45"}
    report = validation.validate(a)
    assert [(f.code, f.path) for f in report.errors] == [("score.precision", "scores[0].value")]


# -- panels across editions ---------------------------------------------------------------------


def test_a_research_panel_spans_editions() -> None:
    rows = [gm("3.10", 2022, "2022"), gm("3.20", 2023, "2023"), gm("3.30", 2024, "2024")]
    result = score_panel(rows)
    assert result.years == (2022, 2023, 2024)
    assert result.editions == ("2022", "2023", "2024")
    for a, row in zip(rows, result.to_wide(), strict=True):
        assert row["edition"] == a.edition
        assert row["INDEX"] == score(a).index.value


def test_mixing_frameworks_in_a_panel_stays_an_error() -> None:
    assert "panel.mixed-framework" in finding_codes(lambda: score_panel([gm("3.10"), spbe()]))


def test_a_mapping_year_to_edition_and_a_note_where_methods_differ() -> None:
    rows = [
        {"region": "35.71", "year": y, "node": c, "value": v}
        for y, v in ((2020, "3.00"), (2021, "3.10"), (2022, "3.20"))
        for c in COMPONENTS
    ]
    editions = {2020: "gm100sc@pre2021", 2021: "gm100sc@2021", 2022: "gm100sc@2022"}
    result = score_panel(rows, editions)
    assert result.editions == ("pre2021", "2021", "2022")
    notes = [row["note"] for row in result.improvement()]
    assert notes == ["gm100sc@pre2021 → gm100sc@2021: weights differ", None]
    assert "panel.year-unmapped" in finding_codes(
        lambda: score_panel(rows, {2020: "gm100sc@pre2021"})
    )


def test_mixed_editions_give_row_by_row_what_each_row_alone_gives() -> None:
    rows = [gm("3.10", 2022, "2022"), gm("3.21", 2023, "2023", "35.71"), gm("2.95", 2021, "2021")]
    together = score_panel(rows)
    for a in rows:
        alone = score_panel([a])
        i = together.keys.index((a.region, a.year))
        for node in together.nodes:
            assert together.exact(node)[i] == alone.exact(node)[0]
            assert together.bounds(node)[i] == alone.bounds(node)[0]
            assert together.published(node)[i] == alone.published(node)[0]
        assert together.editions[i] == a.edition


def test_spbe_values_without_official_rounding_show_a_labelled_display_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "spbe.csv"
    lines = ["region,year,framework,edition,node,value"]
    lines += [f"63.09,2024,spbe,2020,{c},{1 + i % 5}" for i, c in enumerate(INDICATORS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["score", str(path), "--lang", "en"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "    D4     SPBE services                 ≈2.93" in out
    assert "3.5274725274725274725274725275" not in out  # not a value a person reads
    assert "for display only; this edition states no official rounding" in out
    (a,) = assessment.read(path)
    assert score(a)["D4"].published is None  # the data states no rounding: none invented


def _gm2024_with_a_new_criterion() -> object:
    """gm100sc@2024 with one more Quick Win criterion, ``QW11``, that 2023 does not have."""
    return frameworks.from_data(
        {
            "extends": "gm100sc@2024",
            "edition": "2024x",
            "nodes": [{"code": "QW11", "parent": "QW", "kind": "criterion", "label": "Baru"}],
        }
    )


def test_panels_report_unknown_nodes_against_each_rows_own_edition() -> None:
    new = _gm2024_with_a_new_criterion()
    rows = [
        {"region": "63.09", "year": year, "node": node, "value": "3.20"}
        for year in (2023, 2024)
        for node in COMPONENTS
    ]
    rows.append({"region": "63.09", "year": 2024, "node": "QW11", "value": "3.00"})
    editions = {2023: "gm100sc@2023", 2024: new}
    assert score_panel(rows, editions).editions == ("2023", "2024x")  # type: ignore[arg-type]
    wide = [
        {"region": "63.09", "year": y, **dict.fromkeys(COMPONENTS, "3.20"), "QW11": q}
        for y, q in ((2023, None), (2024, "3.00"))
    ]
    assert score_panel(wide, editions).editions == ("2023", "2024x")  # type: ignore[arg-type]
    # A row of 2023 that gives QW11 is still refused, and only that row is named.
    rows.append({"region": "63.09", "year": 2023, "node": "QW11", "value": "3.00"})
    with pytest.raises(KotaCerdasError) as info:
        score_panel(rows, editions)  # type: ignore[arg-type]
    (problem,) = info.value.problems  # type: ignore[attr-defined]
    assert (problem.code, problem.path) == ("panel.unknown-node", "row 11")
    assert problem.params["framework"] == "gm100sc@2023"


def test_result_json_gives_a_display_value_beside_the_exact_spbe_value() -> None:
    levels: dict[str, int | str] = {c: 1 + i % 5 for i, c in enumerate(INDICATORS)}
    doc = json.loads(dump_json(score(spbe(levels)).to_json()), parse_float=D)
    exact = doc["nodes"]["D4"]
    assert exact == D("2.9340659340659340659340659341")  # the exact value stays
    assert doc["nodes_display"]["D4"] == "2.93"
    assert doc["nodes_display"]["A2"] == "2.5"  # short values are shown as they are
    assert doc["index_display"] == doc["index_exact"] == "2.94"
    note = doc["display_note"]
    assert note["code"] == "scoring.display-only"
    assert "display" in note["en"]
    assert "tampilan" in note["id"]
    # An edition that states its rounding shows the published value, with no note.
    gm_doc = score(gm("3.21")).to_json()
    assert gm_doc["index_display"] == "3.21"
    assert gm_doc["display_note"] is None
