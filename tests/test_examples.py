"""Every script in examples/ runs, and the bundled example behaves as the docs say."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from kotacerdas import assessment, evidence, scoring, validation

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.parametrize("script", sorted(EXAMPLES.glob("*.py")), ids=lambda p: p.name)
def test_example_script_runs(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(script), run_name="__main__")
    assert capsys.readouterr().out


def test_tabalong_2023() -> None:
    a = assessment.read_one(EXAMPLES / "tabalong-2023.json")
    assert a.region == "63.09"
    report = validation.validate(a)
    assert report.valid
    assert evidence.verify(a, EXAMPLES) == ()
    result = scoring.score(a)
    assert str(result.index.exact) == "3.38"
    assert result.consistency is not None
    assert result.consistency.consistent
    # Everything that was not published is labelled illustrative.
    assert all(s.illustrative for s in a.scores if s.node != "INDEX")
    assert all(x.illustrative for x in a.assessors)
    assert all(e.illustrative for e in a.evidence)
    assert all(s.illustrative for s in a.sessions)
    assert all(p.source for p in a.programmes)


def test_readme_main_command() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kotacerdas",
            "score",
            str(EXAMPLES / "tabalong-2023.json"),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Index: 3.38" in proc.stdout
    assert "[3.375 – 3.385]" in proc.stdout


def test_readme_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    monkeypatch.chdir(EXAMPLES.parent)
    failures, tried = doctest.testfile(
        str(EXAMPLES.parent / "README.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert tried > 5
    assert failures == 0
