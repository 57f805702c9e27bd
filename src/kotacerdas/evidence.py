"""Evidence integrity: SHA-256 of evidence files, checked under one base folder.

Regions keep their *eviden* in a folder; an assessment names each file by a path
relative to it and records its SHA-256.  :func:`verify` reports files that are
missing or changed since, and refuses any path that would leave the base folder
(``..``, absolute paths, symbolic links pointing elsewhere): an assessment file must
never make the library read files it was not pointed at.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath, PureWindowsPath

import attrs

from kotacerdas._arguments import expect, path_of
from kotacerdas._files import open_regular
from kotacerdas.assessment import Assessment, Evidence
from kotacerdas.errors import EvidencePathError, FileReadError
from kotacerdas.limits import MAX_PATH_CHARS
from kotacerdas.validation import Finding

__all__ = ["attach_hashes", "resolve", "sha256_file", "verify"]

_CHUNK = 1 << 20


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The hex SHA-256 of a file's bytes, read in chunks.

    Raises:
        FileReadError: the file is missing or unreadable.
    """
    path = path_of(path, "evidence.sha256_file")
    digest = hashlib.sha256()
    with open_regular(path) as fh:  # a FIFO or device is refused, never waited on
        try:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
        except OSError as exc:
            reason = exc.strerror or exc
            raise FileReadError("file.unreadable", path=str(path), reason=reason) from None
    return digest.hexdigest()


def resolve(base: str | os.PathLike[str], relative: str) -> Path:
    """The real path of *relative* under *base*, refusing anything that escapes *base*.

    Raises:
        EvidencePathError: *relative* is absolute, contains ``..``, or leads (through
            a symbolic link) outside *base*.
    """
    expect(relative, str, "evidence.resolve", "relative")
    base = path_of(base, "evidence.resolve", "base")
    if len(relative) > MAX_PATH_CHARS or "\0" in relative:
        raise EvidencePathError("evidence.path-invalid", path=relative[:80], limit=MAX_PATH_CHARS)
    if (
        not relative
        or PurePosixPath(relative).is_absolute()
        or PureWindowsPath(relative).is_absolute()
        or PureWindowsPath(relative).drive
        or relative.startswith(("/", "\\"))
    ):
        raise EvidencePathError("evidence.path-absolute", path=relative)
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if ".." in parts:
        raise EvidencePathError("evidence.path-parent", path=relative)
    try:
        root = Path(base).resolve()
        target = root.joinpath(*parts).resolve()
    except (OSError, RuntimeError, ValueError):  # a symbolic-link loop, a name too long
        raise EvidencePathError(
            "evidence.path-invalid", path=relative, limit=MAX_PATH_CHARS
        ) from None
    if target != root and root not in target.parents:
        raise EvidencePathError("evidence.path-outside", path=relative, base=str(root))
    return target


def verify(assessment: Assessment, base: str | os.PathLike[str]) -> tuple[Finding, ...]:
    """Check every evidence file of *assessment* under *base*.

    Returns findings (never raises for a bad item): ``evidence.path-*`` for paths that
    escape *base*, ``evidence.missing`` for files that are not there,
    ``evidence.changed`` for files whose SHA-256 differs from the recorded one, and
    ``evidence.unhashed`` (a warning) for files without a recorded SHA-256.
    """
    expect(assessment, Assessment, "evidence.verify", "assessment")
    _check_base(base)
    findings: list[Finding] = []
    for i, e in enumerate(assessment.evidence):
        if e.path is None:
            continue
        where = f"evidence[{i}].path"
        try:
            target = resolve(base, e.path)
        except EvidencePathError as exc:
            findings.append(Finding(exc.code, "error", where, dict(exc.params)))
            continue
        if not _exists(target):
            findings.append(Finding("evidence.missing", "error", where, {"path": e.path}))
            continue
        if e.sha256 is None:
            findings.append(
                Finding("evidence.unhashed", "warning", f"evidence[{i}].sha256", {"path": e.path})
            )
            continue
        try:
            actual = sha256_file(target)
        except FileReadError as exc:  # not a regular file, unreadable
            findings.append(Finding(exc.code, "error", where, dict(exc.params)))
            continue
        if actual != e.sha256.lower():
            findings.append(
                Finding(
                    "evidence.changed",
                    "error",
                    f"evidence[{i}].sha256",
                    {"path": e.path, "expected": e.sha256, "actual": actual},
                )
            )
    return tuple(findings)


def _check_base(base: str | os.PathLike[str]) -> None:
    """Refuse an evidence folder that does not exist (a usage error, not a finding per file)."""
    path_of(base, "evidence", "base")
    try:
        is_dir = Path(base).is_dir()
    except (OSError, ValueError):
        is_dir = False
    if not is_dir:
        raise FileReadError("evidence.dir-missing", path=os.fspath(base))


def _exists(target: Path) -> bool:
    try:
        return target.exists()
    except (OSError, ValueError):
        return False


def attach_hashes(assessment: Assessment, base: str | os.PathLike[str]) -> Assessment:
    """A copy of *assessment* with the SHA-256 of every local evidence file filled in.

    Raises:
        EvidencePathError: an evidence path escapes *base*.
        FileReadError: *base* is not a folder, or an evidence file is missing,
            unreadable or not a regular file.
    """
    _check_base(base)
    items: Iterable[Evidence] = (
        attrs.evolve(e, sha256=sha256_file(resolve(base, e.path))) if e.path else e
        for e in assessment.evidence
    )
    return attrs.evolve(assessment, evidence=tuple(items))
