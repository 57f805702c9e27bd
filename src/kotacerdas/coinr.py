"""Read COINr's tables (``iData`` and ``iMeta``) as a framework and a data set.

COINr, the EU JRC's R package for composite indicators, describes an index with two
tables: ``iMeta``, one row per indicator, aggregate, group or denominator (``iCode``,
``Level``, ``Parent``, ``Direction``, ``Weight``, ``Type``; optional ``iName``,
``Unit``, ``Target``), and ``iData``, wide data with one row per unit (``uCode``,
optional ``uName`` and ``Time``) and a column per indicator, group or denominator.
Exported as CSV (``write.csv(ASEM_iMeta, "iMeta.csv", row.names = FALSE)``), they
read here as a normal :class:`~kotacerdas.model.Framework` (weights ``relative``, as
COINr's are) and a :class:`~kotacerdas.engine.Dataset`, ready for
:func:`kotacerdas.engine.compute`:

>>> from kotacerdas.coinr import read_coinr
>>> fw, data = read_coinr("tests/data/coinr-asem/iData.csv", "tests/data/coinr-asem/iMeta.csv")
>>> fw.index, len(fw.leaves()), data.shape
('Index', 49, (51, 1, 53))

Every problem is reported with the file, row (the header is row 1) and column.

It also holds COINr's vector functions under their COINr names and arguments, so a
COINr script ports function by function — normalisation (``n_minmax``, ``n_zscore``,
``n_rank``, ``n_borda``, ``n_prank``, ``n_fracmax``, ``n_dist2max``, ``n_dist2ref``,
``n_dist2targ``, ``n_goalposts``, ``n_scaled``), imputation (``i_mean``, ``i_median``,
``i_mean_grp``, ``i_median_grp``), aggregation (``a_amean``, ``a_gmean``, ``a_hmean``,
``a_genmean``, ``a_copeland``, ``outrankMatrix``) and outlier treatment (``skew``,
``kurt``, ``check_SkewKurt``, ``winsorise``, ``log_CT`` …, ``boxcox``):

>>> from kotacerdas import coinr
>>> coinr.n_minmax([1, 3, None, 2]).tolist()
[0.0, 100.0, nan, 50.0]
>>> coinr.n_rank([3, 1, 3], ties_method="average").tolist()
[2.5, 1.0, 2.5]
>>> coinr.a_amean([1, None, 3], w=[1, 1, 2])
2.3333333333333335

See :doc:`/reference/coinr-map` for every COINr function and build step and its
kotacerdas equivalent.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, Literal, NamedTuple

import numpy as np

from kotacerdas import _csv, _files, frameworks
from kotacerdas._arguments import path_of
from kotacerdas._boundary import CODE_PATTERN
from kotacerdas._coinr_functions import (
    a_amean,
    a_copeland,
    a_genmean,
    a_gmean,
    a_hmean,
    boxcox,
    check_SkewKurt,
    i_mean,
    i_mean_grp,
    i_median,
    i_median_grp,
    kurt,
    log_CT,
    log_CT_orig,
    log_CT_plus,
    n_borda,
    n_dist2max,
    n_dist2ref,
    n_dist2targ,
    n_fracmax,
    n_goalposts,
    n_minmax,
    n_prank,
    n_rank,
    n_scaled,
    n_zscore,
    outrankMatrix,
    skew,
    winsorise,
)
from kotacerdas.engine import Dataset, Denominator
from kotacerdas.engine._util import Period, period_key
from kotacerdas.errors import FileFormatError, TableError
from kotacerdas.model import Framework

__all__ = [
    "COINR_URL",
    "CoinrInput",
    "a_amean",
    "a_copeland",
    "a_genmean",
    "a_gmean",
    "a_hmean",
    "boxcox",
    "check_SkewKurt",
    "i_mean",
    "i_mean_grp",
    "i_median",
    "i_median_grp",
    "kurt",
    "log_CT",
    "log_CT_orig",
    "log_CT_plus",
    "n_borda",
    "n_dist2max",
    "n_dist2ref",
    "n_dist2targ",
    "n_fracmax",
    "n_goalposts",
    "n_minmax",
    "n_prank",
    "n_rank",
    "n_scaled",
    "n_zscore",
    "outrankMatrix",
    "read_coinr",
    "read_denominators",
    "skew",
    "winsorise",
]

COINR_URL: Final = "https://github.com/bluefoxr/COINr"
"""Where COINr and its table formats are documented."""

_TYPES: Final = ("Indicator", "Aggregate", "Group", "Denominator", "Other")
_CODE: Final = re.compile(CODE_PATTERN)
_MISSING: Final = frozenset({"", "na", "nan"})


class CoinrInput(NamedTuple):
    """A framework and its data, read from COINr's tables."""

    framework: Framework
    data: Dataset


