"""The composite-index engine: normalise, weight and aggregate indicator data over a framework.

The engine runs a :class:`Build` — normalisation per indicator, aggregation per node,
a weighting scheme, a missing-data policy — on a :class:`Dataset` of units × periods ×
indicators, over any :class:`~kotacerdas.model.Framework` tree, and returns a
:class:`CompositeResult` that records how every number was made::

    >>> import numpy as np
    >>> from kotacerdas import frameworks
    >>> from kotacerdas.engine import Build, Dataset, MissingPolicy, compute
    >>> fw = frameworks.from_data({
    ...     "id": "demo", "edition": "1", "title": "Demo", "issuer": "kotacerdas",
    ...     "provenance": {"confidence": "inferred"}, "index": "I",
    ...     "nodes": [{"code": "I", "kind": "index", "label": "Index", "children": [
    ...         {"code": "a", "kind": "indicator", "label": "a"},
    ...         {"code": "b", "kind": "indicator", "label": "b", "direction": "negative"}]}]})
    >>> data = Dataset(("X", "Y", "Z"), ("a", "b"), np.array([[1, 10], [2, 30], [3, 20]]))
    >>> result = compute(fw, data, Build())
    >>> result.score("I").tolist()
    [50.0, 25.0, 75.0]

It is general over frameworks and matches COINr, the reference tool (see
:mod:`kotacerdas.coinr` to read COINr's tables), but chooses aggregation per node
rather than per level, checks every choice up front, and never falls back silently.

* Normalisation (:data:`NORMALISERS`): :class:`MinMax`, :class:`ZScore`,
  :class:`Goalposts`, :class:`DistanceToTarget`, :class:`DistanceToReference`,
  :class:`Rank`, :class:`PercentileRank`, :class:`Identity`; per indicator, over all
  periods at once or each period (``Build(scope=...)``).
* Aggregation (:data:`AGGREGATORS`): ``arithmetic``, ``geometric``, ``harmonic``,
  ``median`` (weighted), ``minimum``, ``maximum``, ``sum``, ``copeland``, or any
  :class:`Aggregator`; per node, per level or for all.
* Weights (:class:`Weights`): the framework's, equal, or yours (relative, local or
  global shares); normalised within each parent, effective weights reported.
* Missing data (:class:`MissingPolicy`): fail, omit with a minimum availability,
  impute (:class:`Impute` by mean, median or peer group; :class:`LatestYear`).
* Denominators (:class:`Denominator`, ``Build(denominate=...)``): per 100,000 people,
  per km² (the region registry) or by a data column, before anything else.
* Outlier treatment (:mod:`~kotacerdas.engine.treat`, ``Build(treat=...)``): COINr's
  default rule (:class:`Winsorise`, with a log fallback), :class:`LogTransform`,
  :class:`BoxCox`; recorded per indicator in :attr:`CompositeResult.treatment`.
* Bundled editions (:func:`compute`): the data you have — a column for an aggregate
  leaves out the nodes below it, with a :class:`Note` — checked by the rules of
  :mod:`kotacerdas.validation` when the edition bounds its values; names beside unit
  codes from a resolver you give (default: the region registry).
"""

from __future__ import annotations

from kotacerdas.engine import _compute
from kotacerdas.engine._util import Period
from kotacerdas.engine.aggregate import AGGREGATORS, AggregationSpec, Aggregator
from kotacerdas.engine.build import Build, ResolvedBuild, Scope
from kotacerdas.engine.dataset import Dataset
from kotacerdas.engine.denominators import Denominator, denominate
from kotacerdas.engine.missing import Impute, Imputer, LatestYear, MissingPolicy, impute
from kotacerdas.engine.normalise import (
    NORMALISERS,
    DistanceToReference,
    DistanceToTarget,
    Goalposts,
    Identity,
    MinMax,
    Normaliser,
    PercentileRank,
    Rank,
    ZScore,
    normalise_array,
    normaliser,
)
from kotacerdas.engine.result import CompositeResult, Names, Note
from kotacerdas.engine.treat import (
    BoxCox,
    LogTransform,
    Treatment,
    TreatmentReport,
    Winsorise,
)
from kotacerdas.engine.weights import ResolvedWeights, Weights, resolve_weights
from kotacerdas.model import Framework

__all__ = [
    "AGGREGATORS",
    "NORMALISERS",
    "AggregationSpec",
    "Aggregator",
    "BoxCox",
    "Build",
    "CompositeResult",
    "Dataset",
    "Denominator",
    "DistanceToReference",
    "DistanceToTarget",
    "Goalposts",
    "Identity",
    "Impute",
    "Imputer",
    "LatestYear",
    "LogTransform",
    "MinMax",
    "MissingPolicy",
    "Names",
    "Normaliser",
    "Note",
    "PercentileRank",
    "Period",
    "Rank",
    "ResolvedBuild",
    "ResolvedWeights",
    "Scope",
    "Treatment",
    "TreatmentReport",
    "Weights",
    "Winsorise",
    "ZScore",
    "compute",
    "denominate",
    "impute",
    "normalise_array",
    "normaliser",
    "resolve_weights",
]


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

    Args:
        framework: The framework: a bundled edition, your own, or COINr's.
        data: Units × periods × indicators.
        build: How to compute (default :class:`Build` ``()``).
        names: The names shown beside unit codes, after the data's own
            :attr:`Dataset.names`: a mapping or a function of the code.  Default: the
            region registry's (:func:`kotacerdas.regions.name_of`), looked up only when
            a name is read.
        check: Apply the rules of :func:`kotacerdas.validation.validate` to the values
            of a framework that bounds them (default); ``False`` skips this, and the
            result says ``checked=False``.

    A column for an aggregate node makes its value given: the nodes below it are left
    out (they need no columns), with a :class:`Note` in :attr:`CompositeResult.notes`.
    The five GM100SC components are enough for the official index:

    >>> import numpy as np
    >>> from kotacerdas import frameworks
    >>> data = Dataset(("63.09",), ("BASE", "OUT", "OUTC", "IMP", "QW"),
    ...                np.array([[3.0, 3.5, 3.2, 3.4, 3.1]]))
    >>> result = compute(frameworks.load("gm100sc@2024"), data, Build(normalise="identity"))
    >>> round(float(result.score("INDEX")[0]), 2), result.name("63.09")
    (3.26, 'Kabupaten Tabalong')
    >>> print(result.notes[0].message("en"))  # doctest: +ELLIPSIS
    QW is given in the data, so the 10 node(s) below it are left out (QW1, QW2, ...)

    Raises:
        ValidationError: a value breaks its node's rule (off the scale, not a whole
            level, too many decimals), or a column names no node of a framework with
            rules; every finding is listed.
        EngineError: the build does not fit the framework or the data, or a method
            does not apply to the values it meets (the message names the node and
            the fix).
        MissingDataError: values are missing and the policy cannot handle them.
    """
    return _compute.compute(
        framework, data, build, names=_registry_names if names is None else names, check=check
    )


def _registry_names(code: str) -> str | None:
    from kotacerdas.regions import name_of  # the registry is read only when a name is

    return name_of(code)
