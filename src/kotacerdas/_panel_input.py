"""Reading a panel's input: assessments, long or wide tables, dicts or data frames.

Whatever the shape, the input becomes records (region-years) and cells (one value of one
node each), with every text column factorised once and every value parsed to a
``mantissa × 10^-decimals`` integer pair; regions, years, nodes, the framework edition
and the stage are then resolved against the framework.  Every problem is collected with
its row (or assessment) before anything is refused.
"""

from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from kotacerdas._fixed_point import MAX_DECIMALS, Ints, Mask, _Plan, _pow10
from kotacerdas._suggest import close_nodes
from kotacerdas.errors import AmbiguousRegionError, PanelError, Problem, RegionNotFoundError
from kotacerdas.i18n import Phrase

if TYPE_CHECKING:
    from kotacerdas.assessment import Assessment
    from kotacerdas.model import Framework


_MAX_MAGNITUDE: Final = 10**9
_META: Final = ("region", "year", "framework", "edition", "stage")
_LONG_REQUIRED: Final = ("region", "year", "node", "value")
_SHOW_ROWS: Final = 5
FINAL: Final = "final"  # kotacerdas.assessment.FINAL, without importing the module


# -- records and cells ---------------------------------------------------------------------------


_Factor: TypeAlias = tuple[list[str], Ints]
"""Distinct texts, and each value's index into them (``-1`` for an empty cell)."""


@attrs.define
class _Raw:
    """The input as records (region-year rows) and cells (one value of one node each)."""

    layout: Literal["long", "wide", "assessments"]
    n: int
    region: _Factor  # per record
    year: NDArray[Any] | _Factor  # per record: integers, floats, or texts
    framework: _Factor | None
    edition: _Factor | None
    stage: _Factor | None  # per record (tables) or per cell (assessments)
    cell_node: list[str]  # node text of each cell (a wide table's: of each column) …
    chunks: list[tuple[int, NDArray[Any], Mask | None]]  # (first cell, values, null mask)
    n_cells: int
    frame: bool = False  # NaN in a text column is an empty cell (pandas' convention)
    labels: list[str] = attrs.field(factory=list)  # assessments: "35.71 2022" per record
    # Record and node text of each cell; a table's are built only when asked for (a wide
    # table's cell is row `cell % n` of column `cell // n`, a long table's is its row).
    rec_of_cell: Ints | None = None
    node_of_cell: Ints | None = None

    @functools.cached_property
    def cell_rec(self) -> Ints:
        """The record of each cell."""
        if self.rec_of_cell is not None:
            return self.rec_of_cell
        if self.layout == "wide":
            return np.tile(np.arange(self.n, dtype=np.int64), len(self.cell_node))
        return np.arange(self.n, dtype=np.int64)

    def per_cell(self, per_record: NDArray[Any]) -> NDArray[Any]:
        """*per_record* for each cell (a long table's cell is its record: no copy)."""
        if self.rec_of_cell is None and self.layout == "long":
            return per_record
        return per_record[self.cell_rec]

    @functools.cached_property
    def cell_node_idx(self) -> Ints:
        """The node text of each cell, as an index into :attr:`cell_node`."""
        if self.node_of_cell is not None:
            return self.node_of_cell
        return np.repeat(np.arange(len(self.cell_node), dtype=np.int64), self.n)

    def where(self, rec: int, cell_node: str | None = None) -> Phrase:
        if self.layout == "assessments":
            item = f"{rec} ({self.labels[rec]})"
            if cell_node is not None:
                return Phrase(("where.score", {"item": item, "node": cell_node}))
            return Phrase(("where.assessment", {"item": item}))
        if self.layout == "wide" and cell_node is not None:
            return Phrase(("where.cell", {"row": rec, "column": cell_node}))
        return Phrase(("where.row", {"row": rec}))

    def where_many(self, recs: Iterable[int]) -> Phrase:
        return _where_many(self.layout, recs, self.labels)


def _where_many(layout: str, recs: Iterable[int], labels: Sequence[str] = ()) -> Phrase:
    """``rows 3, 7`` or ``assessments 0 (35.71 2022), 4 (…)``: at most five, then a count.

    In the language of the message that shows it (*baris 3, 7*).
    """
    ordered = sorted({int(r) for r in recs})
    if layout == "assessments":
        shown = ", ".join(f"{r} ({labels[r]})" for r in ordered[:_SHOW_ROWS])
        head = ("where.assessment", {"item": shown})
        if len(ordered) > 1:
            head = ("where.assessments", {"items": shown})
    else:
        shown = ", ".join(str(r) for r in ordered[:_SHOW_ROWS])
        head = ("where.row", {"row": shown})
        if len(ordered) > 1:
            head = ("where.rows", {"rows": shown})
    if len(ordered) > _SHOW_ROWS:
        return Phrase(head, ("where.more", {"count": len(ordered) - _SHOW_ROWS}))
    return Phrase(head)


