"""Exact fixed-point arithmetic for panels: every node of many region-years as integer sums.

Published scores are decimals with a few places, that is, integers in disguise.  Every
input becomes a 64-bit integer at 10^-scale; every node of the index tree, for each
pattern of present inputs, a linear form with integer weights over a common
denominator (:func:`_form` mirrors :func:`kotacerdas.scoring.score` symbolically);
every weighted mean, bound and half-up rounding an integer operation, checked for
overflow before it runs.  :class:`~decimal.Decimal` values are built only when a result
is read out (:func:`_decimals`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from kotacerdas._decimal import is_weighted, terminating, to_decimal
from kotacerdas.errors import PanelError, Problem, ScoringError

if TYPE_CHECKING:
    from kotacerdas.model import Framework, Node, Scale


MAX_DECIMALS: Final = 6  # the most decimals of an input value: fixed point stays in 64 bits
_INT64_MAX: Final = 2**63 - 1
_SAFE: Final = 2**62


Ints: TypeAlias = NDArray[np.int64]
Mask: TypeAlias = NDArray[np.bool_]
_POW10: Final = np.array([10**k for k in range(19)], dtype=np.int64)


def _pow10(exponents: Ints) -> Ints:
    """``10 ** exponents``, elementwise, for exponents from 0 to 18."""
    return _POW10[exponents]


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
    bound_scale: int  # the fewest decimals that write every input column's scale ends exactly

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

    def scale(node: Node) -> Scale | None:
        return node.scale or fw.scale

    def frac(value: Decimal | None) -> Fraction | None:
        return None if value is None else Fraction(value)

    ends = [e for n in columns if (sc := scale(n)) is not None for e in (sc.minimum, sc.maximum)]
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
        col_min=tuple(None if s is None else frac(s.minimum) for s in map(scale, columns)),
        col_max=tuple(None if s is None else frac(s.maximum) for s in map(scale, columns)),
        decimals=tuple(decimals),
        half_even=tuple(s is not None and s.rounding == "half_even" for s in map(scale, result)),
        bound_places=tuple(None if d is None else d + 1 for d in decimals),
        bound_scale=max((_places(Fraction(b)) for b in ends), default=0),
    )


def _places(value: Fraction) -> int:
    """The fewest decimals that write *value* exactly (it terminates: it is a decimal)."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return places


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


