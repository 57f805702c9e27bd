"""CSV and Excel input as spreadsheets write it, and findings that point at the cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas import assessment, validation
from kotacerdas.assessment import Location
from kotacerdas.errors import AssessmentError
from kotacerdas.validation import Finding

HEADER = "region,year,framework,edition,node,value"
KEDIRI = [
    "Kota Kediri,2022,gm100sc,2022,BASE,3.60",
    "Kota Kediri,2022,gm100sc,2022,OUT,3.215",
    "Kota Kediri,2022,gm100sc,2022,OUTC,3.23",
]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_semicolon_file_with_decimal_commas_reads_like_the_comma_file(tmp_path: Path) -> None:
    comma = assessment.read_one(_write(tmp_path, "a.csv", [HEADER, *KEDIRI]))
    semicolon = [line.replace(",", ";") for line in [HEADER, *KEDIRI]]
    semicolon = [line.replace(";3;", ";3,").replace(";3.", ";3,") for line in semicolon]
    assert semicolon[1].endswith(";BASE;3,60")
    read = assessment.read_one(_write(tmp_path, "b.csv", semicolon))
    assert read == comma
    assert [str(s.value) for s in read.scores] == ["3.60", "3.215", "3.23"]


def test_semicolon_file_with_decimal_points_is_read_too(tmp_path: Path) -> None:
    lines = [line.replace(",", ";") for line in [HEADER, *KEDIRI]]
    read = assessment.read_one(_write(tmp_path, "a.csv", lines))
    assert read.scores[0].value == Decimal("3.60")


def test_mixed_decimal_marks_are_refused_with_both_rows(tmp_path: Path) -> None:
    lines = [line.replace(",", ";") for line in [HEADER, *KEDIRI]]
    lines[1] = lines[1].replace("3.60", "3,60")
    with pytest.raises(AssessmentError) as caught:
        assessment.read(_write(tmp_path, "a.csv", lines))
    problems = caught.value.problems
    assert [(p.code, p.path) for p in problems] == [
        ("csv.decimal-mixed", "row 3, column value"),
        ("csv.decimal-mixed", "row 4, column value"),
    ]
    assert "(the other first at row 2)" in caught.value.message("en")


def test_a_comma_in_a_comma_file_is_not_taken_for_a_decimal_comma(tmp_path: Path) -> None:
    lines = [HEADER, 'Kota Kediri,2022,gm100sc,2022,BASE,"3,60"']
    with pytest.raises(AssessmentError) as caught:
        assessment.read(_write(tmp_path, "a.csv", lines))
    assert [p.code for p in caught.value.problems] == ["csv.not-number"]


def test_findings_of_a_csv_file_name_its_line_and_column(tmp_path: Path) -> None:
    # A blank line and a cell over two lines: lines and rows differ, findings give lines.
    lines = [HEADER, "", '"Kota\nKediri",2022,gm100sc,2022,BASE,3.60', *KEDIRI[1:]]
    path = _write(tmp_path, "kediri.csv", lines)
    tabled = assessment.read_one(path)
    report = validation.validate(tabled)
    precision = next(f for f in report if f.code == "score.precision")
    assert precision.path == "scores[1].value"
    assert precision.location == Location(str(path), 5, "value")
    assert path.read_text().splitlines()[4].endswith(",OUT,3.215")
    assert precision.to_dict("en")["location"] == {
        "file": str(path),
        "line": 5,
        "column": "value",
        "sheet": False,
    }
    assert "(kediri.csv, line 5, column value): score 3.215" in precision.text("en").replace(
        str(path), "kediri.csv"
    )
    missing = next(f for f in report if f.code == "score.missing")
    assert missing.path == "scores"
    assert missing.location is None


def test_region_findings_point_at_the_first_row_of_the_assessment(tmp_path: Path) -> None:
    lines = [HEADER, *(line.replace("Kota Kediri", "Kediri") for line in KEDIRI)]
    report = validation.validate(assessment.read_one(_write(tmp_path, "k.csv", lines)))
    region = next(f for f in report if f.code == "assessment.region-ambiguous")
    assert region.location is not None
    assert (region.location.line, region.location.column) == (2, "region")
    assert region.text("id").startswith("kesalahan: region (")
    assert "baris 2, kolom region" in region.text("id")


def test_location_is_not_part_of_equality(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", [HEADER, *KEDIRI])
    from_csv = assessment.read_one(path)
    from_json = assessment.from_data(assessment.to_data(from_csv))[0]
    assert from_json == from_csv
    assert from_json.locate("scores[0].value") is None
    assert from_csv.locate("scores[0].value") == Location(str(path), 2, "value")
    assert Finding("x.y", "error", "p", location=Location("f", 1)) == Finding("x.y", "error", "p")


def test_findings_of_json_documents_have_no_location() -> None:
    tabalong = assessment.read_one(Path(__file__).parents[1] / "examples" / "tabalong-2023.json")
    assert all(f.location is None for f in validation.validate(tabalong))


def test_every_word_of_a_finding_is_in_its_language() -> None:
    finding = Finding("score.missing", "warning", "scores", {"stage": "final", "nodes": "QW"})
    assert finding.text("id").startswith("peringatan: scores: ")
    assert finding.text("en").startswith("warning: scores: ")


def test_findings_of_a_workbook_name_the_sheet_row(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl", reason="Excel files need the 'excel' extra")
    source = assessment.read_one(_write(tmp_path, "a.csv", [HEADER, *KEDIRI]))
    book = tmp_path / "kediri.xlsx"
    assessment.write(source, book)
    report = validation.validate(assessment.read_one(book))
    precision = next(f for f in report if f.code == "score.precision")
    assert precision.location == Location(str(book), 3, "value", sheet=True)
    assert "sheet row 3, column value" in precision.text("en")
    assert "baris lembar kerja 3, kolom value" in precision.text("id")


@given(
    values=st.lists(st.decimals("0", "4", places=2), min_size=1, max_size=6),
    blanks=st.lists(st.integers(0, 2), min_size=6, max_size=6),
)
def test_each_score_points_at_the_line_that_holds_it(
    values: list[Decimal], blanks: list[int]
) -> None:
    lines = [HEADER]
    for i, value in enumerate(values):
        lines.extend([""] * blanks[i])
        lines.append(f"Kota Kediri,2022,gm100sc,2022,N{i},{value}")
    from kotacerdas._assessment_file import from_csv_text

    (read,) = from_csv_text("\n".join(lines) + "\n", "t.csv", lambda text: text)
    for i, score in enumerate(read.scores):
        where = read.locate(f"scores[{i}].value")
        assert where is not None
        assert lines[where.line - 1].split(",")[5] == str(score.value)
        assert lines[where.line - 1].split(",")[4] == score.node
