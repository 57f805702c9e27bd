"""Every message code is explained in the documentation, and nothing else is.

``docs/_ext/message_help.toml`` holds the hand-written "meaning and fix" of each code in
:data:`kotacerdas.i18n.MESSAGES`; the documentation build renders it on the messages
reference page and fails on a mismatch. This test fails the same way in the test suite,
so a new code cannot go undocumented even where the docs are not built.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from kotacerdas.i18n import MESSAGES

HELP_FILE = Path(__file__).resolve().parents[1] / "docs" / "_ext" / "message_help.toml"


def _help() -> dict[str, Any]:
    with HELP_FILE.open("rb") as fh:
        return tomllib.load(fh)


def test_every_message_code_has_help() -> None:
    missing = sorted(set(MESSAGES) - set(_help()))
    assert not missing, f"add entries to {HELP_FILE.name} for: {', '.join(missing)}"


def test_no_help_for_codes_that_do_not_exist() -> None:
    stale = sorted(set(_help()) - set(MESSAGES))
    assert not stale, f"remove entries from {HELP_FILE.name} for: {', '.join(stale)}"


@pytest.mark.parametrize("code", sorted(_help()))
def test_help_entry_has_meaning_and_fix(code: str) -> None:
    entry = _help()[code]
    assert isinstance(entry, dict), f"{code}: write the entry as a table"
    assert set(entry) == {"meaning", "fix"}, f"{code}: use exactly the keys 'meaning' and 'fix'"
    for key in ("meaning", "fix"):
        value = entry[key]
        assert isinstance(value, str), f"{code}.{key} must be a string"
        assert value.strip(), f"{code}.{key} is empty"


def test_generated_framework_reference_shows_every_node_with_provenance() -> None:
    import importlib.util
    import sys

    pytest.importorskip("sphinx", reason="the docs extension needs the 'docs' extra")
    path = HELP_FILE.parent / "kc_frameworks.py"
    spec = importlib.util.spec_from_file_location("kc_frameworks", path)
    assert spec is not None
    assert spec.loader is not None
    ext = importlib.util.module_from_spec(spec)
    sys.modules["kc_frameworks"] = ext
    spec.loader.exec_module(ext)
    from kotacerdas import frameworks

    gm = ext.render_framework(frameworks.load("gm100sc@2024"))
    spbe = ext.render_framework(frameworks.load("spbe@2020"))
    subs = [f"{d}{i}" for d in "GBELSV" for i in (1, 2, 3)]
    for code in subs:
        assert f"### `{code}`" in gm, code
    for i in range(1, 48):
        assert f"### `I{i}`" in spbe, i
    assert gm.count("**Provenance**") >= 18 + 5
    assert spbe.count("**Provenance**") >= 47
    assert "not found in the sources consulted" in gm
    assert "not published" not in gm  # the record knows only what it searched
