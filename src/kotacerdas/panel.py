"""Panels: the official index of many regions and years in one call, exactly.

Ranking the kabupaten and kota of a province, or following 514 of them over ten years,
means scoring thousands of assessments.  :func:`score_panel` does it in one vectorised
pass and gives the numbers :func:`kotacerdas.scoring.score` gives one assessment at a
time — to the last digit, bounds and missing counts included.

Why it can be both fast and exact: published scores are decimals with a few places,
that is, integers in disguise.  Every value becomes a 64-bit integer in fixed point
(``3.60`` → ``3600`` at 10⁻³), every weight an integer over its own denominator
(GM100SC's 0.10 is 1 of 10; SPBE's 1.3 of 100 is 13 of 1000), and every weighted mean an
integer sum, checked for overflow.  Bounds (each input ± half a unit of its last written
place, clamped to the scale) and half-up publication rounding are integer arithmetic
too.  No binary floating point is involved anywhere, and :class:`~decimal.Decimal` values
are built only when results are read out.

>>> rows = [
...     {"region": "Kota Kediri", "year": 2022, "framework": "gm100sc", "edition": "2022",
...      "node": node, "value": value}
...     for node, value in [("BASE", "3.60"), ("OUT", "3.21"), ("OUTC", "3.23"),
...                         ("IMP", "3.07"), ("QW", "3.65"), ("INDEX", "3.31")]
... ]
>>> panel = score_panel(rows)
>>> panel.keys
(('35.71', 2022),)
>>> panel.exact()[0], panel.published()[0], panel.bounds()[0]
(Decimal('3.315'), Decimal('3.32'), (Decimal('3.310'), Decimal('3.320')))
>>> panel.given()[0], panel.consistent()[0]
(Decimal('3.31'), True)

Data comes as assessments, as a long table (the CSV columns ``region, year, framework,
edition, node, value[, stage]``, as dicts or a data frame) or as a wide table (one
column per node).  pandas and polars frames (anything :mod:`narwhals` reads) go in
and come back out through :meth:`PanelResult.to_frame`; neither library is needed
otherwise.  Bad input is refused with a :class:`~kotacerdas.errors.PanelError` that
lists every problem with its row and how to fix it: nothing is skipped silently.

This module is the entry point; the work is done in three private rooms, one layer on
the next: ``_fixed_point`` (the integer arithmetic), ``_panel_input`` (reading and
resolving the input) and ``_panel_result`` (:class:`PanelResult`: values, rankings and
tables).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

import attrs
import numpy as np

from kotacerdas._fixed_point import (
    _SAFE,
    Ints,
    Mask,
    _Arrays,
    _check_missing,
    _compute,
    _freeze,
    _Plan,
    _plan,
)
from kotacerdas._fixed_point import MAX_DECIMALS as _MAX_DECIMALS
from kotacerdas._panel_input import FINAL as FINAL  # kotacerdas.assessment.FINAL
from kotacerdas._panel_input import (
    _cell_where,
    _cells_where,
    _editions,
    _factorize_ints,
    _nodes,
    _parse_values,
    _Raw,
    _read,
    _regions,
    _stage_mask,
    _Values,
    _years,
)
from kotacerdas._panel_result import PanelResult
from kotacerdas.errors import PanelError, Problem, ScoringError
from kotacerdas.i18n import Phrase

if TYPE_CHECKING:
    from kotacerdas.model import Framework
    from kotacerdas.validation import ValueRule

__all__ = [
    "MAX_DECIMALS",
    "Layout",
    "MissingPolicy",
    "PanelResult",
    "PeerGroup",
    "RankMethod",
    "score_panel",
]


MissingPolicy: TypeAlias = Literal["fail", "omit", "keep"]
"""What to do when an input of the index is missing.

