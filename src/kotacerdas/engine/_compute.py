"""The pipeline: impute → check → normalise → aggregate, on arrays, node by node.

Everything is vectorised over units and periods; the only Python loops are over
aggregate nodes (a few hundred at most) and groups of indicators sharing a method.
Resolving a build against a framework and laying the tree out as arrays happens once
per (framework, build) pair and is cached, so re-running a build on new data — or
many builds in a sensitivity analysis — pays only for the arithmetic.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import attrs
import numpy as np

import kotacerdas
from kotacerdas.engine._rules import require_valid_data
from kotacerdas.engine._util import (
    FloatArray,
    IntArray,
    listing,
    no_overflow,
    number,
    refuse_infinite,
    where,
)
from kotacerdas.engine.aggregate import AGGREGATORS, POSITIVE_ONLY, ROW_WISE, AggregationSpec
from kotacerdas.engine.build import Build, ResolvedBuild, levels
from kotacerdas.engine.dataset import Dataset
from kotacerdas.engine.denominators import denominate
from kotacerdas.engine.missing import impute
from kotacerdas.engine.normalise import NormaliseContext, Normaliser
from kotacerdas.engine.result import CompositeResult, Names, Note
from kotacerdas.engine.treat import apply_treatment
from kotacerdas.errors import EngineError, MissingDataError
from kotacerdas.model import Direction, Framework, Node

_AVAILABILITY_TOL = 1e-12


@attrs.frozen(eq=False)
class _Group:
    """Indicators sharing one normaliser: their columns, signs and targets."""

    method: Normaliser
    columns: slice | IntArray
    context: NormaliseContext


@attrs.frozen(eq=False)
class _Step:
    """One aggregate: its row in the store, its children's rows and shares, its method."""

    code: str
    row: int
    children: IntArray
    select: slice | IntArray  # the children's rows: a slice when they are contiguous
    shares: FloatArray
    sums: FloatArray  # (2, k): the shares and ones, for weight total and count at once
    method: AggregationSpec
    positive_leaves: IntArray  # weighted indicator children a positive-only method checks


def _select(rows: IntArray) -> slice | IntArray:
    if rows.size and (np.diff(rows) == 1).all():
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


@attrs.frozen(eq=False)
class _Plan:
    """A resolved build laid out as arrays: indicator columns first, then aggregates."""

    build: ResolvedBuild
    indicators: tuple[str, ...]
    codes: tuple[str, ...]
    groups: tuple[_Group, ...]
    steps: tuple[_Step, ...]


def _plan(framework: Framework, build: Build) -> _Plan:
    try:
        hash((framework, build))
    except TypeError:  # a framework with unhashable parts: plan it every time
        return _make_plan(framework, build)
    return _cached_plan(framework, build)


def _make_plan(framework: Framework, build: Build) -> _Plan:
    resolved = build.resolve(framework)
    roots = tuple(framework.node(r) for r in resolved.roots)
    order = [n for r in roots for n in r]
    height = levels(roots)
    position = {n.code: i for i, n in enumerate(order)}
    leaves = tuple(n for n in order if not n.children)
    parents = sorted(
        (n for n in order if n.children), key=lambda n: (height[n.code], position[n.code])
    )
    codes = tuple(n.code for n in (*leaves, *parents))
    position_of = {c: i for i, c in enumerate(codes)}

    by_method: dict[Normaliser, list[int]] = {}
    for i, leaf in enumerate(leaves):
        by_method.setdefault(resolved.normalisation[leaf.code], []).append(i)
    groups = []
    for method, idx in by_method.items():
        nodes = [leaves[i] for i in idx]
        context = NormaliseContext(
            codes=tuple(n.code for n in nodes),
            signs=np.array([-1.0 if n.direction is Direction.NEGATIVE else 1.0 for n in nodes]),
            targets=np.array([np.nan if n.target is None else float(n.target) for n in nodes]),
            units=(),
        )
        groups.append(_Group(method, _select(np.array(idx, dtype=np.intp)), context))

    local = resolved.weights.local
    steps = []
    for node in parents:
        kids = np.array([position_of[c.code] for c in node.children], dtype=np.intp)
        shares = np.array([local[c.code] for c in node.children])
        how = resolved.aggregation[node.code]
        check = (kids < len(leaves)) & (shares > 0)
        positive = kids[check] if isinstance(how, str) and how in POSITIVE_ONLY else kids[:0]
        sums = np.vstack([shares, np.ones(len(kids))])
        steps.append(
            _Step(
                node.code, position_of[node.code], kids, _select(kids), shares, sums, how, positive
            )
        )
    return _Plan(resolved, codes[: len(leaves)], codes, tuple(groups), tuple(steps))


