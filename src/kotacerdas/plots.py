"""Publication figures of scores, panels and rankings (matplotlib, the ``[plots]`` extra).

Each function draws on the :class:`~matplotlib.axes.Axes` it is given (``ax=``), or on a
new figure of a suitable size, and returns the axes.  None changes matplotlib's global
style or calls ``show()``: a figure drops into a paper's own layout, and the same call
draws the figures of an HTML report.  Regions are labelled by name, not by code, and
every text is in Bahasa Indonesia (``lang="id"``, the default) or English.

>>> from kotacerdas import assessment, plots, scoring
>>> result = scoring.score(assessment.read_one("examples/tabalong-2023.json"))
>>> ax = plots.contributions(result, lang="en")
>>> ax.get_title()
'Kabupaten Tabalong 2023: where the index comes from'

matplotlib is imported only when a function is called, so ``import kotacerdas.plots``
costs nothing, and a missing matplotlib is a clear
:class:`~kotacerdas.errors.MissingExtraError`.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

from kotacerdas.errors import KotaCerdasError, MissingExtraError, ScoringError
from kotacerdas.i18n import Lang, resolve_language

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from kotacerdas.model import Framework
    from kotacerdas.panel import PanelResult
    from kotacerdas.scoring import Result
    from kotacerdas.uncertainty import RankInterval, UncertaintyResult

__all__ = [
    "STYLE",
    "Intervals",
    "contributions",
    "heatmap",
    "profile",
    "rank_shift",
    "ranking",
    "spbe_profile",
    "trend",
]

STYLE: Mapping[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8.0,
    "svg.fonttype": "none",
    "svg.hashsalt": "kotacerdas",
}
"""The settings every figure is drawn with (applied locally, never globally).

