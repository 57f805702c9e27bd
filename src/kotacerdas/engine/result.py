"""The result of a build: every normalised indicator and every aggregate, with its record.

A :class:`CompositeResult` carries the numbers (arrays of shape ``(units, periods,
nodes)``) and everything needed to reproduce and audit them: the framework, the
resolved build (per-node methods, weights, missing-data policy, scope) and the library
version.  :meth:`~CompositeResult.to_long` and :meth:`~CompositeResult.to_wide` give
plain Python rows for any table library, without depending on one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np

from kotacerdas.engine._util import BoolArray, FloatArray, Period, listing
from kotacerdas.engine.build import ResolvedBuild
from kotacerdas.engine.missing import MissingPolicy
from kotacerdas.engine.treat import TreatmentReport
from kotacerdas.engine.weights import ResolvedWeights
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework

__all__ = ["CompositeResult"]


def _readonly(a: FloatArray) -> FloatArray:
    a.flags.writeable = False
    return a


def _readonly_bool(a: BoolArray) -> BoolArray:
    a.flags.writeable = False
    return a


@attrs.frozen(eq=False)
class CompositeResult:
    """Normalised indicators and aggregates of every unit and period, with how they were made.

    Attributes:
        framework: The framework the build ran on.
        build: The resolved build: per-node methods, weights, missing-data policy.
        version: The kotacerdas version that computed it.
        units: Unit codes (rows).
        periods: Period labels.
        nodes: Node codes of the columns of :attr:`values`: the indicators first, then
            the aggregates level by level up to the root(s).
        indicators: The indicator codes (the first columns of :attr:`values`).
        values: ``(units, periods, nodes)``: normalised indicators and aggregates;
            NaN where missing.
        availability: Same shape: for an aggregate, the share of its children present
            (COINr's data availability); for an indicator, 1 or 0.
        data: ``(units, periods, indicators)``: the raw values the build used, after
            denomination and imputation, before outlier treatment.
        imputed: Same shape as :attr:`data`: which of its values were imputed.
        treatment: The outlier treatment of every indicator, with the values it
            changed; ``None`` when the build treats none.
    """

    framework: Framework = attrs.field(repr=lambda fw: fw.ref)
    build: ResolvedBuild = attrs.field(repr=False)
    version: str
    units: tuple[str, ...] = attrs.field(repr=False)
    periods: tuple[Period, ...]
    nodes: tuple[str, ...] = attrs.field(repr=False)
    indicators: tuple[str, ...] = attrs.field(repr=False)
    values: FloatArray = attrs.field(converter=_readonly, repr=False)
    availability: FloatArray = attrs.field(converter=_readonly, repr=False)
    data: FloatArray = attrs.field(converter=_readonly, repr=False)
    imputed: BoolArray = attrs.field(converter=_readonly_bool, repr=False)
    treatment: TreatmentReport | None = attrs.field(default=None, repr=False)
    _column: Mapping[str, int] = attrs.field(init=False, repr=False, alias="_column")

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_column", {c: i for i, c in enumerate(self.nodes)})

    # -- the record -----------------------------------------------------------------------

    @property
    def framework_ref(self) -> str:
        """The framework's ``ID@EDITION``."""
        return self.framework.ref

    @property
    def missing(self) -> MissingPolicy:
        """The missing-data policy the build used."""
        return self.build.missing

    @property
    def weights(self) -> ResolvedWeights:
        """The resolved weights: each node's share of its parent and effective weight."""
        return self.build.weights

    @property
    def effective_weights(self) -> Mapping[str, float]:
        """Every node's effective weight in its root (the product of shares on the path)."""
        return self.build.weights.effective

    @property
    def aggregates(self) -> tuple[str, ...]:
        """The aggregate codes, level by level."""
        return self.nodes[len(self.indicators) :]

    @property
    def normalised(self) -> FloatArray:
        """``(units, periods, indicators)``: the normalised indicators."""
        return self.values[:, :, : len(self.indicators)]

    # -- look-up --------------------------------------------------------------------------

    def column(self, code: str) -> FloatArray:
        """``(units, periods)``: the values of node *code*."""
        return self.values[:, :, self._index(code)]

    def score(self, code: str, period: Period = None) -> FloatArray:
        """``(units,)``: node *code*'s value per unit in *period* (default: the latest)."""
        return self.values[:, self._period(period), self._index(code)]

    def rank(self, code: str, period: Period = None) -> FloatArray:
        """``(units,)``: rank by node *code* in *period*, 1 = highest; ties share the best rank.

        Missing scores have no rank (NaN).
        """
        s = self.score(code, period)
        seen = ~np.isnan(s)
        out = np.full(s.shape, np.nan)
        obs = -s[seen]
        out[seen] = np.searchsorted(np.sort(obs), obs, side="left") + 1.0
        return out

    def _index(self, code: str) -> int:
        i = self._column.get(code)
        if i is None:
            node = self.framework.get(code)
            i = self._column.get(node.code) if node is not None else None
        if i is None:
            raise EngineError("result.node-unknown", code=code, available=listing(self.nodes))
        return i

    def _period(self, period: Period) -> int:
        if period is None:
            return len(self.periods) - 1
        try:
            return self.periods.index(period)
        except ValueError:
            raise EngineError(
                "data.period-unknown", period=period, available=listing(self.periods)
            ) from None

    # -- output ---------------------------------------------------------------------------

    def to_long(self) -> list[dict[str, object]]:
        """One row per unit, period and node: ``unit``, ``period``, ``node``, ``value``.

        Missing values are ``None``.
        """
        rows: list[dict[str, object]] = []
        values = self.values.tolist()
        for u, unit in enumerate(self.units):
            for p, period in enumerate(self.periods):
                row = values[u][p]
                rows.extend(
                    {
                        "unit": unit,
                        "period": period,
                        "node": node,
                        "value": None if math.isnan(v) else v,
                    }
                    for node, v in zip(self.nodes, row, strict=True)
                )
        return rows

    def to_wide(self) -> list[dict[str, object]]:
        """One row per unit and period: ``unit``, ``period`` and a column per node.

        Missing values are ``None``.
        """
        rows: list[dict[str, object]] = []
        values = self.values.tolist()
        for u, unit in enumerate(self.units):
            for p, period in enumerate(self.periods):
                row: dict[str, object] = {"unit": unit, "period": period}
                row.update(
                    (node, None if math.isnan(v) else v)
                    for node, v in zip(self.nodes, values[u][p], strict=True)
                )
                rows.append(row)
        return rows
