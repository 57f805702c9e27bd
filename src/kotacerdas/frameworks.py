"""The framework registry: bundled editions, your own files, overlays and the file schema.

Bundled editions are data files inside the package (``kotacerdas/data/frameworks``),
one per edition, named ``ID@EDITION`` (``gm100sc@2024``, ``spbe@2020``):

>>> from kotacerdas import frameworks
>>> fw = frameworks.load("gm100sc@2024")
>>> fw.node("G1").label.get("en")
'Public service'
>>> [str(ref) for ref in frameworks.available() if ref.id == "gm100sc"][:2]
['gm100sc@2021', 'gm100sc@2022']

Loaded editions are cached, so loading one twice costs nothing and several editions
live side by side.  :func:`read` reads a framework or overlay file of your own
(TOML or JSON, same schema); an overlay names its base in ``extends`` and may change,
add or remove nodes.  :func:`write` writes a framework back to a file, :func:`from_data`
and :func:`to_data` convert between frameworks and parsed file data, and
:func:`json_schema` gives the JSON Schema editors use to check framework files as
you type.  The same verbs mean the same in :mod:`~kotacerdas.assessment` and
:mod:`~kotacerdas.crosswalks`: ``load`` takes a bundled name, ``read`` and ``write`` a
path, ``from_data`` and ``to_data`` parsed data.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Final

import attrs

from kotacerdas import _compiled, _files
from kotacerdas._arguments import expect, path_of
from kotacerdas._deprecation import renamed
from kotacerdas._resources import files
from kotacerdas.errors import FileReadError, FrameworkError, FrameworkNotFoundError, Problem
from kotacerdas.limits import MAX_EXTENDS
from kotacerdas.model import Framework

__all__ = [
    "FrameworkRef",
    "available",
    "from_data",
    "json_schema",
    "load",
    "parse_ref",
    "read",
    "to_data",
    "write",
]

_DATA: Final = "kotacerdas.data.frameworks"
_REF: Final = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*@\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*$")


@attrs.frozen(order=True)
class FrameworkRef:
    """A framework id and edition, written ``ID@EDITION``."""

    id: str
    edition: str

    def __str__(self) -> str:
        return f"{self.id}@{self.edition}"


def parse_ref(ref: str | FrameworkRef, edition: str | None = None) -> FrameworkRef:
    """Read ``"gm100sc@2024"`` (or ``"gm100sc"``, ``"2024"``) as a :class:`FrameworkRef`.

    Raises:
        FrameworkNotFoundError: *ref* is not of the form ``ID@EDITION``.
    """
    if isinstance(ref, FrameworkRef):
        return ref
    expect(ref, str, "frameworks.load", "ref")
    if edition is not None:
        expect(edition, str, "frameworks.load", "edition")
        ref = f"{ref}@{edition}"
    match = _REF.match(ref)
    if match is None:
        raise FrameworkNotFoundError("framework.ref", ref=ref, close=_close_editions(ref))
    return FrameworkRef(match[1].lower(), match[2].lower())


def _close_editions(text: str) -> tuple[str, ...]:
    """The bundled editions closest to *text*: an edition, or an id (then its editions)."""
    from kotacerdas._suggest import close

    refs = [str(r) for r in available()]
    found = close(text.strip(), refs)
    if found or "@" in text:
        return found
    ids = close(text.strip(), dict.fromkeys(r.id for r in available()), limit=1)
    return tuple(str(r) for r in reversed(available()) if r.id in ids)


@functools.cache
def _bundled() -> dict[FrameworkRef, str]:
    found: dict[FrameworkRef, str] = {}
    for entry in files(_DATA).iterdir():
        name = entry.name
        if name.endswith(".toml") and "@" in name:
            found[parse_ref(name.removesuffix(".toml"))] = name
    return dict(sorted(found.items()))


def available() -> tuple[FrameworkRef, ...]:
    """The bundled editions, sorted by id and edition."""
    return tuple(_bundled())


def load(ref: str | FrameworkRef, edition: str | None = None) -> Framework:
    """Load a bundled edition: ``load("gm100sc@2024")`` or ``load("gm100sc", "2024")``.

    Raises:
        FrameworkNotFoundError: no bundled edition has that id and edition.
        FrameworkError: the bundled file is invalid (a bug: please report it).
    """
    return _load_bundled(parse_ref(ref, edition))


@functools.cache
def _load_bundled(ref: FrameworkRef) -> Framework:
    name = _bundled().get(ref)
    if name is None:
        raise FrameworkNotFoundError(
            "framework.unknown",
            ref=str(ref),
            available=", ".join(map(str, available())),
            close=_close_editions(str(ref)),
        )
    compiled = _compiled.framework(name)
    return compiled if compiled is not None else _build_bundled(ref)


def _build_bundled(ref: FrameworkRef) -> Framework:
    """Build a bundled edition from its TOML source, through the whole file path.

    :func:`load` uses the edition compiled from the same source when it is current
    (see :mod:`kotacerdas._compiled`): the same framework, without the cost.
    """
    name = _bundled()[ref]
    text = files(_DATA).joinpath(name).read_text(encoding="utf-8")
    with _files.gc_paused():
        return from_data(_files.parse(text, "toml", name), name)


def from_data(data: Any, source: str = "<data>") -> Framework:
    """Build a framework from already-parsed file data (a dict, as from JSON or TOML).

    An overlay's ``extends`` is resolved against the bundled editions.

    Raises:
        FrameworkError: the data is invalid; every problem is listed.
    """
    from kotacerdas._framework_file import parse_file_data  # pydantic: only when reading a file

    with _files.gc_paused():
        return parse_file_data(data, source, load)


def read(path: str | os.PathLike[str]) -> Framework:
    """Load a framework or overlay file (``.toml`` or ``.json``).

    An overlay's ``extends`` names a bundled edition (``gm100sc@2024``) or a file
    relative to the overlay's own folder (``base.toml``, ``editions/base.json``);
    absolute paths, ``..`` and symbolic links out of that folder are refused
    (``overlay.extends-outside``), and so are circular or over-long chains
    (``overlay.chain``, at most :data:`~kotacerdas.limits.MAX_EXTENDS` files).

    Raises:
        FileReadError: the file is missing, unreadable, too large or not UTF-8.
        FileFormatError: the file is not valid TOML/JSON (with line and column).
        FrameworkError: the file does not describe a valid framework; every problem is
            listed with its path, e.g. ``nodes[0].children[2].weight``.
    """
    with _files.gc_paused():
        return _read(path_of(path, "frameworks.read"), ())


def _read(p: Path, chain: tuple[Path, ...]) -> Framework:
    data = _files.load(p)
    try:
        real = p.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # pragma: no cover - read just worked
        raise FileReadError("file.unreadable", path=str(p), reason=exc) from None
    chain = (*chain, real)

    def resolve(ref: str) -> Framework:
        # An overlay extends a bundled edition or a file in its own folder (or below it);
        # nothing else the process could read is ever opened.
        if not ref.lower().endswith((".toml", ".json")):
            return load(ref)
        base = _confined(p, ref)
        if base in chain or len(chain) > MAX_EXTENDS:
            names = " → ".join(str(c.name) for c in (*chain, base))
            raise FrameworkError(str(p), [Problem("overlay.chain", "extends", {"chain": names})])
        return _read(base, chain)

    from kotacerdas._framework_file import parse_file_data

    return parse_file_data(data, str(p), resolve)


def _confined(overlay: Path, ref: str) -> Path:
    """The real path of the base file *ref*, which must lie in the overlay's folder."""
    pure = PurePosixPath(ref.replace("\\", "/"))
    if pure.is_absolute() or PureWindowsPath(ref).drive or ".." in pure.parts:
        raise FrameworkError(
            str(overlay), [Problem("overlay.extends-outside", "extends", {"ref": ref})]
        )
    try:
        folder = overlay.parent.resolve()
        target = folder.joinpath(*pure.parts).resolve()
    except (OSError, RuntimeError, ValueError):  # a symbolic-link loop, a bad name
        raise FrameworkError(
            str(overlay), [Problem("overlay.extends-outside", "extends", {"ref": ref})]
        ) from None
    if folder not in target.parents:  # a symbolic link out of the folder
        raise FrameworkError(
            str(overlay), [Problem("overlay.extends-outside", "extends", {"ref": ref})]
        )
    return target