def _joined(separator: str, phrases: Iterable[Phrase]) -> Phrase:
    """*phrases* joined by *separator*, still a phrase (``str.join`` would give plain text)."""
    parts: list[Any] = []
    for phrase in phrases:
        if parts:
            parts.append(separator)
        parts.extend(phrase.parts)
    return Phrase(*parts)


def _object_array(values: Sequence[Any]) -> NDArray[np.object_]:
    arr = np.empty(len(values), dtype=object)
    arr[:] = list(values)
    return arr


def _is_missing(value: object, frame: bool) -> bool:
    """An empty cell: None; in a data frame also NaN, ``pd.NA`` and ``NaT``."""
    if value is None:
        return True
    if not frame:
        return False
    if isinstance(value, float) and value != value:
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def _factorize(values: NDArray[Any] | Sequence[Any], frame: bool) -> _Factor:
    """Each value's text as an index into the distinct texts, hashing each value once.

    Sorting text arrays is slow; a dict look-up per value runs in C and keeps the cost of
    a national panel's region column to a millisecond or two.  Values are told apart by
    their text, not their value: ``Decimal("3.6")`` and ``Decimal("3.60")`` (or ``1``
    and ``True``) are equal but are not written alike.
    """
    if isinstance(values, np.ndarray) and len(values):
        first = values[0]
        if isinstance(first, str) and _constant(values, first):
            return [first], np.zeros(len(values), dtype=np.int64)
        if frame and values.dtype == object and "pandas" in sys.modules:
            found = _factorize_texts(values)
            if found is not None:
                return found
    objs = values.tolist() if hasattr(values, "tolist") else list(values)
    try:
        lookup: dict[Any, int] = dict.fromkeys(objs, -1)
    except TypeError:  # unhashable cells
        lookup = {}
    if not lookup or any(type(k) is not str and not _is_missing(k, frame) for k in lookup):
        objs = [None if _is_missing(o, frame) else _value_text(o) for o in objs]
        lookup = dict.fromkeys(objs, -1)
    texts: dict[str, int] = {}
    for key in lookup:
        if not _is_missing(key, frame):
            lookup[key] = texts.setdefault(_value_text(key), len(texts))
    codes = np.fromiter(map(lookup.__getitem__, objs), dtype=np.int64, count=len(objs))
    return list(texts), codes


def _constant(values: NDArray[Any], first: str) -> bool:
    """Whether every value equals *first* (a column such as ``framework`` usually is).

    A short prefix settles most columns that are not; for the others, counting in a list
    (which compares a value with itself by identity) is several times faster than
    numpy's elementwise comparison of objects.
    """
    if not bool((values[:64] == first).all()):
        return False
    if values.dtype != object:
        return bool((values == first).all())
    count: int = values.tolist().count(first)
    return count == len(values)


def _factorize_texts(values: NDArray[np.object_]) -> _Factor | None:
    """:func:`pandas.factorize` of a data frame's text column; ``None`` unless all are text.

    pandas hashes in C; its missing values (None, NaN, ``pd.NA``, ``NaT``) are the data
    frame's empty cells, which is checked for the few it finds.
    """
    pd: Any = sys.modules["pandas"]  # optional, and untyped: the caller's frame is pandas
    codes, uniques = pd.factorize(values)
    if not set(map(type, uniques.tolist())) <= {str}:
        return None
    if any(not _is_missing(values[i], True) for i in np.flatnonzero(codes < 0).tolist()):
        return None
    return list(uniques.tolist()), codes.astype(np.int64, copy=False)


def _factorize_ints(values: Ints) -> tuple[Ints, Ints]:
    """The sorted distinct *values* (non-negative) and each value's index into them.

    Region-year keys are dense (regions × years), so a table of every possible key is
    small and marking it is faster than sorting.
    """
    top = int(values.max()) + 1 if len(values) else 0
    if top > 4 * len(values) + 4096:
        keys, inverse = np.unique(values, return_inverse=True)
        return keys, inverse.reshape(-1).astype(np.int64)
    seen = np.zeros(top, dtype=bool)
    seen[values] = True
    keys = np.flatnonzero(seen)
    position = np.cumsum(seen, dtype=np.int64)
    position -= 1
    return keys.astype(np.int64, copy=False), position[values]


