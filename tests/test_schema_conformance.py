"""The published JSON Schemas accept what the loaders accept, checked by an independent validator.

Every bundled framework and crosswalk file, every example framework file in the docs and
the tests, and the example assessment must validate against the shipped schema with
``jsonschema`` (not pydantic, which generated the schema); files the loader refuses for
a schema reason must be refused by the schema too.
"""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kotacerdas import assessment, frameworks
from kotacerdas.errors import FrameworkError

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in the [test] extra")

ROOT = Path(__file__).resolve().parents[1]


def _shipped(name: str) -> dict[str, Any]:
    text = resources.files("kotacerdas.data.schema").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _validator(name: str) -> Any:
    schema = _shipped(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _read(path: Path) -> Any:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _bundled_framework_files() -> list[Path]:
    folder = resources.files("kotacerdas.data.frameworks")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".toml"))


def _example_framework_files() -> list[Path]:
    found = [
        *(ROOT / "docs" / "how-to" / "examples").glob("*.toml"),
        *(ROOT / "tests" / "data").glob("*.toml"),
    ]
    return sorted(p for p in found if not p.name.startswith("broken"))


FRAMEWORK_FILES = _bundled_framework_files() + _example_framework_files()


def test_there_is_something_to_check() -> None:
    assert len(_bundled_framework_files()) >= 6
    assert any("spbe@2020" in p.name for p in FRAMEWORK_FILES)


@pytest.mark.parametrize("path", FRAMEWORK_FILES, ids=lambda p: p.name)
def test_every_framework_file_the_loader_accepts_validates(path: Path) -> None:
    frameworks.read(path)  # the loader accepts it …
    errors = sorted(_validator("framework-1.json").iter_errors(_read(path)), key=str)
    # … and so does the published schema.
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_plain_string_texts_are_accepted_by_both() -> None:
    data = {
        "format": 1,
        "id": "contoh",
        "edition": "1",
        "title": "Contoh",
        "issuer": {"id": "Diskominfo", "en": "ICT office"},
        "provenance": {"confidence": "assumed", "note": "catatan sebagai teks biasa"},
        "nodes": [{"code": "A", "kind": "index", "label": "Indeks"}],
    }
    frameworks.from_data(data)
    assert _validator("framework-1.json").is_valid(data)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d.update(title=""), id="empty-text"),
        pytest.param(lambda d: d.update(title={"en": "no id"}), id="text-without-id"),
        pytest.param(lambda d: d["provenance"].update(confidence="likely"), id="confidence"),
        pytest.param(lambda d: d.update(unknown=1), id="extra-key"),
        pytest.param(lambda d: d["nodes"][0].update(weight="0.5"), id="weight-as-text"),
        pytest.param(lambda d: d["nodes"][0].update(weight=True), id="weight-as-bool"),
        pytest.param(lambda d: d.update(source_kind="tertiary"), id="source-kind"),
    ],
)
def test_what_the_loader_refuses_the_schema_refuses(mutate: Any) -> None:
    data: dict[str, Any] = {
        "format": 1,
        "id": "contoh",
        "edition": "1",
        "title": "Contoh",
        "issuer": "Diskominfo",
        "provenance": {"confidence": "assumed"},
        "nodes": [{"code": "A", "kind": "index", "label": "Indeks"}],
    }
    mutate(data)
    with pytest.raises(FrameworkError):
        frameworks.from_data(data)
    assert not _validator("framework-1.json").is_valid(data)


def test_broken_example_is_refused_by_both() -> None:
    path = ROOT / "docs" / "how-to" / "examples" / "broken-schema.toml"
    with pytest.raises(FrameworkError):
        frameworks.read(path)
    assert not _validator("framework-1.json").is_valid(_read(path))


def test_example_assessment_validates() -> None:
    path = ROOT / "examples" / "tabalong-2023.json"
    assessment.read(path)
    errors = list(_validator("assessment-1.json").iter_errors(_read(path)))
    assert not errors, errors[:3]
