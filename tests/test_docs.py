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