DejaVu Sans ships with matplotlib, so a figure looks the same on every machine.
"""

# Okabe & Ito's palette: distinguishable with every common colour-vision deficiency.
_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_GREY = "#9a9a9a"

_TEXT: Mapping[str, tuple[str, str]] = {
    "index": ("Indeks", "Index"),
    "contrib.title": (
        "{region} {year}: asal nilai indeks",
        "{region} {year}: where the index comes from",
    ),
    "contrib.x": (
        "kontribusi terhadap indeks (bobot × nilai)",
        "contribution to the index (weight × score)",
    ),
    "bounds": ("rentang dari masukan yang dibulatkan", "range the rounded inputs allow"),
    "profile.title": ("{region} {year}: profil dimensi", "{region} {year}: dimension profile"),
    "score": ("nilai", "score"),
    "year": ("tahun", "year"),
    "trend.title": ("{node} per tahun", "{node} by year"),
    "edition": ("edisi {ref}", "edition {ref}"),
    "edition.weights": ("edisi {ref} (bobot berubah)", "edition {ref} (weights change)"),
    "heatmap.title.year": ("{node} per wilayah dan tahun", "{node} by region and year"),
    "heatmap.title.node": ("Komponen per wilayah, {year}", "Components by region, {year}"),
    "rank": ("peringkat", "rank"),
    "rank.title": ("Peringkat {node}", "Ranking on {node}"),
    "rank.interval": ("rentang peringkat", "rank interval"),
    "rank.nominal": ("peringkat nominal", "nominal rank"),
    "shift.title": ("Pergeseran peringkat", "Rank shift"),
    "spbe.title": ("{region} {year}: profil {level}", "{region} {year}: {level} profile"),
    "domain": ("domain", "domain"),
    "aspect": ("aspek", "aspect"),
    "no-data": ("tidak ada data", "no data"),
}


class _RankInterval(Protocol):
    """Anything with a lower and an upper rank."""

    @property
    def lower(self) -> float: ...  # pragma: no cover

    @property
    def upper(self) -> float: ...  # pragma: no cover


Intervals: TypeAlias = Mapping[str, "tuple[float, float] | RankInterval | _RankInterval"]
"""Rank intervals by region (code or name): ``(lower, upper)`` pairs,
:class:`~kotacerdas.uncertainty.RankInterval` objects (their ``rank_low`` and
``rank_high``), or any objects with ``lower`` and ``upper`` attributes."""


# -- helpers ------------------------------------------------------------------------------------


def _mpl() -> Any:
    try:
        return importlib.import_module("matplotlib")
    except ImportError as exc:
        raise MissingExtraError("extra.missing", package="matplotlib", extra="plots") from exc


@contextlib.contextmanager
def _style() -> Iterator[Any]:
    mpl = _mpl()
    with mpl.rc_context(dict(STYLE)):
        yield mpl


def _axes(ax: Axes | None, size: tuple[float, float], polar: bool = False) -> Axes:
    if ax is not None:
        return ax
    plt = importlib.import_module("matplotlib.pyplot")
    fig = plt.figure(figsize=size, layout="constrained")
    new: Axes = fig.add_subplot(projection="polar" if polar else None)
    return new


def _plain(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _t(key: str, lang: Lang, **params: object) -> str:
    text = _TEXT[key][0 if lang == "id" else 1]
    return _safe(text.format(**params)) if params else text


def _safe(text: str) -> str:
    """*text* shown as written: ``$`` would start mathtext in matplotlib."""
    return text.replace("$", r"\$")


def _region_name(code: str) -> str:
    """The name of region *code* (``63.09`` → ``Kabupaten Tabalong``), or *code* if unknown."""
    from kotacerdas import regions

    found = regions.get(code)
    return found.name if found is not None else code


def _name(key: str) -> str:
    """A region given by code or name, as its name."""
    from kotacerdas import regions

    found = regions.get(key)
    if found is not None:
        return found.name
    try:
        return regions.resolve(key).name
    except Exception:  # an assessed unit that is not a region: show what was given
        return key


def _num(value: Decimal | float | int | str) -> float:
    return float(Decimal(value) if isinstance(value, str) else value)


def _label(fw: Framework, code: str, lang: Lang) -> str:
    return _safe(fw.node(code).label.get(lang))


def _framework(ref: Framework | str) -> Framework:
    from kotacerdas import frameworks

    return frameworks.load(ref) if isinstance(ref, str) else ref


def _scale(fw: Framework, code: str | None = None) -> tuple[float, float]:
    node = fw.get(code) if code else None
    scale = (node.scale if node is not None else None) or fw.scale
    if scale is None:
        return 0.0, 1.0
    return float(scale.minimum), float(scale.maximum)


def _shown(value: Decimal | None) -> str:
    """*value* as a reader sees it: as written, or ``≈`` two decimals if it does not terminate."""
    if value is None:
        return "—"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -6:
        return f"≈{value:.2f}"
    return str(value)


# -- one result ---------------------------------------------------------------------------------


def contributions(
    result: Result,
    *,
    framework: Framework | str | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Where an index comes from: each input's weighted contribution, stacked, and the index.

    A waterfall, one row per weighted input of the index (``Baseline … Quick Win``), each
    bar starting where the previous one ends, then the index itself with the interval
    its rounded inputs allow.

    Args:
        result: A :func:`kotacerdas.scoring.score` result.
        framework: The edition it was scored with (default: the one it names).
        ax: Axes to draw on (default: a new figure).
        lang: ``"id"`` or ``"en"`` (default: :func:`kotacerdas.i18n.default_language`).
    """
    lang_ = resolve_language(lang)
    fw = _framework(framework or result.framework_ref)
    parts = result.contributions()
    idx = result.index
    codes = list(parts)
    lo, hi = _scale(fw, result.index_code)
    with _style():
        ax = _axes(ax, (6.4, 0.45 * (len(codes) + 1) + 1.2))
        start = 0.0
        for i, code in enumerate(codes):
            width = float(parts[code])
            ax.barh(i, width, left=start, color=_COLOURS[i % len(_COLOURS)], height=0.62)
            share = fw.share(code)
            pct = "" if share is None else f" ({float(share) * 100:g}%)"
            node = result.nodes[code]
            value = "—" if node.value is None else str(node.value)
            ax.text(
                start + width + 0.03 * (hi - lo),
                i,
                f"{_safe(value)} → +{parts[code]}{pct}",
                va="center",
                fontsize=8,
            )
            start += width
        row = len(codes)
        exact = float(idx.exact) if idx.exact is not None else 0.0
        ax.barh(row, exact, color="#333333", height=0.62)
        head = "—" if idx.value is None else str(idx.value)
        if idx.bounds is not None:
            low, high = (float(b) for b in idx.bounds)
            ax.errorbar(
                exact,
                row,
                xerr=[[exact - low], [high - exact]],
                fmt="none",
                ecolor=_COLOURS[5],
                capsize=4,
                lw=1.5,
                label=_t("bounds", lang_),
            )
            head += f"  [{idx.bounds[0]} – {idx.bounds[1]}]"
        ax.text(exact + 0.03 * (hi - lo), row, head, va="center", fontsize=8, weight="bold")
        labels = [_label(fw, c, lang_) for c in codes] + [_t("index", lang_)]
        ax.set_yticks(range(row + 1), labels=labels)
        ax.invert_yaxis()
        ax.set_xlim(min(lo, 0.0), hi * 1.3)
        ax.set_xlabel(_t("contrib.x", lang_))
        ax.set_title(
            _t("contrib.title", lang_, region=_region_name(result.region), year=result.year)
        )
        if idx.bounds is not None:
            ax.legend(loc="upper right", frameon=False)
        _plain(ax)
    return ax


