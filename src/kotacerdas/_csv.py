"""CSV text read within the library's own limits, not the csv module's.

The csv module refuses a field longer than its process-wide ``field_size_limit``
(131,072 characters unless some other code changed it) with a bare syntax error.  Cells
are bounded here by :data:`~kotacerdas.limits.MAX_CELL_CHARS` and rows by
:data:`~kotacerdas.limits.MAX_ROWS`, both checked while reading, and a crossing names
the line and column of the cell, whatever the csv module's own limit is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from kotacerdas.errors import FileFormatError, TableError
from kotacerdas.i18n import Phrase
from kotacerdas.limits import MAX_CELL_CHARS, MAX_ROWS


class CsvLimitError(Exception):
    """A cell longer than the limit (``column`` ≥ 1) or too many rows (``column`` 0)."""

    def __init__(self, line: int, column: int, header: list[str]) -> None:
        super().__init__(line, column)
        self.line = line
        self.column = column
        self.header = header

    def where(self, line: str = "line") -> Phrase:
        """``line N, column NAME`` (``column N`` where the header names none).

        *line* is ``"line"`` for a text file and ``"row"`` for a worksheet; the phrase is
        shown in the language of the message it is part of.
        """
        names = [h.strip() for h in self.header]
        named = self.column <= len(names) and names[self.column - 1]
        column = names[self.column - 1][:40] if named else str(self.column)
        if line == "row":
            return Phrase(("where.cell", {"row": self.line, "column": column}))
        return Phrase(("where.line-cell", {"line": self.line, "column": column}))


class CsvSyntaxError(Exception):
    """The csv module's own error, at the line it stopped on."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(line, reason)
        self.line = line
        self.reason = reason


def read(
    text: str,
    *,
    delimiter: str = ",",
    strict: bool = False,
    max_rows: int | None = None,
    max_chars: int = MAX_CELL_CHARS,
) -> tuple[list[list[str]], list[int]]:
    """Every row of *text* (the header first) and the line each row starts on.

    *max_chars* is ``MAX_CELL_CHARS`` but for text that escapes cells with one more
    character (a worksheet turned into CSV).

    Raises:
        CsvLimitError: a cell longer than *max_chars*, or more than *max_rows* (by
            default ``MAX_ROWS``) rows after the header.
        CsvSyntaxError: the text is not CSV.
    """
    max_rows = MAX_ROWS if max_rows is None else max_rows
    consumed = [0]  # characters the reader has taken, to find a record's start

    def physical_lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed[0] += len(line)
            yield line

    reader = csv.reader(physical_lines(), delimiter=delimiter, strict=strict)
    rows: list[list[str]] = []
    lines: list[int] = []
    end = start = 0
    try:
        for row in reader:
            if len(rows) > max_rows:  # the header and max_rows rows are read
                raise CsvLimitError(end + 1, 0, rows[0])
            for column, cell in enumerate(row, start=1):
                if len(cell) > max_chars:
                    raise CsvLimitError(end + 1, column, rows[0] if rows else row)
            lines.append(end + 1)
            rows.append(row)
            end, start = reader.line_num, consumed[0]
    except csv.Error as exc:
        overlong = _overlong_field(text, start, delimiter, max_chars)
        if overlong is not None:  # past the csv module's own field limit: the same refusal
            raise CsvLimitError(end + 1, overlong, rows[0] if rows else []) from None
        raise CsvSyntaxError(reader.line_num, str(exc)) from None
    return rows, lines


def table(text: str, path: str, *, strict: bool = False) -> tuple[list[list[str]], list[int]]:
    """:func:`read` for a data table, with the library's errors naming *path*.

    Raises:
        TableError: ``table.cell-too-long`` (line and column) or ``table.too-many-rows``.
        FileFormatError: ``file.syntax``, the text is not CSV.
    """
    try:
        return read(text, strict=strict)
    except CsvLimitError as exc:
        if not exc.column:
            raise TableError("table.too-many-rows", path=path, limit=MAX_ROWS) from None
        where = exc.where()
        raise TableError(
            "table.cell-too-long", path=path, where=where, limit=MAX_CELL_CHARS
        ) from None
    except CsvSyntaxError as exc:
        raise FileFormatError(
            "file.syntax", path=path, line=exc.line, column=1, format="CSV", reason=exc.reason
        ) from None


def _overlong_field(text: str, start: int, delimiter: str, max_chars: int) -> int | None:
    """The 1-based column of the first field longer than the limit in the record at *start*.

    Only called when the csv module gave up, so at most one record is scanned, and only
    until a field is found too long (or the record ends: ``None``, a different error).
    """
    column, length, quoted, i, n = 1, 0, False, start, len(text)
    while i < n:
        ch = text[i]
        i += 1
        if ch == '"' and quoted and text.startswith('"', i):
            i += 1  # a doubled quote inside a quoted field: one character
        elif ch == '"':
            quoted = not quoted
            continue
        elif not quoted and ch == delimiter:
            column, length = column + 1, 0
            continue
        elif not quoted and ch in "\r\n":
            return None
        length += 1
        if length > max_chars:
            return column
    return None
