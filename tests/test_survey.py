from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas import frameworks
from kotacerdas.assessment import Assessment, Programme, SurveyResponse
from kotacerdas.survey import summarise, t_quantile

FW = frameworks.read(Path(__file__).parent / "data" / "mini-framework.toml")
D = Decimal


def _a(mode: str, responses: list[tuple[str, str, tuple[int, ...]]]) -> Assessment:
    return Assessment(
        "63.09",
        2023,
        "mini",
        "1",
        programmes=(Programme("Satu", "S1", code="P1"), Programme("Dua", "S2", code="P2")),
        survey_mode=mode,  # type: ignore[arg-type]
        survey=tuple(SurveyResponse(r, p, tuple(D(x) for x in xs)) for r, p, xs in responses),
    )


def test_single_form_mode() -> None:
    a = _a(
        "single",
        [
            ("R1", "P1", (4, 3)),
            ("R1", "P2", (2,)),
            ("R2", "P1", (3,)),
            ("R2", "P2", (3,)),
            ("R3", "P1", (4,)),
            ("R3", "P2", (4,)),
        ],
    )
    s = summarise(a, FW)
    p1 = s.programmes["P1"]
    assert (p1.n, p1.mean) == (3, D("3.5"))  # R1 scores 3.5 (mean of 4 and 3), R2 3, R3 4
    assert s.nodes["S1"].mean == D("3.5")
    dim = s.dimensions["D"]
    assert dim.n == 3  # respondents, not answers
    assert dim.mean == (D("2.75") + D(3) + D(4)) / 3
    assert dim.low is not None
    assert dim.high is not None
    assert dim.low < dim.mean < dim.high
    assert s.mode == "single"


def test_split_mode_averages_sub_dimensions() -> None:
    a = _a(
        "split",
        [
            ("A1", "P1", (4,)),
            ("A2", "P1", (2,)),
            ("B1", "P2", (3,)),
            ("B2", "P2", (3,)),
            ("B3", "P2", (3,)),
        ],
    )
    s = summarise(a, FW)
    assert s.nodes["S1"].n == 2
    assert s.nodes["S2"].n == 3
    assert s.dimensions["D"].mean == D(3)  # mean of 3 (S1) and 3 (S2)
    assert s.dimensions["D"].n == 5


def test_single_respondent_has_no_interval() -> None:
    s = summarise(_a("single", [("R1", "P1", (4,))]), FW)
    assert s.programmes["P1"].low is None
    assert s.programmes["P1"].sd is None


def test_interval_matches_textbook() -> None:
    # 10 answers 1..10: mean 5.5, sd 3.0277, t(0.975, 9) = 2.2622 → [3.3341, 7.6659]
    a = _a("single", [(f"R{i}", "P1", (i,)) for i in range(1, 11)])
    p1 = summarise(a, FW).programmes["P1"]
    assert p1.mean == D("5.5")
    assert (p1.low, p1.high) == (D("3.3341"), D("7.6659"))


@pytest.mark.parametrize(
    ("p", "df", "expected"),
    [
        (0.975, 1, 12.7062),
        (0.975, 5, 2.5706),
        (0.975, 30, 2.0423),
        (0.995, 10, 3.1693),
        (0.95, 100, 1.6602),
        (0.025, 10, -2.2281),
    ],
)
def test_t_quantile(p: float, df: int, expected: float) -> None:
    assert round(t_quantile(p, df), 4) == expected


def test_t_quantile_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="0 < p < 1"):
        t_quantile(1.0, 3)


@given(st.lists(st.integers(1, 4), min_size=2, max_size=40))
def test_mean_within_answers_and_interval_around_it(answers: list[int]) -> None:
    a = _a("single", [(f"R{i}", "P1", (x,)) for i, x in enumerate(answers)])
    p1 = summarise(a, FW).programmes["P1"]
    assert min(answers) <= p1.mean <= max(answers)
    assert p1.low is not None
    assert p1.high is not None
    assert p1.low <= p1.mean.quantize(D("0.0001")) <= p1.high
    assert p1.n == len(answers)
