"""Hostile and broken input: each case of issue 11 reproduced, then refused cleanly.

Every test here failed (hung, escaped, leaked, lost data or printed a traceback)
before the fix it names.
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import _files, assessment, evidence, frameworks
from kotacerdas.assessment import Assessment, Evidence, Score
from kotacerdas.cli import ExitCode, main, printable
from kotacerdas.errors import (
    AssessmentError,
    EvidencePathError,
    FileFormatError,
    FileReadError,
    FrameworkError,
    KotaCerdasError,
)
from kotacerdas.limits import MAX_CELL_CHARS, MAX_TREE_DEPTH

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, modes and signals are POSIX")


def _framework(nodes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "format": 1,
        "id": "x",
        "edition": "1",
        "title": "T",
        "issuer": "I",
        "provenance": {"confidence": "inferred"},
        "nodes": nodes,
        **extra,
    }


def _chain(length: int) -> list[dict[str, Any]]:
    nodes = [{"code": "N0", "kind": "k", "label": "n"}]
    nodes += [
        {"code": f"N{i}", "kind": "k", "label": "n", "parent": f"N{i - 1}"}
        for i in range(1, length)
    ]
    return nodes


def _codes(exc: pytest.ExceptionInfo[Any]) -> set[str]:
    return {p.code for p in exc.value.problems}


# -- hangs ------------------------------------------------------------------------------------


def test_tree_one_level_too_deep_is_refused_not_looped() -> None:
    frameworks.from_data(_framework(_chain(MAX_TREE_DEPTH + 1)))  # the deepest allowed
    with pytest.raises(FrameworkError) as info:
        frameworks.from_data(_framework(_chain(MAX_TREE_DEPTH + 2)))
    assert _codes(info) == {"node.too-deep"}


def test_coinr_tree_too_deep_is_refused(tmp_path: Path) -> None:
    from kotacerdas.coinr import read_coinr

    levels = MAX_TREE_DEPTH + 2
    meta = ["iCode,Level,Parent,Direction,Weight,Type", "i1,1,A2,1,1,Indicator"]
    meta += [f"A{n},{n},A{n + 1},1,1,Aggregate" for n in range(2, levels)]
    meta.append(f"A{levels},{levels},,1,1,Aggregate")
    (tmp_path / "iMeta.csv").write_text("\n".join(meta) + "\n")
    (tmp_path / "iData.csv").write_text("uCode,i1\nAAA,1\nBBB,2\n")
    with pytest.raises(KotaCerdasError) as info:
        read_coinr(tmp_path / "iData.csv", tmp_path / "iMeta.csv")
    assert "node.too-deep" in {p.code for p in getattr(info.value, "problems", ())}


def test_wide_framework_loads_and_shows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Quadratic before: 2,000 siblings took 28 s to show, so 5,000 took minutes.
    n = 5_000
    nodes: list[dict[str, Any]] = [{"code": "R", "kind": "k", "label": "r"}]
    nodes += [
        {"code": f"C{i}", "kind": "k", "label": f"c{i}", "parent": "R", "weight": 1}
        for i in range(n)
    ]
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(_framework(nodes, weights="relative")))
    assert main(["show", str(path)]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.count("0.02% (0.02%)") == n
    fw = frameworks.read(path)
    assert sum(fw.share(f"C{i}") or 0 for i in range(n)) == 1


def test_long_cycle_is_reported_in_linear_time() -> None:
    n = 5_000
    nodes = [{"code": "R", "kind": "k", "label": "r"}]
    nodes += [
        {"code": f"C{i}", "kind": "k", "label": "c", "parent": f"C{(i + 1) % n}"} for i in range(n)
    ]
    with pytest.raises(FrameworkError) as info:
        frameworks.from_data(_framework(nodes))
    assert len(info.value.problems) == n
    assert str(info.value.problems[0].params["chain"]).endswith("→ …")


@posix_only
def test_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    with pytest.raises(FileReadError) as info:
        frameworks.read(fifo)
    assert info.value.code == "file.not-regular"
    (tmp_path / "ev").mkdir()
    os.mkfifo(tmp_path / "ev" / "doc.pdf")
    a = Assessment("63.09", 2023, "gm100sc", "2023", evidence=(Evidence("doc", path="doc.pdf"),))
    with pytest.raises(FileReadError) as info:
        evidence.attach_hashes(a, tmp_path / "ev")
    assert info.value.code == "file.not-regular"
    assert main(["show", str(fifo)]) == ExitCode.INPUT


# -- escapes ----------------------------------------------------------------------------------


@pytest.fixture
def base_file(tmp_path: Path, minimal: dict[str, Any]) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    frameworks.write(frameworks.from_data(minimal), folder / "base.toml")
    return folder / "base.toml"


def _overlay(path: Path, extends: str) -> Path:
    path.write_text(json.dumps({"format": 1, "extends": extends, "title": "Overlay"}))
    return path


def test_overlay_extends_a_file_beside_it(base_file: Path) -> None:
    fw = frameworks.read(_overlay(base_file.parent / "o.json", "base.toml"))
    assert fw.title.id == "Overlay"


@pytest.mark.parametrize("how", ["absolute", "parent", "symlink"])
def test_overlay_cannot_reach_outside_its_folder(base_file: Path, how: str) -> None:
    secret = base_file.parent.parent / "secret.toml"
    secret.write_text(base_file.read_text().replace("Kerangka contoh", "RAHASIA"))
    folder = base_file.parent
    if how == "absolute":
        ref = str(secret)
    elif how == "parent":
        ref = "../secret.toml"
    else:
        if os.name != "posix":
            pytest.skip("symbolic links need POSIX")
        (folder / "link.toml").symlink_to(secret)
        ref = "link.toml"
    with pytest.raises(FrameworkError) as info:
        frameworks.read(_overlay(folder / "o.json", ref))
    assert _codes(info) == {"overlay.extends-outside"}
    assert "RAHASIA" not in info.value.message("en")


def test_overlay_chains_are_detected(tmp_path: Path) -> None:
    _overlay(tmp_path / "self.json", "self.json")
    with pytest.raises(FrameworkError) as info:
        frameworks.read(tmp_path / "self.json")
    assert _codes(info) == {"overlay.chain"}
    _overlay(tmp_path / "a.json", "b.json")
    _overlay(tmp_path / "b.json", "a.json")
    with pytest.raises(FrameworkError) as info:
        frameworks.read(tmp_path / "a.json")
    assert "a.json → b.json → a.json" in info.value.message("en")


@posix_only
def test_xlsx_writer_does_not_follow_a_planted_link(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "out.xlsx"
    (tmp_path / ".out.xlsx.tmp").symlink_to(victim)  # the old, predictable name
    assessment.write(Assessment("63.09", 2023, "gm100sc", "2023"), target)
    assert victim.read_text() == "precious"
    assert zipfile.is_zipfile(target)


# -- bombs ------------------------------------------------------------------------------------


def _xlsx_with_sheet(path: Path, sheet_xml: bytes) -> Path:
    """A real workbook whose first sheet is replaced by *sheet_xml*."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    buf = io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            dst.writestr(item.filename, data)
    return path


