"""The command line as a newcomer meets it: usage, names beside codes, words in one language."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kotacerdas.cli import main

ROOT = Path(__file__).resolve().parents[1]
TABALONG = ROOT / "examples" / "tabalong-2023.json"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_bare_kotacerdas_prints_its_commands(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("penggunaan: kotacerdas")
    for command in ("frameworks", "show", "validate", "score", "schema"):
        assert command in err


@pytest.mark.parametrize("command", ["frameworks", "show", "validate", "score", "schema"])
def test_every_command_help_ends_with_an_example(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main([command, "--help"])
    out = capsys.readouterr().out
    assert f"contoh: kotacerdas {command}" in out.strip().splitlines()[-1]
    with pytest.raises(SystemExit):
        main([command, "--help", "--lang", "en"])
    out = capsys.readouterr().out
    assert f"example: kotacerdas {command}" in out.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("argv", "indonesian", "english"),
    [
        (["score"], "argumen wajib tidak diberikan: BERKAS", "required arguments missing: FILE"),
        (["score", "a.csv", "--bogus"], "argumen tidak dikenal: --bogus", "unknown arguments"),
        (["score", "a.csv", "--format"], "argumen --format: memerlukan satu nilai", "one value"),
        (["scor"], "pilihan 'scor' tidak dikenal", "unknown choice 'scor'"),
    ],
)
def test_usage_errors_are_in_one_language(
    argv: list[str], indonesian: str, english: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, *argv)
    assert status == 2
    assert err.startswith("kotacerdas: penggunaan salah: ")
    assert indonesian in err
    status, _, err = _run(capsys, *argv, "--lang", "en")
    assert status == 2
    assert err.startswith("kotacerdas: usage error: ")
    assert english in err


def test_an_id_alone_shows_the_latest_edition_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = _run(capsys, "show", "gm100sc", "--lang", "en")
    assert status == 0
    assert out.startswith("gm100sc@2024  ")
    assert err == "kotacerdas: gm100sc without an edition: using the latest, gm100sc@2024\n"


def test_score_table_names_the_region_and_explains_its_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _run(capsys, "score", str(TABALONG))
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "63.09 Kabupaten Tabalong 2023 gm100sc@2023"
    assert lines[1] == "  Indeks: 3.38  [3.375 – 3.385]"
    assert lines[3].split() == ["nilai", "→", "sumbangan", "ke", "indeks", "(nilai", "×", "bobot)"]
    assert "Index" not in out
    assert "error" not in out


def test_score_table_of_a_framework_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The table used to reload the edition by name, which a file of one's own does not have.
    contoh = tmp_path / "contoh@1.toml"
    shutil.copy(ROOT / "docs" / "how-to" / "examples" / "contoh@1.toml", contoh)
    scores = tmp_path / "a.csv"
    scores.write_text(
        "region,year,framework,edition,node,value\n"
        "63.09,2024,contoh,1,L1,3\n63.09,2024,contoh,1,LINGKUNGAN,2.5\n",
        encoding="utf-8",
    )
    status, out, err = _run(capsys, "score", str(scores), "--framework", str(contoh))
    assert (status, err) == (0, "")
    assert out.startswith("63.09 Kabupaten Tabalong 2024 contoh@1")


def test_json_and_csv_carry_the_region_name(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "score", str(TABALONG), "--format", "json")
    (result,) = json.loads(out)
    assert (result["region"], result["region_name"]) == ("63.09", "Kabupaten Tabalong")
    _, out, _ = _run(capsys, "score", str(TABALONG), "--format", "csv")
    header, first = out.splitlines()[:2]
    assert header.startswith("region,region_name,year,")
    assert first.startswith("63.09,Kabupaten Tabalong,2023,")
    _, out, _ = _run(capsys, "validate", str(TABALONG), "--format", "json")
    finding = json.loads(out)["findings"][0]
    assert (finding["region"], finding["region_name"]) == ("63.09", "Kabupaten Tabalong")


def test_validate_table_is_indonesian_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _run(capsys, "validate", str(TABALONG))
    assert out.startswith("63.09 Kabupaten Tabalong 2023 gm100sc@2023: sah")
    assert "\n  peringatan: programmes: " in out
    assert "warning" not in out


@pytest.mark.parametrize("command", ["map", "migrate"])
def test_map_and_migrate_name_the_region(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, command, str(TABALONG), "--to", "gm100sc@2024")
    assert status == 0
    assert out.startswith("63.09 Kabupaten Tabalong 2023: gm100sc@2023 → gm100sc@2024 ")
