"""Public functions refuse a wrong argument with the library's own error, never a traceback.

The error is an :class:`~kotacerdas.errors.ArgumentError` (also a ``TypeError`` and a
``ValueError``) or another :class:`~kotacerdas.errors.KotaCerdasError`, with a coded
message in both languages that names the function and the argument.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import (
    assessment,
    bag,
    coinr,
    crosswalks,
    evidence,
    frameworks,
    i18n,
    regions,
    reports,
    scoring,
    sensitivity,
    survey,
    validation,
)
from kotacerdas.assessment import Decision
from kotacerdas.errors import ArgumentError, KotaCerdasError
from kotacerdas.model import Confidence, Direction, SourceKind

SRC = Path(__file__).resolve().parents[1] / "src" / "kotacerdas"
FW = frameworks.load("spbe@2020")

CALLS: list[tuple[str, Callable[[], Any]]] = [
    ("frameworks.load(None)", lambda: frameworks.load(None)),  # type: ignore[arg-type]
    ("frameworks.load(2024)", lambda: frameworks.load("gm100sc", 2024)),  # type: ignore[arg-type]
    ("frameworks.read(None)", lambda: frameworks.read(None)),  # type: ignore[arg-type]
    ("frameworks.write(fw, 3)", lambda: frameworks.write(FW, 3)),  # type: ignore[arg-type]
    ("frameworks.to_data({})", lambda: frameworks.to_data({})),  # type: ignore[arg-type]
    ("crosswalks.load(1)", lambda: crosswalks.load(1)),
    ("crosswalks.read(b'x')", lambda: crosswalks.read(b"x")),  # type: ignore[arg-type]
    ("crosswalks.to_data(fw)", lambda: crosswalks.to_data(FW)),  # type: ignore[arg-type]
    ("assessment.read(None)", lambda: assessment.read(None)),  # type: ignore[arg-type]
    ("assessment.read_one(1.5)", lambda: assessment.read_one(1.5)),  # type: ignore[arg-type]
    ("assessment.to_data('x')", lambda: assessment.to_data("x")),  # type: ignore[arg-type]
    ("assessment.write(1, p)", lambda: assessment.write(1, "a.json")),  # type: ignore[arg-type]
    ("assessment.write([1], p)", lambda: assessment.write([1], "a.json")),  # type: ignore[list-item]
    ("scoring.score(None)", lambda: scoring.score(None)),  # type: ignore[arg-type]
    ("validation.validate({})", lambda: validation.validate({})),  # type: ignore[arg-type]
    ("regions.resolve(None)", lambda: regions.resolve(None)),  # type: ignore[arg-type]
    ("regions.get(63)", lambda: regions.get(63)),  # type: ignore[arg-type]
    ("regions.resolve_unit(1)", lambda: regions.resolve_unit(1)),  # type: ignore[arg-type]
    ("evidence.sha256_file(None)", lambda: evidence.sha256_file(None)),  # type: ignore[arg-type]
    ("evidence.resolve('.', None)", lambda: evidence.resolve(".", None)),  # type: ignore[arg-type]
    ("bag.verify(None)", lambda: bag.verify(None)),  # type: ignore[arg-type]
    ("coinr.read_coinr(None, x)", lambda: coinr.read_coinr(None, "x")),  # type: ignore[arg-type]
    ("coinr.log_CT([])", lambda: coinr.log_CT([])),
    ("coinr.log_CT([nan])", lambda: coinr.log_CT([float("nan")])),
    ("coinr.n_minmax([])", lambda: coinr.n_minmax([])),
    ("coinr.boxcox(x, [])", lambda: coinr.boxcox([1.0], [])),  # type: ignore[arg-type]
    ("coinr.a_copeland('x')", lambda: coinr.a_copeland("nonsense")),
    ("reports.write(None, p)", lambda: reports.write(None, "r.html")),  # type: ignore[arg-type]
    ("sensitivity.estimate", lambda: sensitivity.estimate("a", "b", "c")),
    ("sensitivity.estimate(0)", lambda: sensitivity.estimate(0, 0, 0)),
    ("survey.t_quantile(2, 3)", lambda: survey.t_quantile(2.0, 3)),
    ("survey.t_quantile(.5, 0)", lambda: survey.t_quantile(0.5, 0)),
    ("survey.t_quantile('x', 3)", lambda: survey.t_quantile("x", 3)),  # type: ignore[arg-type]
    ("i18n.message('nope')", lambda: i18n.message("no.such-code")),
]


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[n for n, _ in CALLS])
def test_a_wrong_argument_is_refused_with_a_coded_bilingual_message(
    name: str, call: Callable[[], Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing is written where the tests run
    with pytest.raises(KotaCerdasError) as info:
        call()
    error = info.value
    assert error.message("id") != error.message("en"), name
    assert not list(tmp_path.iterdir()), "a refused call wrote nothing"


def test_argument_errors_are_the_builtins_python_raises() -> None:
    with pytest.raises(ArgumentError) as info:
        assessment.read(None)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, ValueError)
    assert info.value.code == "argument.type"
    assert info.value.message("en") == (
        "assessment.read: argument path must be str | os.PathLike, not NoneType"
    )
    assert info.value.message("id") == (
        "assessment.read: argumen path harus bertipe str | os.PathLike, bukan NoneType"
    )


def test_the_library_raises_only_its_own_errors() -> None:
    """No ``raise ValueError(...)`` (or another builtin) anywhere in the library's source.

    ``NotImplementedError`` in abstract methods, ``AttributeError`` in a module's
    ``__getattr__`` and ``AssertionError`` on a path that cannot be reached are Python's
    protocols, not errors a user meets.
    """
    protocol = {"NotImplementedError", "AttributeError", "AssertionError"}
    builtin = {name for name in dir(builtins) if name.endswith(("Error", "Exception"))}
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                if isinstance(exc, ast.Name) and exc.id in builtin - protocol:
                    found.append(f"{path.name}:{node.lineno} raise {exc.id}")
    assert not found, found


@pytest.mark.parametrize(
    "choice", [Confidence, SourceKind, Direction, Decision], ids=lambda c: c.__name__
)
def test_an_unknown_enumeration_value_is_refused_in_our_words(choice: Any) -> None:
    first = next(iter(choice))
    assert choice(first.value) is first
    with pytest.raises(ArgumentError) as info:
        choice("no-such-value")
    assert info.value.code == "argument.value"
    assert isinstance(info.value, ValueError)  # what Enum raises: callers' handlers still work
    for member in choice:
        assert str(member.value) in str(info.value)
