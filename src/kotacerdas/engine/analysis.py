"""Statistical checks of a composite index, as every index report has them, returned as data.

The checks a JRC audit or a COINr user runs on a built index (COINr's ``get_corr``,
``get_cronbach``, ``get_PCA``, ``get_stats``), computed from a
:class:`~kotacerdas.engine.CompositeResult`:

* :func:`correlations` — Pearson or Spearman correlations with two-sided p-values
  (R's ``cor.test``), within a level or between two levels, optionally only within
  groups or only with the parent;
* :func:`parent_correlations` — every node against its parent, with the nodes that
  correlate **negatively** with their parent flagged (they pull against it);
* :func:`cronbach` — Cronbach's alpha of the children of each aggregate;
* :func:`pca` — principal components of the children of each aggregate: the variance
  the first component explains and its loadings;
* :func:`indicator_stats` — each indicator's distribution and data flags.

Each returns a :class:`Table`: plain rows, and a data frame of your library through
:mod:`narwhals` (:meth:`Table.to_frame`).  Values are the result's scores (normalised
indicators and aggregates) of one period, the latest by default; ``data="raw"`` uses
the indicators' values before normalisation instead.  Missing values are left out pair
by pair (correlations, covariances) or unit by unit (PCA), as COINr does.

>>> import numpy as np
>>> from kotacerdas import frameworks
>>> from kotacerdas.engine import Build, Dataset, compute
>>> from kotacerdas.engine.analysis import parent_correlations
>>> fw = frameworks.from_data({
...     "id": "demo", "edition": "1", "title": "Demo", "issuer": "kotacerdas",
...     "provenance": {"confidence": "inferred"}, "index": "I",
...     "nodes": [{"code": "I", "kind": "index", "label": "Index", "children": [
...         {"code": "a", "kind": "indicator", "label": "a"},
...         {"code": "b", "kind": "indicator", "label": "b"},
...         {"code": "c", "kind": "indicator", "label": "c"}]}]})
>>> values = np.array([[1, 2, 9], [2, 1, 7], [3, 4, 8], [4, 3, 2], [5, 6, 1]])
>>> result = compute(fw, Dataset(tuple("PQRST"), ("a", "b", "c"), values), Build())
>>> [(r["node"], round(r["r"], 2), r["negative"]) for r in parent_correlations(result).to_rows()]
[('a', 0.64, False), ('b', 0.92, False), ('c', -0.31, True)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np

from kotacerdas.engine._stats import (
    correlation_pvalue,
    kurtosis,
    pearson,
    pearson_matrix,
    skewness,
    spearman,
)
from kotacerdas.engine._util import FloatArray, Period, listing
from kotacerdas.engine.build import levels
from kotacerdas.engine.result import CompositeResult
from kotacerdas.errors import EngineError

__all__ = [
    "Table",
    "correlations",
    "cronbach",
    "indicator_stats",
    "parent_correlations",
    "pca",
]

Method: TypeAlias = Literal["pearson", "spearman"]
Data: TypeAlias = Literal["scores", "raw"]


def _plain(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.floating):
        return None if math.isnan(float(value)) else float(value)
    return value


@attrs.frozen
class Table:
    """A table of results: named columns and rows of plain values (``None`` = missing).

    Attributes:
        columns: The column names.
        rows: The rows, each a tuple in column order.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...] = attrs.field(repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per row."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """The values of one column."""
        try:
            i = self.columns.index(name)
        except ValueError:
            raise EngineError(
                "result.node-unknown", code=name, available=listing(self.columns)
            ) from None
        return [row[i] for row in self.rows]

    def to_frame(self, backend: Any = None, *, like: Any = None) -> Any:
        """The table as a data frame of *backend* (``"pandas"`` by default …) or like *like*."""
        from kotacerdas._frames import frame

        cols = {c: [row[i] for row in self.rows] for i, c in enumerate(self.columns)}
        return frame(cols, backend, like)


def _table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    return Table(tuple(columns), tuple(tuple(_plain(v) for v in row) for row in rows))


# -- what the checks read -----------------------------------------------------------------------


@attrs.frozen(eq=False)
class _View:
    """One period of a result: node values by code, levels, parents."""

    result: CompositeResult
    period: Period
    data: Data
    height: dict[str, int]

    def values(self, code: str) -> FloatArray:
        r = self.result
        if self.data == "raw":
            if code not in r.indicators:
                raise EngineError("build.not-indicator", code=code)
            p = r.periods.index(self.period)
            out: FloatArray = r.data[:, p, r.indicators.index(code)]
            return out
        return r.score(code, self.period)

    def level(self, level: int) -> list[str]:
        return [c for c in self.result.nodes if self.height.get(c) == level]

    def parent(self, code: str) -> str | None:
        return self.result.framework.node(code).parent

    def ancestor(self, code: str, level: int) -> str | None:
        """The node's ancestor at *level* (itself when it is at that level)."""
        node: str | None = code
        while node is not None and self.height[node] < level:
            node = self.parent(node)
        return node if node is not None and self.height[node] == level else None

    def children(self, code: str) -> list[str]:
        return [c.code for c in self.result.framework.node(code).children]


def _view(result: CompositeResult, period: Period, data: Data) -> _View:
    if data not in ("scores", "raw"):
        raise EngineError(
            "build.param-value",
            method="analysis",
            param="data",
            value=data,
            expected="scores | raw",
        )
    roots = tuple(result.framework.node(r) for r in result.build.roots)
    p = result.periods[result._period(period)]
    return _View(result, p, data, levels(roots))


def _check_level(view: _View, level: int) -> None:
    known = sorted(set(view.height.values()))
    if isinstance(level, bool) or level not in known:
        raise EngineError(
            "build.level-unknown",
            level=level,
            framework=view.result.framework_ref,
            levels=listing(known),
        )


def _correlate(x: FloatArray, y: FloatArray, method: Method) -> tuple[float, float, int]:
    r, n = spearman(x, y) if method == "spearman" else pearson(x, y)
    return r, correlation_pvalue(r, n), n


def _method(method: str) -> Method:
    if method not in ("pearson", "spearman"):
        raise EngineError(
            "build.param-value",
            method="correlations",
            param="method",
            value=method,
            expected="pearson | spearman",
        )
    return method  # type: ignore[return-value]


_CORR_COLUMNS = ("x", "y", "level_x", "level_y", "r", "p", "n", "significant")


def correlations(
    result: CompositeResult,
    levels: tuple[int, int] | int = 1,
    *,
    method: Method = "pearson",
    within: int | None = None,
    parent_only: bool = False,
    period: Period = None,
    data: Data = "scores",
    alpha: float = 0.05,
) -> Table:
    """Correlations between the nodes of two levels (or within one), with significance.

    Args:
        result: A computed result.
        levels: The two levels (1 = indicators, 2 = their parents …); one level for
            the correlations within it.
        method: ``"pearson"`` or ``"spearman"`` (Pearson of ranks, ties averaged).
        within: Only pairs with the same ancestor at this level (COINr's
            ``grouplev``), e.g. indicators of the same pillar.
        parent_only: Between levels, only each node with its own ancestor (COINr's
            ``withparent``).
        period: The period (default: the latest).
        data: ``"scores"`` (normalised and aggregated) or ``"raw"`` (indicators only).
        alpha: The significance level of the ``significant`` column.

    Returns:
        Rows ``x, y, level_x, level_y, r, p, n, significant``: each pair once within a
        level (``x`` before ``y`` in the result's order), every pair between levels.
        ``p`` is the two-sided p-value of R's ``cor.test`` (Student's *t*, ``n − 2``
        degrees of freedom; for Spearman the same approximation, which R uses with
        ties), ``n`` the number of units with both values.
    """
    method = _method(method)
    view = _view(result, period, data)
    a, b = (levels, levels) if isinstance(levels, int) else levels
    for level in (a, b):
        _check_level(view, level)
    if within is not None:
        _check_level(view, within)
    xs, ys = view.level(a), view.level(b)
    group = {c: view.ancestor(c, within) for c in {*xs, *ys}} if within is not None else {}
    up = {x: view.ancestor(x, b) for x in xs} if parent_only and a != b else {}
    pairs = [
        (i, j)
        for i, x in enumerate(xs)
        for j, y in enumerate(ys)
        if not (a == b and j <= i)
        and (within is None or group[x] == group[y])
        and (not up or up[x] == y)
    ]
    if method == "pearson":  # all pairs at once; Spearman ranks each pair's common units
        r_all, n_all = pearson_matrix(_block(view, xs), _block(view, ys))
    rows = []
    for i, j in pairs:
        if method == "pearson":
            r, n = float(r_all[i, j]), int(n_all[i, j])
        else:
            r, n = spearman(view.values(xs[i]), view.values(ys[j]))
        p = correlation_pvalue(r, n)
        rows.append((xs[i], ys[j], a, b, r, p, n, (not math.isnan(p)) and p < alpha))
    return _table(_CORR_COLUMNS, rows)


def parent_correlations(
    result: CompositeResult,
    *,
    method: Method = "pearson",
    period: Period = None,
    data: Data = "scores",
    alpha: float = 0.05,
) -> Table:
    """Every node's correlation with its parent; ``negative`` flags those below 0.

    A node that correlates negatively with its own aggregate pulls against it: its
    direction may be wrong, or it measures something else.

    Returns:
        Rows ``node, parent, level, r, p, n, significant, negative``, in the result's
        order of nodes.
    """
    method = _method(method)
    view = _view(result, period, data)
    rows = []
    for code in result.nodes:
        parent = view.parent(code)
        if parent is None or parent not in view.height:
            continue
        if data == "raw" and code not in result.indicators:
            continue
        x = view.values(code)
        y = result.score(parent, view.period)
        r, p, n = _correlate(x, y, method)
        sig = (not math.isnan(p)) and p < alpha
        rows.append((code, parent, view.height[code], r, p, n, sig, r < 0))
    columns = ("node", "parent", "level", "r", "p", "n", "significant", "negative")
    return _table(columns, rows)


def _block(view: _View, codes: Sequence[str]) -> FloatArray:
    return np.column_stack([view.values(c) for c in codes])


def _alpha(x: FloatArray) -> float:
    """Cronbach's alpha with pairwise covariances (COINr's ``get_cronbach``)."""
    k = x.shape[1]
    if k < 2:
        return math.nan
    cov = np.full((k, k), np.nan)
    for i in range(k):
        for j in range(i, k):
            both = ~np.isnan(x[:, i]) & ~np.isnan(x[:, j])
            if both.sum() > 1:
                a, b = x[both, i], x[both, j]
                cov[i, j] = cov[j, i] = float(((a - a.mean()) * (b - b.mean())).sum()) / (
                    both.sum() - 1
                )
    total = float(np.nansum(cov))
    if total == 0:
        return math.nan
    average = (total - float(np.nansum(np.diag(cov)))) / (k * (k - 1))
    return float(k * k * average / total)


def _aggregates(view: _View, level: int | None) -> list[str]:
    if level is not None:
        _check_level(view, level)
        if level < 2:
            raise EngineError("build.not-aggregate", code=f"level {level}", parent="-")
        return view.level(level)
    return list(view.result.aggregates)


def cronbach(
    result: CompositeResult,
    level: int | None = None,
    *,
    period: Period = None,
    data: Data = "scores",
) -> Table:
    """Cronbach's alpha of the children of every aggregate (of *level*, if given).

    ``α = k²·c̄ / Σ C`` with *C* the children's covariance matrix (pairwise complete
    units) and *c̄* the mean of its off-diagonal entries: COINr's ``get_cronbach``.
    Values near 1 mean the children measure one thing; below about 0.7 is usually
    read as weak internal consistency.  With ``data="raw"`` only aggregates of
    indicators are reported.

    Returns:
        Rows ``node, level, k, alpha``.
    """
    view = _view(result, period, data)
    rows = []
    for code in _aggregates(view, level):
        kids = view.children(code)
        if data == "raw" and any(k not in result.indicators for k in kids):
            continue
        rows.append((code, view.height[code], len(kids), _alpha(_block(view, kids))))
    return _table(("node", "level", "k", "alpha"), rows)


def principal_components(x: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    """Eigenvalues (descending) and loadings of the correlation matrix of complete rows.

    As R's ``prcomp(center = TRUE, scale = TRUE)``: the loadings (columns) have unit
    length; each is oriented so that its entries sum to a non-negative number (the
    sign of a component is arbitrary).  Also returns the number of complete rows.
    """
    rows = x[~np.isnan(x).any(axis=1)]
    n = rows.shape[0]
    if n < 2:
        k = x.shape[1]
        return np.full(k, np.nan), np.full((k, k), np.nan), n
    sd = rows.std(axis=0, ddof=1)
    if (sd == 0).any():
        k = x.shape[1]
        return np.full(k, np.nan), np.full((k, k), np.nan), n
    z = (rows - rows.mean(axis=0)) / sd
    corr = z.T @ z / (n - 1)
    values, vectors = np.linalg.eigh(corr)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    signs = np.where(vectors.sum(axis=0) < 0, -1.0, 1.0)
    return np.clip(values, 0.0, None), vectors * signs, n


def pca(
    result: CompositeResult,
    level: int | None = None,
    *,
    period: Period = None,
    data: Data = "scores",
) -> Table:
    """Principal component analysis of the children of every aggregate (of *level*, if given).

    For each aggregate, the correlation matrix of its children over the units that
    have all of them (COINr's ``get_PCA`` drops incomplete units too): the share of
    the variance the first component explains, and each child's loading on it.  A
    high share means one dimension underlies the group; a loading of the opposite
    sign to the rest marks a child that pulls the other way.

    Returns:
        Rows ``node, child, loading, variance_share, n`` (one per child; *n*: the
        complete units used).
    """
    view = _view(result, period, data)
    rows: list[tuple[object, ...]] = []
    for code in _aggregates(view, level):
        kids = view.children(code)
        if data == "raw" and any(k not in result.indicators for k in kids):
            continue
        values, vectors, n = principal_components(_block(view, kids))
        share = float(values[0] / values.sum()) if values.sum() > 0 else math.nan
        rows.extend((code, kid, float(vectors[i, 0]), share, n) for i, kid in enumerate(kids))
    return _table(("node", "child", "loading", "variance_share", "n"), rows)


def indicator_stats(
    result: CompositeResult,
    *,
    period: Period = None,
    data: Data = "raw",
    t_skew: float = 2.0,
    t_kurt: float = 3.5,
    t_avail: float = 0.65,
    t_zero: float = 0.5,
    t_unq: float = 0.5,
) -> Table:
    """Each indicator's distribution and data flags (COINr's ``get_stats``), raw by default.

    Returns:
        Rows ``indicator, min, max, mean, median, sd, skew, kurt, n_avail, frc_avail,
        frc_nonzero, frc_unique, flag_avail, flag_nonzero, flag_unique, flag_skewkurt``;
        the flags are ``"ok"``, ``"LOW"`` or ``"OUT"`` (skewness and kurtosis beyond
        *t_skew* and *t_kurt*), as COINr's.
    """
    view = _view(result, period, data)
    n = len(result.units)
    rows = []
    for code in result.indicators:
        x = view.values(code)
        obs = x[~np.isnan(x)]
        m = obs.size
        sk, kt = skewness(x), kurtosis(x)
        nonzero = int((obs != 0).sum())
        unique = int(np.unique(obs).size)
        stats = (
            (float(obs.min()), float(obs.max()), float(obs.mean()), float(np.median(obs)))
            if m
            else (math.nan,) * 4
        )
        sd = float(obs.std(ddof=1)) if m > 1 else math.nan
        rows.append(
            (
                code,
                *stats,
                sd,
                sk,
                kt,
                m,
                m / n if n else math.nan,
                nonzero / m if m else math.nan,
                unique / m if m else math.nan,
                "ok" if n and m / n >= t_avail else "LOW",
                "ok" if n and nonzero / n >= t_zero else "LOW",
                "ok" if n and unique / n >= t_unq else "LOW",
                "OUT" if abs(sk) > t_skew and kt > t_kurt else "ok",
            )
        )
    columns = (
        "indicator",
        "min",
        "max",
        "mean",
        "median",
        "sd",
        "skew",
        "kurt",
        "n_avail",
        "frc_avail",
        "frc_nonzero",
        "frc_unique",
        "flag_avail",
        "flag_nonzero",
        "flag_unique",
        "flag_skewkurt",
    )
    return _table(columns, rows)
