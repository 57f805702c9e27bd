"""Safe reading and atomic writing of the library's text files (TOML, JSON).

Parsers are the standard library's (:mod:`tomllib`, :mod:`json`): they never run
code from a file.  Floats are read as :class:`~decimal.Decimal`, so ``0.10`` stays
``0.10``.  Every failure becomes a :class:`~kotacerdas.errors.FileReadError` or
:class:`~kotacerdas.errors.FileFormatError` naming the file, line and column.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Final, Literal

from kotacerdas.errors import FileFormatError, FileReadError
from kotacerdas.limits import MAX_DEPTH, MAX_FILE_BYTES

if TYPE_CHECKING:
    import tomllib

Format = Literal["toml", "json"]


def format_of(path: Path) -> Format:
    """The format named by *path*'s suffix."""
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix == ".json":
        return "json"
    raise FileReadError("file.format", path=str(path))


def open_regular(path: str | os.PathLike[str], *, limit: int | None = None) -> BinaryIO:
    """Open *path* for binary reading, refusing anything but a regular file.

    A FIFO, device, socket or folder is refused before a byte is read (a FIFO would
    block the reader forever), and so is a file larger than *limit* bytes.  Bad names
    (a NUL byte, too long, a symbolic-link loop) become :class:`FileReadError` too.
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        raise FileReadError("file.not-found", path=name) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise FileReadError("file.unreadable", path=name, reason=_reason(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError("file.not-regular", path=name)
        if limit is not None and info.st_size > limit:
            raise FileReadError("file.too-large", path=name, size=info.st_size, limit=limit)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


_NONBLOCK: Final = getattr(os, "O_NONBLOCK", 0)
_BINARY: Final = getattr(os, "O_BINARY", 0)


def _reason(exc: BaseException) -> object:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else exc


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file *path*, refusing files over *limit* bytes."""
    with open_regular(path, limit=limit) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            name = os.fspath(path)
            raise FileReadError("file.unreadable", path=name, reason=_reason(exc)) from None
    if len(data) > limit:  # the file grew while we read it
        raise FileReadError("file.too-large", path=os.fspath(path), size=len(data), limit=limit)
    return data


def read_text(path: Path, *, limit: int = MAX_FILE_BYTES) -> str:
    """Read *path* as UTF-8 (a leading BOM is dropped), refusing oversized files."""
    return decode(read_bytes(path, limit=limit), str(path))


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 *data* from the file *name*, dropping a byte-order mark."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileReadError("file.encoding", path=name, offset=exc.start) from None
    return text.removeprefix("\ufeff")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def parse(text: str, fmt: Format, name: str) -> Any:
    """Parse *text* as *fmt*; *name* is used in error messages."""
    if not text.strip():
        raise FileFormatError("file.empty", path=name)
    if fmt == "toml":
        return _check_depth(_parse_toml(text, name), name)
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            "file.syntax",
            path=name,
            line=exc.lineno,
            column=exc.colno,
            format="JSON",
            reason=exc.msg,
        ) from None
    except _ConstantError as exc:
        line, col = _line_col(text, text.find(exc.constant))
        raise FileFormatError(
            "file.syntax",
            path=name,
            line=line,
            column=col,
            format="JSON",
            reason=f"{exc.constant} is not a number JSON allows",
        ) from None
    except _DuplicateKeyError:
        key, pos, first = _first_duplicate_key(text)
        line, col = _line_col(text, pos)
        raise FileFormatError(
            "file.duplicate-key",
            path=name,
            line=line,
            column=col,
            key=key,
            first=_line_col(text, first)[0],
        ) from None
    except RecursionError:
        raise FileFormatError("file.too-deep", path=name, limit=MAX_DEPTH) from None
    except ValueError as exc:  # an integer longer than Python converts (4,300 digits)
        raise FileFormatError(
            "file.syntax", path=name, line=0, column=0, format=fmt.upper(), reason=exc
        ) from None
    return _check_depth(data, name)


def _parse_toml(text: str, name: str) -> Any:
    import tomllib  # only when reading TOML

    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(exc)
        reason = str(exc).split(" (at ")[0]
        raise FileFormatError(
            "file.syntax", path=name, line=line, column=col, format="TOML", reason=reason
        ) from None
    except RecursionError:
        raise FileFormatError("file.too-deep", path=name, limit=MAX_DEPTH) from None
    except ValueError as exc:  # an integer longer than Python converts (4,300 digits)
        raise FileFormatError(
            "file.syntax", path=name, line=0, column=0, format="TOML", reason=exc
        ) from None