_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)


def test_xlsx_bomb_is_refused_from_the_zip_directory(tmp_path: Path) -> None:
    cell = b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + b"A" * (8 << 20) + b"</t></is></c></row>"
    path = _xlsx_with_sheet(
        tmp_path / "bomb.xlsx", _SHEET_HEAD + cell + b"</sheetData></worksheet>"
    )
    assert path.stat().st_size < 100_000
    with pytest.raises(FileReadError) as info:
        assessment.read(path)
    assert info.value.code == "zip.ratio"


def test_xlsx_unpacked_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kotacerdas import _zip

    path = tmp_path / "s.xlsx"
    assessment.write(
        Assessment("63.09", 2023, "gm100sc", "2023", scores=(Score("BASE", Decimal(1)),)), path
    )
    monkeypatch.setattr(_zip, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(FileReadError) as info:
        assessment.read(path)
    assert info.value.code == "zip.too-large"
    monkeypatch.setattr(_zip, "MAX_ZIP_ENTRIES", 3)
    with pytest.raises(FileReadError) as info:
        assessment.read(path)
    assert info.value.code == "zip.too-many-entries"


def test_xlsx_rows_are_streamed_and_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kotacerdas import _excel

    rows = [Score(f"N{i}", Decimal(i)) for i in range(50)]
    path = tmp_path / "s.xlsx"
    assessment.write(Assessment("63.09", 2023, "gm100sc", "2023", scores=tuple(rows)), path)
    monkeypatch.setattr(_excel, "MAX_ROWS", 10)
    with pytest.raises(FileReadError) as info:
        assessment.read(path)
    assert info.value.code == "xlsx.too-many-rows"


def test_truncated_sheet_is_unreadable_not_a_traceback(tmp_path: Path) -> None:
    path = _xlsx_with_sheet(tmp_path / "cut.xlsx", _SHEET_HEAD + b'<row r="1"><c r="A1" t="inl')
    with pytest.raises(FileReadError) as info:
        assessment.read(path)
    assert info.value.code == "file.unreadable"


# -- formula injection and data loss --------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://evil.example","klik")', "+1+1", "-2", "@SUM(A1)", "'=keep", "'"]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("text", HOSTILE)
def test_no_formula_and_lossless(tmp_path: Path, suffix: str, text: str) -> None:
    if suffix == ".xlsx":
        openpyxl = pytest.importorskip("openpyxl")
    a = Assessment(text, 2023, "gm100sc", "2023", scores=(Score("BASE", Decimal("-1.5")),))
    path = tmp_path / f"a{suffix}"
    assessment.write(a, path)
    back = assessment.read(path)
    assert [(b.region, b.scores) for b in back] == [(text, a.scores)]
    if suffix == ".xlsx":
        cell = openpyxl.load_workbook(path)["scores"]["A2"]
        assert cell.data_type == "s"
        assert cell.value == text
    else:
        first = path.read_text().splitlines()[1]
        assert first.lstrip('"')[:1] not in {"=", "+", "-", "@", "\t"}


@pytest.mark.parametrize("text", [*HOSTILE, "", "\tx", "\r=x", "''=x", "plain", "-"])
def test_cell_escape_round_trips(text: str) -> None:
    escaped = _files.escape_cell(text)
    assert escaped.lstrip("'")[:1] not in _files.FORMULA_STARTS or escaped.startswith("'")
    assert _files.unescape_cell(escaped) == text


# -- tracebacks -------------------------------------------------------------------------------


def test_huge_integer_is_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"format": 1, "year": ' + "9" * 5000 + "}")
    with pytest.raises(FileFormatError) as info:
        assessment.read(path)
    assert info.value.code == "file.syntax"


@pytest.mark.parametrize("number", ["1e999999999", "1e-999999999", "1" + "0" * 200])
def test_number_out_of_bounds_is_refused(tmp_path: Path, number: str) -> None:
    doc = {
        "format": 1,
        "region": "63.09",
        "year": 2023,
        "framework": "gm100sc",
        "edition": "2023",
        "scores": [{"node": "BASE", "value": "@"}],
    }
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc).replace('"@"', number))
    with pytest.raises(AssessmentError) as info:
        assessment.read(path)
    assert _codes(info) == {"schema.number-bounds"}


