"""The message catalogue: one data file, every code used, every code used catalogued.

The catalogue is ``src/kotacerdas/data/messages.toml``.  These tests read the library's
source: every code must occur there (a message nothing can raise is dead text that the
docs would still list), and every code the source passes to an error, a problem or a
finding must be in the catalogue (else the user would get a ``KeyError`` instead of the
message).
"""

from __future__ import annotations

import ast
import re
import string
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

import pytest

from kotacerdas.i18n import MESSAGES, _read_catalogue, message

SRC = Path(__file__).resolve().parents[1] / "src" / "kotacerdas"
_CODE = re.compile(r"^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+$")


def _catalogue_text() -> str:
    return resources.files("kotacerdas.data").joinpath("messages.toml").read_text("utf-8")


@cache
def _literals() -> dict[str, list[tuple[str, int, bool]]]:
    """Every code-shaped string literal in the source: (file, line, is it passed as a code)."""
    found: dict[str, list[tuple[str, int, bool]]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        code_args: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                code_args.add(id(node.args[0]))
            if isinstance(node, ast.Call):
                code_args.update(id(k.value) for k in node.keywords if k.arg == "code")
            if isinstance(node, ast.AnnAssign | ast.Assign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "header" for t in targets):
                    code_args.add(id(node.value))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _CODE.match(node.value)
            ):
                where = (path.name, node.lineno, id(node) in code_args)
                found.setdefault(node.value, []).append(where)
    return found


def test_the_catalogue_file_is_toml_read_the_same_by_the_fast_reader() -> None:
    text = _catalogue_text()
    parsed = tomllib.loads(text)
    assert _read_catalogue(text) == {c: (t["id"], t["en"]) for c, t in parsed.items()}
    assert all(set(t) == {"id", "en"} for t in parsed.values())
    assert dict(MESSAGES) == _read_catalogue(text)


def test_the_fast_reader_falls_back_to_toml_for_another_shape() -> None:
    text = '["a.b"]\nen = "x"\nid = "y"\n\n["a.c"]\nid = """multi\nline"""\nen = "z"\n'
    assert _read_catalogue(text) == {"a.b": ("y", "x"), "a.c": ("multi\nline", "z")}


def test_escapes_are_read() -> None:
    text = '["a.b"]\nid = "say \\"hi\\" \\u00e9"\nen = "back\\\\slash"\n'
    assert _read_catalogue(text) == {"a.b": ('say "hi" é', "back\\slash")}


def test_every_message_is_used_somewhere_in_the_library() -> None:
    unused = sorted(set(MESSAGES) - set(_literals()))
    assert not unused, f"raise these messages where they belong, or delete them: {unused}"


def test_every_code_the_library_raises_is_in_the_catalogue() -> None:
    prefixes = {code.split(".")[0] for code in MESSAGES}
    missing = sorted(
        f"{file}:{line}: {code}"
        for code, places in _literals().items()
        if code not in MESSAGES and code.split(".")[0] in prefixes
        for file, line, as_code in places
        if as_code
    )
    assert not missing, f"add these codes to messages.toml: {missing}"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_have_the_same_fields(code: str) -> None:
    id_text, en_text = MESSAGES[code]

    def fields(template: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}

    assert id_text.strip()
    assert en_text.strip()
    assert id_text != en_text
    assert fields(id_text) == fields(en_text)


def test_message_renders_each_language() -> None:
    assert message("file.empty", "en", path="a.toml") == "file a.toml is empty"
    assert message("file.empty", "id", path="a.toml") == "berkas a.toml kosong"
    assert "codes" in repr(MESSAGES)