def _check_depth(data: Any, name: str) -> Any:
    if depth(data) > MAX_DEPTH:
        raise FileFormatError("file.too-deep", path=name, limit=MAX_DEPTH)
    return data


class _DuplicateKeyError(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, refusing a key given twice (no silent last-one-wins)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKeyError
    return out


_STRING_OR_BRACKET: Final = re.compile(r'["{}\[\],]')
_STRING: Final = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _first_duplicate_key(text: str) -> tuple[str, int, int]:
    """The first key given twice in one object of valid JSON *text*: key, offset, first offset."""
    stack: list[dict[str, int] | None] = []  # keys of each open object; None for arrays
    want_key = False
    match = _STRING_OR_BRACKET.search(text)
    while match is not None:
        pos, char = match.start(), match.group()
        end = pos + 1
        if char == '"':
            end = _string_end(text, pos)
            keys = stack[-1] if stack else None
            if want_key and keys is not None:
                key = json.loads(text[pos:end])
                if key in keys:
                    return key, pos, keys[key]
                keys[key] = pos
                want_key = False
        elif char == "{":
            stack.append({})
            want_key = True
        elif char == "[":
            stack.append(None)
        elif char in "]}":
            stack.pop()
        else:  # ","
            want_key = bool(stack) and stack[-1] is not None
        match = _STRING_OR_BRACKET.search(text, end)
    raise AssertionError("no duplicate key")  # pragma: no cover - called only after one


def _string_end(text: str, start: int) -> int:
    """The offset after the JSON string that opens at *start*."""
    match = _STRING.match(text, start)
    assert match is not None
    return match.end()


class _ConstantError(ValueError):
    def __init__(self, constant: str) -> None:
        self.constant = constant
        super().__init__(constant)


def _reject_constant(constant: str) -> Any:
    raise _ConstantError(constant)


def _toml_position(exc: tomllib.TOMLDecodeError) -> tuple[int, int]:
    lineno = getattr(exc, "lineno", None)
    colno = getattr(exc, "colno", None)
    if isinstance(lineno, int) and isinstance(colno, int):
        return lineno, colno
    # Python < 3.14 only puts the position in the message: "... (at line 3, column 7)".
    text = str(exc)
    try:
        tail = text.rsplit("(at line ", 1)[1]
        line_s, col_s = tail.rstrip(")").split(", column ")
        return int(line_s), int(col_s)
    except (IndexError, ValueError):
        return 0, 0


def depth(data: object) -> int:
    """Nesting depth of dicts and lists in *data*, computed without recursion.

    Level by level, keeping only the containers: the scalars, most of a document, are
    looked at once and never queued.
    """
    deepest = 0
    level: list[Any] = [data]
    while True:
        containers = [item for item in level if isinstance(item, dict | list)]
        if not containers:
            return deepest
        deepest += 1
        if deepest > MAX_DEPTH:
            return deepest
        level = []
        for item in containers:
            level.extend(item.values() if isinstance(item, dict) else item)


def load(path: str | os.PathLike[str]) -> Any:
    """Read and parse a TOML or JSON file, by its suffix."""
    p = Path(path)
    return parse(read_text(p), format_of(p), str(p))


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file's objects are built.

    Reading 2,000 assessments creates about a million dicts, models and domain objects,
    none of them in a reference cycle; each collection the allocations trigger walks every
    object alive, and took over half the time.  Collection resumes (if it was on) at the
    end, on success or error.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that replaces *path* when the ``with`` block ends without error.

    The data goes to a fresh temporary file in the target's folder (``mkstemp``: an
    unpredictable name, created exclusively, so a planted symbolic link is never
    followed), which is flushed, ``fsync``-ed and renamed over the target.  A reader
    sees the old file or the new one, never half; an interrupted writer leaves the
    old file as it was.  The new file gets the mode the old one had, or for a new file
    the mode the umask gives any file the user creates (not ``mkstemp``'s 0600).

    Raises:
        FileReadError: ``file.unwritable``, with the system's reason.
    """
    target = Path(path)
    try:
        import tempfile  # only when writing

        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except (OSError, ValueError) as exc:
        raise FileReadError("file.unwritable", path=str(target), reason=_reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _new_mode(target))
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FileReadError("file.unwritable", path=str(target), reason=_reason(exc)) from None
        raise
    _fsync_folder(target.parent)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write *data* (text as UTF-8, line ends as given) to *path* atomically."""
    with atomic_writer(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def _new_mode(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # pragma: no cover - systems without /proc
    os.umask(mask)  # pragma: no cover
    return mask  # pragma: no cover


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (where the system lets a folder be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


# -- spreadsheet cells ----------------------------------------------------------------------

FORMULA_STARTS: Final = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP's list)."""


def _risky(text: str) -> bool:
    return text.lstrip("'")[:1] in FORMULA_STARTS


def escape_cell(text: str) -> str:
    """*text* safe for a CSV cell: a leading ``'`` when a spreadsheet would run it.

    ``=1+1`` becomes ``'=1+1`` (shown as text, as OWASP recommends); text that already
    starts with quotes before such a character gets one more, so :func:`unescape_cell`
    gives back exactly *text*.
    """
    return "'" + text if _risky(text) else text


def unescape_cell(text: str) -> str:
    """The inverse of :func:`escape_cell`."""
    return text[1:] if text.startswith("'") and _risky(text[1:]) else text


def dump_json(data: Any) -> str:
    """Serialise *data* as indented JSON; decimals are written as exact JSON numbers.

    Raises:
        FileFormatError: a number is NaN or infinite, which JSON cannot hold
            (``file.not-finite``).
    """
    try:
        text = json.dumps(_jsonable(data), ensure_ascii=False, indent=2, allow_nan=False)
    except ValueError:  # a float NaN or infinity
        raise FileFormatError("file.not-finite", value="NaN/Infinity") from None
    return _DECIMAL_MARK.sub(r"\1", text) + "\n"


_MARK = "\x00kotacerdas-decimal\x00"
_DECIMAL_MARK = re.compile(r'"\\u0000kotacerdas-decimal\\u0000(-?[0-9]+(?:\.[0-9]+)?)"')


def _jsonable(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _jsonable(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_jsonable(v) for v in data]
    if isinstance(data, Decimal):
        if not data.is_finite():
            raise FileFormatError("file.not-finite", value=str(data))
        return _MARK + _decimal_text(data)
    return data


def _decimal_text(value: Decimal) -> str:
    """Plain positional notation (``1E+1`` → ``10``), which TOML and JSON both accept."""
    return format(value, "f")


# -- TOML writing ---------------------------------------------------------------------------

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _key(key: str) -> str:
    return key if key and set(key) <= _BARE else _string(key)


def _string(value: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; TOML also forbids a raw DEL.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_scalar(v)}" for k, v in value.items()) + " }"
    from kotacerdas.errors import ArgumentError

    raise ArgumentError(
        "argument.type",
        function="write",
        name="data",
        expected="TOML value",
        got=type(value).__name__,
    )


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _inline(value: dict[str, Any]) -> bool:
    return (
        all(
            not isinstance(v, dict | list) or (isinstance(v, list) and not _is_table_list(v))
            for v in value.values()
        )
        and len(_scalar(value)) <= 100
    )


def dump_toml(data: dict[str, Any], header: str = "") -> str:
    """Serialise a JSON-like dict (no ``None``) as TOML, tables after scalars."""
    lines: list[str] = [_comment(header)] if header else []
    _table(lines, (), data)
    return "\n".join(lines).lstrip("\n") + "\n"


def _comment(text: str) -> str:
    """A one-line TOML comment: control characters (which TOML forbids there) become spaces."""
    clean = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return f"# {clean}"


def _table(lines: list[str], prefix: tuple[str, ...], data: dict[str, Any]) -> None:
    tables: list[tuple[str, Any]] = []
    for key, value in data.items():
        if value is None:
            continue
        if _is_table_list(value) or (isinstance(value, dict) and not _inline(value)):
            tables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_scalar(value)}")
    for key, value in tables:
        path = (*prefix, key)
        dotted = ".".join(_key(k) for k in path)
        if isinstance(value, dict):
            lines.extend(("", f"[{dotted}]"))
            _table(lines, path, value)
        else:
            for item in value:
                lines.extend(("", f"[[{dotted}]]"))
                _table(lines, path, item)


def writer_for(fmt: Format) -> Callable[[dict[str, Any]], str]:
    """The serialiser for *fmt*."""
    return dump_toml if fmt == "toml" else dump_json
