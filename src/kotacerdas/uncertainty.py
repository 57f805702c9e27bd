"""Uncertainty analysis: how far a ranking could move if the method were otherwise.

A composite index rests on choices — weights, how each node aggregates, how
indicators are normalised, what happens to missing values, which indicators count.
An *assumption* (:class:`WeightNoise`, :class:`WeightDirichlet`, :class:`WeightSets`,
:class:`AggregationChoice`, :class:`NormalisationChoice`, :class:`MissingChoice`,
:class:`Exclusion`) says which choice is uncertain and how it varies; :func:`analyse`
draws every assumption at once for each of many samples, computes the index of every
sample, and reports per unit how its rank and score vary (the JRC/OECD handbook's
uncertainty analysis, COINr's ``get_sensitivity(SA_type = "UA")``).

>>> import numpy as np
>>> from kotacerdas import frameworks
>>> from kotacerdas.engine import Dataset
>>> fw = frameworks.from_data({
...     "id": "demo", "edition": "1", "title": "Demo", "issuer": "kotacerdas",
...     "provenance": {"confidence": "inferred"}, "index": "I",
...     "nodes": [{"code": "I", "kind": "index", "label": "Index", "children": [
...         {"code": "a", "kind": "indicator", "label": "a"},
...         {"code": "b", "kind": "indicator", "label": "b"}]}]})
>>> data = Dataset(("A", "B", "C", "D"), ("a", "b"), np.array([[1, 8], [4, 9], [6, 2], [9, 1]]))
>>> result = analyse(fw, data, [WeightNoise(0.5)], samples=1000, seed=1)
>>> for r in result.intervals():
...     print(r.unit, r.nominal_rank, r.rank_low, r.rank_high, r.keeps_rank)
A 3.0 2.0 4.0 0.284
B 1.0 1.0 2.0 0.863
C 4.0 3.0 4.0 0.672
D 2.0 1.0 3.0 0.475

With both weights varying by ±50 %, B stays first in 86 % of samples and is never
below second; A, third nominally, could as well be second or fourth.

Everything is vectorised over samples, in chunks of bounded memory; random draws come
from child seeds of one :class:`numpy.random.SeedSequence` in fixed blocks, so a seed
gives the same result whatever the chunk size, and the result records the seed, the
library version and every assumption as resolved.  Every assumption is checked
against the framework and the data before any sample is drawn: one that cannot apply
(an unknown node, a geometric mean over values that can be 0) is an error, never a
silent skip.

:func:`from_provenance` derives weight uncertainty from the frameworks' own records:
weights whose provenance is *confirmed* stay fixed, *inferred* ones vary by ±25 %,
*uncertain* or unpublished ones by ±50 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeAlias

import attrs
import numpy as np

import kotacerdas
from kotacerdas import _montecarlo as mc
from kotacerdas.engine import Build, CompositeResult, Dataset, MissingPolicy, Weights, compute
from kotacerdas.engine._util import FloatArray, IntArray, Period, listing, number, where
from kotacerdas.engine.aggregate import POSITIVE_ONLY, AggregationSpec
from kotacerdas.engine.build import ResolvedBuild, as_aggregation, levels
from kotacerdas.engine.normalise import Normaliser, as_normaliser
from kotacerdas.errors import EngineError
from kotacerdas.i18n import Phrase
from kotacerdas.model import Confidence, Framework, Node

__all__ = [
    "AggregationChoice",
    "Assumption",
    "Exclusion",
    "MissingChoice",
    "NormalisationChoice",
    "OfficialModel",
    "RankInterval",
    "Seed",
    "UncertaintyResult",
    "WeightDirichlet",
    "WeightNoise",
    "WeightSets",
    "analyse",
    "from_provenance",
    "official",
    "official_model",
]

Seed: TypeAlias = int | np.random.Generator | np.random.SeedSequence | None
"""A seed: an integer, a :class:`numpy.random.Generator` (one number is drawn from it),
a :class:`numpy.random.SeedSequence`, or ``None`` for fresh entropy (recorded)."""

_CHUNK_VALUES = 1 << 19  # values of one (units × samples) array of a chunk: cache-sized


def _codes(items: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(items, str):
        return (items,)
    return tuple(str(i) for i in items)


def _levels(items: int | Iterable[int]) -> tuple[int, ...]:
    out: tuple[object, ...] = (items,) if isinstance(items, int) else tuple(items)
    for level in out:
        if isinstance(level, bool) or not isinstance(level, int) or level < 1:
            raise EngineError(
                "build.param-value",
                method="assumption",
                param="levels",
                value=level,
                expected="int ≥ 1",
            )
    return tuple(int(level) for level in out)  # type: ignore[call-overload]


# -- the assumptions ---------------------------------------------------------------------------


class Assumption:
    """Base of the uncertain assumptions; see the module docs for the kinds.

    Every assumption has a *name*, the label it carries in results (a default is
    derived from what it varies).
    """

    __slots__ = ()

    kind: ClassVar[str] = ""

    @property
    def label(self) -> str:
        """The assumption's name in results.

        A derived name is a :class:`~kotacerdas.i18n.Phrase`: English as a string (a
        stable key for programs), in either language through :meth:`text`.
        """
        given = getattr(self, "name", None)
        if isinstance(given, Phrase):
            return given
        return str(given) if given else self._default_label()

    def text(self, lang: str | None = None) -> str:
        """The assumption's name for a reader in *lang* (a name you gave is kept as given)."""
        label = self.label
        return label.text(lang) if isinstance(label, Phrase) else label

    def _default_label(self) -> Phrase:
        raise NotImplementedError

    def _bind(self, ctx: _Context) -> _Bound:
        raise NotImplementedError

    def record(self) -> dict[str, Any]:
        """The assumption as plain data, for the result's record."""
        out: dict[str, Any] = {"kind": self.kind, "name": self.label}
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]
            if field.name == "name":
                continue
            out[field.name] = _plain(getattr(self, field.name))
        return out


def _plain(value: object) -> object:
    if isinstance(value, Normaliser):
        return {"method": value.method, **{k: _plain(v) for k, v in value.params().items()}}
    if isinstance(value, MissingPolicy):
        return {
            "impute": [
                {"method": s.method, **attrs.asdict(s)}  # type: ignore[arg-type]
                for s in value.impute
            ],
            "then": value.then,
            "min_availability": value.min_availability,
        }
    if isinstance(value, Weights):
        return {"scheme": value.scheme, "values": dict(value.values), "mode": value.mode}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if callable(value):
        return getattr(value, "__name__", repr(value))
    return value


