"""Figures: the numbers they show, no global side effects, and committed baseline images.

Each figure is drawn with the real data shipped in ``examples/`` (Kabupaten Tabalong's
2023 evaluation, Kalimantan Selatan 2021–2024) and Kota Kediri's published 2022 dimension
scores, then compared with ``tests/baseline/*.png`` within a tolerance.  To refresh the
baselines after an intended change: ``KOTACERDAS_UPDATE_BASELINES=1 pytest tests/test_plots.py``
and look at every changed image before committing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

pytest.importorskip("matplotlib")

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

from kotacerdas import assessment, plots, scoring
from kotacerdas.assessment import Assessment, Score
from kotacerdas.errors import ScoringError
from kotacerdas.panel import score_panel

ROOT = Path(__file__).resolve().parents[1]
BASELINE = Path(__file__).resolve().parent / "baseline"
TOLERANCE = 6.0  # RMS of 0–255 pixel values: text may shift a pixel between FreeType builds.
KEDIRI_DIMENSIONS = {"G": "2.75", "B": "2.75", "E": "3.5", "S": "3.33", "L": "3.33", "V": "2.75"}


def tabalong() -> scoring.Result:
    return scoring.score(assessment.read_one(ROOT / "examples" / "tabalong-2023.json"))


def kalsel() -> list[scoring.Result]:
    return [scoring.score(a) for a in assessment.read(ROOT / "examples" / "kalsel-2021-2024.json")]


def kalsel_panel() -> Any:
    """The Kalimantan Selatan panel under the 2024 weights (the same 10/20/30/20/20 since 2021)."""
    items = assessment.read(ROOT / "examples" / "kalsel-2021-2024.json")
    return score_panel([attrs.evolve(a, edition="2024") for a in items], "gm100sc@2024")


def spbe_result() -> scoring.Result:
    from kotacerdas import frameworks

    fw = frameworks.load("spbe@2020")
    codes = [n.code for n in fw.nodes("indicator")]
    levels = [3, 4, 2, 3, 5, 1, 3, 4]
    scores = tuple(Score(c, Decimal(levels[i % len(levels)])) for i, c in enumerate(codes))
    return scoring.score(Assessment("63.09", 2023, "spbe", "2020", scores=scores, kind="published"))


def _figure(size: tuple[float, float], polar: bool = False) -> tuple[Figure, Any]:
    fig = Figure(figsize=size, layout="constrained")
    return fig, fig.add_subplot(projection="polar" if polar else None)


def check_baseline(fig: Figure, name: str, tmp_path: Path) -> None:
    actual = tmp_path / f"{name}.png"
    fig.savefig(actual, dpi=72)
    expected = BASELINE / f"{name}.png"
    if os.environ.get("KOTACERDAS_UPDATE_BASELINES") or not expected.exists():
        expected.write_bytes(actual.read_bytes())
        if not os.environ.get("KOTACERDAS_UPDATE_BASELINES"):
            pytest.fail(f"no baseline {expected.name}: written now; look at it and commit it")
    diff = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert diff is None, diff


FIGURES: dict[str, tuple[tuple[float, float], bool, Callable[[Any], Any]]] = {
    "contributions-id": ((6.4, 2.9), False, lambda ax: plots.contributions(tabalong(), ax=ax)),
    "contributions-en": (
        (6.4, 2.9),
        False,
        lambda ax: plots.contributions(tabalong(), ax=ax, lang="en"),
    ),
    "profile-dot": (
        (5.6, 3.0),
        False,
        lambda ax: plots.profile(
            KEDIRI_DIMENSIONS, framework="gm100sc@2022", title="Kota Kediri 2022", ax=ax, lang="en"
        ),
    ),
    "profile-radar": (
        (4.8, 4.8),
        True,
        lambda ax: plots.profile(
            KEDIRI_DIMENSIONS,
            kind="radar",
            framework="gm100sc@2022",
            title="Kota Kediri 2022",
            ax=ax,
            lang="en",
        ),
    ),
    "trend": ((6.6, 3.2), False, lambda ax: plots.trend(kalsel(), ax=ax, lang="en")),
    "heatmap-years": ((6.0, 3.0), False, lambda ax: plots.heatmap(kalsel(), ax=ax, lang="en")),
    "heatmap-nodes": (
        (6.6, 2.6),
        False,
        lambda ax: plots.heatmap(kalsel(), columns="node", year=2023, ax=ax, lang="en"),
    ),
    "ranking-intervals": (
        (5.6, 2.6),
        False,
        lambda ax: plots.ranking(
            kalsel_panel(),
            year=2021,
            intervals={
                "63.09": (1, 2),
                "Kabupaten Banjar": (1, 4),
                "63.72": (2, 4),
                "63.71": (3, 4),
            },
            ax=ax,
            lang="en",
        ),
    ),
    "rank-shift": (
        (5.6, 2.6),
        False,
        lambda ax: plots.rank_shift(
            {"63.09": 1, "63.03": 2, "63.72": 3, "63.71": 4},
            {"63.09": 2, "63.03": 1, "63.72": 3, "63.71": 4},
            labels=("2021 weights", "alternative"),
            ax=ax,
            lang="en",
        ),
    ),
    "spbe-domains": (
        (6.6, 2.6),
        False,
        lambda ax: plots.spbe_profile(spbe_result(), ax=ax, lang="en"),
    ),
    "spbe-aspects": (
        (6.6, 3.8),
        False,
        lambda ax: plots.spbe_profile(spbe_result(), level="aspect", ax=ax, lang="en"),
    ),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_matches_its_baseline(name: str, tmp_path: Path) -> None:
    size, polar, draw = FIGURES[name]
    fig, ax = _figure(size, polar)
    assert draw(ax) is ax
    check_baseline(fig, name, tmp_path)


def test_no_global_state_changes() -> None:
    import matplotlib.pyplot as plt

    before = dict(mpl.rcParams)
    figures = plt.get_fignums()
    for size, polar, draw in FIGURES.values():
        _fig, ax = _figure(size, polar)
        draw(ax)
    assert plt.get_fignums() == figures  # drew on the axes given, opened no window
    assert dict(mpl.rcParams) == before


def test_without_axes_a_new_figure_is_made() -> None:
    import matplotlib.pyplot as plt

    ax = plots.contributions(tabalong())
    try:
        assert ax.figure is not None
        assert ax.get_title() == "Kabupaten Tabalong 2023: asal nilai indeks"
    finally:
        plt.close(ax.figure)  # type: ignore[arg-type]


def texts(ax: Any) -> str:
    found = [t.get_text() for t in ax.texts] + [ax.get_title(), ax.get_xlabel(), ax.get_ylabel()]
    found += [t.get_text() for t in ax.get_yticklabels()] + [
        t.get_text() for t in ax.get_xticklabels()
    ]
    legend = ax.get_legend()
    if legend is not None:
        found += [t.get_text() for t in legend.get_texts()]
    return "\n".join(found)


def test_contributions_show_each_share_and_the_bounds() -> None:
    _, ax = _figure((6.4, 2.9))
    shown = texts(plots.contributions(tabalong(), ax=ax, lang="en"))
    for part in ("3.50 → +0.35 (10%)", "3.30 → +0.99 (30%)", "3.38  [3.375 – 3.385]", "Quick Win"):
        assert part in shown
    widths = [p.get_width() for p in ax.patches]
    assert sum(widths[:5]) == pytest.approx(3.38)  # the stacked contributions reach the index


def test_regions_are_named_not_coded() -> None:
    _, ax = _figure((6.0, 3.0))
    shown = texts(plots.heatmap(kalsel(), ax=ax))
    assert "Kabupaten Tabalong" in shown
    assert "Kota Banjarbaru" in shown
    assert "63.09" not in shown


def test_trend_marks_editions() -> None:
    _, ax = _figure((6.6, 3.2))
    shown = texts(plots.trend(kalsel(), ax=ax, lang="en"))
    assert "edition gm100sc@2022" in shown
    assert "edition gm100sc@2024" in shown
    assert "weights change" not in shown  # 2021–2024 share 10/20/30/20/20


def test_trend_says_when_the_weights_change() -> None:
    results = [
        scoring.score(
            Assessment(
                "35.71", y, "gm100sc", ed, scores=tuple(Score(c, Decimal(v)) for c, v in parts)
            )
        )
        for y, ed, parts in [
            (
                2021,
                "2021",
                [
                    ("BASE", "3.00"),
                    ("OUT", "3.00"),
                    ("OUTC", "3.00"),
                    ("IMP", "3.00"),
                    ("QW", "3.00"),
                ],
            ),
            (
                2022,
                "2022",
                [
                    ("BASE", "3.60"),
                    ("OUT", "3.21"),
                    ("OUTC", "3.23"),
                    ("IMP", "3.07"),
                    ("QW", "3.65"),
                ],
            ),
        ]
    ]
    table = plots._Table(results)
    assert table.editions() == [(2022, "gm100sc@2022", False)]
    panel = kalsel_panel()  # a panel: the bundled editions by year
    assert [(y, ref) for y, ref, _ in plots._Table(panel).editions()] == [
        (2022, "gm100sc@2022"),
        (2023, "gm100sc@2023"),
        (2024, "gm100sc@2024"),
    ]


def test_names_are_shown_as_written() -> None:
    _, ax = _figure((5.6, 2.6))
    plots.rank_shift({"Kota $x$ <b>": 1, "63.09": 2}, {"Kota $x$ <b>": 2, "63.09": 1}, ax=ax)
    shown = [t for t in ax.texts if "Kota" in t.get_text()]
    assert shown
    fig = ax.figure
    assert isinstance(fig, Figure)
    fig.canvas.draw()  # no mathtext parse error: "$" is literal


def test_ranking_accepts_interval_objects() -> None:
    class Interval:
        def __init__(self, lower: float, upper: float) -> None:
            self.lower, self.upper = lower, upper

    _, ax = _figure((5.6, 2.6))
    plots.ranking({"63.09": 1, "63.71": 2}, intervals={"63.09": Interval(1, 3)}, ax=ax)
    xs = [tuple(line.get_xdata()) for line in ax.get_lines()]
    assert (1.0, 3.0) in xs


def test_errors_are_library_errors() -> None:
    with pytest.raises(ScoringError) as no_dims:
        plots.profile(tabalong())
    assert no_dims.value.code == "plot.no-dimensions"
    with pytest.raises(ScoringError):
        plots.heatmap(kalsel(), columns="region")  # type: ignore[arg-type]
    with pytest.raises(ScoringError) as empty:
        plots.trend([])
    assert empty.value.code == "plot.no-data"
    with pytest.raises(ScoringError):
        plots.spbe_profile(tabalong())


def test_ranking_of_an_uncertainty_analysis() -> None:
    import numpy as np

    from kotacerdas import frameworks
    from kotacerdas.engine import Dataset
    from kotacerdas.uncertainty import WeightNoise, analyse

    fw = frameworks.from_data(
        {
            "id": "demo",
            "edition": "1",
            "title": "Demo",
            "issuer": "kotacerdas",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "Index",
                    "children": [
                        {"code": "a", "kind": "indicator", "label": "a"},
                        {"code": "b", "kind": "indicator", "label": "b"},
                    ],
                }
            ],
        }
    )
    rows = np.array([[1, 8], [4, 9], [6, 2], [9, 1]])
    data = Dataset(("63.09", "63.71", "63.03", "63.72"), ("a", "b"), rows)
    result = analyse(fw, data, [WeightNoise(0.5)], samples=200, seed=7)
    _, ax = _figure((5.6, 2.2))
    plots.ranking(result, ax=ax, lang="en")
    shown = texts(ax)
    assert "Kabupaten Tabalong" in shown
    assert "Ranking on I" in shown  # the demo framework is not bundled: its node code
    spans = {tuple(line.get_xdata()) for line in ax.get_lines() if len(line.get_xdata()) == 2}
    expected = {(r.rank_low, r.rank_high) for r in result.intervals()}
    assert spans == expected
    # an interval object of the analysis works in a mapping too
    _, ax2 = _figure((5.6, 2.2))
    plots.ranking({"63.09": 1, "63.71": 2}, intervals={"63.09": result.interval("63.09")}, ax=ax2)
    assert any(len(line.get_xdata()) == 2 for line in ax2.get_lines())
