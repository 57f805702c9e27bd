from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import frameworks
from kotacerdas.cli import ExitCode, main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_frameworks_lists_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "frameworks")
    assert code == ExitCode.OK
    for ref in frameworks.available():
        assert str(ref) in out
    code, out, _ = run(capsys, "frameworks", "--format", "json")
    refs = [row["ref"] for row in json.loads(out)]
    assert refs == [str(r) for r in frameworks.available()]


def test_show_json_shape(
    capsys: pytest.CaptureFixture[str], minimal: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "demo.toml"
    frameworks.write(frameworks.from_data(minimal), path)
    code, out, _ = run(capsys, "show", str(path), "--format", "json")
    assert code == ExitCode.OK
    doc = json.loads(out)
    assert {"id", "edition", "title", "sources", "nodes"} <= set(doc)
    by_code = {n["code"]: n for n in doc["nodes"]}
    b = by_code["B"]
    assert b["parent"] == "INDEX"
    assert b["label"] == {"id": "Dua", "en": None}
    assert b["weight"] == 0.75
    assert b["global_weight"] == 0.75
    assert b["provenance"]["confidence"] == "inferred"
    assert b["provenance"]["sources"] == ["Surat B-1/2021"]
    assert by_code["INDEX"]["parent"] is None
    assert by_code["X1"]["weight"] is None


def test_show_table_languages(
    capsys: pytest.CaptureFixture[str], minimal: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "demo.json"
    frameworks.write(frameworks.from_data(minimal), path)
    _, out_en, _ = run(capsys, "show", str(path), "--lang", "en")
    _, out_id, _ = run(capsys, "show", str(path), "--lang", "id")
    assert "One  25% (25%)" in out_en
    assert "Satu  25% (25%)" in out_id
    assert "Dua  75% (75%) [inferensi]" in out_id
    assert "[inferred]" in out_en


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "nope@2024"],
        ["show", "gm100sc@1999"],
        ["show", "/no/such/file.toml"],
        ["show", "not a ref"],
        ["bogus"],
        ["show"],
        ["schema", "assessment-x"],
    ],
)
def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == ExitCode.USAGE
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("kotacerdas: ")


def test_invalid_file_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("format = 1\nid = [\n")
    code, _, err = run(capsys, "show", str(bad), "--lang", "en")
    assert code == ExitCode.INPUT
    assert "line" in err
    bad.write_text('format = 1\nid = "x"\n')
    code, _, err = run(capsys, "show", str(bad), "--lang", "en")
    assert code == ExitCode.INPUT
    assert "edition: required field is missing" in err


def test_schema_framework(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "framework")
    assert code == ExitCode.OK
    assert json.loads(out) == frameworks.json_schema()


def test_python_dash_m() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kotacerdas", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("kotacerdas ")


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tabalong-2023.json"


def test_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(EXAMPLE), "--format", "json", "--lang", "en")
    assert code == ExitCode.OK
    doc = json.loads(out)
    assert doc["valid"] is True
    assert doc["regions"] == ["63.09"]
    assert all({"code", "severity", "path", "message"} <= set(f) for f in doc["findings"])


def test_validate_findings_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("region,year,framework,edition,node,value\nKediri,2022,gm100sc,2022,BASE,4.5\n")
    code, out, _ = run(capsys, "validate", str(bad), "--lang", "en")
    assert code == ExitCode.FINDINGS
    assert "ambiguous" in out
    assert "outside the scale" in out
    code, out, _ = run(capsys, "validate", str(bad), "--format", "json")
    assert json.loads(out)["valid"] is False


def test_validate_evidence_dir(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "validate", str(EXAMPLE), "--evidence-dir", str(EXAMPLE.parent))
    assert code == ExitCode.OK


def test_validate_unreadable_exit_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, _, err = run(capsys, "validate", str(bad))
    assert code == ExitCode.INPUT
    assert err.startswith("kotacerdas: ")
    code, _, _ = run(capsys, "validate", str(tmp_path / "missing.json"))
    assert code == ExitCode.USAGE


def test_score_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "kediri.csv"
    path.write_text(
        "region,year,framework,edition,node,value\n"
        + "".join(
            f"Kota Kediri,2022,gm100sc,2022,{n},{v}\n"
            for n, v in [
                ("BASE", "3.60"),
                ("OUT", "3.21"),
                ("OUTC", "3.23"),
                ("IMP", "3.07"),
                ("QW", "3.65"),
                ("INDEX", "3.31"),
            ]
        )
    )
    code, out, _ = run(capsys, "score", str(path), "--format", "json")
    assert code == ExitCode.OK
    (row,) = json.loads(out, parse_float=str)
    assert row["region"] == "35.71"
    assert row["year"] == 2022
    assert (row["framework"], row["edition"]) == ("gm100sc", "2022")
    assert row["index"] == "3.32"
    assert row["index_exact"] == "3.315"
    assert row["index_bounds"] == ["3.310", "3.320"]
    assert row["predicate"] is None
    assert row["nodes"]["BASE"] == "3.60"
    assert row["consistent"] is True
    code, out, _ = run(capsys, "score", str(path), "--format", "csv")
    assert "35.71,Kota Kediri,2022,gm100sc,2022,INDEX,3.32,3.315,3.310,3.320,0" in out
    code, out, _ = run(capsys, "score", str(path), "--framework", "gm100sc@pre2021", "--lang", "en")
    assert "NOT consistent" in out


def test_score_invalid_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("region,year,framework,edition,node,value\n63.09,2023,gm100sc,2023,BASE,9\n")
    code, _, err = run(capsys, "score", str(path))
    assert code == ExitCode.FINDINGS
    assert "BASE" in err


def test_schema_assessment(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "assessment")
    assert code == ExitCode.OK
    assert json.loads(out)["$id"].endswith("assessment-1.json")


@pytest.mark.parametrize("columns", ["50", "120"])
def test_help_is_as_wide_as_argparse_would_make_it(
    columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The formatter that skips shutil wraps help exactly as argparse's own does."""
    import argparse
    import shutil

    from kotacerdas import cli

    monkeypatch.setenv("COLUMNS", columns)
    assert cli._columns() == shutil.get_terminal_size().columns == int(columns)
    parser = cli._build_parser("en")
    ours = parser.format_help()
    parser.formatter_class = argparse.HelpFormatter
    assert ours == parser.format_help()
    assert max(map(len, ours.splitlines())) > 60 or int(columns) < 100
