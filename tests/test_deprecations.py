"""Renamed functions: the old name warns, names the new one, and returns the same thing."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import assessment, crosswalks, frameworks

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tabalong-2023.json"


def _same(old: Callable[..., Any], new: Callable[..., Any], *args: Any) -> None:
    with pytest.warns(
        DeprecationWarning, match=rf"{old.__name__} is deprecated.*use .*\.{new.__name__}$"
    ):
        got = old(*args)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert got == new(*args)


def test_framework_loaders_renamed(tmp_path: Path) -> None:
    fw = frameworks.load("spbe@2020")
    data = frameworks.to_data(fw)
    _same(frameworks.load_data, frameworks.from_data, data)
    frameworks.write(fw, tmp_path / "f.toml")
    _same(frameworks.load_file, frameworks.read, tmp_path / "f.toml")
    with pytest.warns(DeprecationWarning, match="frameworks.dump is deprecated"):
        frameworks.dump(fw, tmp_path / "g.json")
    assert frameworks.read(tmp_path / "g.json") == fw


def test_crosswalk_loaders_renamed(tmp_path: Path) -> None:
    cw = crosswalks.load("gm100sc--spbe")
    _same(crosswalks.load_data, crosswalks.from_data, crosswalks.to_data(cw))
    crosswalks.write(cw, tmp_path / "c.toml")
    _same(crosswalks.load_file, crosswalks.read, tmp_path / "c.toml")


def test_assessment_loaders_renamed(tmp_path: Path) -> None:
    _same(assessment.load, assessment.read, EXAMPLE)
    _same(assessment.load_one, assessment.read_one, EXAMPLE)
    one = assessment.read_one(EXAMPLE)
    with pytest.warns(DeprecationWarning, match="assessment.dump is deprecated"):
        assessment.dump(one, tmp_path / "a.json")
    assert assessment.read_one(tmp_path / "a.json") == one


@pytest.mark.parametrize("module", [assessment, crosswalks, frameworks])
def test_old_names_are_not_documented(module: Any) -> None:
    """The reference lists the new names only; the old ones point to them."""
    for old in ("load_one", "load_file", "load_data", "dump"):
        assert old not in module.__all__
        if hasattr(module, old):
            assert "Deprecated" in getattr(module, old).__doc__
    if module is not assessment:
        assert "load" in module.__all__  # a bundled edition or crosswalk, by name


@pytest.mark.parametrize("module", [assessment, crosswalks, frameworks])
@pytest.mark.parametrize("verb", ["read", "write", "from_data", "to_data", "json_schema"])
def test_one_vocabulary(module: Any, verb: str) -> None:
    """Every module of files has the same verbs: read/write paths, from_data/to_data data."""
    assert verb in module.__all__
    assert callable(getattr(module, verb))


def test_crosswalk_round_trips(tmp_path: Path) -> None:
    for name in crosswalks.available():
        cw = crosswalks.load(name)
        assert crosswalks.from_data(crosswalks.to_data(cw)) == cw
        for suffix in (".toml", ".json"):
            crosswalks.write(cw, tmp_path / f"{name}{suffix}")
            assert crosswalks.read(tmp_path / f"{name}{suffix}") == cw


def test_engine_takes_the_missing_data_words() -> None:
    """``fail``, ``omit`` and ``keep`` mean in a build what they mean in scoring and panels."""
    import numpy as np

    from kotacerdas.engine import Build, Dataset, Denominator, MissingPolicy, compute
    from kotacerdas.errors import EngineError

    assert Build(missing="keep").missing == MissingPolicy.keep()
    assert Build(missing="omit").missing == MissingPolicy.omit()
    assert Build(missing="fail").missing == MissingPolicy.fail()
    with pytest.raises(EngineError, match="keep"):
        Build(missing="drop")
    fw = frameworks.from_data(
        {
            "id": "t",
            "edition": "1",
            "title": "t",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "I",
                    "children": [
                        {"code": "a", "kind": "indicator", "label": "a"},
                        {"code": "b", "kind": "indicator", "label": "b"},
                    ],
                }
            ],
        }
    )
    data = Dataset(("u", "v"), ("a", "b"), np.array([[1.0, 3.0], [2.0, np.nan]]))
    kept = compute(fw, data, Build(normalise="identity", missing="keep")).score("I")
    omitted = compute(fw, data, Build(normalise="identity", missing="omit")).score("I")
    assert kept[0] == omitted[0] == 2.0
    assert np.isnan(kept[1])
    assert omitted[1] == 2.0
    with pytest.warns(DeprecationWarning, match=r'missing="leave".*missing="keep"'):
        old = Denominator("pop", missing="leave")
    assert old == Denominator("pop", missing="keep")
