"""Excel (.xlsx) import and export of the long score layout, through openpyxl (an extra).

Numbers are written as numbers with a number format that shows exactly their written
decimals (``3.60`` → ``0.00``).  They are read as stored, never rounded by the display
format: the shortest decimal of the stored double, padded with zeros to the format's
decimals when it has fewer (so a round trip keeps ``3.60`` as ``3.60``, and 3.125
shown as ``0.00`` reads 3.125).  The sheet is turned into CSV text and read by the same
parser as CSV files, so errors name the row and column in the same way.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from kotacerdas._decimal import from_float
from kotacerdas._files import atomic_writer, escape_cell, open_regular, unescape_cell
from kotacerdas._zip import inflate_all, open_zip
from kotacerdas.errors import FileReadError
from kotacerdas.limits import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS

_FORMAT = re.compile(r"^0(?:\.(0+))?$")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what XML 1.0 cannot hold


def _openpyxl() -> Any:
    try:
        import openpyxl  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the environment
        raise FileReadError("excel.missing") from None
    return openpyxl


def _cell_text(cell: Any) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return _number_text(value, cell.number_format or "")
    return str(value)


def _number_text(value: float, number_format: str) -> str:
    """A number as stored: the shortest decimal of the double, padded to the format's decimals.

    The display format never rounds (3.125 shown as ``0.00`` reads 3.125, so validation
    can report its third decimal); it only restores trailing zeros the double cannot
    keep (3.6 shown as ``0.00`` reads 3.60).
    """
    number = Decimal(value) if isinstance(value, int) else from_float(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    match = _FORMAT.match(number_format)
    if match:
        decimals = len(match.group(1) or "")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent < decimals:
            number = number.quantize(Decimal(1).scaleb(-decimals))
    return format(number, "f")


def read_xlsx(path: Path) -> str:
    """The first worksheet of *path* as CSV text, streamed row by row within the limits.

    Text cells are escaped as CSV output is (:func:`~kotacerdas._files.escape_cell`),
    so the CSV reader gives back exactly the text the workbook holds.
    """
    openpyxl = _openpyxl()
    name = str(path)
    with open_regular(path, limit=MAX_FILE_BYTES) as fh:
        check = open_zip(fh, name)
        inflate_all(check, name)
        check.close()
        fh.seek(0)
        try:
            book = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise FileReadError("file.unreadable", path=name, reason=exc) from None
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        try:
            sheet = book.worksheets[0]
            for number, row in enumerate(sheet.iter_rows(), start=1):
                if number > MAX_ROWS + 1:
                    raise FileReadError("xlsx.too-many-rows", path=name, limit=MAX_ROWS)
                writer.writerow([_checked(c, name) for c in row])
        except FileReadError:
            raise
        except Exception as exc:  # a truncated or malformed sheet, found while streaming
            raise FileReadError("file.unreadable", path=name, reason=exc) from None
        finally:
            book.close()
    return out.getvalue()


def _checked(cell: Any, name: str) -> str:
    text = _cell_text(cell)
    if len(text) > MAX_CELL_CHARS:
        raise FileReadError(
            "xlsx.cell-too-long",
            path=name,
            cell=getattr(cell, "coordinate", "?"),
            limit=MAX_CELL_CHARS,
        )
    return escape_cell(text) if isinstance(cell.value, str) else text


def write_xlsx(path: Path, csv_text: str) -> None:
    """Write CSV text (the long layout) as a one-sheet workbook, atomically.

    Numbers are numbers; every other cell is written as a string (never a formula, even
    when it starts with ``=``), with Excel's quote prefix so editing it keeps it text.
    """
    openpyxl = _openpyxl()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "scores"
    rows = list(csv.reader(io.StringIO(csv_text)))
    header = rows[0]
    numeric = {header.index(c) for c in ("year", "value") if c in header}
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if r > 1 and (c - 1) in numeric:
                number = Decimal(text)
                exponent = number.as_tuple().exponent
                decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                cell.value = int(number) if decimals == 0 else float(number)
                cell.number_format = "0" if decimals == 0 else "0." + "0" * decimals
            else:
                text = unescape_cell(text)
                bad = _ILLEGAL.search(text)
                if bad:  # XML 1.0 cannot carry them: refuse rather than drop them
                    raise FileReadError(
                        "xlsx.illegal-character",
                        path=str(path),
                        cell=cell.coordinate,
                        char=f"U+{ord(bad.group()):04X}",
                    )
                cell.value = text
                cell.data_type = "s"
                if _risky_start(cell.value):
                    cell.quotePrefix = True
    with atomic_writer(path) as fh:
        book.save(fh)


def _risky_start(text: str) -> bool:
    return escape_cell(text) != text
