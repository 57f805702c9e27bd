"""What the library compiles once and ships: bundled editions, validators, the region registry.

Three things cost a fresh process far more than the work they serve, every time a command
reads one file:

* **Bundled editions.** Building one from its TOML file runs the whole file path
  (pydantic validation, the overlay merge, the semantic checks).
* **Validators.** pydantic builds a model's validator when the class is made: importing
  its model machinery and generating schemas costs about 0.15 s before one document is read.
* **The region registry.** Reading 552 regions from their CSV and TOML files and indexing
  their names costs about 30 ms, paid by every command that shows a region's name.

``python -m kotacerdas._compiled`` runs them once and stores the results in
``data/compiled/``: each bundled edition's framework objects, the pydantic-core schemas
of the assessment-file models with every model made a typed dict (the same checks, in the
same order, with the same errors; plain dicts out), and the registry's objects.  Each store
records the SHA-256 of every file its result depends on — the sources and the modules that
build it — and the validators also record the pydantic-core version.  A store is used only
while all of these match; otherwise the library builds the result from the source, as
before, so an edited file, a changed builder or another pydantic never meets a stale store.
``tests/test_compiled.py`` fails while any store is stale and checks each equals a fresh build.

The stores are zlib-compressed pickles, read with an unpickler that admits only the
classes of the framework model and the registry, and the boundary's check functions.
"""

from __future__ import annotations

import functools
import hashlib
import io
import pickle
import zlib
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

from kotacerdas import model
from kotacerdas._resources import files

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from pydantic_core import SchemaValidator

    from kotacerdas.regions import Regions

FORMAT: Final = 1
"""The layout of a store; a store of another format is ignored."""

_PACKAGE: Final = "kotacerdas"
_SOURCES: Final = "data/frameworks"
_STORE: Final = "data/compiled"
_VALIDATORS: Final = "assessment-file"
_FRAMEWORK_BUILDERS: Final = (
    "model.py",
    "_framework_file.py",
    "_schema.py",
    "_boundary.py",
    "_decimal.py",
    "frameworks.py",
)
"""The modules whose code decides what a framework file builds (paths in the package)."""
_REGISTRY: Final = "regions"
_REGISTRY_BUILDERS: Final = (
    "data/regions/kemendagri-2025.csv",
    "data/regions/kemendagri-2025.toml",
    "regions.py",
    "_regions_data.py",
    "model.py",
)
"""The files the region registry is built from: its data and the modules that read it."""
_VALIDATOR_BUILDERS: Final = (
    "_assessment_models.py",
    "_assessment_file.py",
    "_schema.py",
    "_boundary.py",
    "_compiled.py",
    "assessment.py",
    "limits.py",
)
"""The modules whose code decides what the assessment-file validators check."""


_OWN: Final = frozenset({"kotacerdas.model", "kotacerdas._boundary", "kotacerdas.regions"})
"""Modules whose own classes and functions a store may name."""
_OTHERS: Final = frozenset(
    {("decimal", "Decimal"), ("fractions", "Fraction"), ("builtins", "list"), ("builtins", "dict")}
)


def _allowed(module: str, name: str) -> bool:
    if (module, name) in _OTHERS:
        return True
    if module not in _OWN:
        return False
    import importlib

    found = getattr(importlib.import_module(module), name, None)
    own = isinstance(found, type) or callable(found)
    return own and getattr(found, "__module__", None) == module


def _file(path: str) -> Traversable:
    return files(_PACKAGE).joinpath(*path.split("/"))


@functools.cache
def _digest(path: str) -> str | None:
    """The SHA-256 of a package file, read once per process (each store lists model.py …)."""
    try:
        return hashlib.sha256(_file(path).read_bytes()).hexdigest()
    except OSError:  # a module shipped without its source: never trust a store then
        return None


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if not _allowed(module, name):
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a compiled store")
        return super().find_class(module, name)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:  # no pickle support of its own
            return (model._freeze_mapping, (dict(obj),))
        return NotImplemented


def _dump(header: dict[str, Any], payload: object) -> bytes:
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=5)
    pickler.dump(header)
    pickler.dump(payload)
    return zlib.compress(buffer.getvalue(), 9)


def _read(data: bytes, **expected: str) -> Any:
    """The payload of store *data*, or ``None`` if it is stale, foreign or damaged."""
    try:
        unpickler = _Unpickler(io.BytesIO(zlib.decompress(data)))
        header = unpickler.load()
        if not _current(header) or any(header.get(k) != v for k, v in expected.items()):
            return None
        return unpickler.load()
    except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None


def _current(header: Any) -> bool:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return False
    digests = header.get("sha256")
    if not isinstance(digests, dict) or not digests:
        return False
    return all(_digest(path) == digest for path, digest in digests.items())


def _header(paths: list[str], **more: str) -> dict[str, Any]:
    return {"format": FORMAT, "sha256": {path: _digest(path) for path in paths}, **more}


def _stored(name: str) -> bytes | None:
    try:
        return _file(f"{_STORE}/{name}.pickle").read_bytes()
    except OSError:
        return None


# -- bundled editions ---------------------------------------------------------------------------


def framework(name: str) -> model.Framework | None:
    """The compiled edition of the bundled file *name* (``gm100sc@2024.toml``), if current."""
    data = _stored(name.removesuffix(".toml"))
    return None if data is None else framework_from_bytes(data)


def framework_from_bytes(data: bytes) -> model.Framework | None:
    """The framework compiled into *data*, or ``None`` if it is stale, foreign or damaged."""
    found = _read(data)
    return found if isinstance(found, model.Framework) else None


