"""The compiled stores: current, equal to a fresh build, and never trusted blindly.

Bundled editions must equal the full build from their TOML files; the assessment-file
validators must give the models' verdict, data and problems on any document.
"""

from __future__ import annotations

import copy
import io
import json
import os
import pickle
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pydantic
import pydantic_core
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas import _assessment_models as models
from kotacerdas import _compiled, frameworks
from kotacerdas._boundary import problems_from

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = sorted(frameworks._bundled().items())
REGENERATE = "stale: run `python -m kotacerdas._compiled` and commit data/compiled"


@pytest.mark.parametrize(("ref", "name"), EDITIONS, ids=[str(r) for r, _ in EDITIONS])
def test_every_edition_is_compiled_current_and_equal_to_the_full_build(
    ref: frameworks.FrameworkRef, name: str
) -> None:
    compiled = _compiled.framework(name)
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
    assert _compiled.framework_from_bytes(_compiled.dump_framework(name, built)) == built


def test_a_changed_source_is_not_answered_from_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    ref, name = next((r, n) for r, n in EDITIONS if str(r) == "gm100sc@2024")
    data = _compiled.dump_framework(name, frameworks._build_bundled(ref))
    real = _compiled._digest
    monkeypatch.setattr(
        _compiled, "_digest", lambda path: "0" * 64 if path.endswith("@2021.toml") else real(path)
    )
    # 2024 extends 2021: an edit to the base makes the 2024 store stale too.
    assert _compiled.framework_from_bytes(data) is None
    assert _compiled.framework(name) is None
    frameworks._load_bundled.cache_clear()
    try:
        assert frameworks.load(ref) == frameworks._build_bundled(ref)
    finally:
        frameworks._load_bundled.cache_clear()


def test_a_missing_module_source_is_never_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    ref, name = EDITIONS[0]
    data = _compiled.dump_framework(name, frameworks._build_bundled(ref))
    monkeypatch.setattr(_compiled, "_digest", lambda path: None)
    assert _compiled.framework_from_bytes(data) is None


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
    assert _compiled.framework_from_bytes(data) is None


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


def _stored_core_version() -> str:
    stored = ROOT / "src" / "kotacerdas" / "data" / "compiled" / "assessment-file.pickle"
    header = _compiled._Unpickler(io.BytesIO(zlib.decompress(stored.read_bytes()))).load()
    return str(header["pydantic_core"])


def test_reading_an_assessment_builds_no_pydantic_model() -> None:
    if _stored_core_version() != pydantic_core.__version__:
        pytest.skip("the validators were stored with another pydantic-core: compiled at run time")
    code = (
        "import sys; from kotacerdas import assessment; "
        "assessment.read('examples/tabalong-2023.json'); print('pydantic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "False"


def test_the_registry_is_compiled_current_and_equal_to_the_full_build() -> None:
    from kotacerdas import regions

    compiled = _compiled.registry()
    assert compiled is not None, REGENERATE
    built = regions._build_registry()
    for field in attrs.fields(type(built)):  # Regions compare by identity: field by field
        assert getattr(compiled, field.name) == getattr(built, field.name), field.name
    assert compiled.resolve("Kabupaten Tabalong").code == "63.09"
    assert regions.regions().entries == built.entries


def test_the_registry_store_is_not_used_once_its_data_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = _compiled._digest
    monkeypatch.setattr(
        _compiled, "_digest", lambda path: "0" * 64 if path.endswith(".csv") else real(path)
    )
    assert _compiled.registry() is None


# -- the assessment-file validators ---------------------------------------------------------

_MODELS: dict[str, pydantic.TypeAdapter[Any]] = {
    "one": pydantic.TypeAdapter(models.AssessmentModel),
    "many": pydantic.TypeAdapter(models.Many),
    "wrapped": pydantic.TypeAdapter(models.AssessmentList),
}
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def _dumped(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [_dumped(v) for v in value]
    return value


def _outcome(validate: Callable[[Any], Any], data: Any) -> tuple[str, Any]:
    try:
        return "accepted", _dumped(validate(data))
    except pydantic_core.ValidationError as exc:
        return "refused", [(p.code, p.path, p.params) for p in problems_from(exc)]


def _both(shape: str, data: Any) -> tuple[tuple[str, Any], tuple[str, Any]]:
    compiled = _compiled.assessment_validators()[shape].validate_python
    return _outcome(compiled, data), _outcome(_MODELS[shape].validate_python, data)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def test_the_stored_validators_are_current() -> None:
    stored = ROOT / "src" / "kotacerdas" / "data" / "compiled" / "assessment-file.pickle"
    schemas = _compiled.schemas_from_bytes(stored.read_bytes())
    if _stored_core_version() != pydantic_core.__version__:
        assert schemas is None  # another pydantic-core: compiled at run time instead
        pytest.skip(f"stored with pydantic-core {_stored_core_version()}; this is another")
    assert schemas is not None, REGENERATE
    assert schemas == _compiled.assessment_schemas()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_validate_alike(path: Path) -> None:
    data = _read_json(path)
    shape = "many" if isinstance(data, list) else "wrapped" if "assessments" in data else "one"
    compiled, model = _both(shape, data)
    assert compiled[0] == "accepted"
    assert compiled == model


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.decimals(allow_nan=True, places=3),
    st.floats(),
    st.sampled_from(
        [
            "",
            "final",
            "tahap_1",
            "bad code!",
            "2023-06-12T10:00:00+08:00",
            "2023-06-12T10:00:00",
            "not a time",
            "accepted",
            "rejected",
            "online",
            "split",
            "published",
            "https://example.org/x",
            "0" * 64,
            "1",
        ]
    ),
    st.text(max_size=4),
)
_KEYS = st.sampled_from(
    [
        "$schema",
        "schema_",
        "format",
        "region",
        "year",
        "node",
        "value",
        "stage",
        "title",
        "decision",
        "status",
        "start",
        "responses",
        "answers",
        "mode",
        "meta",
        "extra",
    ]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3),
    max_leaves=6,
)