# -- the arithmetic ------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class _Arrays:
    """The primary storage of a :class:`PanelResult`, as integer arrays.

    Rows are region-years.  What depends only on which inputs a row has (its *pattern*;
    usually every row has all of them) is held once per pattern: denominators, whether
    a node has a value, missing counts.  The values as given are held for the inputs
    some row gives.  A node that is, wherever it has a value, one input as it is (a
    GM100SC component) is read from that input (``copy_of[j]``); per row, only the
    other nodes that have a value in some row are stored (``stored[j]`` is node *j*'s
    column, ``-1`` for none).  Exact values are ``num / den``; bounds ``low / den`` and
    ``high / den``.  The ``*_of`` methods give one node's column per row.
    """

    scale: int  # fixed-point exponent of the inputs
    patterns: Ints  # per row: its pattern of present inputs
    lacking: tuple[tuple[str, ...], ...]  # per pattern: what is missing
    den: Ints  # per pattern × node
    valid: Mask  # per pattern × node: the node has a value
    missing: Ints  # per pattern × node
    derived: Mask  # per pattern × node
    stored: Ints  # per node: its column in num/low/high/published, or -1
    num: Ints  # per row × stored node
    low: Ints
    high: Ints
    published: Ints  # integers at 10^-decimals of each node; 0 where no value or decimals
    given_at: Ints  # per node: its column in given_m/given_e/given_ok, or -1
    given_m: Ints  # values as given (mantissa, exponent), per input some row gives
    given_e: Ints
    given_ok: Mask
    consistent: Ints  # per row: 1, 0, or -1 (no published value to check)
    copy_of: Ints  # per node: the given column it always equals, or -1
    floor: Ints  # per given column: the lowest end of an interval at 10^-scale
    ceiling: Ints  # per given column: the highest end
    exact_input: Mask  # per given column: a rubric level (no interval)
    places: tuple[int | None, ...]  # per node: publication decimals
    half_even: tuple[bool, ...]  # per node: publication rounds half to even

    def __len__(self) -> int:
        return len(self.patterns)

    def _stored(self, table: Ints, j: int) -> Ints:
        s = int(self.stored[j])
        return table[:, s] if s >= 0 else np.zeros(len(self), dtype=np.int64)

    def _input(self, c: int) -> tuple[Ints, Ints, Ints]:
        """Given column *c* at 10^-scale, with the ends of each value's interval."""
        x, lo, hi = _intervals(
            self.given_ok[:, c : c + 1],
            self.given_m[:, c : c + 1],
            self.given_e[:, c : c + 1],
            self.scale,
            self.floor[c : c + 1],
            self.ceiling[c : c + 1],
            self.exact_input[c : c + 1],
        )
        return x[:, 0], lo[:, 0], hi[:, 0]

    def num_of(self, j: int) -> Ints:
        c = int(self.copy_of[j])
        return self._input(c)[0] if c >= 0 else self._stored(self.num, j)

    def low_of(self, j: int) -> Ints:
        c = int(self.copy_of[j])
        return self._input(c)[1] if c >= 0 else self._stored(self.low, j)

    def high_of(self, j: int) -> Ints:
        c = int(self.copy_of[j])
        return self._input(c)[2] if c >= 0 else self._stored(self.high, j)

    def published_of(self, j: int) -> Ints:
        c = int(self.copy_of[j])
        if c < 0:
            return self._stored(self.published, j)
        num = self._input(c)[0]
        return _rounded(num, 10**self.scale, self.valid_of(j), self.places[j], self.half_even[j])

    def den_of(self, j: int) -> Ints:
        return np.take(self.den[:, j], self.patterns)

    def valid_of(self, j: int) -> Mask:
        return np.take(self.valid[:, j], self.patterns)

    def missing_of(self, j: int) -> Ints:
        return np.take(self.missing[:, j], self.patterns)

    def derived_of(self, j: int) -> Mask:
        return np.take(self.derived[:, j], self.patterns)

    def given_of(self, j: int) -> tuple[Ints, Ints, Mask]:
        """Mantissas, exponents and presence of node *j*'s given values."""
        g = int(self.given_at[j])
        if g < 0:
            zeros = np.zeros(len(self), dtype=np.int64)
            return zeros, zeros, np.zeros(len(self), dtype=bool)
        return self.given_m[:, g], self.given_e[:, g], self.given_ok[:, g]

    def stored_all(self) -> _Arrays:
        """The same values with every node that has a value stored per row (for stacking)."""
        if (self.copy_of < 0).all():
            return self
        nodes = np.flatnonzero((self.stored >= 0) | (self.copy_of >= 0))
        stored = np.full(len(self.stored), -1, dtype=np.int64)
        stored[nodes] = np.arange(len(nodes))
        columns = [
            np.stack([getattr(self, f"{name}_of")(j) for j in nodes.tolist()], axis=1)
            if len(nodes)
            else np.zeros((len(self), 0), dtype=np.int64)
            for name in ("num", "low", "high", "published")
        ]
        num, low, high, published = columns
        return attrs.evolve(
            self,
            stored=stored,
            num=num,
            low=low,
            high=high,
            published=published,
            copy_of=np.full(len(self.stored), -1, dtype=np.int64),
        )


def _patterns(present: Mask) -> tuple[Mask, Ints]:
    """The distinct rows of *present*, and each row's index into them."""
    n = present.shape[0]
    if n and bool((present == present[0]).all()):  # the usual case: every row alike
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
    return present[first], inverse.reshape(-1).astype(np.int64)