def _is_frame(data: Any) -> bool:
    if isinstance(data, str | bytes | Mapping | list | tuple) or not hasattr(data, "__len__"):
        return False
    module = type(data).__module__.split(".")[0]
    return module in {"pandas", "polars", "pyarrow", "modin", "cudf", "narwhals", "dask"} or (
        hasattr(data, "__dataframe__") or hasattr(data, "__arrow_c_stream__")
    )


def _read(data: Any) -> _Raw:
    if _is_frame(data):
        return _read_frame(data)
    from kotacerdas.assessment import Assessment

    if isinstance(data, str | bytes | Mapping) or not isinstance(data, Iterable):
        raise PanelError([Problem("panel.data-type", "", {"type": type(data).__name__})])
    items = list(data)
    if not items:
        raise PanelError([Problem("panel.empty")])
    if all(isinstance(x, Assessment) for x in items):
        return _read_assessments(items)
    if all(isinstance(x, Mapping) for x in items):
        return _read_dicts(items)
    first = Assessment if isinstance(items[0], Assessment) else Mapping
    bad = next(i for i, x in enumerate(items) if not isinstance(x, first))
    kind = "Assessment" if first is Assessment else "dict"
    raise PanelError(
        [
            Problem(
                "panel.item-type",
                f"item {bad}",
                {"type": type(items[bad]).__name__, "expected": kind},
            )
        ]
    )


def _read_assessments(items: list[Assessment]) -> _Raw:
    rec: list[int] = []
    nodes: list[str] = []
    values: list[Decimal] = []
    stages: list[str] = []
    for i, a in enumerate(items):
        for s in a.scores:
            rec.append(i)
            nodes.append(s.node)
            values.append(s.value)
            stages.append(s.stage)
    node_names, node_idx = _factorize(nodes, False)
    return _Raw(
        layout="assessments",
        n=len(items),
        region=_factorize([a.region for a in items], False),
        year=np.asarray([a.year for a in items], dtype=np.int64),
        framework=_factorize([a.framework for a in items], False),
        edition=_factorize([a.edition for a in items], False),
        stage=_factorize(stages, False),
        cell_node=node_names,
        chunks=[(0, _object_array(values), np.zeros(len(values), dtype=bool))],
        n_cells=len(values),
        labels=[f"{a.region} {a.year}" for a in items],
        rec_of_cell=np.asarray(rec, dtype=np.int64),
        node_of_cell=node_idx,
    )


def _read_dicts(items: list[Mapping[str, Any]]) -> _Raw:
    names: dict[str, None] = {}
    for item in items:
        names.update(dict.fromkeys(item))
    columns = {str(name): _object_array([item.get(name) for item in items]) for name in names}
    return _read_columns(columns, dict.fromkeys(columns), len(items), frame=False)


def _pandas_columns(data: Any) -> dict[str, Any] | None:
    """A pandas frame's columns as numpy arrays, as narwhals gives them, or ``None``.

    For columns of numpy dtypes and pandas' text dtype narwhals calls
    ``Series.to_numpy()``; calling it directly skips narwhals' per-column overhead,
    which would be a fair share of the time of scoring a frame.  Other dtypes (nullable
    integers, categories, Arrow) go through narwhals.
    """
    pd = sys.modules.get("pandas")
    if pd is None or type(data) is not pd.DataFrame or not data.columns.is_unique:
        return None
    columns: dict[str, Any] = {}
    for name, series in data.items():
        dtype = series.dtype
        if not isinstance(name, str) or not (isinstance(dtype, np.dtype | pd.StringDtype)):
            return None
        columns[name] = series.to_numpy()
    return columns


def _read_frame(data: Any) -> _Raw:
    fast = _pandas_columns(data)
    if fast is not None:  # narwhals is not even imported
        if not len(data):
            raise PanelError([Problem("panel.empty")])
        return _read_columns(fast, dict.fromkeys(fast), len(data), frame=True)
    import narwhals as nw

    try:
        frame = nw.from_native(data, eager_only=True)
    except TypeError:
        raise PanelError([Problem("panel.data-type", "", {"type": type(data).__name__})]) from None
    if not len(frame):
        raise PanelError([Problem("panel.empty")])
    columns: dict[str, Any] = {}
    nulls: dict[str, Any] = {}
    for name in frame.columns:
        series = frame[name]
        values = series.to_numpy()
        columns[str(name)] = values
        # Only float columns need the library's own null mask: polars keeps NaN apart
        # from null, which to_numpy() merges (in pandas NaN is null, found from the
        # values).  Text columns are checked value by value.
        float_column = values.dtype.kind == "f" and not series.implementation.is_pandas()
        nulls[str(name)] = series.is_null().to_numpy().astype(bool) if float_column else None
    return _read_columns(columns, nulls, len(frame), frame=True)