def _places(doc: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from _places(value, (*at, key))
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield from _places(value, (*at, i))


def _mutate(doc: Any, data: st.DataObject) -> Any:
    place = data.draw(st.sampled_from(list(_places(doc))))
    if not place:
        return data.draw(_VALUES)
    parent = doc
    for step in place[:-1]:
        parent = parent[step]
    last = place[-1]
    action = data.draw(st.sampled_from(["replace", "delete", "add"]))
    if action == "replace":
        parent[last] = data.draw(_VALUES)
    elif action == "delete":
        del parent[last]
    elif isinstance(parent[last], dict):
        parent[last][data.draw(_KEYS)] = data.draw(_VALUES)
    elif isinstance(parent[last], list):
        parent[last].append(data.draw(_VALUES))
    return doc


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_compiled_validators_agree_with_the_models(data: st.DataObject) -> None:
    """Any document, however broken: the same verdict, the same data, the same problems."""
    doc = copy.deepcopy(_read_json(data.draw(st.sampled_from(EXAMPLES))))
    if isinstance(doc, list):
        doc = doc[0]
    for _ in range(data.draw(st.integers(0, 3))):
        doc = _mutate(doc, data)
    shape = data.draw(st.sampled_from(["one", "many", "wrapped"]))
    wrapped = {"one": doc, "many": [doc], "wrapped": {"assessments": [doc]}}[shape]
    compiled, model = _both(shape, wrapped)
    assert compiled == model


def test_the_property_can_tell_validators_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """A compiled schema that lost a check (the year's range) is caught by the comparison."""
    schemas = _compiled.assessment_schemas()
    year = schemas["one"]["fields"]["year"]["schema"]
    schemas["one"]["fields"]["year"]["schema"] = year["schema"]  # the int, without the range
    weak = pydantic_core.SchemaValidator(schemas["one"])
    doc = _read_json(EXAMPLES[-1])
    if isinstance(doc, list):
        doc = doc[0]
    doc["year"] = 1066
    assert _outcome(weak.validate_python, doc) != _outcome(_MODELS["one"].validate_python, doc)


def test_a_model_feature_a_dict_cannot_keep_is_refused_when_compiling() -> None:
    class Checked(pydantic.BaseModel):
        x: int

        @pydantic.model_validator(mode="after")
        def _check(self) -> Checked:
            return self

    with pytest.raises(AssertionError, match="model validator"):
        _compiled.as_typed_dicts(pydantic.TypeAdapter(Checked).core_schema)
