"""Bundled editions, compiled: the validated framework objects, stored beside their sources.

Building a bundled edition from its TOML file runs the whole file path — pydantic
validation, the overlay merge, the semantic checks — which costs a fresh process about
a quarter of a second (most of it building pydantic's validators), every time a command
scores one file.  ``python -m kotacerdas._compiled`` runs that path once per edition and
stores the result in ``data/frameworks/compiled/``, together with the SHA-256 of every
file the result depends on: the edition's TOML file, the files it extends, and the
modules that build it.  A compiled edition is used only while every one of those files
is byte for byte the one it was built from; otherwise :mod:`kotacerdas.frameworks`
builds the edition from its source, so an edited file or a changed builder is never
answered from a stale store.  ``tests/test_compiled_editions.py`` fails while any
stored edition is stale, and checks that each equals the full build.

The store is a zlib-compressed pickle read with an unpickler that admits only the
model's own classes, so it can build nothing else.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import zlib
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, Final

from kotacerdas import model

FORMAT: Final = 1
"""The layout of a compiled file; a file of another format is ignored."""

_PACKAGE: Final = "kotacerdas"
_SOURCES: Final = "data/frameworks"
_STORE: Final = "data/frameworks/compiled"
_BUILDERS: Final = ("model.py", "_framework_file.py", "_schema.py", "_decimal.py", "frameworks.py")
"""The modules whose code decides what a framework file builds (paths in the package)."""

_ALLOWED: Final = frozenset(
    {
        *(
            ("kotacerdas.model", name)
            for name, value in vars(model).items()
            if isinstance(value, type) and value.__module__ == model.__name__
        ),
        ("kotacerdas.model", "_freeze_mapping"),
        ("decimal", "Decimal"),
        ("fractions", "Fraction"),
    }
)


def _file(path: str) -> Traversable:
    return resources.files(_PACKAGE).joinpath(*path.split("/"))


def _digest(path: str) -> str | None:
    try:
        return hashlib.sha256(_file(path).read_bytes()).hexdigest()
    except OSError:  # a module shipped without its source: never trust the store then
        return None


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a framework")
        return super().find_class(module, name)


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is MappingProxyType:  # no pickle support of its own
            return (model._freeze_mapping, (dict(obj),))
        return NotImplemented


def load(name: str) -> model.Framework | None:
    """The compiled edition of the bundled file *name* (``gm100sc@2024.toml``), if current."""
    try:
        data = _file(f"{_STORE}/{name.removesuffix('.toml')}.pickle").read_bytes()
    except OSError:
        return None
    return from_bytes(data)


def from_bytes(data: bytes) -> model.Framework | None:
    """The framework compiled into *data*, or ``None`` if it is stale, foreign or damaged."""
    try:
        unpickler = _Unpickler(io.BytesIO(zlib.decompress(data)))
        if not _current(unpickler.load()):
            return None
        framework = unpickler.load()
    except (zlib.error, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None
    return framework if isinstance(framework, model.Framework) else None


def _current(header: Any) -> bool:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        return False
    digests = header.get("sha256")
    if not isinstance(digests, dict) or not digests:
        return False
    return all(_digest(path) == digest for path, digest in digests.items())


def _sources(name: str) -> list[str]:
    """The bundled files *name* is built from: itself and the chain it extends."""
    import tomllib

    chain = [f"{_SOURCES}/{name}"]
    data = tomllib.loads(_file(chain[0]).read_text(encoding="utf-8"))
    base = data.get("extends")
    if isinstance(base, str):
        chain += _sources(f"{base.strip().lower()}.toml")
    return chain


def dump(name: str, framework: model.Framework) -> bytes:
    """The compiled form of *framework*, built from the bundled file *name*."""
    paths = [*_sources(name), *_BUILDERS]
    header = {"format": FORMAT, "sha256": {path: _digest(path) for path in paths}}
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=5)
    pickler.dump(header)
    pickler.dump(framework)
    return zlib.compress(buffer.getvalue(), 9)


def main() -> None:
    """Compile every bundled edition into the source tree (run from a checkout)."""
    from pathlib import Path

    from kotacerdas import frameworks

    store = Path(str(_file(_STORE)))
    store.mkdir(exist_ok=True)
    for old in store.glob("*.pickle"):
        old.unlink()
    for ref, name in frameworks._bundled().items():
        (store / f"{name.removesuffix('.toml')}.pickle").write_bytes(
            dump(name, frameworks._build_bundled(ref))
        )
        print(f"compiled {ref}")


if __name__ == "__main__":
    main()