def _factor(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise EngineError(
            "build.param-value",
            method="WeightNoise",
            param="factor",
            value=value,
            expected="0 ≤ factor ≤ 1",
        )
    return float(value)


@attrs.frozen
class WeightNoise(Assumption):
    """Each weight ``w`` becomes ``w·(1 + (2U − 1)·factor)``, ``U`` uniform on [0, 1).

    COINr's ``get_noisy_weights``: ``factor = 0.25`` varies every weight within ±25 %
    of its nominal value, independently; weights are then renormalised within each
    parent.  The weights varied are those of the nodes at *levels* (1 = indicators,
    2 their parents …) and the *nodes* named; all weights when neither is given.
    """

    factor: float = attrs.field(converter=_factor)
    levels: tuple[int, ...] = attrs.field(default=(), converter=_levels)
    nodes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    name: str | None = None
    kind: ClassVar[str] = "weight-noise"

    def _default_label(self) -> Phrase:
        percent = number_text(100 * self.factor)
        return Phrase(("assumption.weight-noise", {"percent": percent})) + _where_label(
            self.levels, self.nodes
        )

    def _bind(self, ctx: _Context) -> _Bound:
        targets = ctx.select(self.levels, self.nodes, self.label, weights=True)
        f = self.factor

        def draw(rng: np.random.Generator, n: int) -> FloatArray:
            return 1.0 + (2.0 * rng.random((n, targets.size)) - 1.0) * f

        def apply(params: FloatArray, d: mc.Draws) -> None:
            w = ctx.weights_of(d)
            w[:, targets] *= params

        return _Bound(self, 2, draw, apply)


def _concentration(value: object) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and value > 0)
    ):
        raise EngineError(
            "build.param-value",
            method="WeightDirichlet",
            param="concentration",
            value=value,
            expected="concentration > 0",
        )
    return float(value)


@attrs.frozen
class WeightDirichlet(Assumption):
    """The children's shares of each *parents* node drawn from a Dirichlet around the nominal.

    Shares ``s ~ Dirichlet(concentration · w)`` for nominal shares ``w``: their mean is
    ``w`` and their spread shrinks as *concentration* grows (variance ``w(1 − w) /
    (concentration + 1)``).  Children with nominal weight 0 stay at 0.  *levels* picks
    every parent at those levels (2 = parents of indicators); default: every parent.
    """

    concentration: float = attrs.field(converter=_concentration)
    levels: tuple[int, ...] = attrs.field(default=(), converter=_levels)
    parents: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    name: str | None = None
    kind: ClassVar[str] = "weight-dirichlet"

    def _default_label(self) -> Phrase:
        concentration = number_text(self.concentration)
        return Phrase(("assumption.dirichlet", {"concentration": concentration})) + _where_label(
            self.levels, self.parents
        )

    def _bind(self, ctx: _Context) -> _Bound:
        steps = ctx.select_parents(self.levels, self.parents, self.label)
        groups = []
        for i in steps:
            kids = ctx.steps[i].kids
            base = ctx.w0[kids]
            keep = base > 0
            groups.append((kids[keep], self.concentration * base[keep] / base[keep].sum()))
        sizes = [g[0].size for g in groups]

        def draw(rng: np.random.Generator, n: int) -> FloatArray:
            return np.hstack([rng.dirichlet(alpha, size=n) for _, alpha in groups])

        def apply(params: FloatArray, d: mc.Draws) -> None:
            w = ctx.weights_of(d)
            start = 0
            for (kids, _), size in zip(groups, sizes, strict=True):
                w[:, kids] = params[:, start : start + size] * w[:, kids].sum(1, keepdims=True)
                start += size

        return _Bound(self, 1, draw, apply)


def _weight_sets(sets: Sequence[object]) -> tuple[Weights, ...]:
    out = []
    for spec in sets:
        out.append(Build(weights=spec).weights)
    if not out:
        raise EngineError(
            "build.param-value",
            method="WeightSets",
            param="sets",
            value="()",
            expected="at least one set of weights",
        )
    return tuple(out)


@attrs.frozen
class WeightSets(Assumption):
    """One of several whole weighting schemes, equally likely (or with *probabilities*).

    Each set is anything a :class:`~kotacerdas.engine.Build` takes as weights:
    ``"framework"``, ``"equal"``, a mapping of node codes to weights, or a
    :class:`~kotacerdas.engine.Weights`.  Noise and Dirichlet draws apply on top of
    the chosen set.
    """

    sets: tuple[Weights, ...] = attrs.field(converter=_weight_sets)
    probabilities: tuple[float, ...] | None = None
    name: str | None = None
    kind: ClassVar[str] = "weight-sets"

    def _default_label(self) -> Phrase:
        return Phrase(("assumption.weight-sets", {"count": len(self.sets)}))

    def _bind(self, ctx: _Context) -> _Bound:
        matrix = np.vstack([ctx.weights_vector(s) for s in self.sets])
        p = _probabilities(self.probabilities, len(self.sets), self.label)

        def draw(rng: np.random.Generator, n: int) -> IntArray:
            return _choose(rng, n, len(self.sets), p)

        def apply(params: IntArray, d: mc.Draws) -> None:
            d.weights = matrix[params]

        return _Bound(self, 0, draw, apply)


def _methods(methods: Sequence[object]) -> tuple[AggregationSpec, ...]:
    out = tuple(as_aggregation(m, "AggregationChoice") for m in methods)
    if not out:
        raise EngineError(
            "build.param-value",
            method="AggregationChoice",
            param="methods",
            value="()",
            expected="at least one method",
        )
    return out


@attrs.frozen
class AggregationChoice(Assumption):
    """The aggregation of the named *nodes* (or of every node at *levels*): one of *methods*.

    One method is drawn per sample and applies to all the nodes the assumption names;
    use one assumption per node to vary nodes independently.  *probabilities* weight
    the methods (default: equally likely).
    """

    methods: tuple[AggregationSpec, ...] = attrs.field(converter=_methods)
    nodes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    levels: tuple[int, ...] = attrs.field(default=(), converter=_levels)
    probabilities: tuple[float, ...] | None = None
    name: str | None = None
    kind: ClassVar[str] = "aggregation"

    def _default_label(self) -> Phrase:
        names = ", ".join(m if isinstance(m, str) else _plain(m) for m in self.methods)  # type: ignore[misc]
        aggregation = Phrase(("assumption.aggregation", {"names": f"{{{names}}}"}))
        return aggregation + _where_label(self.levels, self.nodes)

    def _bind(self, ctx: _Context) -> _Bound:
        if not self.nodes and not self.levels:
            raise EngineError(
                "build.param-value",
                method="AggregationChoice",
                param="nodes",
                value="()",
                expected="nodes or levels",
            )
        steps = ctx.select_parents(self.levels, self.nodes, self.label)
        for i in steps:
            ctx.claim(("aggregation", i), self.label, ctx.steps[i].code)
            ctx.options[i] = self.methods
        p = _probabilities(self.probabilities, len(self.methods), self.label)

        def draw(rng: np.random.Generator, n: int) -> IntArray:
            return _choose(rng, n, len(self.methods), p)

        def apply(params: IntArray, d: mc.Draws) -> None:
            for i in steps:
                d.methods[i] = params

        return _Bound(self, 4, draw, apply)