def to_data(framework: Framework, *, nested: bool = True) -> dict[str, Any]:
    """*framework* as file data, the inverse of :func:`from_data` (as ``assessment.to_data``).

    Nodes are nested under their parents by default, or flat with ``parent`` codes.

    >>> fw = load("gm100sc@2024")
    >>> from_data(to_data(fw)) == fw
    True
    """
    from kotacerdas._framework_file import to_file_dict

    expect(framework, Framework, "frameworks.to_data", "framework")
    return to_file_dict(framework, nested=nested)


def write(framework: Framework, path: str | os.PathLike[str], *, nested: bool = True) -> None:
    """Write *framework* to a ``.toml`` or ``.json`` file, atomically.

    ``read(path)`` reads back an equal framework.
    """
    p = path_of(path, "frameworks.write")
    expect(framework, Framework, "frameworks.write", "framework")
    fmt = _files.format_of(p)
    data = to_data(framework, nested=nested)
    if fmt == "json":
        data = {"$schema": "https://kotacerdas.readthedocs.io/schema/framework-1.json", **data}
        text = _files.dump_json(data)
    else:
        text = _files.dump_toml(data, header=f"{framework.ref}: {framework.title.id}")
    _files.write_atomic(p, text)


load_data = renamed(from_data, "load_data")
load_file = renamed(read, "load_file")
dump = renamed(write, "dump")


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of framework and overlay files."""
    from kotacerdas._framework_file import json_schema as file_schema

    return file_schema()


def iter_loaded() -> Iterator[Framework]:
    """Every bundled edition, loaded (for docs and tests)."""
    for ref in available():
        yield load(ref)