class _Row(NamedTuple):
    line: int
    cells: dict[str, str]


def _rows(path: Path, required: tuple[str, ...], table: str) -> tuple[list[str], list[_Row]]:
    text = _files.read_text(path)
    if not text.strip():
        raise FileFormatError("file.empty", path=str(path))
    grid, lines = _csv.table(text, str(path), strict=True)
    header = [h.strip() for h in grid[0]] if grid else []
    rows: list[_Row] = []
    for line, cells in zip(lines[1:], grid[1:], strict=True):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise TableError(
                "coinr.row-length",
                path=str(path),
                row=line,
                got=len(cells),
                expected=len(header),
            )
        rows.append(_Row(line, dict(zip(header, cells, strict=True))))
    seen: set[str] = set()
    for h in header:
        if h in seen:
            raise TableError(
                "coinr.duplicate", path=str(path), row=1, column="header", value=h, first=1
            )
        seen.add(h)
    for column in required:
        if column not in seen:
            raise TableError("coinr.column-missing", path=str(path), column=column, table=table)
    if not rows:
        raise TableError("coinr.empty", path=str(path))
    return header, rows


def _number(text: str, path: Path, row: int, column: str) -> float:
    s = text.strip()
    if s.lower() in _MISSING:
        return math.nan
    try:
        value = float(s)
    except ValueError:
        raise TableError("coinr.number", path=str(path), row=row, column=column, value=s) from None
    if not math.isfinite(value):
        raise TableError("coinr.number", path=str(path), row=row, column=column, value=s)
    return value


def _decimal(text: str, path: Path, row: int, column: str) -> Decimal | None:
    s = text.strip()
    if s.lower() in _MISSING:
        return None
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise TableError("coinr.number", path=str(path), row=row, column=column, value=s) from None
    if not value.is_finite():
        raise TableError("coinr.number", path=str(path), row=row, column=column, value=s)
    return value


class _Meta(NamedTuple):
    row: int
    code: str
    type: str
    level: int | None
    parent: str | None
    name: str
    direction: int
    weight: Decimal | None
    target: Decimal | None
    unit: str | None


