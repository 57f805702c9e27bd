"""The compiled bundled editions: current, equal to the full build, and never trusted blindly."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from kotacerdas import _compiled, frameworks

EDITIONS = sorted(frameworks._bundled().items())
REGENERATE = "stale: run `python -m kotacerdas._compiled` and commit data/frameworks/compiled"


@pytest.mark.parametrize(("ref", "name"), EDITIONS, ids=[str(r) for r, _ in EDITIONS])
def test_every_edition_is_compiled_current_and_equal_to_the_full_build(
    ref: frameworks.FrameworkRef, name: str
) -> None:
    compiled = _compiled.load(name)
    assert compiled is not None, REGENERATE
    built = frameworks._build_bundled(ref)
    assert compiled == built
    assert hash(compiled) == hash(built)
    assert [n.code for n in compiled] == [n.code for n in built]
    assert [n.provenance for n in compiled] == [n.provenance for n in built]
    assert compiled.node(built.roots[0].code) == built.roots[0]
    assert frameworks.load(ref) == built


def test_dump_and_read_back() -> None:
    ref, name = EDITIONS[0]
    built = frameworks._build_bundled(ref)
    assert _compiled.from_bytes(_compiled.dump(name, built)) == built


def test_a_changed_source_is_not_answered_from_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    ref, name = next((r, n) for r, n in EDITIONS if str(r) == "gm100sc@2024")
    data = _compiled.dump(name, frameworks._build_bundled(ref))
    real = _compiled._digest
    monkeypatch.setattr(
        _compiled, "_digest", lambda path: "0" * 64 if path.endswith("@2021.toml") else real(path)
    )
    # 2024 extends 2021: an edit to the base makes the 2024 store stale too.
    assert _compiled.from_bytes(data) is None
    assert _compiled.load(name) is None
    frameworks._load_bundled.cache_clear()
    try:
        assert frameworks.load(ref) == frameworks._build_bundled(ref)
    finally:
        frameworks._load_bundled.cache_clear()


def test_a_missing_module_source_is_never_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    ref, name = EDITIONS[0]
    data = _compiled.dump(name, frameworks._build_bundled(ref))
    monkeypatch.setattr(_compiled, "_digest", lambda path: None)
    assert _compiled.from_bytes(data) is None


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not zlib",
        zlib.compress(b"not a pickle"),
        zlib.compress(pickle.dumps({"format": 99, "sha256": {}})),
        zlib.compress(pickle.dumps({"format": _compiled.FORMAT, "sha256": {}})),
        zlib.compress(pickle.dumps(os.getcwd)),
        zlib.compress(pickle.dumps(Path("x"))),
    ],
    ids=["empty", "not-zlib", "not-pickle", "other-format", "no-digests", "a-function", "a-path"],
)
def test_damaged_or_foreign_stores_are_refused(data: bytes) -> None:
    assert _compiled.from_bytes(data) is None


def test_the_unpickler_builds_only_model_classes() -> None:
    import io

    with pytest.raises(pickle.UnpicklingError):
        _compiled._Unpickler(io.BytesIO(pickle.dumps(os.system))).load()


def test_loading_a_bundled_edition_needs_no_pydantic() -> None:
    code = (
        "import sys; from kotacerdas import frameworks; frameworks.load('gm100sc@2024'); "
        "frameworks.load('spbe@2020'); "
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