``fail``: refuse the panel and list the region-years and nodes that lack a value.
``omit``: drop missing inputs and renormalise the weights of the others (as
``scoring.score(..., missing="omit")``).  ``keep``: score what can be scored; an
aggregate with a missing input has no value, and the missing inputs are counted (as
``scoring.score(..., missing="keep")``, its default).
"""


RankMethod: TypeAlias = Literal["min", "dense", "ordinal"]
"""How tied values are ranked: ``min`` (1, 2, 2, 4), ``dense`` (1, 2, 2, 3) or
``ordinal`` (1, 2, 3, 4; ties ordered by region code)."""


Layout: TypeAlias = Literal["long", "wide"]
"""One row per region, year and node (``long``), or per region and year (``wide``)."""


PeerGroup: TypeAlias = (
    Literal["level", "province", "cohort", "population_class"]
    | Callable[[str], Hashable]
    | Mapping[str, Hashable]
)
"""A peer group for rankings: a built-in key, a function of the region code, or a mapping
from region (code or name) to group."""

MAX_DECIMALS: Final = _MAX_DECIMALS
"""The most decimal places an input value may have (fixed point stays within 64 bits)."""


def score_panel(
    data: Any,
    framework: Framework | str | Mapping[int, Framework | str] | None = None,
    *,
    stage: str = FINAL,
    missing: MissingPolicy = "fail",
    decimals: int | None = None,
    units: Iterable[str] = (),
    check: bool = True,
) -> PanelResult:
    """Score many regions and years at once, exactly as :func:`kotacerdas.scoring.score`.

    Args:
        data: Assessments; a long table (dicts or a data frame with the CSV columns
            ``region, year, framework, edition, node, value`` and an optional ``stage``);
            or a wide table (``region, year[, framework, edition]`` and one column per
            node code).  A pandas or polars frame, or anything :mod:`narwhals` reads.
            Regions may be codes or names (resolved with
            :func:`kotacerdas.regions.resolve`), nodes codes, aliases or labels.  Empty
            cells (None, null, pandas' NaN) are missing values.  Nodes of the edition
            that the index does not use (sub-dimensions, Quick Win criteria) play no part.
        framework: The edition, or its reference (``"gm100sc@2024"``), or a mapping
            year → edition (``{2022: "gm100sc@2022", 2023: "gm100sc@2023"}``); by
            default each row's own ``framework``/``edition``.  Given here, the data may
            omit those columns.  A panel may span editions of one framework, each row
            scored under its own (see :attr:`PanelResult.editions`); it may not mix
            frameworks.
        stage: Which stage's scores are the inputs (default ``final``); rows of other
            stages play no part.
        missing: ``fail`` (refuse, listing what is missing), ``omit`` (renormalise the
            weights of the inputs present) or ``keep`` (no value where an input is
            missing, and the count); see :data:`MissingPolicy`.
        decimals: Read every value as written with exactly this many decimals.  Values
            keep the decimals they are written with by default (``"3.60"`` has two);
            a binary float cannot, and reads as the shortest decimal it prints as
            (``3.6`` has one), which widens its bounds: pass ``decimals=2`` for a float
            column of two-decimal scores.
        units: Codes of assessed units that are not regions (e.g. central agencies
            under SPBE), besides those the framework names; they match by exact code.
        check: Apply the rules of :func:`kotacerdas.validation.validate` first (the
            default): assessments are validated one by one; a table is checked by the
            same rules at once (every score on its scale, rubric levels whole, no more
            decimals than the edition publishes, known stages, years from 1900 to the
            present).  A table holds published results (no evidence); missing inputs are
            left to *missing*.  ``False`` skips this, and the result says
            ``checked=False``.

    Raises:
        PanelError: the data cannot be scored as given; every problem is listed with its
            row (counting from 0, as ``DataFrame.iloc`` and list indexing do) or
            assessment, and the fix.  Problems found by the rules of validation carry
            the finding's code (``score.off-scale`` …).
        ScoringError: the framework has no index or aggregates other than by a weighted
            arithmetic mean (the node is named).
        FrameworkNotFoundError: the framework named is not bundled.
    """
    if missing not in ("fail", "omit", "keep"):
        raise ScoringError(
            "panel.argument", name="missing", value=missing, choices="fail, omit, keep"
        )
    if decimals is not None and (
        isinstance(decimals, bool)
        or not isinstance(decimals, int)
        or not 0 <= decimals <= MAX_DECIMALS
    ):
        raise ScoringError(
            "panel.argument", name="decimals", value=decimals, choices=f"0 … {MAX_DECIMALS}"
        )
    raw = _read(data)
    parts = _editions(raw, framework)
    scored = []
    for fw, records in parts:
        part = _score_edition(
            data, raw, fw, records, stage, missing, decimals, units, check, len(parts) > 1
        )
        if part is not None:
            scored.append(part)
    if not scored:
        raise PanelError([Problem("panel.no-stage", "", {"stage": stage})])
    return _combine(scored, stage, missing, check)


@attrs.frozen(eq=False)
class _Part:
    """The scores of the rows of one edition."""

    fw: Framework
    plan: _Plan
    regions: list[str]
    years: list[int]
    arrays: _Arrays


def _score_edition(
    data: Any,
    raw: _Raw,
    fw: Framework,
    records: Mask,
    stage: str,
    missing: MissingPolicy,
    decimals: int | None,
    units: Iterable[str],
    check: bool,
    several: bool,
) -> _Part | None:
    """Score the *records* of one edition; ``None`` when none of them has the stage."""
    plan = _plan(fw)
    problems: list[Problem] = []

    # Which records and cells take part: those of the edition and the stage.
    rec_ok = records.copy()
    cell_stage = None  # an assessment's stage is its scores'
    if raw.stage is not None:
        stages = _stage_mask(raw.stage, stage)
        if raw.layout == "assessments":
            cell_stage = stages
        else:
            rec_ok &= stages
    if not rec_ok.any():
        if several:
            return None
        raise PanelError([Problem("panel.no-stage", "", {"stage": stage})])

    region_codes, rec_region = _regions(raw, fw, rec_ok, problems, units)
    rec_year = _years(raw, rec_ok, problems)
    values = _parse_values(raw, decimals)
    node_cols = _nodes(raw, plan, problems, values, records)
    # The usual wide table: every cell takes part, each column one input of the index.
    whole = (
        raw.layout == "wide"
        and bool(rec_ok.all())
        and bool((node_cols >= 0).all())
        and len(set(node_cols.tolist())) == len(node_cols)
    )
    used = None if whole else _used(raw, rec_ok, cell_stage, node_cols)
    for cell, code, params in values.problems:
        if used is None or used[cell]:
            problems.append(Problem(code, _cell_where(raw, cell), params))
    if problems:
        raise PanelError(problems)
    if check:
        _check(data, raw, fw, values, rec_year, units, records)

    # Region-years: sorted by region code, then year.
    every_rec = bool(rec_ok.all())
    recs = None if every_rec else np.flatnonzero(rec_ok)
    rec_years = rec_year if recs is None else rec_year[recs]
    y0 = int(rec_years.min())
    span = int(rec_years.max()) - y0 + 1
    key = rec_region * span if recs is None else rec_region[recs] * span
    key += rec_years
    key -= y0
    keys, key_inv = _factorize_ints(key)
    if recs is None:
        rec_key = key_inv
    else:
        rec_key = np.full(raw.n, -1, dtype=np.int64)
        rec_key[recs] = key_inv
    n_keys = len(keys)
    key_region = np.asarray(region_codes, dtype=object)[keys // span].tolist()
    key_year = (keys % span + y0).tolist()

    if raw.layout != "long":
        counts = np.bincount(key_inv, minlength=n_keys)
        for k in np.flatnonzero(counts > 1).tolist():
            problems.append(
                Problem(
                    "panel.duplicate-key",
                    raw.where_many(np.flatnonzero(rec_key == k)),
                    {"region": key_region[k], "year": key_year[k]},
                )
            )
        if problems:
            raise PanelError(problems)

    # The matrix of the input columns some row gives a value of (nothing else is stored).
    if used is None:
        columns, present, mant, expo = _wide_matrix(raw, values, node_cols, rec_key)
    else:
        cells = None if used.all() else np.flatnonzero(used)  # None: every cell
        cell_key = raw.per_cell(rec_key)
        cols = node_cols[raw.cell_node_idx]
        if cells is not None:
            cell_key, cols = cell_key[cells], cols[cells]
        n_cols = len(plan.columns)
        mapped = node_cols[node_cols >= 0]
        # In a wide table (keys unique by now) a node repeats only under two column names.
        if raw.layout != "wide" or len(np.unique(mapped)) < len(mapped):
            twice = _duplicate_nodes(raw, plan, cells, cell_key * n_cols + cols, n_keys)
            if twice:
                raise PanelError(
                    [
                        Problem(
                            "panel.duplicate-node",
                            where,
                            {"region": key_region[k], "year": key_year[k], "node": node},
                        )
                        for k, node, where in twice
                    ]
                )
        columns, present, mant, expo = _cell_matrix(values, cells, cell_key, cols, n_keys, n_cols)

    computed = _compute(
        plan,
        columns,
        present,
        mant,
        expo,
        omit=missing == "omit",
    )
    if missing == "fail":
        _check_missing(plan, computed, key_region, key_year)
    return _Part(fw, plan, key_region, key_year, computed)


def _cell_matrix(
    values: _Values, cells: Ints | None, cell_key: Ints, cols: Ints, n_keys: int, n_cols: int
) -> tuple[Ints, Mask, Ints, Ints]:
    """The input columns given somewhere, and their presence, mantissas and exponents per key.

    *cells* are those that take part (``None``: every cell), with their key and column.
    """
    given = ~values.null if cells is None else ~values.null[cells]
    if not given.all():
        cells = np.flatnonzero(given) if cells is None else cells[given]
        cell_key, cols = cell_key[given], cols[given]
    columns = np.flatnonzero(np.bincount(cols, minlength=n_cols))
    local = np.full(n_cols, -1, dtype=np.int64)
    local[columns] = np.arange(len(columns))
    at = cell_key * len(columns) + local[cols]
    present = np.zeros(n_keys * len(columns), dtype=bool)
    mant = np.zeros(n_keys * len(columns), dtype=np.int64)
    expo = np.zeros(n_keys * len(columns), dtype=np.int64)
    present[at] = True
    mant[at] = values.mantissa if cells is None else values.mantissa[cells]
    expo[at] = values.exponent if cells is None else values.exponent[cells]
    shape = (n_keys, len(columns))
    return columns, present.reshape(shape), mant.reshape(shape), expo.reshape(shape)


def _used(raw: _Raw, rec_ok: Mask, cell_stage: Mask | None, node_cols: Ints) -> Mask:
    """Which cells take part: of a record that does, of the stage, of an input of the index."""
    if not raw.n_cells:
        return np.zeros(0, dtype=bool)
    used = raw.per_cell(rec_ok) & (node_cols[raw.cell_node_idx] >= 0)
    return used if cell_stage is None else used & cell_stage


def _wide_matrix(
    raw: _Raw, values: _Values, node_cols: Ints, rec_key: Ints
) -> tuple[Ints, Mask, Ints, Ints]:
    """:func:`_cell_matrix` of a wide table whose every cell takes part, column by column.

    Each of its node columns is one input column and each row one key: the values, held
    column after column, are the matrix as they are (transposed), reordered only when the
    columns or the rows are not in order.
    """
    shape = (len(raw.chunks), raw.n)
    given: Mask = ~values.null.reshape(shape)
    mant, expo = values.mantissa.reshape(shape), values.exponent.reshape(shape)
    some = [i for i in np.argsort(node_cols, kind="stable").tolist() if given[i].any()]
    if some != list(range(shape[0])):
        given, mant, expo = given[some], mant[some], expo[some]
    if len(rec_key) and not bool((rec_key[1:] > rec_key[:-1]).all()):  # rows out of key order
        order = np.argsort(rec_key)
        given, mant, expo = given[:, order], mant[:, order], expo[:, order]
    return node_cols[some], given.T, mant.T, expo.T


def _duplicate_nodes(
    raw: _Raw, plan: _Plan, cells: Ints | None, slot: Ints, n_keys: int
) -> list[tuple[int, str, Phrase]]:
    """Each region-year (its row) and input node given more than once, and where.

    *slot* is each cell's key and column; *cells* the cells (``None``: every cell).
    """
    n_cols = len(plan.columns)
    seen = np.zeros(n_keys * n_cols, dtype=bool)
    seen[slot] = True
    if np.count_nonzero(seen) == len(slot):  # the usual case: no slot twice
        return []
    if cells is None:
        cells = np.arange(len(slot))
    return [
        (s // n_cols, plan.columns[s % n_cols], _cells_where(raw, cells[slot == s]))
        for s in np.flatnonzero(np.bincount(slot, minlength=n_keys * n_cols) > 1).tolist()
    ]


def _combine(parts: list[_Part], stage: str, missing: MissingPolicy, check: bool) -> PanelResult:
    """One result from the parts of each edition, rows sorted by region, then year."""
    first = parts[0]
    fixed = f"int64 fixed point, 10^-{max(p.arrays.scale for p in parts)}"
    method = f"official weighted arithmetic, exact ({fixed}); levels=claimed; missing={missing}"
    if len(parts) == 1:
        return PanelResult(
            framework=first.fw.id,
            edition=first.fw.edition,
            index_code=first.plan.index,
            method=method,
            stage=stage,
            missing=missing,
            regions=tuple(first.regions),
            years=tuple(first.years),
            nodes=first.plan.nodes,
            plan=first.plan,
            arrays=first.arrays,
            checked=check,
        )
    same = ("nodes", "index", "decimals", "bound_places", "kinds")
    for p in parts[1:]:
        differs = [a for a in same if getattr(p.plan, a) != getattr(first.plan, a)]
        if differs or p.fw.predicates != first.fw.predicates:
            refs = f"{first.fw.ref}, {p.fw.ref}"
            raise PanelError([Problem("panel.editions-differ", "", {"refs": refs})])
    regions = [r for p in parts for r in p.regions]
    years = [y for p in parts for y in p.years]
    editions = [p.fw.edition for p in parts for _ in p.regions]
    order = sorted(range(len(regions)), key=lambda i: (regions[i], years[i]))
    problems = [
        Problem(
            "panel.duplicate-key",
            f"{editions[i]}, {editions[j]}",
            {"region": regions[i], "year": years[i]},
        )
        for i, j in itertools.pairwise(order)
        if (regions[i], years[i]) == (regions[j], years[j])
    ]
    if problems:
        raise PanelError(problems)
    arrays = _stack([p.arrays for p in parts], np.asarray(order, dtype=np.int64))
    return PanelResult(
        framework=first.fw.id,
        edition=",".join(dict.fromkeys(p.fw.edition for p in parts)),
        index_code=first.plan.index,
        method=method,
        stage=stage,
        missing=missing,
        regions=tuple(regions[i] for i in order),
        years=tuple(years[i] for i in order),
        nodes=first.plan.nodes,
        plan=first.plan,
        arrays=arrays,
        checked=check,
        row_editions=tuple(editions[i] for i in order),
        weights={p.fw.edition: _weights_of(p.fw) for p in parts},
    )


def _weights_of(fw: Framework) -> dict[str, Fraction]:
    """Each weighted node's share of its parent: what differs between editions' methods."""
    return {n.code: share for n in fw if (share := fw.share(n.code)) is not None}


def _stack(parts: list[_Arrays], order: Ints) -> _Arrays:
    """The rows of *parts*, one after the other, then in *order*.

    Each part keeps its patterns (offset past those of the parts before it); a node is
    stored if any part stores it.
    """
    parts = [a.stored_all() for a in parts]
    offsets = np.cumsum([0, *(len(a.lacking) for a in parts)])[:-1]
    k = len(parts[0].stored)

    def union(at: str, tables: tuple[str, ...]) -> tuple[Ints, list[Any]]:
        nodes = np.flatnonzero(np.any([getattr(a, at) >= 0 for a in parts], axis=0))
        where = np.full(k, -1, dtype=np.int64)
        where[nodes] = np.arange(len(nodes))
        out = []
        for name in tables:
            blocks = []
            for a in parts:
                table = getattr(a, name)
                block = np.zeros((len(a), len(nodes)), dtype=table.dtype)
                mine = getattr(a, at)[nodes]
                block[:, mine >= 0] = table[:, mine[mine >= 0]]
                blocks.append(block)
            out.append(np.concatenate(blocks)[order])
        return where, out

    stored, (num, low, high, published) = union("stored", ("num", "low", "high", "published"))
    given_at, (given_m, given_e, given_ok) = union("given_at", ("given_m", "given_e", "given_ok"))
    arrays = _Arrays(
        scale=max(a.scale for a in parts),
        patterns=np.concatenate([a.patterns + o for a, o in zip(parts, offsets, strict=True)])[
            order
        ],
        lacking=tuple(x for a in parts for x in a.lacking),
        den=np.concatenate([a.den for a in parts]),
        valid=np.concatenate([a.valid for a in parts]),
        missing=np.concatenate([a.missing for a in parts]),
        derived=np.concatenate([a.derived for a in parts]),
        stored=stored,
        num=num,
        low=low,
        high=high,
        published=published,
        given_at=given_at,
        given_m=given_m,
        given_e=given_e,
        given_ok=given_ok,
        consistent=np.concatenate([a.consistent for a in parts])[order],
        copy_of=np.full(k, -1, dtype=np.int64),  # every node is stored
        floor=np.full(given_m.shape[1], -_SAFE, dtype=np.int64),  # so these are not read
        ceiling=np.full(given_m.shape[1], _SAFE, dtype=np.int64),
        exact_input=np.zeros(given_m.shape[1], dtype=bool),
        places=parts[0].places,
        half_even=parts[0].half_even,
    )
    _freeze(arrays)
    return arrays


# -- the rules of validation, on a whole table at once ---------------------------------------------


def _check(
    data: Any,
    raw: _Raw,
    fw: Framework,
    values: _Values,
    rec_year: Ints,
    units: Iterable[str],
    records: Mask,
) -> None:
    """Refuse what :func:`kotacerdas.validation.validate` calls an error (bar missing inputs)."""
    from kotacerdas import validation

    problems: list[Problem] = []
    if raw.layout == "assessments":
        for i, a in enumerate(data):
            if not records[i]:
                continue  # another edition's
            report = validation.validate(a, fw, units=units, check_edition=False)
            problems.extend(
                Problem(f.code, raw.where(i) + f", {f.path}" if f.path else raw.where(i), f.params)
                for f in report.errors
                if f.code != "score.missing"  # the panel's missing policy decides
            )
    else:
        problems += _check_years(raw, rec_year, records)
        problems += _check_stages(raw, fw, records)
        problems += _check_values(raw, fw, values, records)
    if problems:
        raise PanelError(problems)


def _check_years(raw: _Raw, rec_year: Ints, records: Mask) -> list[Problem]:
    import datetime as dt

    from kotacerdas.assessment import YEAR_MAX, YEAR_MIN

    out: list[Problem] = []
    this_year = dt.datetime.now(dt.UTC).year
    span = {"minimum": YEAR_MIN, "maximum": YEAR_MAX}
    for bad, code in (
        (records & ((rec_year < YEAR_MIN) | (rec_year > YEAR_MAX)), "assessment.year"),
        (records & (rec_year > this_year) & (rec_year <= YEAR_MAX), "assessment.year-future"),
    ):
        rows = np.flatnonzero(bad)
        if len(rows):
            year = int(rec_year[rows[0]])
            params = {"value": year, **span} if code == "assessment.year" else {"year": year}
            out.append(Problem(code, raw.where_many(rows), params))
    return out


def _check_stages(raw: _Raw, fw: Framework, records: Mask) -> list[Problem]:
    from kotacerdas.validation import stages_of

    if raw.stage is None:
        return []
    known = stages_of(fw)
    texts, idx = raw.stage
    out = []
    for i, text in enumerate(texts):
        stage = text.strip()
        if stage and stage not in known:
            rows = np.flatnonzero((idx == i) & records)
            if not len(rows):
                continue
            params = {"stage": stage, "stages": ", ".join(sorted(known))}
            out.append(Problem("score.stage-unknown", raw.where_many(rows), params))
    return out


def _check_values(raw: _Raw, fw: Framework, values: _Values, records: Mask) -> list[Problem]:
    """Every given value of *records* against its node's rule, exactly.

    The rule is the node's :class:`~kotacerdas.validation.ValueRule`.  Integer arithmetic
    on ``mantissa × 10^-decimals``: per number of decimals written, the scale's ends
    become integer bounds on the mantissa, compared with every value at once.
    """
    if not raw.n_cells:
        return []
    texts = tuple(raw.cell_node)
    given = ~values.null
    for cell, _, _ in values.problems:
        given[cell] = False
    m, e = values.mantissa, values.exponent
    node: Ints  # each value's rule
    if raw.layout == "wide":  # column after column: one rule per column, one per row
        shape = (len(raw.chunks), raw.n)
        m, e, given = m.reshape(shape), e.reshape(shape), given.reshape(shape) & records
        node = np.arange(shape[0])[:, None]
    else:
        given &= raw.per_cell(records)
        node = raw.cell_node_idx
    bad = np.zeros(m.shape, dtype=bool)
    first, last = int(e.min()), int(e.max())  # usually every value alike
    for d in range(first, last + 1):
        cells = given if first == last else given & (e == d)
        if not cells.any():
            continue
        low, high, whole, places = _integer_rules(fw, texts, d)
        # The usual panel: every value within the narrowest of the rules is within its own.
        if (
            first == last
            and not whole.any()
            and d <= int(places.min())
            and int(m.min()) >= int(low.max())
            and int(m.max()) <= int(high.min())
        ):
            continue
        wrong = (m < low[node]) | (m > high[node]) | (d > places[node])
        if whole.any():
            wrong |= whole[node] & (m % 10**d != 0)
        bad |= wrong & cells
    out: list[Problem] = []
    rules = _value_rules(fw, texts)
    flat_m, flat_e = values.mantissa, values.exponent
    for cell in np.flatnonzero(bad).tolist():
        rule = rules[int(raw.cell_node_idx[cell])]
        assert rule is not None
        value = Decimal(int(flat_m[cell])).scaleb(-int(flat_e[cell]))
        for code, params in rule.problems(value):
            out.append(Problem(code, _cell_where(raw, cell), params))
    return out


@functools.lru_cache(maxsize=64)
def _value_rules(fw: Framework, texts: tuple[str, ...]) -> tuple[ValueRule | None, ...]:
    """The rule of each node text's node (``None``: unknown, or no rule), per edition."""
    from kotacerdas.validation import value_rule

    return tuple(None if (node := fw.get(text)) is None else value_rule(fw, node) for text in texts)


@functools.lru_cache(maxsize=64)
def _integer_rules(fw: Framework, texts: tuple[str, ...], d: int) -> tuple[Ints, Ints, Mask, Ints]:
    """The rule of each node text for the mantissas of values written with *d* decimals.

    Per node text: the lowest and highest mantissa, whether it must be whole, and the most
    decimals it allows.  Cached per edition (the arrays are read-only).
    """
    rules = _value_rules(fw, texts)
    unit = 10**d
    limit = 2**62
    low = np.full(len(rules), -limit, dtype=np.int64)
    high = np.full(len(rules), limit, dtype=np.int64)
    whole = np.zeros(len(rules), dtype=bool)
    places = np.full(len(rules), 99, dtype=np.int64)
    for i, r in enumerate(rules):
        if r is None:
            continue
        low[i] = max(-limit, math.ceil(Fraction(r.minimum) * unit))
        high[i] = min(limit, math.floor(Fraction(r.maximum) * unit))
        whole[i] = r.integral
        places[i] = 99 if r.decimals is None else r.decimals
    for table in (low, high, whole, places):
        table.setflags(write=False)
    return low, high, whole, places