def _read_meta(path: Path) -> list[_Meta]:
    _, rows = _rows(path, ("iCode", "Level", "Parent", "Direction", "Weight", "Type"), "iMeta")
    metas: list[_Meta] = []
    first: dict[str, int] = {}
    for line, cells in rows:
        code = cells["iCode"].strip()
        kind = next((t for t in _TYPES if t.lower() == cells["Type"].strip().lower()), None)
        if kind is None:
            raise TableError(
                "coinr.choice",
                path=str(path),
                row=line,
                column="Type",
                value=cells["Type"],
                choices=", ".join(_TYPES),
            )
        if not _CODE.match(code):
            raise TableError("coinr.code", path=str(path), row=line, code=code)
        if code in first:
            raise TableError(
                "coinr.duplicate",
                path=str(path),
                row=line,
                column="iCode",
                value=code,
                first=first[code],
            )
        first[code] = line
        level: int | None = None
        direction = 1
        weight: Decimal | None = None
        parent = cells["Parent"].strip() or None
        if kind in ("Indicator", "Aggregate"):
            raw_level = _number(cells["Level"], path, line, "Level")
            if math.isnan(raw_level) or raw_level < 1 or not raw_level.is_integer():
                raise _bad_value(path, line, cells, "Level", "n ≥ 1 (integer)")
            level = int(raw_level)
            weight = _decimal(cells["Weight"], path, line, "Weight")
            if weight is not None and weight < 0:
                raise _bad_value(path, line, cells, "Weight", "w ≥ 0")
            raw_dir = _number(cells["Direction"], path, line, "Direction")
            if kind == "Indicator":
                if raw_dir not in (1.0, -1.0):
                    raise _bad_value(path, line, cells, "Direction", "1 | -1")
                direction = int(raw_dir)
        target = (
            _decimal(cells.get("Target", ""), path, line, "Target") if kind == "Indicator" else None
        )
        metas.append(
            _Meta(
                row=line,
                code=code,
                type=kind,
                level=level,
                parent=parent if kind in ("Indicator", "Aggregate") else None,
                name=(cells.get("iName") or "").strip() or code,
                direction=direction,
                weight=weight,
                target=target,
                unit=(cells.get("Unit") or "").strip() or None,
            )
        )
    _check_structure(path, metas)
    return metas


def _check_structure(path: Path, metas: list[_Meta]) -> None:
    tree = {m.code: m for m in metas if m.type in ("Indicator", "Aggregate")}
    if not tree:
        raise TableError("coinr.empty", path=str(path))
    top = max(m.level or 0 for m in tree.values())
    for m in tree.values():
        if m.parent is None:
            if m.level != top:
                raise TableError(
                    "coinr.parent-missing",
                    path=str(path),
                    row=m.row,
                    code=m.code,
                    level=m.level,
                    top=top,
                )
            continue
        parent = tree.get(m.parent)
        if parent is None or parent.type != "Aggregate":
            raise TableError("coinr.parent-unknown", path=str(path), row=m.row, parent=m.parent)
    for m in tree.values():
        chain = [m.code]
        cursor = m.parent
        while cursor is not None:
            if cursor in chain:
                raise TableError(
                    "coinr.cycle",
                    path=str(path),
                    row=m.row,
                    code=m.code,
                    chain=" → ".join([*chain, cursor]),
                )
            chain.append(cursor)
            cursor = tree[cursor].parent
    has_children = {m.parent for m in tree.values() if m.parent is not None}
    for m in tree.values():
        if m.parent is not None:
            parent = tree[m.parent]
            if (parent.level or 0) <= (m.level or 0):
                raise TableError(
                    "coinr.level",
                    path=str(path),
                    row=m.row,
                    code=m.code,
                    level=m.level,
                    parent=parent.code,
                    parent_level=parent.level,
                )
        if m.type == "Aggregate" and m.code not in has_children:
            raise TableError("coinr.no-children", path=str(path), row=m.row, code=m.code)
        if m.type == "Indicator" and m.code in has_children:
            raise TableError(
                "coinr.choice",
                path=str(path),
                row=m.row,
                column="Type",
                value=m.type,
                choices="Aggregate",
            )


