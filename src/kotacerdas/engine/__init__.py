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
"""

from __future__ import annotations

from kotacerdas.engine._compute import compute
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
from kotacerdas.engine.result import CompositeResult
from kotacerdas.engine.treat import (
    BoxCox,
    LogTransform,
    Treatment,
    TreatmentReport,
    Winsorise,
)
from kotacerdas.engine.weights import ResolvedWeights, Weights, resolve_weights

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
    "Normaliser",
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
