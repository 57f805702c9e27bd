"""The result of a build: every normalised indicator and every aggregate, with its record.

A :class:`CompositeResult` carries the numbers (arrays of shape ``(units, periods,
nodes)``) and everything needed to reproduce and audit them: the framework, the
resolved build (per-node methods, weights, missing-data policy, scope), the library
version, whether the data were checked, and :class:`Note` s on how the data were read.
:meth:`~CompositeResult.to_long` and :meth:`~CompositeResult.to_wide` give plain Python
rows for any table library, without depending on one; :meth:`~CompositeResult.to_frame`
a pandas or polars frame, and :meth:`~CompositeResult.to_json` the whole record.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np

from kotacerdas.engine._util import BoolArray, FloatArray, Period, listing
from kotacerdas.engine.build import ResolvedBuild
from kotacerdas.engine.missing import MissingPolicy
from kotacerdas.engine.treat import TreatmentReport
from kotacerdas.engine.weights import ResolvedWeights
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework

__all__ = ["CompositeResult", "Names", "Note"]

Names: TypeAlias = Mapping[str, str] | Callable[[str], str | None]
"""Names shown beside unit codes: a mapping from code to name, or a function of the code."""


def _frozen(params: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(params))


@attrs.frozen
class Note:
    """Something a reader of a result should know about how its data were read.

    Attributes:
        code: Stable message code (``data.left-out``).
        node: The node it is about.
        params: The values its message shows.
    """

    code: str
    node: str
    params: Mapping[str, object] = attrs.field(factory=dict, converter=_frozen, hash=False)

    def message(self, lang: str | None = None) -> str:
        """The note in words, in *lang* (``"id"`` or ``"en"``)."""
        from kotacerdas.i18n import message

        return message(self.code, lang, node=self.node, **self.params)

    def to_dict(self) -> dict[str, str]:
        """``{"code", "node", "id", "en"}``: the note in both languages."""
        return {
            "code": self.code,
            "node": self.node,
            "id": self.message("id"),
            "en": self.message("en"),
        }

    def __str__(self) -> str:
        return self.message()


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
        notes: How the data were read, e.g. the nodes left out below a node the data
            give (``data.left-out``).
        checked: Whether the data were checked against the framework's rules
            (``False`` only when the caller asked ``check=False``).
        names: Names of units, by code (a mapping or a function of the code).
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
    notes: tuple[Note, ...] = ()
    checked: bool = True
    names: Names = attrs.field(factory=dict, repr=False)
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

    def name(self, unit: str) -> str | None:
        """The name shown beside *unit*'s code, or ``None`` when there is none."""
        get = self.names.get if isinstance(self.names, Mapping) else self.names
        return get(unit)

    @property
    def unit_names(self) -> tuple[str | None, ...]:
        """The name of each unit, in row order (``None`` where there is none)."""
        return tuple(self.name(u) for u in self.units)

    # -- output ---------------------------------------------------------------------------

    def to_long(self) -> list[dict[str, object]]:
        """One row per unit, period and node: ``unit, unit_name, period, node, value``.

        Missing values (and units without a name) are ``None``.
        """
        return _rows(self._long_columns())

    def to_wide(self) -> list[dict[str, object]]:
        """One row per unit and period: ``unit, unit_name, period`` and a column per node.

        Missing values (and units without a name) are ``None``.
        """
        return _rows(self._wide_columns())

    def to_frame(
        self, backend: Any = None, *, like: Any = None, layout: Literal["long", "wide"] = "long"
    ) -> Any:
        """:meth:`to_long` (or, with ``layout="wide"``, :meth:`to_wide`) as a data frame.

        *backend* is ``"pandas"`` (the default), ``"polars"``, ``"pyarrow"`` or the module
        itself, or *like* a frame whose library to use; the frame is made through
        :mod:`narwhals`, so only the library you ask for is needed.

        Raises:
            EngineError: *layout* is neither ``long`` nor ``wide``.
        """
        from kotacerdas._frames import frame

        if layout not in ("long", "wide"):
            raise EngineError(
                "build.param-value",
                method="to_frame",
                param="layout",
                value=layout,
                expected="long | wide",
            )
        columns = self._long_columns() if layout == "long" else self._wide_columns()
        return frame(columns, backend, like)

    def to_json(self) -> dict[str, Any]:
        """The record and every value, as JSON-ready data.

        Keys: ``framework``, ``version``, ``checked``, ``notes`` (each ``code``, ``node``,
        ``id``, ``en``), ``periods``, ``nodes`` and ``rows`` (:meth:`to_wide`).
        """
        return {
            "framework": self.framework.ref,
            "version": self.version,
            "checked": self.checked,
            "notes": [n.to_dict() for n in self.notes],
            "periods": list(self.periods),
            "nodes": list(self.nodes),
            "rows": self.to_wide(),
        }

    def _long_columns(self) -> dict[str, list[Any]]:
        n_units, n_periods, n_nodes = self.values.shape
        per_unit = n_periods * n_nodes
        flat = self.values.reshape(-1)
        names = self.unit_names
        return {
            "unit": [u for u in self.units for _ in range(per_unit)],
            "unit_name": [name for name in names for _ in range(per_unit)],
            "period": [p for _ in self.units for p in self.periods for _ in range(n_nodes)],
            "node": list(self.nodes) * (n_units * n_periods),
            "value": [None if math.isnan(v) else v for v in flat.tolist()],
        }

    def _wide_columns(self) -> dict[str, list[Any]]:
        n_periods = len(self.periods)
        names = self.unit_names
        columns: dict[str, list[Any]] = {
            "unit": [u for u in self.units for _ in range(n_periods)],
            "unit_name": [name for name in names for _ in range(n_periods)],
            "period": list(self.periods) * len(self.units),
        }
        block = self.values.reshape(-1, len(self.nodes))
        for j, node in enumerate(self.nodes):
            columns[node] = [None if math.isnan(v) else v for v in block[:, j].tolist()]
        return columns


def _rows(columns: dict[str, list[Any]]) -> list[dict[str, object]]:
    keys = list(columns)
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns.values(), strict=True)]
