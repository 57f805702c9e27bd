"""Evidence packages as BagIt bags (RFC 8493), made and checked with the ``bagit`` library.

A regency sends its assessment with the evidence folder behind it as one *bag*: the
evidence files are the payload (``data/``), listed with their SHA-256 in
``manifest-sha256.txt``; the assessment travels as a tag file
(``kotacerdas-assessment.json``, covered by ``tagmanifest-sha256.txt``) and in
``bag-info.txt`` fields.  An assessor checks the bag's completeness and fixity and gets
every missing, extra or changed file by name, and the assessment's own evidence checks
against the payload.

A bag can be a folder or a zip file (``.zip``).  Zipped bags are unpacked within the
limits of :mod:`kotacerdas.limits` (entry count, unpacked size, compression ratio), and an
entry with an absolute path, ``..``, a drive letter or a symbolic link is refused before
anything is written (zip-slip).  The ``bagit`` library is an optional extra:
``pip install 'kotacerdas[bag]'``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any, Final

import attrs

from kotacerdas import __version__, evidence
from kotacerdas import assessment as _assessment
from kotacerdas._arguments import path_of
from kotacerdas._files import atomic_writer, open_regular
from kotacerdas._zip import extract, open_zip, safe_entries
from kotacerdas.assessment import Assessment
from kotacerdas.errors import (
    EvidencePathError,
    FileReadError,
    InvalidInputError,
    Problem,
)
from kotacerdas.i18n import message
from kotacerdas.limits import MAX_BAG_BYTES, MAX_BAG_FILES, MAX_FILE_BYTES
from kotacerdas.validation import Finding

__all__ = ["ASSESSMENT_FILE", "BagError", "BagReport", "pack", "unpack", "verify"]

ASSESSMENT_FILE: Final = "kotacerdas-assessment.json"
"""The tag file that carries the assessment inside a bag."""

_CHUNK: Final = 1 << 20


class BagError(InvalidInputError):
    """A bag cannot be made: the assessment's evidence does not match the folder.

    Every problem is in :attr:`~kotacerdas.errors.InvalidInputError.problems`.
    """

    header = "bag.not-packed"


@attrs.frozen
class BagReport:
    """The result of checking a bag: its findings, by file name.

    Attributes:
        path: The bag checked (a folder or a ``.zip``).
        findings: ``bag.missing``, ``bag.extra`` and ``bag.changed`` for payload and tag
            files that are not as the manifests say, then the assessment's own evidence
            findings (:func:`kotacerdas.evidence.verify`) against the payload.
        info: The fields of ``bag-info.txt``.
        assessment: The assessment the bag carries, if any.
    """

    path: str
    findings: tuple[Finding, ...]
    info: Mapping[str, str] = attrs.field(factory=dict)
    assessment: Assessment | None = None

    def _named(self, code: str) -> tuple[str, ...]:
        return tuple(str(f.params["file"]) for f in self.findings if f.code == code)

    @property
    def missing(self) -> tuple[str, ...]:
        """Files the manifests list that are not in the bag."""
        return self._named("bag.missing")

    @property
    def extra(self) -> tuple[str, ...]:
        """Payload files no manifest lists."""
        return self._named("bag.extra")

    @property
    def changed(self) -> tuple[str, ...]:
        """Files whose checksum differs from the manifest's (or that cannot be read)."""
        return self._named("bag.changed")

    @property
    def valid(self) -> bool:
        """``True`` when the bag is complete, every checksum matches and no finding is an error."""
        return not any(f.severity == "error" for f in self.findings)

    def text(self, lang: str | None = None) -> str:
        """One line per finding, or a line saying the bag is complete and unchanged."""
        if not self.findings:
            return message("bag.ok", lang, path=self.path)
        return "\n".join(f"{f.path}: {f.message(lang)}" for f in self.findings)


def _bagit() -> Any:
    try:
        import bagit  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:  # pragma: no cover - depends on the environment
        raise FileReadError("bag.missing-library") from None
    return bagit


# -- making a bag -----------------------------------------------------------------------------


