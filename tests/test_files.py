from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import _files
from kotacerdas.errors import FileFormatError, FileReadError


def test_decimals_are_exact(write: Any) -> None:
    data = _files.load(write("a.toml", "w = 0.10\nn = 3\n"))
    assert data == {"w": Decimal("0.10"), "n": 3}
    assert str(data["w"]) == "0.10"
    data = _files.load(write("a.json", '{"w": 0.10, "s": "x"}'))
    assert str(data["w"]) == "0.10"


def test_bom_is_dropped(write: Any) -> None:
    assert _files.load(write("b.json", b'\xef\xbb\xbf{"a": 1}')) == {"a": 1}


def test_not_utf8(write: Any) -> None:
    with pytest.raises(FileReadError) as info:
        _files.load(write("c.toml", b'a = "\xff"'))
    assert info.value.code == "file.encoding"
    assert "UTF-8" in info.value.message("en")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileReadError) as info:
        _files.load(tmp_path / "none.toml")
    assert info.value.code == "file.not-found"
    assert isinstance(info.value, OSError)


def test_unknown_suffix(write: Any) -> None:
    with pytest.raises(FileReadError) as info:
        _files.load(write("x.yaml", "a: 1"))
    assert info.value.code == "file.format"


def test_empty(write: Any) -> None:
    with pytest.raises(FileFormatError) as info:
        _files.load(write("e.toml", "  \n"))
    assert info.value.code == "file.empty"


@pytest.mark.parametrize(
    ("name", "text", "line", "column"),
    [
        ("t.toml", 'a = 1\nb = "unterminated\n', 2, None),
        ("t.json", '{"a": 1,\n "b": }', 2, 7),
        ("u.json", '{"a": [1, 2', 1, None),
    ],
)
def test_syntax_errors_have_position(
    write: Any, name: str, text: str, line: int, column: int | None
) -> None:
    with pytest.raises(FileFormatError) as info:
        _files.load(write(name, text))
    assert info.value.code == "file.syntax"
    assert info.value.params["line"] == line
    if column is not None:
        assert info.value.params["column"] == column
    assert f"line {line}" in info.value.message("en")
    assert f"baris {line}" in info.value.message("id")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_is_refused(write: Any, constant: str) -> None:
    with pytest.raises(FileFormatError) as info:
        _files.load(write("n.json", f'{{"w": {constant}}}'))
    assert constant in info.value.message("en")


def test_too_large(write: Any) -> None:
    path = write("big.toml", "a = 1\n" * 100)
    with pytest.raises(FileReadError) as info:
        _files.read_text(path, limit=50)
    assert info.value.code == "file.too-large"


def test_too_deep(write: Any) -> None:
    with pytest.raises(FileFormatError) as info:
        _files.load(write("d.json", "[" * 100_000 + "]" * 100_000))
    assert info.value.code == "file.too-deep"
    with pytest.raises(FileFormatError):
        _files.load(write("d2.json", "[" * 70 + "]" * 70))
    with pytest.raises(FileFormatError):
        _files.load(write("d.toml", "a = " + "[" * 100_000 + "]" * 100_000))


def test_atomic_write_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")
    _files.write_atomic(target, "new")
    assert target.read_text() == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_toml_writer_round_trips() -> None:
    data = {
        "a": Decimal("0.10"),
        "s": 'quote " and \\ and \n newline',
        "flag": True,
        "list": [1, Decimal("2.5")],
        "inline": {"id": "x", "en": "y"},
        "weird key": 1,
        "rows": [{"code": "A", "children": [{"code": "B"}]}, {"code": "C"}],
    }
    assert _files.parse(_files.dump_toml(data), "toml", "x") == data
    assert _files.parse(_files.dump_json(data), "json", "x") == data


@pytest.mark.parametrize(
    "value", [Decimal("NaN"), Decimal("-Infinity"), float("nan"), float("inf")]
)
def test_dump_json_refuses_numbers_json_cannot_hold(value: object) -> None:
    with pytest.raises(FileFormatError) as info:
        _files.dump_json({"a": [value]})
    assert info.value.code == "file.not-finite"
    assert "kotacerdas-decimal" not in info.value.message("en")


def test_loading_pauses_the_collector_and_restores_it(tmp_path: Path) -> None:
    """assessment.read pauses cyclic collection while it builds, and restores it on error too."""
    import gc

    from kotacerdas import assessment
    from kotacerdas._files import gc_paused

    seen: list[bool] = []
    with gc_paused():
        seen.append(gc.isenabled())
    assert seen == [False]
    assert gc.isenabled()
    bad = tmp_path / "bad.json"
    bad.write_text('{"region": "63.09", "region": "63.09"}', encoding="utf-8")
    with pytest.raises(FileFormatError):
        assessment.read(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller's choice is left alone
    finally:
        gc.enable()