def _framework_data(
    metas: list[_Meta], source: str, fid: str, edition: str, title: str, url: str | None
) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    roots = [m.code for m in metas if m.type in ("Indicator", "Aggregate") and m.parent is None]
    for m in metas:
        if m.type not in ("Indicator", "Aggregate"):
            continue
        node: dict[str, Any] = {
            "code": m.code,
            "kind": "indicator" if m.type == "Indicator" else "aggregate",
            "label": m.name,
        }
        if m.parent is not None:
            node["parent"] = m.parent
            node["weight"] = m.weight if m.weight is not None else Decimal(1)
        if m.type == "Indicator":
            node["direction"] = "positive" if m.direction > 0 else "negative"
            if m.target is not None:
                node["target"] = m.target
        if m.unit is not None:
            node["unit"] = m.unit
        nodes.append(node)
    sources: list[dict[str, str]] = [{"key": "imeta", "title": source}]
    if url is not None:
        sources[0]["url"] = url
    sources.append({"key": "coinr", "url": COINR_URL, "title": "COINr (EU JRC), iMeta format"})
    data: dict[str, Any] = {
        "id": fid,
        "edition": edition,
        "title": title,
        "issuer": "COINr iMeta",
        "status": "illustrative",
        "provenance": {"confidence": "confirmed", "sources": ["imeta"]},
        "sources": sources,
        "weights": "relative",
        "nodes": nodes,
    }
    if len(roots) == 1:
        data["index"] = roots[0]
    return data


def _read_data(path: Path, metas: list[_Meta]) -> Dataset:
    header, rows = _rows(path, ("uCode",), "iData")
    by_code = {m.code: m for m in metas}
    for column in header:
        if column not in ("uCode", "uName", "Time") and column not in by_code:
            raise TableError("coinr.column-unknown", path=str(path), column=column)
    columns = set(header)
    for m in metas:
        if m.type == "Indicator" and m.code not in columns:
            raise TableError("coinr.indicator-missing", path=str(path), code=m.code)
    numeric = [m.code for m in metas if m.type == "Indicator"]
    numeric += [m.code for m in metas if m.type == "Denominator" and m.code in columns]
    groups = [m.code for m in metas if m.type == "Group" and m.code in columns]
    has_time = "Time" in columns

    units: dict[str, None] = {}
    names: dict[str, str] = {}
    periods: set[Period] = set()
    first: dict[tuple[str, Period], int] = {}
    cells: dict[tuple[str, Period], list[float]] = {}
    labels: dict[str, dict[str, str]] = {g: {} for g in groups}
    for line, row in rows:
        code = row["uCode"].strip()
        if not code:
            raise TableError(
                "coinr.value", path=str(path), row=line, column="uCode", value="", rule="≠ ''"
            )
        period: Period = None
        if has_time:
            period = _period(row["Time"], path, line)
        key = (code, period)
        if key in first:
            raise TableError(
                "coinr.duplicate",
                path=str(path),
                row=line,
                column="uCode/Time",
                value=f"{code} {period}" if has_time else code,
                first=first[key],
            )
        first[key] = line
        units[code] = None
        periods.add(period)
        if row.get("uName", "").strip():
            names[code] = row["uName"].strip()
        cells[key] = [_number(row[c], path, line, c) for c in numeric]
        for g in groups:
            label = row[g].strip()
            if label and label.lower() not in _MISSING:
                labels[g][code] = label  # the latest row wins in a panel

    ordered = sorted(periods, key=period_key)
    values = np.full((len(units), len(ordered), len(numeric)), np.nan)
    u_index = {u: i for i, u in enumerate(units)}
    p_index = {p: i for i, p in enumerate(ordered)}
    for (u, p), vals in cells.items():
        values[u_index[u], p_index[p], :] = vals
    return Dataset(
        tuple(units),
        tuple(numeric),
        values,
        tuple(ordered),
        {g: tuple(labels[g].get(u) for u in units) for g in groups},
        names,
    )


def _period(text: str, path: Path, line: int) -> Period:
    s = text.strip()
    if not s or s.lower() in _MISSING:
        return None
    try:
        number = float(s)
    except ValueError:
        return s
    if number.is_integer():
        return int(number)
    raise TableError(
        "coinr.value", path=str(path), row=line, column="Time", value=s, rule="year | label"
    )


def _title(metas: list[_Meta]) -> str:
    roots = [m.name for m in metas if m.type == "Aggregate" and m.parent is None]
    return roots[0] if len(roots) == 1 else "COINr index"


