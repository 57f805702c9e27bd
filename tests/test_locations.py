"""Where a problem is (rows, cells, assessments) is shown in the language of its message."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from kotacerdas import assessment, frameworks
from kotacerdas.errors import PanelError, Problem
from kotacerdas.i18n import Phrase
from kotacerdas.panel import score_panel


def _rows() -> list[dict[str, Any]]:
    return [
        {"region": "63.09", "year": 2023, "node": node, "value": "3.00"}
        for node in ("BASE", "OUT", "OUTC", "IMP", "QW")
    ]


def _problem(data: Any, framework: Any = "gm100sc@2024") -> Problem:
    with pytest.raises(PanelError) as info:
        score_panel(data, framework)
    return info.value.problems[0]


def test_a_row_is_worded_in_the_message_language() -> None:
    rows = _rows()
    rows[2]["node"] = "OUTCOME_X"
    problem = _problem(rows)
    assert problem.path == "row 2"  # the plain string: English, stable for programs
    assert problem.message("en").startswith("row 2: node 'OUTCOME_X'")
    assert problem.message("id").startswith("baris 2: simpul 'OUTCOME_X'")


def test_many_rows_and_a_count_of_the_rest() -> None:
    rows = [dict(r, region="Atlantis") for r in _rows()] * 2
    for i, row in enumerate(rows):
        row["year"] = 2023 + i // 5
    problem = _problem(rows)
    assert problem.path == "rows 0, 1, 2, 3, 4 (+5 more)"
    assert problem.message("id").startswith("baris 0, 1, 2, 3, 4 (+5 lagi): ")


def test_a_column_and_a_cell() -> None:
    wide = [{"region": "63.09", "year": 2023, "BASE": "3", "source": "fact sheet"}]
    problem = _problem(wide)
    assert problem.path == "column source"
    assert problem.message("id").startswith("kolom source: ")
    wide = [{"region": "63.09", "year": 2023, "BASE": "lots"}]
    problem = _problem(wide)
    assert problem.path == "row 0, column BASE"
    assert problem.message("id").startswith("baris 0, kolom BASE: ")


def test_an_assessment_and_its_score() -> None:
    one = assessment.read_one("examples/tabalong-2023.json")
    problem = _problem([one], frameworks.load("spbe@2020"))
    assert str(problem.path).startswith("assessment 0 (63.09 2023)")
    assert problem.message("id").startswith("penilaian 0 (63.09 2023)")


def test_a_phrase_is_a_string_that_keeps_its_words() -> None:
    p = Phrase(("where.row", {"row": 3})) + "; " + Phrase(("where.column", {"column": "G1"}))
    assert isinstance(p, Phrase)
    assert p == "row 3; column G1"
    assert p.text("id") == "baris 3; kolom G1"
    for twin in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p)):
        assert twin == p
        assert twin.text("id") == "baris 3; kolom G1"
    assert ("x: " + p).text("id") == "x: baris 3; kolom G1"


_CSV_HEADER = "region,year,framework,edition,node,value\n"


def _csv_problems(tmp_path: Any, body: str) -> list[Problem]:
    from kotacerdas.errors import AssessmentError

    path = tmp_path / "scores.csv"
    path.write_text(_CSV_HEADER + body, encoding="utf-8")
    with pytest.raises(AssessmentError) as info:
        assessment.read(path)
    return list(info.value.problems)


def test_a_csv_cell_is_worded_in_the_message_language(tmp_path: Any) -> None:
    problems = _csv_problems(
        tmp_path,
        "63.09,2023,gm100sc,2023,BASE,tiga\n63.09,20x3,gm100sc,2023,OUT,3\n",
    )
    by_code = {p.code: p for p in problems}
    value, year = by_code["csv.not-number"], by_code["assessment.year"]
    assert value.path == "row 2, column value"  # programs keep the English text
    assert value.message("id").startswith("baris 2, kolom value: ")
    assert value.message("en").startswith("row 2, column value: ")
    assert year.message("id").startswith("baris 3, kolom year: ")


def test_a_csv_duplicate_row_names_the_first_row_in_the_message_language(
    tmp_path: Any,
) -> None:
    (problem,) = _csv_problems(
        tmp_path, "63.09,2023,gm100sc,2023,BASE,3\n63.09,2023,gm100sc,2023,BASE,3\n"
    )
    assert problem.code == "csv.duplicate-row"
    assert problem.message("id").startswith("baris 3: ")
    assert "baris 2" in problem.message("id")
    assert "row 2" in problem.message("en")
    assert "row" not in problem.message("id")


def test_an_over_long_csv_cell_is_worded_in_the_message_language(tmp_path: Any) -> None:
    from kotacerdas.limits import MAX_CELL_CHARS

    (problem,) = _csv_problems(
        tmp_path, f"63.09,2023,gm100sc,2023,BASE,{'9' * (MAX_CELL_CHARS + 1)}\n"
    )
    assert problem.code == "csv.cell-too-long"
    assert problem.message("id").startswith("baris 2, kolom value: ")
    assert problem.message("en").startswith("line 2, column value: ")