@attrs.frozen(eq=False)
class _Weights:
    """One pattern's forms as integer matrices, over the input columns any node uses."""

    form: _Form
    columns: tuple[int, ...]  # input columns with a weight
    matrix: Ints  # columns × nodes
    magnitude: tuple[tuple[tuple[int, int], ...], ...]  # per node: (column index, |weight|)
    copy: tuple[int, ...]  # per node: the one input column it equals (weight 1), or -1
    heaviest: int  # the largest sum of a node's absolute weights


@functools.lru_cache(maxsize=4096)
def _weights(plan: _Plan, present: tuple[bool, ...], omit: bool) -> _Weights:
    form = _form(plan, present, omit)
    columns = sorted({c for w in form.weights if w for c in w})
    at = {c: i for i, c in enumerate(columns)}
    matrix = np.zeros((len(columns), len(plan.nodes)), dtype=np.int64)
    magnitude: list[tuple[tuple[int, int], ...]] = []
    for j, weights in enumerate(form.weights):
        for c, v in (weights or {}).items():
            if abs(v) >= _INT64_MAX:
                raise ScoringError("panel.overflow", node=plan.nodes[j])
            matrix[at[c], j] = v
        magnitude.append(tuple((at[c], abs(v)) for c, v in (weights or {}).items()))
    matrix.setflags(write=False)
    copy = tuple(
        next(iter(w)) if w and len(w) == 1 and set(w.values()) == {1} and den == 1 else -1
        for w, den in zip(form.weights, form.denominators, strict=True)
    )
    heaviest = max((sum(v for _, v in terms) for terms in magnitude), default=0)
    return _Weights(form, tuple(columns), matrix, tuple(magnitude), copy, heaviest)


@attrs.frozen(eq=False)
class _Layout:
    """What :func:`_compute` needs besides the values: cached, read-only.

    It depends only on the edition, the input columns given, which of them each row has
    (its pattern) and the scale.
    """

    prepared: tuple[_Weights, ...]  # per pattern
    dens: tuple[tuple[int, ...], ...]  # per pattern × node, at 10^-scale
    valid: Mask  # per pattern × node
    missing: Ints
    derived: Mask
    lacking: tuple[tuple[str, ...], ...]
    copy_of: Ints  # per node: the given column it always equals, or -1
    stored_nodes: Ints  # the other nodes that have a value in some pattern …
    stored: Ints  # … and each node's column among them, or -1
    used: tuple[int, ...]  # the plan's columns some node uses …
    at: slice | Ints  # … as positions among the given columns
    exact: Mask  # per given column: a rubric level (no interval)
    floor: Ints  # per given column: its scale's ends at 10^-scale
    ceiling: Ints
    given_at: Ints  # per node: its given column, or -1
    heavy: tuple[bool, ...]  # per pattern: a sum might overflow, so the data is looked at