def _meta(values: NDArray[Any], null: Mask | None, frame: bool) -> _Factor:
    texts, codes = _factorize(values, frame)
    if null is not None:
        codes = codes.copy()
        codes[null] = -1
    return texts, codes


def _read_columns(columns: dict[str, Any], nulls: dict[str, Any], n: int, *, frame: bool) -> _Raw:
    long = "node" in columns and "value" in columns
    layout: Literal["long", "wide"] = "long" if long else "wide"
    problems: list[Problem] = []
    if long:
        absent = [c for c in _LONG_REQUIRED if c not in columns]
        extra = [c for c in columns if c not in (*_META, "node", "value")]
        if extra:
            problems.append(
                Problem("panel.unknown-column", "", {"columns": ", ".join(extra), "layout": "long"})
            )
    else:
        absent = [c for c in ("region", "year") if c not in columns]
    if absent:
        problems.append(
            Problem("panel.missing-column", "", {"columns": ", ".join(absent), "layout": layout})
        )
    if problems:
        raise PanelError(problems)
    meta = {
        name: _meta(columns[name], nulls[name], frame)
        for name in ("region", "framework", "edition", "stage", "node")
        if name in columns and (name != "node" or long)
    }
    year = columns["year"]
    if year.dtype.kind == "f":
        year = year.copy()
        year[nulls["year"]] = np.nan
    elif year.dtype.kind not in "iu":
        year = _meta(year, nulls["year"], frame)
    empty = {"region": meta["region"][1] < 0}
    empty["year"] = year[1] < 0 if isinstance(year, tuple) else np.isnan(year)
    if long:
        empty["node"] = meta["node"][1] < 0
    for name, mask in empty.items():
        if mask.any():
            where = _where_many(layout, np.flatnonzero(mask))
            problems.append(Problem("panel.empty-cell", where, {"column": name}))
    if problems:
        raise PanelError(problems)
    records: dict[str, Any] = {
        "n": n,
        "region": meta["region"],
        "year": year,
        "framework": meta.get("framework"),
        "edition": meta.get("edition"),
        "stage": meta.get("stage"),
        "frame": frame,
    }
    if long:
        node_names, node_idx = meta["node"]
        return _Raw(
            layout="long",
            cell_node=node_names,
            chunks=[(0, columns["value"], nulls["value"])],
            n_cells=n,
            node_of_cell=node_idx,
            **records,
        )
    node_columns = [c for c in columns if c not in _META]
    chunks = [(i * n, columns[c], nulls[c]) for i, c in enumerate(node_columns)]
    return _Raw(
        layout="wide",
        cell_node=node_columns,
        chunks=chunks,
        n_cells=n * len(node_columns),
        **records,
    )


# -- values --------------------------------------------------------------------------------------


_Bad: TypeAlias = list[tuple[int, str, dict[str, object]]]
"""Values that cannot be read: (cell, problem code, message parameters)."""

_Parsed: TypeAlias = tuple[Ints, Ints, _Bad]
"""Mantissas, decimals written, and the values that cannot be read."""


@attrs.define
class _Values:
    """Every cell's value as ``mantissa × 10^-exponent`` (exponent = decimals written)."""

    mantissa: Ints
    exponent: Ints
    null: Mask
    problems: _Bad  # (cell, code, params)


