"""Properties of the engine over generated frameworks, data and builds (Hypothesis)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kotacerdas import frameworks
from kotacerdas.engine import (
    Build,
    Dataset,
    Identity,
    Impute,
    LatestYear,
    MinMax,
    PercentileRank,
    Rank,
    ZScore,
    compute,
    impute,
)
from kotacerdas.engine.build import levels
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework

NAN = float("nan")
MEANS = ("arithmetic", "geometric", "harmonic", "median", "minimum", "maximum")
MONOTONE = (*MEANS, "sum")


@st.composite
def tree_frameworks(draw: st.DrawFn) -> Framework:
    """A random index tree: 1–3 levels of aggregates, 1–3 children each, relative weights."""
    counter = itertools.count()

    def node(depth: int) -> dict[str, Any]:
        n = next(counter)
        weight = draw(st.integers(1, 4))
        if depth == 0 or (n > 0 and draw(st.booleans()) and depth < 2):
            return {"code": f"i{n}", "kind": "indicator", "label": f"i{n}", "weight": weight}
        kids = [node(depth - 1) for _ in range(draw(st.integers(1, 3)))]
        return {
            "code": f"n{n}",
            "kind": "aggregate",
            "label": f"n{n}",
            "weight": weight,
            "children": kids,
        }

    root = node(draw(st.integers(1, 3)))
    root.pop("weight")
    if "children" not in root:  # a root must aggregate something
        root = {"code": "top", "kind": "aggregate", "label": "top", "children": [root]}
    return frameworks.from_data(
        {
            "id": "p",
            "edition": "1",
            "title": "P",
            "issuer": "tests",
            "provenance": {"confidence": "inferred"},
            "index": root["code"],
            "weights": "relative",
            "nodes": [root],
        }
    )


@st.composite
def cases(draw: st.DrawFn, *, missing: bool = True, periods: int = 1) -> tuple[Framework, Dataset]:
    fw = draw(tree_frameworks())
    leaves = tuple(n.code for n in fw.leaves())
    n_units = draw(st.integers(3, 8))
    shape = (n_units, periods, len(leaves))
    values = draw(arrays(np.float64, shape, elements=st.floats(0.5, 100.0)))
    if missing:  # about one cell in eight missing
        gaps = draw(arrays(np.bool_, shape, elements=st.integers(0, 7).map(lambda k: k == 0)))
        values[gaps] = NAN
    units = tuple(f"u{i}" for i in range(n_units))
    return fw, Dataset(units, leaves, values, tuple(range(2020, 2020 + periods)))


def aggregations(fw: Framework, methods: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    parents = [n.code for n in fw if n.children]
    return st.fixed_dictionaries({code: st.sampled_from(methods) for code in parents})


@given(st.data())
def test_every_mean_lies_within_its_inputs(data: st.DataObject) -> None:
    fw, d = data.draw(cases())
    per_node = data.draw(aggregations(fw, MEANS))
    r = compute(fw, d, Build(normalise=Identity(), aggregate_nodes=per_node, missing="omit"))
    for node in fw:
        if not node.children:
            continue
        kids = r.values[:, :, [r.nodes.index(c.code) for c in node.children]]
        y = r.column(node.code)
        with np.errstate(invalid="ignore"):
            lo = np.fmin.reduce(kids, axis=2)
            hi = np.fmax.reduce(kids, axis=2)
        seen = ~np.isnan(y)
        assert (np.isnan(lo) == ~seen).all()  # missing exactly when every child is
        assert (y[seen] >= lo[seen] - 1e-9 * np.abs(lo[seen]) - 1e-12).all()
        assert (y[seen] <= hi[seen] + 1e-9 * np.abs(hi[seen]) + 1e-12).all()


@given(st.data())
def test_permuting_units_changes_no_score(data: st.DataObject) -> None:
    fw, d = data.draw(cases(periods=2))
    per_node = data.draw(aggregations(fw, (*MEANS[:1], "median", "minimum", "copeland")))
    norm = data.draw(st.sampled_from([MinMax(), Rank(), PercentileRank(), Identity()]))
    scope = data.draw(st.sampled_from(["all", "period"]))
    build = Build(normalise=norm, aggregate_nodes=per_node, missing="omit", scope=scope)
    order = data.draw(st.permutations(range(len(d.units))))
    shuffled = Dataset(
        tuple(d.units[i] for i in order), d.indicators, d.values[list(order)], d.periods
    )
    try:
        a = compute(fw, d, build)
    except EngineError as exc:  # a degenerate draw (no variance): the permuted one fails too
        code = exc.code
        with pytest.raises(EngineError) as again:
            compute(fw, shuffled, build)
        assert again.value.code == code
        return
    b = compute(fw, shuffled, build)
    assert np.allclose(a.values[list(order)], b.values, equal_nan=True, rtol=1e-12, atol=1e-12)


@given(st.data())
def test_raising_an_input_never_lowers_a_monotone_aggregate(data: st.DataObject) -> None:
    fw, d = data.draw(cases())
    per_node = data.draw(aggregations(fw, MONOTONE))
    norm = data.draw(st.sampled_from([Identity(), MinMax(low=1, high=100)]))
    build = Build(normalise=norm, aggregate_nodes=per_node, missing="omit")
    present = np.argwhere(~np.isnan(d.values))
    if not len(present):
        return
    u, p, i = present[data.draw(st.integers(0, len(present) - 1))]
    raised = d.values.copy()
    raised[u, p, i] += data.draw(st.floats(0.01, 50.0))
    try:
        before = compute(fw, d, build)
    except EngineError:  # a degenerate draw for min–max (one value): nothing to compare
        return
    after = compute(fw, Dataset(d.units, d.indicators, raised, d.periods), build)
    old, new = before.values[u, p], after.values[u, p]
    seen = ~np.isnan(old)
    assert (new[seen] >= old[seen] - 1e-9 * np.abs(old[seen]) - 1e-12).all()


@given(st.data())
def test_observed_values_survive_imputation(data: st.DataObject) -> None:
    _, d = data.draw(cases(periods=3))
    groups = data.draw(
        st.lists(st.sampled_from(["p", "q", None]), min_size=len(d.units), max_size=len(d.units))
    )
    d = d.with_groups("g", dict(zip(d.units, groups, strict=True)))
    steps = data.draw(
        st.lists(
            st.sampled_from(
                [
                    Impute("mean"),
                    Impute("median"),
                    Impute("mean", by="g"),
                    LatestYear(1),
                    LatestYear(),
                ]
            ),
            max_size=3,
        )
    )
    values, mask = impute(d, steps)
    observed = ~np.isnan(d.values)
    assert (values[observed] == d.values[observed]).all()
    assert not mask[observed].any()
    assert (mask == (~observed & ~np.isnan(values))).all()


@given(st.data())
def test_per_node_and_per_level_builds_agree(data: st.DataObject) -> None:
    fw, d = data.draw(cases())
    height = levels(fw.roots)
    top = max(height.values())
    by_level = data.draw(
        st.fixed_dictionaries({lv: st.sampled_from(MONOTONE) for lv in range(2, top + 1)})
    )
    per_node = {code: by_level[h] for code, h in height.items() if h > 1}
    norm = MinMax(low=1, high=100)
    try:
        a = compute(fw, d, Build(normalise=norm, aggregate_levels=by_level, missing="omit"))
    except EngineError:  # a degenerate draw for min–max (one value)
        return
    b = compute(fw, d, Build(normalise=norm, aggregate_nodes=per_node, missing="omit"))
    assert a.build.aggregation == b.build.aggregation
    assert np.array_equal(a.values, b.values, equal_nan=True)


@settings(max_examples=25)
@given(st.data())
def test_zscore_gives_the_chosen_mean_and_sd(data: st.DataObject) -> None:
    fw, d = data.draw(cases(missing=False))
    mean, sd = data.draw(st.floats(-50, 50)), data.draw(st.floats(0.1, 10))
    try:
        r = compute(fw, d, Build(normalise=ZScore(mean, sd)))
    except EngineError:  # constant columns have no z-score
        return
    z = r.normalised.reshape(-1, len(r.indicators))
    # z = (x - mu) / s carries a rounding error of about eps * |x| / s (in units of sd): a
    # column whose spread is a few ulps of its values is standardised only that well.
    x = d.values.reshape(-1, len(r.indicators))
    noise = 64 * np.finfo(float).eps * np.abs(x).max(axis=0) / x.std(axis=0, ddof=1) * sd
    assert (np.abs(z.mean(axis=0) - mean) <= 1e-8 + noise).all()
    assert (np.abs(z.std(axis=0, ddof=1) - sd) <= 1e-8 * sd + noise).all()
