"""Panels: the official index of many regions and years in one call, exactly.

Ranking the kabupaten and kota of a province, or following 514 of them over ten years,
means scoring thousands of assessments.  :func:`score_panel` does it in one vectorised
pass and gives the numbers :func:`kotacerdas.scoring.score` gives one assessment at a
time — to the last digit, bounds and missing counts included.

Why it can be both fast and exact: published scores are decimals with a few places,
that is, integers in disguise.  Every value becomes a 64-bit integer in fixed point
(``3.60`` → ``3600`` at 10⁻³), every weight an integer over its own denominator
(GM100SC's 0.10 is 1 of 10; SPBE's 1.3 of 100 is 13 of 1000), and every weighted mean an
integer sum, checked for overflow.  Bounds (each input ± half a unit of its last written
place, clamped to the scale) and half-up publication rounding are integer arithmetic
too.  No binary floating point is involved anywhere, and :class:`~decimal.Decimal` values
are built only when results are read out.

>>> rows = [
...     {"region": "Kota Kediri", "year": 2022, "framework": "gm100sc", "edition": "2022",
...      "node": node, "value": value}
...     for node, value in [("BASE", "3.60"), ("OUT", "3.21"), ("OUTC", "3.23"),
...                         ("IMP", "3.07"), ("QW", "3.65"), ("INDEX", "3.31")]
... ]
>>> panel = score_panel(rows)
>>> panel.keys
(('35.71', 2022),)
>>> panel.exact()[0], panel.published()[0], panel.bounds()[0]
(Decimal('3.315'), Decimal('3.32'), (Decimal('3.310'), Decimal('3.320')))
>>> panel.given()[0], panel.consistent()[0]
(Decimal('3.31'), True)

Data comes as assessments, as a long table (the CSV columns ``region, year, framework,
edition, node, value[, stage]``, as dicts or a data frame) or as a wide table (one
column per node).  pandas and polars frames (anything :mod:`narwhals` reads) go in
and come back out through :meth:`PanelResult.to_frame`; neither library is needed
otherwise.  Bad input is refused with a :class:`~kotacerdas.errors.PanelError` that
lists every problem with its row and how to fix it: nothing is skipped silently.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs

from kotacerdas import __version__
from kotacerdas._decimal import as_decimal, is_weighted, terminating, to_decimal
from kotacerdas.errors import (
    AmbiguousRegionError,
    PanelError,
    Problem,
    RegionNotFoundError,
    ScoringError,
)

if TYPE_CHECKING:
    from kotacerdas.assessment import Assessment
    from kotacerdas.model import Band, Framework, Node

__all__ = [
    "MAX_DECIMALS",
    "Layout",
    "MissingPolicy",
    "PanelResult",
    "PeerGroup",
    "RankMethod",
    "score_panel",
]

MissingPolicy: TypeAlias = Literal["fail", "omit", "keep"]
"""What to do when an input of the index is missing.

``fail``: refuse the panel and list the region-years and nodes that lack a value.
``omit``: drop missing inputs and renormalise the weights of the others (as
``scoring.score(..., missing="omit")``).  ``keep``: score what can be scored; an
aggregate with a missing input has no value, and the missing inputs are counted (as
``scoring.score(..., missing="fail")``).
"""

RankMethod: TypeAlias = Literal["min", "dense", "ordinal"]
"""How tied values are ranked: ``min`` (1, 2, 2, 4), ``dense`` (1, 2, 2, 3) or
``ordinal`` (1, 2, 3, 4; ties ordered by region code)."""

Layout: TypeAlias = Literal["long", "wide"]
"""One row per region, year and node (``long``), or per region and year (``wide``)."""

PeerGroup: TypeAlias = (
    Literal["level", "province", "cohort", "population_class"]
    | Callable[[str], Hashable]
    | Mapping[str, Hashable]
)
"""A peer group for rankings: a built-in key, a function of the region code, or a mapping
from region (code or name) to group."""

MAX_DECIMALS: Final = 6
"""The most decimal places an input value may have (fixed point stays within 64 bits)."""

_MAX_MAGNITUDE: Final = 10**9
_INT64_MAX: Final = 2**63 - 1
_SAFE: Final = 2**62
_META: Final = ("region", "year", "framework", "edition", "stage")
_LONG_REQUIRED: Final = ("region", "year", "node", "value")
_SHOW_ROWS: Final = 5

_BUILTIN_GROUPS: Final = ("level", "province", "cohort", "population_class")
FINAL: Final = "final"  # kotacerdas.assessment.FINAL, without importing the module


# -- the framework, prepared once ----------------------------------------------------------------


@attrs.frozen(eq=False)
class _Plan:
    """What the batch path needs to know about one framework edition."""

    fw: Framework
    index: str
    nodes: tuple[str, ...]  # result nodes: the index tree depth first, then derivation inputs
    kinds: tuple[str, ...]
    tree: frozenset[str]  # result nodes that score() reports
    columns: tuple[str, ...]  # input columns: leaves, their inputs, and the index (given value)
    col_of: Mapping[str, int]
    col_rubric: tuple[bool, ...]
    col_min: tuple[Fraction | None, ...]
    col_max: tuple[Fraction | None, ...]
    decimals: tuple[int | None, ...]  # publication decimals per result node
    half_even: tuple[bool, ...]
    bound_places: tuple[int | None, ...]  # bounds are written with at least this many places

    def node_index(self, code: str) -> int:
        return self.nodes.index(code)


@functools.lru_cache(maxsize=32)
def _plan(fw: Framework) -> _Plan:
    root = fw.index_node
    if root is None:
        raise ScoringError("scoring.no-index", framework=fw.ref)
    tree: list[Node] = []
    leaves: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        tree.append(node)
        if is_weighted(node):
            if node.aggregation not in (None, "arithmetic"):
                raise ScoringError(
                    "scoring.aggregation", node=node.code, aggregation=node.aggregation
                )
            stack.extend(reversed(node.children))
        else:
            leaves.append(node)
    inputs: list[Node] = []
    seen = {n.code for n in tree}
    for leaf in leaves:
        for code in leaf.inputs:
            node = fw.node(code)
            if node.rubric is not None:
                raise ScoringError("panel.unsupported", node=leaf.code, input=node.code)
            if node.code not in seen:
                seen.add(node.code)
                inputs.append(node)
    columns: list[Node] = [*leaves, *inputs]
    if root not in columns:
        columns.append(root)
    result = [*tree, *inputs]

    def scale(node: Node) -> Any:
        return node.scale or fw.scale

    def frac(value: Decimal | None) -> Fraction | None:
        return None if value is None else Fraction(value)

    decimals: list[int | None] = []
    for node in result:
        s = scale(node)
        decimals.append(None if s is None or node.rubric is not None else s.decimals)
    return _Plan(
        fw=fw,
        index=root.code,
        nodes=tuple(n.code for n in result),
        kinds=tuple(n.kind for n in result),
        tree=frozenset(n.code for n in tree),
        columns=tuple(n.code for n in columns),
        col_of={n.code: i for i, n in enumerate(columns)},
        col_rubric=tuple(n.rubric is not None for n in columns),
        col_min=tuple(frac(scale(n).minimum) if scale(n) else None for n in columns),
        col_max=tuple(frac(scale(n).maximum) if scale(n) else None for n in columns),
        decimals=tuple(decimals),
        half_even=tuple(
            bool(scale(n) is not None and scale(n).rounding == "half_even") for n in result
        ),
        bound_places=tuple(None if d is None else d + 1 for d in decimals),
    )


@attrs.frozen
class _Form:
    """The scores of every result node for one pattern of present inputs.

    ``weights[j]`` maps input columns to integer weights of node *j* over the common
    denominator ``denominators[j]`` (``None``: the node has no value).
    """

    weights: tuple[Mapping[int, int] | None, ...]
    denominators: tuple[int, ...]
    missing: tuple[int, ...]
    derived: tuple[bool, ...]
    lacking: tuple[str, ...]  # what is missing, for the "fail" message


@functools.lru_cache(maxsize=4096)
def _form(plan: _Plan, present: tuple[bool, ...], omit: bool) -> _Form:
    """Mirror :func:`kotacerdas.scoring.score` symbolically: each node as a linear form."""
    fw = plan.fw
    out: dict[str, tuple[dict[int, Fraction] | None, int, bool]] = {}
    lacking: list[str] = []

    def leaf(node: Node) -> tuple[dict[int, Fraction] | None, int]:
        col = plan.col_of[node.code]
        if present[col]:
            form = {col: Fraction(1)}
            out[node.code] = (form, 0, False)
            return form, 0
        if node.inputs:
            cols = [plan.col_of[fw.node(c).code] for c in node.inputs]
            derived: dict[int, Fraction] | None = None
            if all(present[c] for c in cols):
                derived = {}
                for c in cols:
                    derived[c] = derived.get(c, Fraction(0)) + Fraction(1, len(cols))
            else:
                absent = [plan.columns[c] for c in cols if not present[c]]
                lacking.append(f"{node.code} ({', '.join(absent)})")
            out[node.code] = (derived, 0, True)
            return derived, 0
        lacking.append(node.code)
        out[node.code] = (None, 1, False)
        return None, 1

    def visit(node: Node) -> tuple[dict[int, Fraction] | None, int]:
        if not is_weighted(node):
            return leaf(node)
        parts = [(child, *visit(child)) for child in node.children]
        missing = sum(m for _, _, m in parts)
        given = [(child, f) for child, f, _ in parts if f is not None]
        form: dict[int, Fraction] | None = None
        if given and (omit or len(given) == len(parts)):
            total = sum((Fraction(c.weight) for c, _ in given if c.weight is not None), Fraction(0))
            form = {}
            for child, f in given:
                assert child.weight is not None
                share = Fraction(child.weight) / total
                for col, coef in f.items():
                    form[col] = form.get(col, Fraction(0)) + share * coef
        out[node.code] = (form, missing, True)
        return form, missing

    visit(fw.node(plan.index))
    for code in plan.nodes:
        if code not in out:  # a derivation input, reported as given
            col = plan.col_of[code]
            out[code] = ({col: Fraction(1)}, 0, False) if present[col] else (None, 1, False)
    weights: list[Mapping[int, int] | None] = []
    dens: list[int] = []
    for code in plan.nodes:
        form = out[code][0]
        if form is None:
            weights.append(None)
            dens.append(1)
            continue
        den = math.lcm(*(c.denominator for c in form.values())) if form else 1
        weights.append({col: int(c * den) for col, c in form.items()})
        dens.append(den)
    return _Form(
        weights=tuple(weights),
        denominators=tuple(dens),
        missing=tuple(out[c][1] for c in plan.nodes),
        derived=tuple(out[c][2] for c in plan.nodes),
        lacking=tuple(lacking),
    )


# -- reading the input ---------------------------------------------------------------------------


_Factor: TypeAlias = tuple[list[str], Any]
"""Distinct texts, and each value's index into them (``-1`` for an empty cell)."""


