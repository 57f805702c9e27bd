"""Excel (.xlsx) import and export of the long score layout, through openpyxl (an extra).

Numbers are written as numbers with a number format that shows exactly their written
decimals (``3.60`` → ``0.00``), and read back through that format, so a round trip
keeps ``3.60`` as ``3.60``.  The sheet is turned into CSV text and read by the same
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
from kotacerdas.errors import FileReadError

_FORMAT = re.compile(r"^0(?:\.(0+))?$")


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
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        match = _FORMAT.match(cell.number_format or "")
        if match:
            decimals = len(match.group(1) or "")
            return format(from_float(value).quantize(Decimal(1).scaleb(-decimals)), "f")
        return repr(value)
    return str(value)


def read_xlsx(path: Path) -> str:
    """The first worksheet of *path* as CSV text."""
    openpyxl = _openpyxl()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise FileReadError("file.not-found", path=str(path)) from None
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileReadError("file.unreadable", path=str(path), reason=exc) from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows():
            writer.writerow([_cell_text(c) for c in row])
    finally:
        book.close()
    return out.getvalue()


def write_xlsx(path: Path, csv_text: str) -> None:
    """Write CSV text (the long layout) as a one-sheet workbook, numbers as numbers."""
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
                cell.value = text
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        book.save(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
