"""The ``uncertainty`` and ``sensitivity`` commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from kotacerdas import regions
from kotacerdas.cli import ExitCode, main

ASEM = Path(__file__).resolve().parent / "data" / "coinr-asem"
COINR = [str(ASEM / "iData.csv"), "--imeta", str(ASEM / "iMeta.csv"), "--range", "1,100",
         "--missing", "omit"]  # fmt: skip
ASEM_UA = ["--noise", "0.25", "--noise-levels", "2,3", "--aggregate", "arithmetic,geometric"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_uncertainty_table_on_coinr_tables(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "uncertainty", *COINR, *ASEM_UA, "--samples", "300", "--seed", "7", "--lang", "en"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("coinr@1 Index [2018]: 300 samples, seed 7")
    assert "weights ±25 % (level 2, 3)" in out
    assert lines[3].split()[:3] == ["rank", "unit", "name"]
    assert lines[4].split()[:3] == ["1", "DEU", "Germany"]
    assert err == ""  # not a terminal: no progress bar


def test_uncertainty_json_is_reproducible(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["uncertainty", *COINR, *ASEM_UA, "--samples", "200", "--seed", "3", "--format", "json"]
    _, one, _ = run(capsys, *args)
    _, two, _ = run(capsys, *args)
    assert one == two
    doc = json.loads(one)
    assert doc["seed"] == 3
    assert len(doc["units"]) == 51
    assert [a["kind"] for a in doc["assumptions"]] == ["weight-noise", "aggregation"]


def test_uncertainty_csv_from_indicator_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data.csv"
    rng = np.random.default_rng(0)
    data.write_text(
        "unit,a,b\n"
        + "".join(f"U{i},{rng.uniform(1, 9):.3f},{rng.uniform(1, 9):.3f}\n" for i in range(6)),
        encoding="utf-8",
    )
    fw = tmp_path / "fw.json"
    fw.write_text(
        json.dumps(
            {
                "id": "t", "edition": "1", "title": "T", "issuer": "kotacerdas",
                "provenance": {"confidence": "inferred"}, "index": "I", "weights": "relative",
                "nodes": [{"code": "I", "kind": "index", "label": "I", "children": [
                    {"code": "a", "kind": "indicator", "label": "a", "weight": 1},
                    {"code": "b", "kind": "indicator", "label": "b", "weight": 2}]}],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    code, out, err = run(
        capsys, "uncertainty", str(data), "--framework", str(fw), "--noise", "0.5",
        "--samples", "100", "--seed", "1", "--format", "csv",
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6
    assert {"unit", "nominal_rank", "rank_low", "rank_high", "keeps_rank"} <= set(rows[0])


def test_uncertainty_of_an_official_index(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    units = [r.code for r in regions.regions() if r.level == "kota"][:6]
    rng = np.random.default_rng(1)
    lines = ["region,year,node,value"] + [
        f"{u},2022,{node},{rng.uniform(2, 4):.2f}"
        for u in units
        for node in ("BASE", "OUT", "OUTC", "IMP", "QW")
    ]
    path = tmp_path / "gm.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(
        capsys, "uncertainty", str(path), "--framework", "gm100sc@2022", "--samples", "100",
        "--seed", "2", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["framework"] == "gm100sc@2022"
    assert doc["assumptions"][0]["name"] == "inferred weights ±25 %"
    assert all(u["nominal_exact"] is not None for u in doc["units"])
    code, out, err = run(
        capsys, "sensitivity", str(path), "--framework", "gm100sc@2022", "--samples", "50",
        "--seed", "2", "--bootstrap", "20", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["framework"], doc["period"], doc["runs"]) == ("gm100sc@2022", 2022, 150)
    assert [r["assumption"] for r in doc["indices"]] == ["inferred weights ±25 %"]


def test_sensitivity_table_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "sensitivity", *COINR, *ASEM_UA, "--samples", "100", "--seed", "5",
        "--bootstrap", "50", "--lang", "en",
    )  # fmt: skip
    assert code == 0, err
    assert "400 runs, seed 5" in out
    assert "S_Ti" in out
    code, out, _ = run(
        capsys, "sensitivity", *COINR, *ASEM_UA, "--samples", "100", "--seed", "5",
        "--output", "rank", "--unit", "HRV", "--bootstrap", "20", "--format", "json",
    )  # fmt: skip
    doc = json.loads(out)
    assert (doc["unit"], doc["unit_name"], doc["runs"]) == ("HRV", "Croatia", 400)
    code, out, _ = run(
        capsys, "sensitivity", *COINR, *ASEM_UA, "--samples", "100", "--seed", "5",
        "--output", "rank", "--unit", "HRV", "--bootstrap", "20",
    )  # fmt: skip
    assert code == 0
    assert ": rank HRV Croatia, N = 100, 400 putaran, benih 5" in out.splitlines()[0]


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["uncertainty", "missing.csv"], 2),
        (["uncertainty", *COINR, "--aggregate", "geometric", "--range", "0,100"], 3),
        (["uncertainty", *COINR, "--range", "1"], 2),
        (["uncertainty", *COINR, "--noise", "2"], 3),
        (["uncertainty", *COINR, "--samples", "x"], 2),
        (["sensitivity", *COINR, "--output", "rank"], 3),
    ],
)
def test_bad_requests(capsys: pytest.CaptureFixture[str], argv: list[str], status: int) -> None:
    code, out, err = run(capsys, *argv)
    assert code == status
    assert out == ""
    assert err.startswith("kotacerdas: ")


def test_indicator_data_needs_a_framework(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "d.csv"
    path.write_text("unit,a\nX,1\nY,2\n", encoding="utf-8")
    code, _, err = run(capsys, "uncertainty", str(path), "--samples", "4")
    assert code == 3
    assert "--framework" in err


@pytest.mark.parametrize("value", ["1", "a,b", "5,1", "0,nan", "0,inf"])
@pytest.mark.parametrize("option", ["--range", "--quantiles"])
def test_a_bad_range_is_a_usage_error_in_both_languages(
    capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    code, out, err = run(capsys, "uncertainty", *COINR, option, value)
    assert (code, out) == (ExitCode.USAGE, "")
    assert err == (
        f"kotacerdas: penggunaan salah: argumen {option}: harus dua bilangan RENDAH,TINGGI "
        f"dengan RENDAH < TINGGI, bukan {value!r}\n"
    )
    code, _, err = run(capsys, "uncertainty", *COINR, option, value, "--lang", "en")
    assert code == ExitCode.USAGE
    assert err == (
        f"kotacerdas: usage error: argument {option}: must be two numbers LOW,HIGH with "
        f"LOW < HIGH, not {value!r}\n"
    )


@pytest.mark.parametrize("argv", [["--noise-levels", "2,x"], ["--noise", "lots"]])
def test_bad_numbers_are_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, "uncertainty", *COINR, *argv)
    assert (code, out) == (ExitCode.USAGE, "")
    assert err.startswith(f"kotacerdas: penggunaan salah: argumen {argv[0]}: harus bilangan")


def test_the_uncertainty_table_names_its_quantiles_in_the_chosen_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["uncertainty", *COINR, *ASEM_UA, "--samples", "100", "--seed", "7"]
    code, out, err = run(capsys, *argv, "--quantiles", "0.1,0.9", "--lang", "id")
    assert code == 0, err
    head = out.splitlines()[3].split()
    assert head[:3] == ["peringkat", "unit", "nama"]
    assert "10–90" in head
    assert "5–95" not in out
    assert "  · bobot ±25 % (tingkat 2, 3)" in out.splitlines()
    assert "weights" not in out
    code, out, err = run(capsys, "sensitivity", *COINR, *ASEM_UA, "--samples", "50",
                         "--seed", "5", "--bootstrap", "10", "--lang", "id")  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[1].split()[0] == "asumsi"
    assert any(line.startswith("bobot ±25 % (tingkat 2, 3)") for line in out.splitlines())
    assert "aggregation" not in out


def test_derived_assumption_names_are_english_keys_and_read_in_either_language() -> None:
    import pickle

    from kotacerdas import frameworks, uncertainty

    noise = uncertainty.WeightNoise(0.25, levels=(2, 3))
    assert noise.label == "weights ±25 % (level 2, 3)"  # the key programs see
    assert noise.text("id") == "bobot ±25 % (tingkat 2, 3)"
    assert noise.text("en") == noise.label
    assert uncertainty.WeightNoise(0.25, name="mine").text("id") == "mine"
    preset = uncertainty.from_provenance(frameworks.load("gm100sc@2024"))
    assert [a.text("id") for a in preset][:1] == ["bobot inferensi ±25 %"]
    record = noise.record()
    assert json.loads(json.dumps(record))["name"] == "weights ±25 % (level 2, 3)"
    assert pickle.loads(pickle.dumps(record))["name"] == record["name"]
