"""Fuzzing every parser: whatever the input, only the library's own errors escape.

Each property feeds a reader arbitrary or mutated input and accepts exactly two
outcomes: a result, or a :class:`~kotacerdas.errors.KotaCerdasError`.  Anything else
(a ``KeyError``, ``RecursionError``, ``decimal.Overflow`` …) fails.  Longer runs outside
CI: ``tests/fuzz/atheris_harness.py``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kotacerdas import _files, assessment, evidence, frameworks
from kotacerdas.errors import KotaCerdasError

from .strategies import framework_files

_FUZZ = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=30,
)
KEYS = [
    "format",
    "id",
    "edition",
    "title",
    "nodes",
    "code",
    "kind",
    "label",
    "parent",
    "weight",
    "children",
    "extends",
    "remove",
    "region",
    "year",
    "framework",
    "scores",
    "node",
    "value",
    "evidence",
    "path",
    "sha256",
    "programmes",
    "provenance",
    "confidence",
    "rubric",
    "levels",
]
keyed_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), inner, max_size=6)
    ),
    max_leaves=40,
)


def only_library_errors(call: Callable[[], Any]) -> None:
    with contextlib.suppress(KotaCerdasError):
        call()


def _in_file(name: str, data: bytes | str, read: Callable[[Path], Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        only_library_errors(lambda: read(path))


@_FUZZ
@given(st.text(max_size=200), st.sampled_from(["toml", "json"]))
@example("a = " + "[" * 100 + "]" * 100, "toml")
@example("[" * 100 + "]" * 100, "json")
@example("9" * 5000, "json")
def test_text_files(text: str, fmt: _files.Format) -> None:
    only_library_errors(lambda: _files.parse(text, fmt, "fuzz"))


@_FUZZ
@given(keyed_values)
def test_framework_data(data: Any) -> None:
    only_library_errors(lambda: frameworks.from_data(data))


@_FUZZ
@given(framework_files(), st.data())
def test_mutated_framework_files(data: dict[str, Any], draw: st.DataObject) -> None:
    nodes = data["nodes"]
    node = nodes[draw.draw(st.integers(0, len(nodes) - 1))]
    node[draw.draw(st.sampled_from(KEYS))] = draw.draw(keyed_values)
    only_library_errors(lambda: frameworks.from_data(data))


@_FUZZ
@given(keyed_values)
def test_assessment_data(data: Any) -> None:
    only_library_errors(lambda: assessment.from_data(data))


@_FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
def test_assessment_json_and_toml_bytes(data: bytes) -> None:
    _in_file("a.json", data, assessment.read)
    _in_file("f.toml", data, frameworks.read)


cells = st.text(
    alphabet=st.characters(codec="utf-8") | st.sampled_from(list(",\"'\n\r=-+@eE.0123456789")),
    max_size=12,
)


@_FUZZ
@given(st.lists(st.lists(cells, min_size=0, max_size=8), max_size=6), st.booleans())
def test_assessment_csv(rows: list[list[str]], header: bool) -> None:
    head = "region,year,framework,edition,node,value\n" if header else ""
    text = head + "\n".join(",".join(r) for r in rows)
    _in_file("a.csv", text, assessment.read)


def _workbook_bytes(rows: list[list[Any]]) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    for row in rows:
        book.active.append(
            [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row]
        )
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@settings(_FUZZ, max_examples=30)
@given(
    st.lists(st.lists(st.integers(-10, 10) | st.floats() | cells, max_size=7), max_size=5),
    st.data(),
)
def test_xlsx(rows: list[list[Any]], draw: st.DataObject) -> None:
    data = _workbook_bytes([["region", "year", "framework", "edition", "node", "value"], *rows])
    _in_file("a.xlsx", data, assessment.read)
    # ... and the same workbook damaged: a byte range cut out or overwritten.
    start = draw.draw(st.integers(0, 10**6)) % len(data)  # data's length varies (timestamps)
    end = min(len(data), start + draw.draw(st.integers(0, 200)))
    junk = draw.draw(st.binary(max_size=50))
    _in_file("b.xlsx", data[:start] + junk + data[end:], assessment.read)


@_FUZZ
@given(
    st.lists(st.lists(cells, max_size=7), max_size=6),
    st.lists(st.lists(cells, max_size=4), max_size=4),
)
def test_coinr_tables(meta: list[list[str]], data: list[list[str]]) -> None:
    from kotacerdas.coinr import read_coinr

    head = "iCode,Level,Parent,Direction,Weight,Type,iName\n"
    with tempfile.TemporaryDirectory() as folder:
        m = Path(folder) / "iMeta.csv"
        d = Path(folder) / "iData.csv"
        m.write_text(head + "\n".join(",".join(r) for r in meta), encoding="utf-8")
        d.write_text("uCode,i1,i2\n" + "\n".join(",".join(r) for r in data), encoding="utf-8")
        only_library_errors(lambda: read_coinr(d, m))


paths = st.text(max_size=20) | st.lists(
    st.sampled_from(["/", "\\", "..", ".", ":", "\0", "C:", "a", "é", " ", "~"]), max_size=12
).map("".join)


@_FUZZ
@given(paths)
@example("d/" * 2500)
@example("a\0b")
def test_evidence_paths(path: str) -> None:
    a = assessment.Assessment(
        "63.09", 2023, "gm100sc", "2023", evidence=(assessment.Evidence("e", path=path),)
    )
    with tempfile.TemporaryDirectory() as folder:
        only_library_errors(lambda: evidence.resolve(folder, path))
        evidence.verify(a, folder)  # findings, never an exception
        only_library_errors(lambda: evidence.attach_hashes(a, folder))


def test_zip_reader_refuses_junk_zips() -> None:
    from kotacerdas._zip import open_zip

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a", "x")
    raw = buf.getvalue()
    for cut in range(0, len(raw), 7):
        only_library_errors(functools.partial(open_zip, io.BytesIO(raw[:cut]), "cut.zip"))
