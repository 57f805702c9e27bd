"""The build specification: every methodological choice of a composite index, in one value.

A :class:`Build` is immutable and checked when it is made (method names, parameters,
types); :meth:`Build.resolve` checks it against a framework (node codes, levels,
weights, targets) and expands it into a :class:`ResolvedBuild`, the per-node plan the
engine runs and every result records.

Aggregation is chosen **per node**.  The most specific choice wins:

1. ``aggregate_nodes`` — a method for one node;
2. ``aggregate_levels`` — a method for every node of a level (a convenience that
   expands to per-node choices; level 1 is the indicators, level 2 their parents …,
   as in COINr, each node's level being one above its highest child's);
3. ``aggregate`` — a method for every node;
4. the node's own ``aggregation`` in the framework;
5. the weighted arithmetic mean.

Normalisation is chosen per indicator the same way: ``normalise_indicators``, else
``normalise`` (default min–max to [0, 100]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, TypeAlias, cast

import attrs

from kotacerdas.engine._util import FrozenMap, listing
from kotacerdas.engine.aggregate import AGGREGATORS, AggregationSpec
from kotacerdas.engine.denominators import Denominator, as_denominator
from kotacerdas.engine.missing import MissingPolicy
from kotacerdas.engine.normalise import MinMax, Normaliser, as_normaliser
from kotacerdas.engine.treat import Treatment, as_treatment
from kotacerdas.engine.weights import ResolvedWeights, Weights, resolve_weights
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework, Node

__all__ = ["Build", "ResolvedBuild", "Scope", "as_aggregation", "levels"]

Scope: TypeAlias = Literal["all", "period"]
"""Panel normalisation: over all periods at once (``"all"``) or each period on its own."""


def as_aggregation(spec: object, where: str = "build") -> AggregationSpec:
    """A method name (checked, COINr's ``a_amean`` … accepted) or a callable, as is."""
    if isinstance(spec, str):
        key = spec.strip().lower()
        key = _COINR_AGGREGATIONS.get(key, key)
        if key not in AGGREGATORS:
            raise EngineError(
                "build.aggregation-unknown",
                name=spec,
                where=where,
                choices=", ".join(AGGREGATORS),
            )
        return cast(AggregationSpec, key)
    if callable(spec):
        return cast(AggregationSpec, spec)
    raise EngineError(
        "build.spec-type", where=where, expected="str | Aggregator", got=type(spec).__name__
    )


_COINR_AGGREGATIONS: Mapping[str, str] = {
    "a_amean": "arithmetic",
    "a_gmean": "geometric",
    "a_hmean": "harmonic",
    "a_copeland": "copeland",
    "mean": "arithmetic",
    "min": "minimum",
    "max": "maximum",
}


def _opt_aggregation(spec: object) -> AggregationSpec | None:
    return None if spec is None else as_aggregation(spec, "aggregate")


def _aggregation_map(specs: Mapping[str, object]) -> Mapping[str, AggregationSpec]:
    return FrozenMap({str(k): as_aggregation(v, str(k)) for k, v in specs.items()})


def _level_map(specs: Mapping[int, object]) -> Mapping[int, AggregationSpec]:
    out: dict[int, AggregationSpec] = {}
    for k, v in specs.items():
        if isinstance(k, bool) or not isinstance(k, int) or k < 2:
            raise EngineError("build.level-unknown", level=k, framework="-", levels="2, 3, …")
        out[k] = as_aggregation(v, f"level {k}")
    return FrozenMap(out)


def _normaliser_map(specs: Mapping[str, object]) -> Mapping[str, Normaliser]:
    return FrozenMap({str(k): as_normaliser(v, str(k)) for k, v in specs.items()})


def _weights(spec: object) -> Weights:
    if isinstance(spec, Weights):
        return spec
    if spec == "framework":
        return Weights.framework()
    if spec == "equal":
        return Weights.equal()
    if isinstance(spec, Mapping):
        return Weights.explicit(spec)
    raise EngineError(
        "build.spec-type",
        where="weights",
        expected="Weights | 'framework' | 'equal' | mapping",
        got=repr(spec) if isinstance(spec, str) else type(spec).__name__,
    )


def _missing(spec: object) -> MissingPolicy:
    if isinstance(spec, MissingPolicy):
        return spec
    if spec == "fail":
        return MissingPolicy.fail()
    if spec == "omit":
        return MissingPolicy.omit()
    if spec == "keep":
        return MissingPolicy.keep()
    raise EngineError(
        "build.spec-type",
        where="missing",
        expected="MissingPolicy | 'fail' | 'omit' | 'keep'",
        got=repr(spec) if isinstance(spec, str) else type(spec).__name__,
    )


def _scope(spec: object) -> Scope:
    if spec not in ("all", "period"):
        raise EngineError(
            "build.param-value", method="build", param="scope", value=spec, expected="all | period"
        )
    return spec


def _as_normaliser(spec: object) -> Normaliser:
    return as_normaliser(spec, "normalise")


def _as_treatment(spec: object) -> Treatment | None:
    return as_treatment(spec, "treat")


def _treatment_map(specs: Mapping[str, object]) -> Mapping[str, Treatment | None]:
    return FrozenMap({str(k): as_treatment(v, str(k)) for k, v in specs.items()})


def _denominator_map(specs: Mapping[str, object]) -> Mapping[str, Denominator | None]:
    return FrozenMap(
        {str(k): None if v is None else as_denominator(v, str(k)) for k, v in specs.items()}
    )


@attrs.frozen(cache_hash=True)
class Build:
    """How to compute a composite index: normalisation, weights, aggregation, missing data.

    Every field accepts the plain forms too (``"zscore"``, ``{"method": "minmax",
    "low": 1}``, ``"equal"``, ``"omit"``), converted and checked on construction.

    Attributes:
        normalise: The normalisation of every indicator not in *normalise_indicators*.
        normalise_indicators: Normalisation per indicator code.
        aggregate: One method for every aggregate (overrides the framework's own).
        aggregate_levels: A method per level (2 = parents of indicators …).
        aggregate_nodes: A method per node code.
        weights: The weighting scheme.
        missing: The missing-data policy (default: fail on any missing value).
        scope: Panel normalisation over ``"all"`` periods at once or per ``"period"``.
        tree: The root of the tree to compute; default the framework's index tree, or
            every root when it has no index.
        treat: Outlier treatment of every indicator not in *treat_indicators*, before
            normalisation (:mod:`kotacerdas.engine.treat`; ``"default"`` is COINr's
            rule); ``None``: none.
        treat_indicators: Treatment per indicator code (``None``/``"none"``: none).
        denominate: Per indicator code, the :class:`~kotacerdas.engine.Denominator`
            to divide it by before anything else (``"population"``, ``{"by": "area"}``,
            a data column).  Indicators not named use the framework node's
            ``denominator``, if it has one; ``None`` turns that off.

    >>> Build(normalise={"method": "minmax", "low": 1}, aggregate="a_gmean").aggregate
    'geometric'
    """

    normalise: Normaliser = attrs.field(factory=MinMax, converter=_as_normaliser)
    normalise_indicators: Mapping[str, Normaliser] = attrs.field(
        factory=dict, converter=_normaliser_map
    )
    aggregate: AggregationSpec | None = attrs.field(default=None, converter=_opt_aggregation)
    aggregate_levels: Mapping[int, AggregationSpec] = attrs.field(
        factory=dict, converter=_level_map
    )
    aggregate_nodes: Mapping[str, AggregationSpec] = attrs.field(
        factory=dict, converter=_aggregation_map
    )
    weights: Weights = attrs.field(factory=Weights.framework, converter=_weights)
    missing: MissingPolicy = attrs.field(factory=MissingPolicy.fail, converter=_missing)
    scope: Scope = attrs.field(default="all", converter=_scope)
    tree: str | None = None
    treat: Treatment | None = attrs.field(default=None, converter=_as_treatment)
    treat_indicators: Mapping[str, Treatment | None] = attrs.field(
        factory=dict, converter=_treatment_map
    )
    denominate: Mapping[str, Denominator | None] = attrs.field(
        factory=dict, converter=_denominator_map
    )

    @classmethod
    def preset(cls, framework: Framework) -> Build:
        """The framework's own method, recorded as data in its edition, as a build.

        See :attr:`Framework.method <kotacerdas.model.Framework.method>`.  Giffinger
        2007: z-scores, unweighted arithmetic means, each of the values available.
        The unit coverage rule (``method.unit_min_coverage``) is about which units to
        rank at all: drop the units below it from the dataset first.

        >>> from kotacerdas import frameworks
        >>> b = Build.preset(frameworks.load("giffinger@2007"))
        >>> b.normalise.method, b.aggregate, b.missing.min_availability
        ('zscore', 'arithmetic', 0.0)

        Raises:
            EngineError: the framework records no method with a normalisation
                (``build.no-preset``), e.g. U4SSC, whose targets are not published.
        """
        m = framework.method
        if m is None or m.normalise is None:
            raise EngineError("build.no-preset", framework=framework.ref)
        missing = (
            MissingPolicy.omit(float(m.min_availability))
            if m.min_availability is not None
            else MissingPolicy.fail()
        )
        return cls(normalise=m.normalise, aggregate=m.aggregate, missing=missing)

    def resolve(self, framework: Framework) -> ResolvedBuild:
        """Check this build against *framework* and expand it to per-node choices.

        Raises:
            EngineError: a node or level it names is not in the framework's tree
                (``build.node-unknown``, ``build.level-unknown``), a normalisation is
                set on an aggregate (``build.not-indicator``) or an aggregation on an
                indicator (``build.not-aggregate``), or the weights are inconsistent.
        """
        roots = self._roots(framework)
        nodes: dict[str, Node] = {n.code: n for r in roots for n in r}
        height = levels(roots)
        for field, named in (
            ("normalise_indicators", self.normalise_indicators),
            ("treat_indicators", self.treat_indicators),
            ("denominate", self.denominate),
        ):
            for code in named:
                node = nodes.get(code)
                if node is None:
                    raise EngineError(
                        "build.node-unknown", code=code, where=field, framework=framework.ref
                    )
                if node.children:
                    raise EngineError("build.not-indicator", code=code)
        for code in self.aggregate_nodes:
            node = nodes.get(code)
            if node is None:
                raise EngineError(
                    "build.node-unknown",
                    code=code,
                    where="aggregate_nodes",
                    framework=framework.ref,
                )
            if not node.children:
                raise EngineError("build.not-aggregate", code=code, parent=node.parent or "-")
        aggregate_levels = sorted({h for h in height.values() if h > 1})
        for level in self.aggregate_levels:
            if level not in aggregate_levels:
                raise EngineError(
                    "build.level-unknown",
                    level=level,
                    framework=framework.ref,
                    levels=listing(aggregate_levels) or "-",
                )
        normalisation: dict[str, Normaliser] = {}
        treatment: dict[str, Treatment | None] = {}
        denominators: dict[str, Denominator] = {}
        aggregation: dict[str, AggregationSpec] = {}
        for code, node in nodes.items():
            if not node.children:
                normalisation[code] = self.normalise_indicators.get(code, self.normalise)
                treatment[code] = self.treat_indicators.get(code, self.treat)
                rate = self.denominate.get(code, _framework_denominator(node))
                if rate is not None:
                    denominators[code] = rate
                continue
            spec: AggregationSpec | None = self.aggregate_nodes.get(code)
            if spec is None:
                spec = self.aggregate_levels.get(height[code])
            if spec is None:
                spec = self.aggregate
            if spec is None:
                spec = node.aggregation if node.aggregation is not None else "arithmetic"
            aggregation[code] = spec
        weights = resolve_weights(framework, self.weights, [r.code for r in roots])
        return ResolvedBuild(
            framework=framework.ref,
            roots=tuple(r.code for r in roots),
            normalisation=normalisation,
            aggregation=aggregation,
            weights=weights,
            missing=self.missing,
            scope=self.scope,
            spec=self,
            treatment=treatment if any(t is not None for t in treatment.values()) else {},
            denominators=denominators,
        )

    def _roots(self, framework: Framework) -> tuple[Node, ...]:
        if self.tree is not None:
            node = framework.get(self.tree)
            if node is None:
                raise EngineError(
                    "build.node-unknown", code=self.tree, where="tree", framework=framework.ref
                )
            return (node,)
        if framework.index_node is not None:
            return (framework.index_node,)
        return framework.roots


def _framework_denominator(node: Node) -> Denominator | None:
    d = node.denominator
    return None if d is None else Denominator(d.by, float(d.per))


def levels(roots: tuple[Node, ...]) -> dict[str, int]:
    """Each node's level, COINr's way: 1 for indicators, else one above its highest child."""
    height: dict[str, int] = {}
    for root in roots:
        for node in reversed(list(root)):  # children before parents
            height[node.code] = 1 + max((height[c.code] for c in node.children), default=0)
    return height


def _freeze(m: Mapping[str, object]) -> Mapping[str, object]:
    return FrozenMap(dict(m))


@attrs.frozen
class ResolvedBuild:
    """A build expanded over one framework: the exact per-node plan a result records.

    Attributes:
        framework: The framework's ``ID@EDITION``.
        roots: The roots of the computed trees.
        normalisation: The normaliser of every indicator.
        aggregation: The method of every aggregate (a name, or your callable).
        weights: The resolved weights (local shares and effective weights).
        missing: The missing-data policy.
        scope: Panel normalisation scope.
        spec: The :class:`Build` it was resolved from.
        treatment: The outlier treatment of every indicator (empty when none is treated).
        denominators: The denominator of each denominated indicator.
    """

    framework: str
    roots: tuple[str, ...]
    normalisation: Mapping[str, Normaliser] = attrs.field(converter=_freeze)
    aggregation: Mapping[str, AggregationSpec] = attrs.field(converter=_freeze)
    weights: ResolvedWeights
    missing: MissingPolicy
    scope: Scope
    spec: Build
    treatment: Mapping[str, Treatment | None] = attrs.field(factory=dict, converter=_freeze)
    denominators: Mapping[str, Denominator] = attrs.field(factory=dict, converter=_freeze)