def _normalisers(options: Sequence[object]) -> tuple[Normaliser, ...]:
    out = tuple(as_normaliser(o, "NormalisationChoice") for o in options)
    if not out:
        raise EngineError(
            "build.param-value",
            method="NormalisationChoice",
            param="options",
            value="()",
            expected="at least one normaliser",
        )
    return out


@attrs.frozen
class NormalisationChoice(Assumption):
    """The normalisation of *indicators* (default: all): one of *options*, equally likely.

    Options are normalisers or their plain forms (``"minmax"``, ``{"method":
    "zscore", "mean": 10, "sd": 2}``).  One option is drawn per sample for all the
    indicators named.
    """

    options: tuple[Normaliser, ...] = attrs.field(converter=_normalisers)
    indicators: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    probabilities: tuple[float, ...] | None = None
    name: str | None = None
    kind: ClassVar[str] = "normalisation"

    def _default_label(self) -> Phrase:
        names = ", ".join(o.method for o in self.options)
        normalisation = Phrase(("assumption.normalisation", {"names": f"{{{names}}}"}))
        return normalisation + _where_label((), self.indicators)

    def _bind(self, ctx: _Context) -> _Bound:
        cols = ctx.select_indicators(self.indicators, self.label)
        for j in cols:
            ctx.claim(("normalisation", int(j)), self.label, ctx.codes[int(j)])
            ctx.leaf_options[int(j)] = self.options
        p = _probabilities(self.probabilities, len(self.options), self.label)

        def draw(rng: np.random.Generator, n: int) -> IntArray:
            return _choose(rng, n, len(self.options), p)

        def apply(params: IntArray, d: mc.Draws) -> None:
            if d.leaf_opt is None:
                d.leaf_opt = np.zeros((d.n, ctx.n_leaves), dtype=np.intp)
            d.leaf_opt[:, cols] = params[:, np.newaxis]

        return _Bound(self, 4, draw, apply)


def _policies(policies: Sequence[object]) -> tuple[MissingPolicy, ...]:
    out = tuple(Build(missing=p).missing for p in policies)
    if not out:
        raise EngineError(
            "build.param-value",
            method="MissingChoice",
            param="policies",
            value="()",
            expected="at least one policy",
        )
    return out


@attrs.frozen
class MissingChoice(Assumption):
    """The missing-data policy: one of *policies* (:class:`~kotacerdas.engine.MissingPolicy`)."""

    policies: tuple[MissingPolicy, ...] = attrs.field(converter=_policies)
    probabilities: tuple[float, ...] | None = None
    name: str | None = None
    kind: ClassVar[str] = "missing"

    def _default_label(self) -> Phrase:
        return Phrase(("assumption.missing", {"count": len(self.policies)}))

    def _bind(self, ctx: _Context) -> _Bound:
        ctx.claim(("missing",), self.label, "missing")
        ctx.policies = self.policies
        p = _probabilities(self.probabilities, len(self.policies), self.label)

        def draw(rng: np.random.Generator, n: int) -> IntArray:
            return _choose(rng, n, len(self.policies), p)

        def apply(params: IntArray, d: mc.Draws) -> None:
            d.leaf_alt = params

        return _Bound(self, 4, draw, apply)


@attrs.frozen
class Exclusion(Assumption):
    """Drop one of the named *nodes* (or of the nodes at *levels*) at a time, or none.

    Each sample keeps every node (when *keep_all*, one more equally likely outcome)
    or drops one candidate — its weight set to 0 and its siblings renormalised —
    as COINr's ``remove_elements`` does one at a time.  Dropping a node that is its
    parent's only weighted child is an error.
    """

    nodes: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    levels: tuple[int, ...] = attrs.field(default=(), converter=_levels)
    keep_all: bool = True
    name: str | None = None
    kind: ClassVar[str] = "exclusion"

    def _default_label(self) -> Phrase:
        return Phrase(("assumption.exclusion", {})) + _where_label(self.levels, self.nodes)

    def _bind(self, ctx: _Context) -> _Bound:
        if not self.nodes and not self.levels:
            raise EngineError(
                "build.param-value",
                method="Exclusion",
                param="nodes",
                value="()",
                expected="nodes or levels",
            )
        targets = ctx.select(self.levels, self.nodes, self.label, weights=True)
        for t in targets:
            siblings = ctx.siblings(int(t))
            if not (ctx.w0[siblings] > 0).sum() > 1 or ctx.w0[int(t)] <= 0:
                raise EngineError(
                    "uncertainty.exclude-only", node=ctx.codes[int(t)], assumption=self.label
                )
        offset = 1 if self.keep_all else 0
        outcomes = targets.size + offset

        def draw(rng: np.random.Generator, n: int) -> IntArray:
            return rng.integers(0, outcomes, size=n).astype(np.intp)

        def apply(params: IntArray, d: mc.Draws) -> None:
            w = ctx.weights_of(d)
            rows = np.flatnonzero(params >= offset)
            w[rows, targets[params[rows] - offset]] = 0.0

        return _Bound(self, 3, draw, apply)


def _probabilities(p: Sequence[float] | None, k: int, label: str) -> FloatArray | None:
    if p is None:
        return None
    arr = np.asarray(p, dtype=np.float64)
    if arr.shape != (k,) or not np.isfinite(arr).all() or (arr < 0).any() or arr.sum() <= 0:
        raise EngineError(
            "build.param-value",
            method=label,
            param="probabilities",
            value=tuple(p),
            expected=f"{k} non-negative numbers with a positive sum",
        )
    out: FloatArray = np.cumsum(arr / arr.sum())
    return out


def _choose(rng: np.random.Generator, n: int, k: int, cumulative: FloatArray | None) -> IntArray:
    """*n* outcomes of ``0 … k−1``: equally likely, or by *cumulative* probabilities."""
    if cumulative is None:
        return rng.integers(0, k, size=n).astype(np.intp)
    u = rng.random(n)
    out: IntArray = np.minimum(np.searchsorted(cumulative, u, side="right"), cumulative.size - 1)
    return out


def number_text(value: float) -> str:
    """A number as short text: ``25``, ``2.5``."""
    return f"{value:g}"


