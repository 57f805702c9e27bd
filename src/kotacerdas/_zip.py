"""Zip archives read within the limits: bombs and zip-slip refused before anything is unpacked.

Used for ``.xlsx`` workbooks (which openpyxl then streams) and zipped evidence bags.
The directory is checked first (entry count, declared unpacked size, compression ratio
of large entries, unsafe names and links); then reading counts the bytes actually
inflated, so an archive that lies about its sizes is refused too.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import BinaryIO, Final

from kotacerdas._files import atomic_writer
from kotacerdas.errors import FileReadError
from kotacerdas.limits import MAX_UNPACKED_BYTES, MAX_ZIP_ENTRIES, MAX_ZIP_RATIO

_RATIO_FLOOR: Final = 1 << 20
_CHUNK: Final = 1 << 20
_BROKEN: Final = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # an encrypted entry
    zlib.error,
)


def open_zip(fh: BinaryIO, name: str, *, max_bytes: int | None = None) -> zipfile.ZipFile:
    """Open a zip archive, refusing a bomb from its directory *before* inflating anything.

    Raises:
        FileReadError: ``zip.*`` for a bomb, ``file.unreadable`` for a broken archive.
    """
    max_bytes = MAX_UNPACKED_BYTES if max_bytes is None else max_bytes
    try:
        archive = zipfile.ZipFile(fh)
        entries = archive.infolist()
    except _BROKEN as exc:
        raise FileReadError("file.unreadable", path=name, reason=exc) from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise FileReadError(
            "zip.too-many-entries", path=name, count=len(entries), limit=MAX_ZIP_ENTRIES
        )
    declared = sum(e.file_size for e in entries)
    if declared > max_bytes:
        raise FileReadError("zip.too-large", path=name, size=declared, limit=max_bytes)
    for e in entries:
        if e.file_size > _RATIO_FLOOR and e.file_size > MAX_ZIP_RATIO * max(e.compress_size, 1):
            raise FileReadError("zip.ratio", path=name, entry=e.filename, limit=MAX_ZIP_RATIO)
    return archive


def inflate_all(archive: zipfile.ZipFile, name: str, *, max_bytes: int | None = None) -> None:
    """Inflate every entry once, in chunks and counted (CRCs checked), keeping nothing."""
    max_bytes = MAX_UNPACKED_BYTES if max_bytes is None else max_bytes
    total = 0
    try:
        for e in archive.infolist():
            with archive.open(e) as member:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise FileReadError("zip.too-large", path=name, size=total, limit=max_bytes)
    except FileReadError:
        raise
    except _BROKEN as exc:
        raise FileReadError("file.unreadable", path=name, reason=exc) from None


def safe_entries(archive: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    """The archive's entries, refusing any that could land outside the target (zip-slip).

    Refused: absolute paths, drive letters, ``..`` parts, backslashes, NUL characters,
    symbolic links and other special files, and two entries with the same name.
    """
    seen: set[str] = set()
    out: list[zipfile.ZipInfo] = []
    for e in archive.infolist():
        reason = _unsafe(e)
        key = e.filename.rstrip("/").casefold()
        if reason is None and key in seen:
            reason = "duplicate"
        if reason is not None:
            raise FileReadError("zip.unsafe-entry", path=name, entry=e.filename, reason=reason)
        seen.add(key)
        out.append(e)
    return out


def _unsafe(e: zipfile.ZipInfo) -> str | None:
    raw = e.filename
    if "\0" in raw or "\\" in raw:
        return "NUL or backslash"
    if raw.startswith("/") or PureWindowsPath(raw).drive or PurePosixPath(raw).is_absolute():
        return "absolute path"
    if ".." in PurePosixPath(raw).parts:
        return "'..'"
    mode = e.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return "symbolic link" if kind == stat.S_IFLNK else "special file"
    return None


def extract(
    archive: zipfile.ZipFile,
    entries: list[zipfile.ZipInfo],
    dest: Path,
    name: str,
    *,
    strip: str = "",
    max_bytes: int,
) -> None:
    """Write *entries* (from :func:`safe_entries`) under *dest*, counting inflated bytes.

    *strip* is a leading folder removed from every name.  Files get the mode the umask
    gives; nothing is executable, no link is created.
    """
    total = 0
    for e in entries:
        rel = e.filename[len(strip) :] if strip else e.filename
        if not rel or rel.endswith("/"):
            if rel:
                (dest / rel).mkdir(parents=True, exist_ok=True)
            continue
        target = dest.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(e) as member, atomic_writer(target) as out:
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise FileReadError("zip.too-large", path=name, size=total, limit=max_bytes)
                    out.write(chunk)
        except FileReadError:
            raise
        except _BROKEN as exc:
            raise FileReadError("file.unreadable", path=name, reason=exc) from None