@attrs.define
class _Raw:
    """The input as records (region-year rows) and cells (one value of one node each)."""

    layout: Literal["long", "wide", "assessments"]
    n: int
    region: _Factor  # per record
    year: Any  # per record: integer or float array, or a _Factor
    framework: _Factor | None
    edition: _Factor | None
    stage: _Factor | None  # per record (tables) or per cell (assessments)
    cell_rec: Any  # record of each cell
    cell_node: list[str]  # node text of each cell …
    cell_node_idx: Any  # … as an index into cell_node
    chunks: list[tuple[int, Any, Any]]  # (first cell, values, null mask or None: detect)
    n_cells: int
    frame: bool = False  # NaN in a text column is an empty cell (pandas' convention)
    labels: list[str] = attrs.field(factory=list)  # assessments: "35.71 2022" per record

    def where(self, rec: int, cell_node: str | None = None) -> str:
        if self.layout == "assessments":
            text = f"assessment {rec} ({self.labels[rec]})"
            return f"{text}, score {cell_node}" if cell_node is not None else text
        if self.layout == "wide" and cell_node is not None:
            return f"row {rec}, column {cell_node}"
        return f"row {rec}"

    def where_many(self, recs: Iterable[int]) -> str:
        return _where_many(self.layout, recs, self.labels)


def _where_many(layout: str, recs: Iterable[int], labels: Sequence[str] = ()) -> str:
    """``rows 3, 7`` or ``assessments 0 (35.71 2022), 4 (…)``: at most five, then a count."""
    ordered = sorted({int(r) for r in recs})
    if layout == "assessments":
        shown = ", ".join(f"{r} ({labels[r]})" for r in ordered[:_SHOW_ROWS])
        head = "assessment" if len(ordered) == 1 else "assessments"
    else:
        shown = ", ".join(str(r) for r in ordered[:_SHOW_ROWS])
        head = "row" if len(ordered) == 1 else "rows"
    more = f" (+{len(ordered) - _SHOW_ROWS} more)" if len(ordered) > _SHOW_ROWS else ""
    return f"{head} {shown}{more}"


def _np() -> Any:
    import numpy

    return numpy


def _object_array(values: Sequence[Any]) -> Any:
    np = _np()
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


def _factorize(values: Any, frame: bool) -> _Factor:
    """Each value's text as an index into the distinct texts, hashing each value once.

    Sorting text arrays is slow; a dict look-up per value runs in C and keeps the cost of
    a national panel's region column to a millisecond or two.  Values are told apart by
    their text, not their value: ``Decimal("3.6")`` and ``Decimal("3.60")`` (or ``1``
    and ``True``) are equal but are not written alike.
    """
    np = _np()
    if hasattr(values, "dtype") and len(values):
        first = values[0]
        if isinstance(first, str) and (values == first).all():  # a constant column
            return [first], np.zeros(len(values), dtype=np.int64)
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


def _is_frame(data: Any) -> bool:
    if isinstance(data, str | bytes | Mapping | list | tuple) or not hasattr(data, "__len__"):
        return False
    module = type(data).__module__.split(".")[0]
    return module in {"pandas", "polars", "pyarrow", "modin", "cudf", "narwhals", "dask"} or (
        hasattr(data, "__dataframe__") or hasattr(data, "__arrow_c_stream__")
    )


def _read(data: Any) -> _Raw:
    from kotacerdas.assessment import Assessment

    if _is_frame(data):
        return _read_frame(data)
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
    np = _np()
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
        cell_rec=np.asarray(rec, dtype=np.int64),
        cell_node=node_names,
        cell_node_idx=node_idx,
        chunks=[(0, _object_array(values), np.zeros(len(values), dtype=bool))],
        n_cells=len(values),
        labels=[f"{a.region} {a.year}" for a in items],
    )


def _read_dicts(items: list[Mapping[str, Any]]) -> _Raw:
    names: dict[str, None] = {}
    for item in items:
        names.update(dict.fromkeys(item))
    columns = {str(name): _object_array([item.get(name) for item in items]) for name in names}
    return _read_columns(columns, dict.fromkeys(columns), len(items), frame=False)


def _read_frame(data: Any) -> _Raw:
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
        # from null, which to_numpy() merges.  Text columns are checked value by value.
        nulls[str(name)] = (
            series.is_null().to_numpy().astype(bool) if values.dtype.kind == "f" else None
        )
    return _read_columns(columns, nulls, len(frame), frame=True)


def _meta(values: Any, null: Any, frame: bool) -> _Factor:
    texts, codes = _factorize(values, frame)
    if null is not None:
        codes = codes.copy()
        codes[null] = -1
    return texts, codes


