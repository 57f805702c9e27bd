"""The result of a panel: values read out as decimals, rankings, changes, gaps and tables.

:class:`PanelResult` holds the integer arrays of :mod:`kotacerdas._fixed_point` and turns
them into :class:`~decimal.Decimal` only when a method reads a column; rankings order
the integers themselves.  Its public home is :mod:`kotacerdas.panel`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import numpy as np

from kotacerdas import __version__
from kotacerdas._decimal import as_decimal, to_decimal
from kotacerdas._fixed_point import _INT64_MAX, Ints, Mask, _Arrays, _decimals, _Plan
from kotacerdas.errors import AmbiguousRegionError, RegionNotFoundError, ScoringError

if TYPE_CHECKING:
    from kotacerdas.model import Band
    from kotacerdas.panel import Layout, MissingPolicy, PeerGroup, RankMethod


_BUILTIN_GROUPS: Final = ("level", "province", "cohort", "population_class")


def _target(value: Decimal | str | int | float) -> Decimal:
    try:
        out = as_decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ScoringError(
            "panel.argument", name="target", value=value, choices="a number"
        ) from None
    if not out.is_finite():
        raise ScoringError("panel.argument", name="target", value=value, choices="a finite number")
    return out


@attrs.frozen(eq=False, repr=False)
class PanelResult:
    """The official scores of a panel of region-years: every node, exactly.

    One row per region-year (sorted by region code, then year) and one column per node:
    the index tree depth first (``INDEX`` first), then the nodes an input is derived
    from (GM100SC's six dimensions).  The values are held as integer arrays and turned
    into :class:`~decimal.Decimal` only when read, by the methods below; each method that
    takes a ``node`` defaults to the index.

    It carries the framework edition, the method and the library version, so stored
    output says how it was made.

    Attributes:
        framework: Framework id (``gm100sc``).
        edition: Framework edition (``2024``).
        index_code: The index node.
        method: How the values were computed.
        stage: The stage whose scores were the inputs.
        missing: The missing-value policy used.
        regions: Region code of each row.
        years: Year of each row.
        nodes: Node codes, in column order.
        version: The kotacerdas version that computed it.
        checked: Whether the input was checked by the rules of validation first
            (``False`` only when the caller asked ``check=False``).

    A panel may span editions of one framework (GM100SC 2022, 2023 and 2024, each year
    under its own weights): then ``edition`` lists them (``"2022,2023,2024"``),
    :attr:`editions` names each row's, and :meth:`improvement` notes a change between
    years scored under editions whose weights differ.
    """

    framework: str
    edition: str
    index_code: str
    method: str
    stage: str
    missing: MissingPolicy
    regions: tuple[str, ...]
    years: tuple[int, ...]
    nodes: tuple[str, ...]
    _plan: _Plan = attrs.field(repr=False, alias="plan")
    _a: _Arrays = attrs.field(repr=False, alias="arrays")
    version: str = __version__
    checked: bool = True
    _row_editions: tuple[str, ...] = attrs.field(default=(), repr=False, alias="row_editions")
    _weights: Mapping[str, Mapping[str, object]] = attrs.field(
        factory=dict, repr=False, alias="weights"
    )
    _cache: dict[tuple[str, int], list[Any]] = attrs.field(factory=dict, init=False, repr=False)

    # -- shape ------------------------------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<PanelResult {self.framework_ref}: {len(self)} region-years, "
            f"{len(self.nodes)} nodes, missing={self.missing!r}>"
        )

    @property
    def framework_ref(self) -> str:
        """``ID@EDITION``."""
        return f"{self.framework}@{self.edition}"

    @property
    def editions(self) -> tuple[str, ...]:
        """The edition each row was scored under."""
        return self._row_editions or (self.edition,) * len(self)

    @property
    def keys(self) -> tuple[tuple[str, int], ...]:
        """``(region code, year)`` of each row."""
        return tuple(zip(self.regions, self.years, strict=True))

    def __len__(self) -> int:
        return len(self.regions)

    def _col(self, node: str | None) -> int:
        if node is None:
            return self._plan.node_index(self.index_code)
        found = self._plan.fw.get(node)
        if found is None or found.code not in self.nodes:
            raise ScoringError(
                "panel.node", node=node, framework=self.framework_ref, nodes=", ".join(self.nodes)
            )
        return self.nodes.index(found.code)

    def _memo(self, what: str, j: int, build: Callable[[], list[Any]]) -> list[Any]:
        key = (what, j)
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # -- values -----------------------------------------------------------------------------

    def exact(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """Exact values (rounded to 28 decimals only when they do not terminate).

        A value equal to the one the data gives keeps the digits it was written with
        (``3.60``, not ``3.6``), as in :class:`kotacerdas.scoring.NodeScore`.
        """
        j = self._col(node)
        a = self._a

        def build() -> list[Any]:
            values = _decimals(a.num_of(j), a.den_of(j), a.valid_of(j))
            given = self.given(self.nodes[j])
            return [
                g if v is not None and g is not None and g == v else v
                for v, g in zip(values, given, strict=True)
            ]

        return tuple(self._memo("exact", j, build))

    def published(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """Exact values rounded as the framework publishes them (``None`` if it does not say)."""
        j = self._col(node)
        places = self._plan.decimals[j]
        a = self._a

        def build() -> list[Any]:
            if places is None:
                return [None] * len(self)
            return [
                Decimal(int(v)).scaleb(-places) if ok else None
                for v, ok in zip(a.published_of(j).tolist(), a.valid_of(j).tolist(), strict=True)
            ]

        return tuple(self._memo("published", j, build))

    def value(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """What a reader sees: the published value when the rounding is known, else exact."""
        if self._plan.decimals[self._col(node)] is None:
            return self.exact(node)
        return self.published(node)

    def bounds(self, node: str | None = None) -> tuple[tuple[Decimal, Decimal] | None, ...]:
        """Lowest and highest exact value the rounded inputs allow."""
        j = self._col(node)
        a = self._a
        places = self._plan.bound_places[j]

        def build() -> list[Any]:
            den, valid = a.den_of(j), a.valid_of(j)
            lows = _decimals(a.low_of(j), den, valid, places)
            highs = _decimals(a.high_of(j), den, valid, places)
            return [
                None if lo is None or hi is None else (lo, hi)
                for lo, hi in zip(lows, highs, strict=True)
            ]

        return tuple(self._memo("bounds", j, build))

    def given(self, node: str | None = None) -> tuple[Decimal | None, ...]:
        """The values the data gave, as written (for the index: the published index)."""
        j = self._col(node)

        def build() -> list[Any]:
            m, e, ok = self._a.given_of(j)
            return [
                Decimal(mm).scaleb(-ee) if present else None
                for mm, ee, present in zip(m.tolist(), e.tolist(), ok.tolist(), strict=True)
            ]

        return tuple(self._memo("given", j, build))

    def n_missing(self, node: str | None = None) -> tuple[int, ...]:
        """How many inputs below the node had no value, per row."""
        return tuple(self._a.missing_of(self._col(node)).tolist())

    def derived(self, node: str | None = None) -> tuple[bool, ...]:
        """Whether the value was computed (from children or inputs) rather than given."""
        return tuple(self._a.derived_of(self._col(node)).tolist())

    def predicate(self) -> tuple[Band | None, ...]:
        """The predicate band of each index value, if the framework has bands."""
        bands = self._plan.fw.predicates
        if bands is None:
            return (None,) * len(self)
        return tuple(None if v is None else bands.classify(v) for v in self.value())

    def consistent(self) -> tuple[bool | None, ...]:
        """Whether each given (published) index fits the interval of the rounded inputs.

        ``None`` where the data gave no index, or the index has no value.
        """
        return tuple(None if c < 0 else bool(c) for c in self._a.consistent.tolist())

    # -- comparisons ------------------------------------------------------------------------

    def _order_keys(self, j: int, exact: bool) -> tuple[Ints, Mask]:
        """Integers that order the node's values like the values, and where there are any."""
        a = self._a
        valid = a.valid_of(j)
        places = self._plan.decimals[j]
        if not exact and places is not None:
            return a.published_of(j), valid
        num, den = a.num_of(j), a.den_of(j)
        dens = {int(v) for v in np.unique(den[valid])} or {1}
        common = math.lcm(*dens)
        biggest = int(np.abs(num).max()) * (common // min(dens)) if len(self) else 0
        if biggest < _INT64_MAX and common < _INT64_MAX:
            factor = common // np.where(valid, den, 1)
            return np.where(valid, num * factor, 0), valid
        fractions = [Fraction(n, d) for n, d in zip(num.tolist(), den.tolist(), strict=True)]
        ordered = {f: i for i, f in enumerate(sorted(set(fractions)))}
        return np.asarray([ordered[f] for f in fractions], dtype=np.int64), valid

    def _names(self) -> dict[str, str | None]:
        """The name of each region of the panel, by code (``None`` for a unit)."""
        from kotacerdas.regions import name_of

        return {code: name_of(code) for code in dict.fromkeys(self.regions)}

    def _groups(self, by: PeerGroup | None) -> list[Hashable]:
        """The peer group of each row's region."""
        from kotacerdas import regions

        distinct = sorted(set(self.regions))
        group: dict[str, Hashable] = {}
        if by is None:
            group = dict.fromkeys(distinct)
        elif isinstance(by, str):
            if by not in _BUILTIN_GROUPS:
                raise ScoringError(
                    "panel.argument", name="by", value=by, choices=", ".join(_BUILTIN_GROUPS)
                )
            for code in distinct:
                region = regions.get(code)
                if region is None:  # an assessed unit that is not a region
                    group[code] = None
                elif by == "level":
                    group[code] = regions.level(region)
                elif by == "province":
                    group[code] = regions.province_code(region)
                elif by == "cohort":
                    years = regions.cohort_of(region)
                    group[code] = years[0] if years else None
                else:
                    found = regions.population_class(region)
                    group[code] = None if found is None else found.code
        elif isinstance(by, Mapping):
            resolved: dict[str, Hashable] = {}
            for key, value in by.items():
                try:
                    resolved[regions.resolve_unit(str(key), {c: c for c in distinct}).code] = value
                except (RegionNotFoundError, AmbiguousRegionError):
                    resolved[str(key)] = value
            absent = [c for c in distinct if c not in resolved]
            if absent:
                raise ScoringError("panel.group", regions=", ".join(absent))
            group = {c: resolved[c] for c in distinct}
        elif callable(by):
            group = {c: by(c) for c in distinct}
        else:
            raise ScoringError(
                "panel.argument", name="by", value=by, choices=", ".join(_BUILTIN_GROUPS)
            )
        return [group[r] for r in self.regions]

    def _ranks(
        self, j: int, by: PeerGroup | None, method: RankMethod, ascending: bool, exact: bool
    ) -> tuple[list[int | None], list[Hashable]]:
        if method not in ("min", "dense", "ordinal"):
            raise ScoringError(
                "panel.argument", name="method", value=method, choices="min, dense, ordinal"
            )
        groups = self._groups(by)
        labels = {g: i for i, g in enumerate(sorted(set(groups), key=_group_sort))}
        gid = np.asarray([labels[g] for g in groups], dtype=np.int64)
        year = np.asarray(self.years, dtype=np.int64)
        region_rank = np.arange(len(self))  # rows are sorted by region code
        key, valid = self._order_keys(j, exact)
        rows = np.flatnonzero(valid)
        value = key[rows] if ascending else -key[rows]
        order = rows[np.lexsort((region_rank[rows], value, gid[rows], year[rows]))]
        v = (key if ascending else -key)[order]
        seg = np.ones(len(order), dtype=bool)
        seg[1:] = (year[order][1:] != year[order][:-1]) | (gid[order][1:] != gid[order][:-1])
        new = seg.copy()
        new[1:] |= v[1:] != v[:-1]
        pos = np.arange(len(order))
        seg_start = np.maximum.accumulate(np.where(seg, pos, 0))
        if method == "ordinal":
            rank = pos - seg_start + 1
        elif method == "min":
            rank = np.maximum.accumulate(np.where(new, pos, 0)) - seg_start + 1
        else:
            run = np.cumsum(new)
            rank = run - run[seg_start] + 1
        out: list[int | None] = [None] * len(self)
        for r, rk in zip(order.tolist(), rank.tolist(), strict=True):
            out[r] = rk
        return out, groups

    def rank(
        self,
        node: str | None = None,
        *,
        by: PeerGroup | None = None,
        method: RankMethod = "min",
        ascending: bool = False,
        exact: bool = False,
        lang: str | None = None,
    ) -> list[dict[str, Any]]:
        """Rank the regions within each year (and peer group); ties share a rank.

        Args:
            node: The node to rank on (default: the index).
            by: Peer groups to rank within: ``"level"`` (kabupaten vs kota),
                ``"province"``, ``"cohort"`` (the first GM100SC cohort year),
                ``"population_class"`` (:data:`kotacerdas.regions.SCDI_POPULATION_CLASSES`),
                a function of the region code, or a mapping from region to group.
            method: How ties are ranked (:data:`RankMethod`).
            ascending: Rank the lowest value first.
            exact: Rank on exact values instead of the values as published, which ties
                less often than the ministry's published ranking.
            lang: Language of ``group_name`` where it is a label (a population class).

        Returns:
            One dict per row — ``region, region_name, year, group, group_name, node,
            value, rank`` — sorted by year, group, rank and region; rows with no value
            come last with rank ``None``.  ``group`` is the key (a province's code,
            ``"63"``); ``group_name`` what a person reads (``"Kalimantan Selatan"``; the
            population class's label; ``None`` where the key says it all).

        Raises:
            ScoringError: an unknown node, method or peer group, or a mapping that
                lacks a region of the panel.
        """
        from kotacerdas.i18n import resolve_language

        language = resolve_language(lang)  # checked on every path, not only where a label shows
        j = self._col(node)
        ranks, groups = self._ranks(j, by, method, ascending, exact)
        values = self.exact(node) if exact else self.value(node)
        names = self._names()
        group_names = _group_names(by, groups, language)
        rows = [
            {
                "region": region,
                "region_name": names[region],
                "year": year,
                "group": group,
                "group_name": group_names.get(group),
                "node": self.nodes[j],
                "value": value,
                "rank": rank,
            }
            for region, year, group, value, rank in zip(
                self.regions, self.years, groups, values, ranks, strict=True
            )
        ]
        rows.sort(
            key=lambda r: (
                r["year"],
                _group_sort(r["group"]),
                r["rank"] is None,
                r["rank"] or 0,
                r["region"],
            )
        )
        return rows

    def leaders(
        self, kind: str | Iterable[str] = "dimension", n: int = 1, *, exact: bool = False
    ) -> list[dict[str, Any]]:
        """The top *n* regions of each year on each node of *kind* (or each node listed).

        Ties at the cut are all included.  For GM100SC, ``"dimension"`` gives the leaders
        of the six smart dimensions (when the data gives dimension scores), and
        ``"component"`` those of the five index components; for SPBE use ``"domain"``,
        ``"aspect"`` or ``"indicator"``.

        Returns:
            Dicts ``node, year, rank, region, region_name, value`` in node order, then by
            year and rank.

        Raises:
            ScoringError: *kind* names no node of the panel, or a listed node is unknown.
        """
        if isinstance(kind, str):
            cols = [j for j, k in enumerate(self._plan.kinds) if k == kind]
            if not cols:
                kinds = ", ".join(dict.fromkeys(self._plan.kinds))
                raise ScoringError("panel.kind", kind=kind, kinds=kinds)
        else:
            cols = [self._col(code) for code in kind]
        out: list[dict[str, Any]] = []
        for j in cols:
            ranks, _ = self._ranks(j, None, "min", False, exact)
            values = self.exact(self.nodes[j]) if exact else self.value(self.nodes[j])
            names = self._names()
            rows = [
                {
                    "node": self.nodes[j],
                    "year": y,
                    "rank": rk,
                    "region": r,
                    "region_name": names[r],
                    "value": v,
                }
                for r, y, v, rk in zip(self.regions, self.years, values, ranks, strict=True)
                if rk is not None and rk <= n
            ]
            rows.sort(key=lambda r: (r["year"], r["rank"], r["region"]))
            out.extend(rows)
        return out

    def improvement(self, node: str | None = None) -> list[dict[str, Any]]:
        """*Indeks Peningkatan*: the change of each region's published index year on year.

        Changes are between a region's consecutive years in the panel.  The published
        value is the one the data gives, else the computed one rounded as published (as
        :func:`kotacerdas.scoring.improvement`): Kota Kediri 3.06 → 3.31 is 0.25.  Where
        either year has no value the change is ``None``.

        Returns:
            Dicts ``region, region_name, year, previous_year, value, previous,
            improvement`` and ``note``: ``None``, or, when the two years were scored
            under editions whose weights differ, which (``"gm100sc@pre2021 →
            gm100sc@2021: weights differ"``), so a change that mixes methods is never
            read as progress alone.
        """
        j = self._col(node)
        given = self.given(node) if self.nodes[j] == self.index_code else (None,) * len(self)
        shown = self.value(node)
        exact_only = self._plan.decimals[j] is None
        num, den = self._a.num_of(j).tolist(), self._a.den_of(j).tolist()
        names = self._names()
        out: list[dict[str, Any]] = []
        for r in range(1, len(self)):
            if self.regions[r] != self.regions[r - 1]:
                continue
            now = given[r] if given[r] is not None else shown[r]
            before = given[r - 1] if given[r - 1] is not None else shown[r - 1]
            change: Decimal | None = None
            if now is not None and before is not None:
                if exact_only and given[r] is None and given[r - 1] is None:
                    change = to_decimal(Fraction(num[r], den[r]) - Fraction(num[r - 1], den[r - 1]))
                else:
                    with localcontext() as ctx:
                        ctx.prec = 80
                        change = now - before
            out.append(
                {
                    "region": self.regions[r],
                    "region_name": names[self.regions[r]],
                    "year": self.years[r],
                    "previous_year": self.years[r - 1],
                    "value": now,
                    "previous": before,
                    "improvement": change,
                    "note": self._mixed(r - 1, r),
                }
            )
        return out

    def _mixed(self, before: int, now: int) -> str | None:
        """A note when rows *before* and *now* were scored under editions with other weights."""
        editions = self.editions
        old, new = editions[before], editions[now]
        if old == new or self._weights.get(old) == self._weights.get(new):
            return None
        return f"{self.framework}@{old} → {self.framework}@{new}: weights differ"

    def gap(
        self, target: Decimal | str | int | float, node: str | None = None, *, exact: bool = False
    ) -> list[dict[str, Any]]:
        """How far each region-year is from *target*: ``target − value`` (``None`` if no value).

        A float target is read as the decimal it prints as (``3.5`` is 3.5).

        Returns:
            Dicts ``region, region_name, year, node, value, target, gap``, in row order.
        """
        t = _target(target)
        j = self._col(node)
        values = self.exact(node) if exact else self.value(node)
        names = self._names()
        out = []
        for region, year, v in zip(self.regions, self.years, values, strict=True):
            with localcontext() as ctx:
                ctx.prec = 80
                g = None if v is None else t - v
            out.append(
                {
                    "region": region,
                    "region_name": names[region],
                    "year": year,
                    "node": self.nodes[j],
                    "value": v,
                    "target": t,
                    "gap": g,
                }
            )
        return out

    # -- tables -----------------------------------------------------------------------------

    def _long_columns(self, lang: str | None) -> dict[str, list[Any]]:
        n, k = len(self), len(self.nodes)

        def grid(per_node: Callable[[str], Sequence[Any]]) -> list[Any]:
            """Per-node columns interleaved row by row (region-year, then node)."""
            cells = np.empty((n, k), dtype=object)
            for j, code in enumerate(self.nodes):
                cells[:, j] = list(per_node(code))
            return list(cells.ravel().tolist())

        def index_only(values: Sequence[Any]) -> list[Any]:
            return grid(lambda code: values if code == self.index_code else [None] * n)

        bounds = {code: self.bounds(code) for code in self.nodes}
        labels = [None if b is None else b.label.get(lang) for b in self.predicate()]
        names = self._names()
        return {
            "region": list(np.repeat(np.asarray(self.regions, dtype=object), k).tolist()),
            "region_name": [names[region] for region in self.regions for _ in range(k)],
            "year": list(np.repeat(np.asarray(self.years, dtype=np.int64), k).tolist()),
            "framework": [self.framework] * (n * k),
            "edition": list(np.repeat(np.asarray(self.editions, dtype=object), k).tolist()),
            "node": list(self.nodes) * n,
            "value": grid(self.value),
            "exact": grid(self.exact),
            "published": grid(self.published),
            "low": grid(lambda c: [None if b is None else b[0] for b in bounds[c]]),
            "high": grid(lambda c: [None if b is None else b[1] for b in bounds[c]]),
            "given": grid(self.given),
            "missing": grid(self.n_missing),
            "derived": grid(self.derived),
            "predicate": index_only(labels),
            "consistent": index_only(self.consistent()),
        }

    def _wide_columns(self, lang: str | None) -> dict[str, list[Any]]:
        n = len(self)
        names = self._names()
        cols: dict[str, list[Any]] = {
            "region": list(self.regions),
            "region_name": [names[region] for region in self.regions],
            "year": list(self.years),
            "framework": [self.framework] * n,
            "edition": list(self.editions),
        }
        for code in self.nodes:
            cols[code] = list(self.value(code))
        bounds = self.bounds()
        cols["index_exact"] = list(self.exact())
        cols["index_low"] = [None if b is None else b[0] for b in bounds]
        cols["index_high"] = [None if b is None else b[1] for b in bounds]
        cols["index_given"] = list(self.given())
        cols["predicate"] = [None if b is None else b.label.get(lang) for b in self.predicate()]
        cols["missing"] = list(self.n_missing())
        cols["consistent"] = list(self.consistent())
        return cols

    def to_long(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One dict per region, year and node.

        Keys: ``region, region_name, year, framework, edition, node, value, exact,
        published, low, high, given, missing, derived``, and for the index row
        ``predicate`` (its label in *lang*) and ``consistent`` (``None`` on other rows).
        Numbers are :class:`~decimal.Decimal`.
        """
        return _rows(self._long_columns(lang))

    def to_wide(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One dict per region-year.

        Keys: ``region, region_name, year, framework, edition``, one key per node (its value), then
        ``index_exact, index_low, index_high, index_given, predicate, missing,
        consistent`` of the index.
        """
        return _rows(self._wide_columns(lang))

    def to_frame(
        self,
        backend: Any = None,
        *,
        like: Any = None,
        layout: Layout = "long",
        lang: str | None = None,
        numbers: Literal["decimal", "str"] = "decimal",
    ) -> Any:
        """The result as a data frame of the caller's library, through :mod:`narwhals`.

        Args:
            backend: ``"pandas"`` (the default), ``"polars"``, ``"pyarrow"`` or the module itself.
            like: A frame whose library to use instead (e.g. the frame you scored).
            layout: ``long`` (:meth:`to_long`) or ``wide`` (:meth:`to_wide`).
            lang: Language of the predicate labels.
            numbers: ``decimal`` keeps numbers as decimals (an object column in pandas, a
                ``Decimal`` column in polars); ``str`` writes them as text.

        Raises:
            ScoringError: *layout* is unknown.
            MissingExtraError: the library is not installed.
        """
        from kotacerdas._frames import frame

        if layout not in ("long", "wide"):
            raise ScoringError("panel.argument", name="layout", value=layout, choices="long, wide")
        cols = self._long_columns(lang) if layout == "long" else self._wide_columns(lang)
        if numbers == "str":
            cols = {
                k: [str(v) if isinstance(v, Decimal) else v for v in vs] for k, vs in cols.items()
            }
        return frame(cols, backend, like)


def _rows(cols: dict[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(cols)
    return [dict(zip(names, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def _group_names(
    by: PeerGroup | None, groups: Iterable[Hashable], lang: str | None = None
) -> dict[Hashable, str]:
    """What a person reads beside a built-in peer group's key: a province's or class's name."""
    from kotacerdas import regions

    names: dict[Hashable, str] = {}
    for group in set(groups) - {None}:
        if by == "province":
            province = regions.get(str(group))
            if province is not None:
                names[group] = province.name
        elif by == "population_class":
            found = next(
                (c for c in regions.SCDI_POPULATION_CLASSES.classes if c.code == group), None
            )
            if found is not None:
                names[group] = found.label.get(lang)
    return names


def _group_sort(group: Hashable) -> tuple[bool, str]:
    return (group is None, str(group))


PanelResult.__module__ = "kotacerdas.panel"  # its public home, for docs, pickles and reprs
