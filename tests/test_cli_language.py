"""Every word the command line shows is in the language asked for, argparse's own too.

The language is ``--lang`` (looked for before parsing, so ``--help`` and usage errors
obey it) or ``KOTACERDAS_LANG``; argparse's own texts (``usage:``, ``options``, its
errors) come from the message catalogue like every other text.
"""

from __future__ import annotations

import argparse
import ast
import inspect
import re

import pytest

from kotacerdas.cli import _ARGPARSE_TEXTS, main
from kotacerdas.i18n import MESSAGES

COMMANDS = [
    [],
    ["frameworks"],
    ["show"],
    ["validate"],
    ["score"],
    ["report"],
    ["map"],
    ["migrate"],
    ["schema"],
    ["uncertainty"],
    ["sensitivity"],
    ["evidence"],
    ["evidence", "pack"],
    ["evidence", "verify"],
    ["evidence", "unpack"],
]

# Words of argparse's English and of the English help that must not reach an Indonesian
# reader, and Indonesian words that must not reach an English one.
ENGLISH = re.compile(
    r"\b(usage|positional arguments|options|show this help|example|default|"
    r"the|file|framework|edition|region|year|node|level)\b",
    re.IGNORECASE,
)
INDONESIAN = re.compile(
    r"\b(penggunaan|argumen|opsi|tampilkan|contoh|bawaan|berkas|kerangka|edisi|wilayah|"
    r"tahun|simpul|tingkat|yang|dan|atau)\b",
    re.IGNORECASE,
)
# Codes a reader types, which stay as they are in both languages.
CODES = re.compile(
    r"--[a-z-]+|\{[a-z_,]+\}|[\w.-]+\.(json|csv|xlsx|toml|zip|html)\b|kotacerdas \w+[^\n]*|"
    r"\bKOTACERDAS_LANG\b|\bTQDM_DISABLE=1\b|\bBagIt\b|\bRFC 8493\b|\bSHA-256\b|\bCOINr\b|"
    r"\biData\b|\biMeta\b|\bJSON Schema\b|\bHTML\b|\bPDF\b|\bChromium\b|\bSobol\b"
)


def _help(capsys: pytest.CaptureFixture[str], argv: list[str], *lang: str) -> str:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help", *lang])
    assert info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv) or "kotacerdas")
def test_help_is_in_one_language(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    indonesian = _help(capsys, argv, "--lang", "id")
    assert indonesian.startswith("penggunaan: kotacerdas")
    assert not ENGLISH.findall(CODES.sub(" ", indonesian)), indonesian
    english = _help(capsys, argv, "--lang", "en")
    assert english.startswith("usage: kotacerdas")
    assert not INDONESIAN.findall(CODES.sub(" ", english)), english


def test_help_follows_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOTACERDAS_LANG", "en")
    assert _help(capsys, ["score"]).startswith("usage: kotacerdas score")
    monkeypatch.setenv("KOTACERDAS_LANG", "id")
    assert _help(capsys, ["score"]).startswith("penggunaan: kotacerdas score")


@pytest.mark.parametrize(
    ("argv", "indonesian", "english"),
    [
        (["show", "--format", "xml", "x"], "pilihan 'xml' tidak dikenal", "unknown choice 'xml'"),
        (["report", "a.json", "--year", "2O23"], "harus bilangan bulat, bukan '2O23'", "whole"),
        (["score", "a.json", "--lev", "x"], "pilihan 'x' tidak dikenal", "unknown choice 'x'"),
        (["evidence", "pack", "a.json"], "argumen wajib tidak diberikan", "required arguments"),
        (["evidence", "pak"], "pilihan 'pak' tidak dikenal", "unknown choice 'pak'"),
    ],
)
def test_usage_errors_are_in_one_language(
    capsys: pytest.CaptureFixture[str], argv: list[str], indonesian: str, english: str
) -> None:
    assert main([*argv, "--lang", "id"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kotacerdas: penggunaan salah: ")
    assert indonesian in err
    assert not ENGLISH.findall(CODES.sub(" ", err)), err
    assert main([*argv, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kotacerdas: usage error: ")
    assert english in err


def test_argparse_is_left_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    before = vars(argparse)["_"]
    main(["score", "--lang", "id"])
    capsys.readouterr()
    assert vars(argparse)["_"] is before
    assert argparse.ArgumentParser(prog="p").format_usage() == "usage: p [-h]\n"


# argparse's texts that only a programmer's mistake shows, never a user of the command line.
_PROGRAMMER_ERRORS = re.compile(
    r"is not callable|'required' is an invalid|__call__|with mode|cannot have multiple|"
    r"cannot merge|conflicting|dest= is required|invalid conflict_resolution|"
    r"invalid option string|mutually exclusive arguments must|unexpected option string|"
    r"%\(prog\)s: error"  # the command line writes its errors itself
)


def test_every_text_argparse_shows_a_user_is_translated() -> None:
    """A newer Python's new argparse text fails here rather than reaching a reader in English."""
    tree = ast.parse(inspect.getsource(argparse))
    texts = {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "ngettext"}
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    shown = {t for t in texts if not _PROGRAMMER_ERRORS.search(t)}
    assert shown <= set(_ARGPARSE_TEXTS), sorted(shown - set(_ARGPARSE_TEXTS))


@pytest.mark.parametrize("text", sorted(_ARGPARSE_TEXTS))
def test_argparse_texts_keep_their_fields(text: str) -> None:
    fields = re.compile(r"%(?:\([a-z_]+\))?[rsd]")
    id_text, en_text = MESSAGES[_ARGPARSE_TEXTS[text]]
    assert sorted(fields.findall(id_text)) == sorted(fields.findall(text))
    assert sorted(fields.findall(en_text)) == sorted(fields.findall(text))