def _read_columns(columns: dict[str, Any], nulls: dict[str, Any], n: int, *, frame: bool) -> _Raw:
    np = _np()
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
    if long:
        node_names, node_idx = meta["node"]
        return _Raw(
            layout="long",
            n=n,
            region=meta["region"],
            year=year,
            framework=meta.get("framework"),
            edition=meta.get("edition"),
            stage=meta.get("stage"),
            cell_rec=np.arange(n, dtype=np.int64),
            cell_node=node_names,
            cell_node_idx=node_idx,
            chunks=[(0, columns["value"], nulls["value"])],
            n_cells=n,
            frame=frame,
        )
    node_columns = [c for c in columns if c not in _META]
    chunks = [(i * n, columns[c], nulls[c]) for i, c in enumerate(node_columns)]
    return _Raw(
        layout="wide",
        n=n,
        region=meta["region"],
        year=year,
        framework=meta.get("framework"),
        edition=meta.get("edition"),
        stage=meta.get("stage"),
        cell_rec=np.tile(np.arange(n, dtype=np.int64), len(node_columns)),
        cell_node=node_columns,
        cell_node_idx=np.repeat(np.arange(len(node_columns), dtype=np.int64), n),
        chunks=chunks,
        n_cells=n * len(node_columns),
        frame=frame,
    )


# -- values --------------------------------------------------------------------------------------


_Bad: TypeAlias = list[tuple[int, str, dict[str, object]]]
"""Values that cannot be read: (cell, problem code, message parameters)."""


@attrs.define
class _Values:
    """Every cell's value as ``mantissa × 10^-exponent`` (exponent = decimals written)."""

    mantissa: Any
    exponent: Any
    null: Any
    problems: _Bad  # (cell, code, params)


def _parse_values(raw: _Raw, decimals: int | None) -> _Values:
    np = _np()
    m = np.zeros(raw.n_cells, dtype=np.int64)
    e = np.zeros(raw.n_cells, dtype=np.int64)
    null = np.zeros(raw.n_cells, dtype=bool)
    problems: _Bad = []
    for start, values, nulls in raw.chunks:
        part = slice(start, start + len(values))
        kind = values.dtype.kind
        if kind in "iu":
            cm, ce, bad = _parse_ints(values)
            cn = np.zeros(len(values), dtype=bool)
        elif kind == "f":
            cn = np.isnan(values) if nulls is None else nulls
            cm, ce, bad = _parse_floats(values, cn, decimals)
        else:
            cm, ce, cn, bad = _parse_objects(values, raw.frame)
            if nulls is not None:
                cn = cn | nulls
        null[part] = cn
        m[part] = cm
        e[part] = ce
        problems.extend((start + i, code, params) for i, code, params in bad)
    if decimals is not None:
        over = np.flatnonzero(~null & (e > decimals))
        problems.extend(
            (int(i), "panel.precision", {"value": _text(m[i], e[i]), "limit": decimals})
            for i in over
        )
        shift = np.clip(decimals - e, 0, 18)
        m = np.where(null, 0, m * _pow10(shift))
        e = np.where(null, 0, np.full_like(e, decimals))
    return _Values(m, e, null, problems)


def _pow10(exponents: Any) -> Any:
    np = _np()
    table = np.array([10**k for k in range(19)], dtype=np.int64)
    return table[exponents]


def _text(mantissa: Any, exponent: Any) -> str:
    return str(Decimal(int(mantissa)).scaleb(-int(exponent)))


def _parse_ints(values: Any) -> tuple[Any, Any, _Bad]:
    np = _np()
    m = values.astype(np.int64)
    bad = np.flatnonzero(np.abs(m) >= _MAX_MAGNITUDE)
    problems: _Bad = [(int(i), "panel.too-large", {"value": str(values[i])}) for i in bad]
    m[bad] = 0
    return m, np.zeros(len(values), dtype=np.int64), problems


def _parse_floats(values: Any, nulls: Any, decimals: int | None) -> tuple[Any, Any, _Bad]:
    """Floats read as the shortest decimal that prints them (``3.6`` has one decimal)."""
    np = _np()
    x = np.where(nulls, 0.0, values.astype(np.float64))
    problems: _Bad = []
    finite = np.isfinite(x)
    for i in np.flatnonzero(~finite):
        problems.append((int(i), "panel.nan", {"value": str(values[i])}))
    x = np.where(finite, x, 0.0)
    large = np.abs(x) >= _MAX_MAGNITUDE
    for i in np.flatnonzero(large):
        problems.append((int(i), "panel.too-large", {"value": repr(float(values[i]))}))
    x = np.where(large, 0.0, x)
    m = np.zeros(len(x), dtype=np.int64)
    e = np.full(len(x), -1, dtype=np.int64)
    top = MAX_DECIMALS if decimals is None else decimals
    for k in range(top + 1):
        todo = e < 0
        if not todo.any():
            break
        scaled = np.rint(x * 10.0**k)
        fits = todo & (scaled / 10.0**k == x)
        m[fits] = scaled[fits].astype(np.int64)
        e[fits] = k
    for i in np.flatnonzero(e < 0):
        problems.append(
            (int(i), "panel.precision", {"value": repr(float(values[i])), "limit": top})
        )
    e[e < 0] = 0
    return m, e, problems


def _parse_objects(values: Any, frame: bool) -> tuple[Any, Any, Any, _Bad]:
    """Text, Decimal and mixed values, each distinct text parsed once."""
    np = _np()
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


# -- scoring -------------------------------------------------------------------------------------