@functools.lru_cache(maxsize=64)
def _layout(
    plan: _Plan,
    columns: tuple[int, ...],
    patterns: tuple[tuple[bool, ...], ...],
    omit: bool,
    scale: int,
) -> _Layout:
    k = len(plan.nodes)
    unit = 10**scale
    local = {c: i for i, c in enumerate(columns)}
    prepared = []
    for pattern in patterns:
        full = [False] * len(plan.columns)
        for c, there in zip(columns, pattern, strict=True):
            full[c] = there
        prepared.append(_weights(plan, tuple(full), omit))
    forms = [w.form for w in prepared]
    dens = tuple(tuple(dn * unit for dn in f.denominators) for f in forms)
    valid = np.array([[w is not None for w in f.weights] for f in forms], dtype=bool).reshape(-1, k)

    # A node that is one input as it is wherever it has a value is read from the input;
    # the other nodes with a value in some row are stored.
    copy_of = np.full(k, -1, dtype=np.int64)
    for j in np.flatnonzero(valid.any(axis=0)).tolist():
        sources = {w.copy[j] for w, ok in zip(prepared, valid[:, j].tolist(), strict=True) if ok}
        if len(sources) == 1 and (c := sources.pop()) >= 0:
            copy_of[j] = local[c]
    stored_nodes = np.flatnonzero(valid.any(axis=0) & (copy_of < 0))
    stored = np.full(k, -1, dtype=np.int64)
    stored[stored_nodes] = np.arange(len(stored_nodes))

    # Inputs at 10^-scale, with their intervals: only the columns some node uses.
    exact, floor, ceiling = _input_ends(plan, columns, scale)
    used = tuple(sorted({c for w in prepared for c in w.columns}))
    where = [local[c] for c in used]
    at: slice | Ints = (
        slice(where[0], where[-1] + 1)
        if where and where == list(range(where[0], where[-1] + 1))
        else np.asarray(where, dtype=np.int64)
    )
    given_at = np.full(k, -1, dtype=np.int64)
    for j, code in enumerate(plan.nodes):
        col = plan.col_of.get(code)
        if col is not None and col in local:
            given_at[j] = local[col]
    layout = _Layout(
        prepared=tuple(prepared),
        dens=dens,
        valid=valid,
        missing=np.asarray([f.missing for f in forms], dtype=np.int64).reshape(-1, k),
        derived=np.asarray([f.derived for f in forms], dtype=bool).reshape(-1, k),
        lacking=tuple(f.lacking for f in forms),
        copy_of=copy_of,
        stored_nodes=stored_nodes,
        stored=stored,
        used=used,
        at=at,
        exact=exact,
        floor=floor,
        ceiling=ceiling,
        given_at=given_at,
        heavy=tuple(
            w.heaviest * (10**9 + 1) * unit >= _INT64_MAX or any(dn >= _SAFE for dn in row)
            for w, row in zip(prepared, dens, strict=True)
        ),
    )
    for value in attrs.astuple(layout, recurse=False):
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return layout


def _compute(
    plan: _Plan, columns: Ints, present: Mask, mant: Ints, expo: Ints, *, omit: bool
) -> _Arrays:
    """Every node of every row, in integers: values, bounds, publication, consistency.

    *present*, *mant* and *expo* hold the input *columns* (of ``plan.columns``) that some
    row gives; they become the result's given values as they are.
    """
    n, _ = present.shape
    k = len(plan.nodes)
    d = int(expo.max()) if expo.size else 0  # absent cells hold 0
    scale = max(d + 1, plan.bound_scale)
    if scale > MAX_DECIMALS + 2:
        raise ScoringError("panel.overflow", node=plan.index)
    unit = 10**scale
    patterns, inverse = _patterns(present)
    lay = _layout(plan, tuple(columns.tolist()), tuple(map(tuple, patterns.tolist())), omit, scale)
    stored_nodes = lay.stored_nodes
    at = lay.at
    inputs: list[tuple[Ints, Ints, Ints]] = []

    def intervals() -> tuple[Ints, Ints, Ints]:
        """The used inputs at 10^-scale and their intervals' ends, built once if needed."""
        if not inputs:
            inputs.append(
                _intervals(
                    present[:, at],
                    mant[:, at],
                    expo[:, at],
                    scale,
                    lay.floor[at],
                    lay.ceiling[at],
                    lay.exact[at],
                )
            )
        return inputs[0]

    one = len(lay.prepared) == 1
    sums = _affine_sums(lay, mant, expo, scale) if one and not lay.heavy[0] else None
    if sums is not None:  # the usual panel: every row has every input, written alike
        num, low, high = sums
    else:
        num, low, high = _sums(plan, lay, inverse, intervals(), n)

    den = np.asarray(lay.dens, dtype=np.int64).reshape(len(lay.prepared), k)
    published = _publish(plan, stored_nodes, num, den, lay.valid, inverse)
    for j in np.flatnonzero(lay.copy_of >= 0).tolist():
        places = plan.decimals[j]
        if places is not None and 10**9 * 10 ** (scale + places) >= _SAFE:  # |x| < 10^9·unit
            top = intervals()[0][:, lay.used.index(int(columns[lay.copy_of[j]]))]
            if len(top) and int(np.abs(top).max()) * 10**places >= _SAFE:
                raise ScoringError("panel.overflow", node=plan.nodes[j])

    # Whether a published (given) index fits the interval of the rounded inputs.
    consistent = np.full(n, -1, dtype=np.int64)
    j = plan.node_index(plan.index)
    c = int(lay.given_at[j])
    check = present[:, c] & lay.valid[inverse, j] if c >= 0 else None
    if check is not None and check.any():
        if lay.copy_of[j] >= 0:
            i = lay.used.index(int(columns[lay.copy_of[j]]))
            index_low, index_high = intervals()[1][:, i], intervals()[2][:, i]
        else:
            index_low, index_high = low[:, lay.stored[j]], high[:, lay.stored[j]]
        g = mant[:, c] * _pow10(np.clip(scale - expo[:, c], 0, 18))
        h = 5 * _pow10(np.clip(scale - 1 - expo[:, c], 0, 18))
        factor = den[inverse, j] // unit
        widest = (int(np.abs(g).max()) + int(h.max())) * int(factor.max())
        if widest >= _SAFE:
            raise ScoringError("panel.overflow", node=plan.index)
        ok = (index_low < (g + h) * factor) & (index_high >= (g - h) * factor)
        consistent = np.where(check, ok.astype(np.int64), -1)
    arrays = _Arrays(
        scale=scale,
        patterns=inverse,
        lacking=lay.lacking,
        den=den,
        valid=lay.valid,
        missing=lay.missing,
        derived=lay.derived,
        stored=lay.stored,
        num=num,
        low=low,
        high=high,
        published=published,
        given_at=lay.given_at,
        given_m=mant,
        given_e=expo,
        given_ok=present,
        consistent=consistent,
        copy_of=lay.copy_of,
        floor=lay.floor,
        ceiling=lay.ceiling,
        exact_input=lay.exact,
        places=plan.decimals,
        half_even=plan.half_even,
    )
    _freeze(arrays)
    return arrays