def _where_label(levels_: tuple[int, ...], nodes: tuple[str, ...]) -> Phrase:
    """`` (level 2, 3; G1, G2)``: where an assumption applies, in the reader's language."""
    parts: list[Phrase | str] = []
    if levels_:
        parts.append(Phrase(("assumption.levels", {"levels": ", ".join(map(str, levels_))})))
    if nodes:
        parts.append(listing(nodes, 6))
    if not parts:
        return Phrase()
    out = Phrase(" (")
    for i, part in enumerate(parts):
        out = out + ("; " if i else "") + part
    return out + ")"


# -- binding assumptions to a build ------------------------------------------------------------


@attrs.define
class _Bound:
    """An assumption bound to a model: how to draw its values and apply them to a sample."""

    assumption: Assumption
    phase: int  # weight sets, Dirichlet, exclusion, noise … applied in this order
    draw: Any
    apply: Any


@attrs.define(eq=False)
class _Context:
    """A build laid out over the framework's tree: what assumptions bind to."""

    framework: Framework
    build: Build
    resolved: ResolvedBuild
    codes: tuple[str, ...]
    n_leaves: int
    steps: list[mc.Step]
    parent: IntArray
    height: dict[str, int]
    w0: FloatArray
    roots: tuple[str, ...]
    options: dict[int, tuple[AggregationSpec, ...]] = attrs.Factory(dict)
    leaf_options: dict[int, tuple[Normaliser, ...]] = attrs.Factory(dict)
    policies: tuple[MissingPolicy, ...] | None = None
    claims: dict[tuple[object, ...], str] = attrs.Factory(dict)

    @property
    def position(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}

    def weights_of(self, d: mc.Draws) -> FloatArray:
        if d.weights is None:
            d.weights = np.tile(self.w0, (d.n, 1))
        return d.weights

    def weights_vector(self, scheme: Weights) -> FloatArray:
        local = attrs.evolve(self.build, weights=scheme).resolve(self.framework).weights.local
        return np.array([local.get(c, 1.0) for c in self.codes])

    def siblings(self, i: int) -> IntArray:
        return np.flatnonzero(self.parent == self.parent[i])

    def claim(self, key: tuple[object, ...], label: str, what: str) -> None:
        first = self.claims.get(key)
        if first is not None:
            raise EngineError("uncertainty.conflict", first=first, second=label, what=what)
        self.claims[key] = label

    def _node(self, code: str, label: str) -> int:
        node = self.framework.get(code)
        i = self.position.get(node.code if node is not None else code)
        if i is None:
            raise EngineError(
                "build.node-unknown", code=code, where=label, framework=self.framework.ref
            )
        return i

    def _level(self, level: int, label: str) -> list[int]:
        found = [i for i, c in enumerate(self.codes) if self.height[c] == level]
        if not found:
            raise EngineError(
                "build.level-unknown",
                level=level,
                framework=self.framework.ref,
                levels=listing(sorted(set(self.height.values()))),
            )
        del label
        return found

    def select(
        self, levels_: tuple[int, ...], nodes: tuple[str, ...], label: str, *, weights: bool
    ) -> IntArray:
        if not levels_ and not nodes:
            chosen = list(range(len(self.codes)))
        else:
            chosen = [self._node(c, label) for c in nodes]
            for level in levels_:
                chosen.extend(self._level(level, label))
        if weights:
            roots = [i for i in chosen if self.parent[i] < 0]
            if roots and (nodes or levels_):
                named = [self.codes[i] for i in roots]
                if any(c in nodes for c in named) or levels_:
                    raise EngineError("uncertainty.root-weight", node=named[0], assumption=label)
            chosen = [i for i in chosen if self.parent[i] >= 0]
        return np.array(sorted(set(chosen)), dtype=np.intp)

    def select_parents(
        self, levels_: tuple[int, ...], nodes: tuple[str, ...], label: str
    ) -> list[int]:
        step_of = {s.row: i for i, s in enumerate(self.steps)}
        if not levels_ and not nodes:
            return list(range(len(self.steps)))
        out: list[int] = []
        for code in nodes:
            i = self._node(code, label)
            if i not in step_of:
                parent = self.parent[i]
                raise EngineError(
                    "build.not-aggregate",
                    code=code,
                    parent=self.codes[parent] if parent >= 0 else "-",
                )
            out.append(step_of[i])
        for level in levels_:
            if level < 2:
                raise EngineError(
                    "build.level-unknown",
                    level=level,
                    framework=self.framework.ref,
                    levels=listing(sorted({h for h in self.height.values() if h > 1})),
                )
            out.extend(step_of[i] for i in self._level(level, label))
        return sorted(set(out))

    def select_indicators(self, codes: tuple[str, ...], label: str) -> IntArray:
        if not codes:
            return np.arange(self.n_leaves, dtype=np.intp)
        out = []
        for code in codes:
            i = self._node(code, label)
            if i >= self.n_leaves:
                raise EngineError("build.not-indicator", code=code)
            out.append(i)
        return np.array(sorted(set(out)), dtype=np.intp)


def _context(framework: Framework, build: Build, nominal: CompositeResult) -> _Context:
    resolved = nominal.build
    codes = nominal.nodes
    position = {c: i for i, c in enumerate(codes)}
    roots = tuple(framework.node(r) for r in resolved.roots)
    height = levels(roots)
    parent = np.full(len(codes), -1, dtype=np.intp)
    steps = []
    for code in codes[len(nominal.indicators) :]:
        node: Node = framework.node(code)
        kids = np.array([position[c.code] for c in node.children], dtype=np.intp)
        parent[kids] = position[code]
        steps.append(mc.Step(code, position[code], kids, (resolved.aggregation[code],)))
    local = resolved.weights.local
    w0 = np.array([local.get(c, 1.0) for c in codes])
    return _Context(
        framework,
        build,
        resolved,
        codes,
        len(nominal.indicators),
        steps,
        parent,
        height,
        w0,
        resolved.roots,
    )


# -- the analysis -----------------------------------------------------------------------------


@attrs.frozen
class RankInterval:
    """One unit's place under uncertainty: its nominal rank and how far samples move it.

    Ranks count from 1 (the highest score); ties share the best rank.  Intervals are
    the *low*–*high* quantiles of the samples (5 % and 95 % unless the analysis asked
    otherwise); for ranks, ``rank_low`` is the better (smaller) end.

    Attributes:
        unit: The unit's code.
        name: Its display name (the data's, or the region's for Kemendagri codes).
        nominal_rank: The rank under the nominal build.
        nominal_score: The score under the nominal build.
        mean_rank: The mean rank over the samples.
        median_rank: The median rank.
        rank_low: The low quantile of the rank.
        rank_high: The high quantile of the rank.
        score_low: The low quantile of the score.
        score_high: The high quantile of the score.
        keeps_rank: The share of samples in which the unit has its nominal rank.
        mean_shift: The mean absolute difference between the sample rank and the nominal.
        nominal_exact: For an official index, the exact nominal score (else ``None``).
    """

    unit: str
    name: str | None
    nominal_rank: float
    nominal_score: float
    mean_rank: float
    median_rank: float
    rank_low: float
    rank_high: float
    score_low: float
    score_high: float
    keeps_rank: float
    mean_shift: float
    nominal_exact: Decimal | None = None

    def to_dict(self) -> dict[str, object]:
        """The interval as plain data (NaN as ``None``, statistics to 6 decimals).

        An exact nominal score is text (``"3.315"``).
        """
        return {k: _clean(v) for k, v in attrs.asdict(self).items()}