def score_panel(
    data: Any,
    framework: Framework | str | None = None,
    *,
    stage: str = FINAL,
    missing: MissingPolicy = "fail",
    decimals: int | None = None,
    units: Iterable[str] = (),
) -> PanelResult:
    """Score many regions and years at once, exactly as :func:`kotacerdas.scoring.score`.

    Args:
        data: Assessments; a long table (dicts or a data frame with the CSV columns
            ``region, year, framework, edition, node, value`` and an optional ``stage``);
            or a wide table (``region, year[, framework, edition]`` and one column per
            node code).  A pandas or polars frame, or anything :mod:`narwhals` reads.
            Regions may be codes or names (resolved with
            :func:`kotacerdas.regions.resolve`), nodes codes, aliases or labels.  Empty
            cells (None, null, pandas' NaN) are missing values.  Nodes of the edition
            that the index does not use (sub-dimensions, Quick Win criteria) play no part.
        framework: The edition, or its reference (``"gm100sc@2024"``); by default the
            one edition the data names.  The data may then omit ``framework`` and
            ``edition``.
        stage: Which stage's scores are the inputs (default ``final``); rows of other
            stages play no part.
        missing: ``fail`` (refuse, listing what is missing), ``omit`` (renormalise the
            weights of the inputs present) or ``keep`` (no value where an input is
            missing, and the count); see :data:`MissingPolicy`.
        decimals: Read every value as written with exactly this many decimals.  Values
            keep the decimals they are written with by default (``"3.60"`` has two);
            a binary float cannot, and reads as the shortest decimal it prints as
            (``3.6`` has one), which widens its bounds: pass ``decimals=2`` for a float
            column of two-decimal scores.
        units: Codes of assessed units that are not regions (e.g. central agencies
            under SPBE), besides those the framework names; they match by exact code.

    Raises:
        PanelError: the data cannot be scored as given; every problem is listed with its
            row (counting from 0, as ``DataFrame.iloc`` and list indexing do) or
            assessment, and the fix.
        ScoringError: the framework has no index or aggregates other than by a weighted
            arithmetic mean (the node is named).
        FrameworkNotFoundError: the framework named is not bundled.
    """
    np = _np()
    if missing not in ("fail", "omit", "keep"):
        raise ScoringError(
            "panel.argument", name="missing", value=missing, choices="fail, omit, keep"
        )
    if decimals is not None and (
        isinstance(decimals, bool)
        or not isinstance(decimals, int)
        or not 0 <= decimals <= MAX_DECIMALS
    ):
        raise ScoringError(
            "panel.argument", name="decimals", value=decimals, choices=f"0 … {MAX_DECIMALS}"
        )
    raw = _read(data)
    fw = _framework(raw, framework)
    plan = _plan(fw)
    problems: list[Problem] = []

    # Which records and cells take part: those of the stage.
    rec_ok = np.ones(raw.n, dtype=bool)
    cell_ok = np.ones(raw.n_cells, dtype=bool)
    if raw.stage is not None:
        stages = _stage_mask(raw.stage, stage)
        if raw.layout == "assessments":
            cell_ok &= stages
        else:
            rec_ok &= stages
            cell_ok &= rec_ok[raw.cell_rec]
    if not rec_ok.any():
        raise PanelError([Problem("panel.no-stage", "", {"stage": stage})])

    region_codes, rec_region = _regions(raw, fw, rec_ok, problems, units)
    rec_year = _years(raw, rec_ok, problems)
    node_cols = _nodes(raw, plan, problems)
    values = _parse_values(raw, decimals)
    cell_col = node_cols[raw.cell_node_idx] if raw.n_cells else np.zeros(0, dtype=np.int64)
    used = cell_ok & (cell_col >= 0)
    for cell, code, params in values.problems:
        if used[cell]:
            problems.append(Problem(code, _cell_where(raw, cell), params))
    if problems:
        raise PanelError(problems)

    # Region-years: sorted by region code, then year.
    recs = np.flatnonzero(rec_ok)
    y0 = int(rec_year[recs].min())
    span = int(rec_year[recs].max()) - y0 + 1
    rec_key_raw = rec_region * span + (rec_year - y0)
    keys, key_inv = np.unique(rec_key_raw[recs], return_inverse=True)
    rec_key = np.full(raw.n, -1, dtype=np.int64)
    rec_key[recs] = key_inv.reshape(-1)
    n_keys = len(keys)
    key_region = [region_codes[int(k) // span] for k in keys]
    key_year = [int(k) % span + y0 for k in keys]

    if raw.layout != "long":
        counts = np.bincount(rec_key[recs], minlength=n_keys)
        for k in np.flatnonzero(counts > 1):
            dups = recs[rec_key[recs] == k]
            problems.append(
                Problem(
                    "panel.duplicate-key",
                    raw.where_many(dups),
                    {"region": key_region[k], "year": key_year[k]},
                )
            )
        if problems:
            raise PanelError(problems)

    # Cells → the matrix of input columns.
    cells = np.flatnonzero(used)
    cell_key = rec_key[raw.cell_rec[cells]]
    cols = cell_col[cells]
    n_cols = len(plan.columns)
    slot = cell_key * n_cols + cols
    order = np.argsort(slot, kind="stable")
    sorted_slot = slot[order]
    dup = np.flatnonzero(sorted_slot[1:] == sorted_slot[:-1])
    if len(dup):
        for s in np.unique(sorted_slot[dup]):
            where = cells[slot == s]
            k, c = divmod(int(s), n_cols)
            problems.append(
                Problem(
                    "panel.duplicate-node",
                    _cells_where(raw, where),
                    {"region": key_region[k], "year": key_year[k], "node": plan.columns[c]},
                )
            )
        raise PanelError(problems)

    present = np.zeros((n_keys, n_cols), dtype=bool)
    mant = np.zeros((n_keys, n_cols), dtype=np.int64)
    expo = np.zeros((n_keys, n_cols), dtype=np.int64)
    given = ~values.null[cells]
    present[cell_key[given], cols[given]] = True
    mant[cell_key[given], cols[given]] = values.mantissa[cells][given]
    expo[cell_key[given], cols[given]] = values.exponent[cells][given]

    computed = _compute(plan, present, mant, expo, omit=missing == "omit")
    if missing == "fail":
        _check_missing(plan, computed, key_region, key_year)
    return PanelResult(
        framework=fw.id,
        edition=fw.edition,
        index_code=plan.index,
        method=f"official weighted arithmetic, exact (int64 fixed point, 10^-{computed.scale}); "
        f"levels=claimed; missing={missing}",
        stage=stage,
        missing=missing,
        regions=tuple(key_region),
        years=tuple(key_year),
        nodes=plan.nodes,
        plan=plan,
        arrays=computed,
    )


def _cell_where(raw: _Raw, cell: int) -> str:
    return raw.where(int(raw.cell_rec[cell]), raw.cell_node[int(raw.cell_node_idx[cell])])


def _cells_where(raw: _Raw, cells: Any) -> str:
    if raw.layout == "long":
        return raw.where_many([int(raw.cell_rec[c]) for c in cells])
    return "; ".join(_cell_where(raw, int(c)) for c in cells[:_SHOW_ROWS])


def _stage_mask(stages: _Factor, stage: str) -> Any:
    np = _np()
    texts, idx = stages
    want = np.array(
        [t.strip() == stage or (not t.strip() and stage == FINAL) for t in texts]
        + [stage == FINAL],  # [-1]: an empty stage cell is the final stage
        dtype=bool,
    )
    return want[idx]


def _framework(raw: _Raw, framework: Framework | str | None) -> Framework:
    from kotacerdas import frameworks

    if isinstance(framework, str):
        framework = frameworks.load(framework)
    if raw.framework is None or raw.edition is None:
        if framework is None:
            raise PanelError([Problem("panel.no-framework")])
        return framework
    np = _np()
    # Distinct (framework, edition) pairs, from the two factorised columns.
    (fw_texts, fw_idx), (ed_texts, ed_idx) = raw.framework, raw.edition
    pair = (fw_idx + 1) * (len(ed_texts) + 1) + (ed_idx + 1)
    pairs, inv = np.unique(pair, return_inverse=True)
    inv = inv.reshape(-1)
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
    refs = merged
    problems: list[Problem] = []
    for i, ref in enumerate(refs):
        if ref.startswith("@") or ref.endswith("@"):
            column = "framework" if ref.startswith("@") else "edition"
            problems.append(
                Problem(
                    "panel.empty-cell", raw.where_many(np.flatnonzero(inv == i)), {"column": column}
                )
            )
    if problems:
        raise PanelError(problems)
    if framework is not None:
        for i, ref in enumerate(refs):
            if ref != framework.ref:
                problems.append(
                    Problem(
                        "panel.framework-mismatch",
                        raw.where_many(np.flatnonzero(inv == i)),
                        {"given": ref, "expected": framework.ref},
                    )
                )
        if problems:
            raise PanelError(problems)
        return framework
    if len(refs) > 1:
        listing = "; ".join(
            f"{ref}: {raw.where_many(np.flatnonzero(inv == i))}" for i, ref in enumerate(refs)
        )
        raise PanelError([Problem("panel.mixed-framework", "", {"refs": listing})])
    return frameworks.load(refs[0])


def _regions(
    raw: _Raw, fw: Framework, rec_ok: Any, problems: list[Problem], extra: Iterable[str]
) -> tuple[list[str], Any]:
    """Region codes (sorted) and each record's index into them."""
    from kotacerdas import regions

    np = _np()
    texts, idx = raw.region
    units = {u.code: u.label.get() for u in fw.units}
    units.update({str(code): str(code) for code in extra if str(code) not in units})
    codes: list[str | None] = []
    for i, text in enumerate(texts):
        try:
            codes.append(regions.resolve_unit(text, units).code)
        except AmbiguousRegionError as exc:
            codes.append(None)
            rows = np.flatnonzero((idx == i) & rec_ok)
            if len(rows):
                problems.append(Problem("panel.region-ambiguous", raw.where_many(rows), exc.params))
        except RegionNotFoundError as exc:
            codes.append(None)
            rows = np.flatnonzero((idx == i) & rec_ok)
            if len(rows):
                params = {"query": exc.query, "suggestions": exc.params["suggestions"] or "-"}
                problems.append(Problem("panel.region-unknown", raw.where_many(rows), params))
    distinct = sorted({c for c in codes if c is not None})
    position = {c: i for i, c in enumerate(distinct)}
    lookup = np.array([*(position[c] if c is not None else 0 for c in codes), 0], dtype=np.int64)
    return distinct, lookup[idx]


def _years(raw: _Raw, rec_ok: Any, problems: list[Problem]) -> Any:
    np = _np()
    years = raw.year
    if not isinstance(years, tuple):
        if years.dtype.kind in "iu":
            return years.astype(np.int64)
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


def _nodes(raw: _Raw, plan: _Plan, problems: list[Problem]) -> Any:
    """The input column of each distinct node text; ``-1`` for nodes the index does not use."""
    np = _np()
    out = np.full(len(raw.cell_node), -1, dtype=np.int64)
    unknown: list[int] = []
    for i, text in enumerate(raw.cell_node):
        node = plan.fw.get(text)
        if node is None:
            unknown.append(i)
        elif node.code in plan.col_of:
            out[i] = plan.col_of[node.code]
    for i in unknown:
        text = raw.cell_node[i]
        if raw.layout == "wide":
            where = f"column {text}"
        else:
            where = raw.where_many(raw.cell_rec[np.flatnonzero(raw.cell_node_idx == i)])
        problems.append(
            Problem("panel.unknown-node", where, {"node": text, "framework": plan.fw.ref})
        )
    return out


@attrs.frozen(eq=False)
class _Arrays:
    """The primary storage of a :class:`PanelResult`, as integer arrays.

    One row per region-year, one column per node.  Exact values are ``num / den``;
    bounds ``low / den`` and ``high / den``.
    """

    scale: int  # fixed-point exponent of the inputs
    num: Any
    low: Any
    high: Any
    den: Any
    valid: Any
    missing: Any
    derived: Any
    published: Any  # integers at 10^-decimals of each node; valid where valid & decimals known
    given_m: Any  # values as given (mantissa, exponent), for nodes that are inputs
    given_e: Any
    given_ok: Any
    consistent: Any  # per row: 1, 0, or -1 (no published value to check)
    patterns: Any  # per row: its pattern of present inputs
    lacking: tuple[tuple[str, ...], ...]  # per pattern


def _patterns(present: Any) -> tuple[Any, Any]:
    """The distinct rows of *present*, and each row's index into them."""
    np = _np()
    n = present.shape[0]
    if n and (present == present[0]).all():  # the usual case: every row has every input
        return present[:1], np.zeros(n, dtype=np.int64)
    packed = np.packbits(present, axis=1)
    if packed.shape[1] <= 8:
        weights = np.left_shift(
            np.ones(packed.shape[1], dtype=np.uint64),
            np.arange(packed.shape[1], dtype=np.uint64) * np.uint64(8),
        )
        keys = packed.astype(np.uint64) @ weights
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    return present[first], inverse.reshape(-1)


def _compute(plan: _Plan, present: Any, mant: Any, expo: Any, *, omit: bool) -> _Arrays:
    np = _np()
    n, n_cols = present.shape
    k = len(plan.nodes)
    d = int(expo[present].max()) if present.any() else 0
    scale = d + 1
    for bound in (*plan.col_min, *plan.col_max):
        if bound is not None:
            while (bound * 10**scale).denominator != 1:
                scale += 1
    if scale > MAX_DECIMALS + 2:
        raise ScoringError("panel.overflow", node=plan.index)
    # Inputs at 10^-scale, with their intervals (± half a unit of the last written place).
    x = np.where(present, mant * _pow10(np.clip(scale - expo, 0, 18)), 0)
    half = np.where(present, 5 * _pow10(np.clip(scale - 1 - expo, 0, 18)), 0)
    lo = x - half
    hi = x + half
    for c in range(n_cols):
        if plan.col_rubric[c]:
            lo[:, c] = x[:, c]
            hi[:, c] = x[:, c]
            continue
        floor, ceiling = plan.col_min[c], plan.col_max[c]
        if floor is not None:
            lo[:, c] = np.maximum(lo[:, c], int(floor * 10**scale))
        if ceiling is not None:
            hi[:, c] = np.minimum(hi[:, c], int(ceiling * 10**scale))
    lo = np.minimum(lo, x)
    hi = np.maximum(hi, x)

    num = np.zeros((n, k), dtype=np.int64)
    low = np.zeros((n, k), dtype=np.int64)
    high = np.zeros((n, k), dtype=np.int64)
    den = np.ones((n, k), dtype=np.int64)
    valid = np.zeros((n, k), dtype=bool)
    missing = np.zeros((n, k), dtype=np.int64)
    derived = np.zeros((n, k), dtype=bool)
    unit = 10**scale
    patterns, inverse = _patterns(present)
    order = np.argsort(inverse, kind="stable")
    bounds = np.searchsorted(inverse[order], np.arange(len(patterns) + 1))
    magnitude = np.maximum(np.abs(lo), np.abs(hi))
    lacking: list[tuple[str, ...]] = []
    for p, pattern in enumerate(patterns):
        rows = order[bounds[p] : bounds[p + 1]]
        form = _form(plan, tuple(bool(b) for b in pattern), omit)
        lacking.append(form.lacking)
        w = np.zeros((n_cols, k), dtype=object)
        for j, weights in enumerate(form.weights):
            if weights is not None:
                for c, v in weights.items():
                    w[c, j] = v
        biggest = magnitude[rows].max(axis=0).astype(object)
        reach = np.abs(w).T.dot(biggest)
        dens = [dn * unit for dn in form.denominators]
        if any(int(r) >= _INT64_MAX for r in reach) or any(dn >= _SAFE for dn in dens):
            worst = max(range(k), key=lambda j: int(reach[j]))
            raise ScoringError("panel.overflow", node=plan.nodes[worst])
        w64 = w.astype(np.int64)
        num[rows] = x[rows] @ w64
        low[rows] = lo[rows] @ w64
        high[rows] = hi[rows] @ w64
        den[rows] = np.asarray(dens, dtype=np.int64)
        valid[rows] = np.asarray([wt is not None for wt in form.weights], dtype=bool)
        missing[rows] = np.asarray(form.missing, dtype=np.int64)
        derived[rows] = np.asarray(form.derived, dtype=bool)

    published = np.zeros((n, k), dtype=np.int64)
    for j, places in enumerate(plan.decimals):
        if places is None:
            continue
        col_valid = valid[:, j]
        if not col_valid.any():
            continue
        a = np.abs(num[:, j])
        if int(a.max()) * 10**places >= _SAFE:
            raise ScoringError("panel.overflow", node=plan.nodes[j])
        a = a * 10**places
        q, r = np.divmod(a, den[:, j])
        twice = 2 * r
        up = twice > den[:, j]
        tie = twice == den[:, j]
        up |= tie & ((q % 2 == 1) if plan.half_even[j] else True)
        q = q + up
        published[:, j] = np.where(col_valid, np.where(num[:, j] < 0, -q, q), 0)

    # The values as given, for the nodes that are inputs.
    given_m = np.zeros((n, k), dtype=np.int64)
    given_e = np.zeros((n, k), dtype=np.int64)
    given_ok = np.zeros((n, k), dtype=bool)
    for j, code in enumerate(plan.nodes):
        col = plan.col_of.get(code)
        if col is not None:
            given_ok[:, j] = present[:, col]
            given_m[:, j] = mant[:, col]
            given_e[:, j] = expo[:, col]

    # Whether a published (given) index fits the interval of the rounded inputs.
    consistent = np.full(n, -1, dtype=np.int64)
    j = plan.node_index(plan.index)
    c = plan.col_of[plan.index]
    check = present[:, c] & valid[:, j]
    if check.any():
        g = x[:, c]
        h = 5 * _pow10(np.clip(scale - 1 - expo[:, c], 0, 18))
        factor = den[:, j] // unit
        reach = (int(np.abs(g).max()) + int(h.max())) * int(factor.max())
        if reach >= _SAFE:
            raise ScoringError("panel.overflow", node=plan.index)
        ok = (low[:, j] < (g + h) * factor) & (high[:, j] >= (g - h) * factor)
        consistent = np.where(check, ok.astype(np.int64), -1)
    arrays = [num, low, high, den, valid, missing, derived, published]
    arrays += [given_m, given_e, given_ok, consistent, inverse]
    for arr in arrays:
        arr.setflags(write=False)
    return _Arrays(
        scale=scale,
        num=num,
        low=low,
        high=high,
        den=den,
        valid=valid,
        missing=missing,
        derived=derived,
        published=published,
        given_m=given_m,
        given_e=given_e,
        given_ok=given_ok,
        consistent=consistent,
        patterns=inverse,
        lacking=tuple(lacking),
    )


def _check_missing(plan: _Plan, a: _Arrays, regions: list[str], years: list[int]) -> None:
    np = _np()
    j = plan.node_index(plan.index)
    bad = np.flatnonzero(~a.valid[:, j] | (a.missing[:, j] > 0))
    if not len(bad):
        return
    problems = [
        Problem(
            "panel.missing",
            f"{regions[r]} {years[r]}",
            {"nodes": ", ".join(a.lacking[int(a.patterns[r])]) or plan.index},
        )
        for r in bad
    ]
    raise PanelError(problems)


# -- decimals for output -------------------------------------------------------------------------


def _decimals(num: Any, den: Any, valid: Any, places: int | None = None) -> list[Decimal | None]:
    """``num / den`` as :func:`kotacerdas.scoring.to_decimal` writes it, for whole columns.

    Terminating values (every value of the official frameworks, except SPBE's and
    GM100SC's derived means) are scaled to integers over a power of ten, stripped of
    trailing zeros and padded to *places* decimals in integer arithmetic; only the final
    :class:`~decimal.Decimal` is built per value.
    """
    np = _np()
    n = len(num)
    digits = np.zeros(n, dtype=np.int64)
    exponent = np.zeros(n, dtype=np.int64)
    fast = np.zeros(n, dtype=bool)
    for d in np.unique(den[valid]).tolist():
        rows = valid & (den == d)
        term = terminating(int(d))
        if term is None or int(np.abs(num[rows]).max()) * term[0] >= _SAFE // 10**MAX_DECIMALS:
            continue
        digits[rows] = num[rows] * term[0]
        exponent[rows] = term[1]
        fast |= rows
    while True:  # strip trailing zeros: 3.3100 → 3.31 (never past the decimal point)
        zeros = fast & (exponent > 0) & (digits % 10 == 0)
        if not zeros.any():
            break
        digits[zeros] //= 10
        exponent[zeros] -= 1
    if places is not None:
        pad = fast & (exponent < places)
        digits[pad] *= _pow10(places - exponent[pad])
        exponent[pad] = places
    out: list[Decimal | None] = [None] * n
    for i, (s, x) in enumerate(zip(digits.tolist(), exponent.tolist(), strict=True)):
        if fast[i]:
            out[i] = Decimal(s).scaleb(-x)
    for i in np.flatnonzero(valid & ~fast).tolist():
        out[i] = _with_places(to_decimal(Fraction(int(num[i]), int(den[i]))), places)
    return out


def _with_places(value: Decimal | None, places: int | None) -> Decimal | None:
    if value is None or places is None:
        return value
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent < places:
        return value.quantize(Decimal(1).scaleb(-places))
    return value


# -- the result ----------------------------------------------------------------------------------


def _target(value: Decimal | str | int | float) -> Decimal:
    try:
        out = as_decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ScoringError(
            "panel.argument", name="target", value=value, choices="a number"
        ) from None
    if not out.is_finite():
        raise ScoringError("panel.argument", name="target", value=value, choices="a finite number")
    return out


@attrs.frozen(eq=False, repr=False)
class PanelResult:
    """The official scores of a panel of region-years: every node, exactly.

    One row per region-year (sorted by region code, then year) and one column per node:
    the index tree depth first (``INDEX`` first), then the nodes an input is derived
    from (GM100SC's six dimensions).  The values are held as integer arrays and turned
    into :class:`~decimal.Decimal` only when read, by the methods below; each method that
    takes a ``node`` defaults to the index.

    It carries the framework edition, the method and the library version, so stored
    output says how it was made.

    Attributes:
        framework: Framework id (``gm100sc``).
        edition: Framework edition (``2024``).
        index_code: The index node.
        method: How the values were computed.
        stage: The stage whose scores were the inputs.
        missing: The missing-value policy used.
        regions: Region code of each row.
        years: Year of each row.
        nodes: Node codes, in column order.
        version: The kotacerdas version that computed it.
    """

    framework: str
    edition: str
    index_code: str
    method: str
    stage: str
    missing: MissingPolicy
    regions: tuple[str, ...]
    years: tuple[int, ...]
    nodes: tuple[str, ...]
    _plan: _Plan = attrs.field(repr=False, alias="plan")
    _a: _Arrays = attrs.field(repr=False, alias="arrays")
    version: str = __version__
    _cache: dict[tuple[str, int], list[Any]] = attrs.field(factory=dict, init=False, repr=False)

    # -- shape ------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<PanelResult {self.framework_ref}: {len(self)} region-years, "
            f"{len(self.nodes)} nodes, missing={self.missing!r}>"
        )

    @property
    def framework_ref(self) -> str:
        """``ID@EDITION``."""
        return f"{self.framework}@{self.edition}"

    @property
    def keys(self) -> tuple[tuple[str, int], ...]:
        """``(region code, year)`` of each row."""
        return tuple(zip(self.regions, self.years, strict=True))

    def __len__(self) -> int:
        return len(self.regions)

    def _col(self, node: str | None) -> int:
        if node is None:
            return self._plan.node_index(self.index_code)
        found = self._plan.fw.get(node)
        if found is None or found.code not in self.nodes:
            raise ScoringError(
                "panel.node", node=node, framework=self.framework_ref, nodes=", ".join(self.nodes)
            )
        return self.nodes.index(found.code)

    def _memo(self, what: str, j: int, build: Callable[[], list[Any]]) -> list[Any]:
        key = (what, j)
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # -- values -----------------------------------------------------------------------------

    def exact(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """Exact values (rounded to 28 decimals only when they do not terminate).

        A value equal to the one the data gives keeps the digits it was written with
        (``3.60``, not ``3.6``), as in :class:`kotacerdas.scoring.NodeScore`.
        """
        j = self._col(node)
        a = self._a

        def build() -> list[Any]:
            values = _decimals(a.num[:, j], a.den[:, j], a.valid[:, j])
            given = self.given(self.nodes[j])
            return [
                g if v is not None and g is not None and g == v else v
                for v, g in zip(values, given, strict=True)
            ]

        return tuple(self._memo("exact", j, build))

    def published(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """Exact values rounded as the framework publishes them (``None`` if it does not say)."""
        j = self._col(node)
        places = self._plan.decimals[j]
        a = self._a

        def build() -> list[Any]:
            if places is None:
                return [None] * len(self)
            return [
                Decimal(int(v)).scaleb(-places) if ok else None
                for v, ok in zip(a.published[:, j].tolist(), a.valid[:, j].tolist(), strict=True)
            ]

        return tuple(self._memo("published", j, build))

    def value(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """What a reader sees: the published value when the rounding is known, else exact."""
        if self._plan.decimals[self._col(node)] is None:
            return self.exact(node)
        return self.published(node)

    def bounds(self, node: str | None = None) -> tuple[tuple[Decimal, Decimal] | None, ...]:
        """Lowest and highest exact value the rounded inputs allow."""
        j = self._col(node)
        a = self._a
        places = self._plan.bound_places[j]

        def build() -> list[Any]:
            lows = _decimals(a.low[:, j], a.den[:, j], a.valid[:, j], places)
            highs = _decimals(a.high[:, j], a.den[:, j], a.valid[:, j], places)
            return [
                None if lo is None or hi is None else (lo, hi)
                for lo, hi in zip(lows, highs, strict=True)
            ]

        return tuple(self._memo("bounds", j, build))

    def given(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """The values the data gave, as written (for the index: the published index)."""
        j = self._col(node)
        a = self._a
        return tuple(
            self._memo(
                "given",
                j,
                lambda: [
                    Decimal(m).scaleb(-e) if ok else None
                    for m, e, ok in zip(
                        a.given_m[:, j].tolist(),
                        a.given_e[:, j].tolist(),
                        a.given_ok[:, j].tolist(),
                        strict=True,
                    )
                ],
            )
        )

    def n_missing(self, node: str | None = None) -> tuple[int, ...]:
        """How many inputs below the node had no value, per row."""
        return tuple(self._a.missing[:, self._col(node)].tolist())

    def derived(self, node: str | None = None) -> tuple[bool, ...]:
        """Whether the value was computed (from children or inputs) rather than given."""
        return tuple(self._a.derived[:, self._col(node)].tolist())

    def predicate(self) -> tuple[Band | None, ...]:
        """The predicate band of each index value, if the framework has bands."""
        bands = self._plan.fw.predicates
        if bands is None:
            return (None,) * len(self)
        return tuple(None if v is None else bands.classify(v) for v in self.value())

    def consistent(self) -> tuple[bool | None, ...]:
        """Whether each given (published) index fits the interval of the rounded inputs.

        ``None`` where the data gave no index, or the index has no value.
        """
        return tuple(None if c < 0 else bool(c) for c in self._a.consistent.tolist())

    # -- comparisons ------------------------------------------------------------------------

    def _order_keys(self, j: int, exact: bool) -> tuple[Any, Any]:
        """Integers that order the node's values like the values, and where there are any."""
        np = _np()
        a = self._a
        valid = a.valid[:, j]
        places = self._plan.decimals[j]
        if not exact and places is not None:
            return a.published[:, j], valid
        dens = {int(v) for v in np.unique(a.den[valid, j])} or {1}
        common = math.lcm(*dens)
        biggest = int(np.abs(a.num[:, j]).max()) * (common // min(dens)) if len(self) else 0
        if biggest < _INT64_MAX and common < _INT64_MAX:
            factor = common // np.where(valid, a.den[:, j], 1)
            return np.where(valid, a.num[:, j] * factor, 0), valid
        fractions = [
            Fraction(int(n), int(d)) for n, d in zip(a.num[:, j], a.den[:, j], strict=True)
        ]
        ordered = {f: i for i, f in enumerate(sorted(set(fractions)))}
        return np.asarray([ordered[f] for f in fractions], dtype=np.int64), valid

    def _groups(self, by: PeerGroup | None) -> list[Hashable]:
        """The peer group of each row's region."""
        from kotacerdas import regions

        distinct = sorted(set(self.regions))
        group: dict[str, Hashable] = {}
        if by is None:
            group = dict.fromkeys(distinct)
        elif isinstance(by, str):
            if by not in _BUILTIN_GROUPS:
                raise ScoringError(
                    "panel.argument", name="by", value=by, choices=", ".join(_BUILTIN_GROUPS)
                )
            for code in distinct:
                region = regions.get(code)
                if region is None:  # an assessed unit that is not a region
                    group[code] = None
                elif by == "level":
                    group[code] = regions.level(region)
                elif by == "province":
                    group[code] = regions.province_code(region)
                elif by == "cohort":
                    years = regions.cohort_of(region)
                    group[code] = years[0] if years else None
                else:
                    found = regions.population_class(region)
                    group[code] = None if found is None else found.code
        elif isinstance(by, Mapping):
            resolved: dict[str, Hashable] = {}
            for key, value in by.items():
                try:
                    resolved[regions.resolve_unit(str(key), {c: c for c in distinct}).code] = value
                except (RegionNotFoundError, AmbiguousRegionError):
                    resolved[str(key)] = value
            absent = [c for c in distinct if c not in resolved]
            if absent:
                raise ScoringError("panel.group", regions=", ".join(absent))
            group = {c: resolved[c] for c in distinct}
        elif callable(by):
            group = {c: by(c) for c in distinct}
        else:
            raise ScoringError(
                "panel.argument", name="by", value=by, choices=", ".join(_BUILTIN_GROUPS)
            )
        return [group[r] for r in self.regions]

    def _ranks(
        self, j: int, by: PeerGroup | None, method: RankMethod, ascending: bool, exact: bool
    ) -> tuple[list[int | None], list[Hashable]]:
        np = _np()
        if method not in ("min", "dense", "ordinal"):
            raise ScoringError(
                "panel.argument", name="method", value=method, choices="min, dense, ordinal"
            )
        groups = self._groups(by)
        labels = {g: i for i, g in enumerate(sorted(set(groups), key=_group_sort))}
        gid = np.asarray([labels[g] for g in groups], dtype=np.int64)
        year = np.asarray(self.years, dtype=np.int64)
        region_rank = np.arange(len(self))  # rows are sorted by region code
        key, valid = self._order_keys(j, exact)
        rows = np.flatnonzero(valid)
        value = key[rows] if ascending else -key[rows]
        order = rows[np.lexsort((region_rank[rows], value, gid[rows], year[rows]))]
        v = (key if ascending else -key)[order]
        seg = np.ones(len(order), dtype=bool)
        seg[1:] = (year[order][1:] != year[order][:-1]) | (gid[order][1:] != gid[order][:-1])
        new = seg.copy()
        new[1:] |= v[1:] != v[:-1]
        pos = np.arange(len(order))
        seg_start = np.maximum.accumulate(np.where(seg, pos, 0))
        if method == "ordinal":
            rank = pos - seg_start + 1
        elif method == "min":
            rank = np.maximum.accumulate(np.where(new, pos, 0)) - seg_start + 1
        else:
            run = np.cumsum(new)
            rank = run - run[seg_start] + 1
        out: list[int | None] = [None] * len(self)
        for r, rk in zip(order.tolist(), rank.tolist(), strict=True):
            out[r] = rk
        return out, groups

    def rank(
        self,
        node: str | None = None,
        *,
        by: PeerGroup | None = None,
        method: RankMethod = "min",
        ascending: bool = False,
        exact: bool = False,
    ) -> list[dict[str, Any]]:
        """Rank the regions within each year (and peer group); ties share a rank.

        Args:
            node: The node to rank on (default: the index).
            by: Peer groups to rank within: ``"level"`` (kabupaten vs kota),
                ``"province"``, ``"cohort"`` (the first GM100SC cohort year),
                ``"population_class"`` (:data:`kotacerdas.regions.SCDI_POPULATION_CLASSES`),
                a function of the region code, or a mapping from region to group.
            method: How ties are ranked (:data:`RankMethod`).
            ascending: Rank the lowest value first.
            exact: Rank on exact values instead of the values as published, which ties
                less often than the ministry's published ranking.

        Returns:
            One dict per row — ``region, year, group, node, value, rank`` — sorted by
            year, group, rank and region; rows with no value come last with rank
            ``None``.

        Raises:
            ScoringError: an unknown node, method or peer group, or a mapping that
                lacks a region of the panel.
        """
        j = self._col(node)
        ranks, groups = self._ranks(j, by, method, ascending, exact)
        values = self.exact(node) if exact else self.value(node)
        rows = [
            {
                "region": region,
                "year": year,
                "group": group,
                "node": self.nodes[j],
                "value": value,
                "rank": rank,
            }
            for region, year, group, value, rank in zip(
                self.regions, self.years, groups, values, ranks, strict=True
            )
        ]
        rows.sort(
            key=lambda r: (
                r["year"],
                _group_sort(r["group"]),
                r["rank"] is None,
                r["rank"] or 0,
                r["region"],
            )
        )
        return rows

    def leaders(
        self, kind: str | Iterable[str] = "dimension", n: int = 1, *, exact: bool = False
    ) -> list[dict[str, Any]]:
        """The top *n* regions of each year on each node of *kind* (or each node listed).

        Ties at the cut are all included.  For GM100SC, ``"dimension"`` gives the leaders
        of the six smart dimensions (when the data gives dimension scores), and
        ``"component"`` those of the five index components; for SPBE use ``"domain"``,
        ``"aspect"`` or ``"indicator"``.

        Returns:
            Dicts ``node, year, rank, region, value`` in node order, then by year and rank.

        Raises:
            ScoringError: *kind* names no node of the panel, or a listed node is unknown.
        """
        if isinstance(kind, str):
            cols = [j for j, k in enumerate(self._plan.kinds) if k == kind]
            if not cols:
                kinds = ", ".join(dict.fromkeys(self._plan.kinds))
                raise ScoringError("panel.kind", kind=kind, kinds=kinds)
        else:
            cols = [self._col(code) for code in kind]
        out: list[dict[str, Any]] = []
        for j in cols:
            ranks, _ = self._ranks(j, None, "min", False, exact)
            values = self.exact(self.nodes[j]) if exact else self.value(self.nodes[j])
            rows = [
                {"node": self.nodes[j], "year": y, "rank": rk, "region": r, "value": v}
                for r, y, v, rk in zip(self.regions, self.years, values, ranks, strict=True)
                if rk is not None and rk <= n
            ]
            rows.sort(key=lambda r: (r["year"], r["rank"], r["region"]))
            out.extend(rows)
        return out

    def improvement(self, node: str | None = None) -> list[dict[str, Any]]:
        """*Indeks Peningkatan*: the change of each region's published index year on year.

        Changes are between a region's consecutive years in the panel.  The published
        value is the one the data gives, else the computed one rounded as published (as
        :func:`kotacerdas.scoring.improvement`): Kota Kediri 3.06 → 3.31 is 0.25.  Where
        either year has no value the change is ``None``.

        Returns:
            Dicts ``region, year, previous_year, value, previous, improvement``.
        """
        j = self._col(node)
        given = self.given(node) if self.nodes[j] == self.index_code else (None,) * len(self)
        shown = self.value(node)
        exact_only = self._plan.decimals[j] is None
        a = self._a
        out: list[dict[str, Any]] = []
        for r in range(1, len(self)):
            if self.regions[r] != self.regions[r - 1]:
                continue
            now = given[r] if given[r] is not None else shown[r]
            before = given[r - 1] if given[r - 1] is not None else shown[r - 1]
            change: Decimal | None = None
            if now is not None and before is not None:
                if exact_only and given[r] is None and given[r - 1] is None:
                    change = to_decimal(
                        Fraction(int(a.num[r, j]), int(a.den[r, j]))
                        - Fraction(int(a.num[r - 1, j]), int(a.den[r - 1, j]))
                    )
                else:
                    with localcontext() as ctx:
                        ctx.prec = 80
                        change = now - before
            out.append(
                {
                    "region": self.regions[r],
                    "year": self.years[r],
                    "previous_year": self.years[r - 1],
                    "value": now,
                    "previous": before,
                    "improvement": change,
                }
            )
        return out

    def gap(
        self, target: Decimal | str | int | float, node: str | None = None, *, exact: bool = False
    ) -> list[dict[str, Any]]:
        """How far each region-year is from *target*: ``target − value`` (``None`` if no value).

        A float target is read as the decimal it prints as (``3.5`` is 3.5).

        Returns:
            Dicts ``region, year, node, value, target, gap``, in row order.
        """
        t = _target(target)
        j = self._col(node)
        values = self.exact(node) if exact else self.value(node)
        out = []
        for region, year, v in zip(self.regions, self.years, values, strict=True):
            with localcontext() as ctx:
                ctx.prec = 80
                g = None if v is None else t - v
            out.append(
                {
                    "region": region,
                    "year": year,
                    "node": self.nodes[j],
                    "value": v,
                    "target": t,
                    "gap": g,
                }
            )
        return out

    # -- tables -----------------------------------------------------------------------------

    def _long_columns(self, lang: str | None) -> dict[str, list[Any]]:
        np = _np()
        n, k = len(self), len(self.nodes)

        def grid(per_node: Callable[[str], Sequence[Any]]) -> list[Any]:
            """Per-node columns interleaved row by row (region-year, then node)."""
            cells = np.empty((n, k), dtype=object)
            for j, code in enumerate(self.nodes):
                cells[:, j] = list(per_node(code))
            return list(cells.ravel().tolist())

        def index_only(values: Sequence[Any]) -> list[Any]:
            return grid(lambda code: values if code == self.index_code else [None] * n)

        bounds = {code: self.bounds(code) for code in self.nodes}
        labels = [None if b is None else b.label.get(lang) for b in self.predicate()]
        return {
            "region": list(np.repeat(np.asarray(self.regions, dtype=object), k).tolist()),
            "year": list(np.repeat(np.asarray(self.years, dtype=np.int64), k).tolist()),
            "framework": [self.framework] * (n * k),
            "edition": [self.edition] * (n * k),
            "node": list(self.nodes) * n,
            "value": grid(self.value),
            "exact": grid(self.exact),
            "published": grid(self.published),
            "low": grid(lambda c: [None if b is None else b[0] for b in bounds[c]]),
            "high": grid(lambda c: [None if b is None else b[1] for b in bounds[c]]),
            "given": grid(self.given),
            "missing": grid(self.n_missing),
            "derived": grid(self.derived),
            "predicate": index_only(labels),
            "consistent": index_only(self.consistent()),
        }

    def _wide_columns(self, lang: str | None) -> dict[str, list[Any]]:
        n = len(self)
        cols: dict[str, list[Any]] = {
            "region": list(self.regions),
            "year": list(self.years),
            "framework": [self.framework] * n,
            "edition": [self.edition] * n,
        }
        for code in self.nodes:
            cols[code] = list(self.value(code))
        bounds = self.bounds()
        cols["index_exact"] = list(self.exact())
        cols["index_low"] = [None if b is None else b[0] for b in bounds]
        cols["index_high"] = [None if b is None else b[1] for b in bounds]
        cols["index_given"] = list(self.given())
        cols["predicate"] = [None if b is None else b.label.get(lang) for b in self.predicate()]
        cols["missing"] = list(self.n_missing())
        cols["consistent"] = list(self.consistent())
        return cols

    def to_long(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One dict per region, year and node.

        Keys: ``region, year, framework, edition, node, value, exact, published, low,
        high, given, missing, derived``, and for the index row ``predicate`` (its label in
        *lang*) and ``consistent`` (``None`` on other rows).  Numbers are
        :class:`~decimal.Decimal`.
        """
        return _rows(self._long_columns(lang))

    def to_wide(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One dict per region-year.

        Keys: ``region, year, framework, edition``, one key per node (its value), then
        ``index_exact, index_low, index_high, index_given, predicate, missing,
        consistent`` of the index.
        """
        return _rows(self._wide_columns(lang))

    def to_frame(
        self,
        backend: Any = None,
        *,
        like: Any = None,
        layout: Layout = "long",
        lang: str | None = None,
        numbers: Literal["decimal", "str"] = "decimal",
    ) -> Any:
        """The result as a data frame of the caller's library, through :mod:`narwhals`.

        Args:
            backend: ``"pandas"``, ``"polars"``, ``"pyarrow"`` or the module itself.
            like: A frame whose library to use instead (e.g. the frame you scored).
            layout: ``long`` (:meth:`to_long`) or ``wide`` (:meth:`to_wide`).
            lang: Language of the predicate labels.
            numbers: ``decimal`` keeps numbers as decimals (an object column in pandas, a
                ``Decimal`` column in polars); ``str`` writes them as text.

        Raises:
            ScoringError: neither *backend* nor *like* is given, or *layout* is unknown.
        """
        import narwhals as nw

        if layout not in ("long", "wide"):
            raise ScoringError("panel.argument", name="layout", value=layout, choices="long, wide")
        if like is not None:
            backend = nw.get_native_namespace(nw.from_native(like))
        if backend is None:
            raise ScoringError("panel.backend")
        cols = self._long_columns(lang) if layout == "long" else self._wide_columns(lang)
        if numbers == "str":
            cols = {
                k: [str(v) if isinstance(v, Decimal) else v for v in vs] for k, vs in cols.items()
            }
        return nw.from_dict(cols, backend=backend).to_native()


def _rows(cols: dict[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(cols)
    return [dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def _group_sort(group: Hashable) -> tuple[bool, str]:
    return (group is None, str(group))