def pack(
    assessment: Assessment | str | os.PathLike[str],
    evidence_dir: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    info: Mapping[str, str] | None = None,
) -> Path:
    """Make a bag of *assessment* and the evidence folder, at *target* (a folder or ``.zip``).

    Every regular file under *evidence_dir* becomes payload (symbolic links only when they
    stay inside the folder); the assessment, with the SHA-256 of each evidence file
    filled in, becomes the tag file :data:`ASSESSMENT_FILE`.  *info* adds ``bag-info.txt``
    fields.  The bag is checked before it is put in place, and put there atomically.

    Raises:
        BagError: the assessment's evidence is missing or changed in *evidence_dir*.
        FileReadError: *evidence_dir* is not a folder, *target* exists as a folder or
            cannot be written, or a limit is crossed.
    """
    bagit = _bagit()
    a = assessment if isinstance(assessment, Assessment) else _assessment.read_one(assessment)
    base = path_of(evidence_dir, "bag.pack", "evidence_dir")
    findings = evidence.verify(a, base)  # also refuses a missing folder
    errors = [Problem(f.code, f.path, f.params) for f in findings if f.severity == "error"]
    if errors:
        raise BagError(str(base), errors)
    a = evidence.attach_hashes(a, base)
    out = path_of(target, "bag.pack", "target")
    zipped = out.suffix.lower() == ".zip"
    if not zipped and out.exists():
        raise FileReadError("bag.exists", path=str(out))
    try:
        work = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    except (OSError, ValueError) as exc:
        raise FileReadError("file.unwritable", path=str(out), reason=exc) from None
    try:
        root = work / (out.stem if zipped else out.name)
        root.mkdir()
        payload = _copy_payload(base, root / "data")
        fields = {
            "External-Identifier": f"{a.region} {a.year} {a.framework}@{a.edition}",
            "KotaCerdas-Region": a.region,
            "KotaCerdas-Year": str(a.year),
            "KotaCerdas-Framework": f"{a.framework}@{a.edition}",
            "KotaCerdas-Assessment": ASSESSMENT_FILE,
            "Bag-Software-Agent": f"kotacerdas {__version__} (bagit {bagit.VERSION})",
            **(info or {}),
        }
        try:
            _write_bag(root, a, fields, payload)
        except OSError as exc:
            raise FileReadError("bag.unreadable", path=str(out), reason=exc) from None
        report = verify(root)
        if not report.valid:  # pragma: no cover - a bug, or the folder changed meanwhile
            raise BagError(str(out), [Problem(f.code, f.path, f.params) for f in report.findings])
        if zipped:
            _zip_folder(root, out)
        else:
            try:
                os.rename(root, out)
            except OSError as exc:
                raise FileReadError("file.unwritable", path=str(out), reason=exc) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def _payload(base: Path) -> Iterator[tuple[str, Path]]:
    """``(relative name, real path)`` of every regular file under *base*, confined to it."""
    count = 0
    for folder, dirs, files in os.walk(base):
        dirs.sort()
        for name in sorted(files):
            rel = Path(folder, name).relative_to(base).as_posix()
            count += 1
            if count > MAX_BAG_FILES:
                raise FileReadError("bag.too-many-files", path=str(base), limit=MAX_BAG_FILES)
            yield rel, evidence.resolve(base, rel)


def _copy_payload(base: Path, data: Path) -> list[tuple[str, str, int]]:
    """Copy the payload into *data*, hashing while copying: ``(name, sha256, bytes)`` each."""
    listed: list[tuple[str, str, int]] = []
    data.mkdir()
    for rel, real in _payload(base):
        target = data.joinpath(*rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        with open_regular(real) as src, atomic_writer(target) as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        listed.append((f"data/{rel}", digest.hexdigest(), size))
    return listed


def _write_bag(
    root: Path, a: Assessment, fields: Mapping[str, str], payload: list[tuple[str, str, int]]
) -> None:
    """Write the tag files of a BagIt 1.0 bag whose payload is already in ``root/data``.

    Written here rather than by ``bagit.make_bag``, which changes the process's working
    folder while it runs (surprising in a library, and unsafe with threads); ``bagit``
    reads the result back in :func:`verify`.  Names are encoded as ``bagit`` decodes them
    (CR and LF as ``%0D`` and ``%0A``).
    """
    size = sum(n for _, _, n in payload)
    info = {
        "Bagging-Date": date.today().isoformat(),
        "Payload-Oxum": f"{size}.{len(payload)}",
        **fields,
    }
    (root / "bagit.txt").write_text(
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
    )
    (root / "bag-info.txt").write_text(
        "".join(f"{k}: {_one_line(str(v))}\n" for k, v in sorted(info.items())), encoding="utf-8"
    )
    (root / "manifest-sha256.txt").write_text(
        "".join(f"{h}  {_encoded(rel)}\n" for rel, h, _ in payload), encoding="utf-8"
    )
    _assessment.write(a, root / ASSESSMENT_FILE)
    tags = ("bagit.txt", "bag-info.txt", "manifest-sha256.txt", ASSESSMENT_FILE)
    lines = [f"{hashlib.sha256((root / t).read_bytes()).hexdigest()}  {t}\n" for t in tags]
    (root / "tagmanifest-sha256.txt").write_text("".join(lines), encoding="utf-8")


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "")


def _encoded(name: str) -> str:
    return name.replace("\r", "%0D").replace("\n", "%0A")


def _zip_folder(root: Path, out: Path) -> None:
    with atomic_writer(out) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder, name)
                archive.write(path, f"{root.name}/{path.relative_to(root).as_posix()}")


# -- checking a bag ---------------------------------------------------------------------------


def verify(bag: str | os.PathLike[str]) -> BagReport:
    """Check a bag (a folder or a ``.zip``): completeness, fixity and the assessment's evidence.

    Returns a report (never raises for a missing, extra or changed file: those are its
    findings).

    Raises:
        FileReadError: *bag* is missing, not a bag, or crosses a limit; a zipped bag
            with an unsafe entry (``zip.unsafe-entry``).
    """
    path = path_of(bag, "bag.verify", "bag")
    if path.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            root = _unpack_into(path, Path(tmp) / "bag")
            report = _verify_folder(root)
        return attrs.evolve(report, path=str(path))
    if not path.is_dir():
        raise FileReadError("file.not-found", path=str(path))
    return _verify_folder(path)