def _parse_values(raw: _Raw, decimals: int | None) -> _Values:
    parsed = [_parse_chunk(values, nulls, decimals, raw.frame) for _, values, nulls in _runs(raw)]
    if len(parsed) == 1:
        m, e, null, problems = parsed[0]
        if raw.layout == "wide":  # column by column, as if read so
            problems.sort(key=lambda p: p[0] // raw.n)
    else:
        m = np.concatenate([p[0] for p in parsed]) if parsed else np.zeros(0, dtype=np.int64)
        e = np.concatenate([p[1] for p in parsed]) if parsed else np.zeros(0, dtype=np.int64)
        null = np.concatenate([p[2] for p in parsed]) if parsed else np.zeros(0, dtype=bool)
        problems = [
            (start + i, code, params)
            for (start, _, _), (_, _, _, bad) in zip(raw.chunks, parsed, strict=True)
            for i, code, params in bad
        ]
    if decimals is not None:
        over = np.flatnonzero(~null & (e > decimals))
        problems.extend(
            (int(i), "panel.precision", {"value": _text(m[i], e[i]), "limit": decimals})
            for i in over
        )
        if null.any() or not (e == decimals).all():
            shift = np.clip(decimals - e, 0, 18)
            m = np.where(null, 0, m * _pow10(shift))
            e = np.where(null, 0, np.full_like(e, decimals))
    return _Values(m, e, null, problems)


def _runs(raw: _Raw) -> list[tuple[int, NDArray[Any], Mask | None]]:
    """The chunks of *raw*, a wide table's number columns of one type joined into one.

    A wide table's cells are its columns one after the other; read at once, they cost
    one pass instead of one per column.
    """
    chunks = raw.chunks
    if (
        len(chunks) < 2
        or len({v.dtype for _, v, _ in chunks}) > 1
        or chunks[0][1].dtype.kind != "f"
    ):
        return chunks
    nulls = [nl for _, _, nl in chunks]
    null = None
    if any(nl is not None for nl in nulls):
        null = np.concatenate(
            [np.isnan(v) if nl is None else nl for (_, v, _), nl in zip(chunks, nulls, strict=True)]
        )
    return [(0, np.concatenate([v for _, v, _ in chunks]), null)]


def _parse_chunk(
    values: NDArray[Any], nulls: Mask | None, decimals: int | None, frame: bool
) -> tuple[Ints, Ints, Mask, _Bad]:
    """Mantissas, decimals, empty cells and problems of one run of values."""
    kind = values.dtype.kind
    if kind in "iu":
        m, e, bad = _parse_ints(values)
        return m, e, np.zeros(len(values), dtype=bool), bad
    if kind == "f":
        null = np.isnan(values) if nulls is None else nulls
        m, e, bad = _parse_floats(values, null, decimals)
        return m, e, null, bad
    m, e, null, bad = _parse_objects(values, frame)
    return m, e, null if nulls is None else null | nulls, bad


def _text(mantissa: int | np.int64, exponent: int | np.int64) -> str:
    return str(Decimal(int(mantissa)).scaleb(-int(exponent)))


def _parse_ints(values: NDArray[np.integer[Any]]) -> _Parsed:
    m = values.astype(np.int64)
    bad = np.flatnonzero(np.abs(m) >= _MAX_MAGNITUDE)
    problems: _Bad = [(int(i), "panel.too-large", {"value": str(values[i])}) for i in bad]
    m[bad] = 0
    return m, np.zeros(len(values), dtype=np.int64), problems


def _parse_floats(values: NDArray[Any], nulls: Mask, decimals: int | None) -> _Parsed:
    """Floats read as the shortest decimal that prints them (``3.6`` has one decimal)."""
    x = values.astype(np.float64, copy=False)
    if nulls.any():
        x = np.where(nulls, 0.0, x)
    problems: _Bad = []
    if len(x) and not np.abs(x).max() < _MAX_MAGNITUDE:  # (NaN is never less)
        ok = np.abs(x) < _MAX_MAGNITUDE  # False for NaN and infinities too
        finite = np.isfinite(x)
        for i in np.flatnonzero(~finite).tolist():
            problems.append((i, "panel.nan", {"value": str(values[i])}))
        for i in np.flatnonzero(finite & ~ok).tolist():
            problems.append((i, "panel.too-large", {"value": repr(float(values[i]))}))
        x = np.where(ok, x, 0.0)
    top = MAX_DECIMALS if decimals is None else decimals
    if decimals is not None:
        # Only whether a value fits the decimals given matters: a float that is the double
        # nearest m / 10^k (k <= top) is also the double nearest m·10^(top-k) / 10^top.
        scaled = x * 10.0**top
        np.rint(scaled, out=scaled)
        back = scaled / 10.0**top
        wrong = np.zeros(0, dtype=np.intp) if np.array_equal(back, x) else np.flatnonzero(back != x)
        m = scaled.astype(np.int64)
        e = np.full(len(x), top, dtype=np.int64)
    else:
        m = np.zeros(len(x), dtype=np.int64)
        e = np.full(len(x), -1, dtype=np.int64)
        for k in range(top + 1):
            todo = e < 0
            if not todo.any():
                break
            scaled = np.rint(x * 10.0**k)
            fits = todo & (scaled / 10.0**k == x)
            m[fits] = scaled[fits].astype(np.int64)
            e[fits] = k
        wrong = np.flatnonzero(e < 0)
    for i in wrong.tolist():
        problems.append((i, "panel.precision", {"value": repr(float(values[i])), "limit": top}))
    m[wrong] = 0
    e[wrong] = 0
    return m, e, problems


def _parse_objects(values: NDArray[Any], frame: bool) -> tuple[Ints, Ints, Mask, _Bad]:
    """Text, Decimal and mixed values, each distinct text parsed once."""
    texts, codes = _factorize(values, frame)
    null = codes < 0
    parsed = [_parse_text(text) for text in texts]
    um = np.asarray([p[0] for p in parsed] + [0], dtype=np.int64)  # [-1]: empty cells
    ue = np.asarray([p[1] for p in parsed] + [0], dtype=np.int64)
    problems: _Bad = []
    bad = [j for j, p in enumerate(parsed) if p[2] is not None]
    if bad:
        flagged = np.zeros(len(texts) + 1, dtype=bool)
        flagged[bad] = True
        for pos in np.flatnonzero(flagged[codes]):
            issue = parsed[int(codes[pos])][2]
            assert issue is not None
            problems.append((int(pos), issue[0], issue[1]))
    return um[codes], ue[codes], null, problems


def _value_text(value: object) -> str:
    if isinstance(value, bool):
        return f"bool:{value}"
    return str(value)


def _parse_text(text: str) -> tuple[int, int, tuple[str, dict[str, object]] | None]:
    """``(mantissa, decimals, None)`` of a written number, or ``(0, 0, (code, params))``."""
    shown = text.removeprefix("bool:")
    params: dict[str, object] = {"value": shown}
    if text.startswith("bool:") or "_" in text:
        return 0, 0, ("panel.not-number", params)
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        hint = "," in text and text.replace(",", ".", 1).replace(".", "", 1).strip().isdigit()
        return 0, 0, ("panel.decimal-comma" if hint else "panel.not-number", params)
    if not value.is_finite():
        return 0, 0, ("panel.nan", params)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > MAX_DECIMALS:
        return 0, 0, ("panel.precision", {"value": shown, "limit": MAX_DECIMALS})
    if abs(value) >= _MAX_MAGNITUDE:
        return 0, 0, ("panel.too-large", params)
    return int(value.scaleb(exponent * -1)), -exponent, None


# -- resolving against the framework -------------------------------------------------------------


def _cell_where(raw: _Raw, cell: int) -> Phrase:
    return raw.where(int(raw.cell_rec[cell]), raw.cell_node[int(raw.cell_node_idx[cell])])


def _cells_where(raw: _Raw, cells: Ints) -> Phrase:
    if raw.layout == "long":
        return raw.where_many([int(raw.cell_rec[c]) for c in cells])
    return _joined("; ", (_cell_where(raw, int(c)) for c in cells[:_SHOW_ROWS]))


def _stage_mask(stages: _Factor, stage: str) -> Mask:
    texts, idx = stages
    want = np.array(
        [t.strip() == stage or (not t.strip() and stage == FINAL) for t in texts]
        + [stage == FINAL],  # [-1]: an empty stage cell is the final stage
        dtype=bool,
    )
    return want[idx]


def _editions(
    raw: _Raw, framework: Framework | str | Mapping[int, Framework | str] | None
) -> list[tuple[Framework, Mask]]:
    """Each framework edition of the panel, with the mask of its records.

    One framework, one or more editions: each record's own ``framework``/``edition``, the
    one edition the caller names, or the edition a mapping year → edition gives its year.
    """
    from kotacerdas import frameworks

    if isinstance(framework, Mapping):
        return _by_year(raw, framework)
    if isinstance(framework, str):
        framework = frameworks.load(framework)
    every = np.ones(raw.n, dtype=bool)
    if raw.framework is None or raw.edition is None:
        if framework is None:
            raise PanelError([Problem("panel.no-framework")])
        return [(framework, every)]
    refs, inv = _refs(raw)
    if framework is not None:
        problems = [
            Problem(
                "panel.framework-mismatch",
                raw.where_many(np.flatnonzero(inv == i)),
                {"given": ref, "expected": framework.ref},
            )
            for i, ref in enumerate(refs)
            if ref != framework.ref
        ]
        if problems:
            raise PanelError(problems)
        return [(framework, every)]
    if len({ref.split("@")[0] for ref in refs}) > 1:
        listing = _joined(
            "; ",
            (f"{ref}: " + raw.where_many(np.flatnonzero(inv == i)) for i, ref in enumerate(refs)),
        )
        raise PanelError([Problem("panel.mixed-framework", "", {"refs": listing})])
    return [(frameworks.load(ref), inv == i) for i, ref in enumerate(refs)]


def _refs(raw: _Raw) -> tuple[list[str], Ints]:
    """The distinct ``id@edition`` of the records (sorted), and each record's index into them."""
    assert raw.framework is not None
    assert raw.edition is not None
    # Distinct (framework, edition) pairs, from the two factorised columns.
    (fw_texts, fw_idx), (ed_texts, ed_idx) = raw.framework, raw.edition
    if len(fw_texts) == len(ed_texts) == 1 and min(fw_idx.min(), ed_idx.min()) == 0:
        # The usual panel: one text in each column, and no empty cell.
        pairs, inv = np.array([len(ed_texts) + 2]), np.zeros(raw.n, dtype=np.int64)
    else:
        pair = (fw_idx + 1) * (len(ed_texts) + 1) + (ed_idx + 1)
        pairs, inv = _factorize_ints(pair)
    refs: list[str] = []
    for code in pairs.tolist():
        f, ed = divmod(int(code), len(ed_texts) + 1)
        name = "" if f == 0 else fw_texts[f - 1].strip().lower()
        edition = "" if ed == 0 else ed_texts[ed - 1].strip().lower()
        refs.append(f"{name}@{edition}")
    # Case and spaces do not count: "GM100SC" and "gm100sc " are one framework.
    merged = sorted(set(refs))
    remap = np.asarray([merged.index(r) for r in refs], dtype=np.int64)
    inv = remap[inv]
    problems: list[Problem] = []
    for i, ref in enumerate(merged):
        if ref.startswith("@") or ref.endswith("@"):
            column = "framework" if ref.startswith("@") else "edition"
            problems.append(
                Problem(
                    "panel.empty-cell", raw.where_many(np.flatnonzero(inv == i)), {"column": column}
                )
            )
    if problems:
        raise PanelError(problems)
    return merged, inv


def _by_year(raw: _Raw, mapping: Mapping[int, Framework | str]) -> list[tuple[Framework, Mask]]:
    """The editions a mapping year → edition gives; records of unmapped years are refused."""
    from kotacerdas import frameworks

    editions = {
        int(year): fw if not isinstance(fw, str) else frameworks.load(fw)
        for year, fw in mapping.items()
    }
    if len({fw.id for fw in editions.values()}) > 1:
        listing = "; ".join(sorted({fw.ref for fw in editions.values()}))
        raise PanelError([Problem("panel.mixed-framework", "", {"refs": listing})])
    problems: list[Problem] = []
    years = _years(raw, np.ones(raw.n, dtype=bool), problems)
    if problems:
        raise PanelError(problems)
    unmapped = np.flatnonzero(~np.isin(years, list(editions)))
    if len(unmapped):
        params = {"year": int(years[unmapped[0]]), "years": ", ".join(map(str, sorted(editions)))}
        raise PanelError([Problem("panel.year-unmapped", raw.where_many(unmapped), params)])
    if raw.framework is not None and raw.edition is not None:
        refs, inv = _refs(raw)
        expected = np.asarray([editions[int(y)].ref for y in years], dtype=object)
        given = np.asarray(refs, dtype=object)[inv]
        wrong = np.flatnonzero(given != expected)
        if len(wrong):
            params = {"given": given[wrong[0]], "expected": expected[wrong[0]]}
            raise PanelError([Problem("panel.framework-mismatch", raw.where_many(wrong), params)])
    by_ref: dict[str, tuple[Framework, Mask]] = {}
    for year, fw in sorted(editions.items()):
        mask = years == year
        if fw.ref in by_ref:
            by_ref[fw.ref] = (fw, by_ref[fw.ref][1] | mask)
        else:
            by_ref[fw.ref] = (fw, mask)
    return [part for part in by_ref.values() if part[1].any()]


@functools.cache
def _region_ranks() -> tuple[dict[str, int], NDArray[np.object_]]:
    """Each bundled region code's place in code order, and the codes in that order.

    The usual region cell is a code: its place is found by one look-up, and the sorted
    codes of a panel follow from the places without sorting texts.  (A plain dict, not
    a mapping proxy: its look-ups are the hot path, and nothing outside reads it.)
    """
    from kotacerdas import regions

    codes = _object_array(sorted(r.code for r in regions.regions()))
    codes.setflags(write=False)
    return {c: i for i, c in enumerate(codes.tolist())}, codes


@functools.lru_cache(maxsize=32)
def _units_of(fw: Framework, extra: tuple[str, ...]) -> Mapping[str, str]:
    """The assessed units of *fw* that are not regions, and the caller's: code → name."""
    units = {u.code: u.label.get() for u in fw.units}
    units.update({code: code for code in extra if code not in units})
    return MappingProxyType(units)


def _regions(
    raw: _Raw, fw: Framework, rec_ok: Mask, problems: list[Problem], extra: Iterable[str]
) -> tuple[list[str], Ints]:
    """Region codes (sorted) and each record's index into them."""
    from kotacerdas import regions

    texts, idx = raw.region
    units = _units_of(fw, tuple(str(code) for code in extra))
    # A region's code is what resolve_unit would find: when every text is one (and none
    # is also a unit's, which resolve_unit refuses), the codes are known at once.
    ranks, in_order = _region_ranks()
    rank = np.fromiter(
        map(ranks.get, texts, itertools.repeat(-1)), dtype=np.int64, count=len(texts)
    )
    if (rank >= 0).all() and units.keys().isdisjoint(texts):
        places, position = _factorize_ints(rank)
        return in_order[places].tolist(), np.append(position, 0)[idx]
    # Otherwise (names, units, codes with spaces) the other texts one by one.
    codes: list[str | None] = [None if r < 0 else in_order[r] for r in rank.tolist()]
    for i, code in enumerate(codes):
        if code is not None and texts[i] not in units:
            continue
        text = texts[i]
        try:
            codes[i] = regions.resolve_unit(text, units).code
        except AmbiguousRegionError as exc:
            codes[i] = None
            rows = np.flatnonzero((idx == i) & rec_ok)
            if len(rows):
                problems.append(Problem("panel.region-ambiguous", raw.where_many(rows), exc.params))
        except RegionNotFoundError as exc:
            codes[i] = None
            rows = np.flatnonzero((idx == i) & rec_ok)
            if len(rows):
                params = {"query": exc.query, "suggestions": exc.params["suggestions"] or "-"}
                problems.append(Problem("panel.region-unknown", raw.where_many(rows), params))
    distinct = sorted({c for c in codes if c is not None})
    place = {c: i for i, c in enumerate(distinct)}
    lookup = np.array([*(0 if c is None else place[c] for c in codes), 0], dtype=np.int64)
    return distinct, lookup[idx]


def _years(raw: _Raw, rec_ok: Mask, problems: list[Problem]) -> Ints:
    years = raw.year
    if not isinstance(years, tuple):
        if years.dtype.kind in "iu":
            return years.astype(np.int64, copy=False)  # only read
        ok = np.isfinite(years) & (np.floor(years) == years) & (np.abs(years) < 10_000)
        bad = np.flatnonzero(~ok & rec_ok)
        if len(bad):
            problems.append(
                Problem("panel.year", raw.where_many(bad), {"value": str(years[bad[0]])})
            )
        return np.where(ok, years, 0).astype(np.int64)
    texts, idx = years
    parsed: list[int] = []
    for i, text in enumerate(texts):
        value: int | None = None
        try:
            number = Decimal(text.strip())
            if number.is_finite() and number == number.to_integral_value() and abs(number) < 10_000:
                value = int(number)
        except InvalidOperation:
            pass
        parsed.append(0 if value is None else value)
        if value is None:
            rows = np.flatnonzero((idx == i) & rec_ok)
            if len(rows):
                shown = text.removeprefix("bool:")
                problems.append(Problem("panel.year", raw.where_many(rows), {"value": shown}))
    return np.asarray([*parsed, 0], dtype=np.int64)[idx]


def _nodes(raw: _Raw, plan: _Plan, problems: list[Problem], values: _Values, records: Mask) -> Ints:
    """The input column of each distinct node text; ``-1`` for nodes the index does not use.

    A node is reported unknown against the edition of the rows that give it (*records*):
    in a wide table, the rows with a value in its column (a column without any value is
    reported against every edition); in a long table or assessments, the rows naming it.
    """
    out = np.full(len(raw.cell_node), -1, dtype=np.int64)
    unknown: list[int] = []
    for i, text in enumerate(raw.cell_node):
        node = plan.fw.get(text)
        if node is None:
            unknown.append(i)
        elif node.code in plan.col_of:
            out[i] = plan.col_of[node.code]
    if not unknown:
        return out
    mine = raw.per_cell(records)
    if raw.layout == "wide":
        given = ~values.null
        anywhere = np.bincount(raw.cell_node_idx[given], minlength=len(raw.cell_node)) > 0
        mine = mine & (given | ~anywhere[raw.cell_node_idx])
    for i in unknown:
        text = raw.cell_node[i]
        cells = np.flatnonzero((raw.cell_node_idx == i) & mine)
        if not len(cells):
            continue  # only rows of another edition give it
        rows = raw.where_many(raw.cell_rec[cells])
        where = Phrase(("where.column", {"column": text})) if raw.layout == "wide" else rows
        params = {"node": text, "framework": plan.fw.ref}
        near = close_nodes(plan.fw, text)
        problems.append(Problem("panel.unknown-node", where, params, close=near))
    return out
