"""Every CLI command over a corpus of broken and hostile files: no traceback, documented exit.

The corpus is ``tests/data/broken`` (one small file per case, named after it).  Each
command must end with an exit status of :class:`~kotacerdas.cli.ExitCode` and print its
errors as messages: an exception escaping :func:`~kotacerdas.cli.main` fails the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kotacerdas.cli import ExitCode, main

HERE = Path(__file__).resolve().parent
CORPUS = sorted((HERE / "data" / "broken").iterdir())
EXAMPLE = HERE.parent / "examples" / "tabalong-2023.json"
ENGINE_AB = HERE / "data" / "engine-ab.json"  # indicators a and b under one index
ASEM_META = HERE / "data" / "coinr-asem" / "iMeta.csv"

COMMANDS = [
    ("show", "{file}"),
    ("show", "{file}", "--format", "json"),
    ("validate", "{file}"),
    ("validate", "{file}", "--format", "json", "--lang", "en"),
    ("validate", "{file}", "--evidence-dir", str(HERE / "data" / "broken")),
    ("score", "{file}"),
    ("score", "{file}", "--format", "csv"),
    ("validate", str(EXAMPLE), "--framework", "{file}"),
    # the analysis commands read indicator data (or COINr's iData) into the engine
    ("uncertainty", "{file}", "--framework", str(ENGINE_AB), "--samples", "4", "--no-progress"),
    ("sensitivity", "{file}", "--framework", str(ENGINE_AB), "--samples", "4", "--no-progress"),
    ("uncertainty", "{file}", "--imeta", str(ASEM_META), "--samples", "4", "--no-progress"),
]


def test_the_corpus_is_there() -> None:
    assert len(CORPUS) >= 50


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_every_command_refuses_cleanly(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if path.suffix == ".xlsx":
        pytest.importorskip("openpyxl")
    for command in COMMANDS:
        argv = [arg.format(file=path) for arg in command]
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in set(ExitCode), argv
        assert "Traceback" not in out + err
        assert "\x1b" not in out + err, argv  # control characters are escaped
        if code in (ExitCode.USAGE, ExitCode.INPUT):
            assert err.startswith("kotacerdas: "), argv