def _dimension_scores(
    scores: Result | Mapping[str, Decimal | float | int | str], fw: Framework
) -> dict[str, float]:
    if isinstance(scores, Mapping):
        return {fw.node(k).code: _num(v) for k, v in scores.items()}
    return {
        n.code: float(s.value)
        for n in fw.nodes("dimension")
        if (s := scores.nodes.get(n.code)) is not None and s.value is not None
    }


def profile(
    scores: Result | Mapping[str, Decimal | float | int | str],
    *,
    kind: Literal["dot", "radar"] = "dot",
    framework: Framework | str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """The six-dimension profile: a sorted dot chart (the default) or a radar chart.

    A dot chart sorted by score is the honest choice: lengths along one axis compare
    at a glance, while a radar chart's area depends on the order of its spokes.  The
    radar is there because leadership slides ask for it.

    Args:
        scores: A result that has dimension scores, or a mapping from dimension code
            (``G``, ``B``, …) to score.
        kind: ``"dot"`` or ``"radar"`` (a radar needs polar axes when ``ax`` is given).
        framework: The edition for labels and scale (default: the result's, or
            ``gm100sc@2024`` for a mapping).
        title: The title (default: region and year of a result, else none).
        ax: Axes to draw on (default: a new figure).
        lang: ``"id"`` or ``"en"``.

    Raises:
        ScoringError: there are no dimension scores to show.
    """
    lang_ = resolve_language(lang)
    if framework is None:
        framework = "gm100sc@2024" if isinstance(scores, Mapping) else scores.framework_ref
    fw = _framework(framework)
    values = _dimension_scores(scores, fw)
    if not values:
        raise ScoringError("plot.no-dimensions", framework=fw.ref)
    if kind not in ("dot", "radar"):
        raise ScoringError("panel.argument", name="kind", value=kind, choices="dot, radar")
    if title is None and not isinstance(scores, Mapping):
        title = _t("profile.title", lang_, region=_region_name(scores.region), year=scores.year)
    lo, hi = _scale(fw, next(iter(values)))
    with _style() as mpl:
        if kind == "radar":
            ax = _axes(ax, (4.8, 4.8), polar=True)
            np = importlib.import_module("numpy")
            codes = [n.code for n in fw.nodes("dimension") if n.code in values]
            angles = np.linspace(0, 2 * np.pi, len(codes), endpoint=False)
            closed = np.concatenate([angles, angles[:1]])
            vals = [values[c] for c in codes]
            ax.plot(closed, [*vals, vals[0]], color=_COLOURS[0], lw=1.5)
            ax.fill(closed, [*vals, vals[0]], color=_COLOURS[0], alpha=0.2)
            ax.set_xticks(angles, labels=[_label(fw, c, lang_) for c in codes])
            ax.set_ylim(lo, hi)
            ax.set_yticks(list(range(int(lo) + 1, int(hi) + 1)))
            polar: Any = ax  # PolarAxes
            polar.set_rlabel_position(180 / len(codes))
            ax.tick_params(axis="y", labelsize=7, labelcolor="#777777")
            ax.tick_params(axis="x", pad=4)
            for label, angle in zip(ax.get_xticklabels(), angles, strict=True):
                cos = float(np.cos(angle))
                label.set_horizontalalignment(
                    "left" if cos > 0.1 else "right" if cos < -0.1 else "center"
                )
            for a, v in zip(angles, vals, strict=True):
                ax.text(a, v, f" {v:g}", fontsize=7.5, color=_COLOURS[0])
        else:
            ax = _axes(ax, (5.6, 0.38 * len(values) + 1.1))
            ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))
            ys = range(len(ordered))
            ax.hlines(ys, lo, [v for _, v in ordered], color="#dddddd", lw=1)
            ax.plot([v for _, v in ordered], ys, "o", color=_COLOURS[0], ms=6)
            for y, (_, v) in zip(ys, ordered, strict=True):
                ax.text(v + 0.04 * (hi - lo), y, f"{v:g}", va="center", fontsize=8)
            ax.set_yticks(ys, labels=[_label(fw, c, lang_) for c, _ in ordered])
            ax.invert_yaxis()
            ax.set_xlim(lo, hi * 1.08)
            ax.set_xlabel(_t("score", lang_))
            ax.xaxis.set_major_locator(mpl.ticker.MultipleLocator(1 if hi - lo <= 5 else None))
            _plain(ax)
        if title:
            ax.set_title(_safe(title))
    return ax