_cached_plan = functools.lru_cache(maxsize=64)(_make_plan)


def compute(
    framework: Framework,
    data: Dataset,
    build: Build | None = None,
    *,
    names: Names | None = None,
    check: bool = True,
) -> CompositeResult:
    """Run *build* (default :class:`Build` ``()``) on *data* over *framework*'s tree.

    The whole specification is checked first; then missing values are imputed (or
    refused), indicators normalised, and every aggregate computed from its children,
    level by level.  The result records the resolved build.

    A column for an aggregate node makes its value given: the nodes below it are left
    out (they need no columns), with a note in :attr:`CompositeResult.notes`.  When the
    framework bounds its values (a scale or rubric levels), the data must obey the rules
    of :func:`kotacerdas.validation.validate`, unless *check* is ``False`` (recorded as
    :attr:`CompositeResult.checked`).  *names* gives the names shown beside unit codes
    (a mapping or a function of the code), after the data's own :attr:`Dataset.names`.

    Raises:
        ValidationError: a value breaks its node's rule, or a column names no node of
            a framework with rules (every finding is listed).
        EngineError: the build does not fit the framework or the data, or a method
            does not apply to the values it meets (the message names the node and
            the fix).
        MissingDataError: values are missing and the policy cannot handle them.
    """
    build = build if build is not None else Build()
    plan = _plan(framework, build)
    data, notes = _by_code(framework, data, {d.by for d in plan.build.denominators.values()})
    given = _given(framework, plan, data)
    if given:
        plan = _plan(_pruned(framework, given), build)
        notes += tuple(_left_out(framework.node(code)) for code in given)
    resolved = plan.build
    if check:
        exempt = {d.by for d in resolved.denominators.values()}
        require_valid_data(framework, data, exempt)
    codes = plan.indicators
    have = set(data.indicators)
    absent = [c for c in codes if c not in have]
    if absent:
        raise EngineError(
            "data.indicator-missing",
            code=absent[0],
            framework=framework.ref,
            count=len(absent),
            all=listing(absent),
        )
    if not data.units:
        raise EngineError("data.empty")
    if resolved.denominators:
        with no_overflow("denominators"):
            data = denominate(data, resolved.denominators)
    policy = resolved.missing

    raw, imputed = impute(data, policy.impute, codes, strict=policy.then == "fail")
    if policy.then == "fail":
        gaps = np.isnan(raw)
        if gaps.any():
            u, p, i = (int(n) for n in np.argwhere(gaps)[0])
            raise MissingDataError(
                "missing.fail",
                count=int(gaps.sum()),
                where=where(codes[i], data.periods[p], data.units[u]),
            )

    treatment = None
    treated = raw
    if resolved.treatment:
        with no_overflow("treatment"):
            treatment = apply_treatment(
                raw, codes, resolved.treatment, data.units, data.periods, resolved.scope == "all"
            )
        treated = treatment.values
        refuse_infinite(treated, "treatment")
    n_units, n_periods, n_ind = raw.shape
    rows = n_units * n_periods
    # Node-major storage: one contiguous row of units·periods values per node, so a
    # node's children are a block of rows (a view when they are contiguous).
    store = np.empty((len(plan.codes), rows))
    avail = np.empty(store.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        with no_overflow("normalisation"):
            store[:n_ind] = _normalise(plan, resolved, treated, data).reshape(rows, n_ind).T
        refuse_infinite(store[:n_ind], "normalisation")
        avail[:n_ind] = ~np.isnan(store[:n_ind])
        for step in plan.steps:
            if step.positive_leaves.size:
                _require_positive(
                    step, store[step.positive_leaves], step.positive_leaves, plan, data
                )
        for step in plan.steps:
            with no_overflow(step.code):
                _aggregate(step, store, avail, plan, data, n_periods, policy.min_availability)
            refuse_infinite(store[step.row], step.code)
    values = store.reshape(-1, n_units, n_periods).transpose(1, 2, 0)
    availability = avail.reshape(-1, n_units, n_periods).transpose(1, 2, 0)

    return CompositeResult(
        framework=framework,
        build=resolved,
        version=kotacerdas.__version__,
        units=data.units,
        periods=data.periods,
        nodes=plan.codes,
        indicators=codes,
        values=values,
        availability=availability,
        data=raw,
        imputed=imputed,
        treatment=treatment,
        notes=notes,
        checked=check,
        names=_names(data, names),
    )


def _by_code(
    framework: Framework, data: Dataset, exempt: set[str]
) -> tuple[Dataset, tuple[Note, ...]]:
    """*data* with each column that names a node by alias or label renamed to its code.

    Validation reads such a column as that node's (with a warning); so does the engine,
    with a note.  Two columns for one node are refused: which to use is not ours to choose.
    *exempt* columns (what the build divides by) are data, not nodes, and keep their names.
    """
    renamed: dict[str, str] = {}
    for column in data.indicators:
        node = None if column in exempt else framework.get(column)
        if node is not None and node.code != column:
            renamed[column] = node.code
    if not renamed:
        return data, ()
    codes = [renamed.get(c, c) for c in data.indicators]
    for code in dict.fromkeys(codes):
        columns = [c for c, to in zip(data.indicators, codes, strict=True) if to == code]
        if len(columns) > 1:
            raise EngineError("data.column-twice", node=code, columns=listing(columns))
    notes = tuple(Note("data.column-alias", code, {"column": c}) for c, code in renamed.items())
    return attrs.evolve(data, indicators=tuple(codes)), notes


def _given(framework: Framework, plan: _Plan, data: Dataset) -> frozenset[str]:
    """The aggregates of the tree that *data* gives a column for, the topmost of each branch."""
    have = set(data.indicators)
    found = [s.code for s in plan.steps if s.code in have]
    if not found:
        return frozenset()
    below = {n.code for code in found for n in framework.node(code) if n.code != code}
    return frozenset(c for c in found if c not in below)


def _pruned(framework: Framework, given: frozenset[str]) -> Framework:
    """*framework* with the children of the *given* nodes left out (cached)."""
    try:
        return _cached_pruned(framework, given)
    except TypeError:  # unhashable parts
        return _make_pruned(framework, given)


def _make_pruned(framework: Framework, given: frozenset[str]) -> Framework:
    def prune(node: Node) -> Node:
        if node.code in given:
            return attrs.evolve(node, children=())
        kids = tuple(prune(c) for c in node.children)
        same = all(k is c for k, c in zip(kids, node.children, strict=True))
        return node if same else attrs.evolve(node, children=kids)

    return attrs.evolve(framework, roots=tuple(prune(r) for r in framework.roots))


_cached_pruned = functools.lru_cache(maxsize=64)(_make_pruned)


def _left_out(node: Node) -> Note:
    below = [n.code for n in node][1:]
    return Note("data.left-out", node.code, {"count": len(below), "nodes": listing(below)})


def _names(data: Dataset, names: Names | None) -> Names:
    """The data's own names first, then *names*."""
    if names is None:
        return dict(data.names)
    get = names.get if isinstance(names, Mapping) else names
    own = data.names

    def name(unit: str) -> str | None:
        return own.get(unit) or get(unit)

    return name


def _normalise(plan: _Plan, build: ResolvedBuild, raw: FloatArray, data: Dataset) -> FloatArray:
    """The normalised indicators ``(units, periods, indicators)``, group by group."""
    if len(plan.groups) == 1:  # one method for every indicator: no gathering or scattering
        return _normalise_group(plan.groups[0], build, raw, data)
    out = np.empty(raw.shape)
    for group in plan.groups:
        out[:, :, group.columns] = _normalise_group(group, build, raw[:, :, group.columns], data)
    return out


def _normalise_group(
    group: _Group, build: ResolvedBuild, block: FloatArray, data: Dataset
) -> FloatArray:
    method, g = group.method, group.context
    if method.uses_direction:
        block = block * g.signs
    if build.scope == "all" or block.shape[1] == 1:
        return method.apply(block, NormaliseContext(g.codes, g.signs, g.targets, data.units))
    done = np.empty(block.shape)
    for p, period in enumerate(data.periods):
        ctx = NormaliseContext(g.codes, g.signs, g.targets, data.units, period)
        done[:, p : p + 1, :] = method.apply(block[:, p : p + 1, :], ctx)
    return done


def _require_positive(
    step: _Step, x: FloatArray, rows: IntArray, plan: _Plan, data: Dataset
) -> None:
    """Refuse a geometric or harmonic mean over values that are not positive.

    *x* is ``(k, units·periods)``: the values of the node's children in store *rows*.
    """
    bad = x <= 0  # NaN compares false: missing values are not the problem here
    if bad.any():
        k, r = (int(n) for n in np.argwhere(bad)[0])
        u, p = divmod(r, len(data.periods))
        raise EngineError(
            "aggregate.non-positive",
            method=step.method,
            node=step.code,
            child=plan.codes[int(rows[k])],
            value=number(float(x[k, r])),
            unit=where(data.units[u], data.periods[p]),
        )


def _aggregate(
    step: _Step,
    store: FloatArray,
    avail: FloatArray,
    plan: _Plan,
    data: Dataset,
    n_periods: int,
    threshold: float,
) -> None:
    """Compute one aggregate into its row of *store* and *avail* (``nodes × units·periods``)."""
    x = store[step.select]  # (k, units·periods)
    k = x.shape[0]
    present = ~np.isnan(x)
    total, count = step.sums @ present.astype(np.float64)
    scored = total > 0
    if threshold > 0:
        scored &= count >= k * (threshold - _AVAILABILITY_TOL)
    method = step.method
    if method == "arithmetic":
        # The common case, without per-unit weights: Σ wᵢxᵢ / Σ wᵢ over the present
        # children; 0/0 gives NaN for units with nothing (weighted) to aggregate.
        y = step.shares @ np.where(present, x, 0.0) / total
        if threshold > 0:
            y = np.where(scored, y, np.nan)
    else:
        # The Aggregator contract: values and weights as (units, children).
        values = x.T
        w = (
            np.where(present & scored, step.shares[:, np.newaxis], 0.0)
            / np.where(scored, total, 1.0)
        ).T
        if isinstance(method, str) and method in ROW_WISE:
            if method in POSITIVE_ONLY:
                _require_positive(
                    step, np.where(w > 0, values, np.nan).T, step.children, plan, data
                )
            y = AGGREGATORS[method](values, w)
        else:
            # Copeland and your own functions see one period at a time, all units at once.
            func = AGGREGATORS[method] if isinstance(method, str) else method
            y = np.empty(values.shape[0])
            n_units = values.shape[0] // n_periods
            for p in range(n_periods):
                part = slice(p, None, n_periods)
                got = np.asarray(
                    func(np.ascontiguousarray(values[part]), np.ascontiguousarray(w[part])),
                    dtype=np.float64,
                )
                if got.shape != (n_units,):
                    raise EngineError(
                        "aggregate.custom-output",
                        node=step.code,
                        got=got.shape,
                        expected=(n_units,),
                    )
                y[part] = got
        y = np.where(scored, y, np.nan)
    store[step.row] = y
    avail[step.row] = count / k