@posix_only
@pytest.mark.parametrize("path", ["loop/x.pdf", "a\0b.pdf", "d/" * 2500 + "x.pdf"])
def test_bad_evidence_paths_are_findings(tmp_path: Path, path: str) -> None:
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    a = Assessment("63.09", 2023, "gm100sc", "2023", evidence=(Evidence("doc", path=path),))
    findings = evidence.verify(a, tmp_path)
    assert [f.code for f in findings] == ["evidence.path-invalid"]
    with pytest.raises(EvidencePathError):
        evidence.attach_hashes(a, tmp_path)


@posix_only
def test_cli_stdout_failures(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "kotacerdas", "show", "gm100sc@2024"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, text=True, check=False)
    assert done.returncode == ExitCode.INPUT
    assert "Traceback" not in done.stderr
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # the reader goes away, as with `| head -0`
    err = proc.stderr.read().decode()
    assert proc.wait() == ExitCode.OK
    assert "Traceback" not in err
    assert "Exception ignored" not in err


# -- exit codes and unsafe output -------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tabalong-2023.json"


def test_missing_evidence_dir_is_a_usage_error(tmp_path: Path) -> None:
    argv = ["validate", str(EXAMPLE), "--evidence-dir", str(tmp_path / "nope")]
    assert main(argv) == ExitCode.USAGE
    with pytest.raises(FileReadError):
        evidence.verify(assessment.read_one(EXAMPLE), tmp_path / "nope")