def read_coinr(
    idata: str | os.PathLike[str],
    imeta: str | os.PathLike[str],
    *,
    id: str = "coinr",
    edition: str = "1",
    title: str | None = None,
    url: str | None = None,
) -> CoinrInput:
    """Read COINr's ``iData`` and ``iMeta`` CSV files as a framework and a data set.

    Indicators and aggregates become the framework's nodes (kind ``indicator`` or
    ``aggregate``, with COINr's ``Direction``, ``Weight``, ``Target`` and ``Unit``);
    the single top aggregate becomes the index.  ``iData`` rows become units (by
    ``uCode``, names from ``uName``) and periods (from ``Time``, if present);
    indicator and denominator columns become the data set's values (empty or ``NA``
    = missing) and group columns its :attr:`~kotacerdas.engine.Dataset.groups`.

    Args:
        idata: Path of the ``iData`` CSV.
        imeta: Path of the ``iMeta`` CSV.
        id: The framework id to give it.
        edition: The framework edition to give it.
        title: Its title (default: the name of the top aggregate).
        url: Where the tables come from, recorded in the framework's provenance.

    Raises:
        FileReadError: a file is missing or unreadable.
        FileFormatError: a file is empty or not valid CSV.
        TableError: the tables are not valid COINr tables (file, row and column given).
        FrameworkError: the structure is not a valid framework.
    """
    meta_path = path_of(imeta, "coinr.read_coinr", "imeta")
    metas = _read_meta(meta_path)
    fw = frameworks.from_data(
        _framework_data(metas, str(meta_path), id, edition, title or _title(metas), url),
        str(meta_path),
    )
    return CoinrInput(fw, _read_data(path_of(idata, "coinr.read_coinr", "idata"), metas))


def read_denominators(
    imeta: str | os.PathLike[str], *, missing: Literal["fail", "keep"] = "fail"
) -> dict[str, Denominator]:
    """The denominators ``iMeta`` declares: its ``Denominator`` column (and ``ScaleFactor``).

    For ``Build(denominate=...)``, COINr's ``Denominate``: each indicator with a
    ``Denominator`` is divided by that denominator's column of ``iData``, scaled by
    the optional ``ScaleFactor`` (default 1).  No ``Denominator`` column: none.
    *missing* is each :class:`~kotacerdas.engine.Denominator`'s ``missing``:
    ``"keep"`` lets a missing denominator give a missing rate, as COINr does.

    >>> sorted(read_denominators("tests/data/coinr-asem/iMeta.csv").items())[0]
    ('Bord', Denominator(by='Area', per=1.0, missing='fail'))

    Raises:
        TableError: a ``Denominator`` names no row of ``Type`` ``Denominator``, or a
            ``ScaleFactor`` is not a positive number.
    """
    path = path_of(imeta, "coinr.read_denominators", "imeta")
    metas = {m.code: m for m in _read_meta(path)}
    header, rows = _rows(path, ("iCode", "Type"), "iMeta")
    if "Denominator" not in header:
        return {}
    out: dict[str, Denominator] = {}
    for line, cells in rows:
        by = cells["Denominator"].strip()
        code = cells["iCode"].strip()
        if not by or by.lower() in _MISSING or metas[code].type != "Indicator":
            continue
        if by not in metas or metas[by].type != "Denominator":
            raise _bad_value(path, line, cells, "Denominator", "the iCode of a Denominator row")
        per = 1.0
        if "ScaleFactor" in header and cells["ScaleFactor"].strip().lower() not in _MISSING:
            per = _number(cells["ScaleFactor"], path, line, "ScaleFactor")
            if not per > 0:
                raise _bad_value(path, line, cells, "ScaleFactor", "> 0")
        out[code] = Denominator(by, per, missing)
    return out


def _bad_value(
    path: Path, line: int, cells: Mapping[str, str], column: str, rule: str
) -> TableError:
    """The error for a cell of iMeta that breaks *rule*."""
    return TableError(
        "coinr.value", path=str(path), row=line, column=column, value=cells[column], rule=rule
    )
