"""Assessment files: JSON and long CSV, read and written without losing a digit."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from kotacerdas import assessment
from kotacerdas._files import dump_json
from kotacerdas.assessment import Assessment, Decision, Score
from kotacerdas.errors import AssessmentError, FileFormatError, FileReadError

DOC: dict[str, Any] = {
    "region": "Kabupaten Tabalong",
    "year": 2023,
    "framework": "gm100sc",
    "edition": "2023",
    "scores": [
        {"node": "BASE", "value": Decimal("3.60")},
        {"node": "OUT", "value": 3.21, "stage": "tahap_1", "illustrative": True},
    ],
    "programmes": [
        {
            "code": "P1",
            "name": "Langsat Manis",
            "node": "L3",
            "status": "running",
            "horizon": "short",
            "quick_win": True,
            "opd": "Dinas Perhubungan",
        }
    ],
    "evidence": [
        {
            "code": "E1",
            "title": "Perbup masterplan",
            "kind": "kebijakan",
            "path": "perbup.pdf",
            "sha256": "0" * 64,
            "submitted_at": "2023-11-16T10:00:00+08:00",
            "stage": "tahap_2",
            "decision": {"status": "rejected", "reason": "tidak lengkap"},
        }
    ],
    "sessions": [{"stage": "tahap_2", "start": "2023-11-16T09:00:00+08:00", "mode": "online"}],
    "assessors": [{"name": "Asesor A", "affiliation": "UGM"}],
    "survey": {
        "mode": "single",
        "responses": [{"respondent": "R1", "programme": "P1", "answers": [4, 3.5]}],
    },
    "notes": ["catatan"],
    "meta": {"label": "contoh"},
}


def _write_json(tmp_path: Path, data: Any, name: str = "a.json") -> Path:
    path = tmp_path / name
    path.write_text(dump_json(data), encoding="utf-8")  # writes Decimal("3.60") as 3.60
    return path


def test_load_json_document(tmp_path: Path) -> None:
    (a,) = assessment.read(_write_json(tmp_path, DOC))
    assert a.region == "63.09"
    assert a.framework_ref == "gm100sc@2023"
    assert a.scores[0] == Score("BASE", Decimal("3.60"))
    assert str(a.scores[0].value) == "3.60"
    assert a.scores[1].stage == "tahap_1"
    assert a.scores[1].illustrative
    assert a.evidence[0].decision is Decision.REJECTED
    assert not a.evidence[0].counts
    assert a.evidence[0].submitted_at == dt.datetime(2023, 11, 16, 2, 0, tzinfo=dt.UTC)
    assert a.survey[0].answers == (Decimal(4), Decimal("3.5"))
    assert a.scores_at("final") == {"BASE": Decimal("3.60")}
    assert a.stages() == ("final", "tahap_1")


def test_json_round_trip(tmp_path: Path) -> None:
    (a,) = assessment.read(_write_json(tmp_path, DOC))
    out = tmp_path / "out.json"
    assessment.write(a, out)
    assert '"value": 3.60' in out.read_text()
    assert assessment.read(out) == (a,)


def test_many_documents(tmp_path: Path) -> None:
    other = {**DOC, "region": "35.71", "year": 2022}
    for data in ([DOC, other], {"assessments": [DOC, other]}):
        found = assessment.read(_write_json(tmp_path, data))
        assert [x.key[:2] for x in found] == [("63.09", 2023), ("35.71", 2022)]
    out = tmp_path / "many.json"
    assessment.write(found, out)
    assert assessment.read(out) == found


def test_csv_round_trip_keeps_digits(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "region,year,framework,edition,node,value\n"
        "Kota Kediri,2022,gm100sc,2022,BASE,3.60\n"
        "Kota Kediri,2022,gm100sc,2022,OUT,3.21\n"
        "63.09,2023,GM100SC,2023,BASE,3.5\n",
        encoding="utf-8",
    )
    found = assessment.read(path)
    assert [(a.region, a.year) for a in found] == [("35.71", 2022), ("63.09", 2023)]
    assert str(found[0].scores[0].value) == "3.60"
    assert found[1].framework == "gm100sc"
    out = tmp_path / "o.csv"
    assessment.write(found, out)
    assert assessment.read(out) == found
    assert "3.60" in out.read_text()


def test_csv_with_stage(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "region,year,framework,edition,node,value,stage\n"
        "63.09,2023,gm100sc,2023,BASE,3.1,tahap_1\n63.09,2023,gm100sc,2023,BASE,3.2,\n"
    )
    (a,) = assessment.read(path)
    assert [(s.stage, str(s.value)) for s in a.scores] == [("tahap_1", "3.1"), ("final", "3.2")]
    out = tmp_path / "o.csv"
    assessment.write(a, out)
    assert out.read_text().splitlines()[0].endswith(",stage")
    assert assessment.read(out) == (a,)


@pytest.mark.parametrize(
    ("text", "code", "path"),
    [
        ("region,year,framework,edition,node\n", "csv.missing-column", "row 1"),
        ("region,year,framework,edition,node,value,colour\n", "csv.unknown-column", "row 1"),
        ("region,year,framework,edition,node,value,value\n", "csv.duplicate-column", "row 1"),
        (
            "region,year,framework,edition,node,value\n63.09,2023,gm100sc,2023,BASE\n",
            "csv.row-length",
            "row 2",
        ),
        (
            "region,year,framework,edition,node,value\n63.09,,gm100sc,2023,BASE,3\n",
            "csv.empty-cell",
            "row 2, column year",
        ),
        (
            "region,year,framework,edition,node,value\n63.09,2023.5,gm100sc,2023,BASE,3\n",
            "assessment.year",
            "row 2, column year",
        ),
        (
            "region,year,framework,edition,node,value\n63.09,2023,gm100sc,2023,BASE,3;6\n",
            "csv.not-number",
            "row 2, column value",
        ),
        (
            "region,year,framework,edition,node,value\n63.09,2023,gm100sc,2023,BASE,NaN\n",
            "csv.not-number",
            "row 2, column value",
        ),
        (
            "region,year,framework,edition,node,value\n63.09,2023,gm100sc,2023,BASE,1e3\n",
            "csv.not-number",
            "row 2, column value",
        ),
        (
            "region,year,framework,edition,node,value\n63.09,2023,gm100sc,2023,BASE,3\n"
            "63.09,2023,gm100sc,2023,BASE,3\n",
            "csv.duplicate-row",
            "row 3",
        ),
        ("\n\n", "file.empty", ""),
    ],
)
def test_csv_errors(tmp_path: Path, text: str, code: str, path: str) -> None:
    file = tmp_path / "bad.csv"
    file.write_text(text)
    with pytest.raises(AssessmentError) as info:
        assessment.read(file)
    assert (code, path) in [(p.code, p.path) for p in info.value.problems]
    assert str(file) in info.value.message("en")


def test_csv_bom_and_encoding(tmp_path: Path) -> None:
    good = tmp_path / "bom.csv"
    good.write_bytes(
        b"\xef\xbb\xbfregion,year,framework,edition,node,value\n63.09,2023,gm100sc,2023,BASE,3\n"
    )
    assert assessment.read(good)[0].region == "63.09"
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(
        "region,year,framework,edition,node,value\nBéla,2023,g,1,B,3\n".encode("latin-1")
    )
    with pytest.raises(FileReadError):
        assessment.read(bad)


@pytest.mark.parametrize(
    ("change", "code", "path"),
    [
        (lambda d: d["scores"][0].update(value="3.60"), "schema.type", "scores[0].value"),
        (
            lambda d: d["scores"][0].update(value=float("nan")),
            "schema.not-finite",
            "scores[0].value",
        ),
        (
            lambda d: d["evidence"][0].update(submitted_at="2023-11-16T10:00:00"),
            "datetime.naive",
            "evidence[0].submitted_at",
        ),
        (lambda d: d["evidence"][0].update(sha256="xyz"), "schema.value", "evidence[0].sha256"),
        (lambda d: d.update(colour="red"), "schema.extra", "colour"),
        (lambda d: d.pop("year"), "schema.missing", "year"),
        (
            lambda d: d["programmes"][0].update(status="done"),
            "schema.choice",
            "programmes[0].status",
        ),
    ],
)
def test_json_errors(tmp_path: Path, change: Any, code: str, path: str) -> None:
    data = json.loads(dump_json(DOC))
    change(data)
    with pytest.raises(AssessmentError) as info:
        assessment.from_data(data, "doc.json")
    assert (code, path) in [(p.code, p.path) for p in info.value.problems]


def test_malformed_json_points_at_line(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{\n  "region": "63.09",\n  "year": 2023,,\n}')
    with pytest.raises(FileFormatError) as info:
        assessment.read(path)
    assert info.value.params["line"] == 3


def test_unknown_suffix_and_count(tmp_path: Path) -> None:
    with pytest.raises(FileReadError):
        assessment.read(tmp_path / "a.txt")
    path = _write_json(tmp_path, [DOC, DOC])
    with pytest.raises(AssessmentError):
        assessment.read_one(path)


def test_unresolved_region_is_kept(tmp_path: Path) -> None:
    (a,) = assessment.from_data({**DOC, "region": "Kediri"})
    assert a.region == "Kediri"


def test_excel_round_trip(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    a = Assessment(
        "63.09",
        2023,
        "gm100sc",
        "2023",
        scores=(Score("BASE", Decimal("3.60")), Score("OUT", Decimal("3"), "tahap_1")),
    )
    path = tmp_path / "s.xlsx"
    assessment.write(a, path)
    assert assessment.read(path) == (attrs.evolve(a, kind="published"),)


def test_schema() -> None:
    schema = assessment.json_schema()
    assert schema["$id"].endswith("assessment-1.json")
    assert "AssessmentModel" in schema["$defs"]


def test_csv_groups_by_resolved_region(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "region,year,framework,edition,node,value\n"
        "Kota Kediri,2022,gm100sc,2022,BASE,3.60\n"
        "35.71,2022,gm100sc,2022,OUT,3.21\n"
        "35.71,2022,gm100sc,2022,BASE,3.60\n"
    )
    with pytest.raises(AssessmentError) as info:
        assessment.read(path)
    assert ("csv.duplicate-row", "row 4") in [(p.code, p.path) for p in info.value.problems]
    path.write_text(
        "region,year,framework,edition,node,value\n"
        "Kota Kediri,2022,gm100sc,2022,BASE,3.60\n"
        "35.71,2022,gm100sc,2022,OUT,3.21\n"
    )
    (a,) = assessment.read(path)
    assert [s.node for s in a.scores] == ["BASE", "OUT"]


def test_schema_numbers_are_numbers() -> None:
    schema = assessment.json_schema()
    assert schema["$defs"]["ScoreModel"]["properties"]["value"]["type"] == "number"
    assert any(item.get("type") == "array" for item in schema["anyOf"])
