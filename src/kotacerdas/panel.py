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

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias

from kotacerdas._fixed_point import MAX_DECIMALS as _MAX_DECIMALS
from kotacerdas._fixed_point import _check_missing, _compute, _np, _plan
from kotacerdas._panel_input import FINAL as FINAL  # kotacerdas.assessment.FINAL
from kotacerdas._panel_input import (
    _cell_where,
    _cells_where,
    _framework,
    _nodes,
    _parse_values,
    _read,
    _regions,
    _stage_mask,
    _years,
)
from kotacerdas._panel_result import PanelResult
from kotacerdas.errors import PanelError, Problem, ScoringError

if TYPE_CHECKING:
    from kotacerdas.model import Framework

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
    framework: Framework | str | None = None,
    *,
    stage: str = FINAL,
    missing: MissingPolicy = "fail",
    decimals: int | None = None,
    units: Iterable[str] = (),
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
        framework: The edition, or its reference (``"gm100sc@2024"``); by default the
            one edition the data names.  The data may then omit ``framework`` and
            ``edition``.
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

    Raises:
        PanelError: the data cannot be scored as given; every problem is listed with its
            row (counting from 0, as ``DataFrame.iloc`` and list indexing do) or
            assessment, and the fix.
        ScoringError: the framework has no index or aggregates other than by a weighted
            arithmetic mean (the node is named).
        FrameworkNotFoundError: the framework named is not bundled.
    """
    np = _np()
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
    fw = _framework(raw, framework)
    plan = _plan(fw)
    problems: list[Problem] = []

    # Which records and cells take part: those of the stage.
    rec_ok = np.ones(raw.n, dtype=bool)
    cell_ok = np.ones(raw.n_cells, dtype=bool)
    if raw.stage is not None:
        stages = _stage_mask(raw.stage, stage)
        if raw.layout == "assessments":
            cell_ok &= stages
        else:
            rec_ok &= stages
            cell_ok &= rec_ok[raw.cell_rec]
    if not rec_ok.any():
        raise PanelError([Problem("panel.no-stage", "", {"stage": stage})])

    region_codes, rec_region = _regions(raw, fw, rec_ok, problems, units)
    rec_year = _years(raw, rec_ok, problems)
    node_cols = _nodes(raw, plan, problems)
    values = _parse_values(raw, decimals)
    cell_col = node_cols[raw.cell_node_idx] if raw.n_cells else np.zeros(0, dtype=np.int64)
    used = cell_ok & (cell_col >= 0)
    for cell, code, params in values.problems:
        if used[cell]:
            problems.append(Problem(code, _cell_where(raw, cell), params))
    if problems:
        raise PanelError(problems)

    # Region-years: sorted by region code, then year.
    recs = np.flatnonzero(rec_ok)
    y0 = int(rec_year[recs].min())
    span = int(rec_year[recs].max()) - y0 + 1
    rec_key_raw = rec_region * span + (rec_year - y0)
    keys, key_inv = np.unique(rec_key_raw[recs], return_inverse=True)
    rec_key = np.full(raw.n, -1, dtype=np.int64)
    rec_key[recs] = key_inv.reshape(-1)
    n_keys = len(keys)
    key_region = [region_codes[i] for i in (keys // span).tolist()]
    key_year = (keys % span + y0).tolist()

    if raw.layout != "long":
        counts = np.bincount(rec_key[recs], minlength=n_keys)
        for k in np.flatnonzero(counts > 1):
            dups = recs[rec_key[recs] == k]
            problems.append(
                Problem(
                    "panel.duplicate-key",
                    raw.where_many(dups),
                    {"region": key_region[k], "year": key_year[k]},
                )
            )
        if problems:
            raise PanelError(problems)

    # Cells → the matrix of input columns.
    cells = np.flatnonzero(used)
    cell_key = rec_key[raw.cell_rec[cells]]
    cols = cell_col[cells]
    n_cols = len(plan.columns)
    slot = cell_key * n_cols + cols
    order = np.argsort(slot, kind="stable")
    sorted_slot = slot[order]
    dup = np.flatnonzero(sorted_slot[1:] == sorted_slot[:-1])
    if len(dup):
        for s in np.unique(sorted_slot[dup]):
            where = cells[slot == s]
            k, c = divmod(int(s), n_cols)
            problems.append(
                Problem(
                    "panel.duplicate-node",
                    _cells_where(raw, where),
                    {"region": key_region[k], "year": key_year[k], "node": plan.columns[c]},
                )
            )
        raise PanelError(problems)

    present = np.zeros((n_keys, n_cols), dtype=bool)
    mant = np.zeros((n_keys, n_cols), dtype=np.int64)
    expo = np.zeros((n_keys, n_cols), dtype=np.int64)
    given = ~values.null[cells]
    present[cell_key[given], cols[given]] = True
    mant[cell_key[given], cols[given]] = values.mantissa[cells][given]
    expo[cell_key[given], cols[given]] = values.exponent[cells][given]

    computed = _compute(plan, present, mant, expo, omit=missing == "omit")
    if missing == "fail":
        _check_missing(plan, computed, key_region, key_year)
    return PanelResult(
        framework=fw.id,
        edition=fw.edition,
        index_code=plan.index,
        method=f"official weighted arithmetic, exact (int64 fixed point, 10^-{computed.scale}); "
        f"levels=claimed; missing={missing}",
        stage=stage,
        missing=missing,
        regions=tuple(key_region),
        years=tuple(key_year),
        nodes=plan.nodes,
        plan=plan,
        arrays=computed,
    )