def _clean(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6) + 0.0
    return value


def _readonly(a: FloatArray) -> FloatArray:
    a.flags.writeable = False
    return a


@attrs.frozen(eq=False)
class UncertaintyResult:
    """Ranks and scores of every unit in every sample, with how they were made.

    Attributes:
        framework: The framework's ``ID@EDITION``.
        node: The node whose scores are ranked (the index, by default).
        period: The period analysed.
        units: Unit codes (rows of :attr:`ranks` and :attr:`scores`).
        names: Display names of the units, where known.
        nominal_scores: ``(units,)``: scores under the nominal build.
        nominal_ranks: ``(units,)``: ranks under the nominal build.
        scores: ``(units, samples)``: the score of every unit in every sample.
        ranks: ``(units, samples)``: the rank of every unit in every sample.
        quantiles: The two quantiles of the intervals, e.g. ``(0.05, 0.95)``.
        assumptions: The assumptions as resolved (plain data).
        build: The nominal build as resolved.
        seed: The entropy of the run's :class:`numpy.random.SeedSequence`.
        version: The kotacerdas version that computed it.
        exact_scores: For an official index (:func:`official`), the exact nominal
            scores the nominal ranks come from; else ``None``.
    """

    framework: str
    node: str
    period: Period
    units: tuple[str, ...] = attrs.field(repr=False)
    names: tuple[str | None, ...] = attrs.field(repr=False)
    nominal_scores: FloatArray = attrs.field(converter=_readonly, repr=False)
    nominal_ranks: FloatArray = attrs.field(converter=_readonly, repr=False)
    scores: FloatArray = attrs.field(converter=_readonly, repr=False)
    ranks: FloatArray = attrs.field(converter=_readonly, repr=False)
    quantiles: tuple[float, float]
    assumptions: tuple[Mapping[str, Any], ...] = attrs.field(repr=False)
    build: ResolvedBuild = attrs.field(repr=False)
    seed: int
    version: str
    exact_scores: tuple[Decimal | None, ...] | None = attrs.field(default=None, repr=False)

    @property
    def samples(self) -> int:
        """The number of samples."""
        return int(self.ranks.shape[1])

    def rank_shift(self) -> FloatArray:
        """``(samples,)``: the mean absolute rank shift from nominal over the ranked units.

        COINr's ``"SA_type"`` output statistic: ``(1/M) Σ |rank − nominal rank|``.
        """
        shift = np.abs(self.ranks - self.nominal_ranks[:, np.newaxis])
        out: FloatArray = np.nanmean(shift, axis=0) if np.isnan(shift).any() else shift.mean(0)
        return out

    def intervals(self) -> tuple[RankInterval, ...]:
        """Per unit, in the order of :attr:`units`: nominal rank, spread and stability."""
        lo, hi = self.quantiles
        rq = mc.quantiles(self.ranks, (lo, 0.5, hi))
        sq = mc.quantiles(self.scores, (lo, hi))
        nominal = self.nominal_ranks[:, np.newaxis]
        seen = ~np.isnan(self.ranks)
        count = np.maximum(seen.sum(axis=1), 1)
        keeps = ((self.ranks == nominal) & seen).sum(axis=1) / count
        shift = np.where(seen, np.abs(self.ranks - nominal), 0.0).sum(axis=1) / count
        mean = np.where(seen, self.ranks, 0.0).sum(axis=1) / count
        out = []
        for u, unit in enumerate(self.units):
            out.append(
                RankInterval(
                    unit=unit,
                    name=self.names[u],
                    nominal_rank=float(self.nominal_ranks[u]),
                    nominal_score=float(self.nominal_scores[u]),
                    mean_rank=float(mean[u]) if seen[u].any() else math.nan,
                    median_rank=float(rq[1, u]),
                    rank_low=float(rq[0, u]),
                    rank_high=float(rq[2, u]),
                    score_low=float(sq[0, u]),
                    score_high=float(sq[1, u]),
                    keeps_rank=float(keeps[u]) if seen[u].any() else math.nan,
                    mean_shift=float(shift[u]) if seen[u].any() else math.nan,
                    nominal_exact=None if self.exact_scores is None else self.exact_scores[u],
                )
            )
        return tuple(out)

    def interval(self, unit: str) -> RankInterval:
        """The :class:`RankInterval` of one *unit* (its code)."""
        try:
            return self.intervals()[self.units.index(unit)]
        except ValueError:
            raise EngineError(
                "data.unit-unknown", unit=unit, available=listing(self.units)
            ) from None

    def to_rows(self) -> list[dict[str, object]]:
        """One row per unit (the fields of :class:`RankInterval`), by nominal rank."""
        rows = [r.to_dict() for r in self.intervals()]
        return sorted(rows, key=_by_rank)

    def to_frame(self, backend: Any = None, *, like: Any = None) -> Any:
        """:meth:`to_rows` as a frame of *backend* (``"pandas"``, ``"polars"``) or like *like*."""
        from kotacerdas._frames import frame

        rows = self.to_rows()
        names = [f.name for f in attrs.fields(RankInterval)]
        return frame({k: [r[k] for r in rows] for k in names}, backend, like)

    def record(self) -> dict[str, Any]:
        """How the result was made: framework, node, period, samples, seed, version, assumptions."""
        return {
            "framework": self.framework,
            "node": self.node,
            "period": self.period,
            "samples": self.samples,
            "quantiles": list(self.quantiles),
            "seed": self.seed,
            "version": self.version,
            "assumptions": [dict(a) for a in self.assumptions],
            "build": _build_record(self.build),
        }

    def to_json(self) -> dict[str, Any]:
        """The record and the per-unit intervals, as JSON-ready data."""
        return {**self.record(), "units": self.to_rows()}


def _by_rank(row: Mapping[str, object]) -> tuple[float, str]:
    rank = row["nominal_rank"]
    return (rank if isinstance(rank, float) else math.inf, str(row["unit"]))