def _verify_folder(root: Path) -> BagReport:
    bagit = _bagit()
    name = str(root)
    if not (root / "bagit.txt").is_file() or not (root / "data").is_dir():
        raise FileReadError("bag.unreadable", path=name, reason="no bagit.txt or data/")
    for tag in root.iterdir():  # tag files are read whole by bagit: regular and small only
        if tag.name != "data" and (tag.is_symlink() or not tag.is_file()):
            raise FileReadError("bag.unreadable", path=name, reason=f"{tag.name}: not a file")
        if tag.name != "data" and tag.stat().st_size > MAX_FILE_BYTES:
            raise FileReadError(
                "file.too-large", path=str(tag), size=tag.stat().st_size, limit=MAX_FILE_BYTES
            )
    try:
        bag = bagit.Bag(name)
        only_listed, only_present = bag.compare_manifests_with_fs()
        entries: dict[str, dict[str, str]] = dict(bag.entries)
        info = {str(k): str(v) for k, v in bag.info.items()}
    except (bagit.BagError, OSError, UnicodeError, ValueError, KeyError, IndexError) as exc:
        raise FileReadError("bag.unreadable", path=name, reason=exc) from None
    missing = set(only_listed)
    findings: list[Finding] = []
    for rel in sorted(entries):
        if rel not in missing and not (root / rel).exists():
            missing.add(rel)
    findings += [Finding("bag.missing", "error", rel, {"file": rel}) for rel in sorted(missing)]
    findings += [Finding("bag.extra", "error", rel, {"file": rel}) for rel in sorted(only_present)]
    for rel, hashes in sorted(entries.items()):
        if rel in missing:
            continue
        reason = _fixity(root, rel, hashes)
        if reason is not None:
            findings.append(Finding("bag.changed", "error", rel, {"file": rel, "reason": reason}))
    carried = None
    if (root / ASSESSMENT_FILE).is_file():
        carried = _assessment.read_one(root / ASSESSMENT_FILE)
        findings += evidence.verify(carried, root / "data")
    return BagReport(name, tuple(findings), info, carried)


def _fixity(root: Path, rel: str, hashes: Mapping[str, str]) -> str | None:
    """``None`` when the file matches every checksum, else why not."""
    try:
        real = evidence.resolve(root, rel)
        digests = {alg: hashlib.new(alg) for alg in hashes}
        with open_regular(real) as fh:
            while chunk := fh.read(_CHUNK):
                for d in digests.values():
                    d.update(chunk)
    except (EvidencePathError, FileReadError) as exc:
        return exc.message("en")
    except ValueError as exc:  # an unknown checksum algorithm
        return str(exc)
    for alg, expected in hashes.items():
        if digests[alg].hexdigest() != expected.lower():
            return f"{alg} {digests[alg].hexdigest()} ≠ {expected.lower()}"
    return None


# -- unpacking a zipped bag ---------------------------------------------------------------------


def unpack(archive: str | os.PathLike[str], dest: str | os.PathLike[str]) -> BagReport:
    """Unpack a zipped bag into the new folder *dest* and check it.

    The archive is refused before anything is written when it crosses a limit or has an
    unsafe entry; *dest* appears only when the whole bag is unpacked (atomically, by a
    rename).  The report says whether the bag is complete and unchanged.

    Raises:
        FileReadError: the archive is missing, broken, unsafe or too large, or *dest*
            exists.
    """
    out = path_of(dest, "bag.unpack", "dest")
    archive = path_of(archive, "bag.unpack", "archive")
    if out.exists():
        raise FileReadError("bag.exists", path=str(out))
    try:
        work = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    except (OSError, ValueError) as exc:
        raise FileReadError("file.unwritable", path=str(out), reason=exc) from None
    try:
        root = _unpack_into(Path(archive), work / "bag")
        report = _verify_folder(root)
        try:
            os.rename(root, out)
        except OSError as exc:
            raise FileReadError("file.unwritable", path=str(out), reason=exc) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return attrs.evolve(report, path=str(out))


def _unpack_into(archive: Path, dest: Path) -> Path:
    name = str(archive)
    with open_regular(archive, limit=MAX_BAG_BYTES) as fh:
        zf = open_zip(fh, name, max_bytes=MAX_BAG_BYTES)
        entries = safe_entries(zf, name)
        if len(entries) > MAX_BAG_FILES + 16:
            raise FileReadError("bag.too-many-files", path=name, limit=MAX_BAG_FILES)
        tops = {e.filename.split("/", 1)[0] for e in entries}
        strip = ""
        if len(tops) == 1 and all("/" in e.filename for e in entries):
            strip = next(iter(tops)) + "/"
        dest.mkdir(parents=True)
        extract(zf, entries, dest, name, strip=strip, max_bytes=MAX_BAG_BYTES)
    return dest