def _sources(name: str) -> list[str]:
    """The bundled files *name* is built from: itself and the chain it extends."""
    import tomllib

    chain = [f"{_SOURCES}/{name}"]
    data = tomllib.loads(_file(chain[0]).read_text(encoding="utf-8"))
    base = data.get("extends")
    if isinstance(base, str):
        chain += _sources(f"{base.strip().lower()}.toml")
    return chain


def dump_framework(name: str, built: model.Framework) -> bytes:
    """The compiled form of *built*, the edition built from the bundled file *name*."""
    return _dump(_header([*_sources(name), *_FRAMEWORK_BUILDERS]), built)


# -- the region registry ------------------------------------------------------------------------


def registry() -> Regions | None:
    """The compiled region registry, if current."""
    from kotacerdas.regions import Regions

    data = _stored(_REGISTRY)
    found = None if data is None else _read(data)
    return found if isinstance(found, Regions) else None


def dump_registry() -> bytes:
    """The compiled form of the region registry, built from its data files."""
    from kotacerdas import regions

    return _dump(_header(list(_REGISTRY_BUILDERS)), regions._build_registry())


# -- assessment-file validators -----------------------------------------------------------------


@functools.cache
def assessment_validators() -> dict[str, SchemaValidator]:
    """The validators of an assessment file: ``one`` document, ``many`` (a list), ``wrapped``.

    Each returns plain dicts: a document's fields by name, defaults filled in.
    """
    from pydantic_core import SchemaValidator

    data = _stored(_VALIDATORS)
    schemas = None if data is None else schemas_from_bytes(data)
    if schemas is None:
        schemas = assessment_schemas()
    return {shape: SchemaValidator(schema) for shape, schema in schemas.items()}


def _core_version() -> str:
    import pydantic_core

    return str(pydantic_core.__version__)


def schemas_from_bytes(data: bytes) -> dict[str, Any] | None:
    """The validator schemas stored in *data*, or ``None`` if stale, foreign or damaged."""
    found = _read(data, pydantic_core=_core_version())
    return found if isinstance(found, dict) else None


def assessment_schemas() -> dict[str, Any]:
    """The validator schemas, compiled now from the models (imports pydantic)."""
    from kotacerdas._assessment_models import core_schemas

    return {shape: as_typed_dicts(schema) for shape, schema in core_schemas().items()}


def dump_validators() -> bytes:
    """The compiled form of the assessment-file validators."""
    header = _header(list(_VALIDATOR_BUILDERS), pydantic_core=_core_version())
    return _dump(header, assessment_schemas())


_MODEL_KEYS: Final = frozenset({"type", "cls", "schema", "config", "ref", "metadata"})
_DROPPED: Final = frozenset({"metadata", "serialization", "serialization_alias", "cls"})


def as_typed_dicts(schema: Any) -> Any:
    """*schema* (pydantic-core's) with every model a typed dict: the same checks, dicts out.

    What only JSON Schema and serialisation read (``metadata``, ``serialization``) goes, and
    definitions are named by their model alone (pydantic adds the class's id, which differs
    between processes).  A model feature a dict cannot keep (a model validator, a custom
    ``__init__``, computed fields) is refused here, when compiling, never met at run time.
    """
    if isinstance(schema, list):
        return [as_typed_dicts(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    kind = schema.get("type")
    if kind == "model":
        inner = schema["schema"]
        features = {k for k, v in schema.items() if v} - _MODEL_KEYS
        if features or inner.get("type") != "model-fields" or inner.get("computed_fields"):
            raise AssertionError(f"{schema.get('ref')}: {sorted(features)} cannot be compiled")
        fields = {
            name: {
                "type": "typed-dict-field",
                "schema": as_typed_dicts(field["schema"]),
                "required": field["schema"].get("type") != "default",
                **(
                    {"validation_alias": field["validation_alias"]}
                    if "validation_alias" in field
                    else {}
                ),
            }
            for name, field in inner["fields"].items()
        }
        out: dict[str, Any] = {"type": "typed-dict", "fields": fields, "config": schema["config"]}
        if "ref" in schema:
            out["ref"] = schema["ref"].split(":")[0]
        return out
    if kind in {"function-after", "function-wrap", "function-plain"} and _model_inside(
        schema.get("schema")
    ):
        raise AssertionError("a model validator cannot be compiled into a typed dict")
    out = {k: as_typed_dicts(v) for k, v in schema.items() if k not in _DROPPED}
    for key in ("ref", "schema_ref"):
        if isinstance(out.get(key), str):
            out[key] = out[key].split(":")[0]
    return out


def _model_inside(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        schema.get("type") == "model" or _model_inside(schema.get("schema"))
    )


# -- writing the stores -------------------------------------------------------------------------


def main() -> None:
    """Compile every store into the source tree (run from a checkout)."""
    from pathlib import Path

    from kotacerdas import frameworks
    from kotacerdas._files import write_atomic

    store = Path(str(_file(_STORE)))
    store.mkdir(exist_ok=True)
    for old in store.glob("*.pickle"):
        old.unlink()
    for ref, name in frameworks._bundled().items():
        target = store / f"{name.removesuffix('.toml')}.pickle"
        write_atomic(target, dump_framework(name, frameworks._build_bundled(ref)))
        print(f"compiled {ref}")
    write_atomic(store / f"{_VALIDATORS}.pickle", dump_validators())
    print("compiled the assessment-file validators")
    write_atomic(store / f"{_REGISTRY}.pickle", dump_registry())
    print("compiled the region registry")


if __name__ == "__main__":
    main()