def _build_record(build: ResolvedBuild) -> dict[str, Any]:
    return {
        "normalisation": {k: _plain(v) for k, v in build.normalisation.items()},
        "aggregation": {k: _plain(v) for k, v in build.aggregation.items()},
        "weights": {k: round(v, 12) for k, v in build.weights.local.items()},
        "missing": _plain(build.missing),
        "scope": build.scope,
    }


@attrs.frozen(eq=False)
class Plan:
    """A build, its data and assumptions, checked and laid out for sampling (internal)."""

    model: mc.Model
    bounds: tuple[_Bound, ...]
    nominal: CompositeResult
    node: str
    period: Period
    names: tuple[str | None, ...]

    def draw(self, entropy: int, stream: int, start: int, stop: int) -> list[Any]:
        """Every assumption's values for samples ``start:stop`` of *stream*."""
        parts: list[list[Any]] = [[] for _ in self.bounds]
        first, last = start // mc.BLOCK, (stop - 1) // mc.BLOCK
        for b in range(first, last + 1):
            rng = mc.block_rng(entropy, stream, b)
            lo = max(start - b * mc.BLOCK, 0)
            hi = min(stop - b * mc.BLOCK, mc.BLOCK)
            for i, bound in enumerate(self.bounds):
                parts[i].append(bound.draw(rng, mc.BLOCK)[lo:hi])
        return [np.concatenate(p) for p in parts]

    def evaluate(self, values: list[Any]) -> FloatArray:
        """Scores ``(units, n)`` for assumption *values* drawn by :meth:`draw`."""
        n = len(values[0]) if values else 1
        draws = mc.Draws(n)
        for i in sorted(range(len(self.bounds)), key=lambda i: self.bounds[i].phase):
            self.bounds[i].apply(values[i], draws)
        return self.model.evaluate(draws)

    def chunk_size(self, requested: int | None) -> int:
        """*requested* rounded up to whole blocks, or a size that keeps chunks cache-sized."""
        if requested is not None:
            if isinstance(requested, bool) or not isinstance(requested, int) or requested < 1:
                raise EngineError(
                    "build.param-value",
                    method="analyse",
                    param="chunk_size",
                    value=requested,
                    expected="int ≥ 1",
                )
            return -(-requested // mc.BLOCK) * mc.BLOCK
        widest = max((s.kids.size for s in self.model.steps), default=1)
        per_sample = len(self.model.units) * max(8, widest)
        return max(mc.BLOCK, (_CHUNK_VALUES // per_sample) // mc.BLOCK * mc.BLOCK)


def plan(
    framework: Framework,
    data: Dataset,
    assumptions: Sequence[Assumption],
    build: Build | None = None,
    *,
    node: str | None = None,
    period: Period = None,
) -> Plan:
    """Check *assumptions* against *framework*, *data* and *build* and lay them out.

    Raises:
        EngineError: an assumption names something the build does not have, two
            assumptions vary the same choice, or a choice cannot apply to the data.
    """
    build = build if build is not None else Build()
    nominal = compute(framework, data, build)
    p = nominal._period(period)
    the_period = nominal.periods[p]
    target = node if node is not None else nominal.build.roots[0]
    if node is None and len(nominal.build.roots) > 1:
        raise EngineError("uncertainty.node-needed", roots=listing(nominal.build.roots))
    target_col = nominal._index(target)
    target = nominal.nodes[target_col]
    ctx = _context(framework, build, nominal)
    bounds = []
    for a in assumptions:
        if not isinstance(a, Assumption):
            raise EngineError(
                "build.spec-type",
                where="assumptions",
                expected="Assumption",
                got=type(a).__name__,
            )
        bounds.append(a._bind(ctx))
    if sum(isinstance(b.assumption, WeightSets) for b in bounds) > 1:
        raise EngineError(
            "uncertainty.conflict", first="WeightSets", second="WeightSets", what="weights"
        )
    for i, options in ctx.options.items():
        ctx.steps[i] = attrs.evolve(ctx.steps[i], options=options)
    table, thresholds = _table(framework, data, build, ctx, p, nominal)
    _check_positive(ctx, table, nominal, the_period)
    model = mc.Model(
        codes=ctx.codes,
        n_leaves=ctx.n_leaves,
        units=nominal.units,
        period=the_period,
        table=table,
        thresholds=thresholds,
        weights=ctx.w0,
        steps=tuple(ctx.steps),
        target=target_col,
    )
    return Plan(model, tuple(bounds), nominal, target, the_period, unit_names(data))


def _table(
    framework: Framework,
    data: Dataset,
    build: Build,
    ctx: _Context,
    p: int,
    nominal: CompositeResult,
) -> tuple[FloatArray, FloatArray]:
    policies = ctx.policies if ctx.policies is not None else (build.missing,)
    k = max((len(o) for o in ctx.leaf_options.values()), default=1)
    if len(policies) == 1 and k == 1 and not ctx.leaf_options:
        table = np.ascontiguousarray(nominal.values[:, p, : ctx.n_leaves])
        return table[np.newaxis, np.newaxis], np.array([build.missing.min_availability])
    leaves_only = attrs.evolve(
        build, aggregate="arithmetic", aggregate_levels={}, aggregate_nodes={}
    )
    out = np.empty((len(policies), k, len(data.units), ctx.n_leaves))
    for m, policy in enumerate(policies):
        for o in range(k):
            per = dict(build.normalise_indicators)
            for j, options in ctx.leaf_options.items():
                per[ctx.codes[j]] = options[min(o, len(options) - 1)]
            variant = attrs.evolve(leaves_only, missing=policy, normalise_indicators=per)
            result = compute(framework, data, variant)
            out[m, o] = result.values[:, p, : ctx.n_leaves]
    return out, np.array([pol.min_availability for pol in policies])


def _check_positive(
    ctx: _Context, table: FloatArray, nominal: CompositeResult, period: Period
) -> None:
    """Refuse, up front, a geometric or harmonic option over values that can be ≤ 0."""
    for step in ctx.steps:
        positive = [m for m in step.options if isinstance(m, str) and m in POSITIVE_ONLY]
        if not positive:
            continue
        leaves = _leaf_descendants(ctx, step)
        block = table[:, :, :, leaves]
        bad = block <= 0
        if bad.any():
            _, _, u, j = (int(i) for i in np.argwhere(bad)[0])
            raise EngineError(
                "uncertainty.non-positive",
                method=positive[0],
                node=step.code,
                child=ctx.codes[int(leaves[j])],
                value=number(float(block[bad][0])),
                unit=where(nominal.units[u], period),
            )


def _leaf_descendants(ctx: _Context, step: mc.Step) -> IntArray:
    out: list[int] = []
    stack = [int(k) for k in step.kids]
    row_step = {s.row: s for s in ctx.steps}
    while stack:
        i = stack.pop()
        if i < ctx.n_leaves:
            out.append(i)
        else:
            stack.extend(int(k) for k in row_step[i].kids)
    return np.array(sorted(out), dtype=np.intp)


def unit_names(data: Dataset) -> tuple[str | None, ...]:
    """Display names of *data*'s units: the data's own, else the region's for Kemendagri codes."""
    names: list[str | None] = []
    lookup = None
    for unit in data.units:
        name = data.names.get(unit)
        if name is None and _looks_like_region(unit):
            if lookup is None:
                from kotacerdas import regions

                lookup = regions.get
            region = lookup(unit)
            name = region.name if region is not None else None
        names.append(name)
    return tuple(names)


def _looks_like_region(code: str) -> bool:
    parts = code.split(".")
    return 1 <= len(parts) <= 2 and all(p.isdigit() and len(p) == 2 for p in parts)


def analyse(
    framework: Framework,
    data: Dataset,
    assumptions: Sequence[Assumption],
    build: Build | None = None,
    *,
    samples: int = 1000,
    seed: Seed = None,
    node: str | None = None,
    period: Period = None,
    quantiles: tuple[float, float] = (0.05, 0.95),
    chunk_size: int | None = None,
    progress: bool = False,
) -> UncertaintyResult:
    """Rank and score every unit under *samples* draws of *assumptions* around *build*.

    Args:
        framework: The framework whose tree the build computes.
        data: The indicator data.
        assumptions: What varies, and how (see the module docs).
        build: The nominal build (default :class:`~kotacerdas.engine.Build` ``()``).
        samples: How many samples to draw.
        seed: The seed (see :data:`Seed`); recorded in the result.
        node: The node to rank by (default: the root of the build's tree).
        period: The period to analyse (default: the latest).
        quantiles: The quantiles of the intervals (default 5 % and 95 %).
        chunk_size: Samples computed at once, rounded up to whole blocks of 256
            (default: a size that keeps each array of a chunk within the processor's
            cache); the result does not depend on it.
        progress: Show a progress bar on standard error (needs ``tqdm``, the
            ``progress`` extra).

    Raises:
        EngineError: the build or an assumption does not fit the framework or data.
    """
    samples = _samples(samples)
    q = _quantiles(quantiles)
    entropy = mc.entropy_of(seed)
    the_plan = plan(framework, data, assumptions, build, node=node, period=period)
    size = the_plan.chunk_size(chunk_size)
    n_units = len(the_plan.model.units)
    scores = np.empty((n_units, samples))
    ranks = np.empty((n_units, samples))
    update = mc.progress_bar(progress, samples, "uncertainty")
    for start, stop in mc.chunks(samples, size):
        y = the_plan.evaluate(the_plan.draw(entropy, 0, start, stop))
        scores[:, start:stop] = y
        ranks[:, start:stop] = mc.rank_columns(y)
        update(stop - start)
    nominal = the_plan.nominal
    return UncertaintyResult(
        framework=framework.ref,
        node=the_plan.node,
        period=the_plan.period,
        units=nominal.units,
        names=the_plan.names,
        nominal_scores=np.array(nominal.score(the_plan.node, the_plan.period)),
        nominal_ranks=np.array(nominal.rank(the_plan.node, the_plan.period)),
        scores=scores,
        ranks=ranks,
        quantiles=q,
        assumptions=tuple(b.assumption.record() for b in the_plan.bounds),
        build=nominal.build,
        seed=entropy,
        version=kotacerdas.__version__,
    )


def _samples(samples: object) -> int:
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 2:
        raise EngineError(
            "build.param-value",
            method="analyse",
            param="samples",
            value=samples,
            expected="int ≥ 2",
        )
    return samples


def _quantiles(q: object) -> tuple[float, float]:
    ok = (
        isinstance(q, tuple | list)
        and len(q) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in q)
        and 0 <= q[0] < q[1] <= 1
    )
    if not ok:
        raise EngineError(
            "build.param-value",
            method="analyse",
            param="quantiles",
            value=q,
            expected="(low, high) with 0 ≤ low < high ≤ 1",
        )
    return (float(q[0]), float(q[1]))  # type: ignore[index]


# -- official indices -------------------------------------------------------------------------


def official(
    data: Any,
    framework: Framework | str | None = None,
    assumptions: Sequence[Assumption] | None = None,
    *,
    year: int | None = None,
    samples: int = 1000,
    seed: Seed = None,
    quantiles: tuple[float, float] = (0.05, 0.95),
    chunk_size: int | None = None,
    progress: bool = False,
) -> UncertaintyResult:
    """How far an official GM100SC or SPBE ranking could move: exact nominal, sampled alternatives.

    The panel is scored exactly (:func:`kotacerdas.panel.score_panel`, the same
    numbers as :func:`kotacerdas.scoring.score`); the nominal scores and ranks are
    those exact values.  The samples recompute the index from its direct inputs (the
    GM100SC components, the SPBE domains) under *assumptions* — by default
    :func:`from_provenance` restricted to those inputs: the weights the record cannot
    confirm vary, the others stay.

    Args:
        data: Anything :func:`~kotacerdas.panel.score_panel` reads: assessments, a
            long or a wide table.
        framework: The edition (default: the one the data names).
        assumptions: What varies; they may name the index and its inputs.
        year: The year to rank (default: the latest in the data).
        samples: How many samples to draw.
        seed: The seed; recorded in the result.
        quantiles: The quantiles of the intervals.
        chunk_size: Samples computed at once; the result does not depend on it.
        progress: Show a progress bar on standard error (needs ``tqdm``).

    >>> rows = [
    ...     {"region": region, "year": 2022, "node": node, "value": value}
    ...     for region, values in [("35.71", "3.60 3.21 3.23 3.07 3.65"),
    ...                            ("35.77", "3.50 3.40 3.30 3.20 3.10"),
    ...                            ("63.09", "3.00 3.50 3.40 3.10 3.30")]
    ...     for node, value in zip(("BASE", "OUT", "OUTC", "IMP", "QW"), values.split())
    ... ]
    >>> result = official(rows, "gm100sc@2022", samples=500, seed=1)
    >>> for r in result.intervals():
    ...     print(r.unit, r.name, r.nominal_exact, r.nominal_rank, r.rank_high, r.keeps_rank)
    35.71 Kota Kediri 3.315 1.0 2.0 0.802
    35.77 Kota Madiun 3.28 3.0 3.0 0.96
    63.09 Kabupaten Tabalong 3.3 2.0 2.0 0.766

    Kediri is first under the 2022 weights, but with the inferred component weights
    varying by ±25 % Tabalong is first in a fifth of the samples.

    Raises:
        ScoringError: the panel cannot be scored (see :func:`~kotacerdas.panel.score_panel`).
        EngineError: *year* is not in the data, or an assumption does not fit.
    """
    model = official_model(data, framework, assumptions, year=year)
    result = analyse(
        model.index,
        model.data,
        model.assumptions,
        model.build,
        samples=samples,
        seed=seed,
        quantiles=quantiles,
        chunk_size=chunk_size,
        progress=progress,
    )
    return attrs.evolve(
        result,
        framework=model.framework.ref,
        period=model.year,
        nominal_scores=np.array([_float(v) for v in model.exact]),
        nominal_ranks=model.exact_ranks(),
        exact_scores=model.exact,
    )


@attrs.frozen(eq=False)
class OfficialModel:
    """An official index laid out for sampling: its direct inputs as data, exact nominal.

    Attributes:
        framework: The official edition.
        index: The index over its direct inputs only (their weights as in the edition).
        data: The inputs of every region in :attr:`year` (GM100SC components, SPBE domains).
        assumptions: What varies.
        build: Identity normalisation and the weighted arithmetic mean.
        year: The year.
        exact: The exact official index of every region, in the order of the data.
    """

    framework: Framework
    index: Framework
    data: Dataset
    assumptions: tuple[Assumption, ...]
    build: Build
    year: int
    exact: tuple[Decimal | None, ...]

    def exact_ranks(self) -> FloatArray:
        """Ranks by the exact index: 1 = highest, ties share the best rank."""
        return _exact_ranks(self.exact)


def official_model(
    data: Any,
    framework: Framework | str | None = None,
    assumptions: Sequence[Assumption] | None = None,
    *,
    year: int | None = None,
) -> OfficialModel:
    """Score a panel exactly and lay its official index out for sampling.

    :func:`official` and :func:`kotacerdas.sensitivity.official` run on it; the
    arguments are theirs.
    """
    from kotacerdas import frameworks
    from kotacerdas.panel import score_panel

    panel = score_panel(data, framework)
    fw = framework if isinstance(framework, Framework) else frameworks.load(panel.framework_ref)
    root = fw.index_node
    assert root is not None  # score_panel refuses an edition without an index
    years = sorted(set(panel.years))
    the_year = years[-1] if year is None else year
    if the_year not in years:
        raise EngineError("data.period-unknown", period=year, available=listing(years))
    rows = [i for i, y in enumerate(panel.years) if y == the_year]
    inputs = tuple(c.code for c in root.children)
    columns = {code: panel.value(code) for code in inputs}
    values = np.array([[_float(columns[c][i]) for c in inputs] for i in rows])
    units = tuple(panel.regions[i] for i in rows)
    if assumptions is None:
        assumptions = [
            attrs.evolve(a, nodes=tuple(n for n in a.nodes if n in inputs))
            for a in from_provenance(fw)
            if any(n in inputs for n in a.nodes)
        ]
    build = Build(
        normalise="identity",
        aggregate="arithmetic",
        missing=panel.missing,  # the same words: fail, omit, keep
    )
    index = panel.exact()
    return OfficialModel(
        framework=fw,
        index=_top_layer(fw, root),
        data=Dataset(units, inputs, values, names=_region_names(units)),
        assumptions=tuple(assumptions),
        build=build,
        year=the_year,
        exact=tuple(index[i] for i in rows),
    )


def _float(value: Decimal | None) -> float:
    return math.nan if value is None else float(value)


def _top_layer(fw: Framework, root: Node) -> Framework:
    """*fw*'s index over its direct inputs only, with their weights as relative numbers."""
    from kotacerdas import frameworks

    def label(node: Node) -> object:
        return {"id": node.label.id, "en": node.label.en} if node.label.en else node.label.id

    return frameworks.from_data(
        {
            "id": fw.id,
            "edition": fw.edition,
            "title": label(root),
            "issuer": "kotacerdas",
            "provenance": {"confidence": "inferred"},
            "index": root.code,
            "weights": "relative",
            "nodes": [
                {
                    "code": root.code,
                    "kind": root.kind,
                    "label": label(root),
                    "children": [
                        {
                            "code": c.code,
                            "kind": "indicator",
                            "label": label(c),
                            **({"weight": c.weight} if c.weight is not None else {}),
                        }
                        for c in root.children
                    ],
                }
            ],
        }
    )


def _region_names(units: Sequence[str]) -> dict[str, str]:
    from kotacerdas import regions

    found = {u: regions.get(u) for u in units}
    return {u: r.name for u, r in found.items() if r is not None}


def _exact_ranks(values: Sequence[Decimal | None]) -> FloatArray:
    """Ranks of exact values, 1 = highest, ties share the best rank; ``None`` has none."""
    seen = sorted((v for v in values if v is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for i, v in enumerate(seen):
        first.setdefault(v, i + 1)
    return np.array([math.nan if v is None else float(first[v]) for v in values])


# -- the provenance preset --------------------------------------------------------------------


_PROVENANCE_LABELS: dict[str, str] = {
    "inferred": "assumption.inferred-weights",
    "uncertain": "assumption.uncertain-weights",
}


def from_provenance(
    framework: Framework,
    *,
    inferred: float = 0.25,
    uncertain: float = 0.5,
    tree: str | None = None,
) -> tuple[WeightNoise, ...]:
    """Weight noise from the framework's provenance records: vary what the record doubts.

    Every weighted node of the index tree (or of *tree*) keeps its weight when the
    weight's provenance (``node.provenance_of("weight")``) is *confirmed*, varies by
    ±*inferred* (default ±25 %) when it is *inferred*, and by ±*uncertain* (default
    ±50 %) when it is *uncertain* or *not published*.  Returns one
    :class:`WeightNoise` per class that has nodes (none when every weight is confirmed).

    >>> from kotacerdas import frameworks
    >>> [a.label for a in from_provenance(frameworks.load("gm100sc@2024"))][:1]
    ['inferred weights ±25 %']
    """
    root = framework.node(tree) if tree is not None else framework.index_node
    roots = (root,) if root is not None else framework.roots
    by_class: dict[str, list[str]] = {"inferred": [], "uncertain": []}
    for r in roots:
        for n in r:
            if n is r or n.weight is None:
                continue
            confidence = n.provenance_of("weight").confidence
            if confidence is Confidence.CONFIRMED:
                continue
            key = "inferred" if confidence is Confidence.INFERRED else "uncertain"
            by_class[key].append(n.code)
    out = []
    for key, factor in (("inferred", inferred), ("uncertain", uncertain)):
        if by_class[key]:
            percent = number_text(100 * _factor(factor))
            code = _PROVENANCE_LABELS[key]
            label = Phrase((code, {"percent": percent}))
            out.append(WeightNoise(factor, nodes=tuple(by_class[key]), name=label))
    return tuple(out)