def spbe_profile(
    result: Result,
    *,
    level: Literal["domain", "aspect"] = "domain",
    framework: Framework | str | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """An SPBE result's domain or aspect indices against the predicate bands.

    The bands (*Kurang*, *Cukup*, *Baik*, *Sangat Baik*, *Memuaskan*) are shaded behind
    the bars, so a reader sees each score's predicate without a legend.

    Raises:
        ScoringError: the result has no scores at *level*, or the edition has no predicates.
    """
    lang_ = resolve_language(lang)
    fw = _framework(framework or result.framework_ref)
    nodes = [n for n in fw.nodes(level) if (s := result.nodes.get(n.code)) and s.value is not None]
    if not nodes or fw.predicates is None:
        raise ScoringError("plot.no-level", level=level, framework=fw.ref)
    lo, hi = _scale(fw, result.index_code)
    with _style():
        ax = _axes(ax, (6.4, 0.36 * len(nodes) + 1.4))
        shades = ("#f6d5d5", "#f9e6c8", "#fbf5c6", "#dcefd6", "#cfe6f3", "#dcd3ee")
        for i, band in enumerate(fw.predicates.bands):
            left = float(band.lower) if band.lower is not None else lo
            right = float(band.upper) if band.upper is not None else hi
            ax.axvspan(left, right, color=shades[i % len(shades)], lw=0, zorder=0)
            ax.text(
                (left + right) / 2,
                -0.9,
                _safe(band.label.get(lang_)),
                ha="center",
                va="bottom",
                fontsize=7,
                color="#555555",
            )
        ys = range(len(nodes))
        vals = [float(result.nodes[n.code].value or 0) for n in nodes]
        ax.barh(ys, vals, color=_COLOURS[0], height=0.55, zorder=2)
        for y, n in zip(ys, nodes, strict=True):
            v = result.nodes[n.code].value
            ax.text(float(v or 0) + 0.05, y, _shown(v), va="center", fontsize=7.5, zorder=3)
        ax.set_yticks(ys, labels=[f"{n.code} {_label(fw, n.code, lang_)}" for n in nodes])
        ax.set_ylim(len(nodes) - 0.5, -1.0)
        ax.set_xlim(lo, hi)
        ax.set_xlabel(_t("index", lang_))
        ax.set_title(
            _t(
                "spbe.title",
                lang_,
                region=_region_name(result.region),
                year=result.year,
                level=_t(level, lang_),
            )
        )
        _plain(ax)
    return ax


# -- panels -------------------------------------------------------------------------------------


class _Table:
    """Region-years and their values, from a panel or from single results."""

    def __init__(self, data: PanelResult | Sequence[Result]) -> None:
        if isinstance(data, Sequence):
            results = list(data)
            if not results:
                raise ScoringError("plot.no-data")
            self.regions = tuple(r.region for r in results)
            self.years = tuple(r.year for r in results)
            self.refs = tuple(r.framework_ref for r in results)
            last = max(results, key=lambda r: r.year)
            self.framework_ref = last.framework_ref
            self.index_code = last.index_code
            self.nodes: tuple[str, ...] = tuple(last.nodes)
            self._results: list[Result] | None = results
            self._panel: PanelResult | None = None
        else:
            self.regions, self.years = data.regions, data.years
            self.refs = (data.framework_ref,) * len(data)
            self.framework_ref, self.index_code = data.framework_ref, data.index_code
            self.nodes = data.nodes
            self._results, self._panel = None, data

    def values(self, node: str | None) -> list[Decimal | None]:
        code = node or self.index_code
        if self._panel is not None:
            return list(self._panel.value(node))
        assert self._results is not None
        return [s.value if (s := r.nodes.get(code)) is not None else None for r in self._results]

    def editions(self) -> list[tuple[int, str, bool]]:
        """``(year, ref, weights changed)`` for each year from which another edition applies."""
        from kotacerdas import frameworks

        fw = _framework(self.framework_ref)
        if self._panel is None:
            in_force = dict(sorted(zip(self.years, self.refs, strict=True)))
        else:
            bundled = sorted(
                (f.year, f.ref)
                for ref in frameworks.available()
                if (f := frameworks.load(ref)).id == fw.id and f.year is not None
            )
            in_force = {}
            for y in sorted(set(self.years)):
                applicable = [ref for year, ref in bundled if year <= y]
                if applicable:
                    in_force[y] = applicable[-1]
        out: list[tuple[int, str, bool]] = []
        previous: str | None = None
        for y, ref in sorted(in_force.items()):
            if previous is not None and ref != previous:
                out.append((y, ref, _weights(ref) != _weights(previous)))
            previous = ref
        return out


def _weights(ref: str) -> tuple[tuple[str, Decimal | None], ...]:
    fw = _framework(ref)
    return tuple((n.code, fw.global_weight(n.code)) for n in fw.leaves())


def trend(
    data: PanelResult | Sequence[Result],
    *,
    regions: Sequence[str] | None = None,
    node: str | None = None,
    editions: bool = True,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """Each region's score over the years, with the years a new framework edition applies.

    Args:
        data: A :func:`kotacerdas.panel.score_panel` result, or results of
            :func:`kotacerdas.scoring.score` (each with its own edition).
        regions: The regions to draw, by code or name (default: all).
        node: The node (default: the index).
        editions: Mark each year from which another edition of the framework applies
            (the results' own editions; for a panel, the bundled editions by year), and
            say when its weights changed: a jump there may be the method, not the region.
        ax: Axes to draw on (default: a new figure).
        lang: ``"id"`` or ``"en"``.
    """
    lang_ = resolve_language(lang)
    table = _Table(data)
    code = node or table.index_code
    wanted = None if regions is None else {_name(r) for r in regions}
    series: dict[str, list[tuple[int, float]]] = {}
    for region, year, v in zip(table.regions, table.years, table.values(node), strict=True):
        name = _region_name(region)
        if v is not None and (wanted is None or name in wanted):
            series.setdefault(name, []).append((year, float(v)))
    fw = _framework(table.framework_ref)
    with _style() as mpl:
        ax = _axes(ax, (6.4, 3.6))
        for i, (name, points) in enumerate(sorted(series.items())):
            xs, ys = zip(*sorted(points), strict=True)
            ax.plot(xs, ys, marker="o", ms=4, color=_COLOURS[i % len(_COLOURS)], label=_safe(name))
        if editions:
            for year, ref, changed in table.editions():
                ax.axvline(year - 0.5, color=_GREY, ls="--" if changed else ":", lw=1)
                key = "edition.weights" if changed else "edition"
                ax.text(
                    year - 0.45,
                    0.02,
                    _t(key, lang_, ref=ref),
                    transform=ax.get_xaxis_transform(),
                    fontsize=6.5,
                    color="#666666",
                    va="bottom",
                )
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlabel(_t("year", lang_))
        ax.set_ylabel(_label(fw, code, lang_))
        ax.set_title(_t("trend.title", lang_, node=fw.node(code).label.get(lang_)))
        if series:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        _plain(ax)
    return ax


def heatmap(
    data: PanelResult | Sequence[Result],
    *,
    columns: Literal["year", "node"] = "year",
    node: str | None = None,
    year: int | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """A panel as a table of colours: regions × years, or regions × the index's inputs.

    Args:
        data: A :func:`kotacerdas.panel.score_panel` result, or scoring results.
        columns: ``"year"`` (one node over the years) or ``"node"`` (the inputs of the
            index in one year).
        node: With ``columns="year"``, the node (default: the index).
        year: With ``columns="node"``, the year (default: the latest).
        ax: Axes to draw on (default: a new figure).
        lang: ``"id"`` or ``"en"``.

    Cells without a value are left blank and marked with a dash.
    """
    lang_ = resolve_language(lang)
    np = importlib.import_module("numpy")
    table = _Table(data)
    fw = _framework(table.framework_ref)
    names = sorted({_region_name(r) for r in table.regions})
    if columns == "year":
        cols = sorted(set(table.years))
        col_labels = [str(c) for c in cols]
        code = node or table.index_code
        cells = {
            (_region_name(r), y): v
            for r, y, v in zip(table.regions, table.years, table.values(node), strict=True)
        }
        grid = [[cells.get((n, c)) for c in cols] for n in names]
        title = _t("heatmap.title.year", lang_, node=fw.node(code).label.get(lang_))
        lo, hi = _scale(fw, code)
    elif columns == "node":
        year = year if year is not None else max(table.years)
        inputs = [c.code for c in fw.node(table.index_code).children if c.code in table.nodes]
        col_labels = [_label(fw, c, lang_) for c in inputs]
        rows = [i for i, y in enumerate(table.years) if y == year]
        names = [_region_name(table.regions[i]) for i in rows]
        per_node = {c: table.values(c) for c in inputs}
        grid = [[per_node[c][i] for c in inputs] for i in rows]
        title = _t("heatmap.title.node", lang_, year=year)
        lo, hi = _scale(fw, inputs[0] if inputs else None)
    else:
        raise ScoringError("panel.argument", name="columns", value=columns, choices="year, node")
    data_ = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in grid], dtype=float
    ).reshape(len(grid), len(col_labels))
    with _style() as mpl:
        ax = _axes(ax, (1.1 * len(col_labels) + 2.6, 0.42 * len(names) + 1.3))
        cmap = mpl.colormaps["YlGnBu"].with_extremes(bad="#f2f2f2")
        ax.imshow(data_, cmap=cmap, vmin=lo, vmax=hi, aspect="auto")
        mid = lo + 0.6 * (hi - lo)
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                colour = "white" if v is not None and float(v) > mid else "black"
                text = _shown(v)
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
        ax.set_xticks(range(len(col_labels)), labels=col_labels)
        ax.set_yticks(range(len(names)), labels=[_safe(n) for n in names])
        ax.tick_params(length=0)
        ax.xaxis.tick_top()
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(title, pad=18)
    return ax


def _ranks_of(
    ranks: PanelResult | UncertaintyResult | Mapping[str, int],
    year: int | None,
    node: str | None,
    lang: Lang,
) -> tuple[dict[str, float], dict[str, tuple[float, float]], str]:
    """Nominal ranks and intervals by region name, and what is ranked (for the title)."""
    if isinstance(ranks, Mapping):
        return {_name(k): float(v) for k, v in ranks.items()}, {}, _t("index", lang)
    from kotacerdas.panel import PanelResult

    if not isinstance(ranks, PanelResult):  # an uncertainty analysis
        analysis: UncertaintyResult = ranks
        rows = analysis.intervals()
        names = {r.unit: _safe(r.name) if r.name else _name(r.unit) for r in rows}
        nominal = {names[r.unit]: r.nominal_rank for r in rows if r.nominal_rank == r.nominal_rank}
        spans = {names[r.unit]: (r.rank_low, r.rank_high) for r in rows}
        try:
            what = _framework(analysis.framework).node(analysis.node).label.get(lang)
        except KotaCerdasError:  # a framework that is not bundled
            what = analysis.node
        return nominal, spans, what
    year = year if year is not None else max(ranks.years)
    rows_ = ranks.rank(node)
    out = {_region_name(r["region"]): r["rank"] for r in rows_ if r["year"] == year and r["rank"]}
    what = _framework(ranks.framework_ref).node(node or ranks.index_code).label.get(lang)
    return out, {}, f"{what}, {year}"


def _interval(value: tuple[float, float] | RankInterval | _RankInterval) -> tuple[float, float]:
    if isinstance(value, tuple):
        return float(value[0]), float(value[1])
    low, high = ("rank_low", "rank_high") if hasattr(value, "rank_low") else ("lower", "upper")
    return float(getattr(value, low)), float(getattr(value, high))


def ranking(
    ranks: PanelResult | UncertaintyResult | Mapping[str, int],
    *,
    intervals: Intervals | None = None,
    year: int | None = None,
    node: str | None = None,
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """A ranking, best first, with each region's rank interval when one is given.

    Args:
        ranks: A panel (ranked on *node* in *year*), an uncertainty analysis
            (:func:`kotacerdas.uncertainty.analyse`: its nominal ranks and rank
            intervals), or a mapping from region (code or name) to rank.
        intervals: Rank intervals by region (:data:`Intervals`), replacing an
            analysis's own.  A region without one shows its rank alone.
        year: With a panel, the year (default: the latest).
        node: With a panel, the node (default: the index).
        ax: Axes to draw on (default: a new figure).
        lang: ``"id"`` or ``"en"``.
    """
    lang_ = resolve_language(lang)
    nominal, spans, what = _ranks_of(ranks, year, node, lang_)
    if intervals is not None:
        spans = {_name(k): _interval(v) for k, v in intervals.items()}
    ordered = sorted(nominal.items(), key=lambda kv: (kv[1], kv[0]))
    with _style() as mpl:
        ax = _axes(ax, (5.6, 0.34 * len(ordered) + 1.3))
        ys = range(len(ordered))
        legend = _t("rank.interval", lang_)
        for y, (name, _) in zip(ys, ordered, strict=True):
            if name in spans:
                low, high = spans[name]
                ax.plot(
                    [low, high],
                    [y, y],
                    color=_COLOURS[1],
                    lw=3,
                    alpha=0.7,
                    solid_capstyle="butt",
                    label=legend,
                )
                legend = "_nolegend_"
        ax.plot(
            [r for _, r in ordered],
            ys,
            "o",
            color=_COLOURS[0],
            ms=5,
            label=_t("rank.nominal", lang_),
        )
        ax.set_yticks(ys, labels=[_safe(n) for n, _ in ordered])
        ax.set_ylim(len(ordered) - 0.5, -0.5)
        top = max([r for _, r in ordered] + [h for _, h in spans.values()] + [1])
        ax.set_xlim(0.5, top + 0.5)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.set_xlabel(_t("rank", lang_))
        ax.set_title(_t("rank.title", lang_, node=what), pad=22 if spans else 6)
        if spans:
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        ax.grid(axis="x", color="#eeeeee", lw=0.8)
        ax.set_axisbelow(True)
        _plain(ax)
    return ax


def rank_shift(
    before: Mapping[str, int],
    after: Mapping[str, int],
    *,
    labels: tuple[str, str] = ("A", "B"),
    ax: Axes | None = None,
    lang: str | None = None,
) -> Axes:
    """How ranks move between two methods (or editions, or years): a slope chart.

    Args:
        before: Rank of each region (code or name) under the first method.
        after: Rank of each region under the second.
        labels: What the two columns are called (``("bobot 2021", "bobot 2022")``).
        ax: Axes to draw on (default: a new figure).
        lang: ``"id"`` or ``"en"``.

    Regions ranked under only one method are left out.  Lines that go up are blue,
    down orange, unchanged grey.
    """
    lang_ = resolve_language(lang)
    a = {_name(k): int(v) for k, v in before.items()}
    b = {_name(k): int(v) for k, v in after.items()}
    both = sorted(set(a) & set(b), key=lambda n: (a[n], n))
    with _style():
        ax = _axes(ax, (5.6, 0.34 * len(both) + 1.4))
        for name in both:
            ra, rb = a[name], b[name]
            colour = _COLOURS[0] if rb < ra else _COLOURS[5] if rb > ra else _GREY
            ax.plot([0, 1], [ra, rb], color=colour, marker="o", ms=4, lw=1.5)
            ax.text(-0.04, ra, f"{_safe(name)}  {ra}", ha="right", va="center", fontsize=8)
            ax.text(1.04, rb, f"{rb}  {_safe(name)}", ha="left", va="center", fontsize=8)
        top = max([1, *a.values(), *b.values()])
        ax.set_ylim(top + 0.5, 0.5)
        ax.set_xlim(-0.9, 1.9)
        ax.set_xticks([0, 1], labels=[_safe(labels[0]), _safe(labels[1])])
        ax.xaxis.tick_top()
        ax.set_yticks([])
        for side in ("top", "right", "bottom", "left"):
            ax.spines[side].set_visible(False)
        ax.set_title(_t("shift.title", lang_), pad=16)
    return ax