def _sums(
    plan: _Plan, lay: _Layout, inverse: Ints, inputs: tuple[Ints, Ints, Ints], n: int
) -> tuple[Ints, Ints, Ints]:
    """Each stored node's exact value and bounds (over its denominator), pattern by pattern."""
    x, lo, hi = inputs
    k = len(plan.nodes)
    stored_nodes = lay.stored_nodes
    one = len(lay.prepared) == 1
    make = np.empty if one else np.zeros  # one pattern fills every cell
    num = make((n, len(stored_nodes)), dtype=np.int64)
    low = make((n, len(stored_nodes)), dtype=np.int64)
    high = make((n, len(stored_nodes)), dtype=np.int64)
    order = inverse if one else np.argsort(inverse, kind="stable")
    bounds = [0, n] if one else np.searchsorted(inverse[order], np.arange(len(lay.prepared) + 1))
    for p, w in enumerate(lay.prepared):
        # One pattern (every row has the same inputs) needs no row selection.
        rows: slice | Ints = slice(None) if one else order[bounds[p] : bounds[p + 1]]
        cols: slice | list[int] = (
            slice(None) if w.columns == lay.used else [lay.used.index(c) for c in w.columns]
        )
        xs, ls, hs = (v[rows][:, cols] for v in (x, lo, hi))
        # Every input is below 10^9 and its interval within half a unit of it: when even
        # that cannot overflow a sum (the usual case), the data need not be looked at.
        if lay.heavy[p]:
            biggest = np.maximum(np.abs(ls.min(axis=0)), np.abs(hs.max(axis=0))).tolist()
            reach = [sum(v * biggest[c] for c, v in terms) for terms in w.magnitude]
            if any(r >= _INT64_MAX for r in reach) or any(dn >= _SAFE for dn in lay.dens[p]):
                worst = max(range(k), key=lambda j: reach[j])
                raise ScoringError("panel.overflow", node=plan.nodes[worst])
        if not len(stored_nodes):
            continue
        # A node that is one input here is a copy of it; the others, integer sums.
        position = {c: i for i, c in enumerate(w.columns)}
        copies = [
            (i, position[c]) for i, j in enumerate(stored_nodes.tolist()) if (c := w.copy[j]) >= 0
        ]
        sums = [i for i, j in enumerate(stored_nodes.tolist()) if w.copy[j] < 0]
        matrix = w.matrix[:, stored_nodes[sums]]
        for out, values in ((num, xs), (low, ls), (high, hs)):
            block = out[rows]
            for i, c in copies:
                block[:, i] = values[:, c]
            if sums:
                block[:, sums] = values @ matrix
            if not one:
                out[rows] = block
    return num, low, high