def test_control_characters_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "region,year,framework,edition,node,value\nTabalong\x1b[8m,2023,gm100sc,2023,BASE,3\n"
    )
    assert main(["validate", str(path), "--lang", "en"]) == ExitCode.FINDINGS
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err
    assert "\\x1b[8m" in out
    assert printable("a\u202eb\nc\0") == "a\\u202eb\nc\\x00"


@posix_only
def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "a.json"
        assessment.write(Assessment("63.09", 2023, "gm100sc", "2023"), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        os.chmod(path, 0o640)  # an existing file keeps its mode
        assessment.write(Assessment("63.09", 2024, "gm100sc", "2023"), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_unwritable_target_is_a_library_error(tmp_path: Path) -> None:
    with pytest.raises(FileReadError) as info:
        _files.write_atomic(tmp_path / "no" / "such" / "a.json", "{}")
    assert info.value.code == "file.unwritable"


@posix_only
def test_killed_writer_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_text("old")
    script = textwrap.dedent(
        f"""
        import sys, time
        from kotacerdas._files import atomic_writer
        with atomic_writer({str(target)!r}) as fh:
            fh.write(b"new, but half")
            fh.flush()
            print("writing", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert target.read_text() == "old"
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(name.startswith(".a.json.") for name in leftovers)


def test_limits_page_lists_every_limit() -> None:
    from kotacerdas import limits
    from kotacerdas.i18n import MESSAGES

    page = (Path(__file__).resolve().parents[1] / "docs" / "reference" / "limits.md").read_text()
    rows = {line.split("|")[1].strip(" `"): line for line in page.splitlines() if "| `MAX_" in line}
    assert set(rows) == set(limits.__all__)
    for name, line in rows.items():
        assert f"| {getattr(limits, name)} " in line, name
        codes = line.rsplit("|", 2)[1]
        for code in codes.replace("`", "").split(","):
            assert code.strip() in MESSAGES, code


def test_xlsx_refuses_characters_it_cannot_store(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"old")
    a = Assessment("Tabalong\x1f", 2023, "gm100sc", "2023", scores=(Score("BASE", Decimal(3)),))
    with pytest.raises(FileReadError) as info:
        assessment.write(a, path)
    assert info.value.code == "xlsx.illegal-character"
    assert path.read_bytes() == b"old"


# -- CSV cells and rows, bounded by the library's limits -------------------------------------

_CSV_HEAD = "region,year,framework,edition,node,value\n"


@pytest.mark.parametrize(
    ("size", "quoted"),
    [
        (MAX_CELL_CHARS + 1, False),  # inside the csv module's own field limit
        (MAX_CELL_CHARS + 1, True),
        (200_000, False),  # past it: the csv module gives up first
        (200_000, True),
    ],
)
def test_csv_cell_too_long_names_line_and_column(tmp_path: Path, size: int, quoted: bool) -> None:
    long = "x" * size
    cell = f'"{long[:10]}""\n{long[10:]}"' if quoted else long
    path = tmp_path / "a.csv"
    path.write_text(
        _CSV_HEAD + "63.09,2023,gm100sc,2023,G,3.6\n" + f"63.09,2023,gm100sc,2023,{cell},1\n"
    )
    with pytest.raises(AssessmentError) as info:
        assessment.read(path)
    (problem,) = info.value.problems
    assert problem.code == "csv.cell-too-long"
    assert problem.path == "line 3, column node"
    assert str(MAX_CELL_CHARS) in info.value.message("en")


def test_csv_cell_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(_CSV_HEAD + f"63.09,2023,gm100sc,2023,{'N' * MAX_CELL_CHARS},1\n")
    (a,) = assessment.read(path)
    assert len(a.scores[0].node) == MAX_CELL_CHARS


def test_csv_rows_are_capped_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kotacerdas import _assessment_file

    monkeypatch.setattr(_assessment_file, "MAX_ITEMS", 3)
    rows = "".join(f"63.09,2023,gm100sc,2023,N{i},1\n" for i in range(4))
    path = tmp_path / "a.csv"
    path.write_text(_CSV_HEAD + rows)
    with pytest.raises(AssessmentError) as info:
        assessment.read(path)
    assert info.value.problems[0].code == "csv.too-many-rows"
    path.write_text(_CSV_HEAD + rows.split("\n", 1)[1])
    assert len(assessment.read(path)[0].scores) == 3


@pytest.mark.parametrize("size", [MAX_CELL_CHARS + 1, 200_000])
def test_data_table_cell_too_long_names_line_and_column(tmp_path: Path, size: int) -> None:
    from kotacerdas.coinr import read_coinr
    from kotacerdas.errors import TableError

    data = tmp_path / "iData.csv"
    data.write_text(f"uCode,x\nA,1\nB,{'9' * size}\n")
    with pytest.raises(TableError) as info:
        read_coinr(data, Path("tests/data/coinr-asem/iMeta.csv"))
    assert info.value.code == "table.cell-too-long"
    assert "line 3, column x" in info.value.message("en")
    # the same refusal for indicator data given to the analysis commands (exit 3)
    assert main(["uncertainty", str(data), "--framework", "gm100sc@2023"]) == ExitCode.INPUT


def test_data_table_rows_are_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kotacerdas import _csv
    from kotacerdas.errors import TableError

    monkeypatch.setattr(_csv, "MAX_ROWS", 2)
    with pytest.raises(TableError) as info:
        _csv.table("unit,x\nA,1\nB,2\nC,3\n", "d.csv")
    assert info.value.code == "table.too-many-rows"
    assert _csv.table("unit,x\nA,1\nB,2\n", "d.csv")[1] == [1, 2, 3]


# -- a framework of 100,000 nodes loads and shows in seconds (benchmarks/large_framework.py) --


def _flat_framework(n: int) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"code": "R", "kind": "k", "label": "r"}]
    nodes += [
        {"code": f"S{i}", "kind": "k", "label": f"s{i}", "parent": "R", "weight": 1}
        for i in range(10)
    ]
    nodes += [
        {"code": f"L{i}", "kind": "k", "label": f"l{i}", "parent": f"S{i % 10}", "weight": 1}
        for i in range(n - 11)
    ]
    return _framework(nodes, weights="relative")


def test_loading_copies_no_defaults_per_node(monkeypatch: pytest.MonkeyPatch) -> None:
    # pydantic deep-copied each node's six list defaults: 40 % of loading a large framework.
    import copy

    calls = [0]
    real = copy.deepcopy

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(copy, "deepcopy", counting)
    fw = frameworks.from_data(_flat_framework(2_000))
    assert len(list(fw)) == 2_000
    assert calls[0] < 10


def test_loading_pauses_the_garbage_collector(tmp_path: Path) -> None:
    # Millions of fresh objects, none garbage: the collector would walk them again and again.
    import gc

    runs: list[str] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(phase)

    data = _flat_framework(5_000)
    path = tmp_path / "f.json"
    path.write_text(json.dumps(data))
    gc.collect()
    gc.callbacks.append(count)
    try:
        frameworks.read(path)
        frameworks.from_data(data)
    finally:
        gc.callbacks.remove(count)
    assert len(runs) <= 4  # at most two as each load ends (300 before)
    assert gc.isenabled()


def test_show_computes_one_share_per_parent_and_weight(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kotacerdas.cli import framework_table
    from kotacerdas.model import Framework

    fw = frameworks.from_data(_flat_framework(1_000))
    calls = [0]
    real = Framework.share

    def counting(self: Framework, key: str) -> Any:
        calls[0] += 1
        return real(self, key)

    monkeypatch.setattr(Framework, "share", counting)
    table = framework_table(fw, "en")
    assert table.count("10% (10%)") == 10  # the subs
    assert table.count("% (") == 999  # every node but the root shows its shares
    assert calls[0] <= 1 + 10 + 10  # the root, the ten subs, one leaf weight under each sub
