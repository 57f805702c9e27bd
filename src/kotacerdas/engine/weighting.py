"""Weights from the data: PCA, equal by level, and optimised to target correlations.

Each function returns :class:`DerivedWeights`: a :class:`~kotacerdas.engine.Weights`
(explicit weights for the sets of siblings it derives, the *base* scheme for the
others) that also records how they were derived.  Pass it to a build like any
weights; the result then records the effective weights
(:attr:`~kotacerdas.engine.CompositeResult.effective_weights`) and, through
``result.weights.scheme``, the derivation.

* :func:`pca_weights` — COINr's ``get_PCA``: for every aggregate of a level, the
  loadings of its children on the first principal component of their values (over
  the units that have them all), with the share of variance that component explains;
* :func:`equal_weights` — equal weights for the children of every aggregate of one
  level, the framework's elsewhere;
* :func:`optimise_weights` — COINr's ``get_opt_weights``: weights of one level such
  that each node's correlation with the index approaches a target share
  (``balance``) or their sum is largest (``infomax``), by Nelder–Mead.

>>> import numpy as np
>>> from kotacerdas import frameworks
>>> from kotacerdas.engine import Build, Dataset, compute
>>> from kotacerdas.engine.weighting import pca_weights
>>> fw = frameworks.from_data({
...     "id": "demo", "edition": "1", "title": "Demo", "issuer": "kotacerdas",
...     "provenance": {"confidence": "inferred"}, "index": "I",
...     "nodes": [{"code": "I", "kind": "index", "label": "Index", "children": [
...         {"code": "a", "kind": "indicator", "label": "a"},
...         {"code": "b", "kind": "indicator", "label": "b"},
...         {"code": "c", "kind": "indicator", "label": "c"}]}]})
>>> data = Dataset(tuple("PQRST"), ("a", "b", "c"),
...                np.array([[1, 2, 1], [2, 1, 3], [3, 4, 2], [4, 3, 5], [5, 6, 4]]))
>>> w = pca_weights(compute(fw, data, Build()))
>>> round(w.details.column("variance_share")[0], 3)
0.774
>>> result = compute(fw, data, Build(weights=w))
>>> result.weights.scheme.method, round(sum(result.effective_weights[c] for c in "abc"), 12)
('pca', 1.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Literal

import attrs
import numpy as np

from kotacerdas.engine._compute import compute
from kotacerdas.engine._stats import pearson, spearman
from kotacerdas.engine._util import FloatArray, listing, number
from kotacerdas.engine.analysis import (
    Table,
    _aggregates,
    _block,
    _table,
    _view,
    principal_components,
)
from kotacerdas.engine.build import Build, levels
from kotacerdas.engine.dataset import Dataset
from kotacerdas.engine.result import CompositeResult
from kotacerdas.engine.weights import Weights
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework

__all__ = ["DerivedWeights", "equal_weights", "optimise_weights", "pca_weights"]


@attrs.frozen
class DerivedWeights(Weights):
    """Explicit weights derived from the data, with the record of how.

    Attributes:
        method: ``"pca"``, ``"equal"`` or ``"optimised"``.
        level: The level whose nodes' weights were derived (1 = indicators).
        details: Per node: what the derivation found (loadings, correlations …).
        note: Parameters and outcome of the derivation, in words.
    """

    method: str = "pca"
    level: int = 1
    details: Table = attrs.field(factory=lambda: Table((), ()))
    note: str = ""


def _groups(result: CompositeResult, level: int) -> list[str]:
    view = _view(result, None, "scores")
    return _aggregates(view, level + 1)


def pca_weights(
    result: CompositeResult,
    level: int = 1,
    *,
    form: Literal["loadings", "squared"] = "loadings",
    period: int | str | None = None,
) -> DerivedWeights:
    """Weights from the first principal component of each group of *level* (COINr's ``get_PCA``).

    For every aggregate one level up, the children's scores in *result* (over the
    units that have all of them) give a first principal component; its loadings
    (``form="loadings"``, COINr's weights) or squared loadings (``"squared"``, the
    OECD/JRC Handbook's form, the share of the component's variance each child
    carries) become the children's weights.  A group of one child gets weight 1.

    Raises:
        EngineError: a loading is negative (``weights.pca-negative``: weights cannot be
            negative; check the child's direction or use ``form="squared"``), the level
            has no aggregate above it, or a group has no variance to analyse.
    """
    if form not in ("loadings", "squared"):
        raise EngineError(
            "build.param-value",
            method="pca_weights",
            param="form",
            value=form,
            expected="loadings | squared",
        )
    view = _view(result, period, "scores")
    values: dict[str, float] = {}
    rows = []
    for code in _aggregates(view, level + 1):
        kids = view.children(code)
        if len(kids) == 1:
            values[kids[0]] = 1.0
            rows.append((code, kids[0], 1.0, 1.0, 1.0, len(result.units)))
            continue
        eig, vectors, n = principal_components(_block(view, kids))
        if np.isnan(eig).any():
            raise EngineError("weights.pca-degenerate", node=code, count=n)
        loadings = vectors[:, 0]
        share = float(eig[0] / eig.sum())
        for kid, load in zip(kids, loadings, strict=True):
            if form == "loadings" and load < 0:
                raise EngineError(
                    "weights.pca-negative", node=code, child=kid, value=number(float(load))
                )
            w = float(load) if form == "loadings" else float(load * load)
            values[kid] = max(w, 0.0)
            rows.append((code, kid, float(load), w, share, n))
    details = _table(("node", "child", "loading", "weight", "variance_share", "n"), rows)
    return DerivedWeights(
        "explicit",
        values,
        method="pca",
        level=level,
        details=details,
        note=f"PCA {form}, level {level}, period {view.period}",
    )


def equal_weights(framework: Framework | CompositeResult, level: int) -> DerivedWeights:
    """Equal weights among the nodes of *level* within each parent; the framework's elsewhere.

    ``level=1`` makes every indicator count equally within its parent while the
    framework's weights of the higher levels stay.
    """
    fw = framework.framework if isinstance(framework, CompositeResult) else framework
    roots = (fw.index_node,) if fw.index_node is not None else fw.roots
    height = levels(tuple(roots))
    known = sorted({h for h in height.values() if h > 1})
    if isinstance(level, bool) or not isinstance(level, int) or level + 1 not in known:
        raise EngineError(
            "build.level-unknown",
            level=level,
            framework=fw.ref,
            levels=listing(k - 1 for k in known),
        )
    values = {
        c.code: 1.0 for code, h in height.items() if h == level + 1 for c in fw.node(code).children
    }
    rows = [(code, 1.0) for code in values]
    return DerivedWeights(
        "explicit",
        values,
        method="equal",
        level=level,
        details=_table(("node", "weight"), rows),
        note=f"equal weights within each parent, level {level}",
    )


def _nelder_mead(
    f: Callable[[FloatArray], float], x0: FloatArray, tol: float, maxiter: int
) -> tuple[FloatArray, float, int, bool]:
    """Minimise *f* from *x0*: the simplex method, deterministic, R's relative tolerance."""
    n = x0.size
    simplex = [x0.copy()]
    for i in range(n):
        x = x0.copy()
        x[i] += 0.1 * max(1.0, abs(x[i]))
        simplex.append(x)
    fs = [f(x) for x in simplex]
    evals = n + 1
    while evals < maxiter:
        order = np.argsort(fs)
        simplex = [simplex[i] for i in order]
        fs = [fs[i] for i in order]
        if fs[-1] <= fs[0] + tol * (abs(fs[0]) + tol):
            return simplex[0], fs[0], evals, True
        centre = np.mean(simplex[:-1], axis=0)
        worst = simplex[-1]
        xr = centre + (centre - worst)
        fr = f(xr)
        evals += 1
        if fr < fs[0]:
            xe = centre + 2.0 * (centre - worst)
            fe = f(xe)
            evals += 1
            simplex[-1], fs[-1] = (xe, fe) if fe < fr else (xr, fr)
        elif fr < fs[-2]:
            simplex[-1], fs[-1] = xr, fr
        else:
            xc = centre + 0.5 * ((xr if fr < fs[-1] else worst) - centre)
            fc = f(xc)
            evals += 1
            if fc < min(fr, fs[-1]):
                simplex[-1], fs[-1] = xc, fc
            else:
                best = simplex[0]
                simplex = [best] + [best + 0.5 * (x - best) for x in simplex[1:]]
                fs = [fs[0]] + [f(x) for x in simplex[1:]]
                evals += n
    i = int(np.argmin(fs))
    return simplex[i], fs[i], evals, False


def optimise_weights(
    framework: Framework,
    data: Dataset,
    build: Build,
    level: int,
    *,
    targets: Literal["equal"] | Mapping[str, float] = "equal",
    optimise: Literal["balance", "infomax"] = "balance",
    method: Literal["pearson", "spearman"] = "pearson",
    tol: float = 1e-4,
    maxiter: int = 500,
) -> DerivedWeights:
    """Weights of *level* so each node's correlation with the index nears a target.

    COINr's ``get_opt_weights``.

    ``balance``: minimise ``log(mean((t − c)²))`` with *c* the nodes' correlations
    with the index, normalised to sum to 1, and *t* the targets, normalised likewise
    (``"equal"``: the same for every node, COINr's ``itarg = "equal"``).
    ``infomax``: maximise the sum of the correlations.  Weights stay positive (the
    search runs on their logarithms) and start from the targets (``balance``) or the
    build's weights (``infomax``); the build's other weights stay.  COINr uses R's
    ``optim`` (Nelder–Mead, relative tolerance 0.1 by default); this uses the same
    method with *tol* (default 1e-4), so numbers agree to the tolerance, not digit
    for digit.

    Raises:
        EngineError: the level is not a level below the index, *targets* names a node
            not at that level or misses one, or a parameter is invalid.
    """
    if optimise not in ("balance", "infomax"):
        raise EngineError(
            "build.param-value",
            method="optimise_weights",
            param="optimise",
            value=optimise,
            expected="balance | infomax",
        )
    if isinstance(maxiter, bool) or not isinstance(maxiter, int) or maxiter < 1:
        raise EngineError(
            "build.param-value",
            method="optimise_weights",
            param="maxiter",
            value=maxiter,
            expected="int ≥ 1",
        )
    if isinstance(tol, bool) or not isinstance(tol, int | float) or not 0 < tol < 1:
        raise EngineError(
            "build.param-value",
            method="optimise_weights",
            param="tol",
            value=tol,
            expected="0 < tol < 1",
        )
    first = compute(framework, data, build)
    view = _view(first, None, "scores")
    top = max(view.height.values())
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level < top:
        raise EngineError(
            "build.level-unknown",
            level=level,
            framework=framework.ref,
            levels=listing(range(1, top)),
        )
    codes = view.level(level)
    root = first.build.roots[0]
    if targets == "equal":
        goal = np.ones(len(codes))
    else:
        if not isinstance(targets, Mapping) or set(targets) != set(codes):
            named = set(targets) if isinstance(targets, Mapping) else set()
            raise EngineError(
                "weights.partial",
                parent=f"level {level}",
                missing=listing(sorted(set(codes) - named) or sorted(named - set(codes))),
            )
        goal = np.array([float(targets[c]) for c in codes])
        if (goal < 0).any() or goal.sum() <= 0:
            raise EngineError("weights.zero-total", parent=f"level {level}")
    goal = goal / goal.sum()
    corr = spearman if method == "spearman" else pearson
    base = build.weights
    start = (
        goal
        if optimise == "balance"
        else np.array([first.build.weights.local.get(c, 1.0) for c in codes])
    )

    def correlations(w: FloatArray) -> FloatArray:
        weights = Weights.explicit(
            {**dict(base.values), **dict(zip(codes, w.tolist(), strict=True))},
            base="equal" if base.scheme == "equal" else base.base,
        )
        res = compute(framework, data, attrs.evolve(build, weights=weights))
        index = res.score(root)
        return np.array([corr(res.score(c), index)[0] for c in codes])

    def objective(theta: FloatArray) -> float:
        c = correlations(np.exp(theta))
        if optimise == "infomax":
            return -float(np.nansum(c))
        share = c / np.nansum(c)
        return math.log(float(np.nanmean((goal - share) ** 2)) + 1e-300)

    theta, value, evals, converged = _nelder_mead(
        objective, np.log(np.maximum(start, 1e-12)), tol, maxiter
    )
    w = np.exp(theta)
    w = w / w.sum()
    c = correlations(w)
    obtained = c / np.nansum(c) if optimise == "balance" else c
    parents = {code: framework.node(code).parent for code in codes}
    total = {
        p: sum(w[i] for i, c2 in enumerate(codes) if parents[c2] == p) for p in parents.values()
    }
    rows = [
        (
            code,
            float(goal[i]) if optimise == "balance" else math.nan,
            float(c[i]),
            float(obtained[i]),
            float(w[i]),
            float(w[i] / total[parents[code]]),
        )
        for i, code in enumerate(codes)
    ]
    return DerivedWeights(
        "explicit",
        {**dict(base.values), **dict(zip(codes, w.tolist(), strict=True))},
        base="equal" if base.scheme == "equal" else base.base,
        method="optimised",
        level=level,
        details=_table(("node", "target", "correlation", "obtained", "weight", "share"), rows),
        note=(
            f"{optimise}, {method} correlations with {root}, level {level}: objective "
            f"{value:.6g} after {evals} evaluations ({'converged' if converged else 'maxiter'})"
        ),
    )