def _affine_sums(
    lay: _Layout, mant: Ints, expo: Ints, scale: int
) -> tuple[Ints, Ints, Ints] | None:
    """:func:`_sums` for one pattern of inputs written with the same decimals; else ``None``.

    Then each input is ``x = m·step`` and its interval ``x ± half``, clamped only at its
    scale's ends: the sums are ``(m @ W)·step ± half·ΣW``, corrected where a value is
    within half a unit of an end (few rows, if any).  No matrix of intervals is built.
    """
    w = lay.prepared[0]
    if not len(w.columns) or bool(lay.exact[lay.at].any()):
        return None
    stored_nodes = lay.stored_nodes.tolist()
    if any(w.copy[j] >= 0 for j in stored_nodes):
        return None
    cols = [lay.used.index(c) for c in w.columns]
    m = mant[:, lay.at][:, cols] if cols != list(range(len(lay.used))) else mant[:, lay.at]
    e = expo[:, lay.at]
    e0 = int(e.flat[0]) if e.size else 0
    if e.size and int(e.min()) != int(e.max()):
        return None
    step, half = 10 ** (scale - e0), 5 * 10 ** (scale - 1 - e0)
    floor = lay.floor[lay.at][cols].tolist()
    ceiling = lay.ceiling[lay.at][cols].tolist()
    matrix = w.matrix[:, lay.stored_nodes]
    num = m @ matrix
    num *= step
    spread = half * matrix.sum(axis=0)
    low, high = num - spread, num + spread
    # Values within half a unit of their scale's ends (or off it, when unchecked):
    # x − half < floor ⟺ m < ⌈(floor + half) / step⌉, x + half > ceiling ⟺
    # m > ⌊(ceiling − half) / step⌋.  Their intervals are cut at the end (at x if beyond).
    below = np.asarray([-((-f - half) // step) for f in floor], dtype=np.int64)
    above = np.asarray([(c - half) // step for c in ceiling], dtype=np.int64)
    for out, hit, ends, sign in ((low, m < below, floor, 1), (high, m > above, ceiling, -1)):
        if hit.any():
            rows, at = np.nonzero(hit)
            x = m[rows, at] * step
            end = np.asarray(ends, dtype=np.int64)[at]
            cut = np.clip(sign * (end - x) + half, 0, half)
            np.add.at(out, rows, sign * cut[:, None] * matrix[at])
    return num, low, high


def _intervals(
    given: Mask,
    m: Ints,
    e: Ints,
    scale: int,
    floor: Ints,
    ceiling: Ints,
    exact: Mask,
) -> tuple[Ints, Ints, Ints]:
    """Input values (mantissas *m*, decimals *e*) at 10^-scale, and their intervals' ends.

    Each value's interval is ± half a unit of its last written place, clamped to its
    column's *floor* and *ceiling*; a rubric level is *exact*.  The usual panel (every
    value present, written with the same decimals) takes a scalar path: a few
    whole-array operations.
    """
    same = bool(e.size) and int(e.min()) == int(e.max())  # usually: every value alike
    x = m * 10 ** (scale - int(e.flat[0])) if same else m * _pow10(scale - e)
    half: Ints | int
    if same and not exact.any() and given.all():
        half = 5 * 10 ** (scale - 1 - int(e.flat[0]))
    elif same:
        half = np.where(given & ~exact, 5 * 10 ** (scale - 1 - int(e.flat[0])), 0)
    else:
        half = np.where(given & ~exact, 5 * _pow10(np.clip(scale - 1 - e, 0, 18)), 0)
    lo = x - half
    np.maximum(lo, floor, out=lo)
    np.minimum(lo, x, out=lo)  # a value off its scale (unchecked) is its own end
    hi = x + half
    np.minimum(hi, ceiling, out=hi)
    np.maximum(hi, x, out=hi)
    return x, lo, hi


@functools.lru_cache(maxsize=64)
def _input_ends(plan: _Plan, columns: tuple[int, ...], scale: int) -> tuple[Mask, Ints, Ints]:
    """Per input column: a rubric level (exact), and its scale's ends at 10^-scale.

    Cached per edition, columns given and scale; the arrays are read-only.
    """
    exact = np.asarray([plan.col_rubric[c] for c in columns], dtype=bool)
    unit = 10**scale
    floor = _ends([plan.col_min[c] for c in columns], exact, unit, -_SAFE)
    ceiling = _ends([plan.col_max[c] for c in columns], exact, unit, _SAFE)
    for table in (exact, floor, ceiling):
        table.setflags(write=False)
    return exact, floor, ceiling


def _ends(ends: list[Fraction | None], exact: Mask, unit: int, default: int) -> Ints:
    """A row vector of the scale's ends at 10^-scale (*default* where there is none)."""
    return np.asarray(
        [
            default if e is None or r else int(e * unit)
            for e, r in zip(ends, exact.tolist(), strict=True)
        ],
        dtype=np.int64,
    )


def _publish(plan: _Plan, nodes: Ints, num: Ints, den: Ints, valid: Mask, patterns: Ints) -> Ints:
    """``num / den`` rounded to each node's publication decimals (half-up or half-even).

    *den* and *valid* are per pattern; with one pattern each column is divided by one
    integer, which numpy does several times faster than by a column of them.
    """
    out = np.empty_like(num)
    one = len(den) == 1
    for i, j in enumerate(nodes.tolist()):
        places = plan.decimals[j]
        col = num[:, i]
        if places is not None and len(col) and int(np.abs(col).max()) * 10**places >= _SAFE:
            raise ScoringError("panel.overflow", node=plan.nodes[j])
        out[:, i] = _rounded(
            col,
            int(den[0, j]) if one else den[patterns, j],
            bool(valid[0, j]) if one else valid[patterns, j],
            places,
            plan.half_even[j],
        )
    return out


def _rounded(
    num: Ints, den: Ints | int, valid: Mask | bool, places: int | None, half_even: bool
) -> Ints:
    """``num / den`` rounded to *places* decimals, as integers at 10^-places (0: no value)."""
    if places is None or valid is False:
        return np.zeros(len(num), dtype=np.int64)
    q, r = np.divmod(np.abs(num) * 10**places, den)
    twice = 2 * r
    q += (twice > den) | ((twice == den) & (not half_even or (q & 1) == 1))
    signed = np.where(num < 0, -q, q)
    return signed if valid is True else np.where(valid, signed, 0)


def _freeze(arrays: _Arrays) -> None:
    for value in attrs.astuple(arrays, recurse=False):
        if isinstance(value, np.ndarray):
            value.setflags(write=False)


def _check_missing(plan: _Plan, a: _Arrays, regions: list[str], years: list[int]) -> None:
    j = plan.node_index(plan.index)
    bad_pattern = ~a.valid[:, j] | (a.missing[:, j] > 0)
    if not bad_pattern.any():
        return
    bad = np.flatnonzero(bad_pattern[a.patterns])
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


def _decimals(num: Ints, den: Ints, valid: Mask, places: int | None = None) -> list[Decimal | None]:
    """``num / den`` as :func:`kotacerdas.scoring.to_decimal` writes it, for whole columns.

    Terminating values (every value of the official frameworks, except SPBE's and
    GM100SC's derived means) are scaled to integers over a power of ten, stripped of
    trailing zeros and padded to *places* decimals in integer arithmetic; only the final
    :class:`~decimal.Decimal` is built per value.
    """
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
