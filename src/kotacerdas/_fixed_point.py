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
from typing import TYPE_CHECKING, Any, Final

import attrs

from kotacerdas._decimal import is_weighted, terminating, to_decimal
from kotacerdas.errors import PanelError, Problem, ScoringError

if TYPE_CHECKING:
    from kotacerdas.model import Framework, Node


MAX_DECIMALS: Final = 6  # the most decimals of an input value: fixed point stays in 64 bits
_INT64_MAX: Final = 2**63 - 1
_SAFE: Final = 2**62


def _np() -> Any:
    import numpy

    return numpy


def _pow10(exponents: Any) -> Any:
    np = _np()
    table = np.array([10**k for k in range(19)], dtype=np.int64)
    return table[exponents]


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


# -- the arithmetic ------------------------------------------------------------------------------


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
        # One pattern (the usual case: every row has every input) needs no row selection.
        rows: Any = slice(None) if len(patterns) == 1 else order[bounds[p] : bounds[p + 1]]
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
