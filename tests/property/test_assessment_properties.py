"""Any valid assessment survives JSON and CSV unchanged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas import assessment
from kotacerdas.assessment import (
    Assessment,
    Assessor,
    Decision,
    Evidence,
    Programme,
    Score,
    Session,
    SurveyResponse,
)

names = st.text(min_size=1, max_size=20).filter(lambda s: s.strip() == s and s != "")
codes = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,8}", fullmatch=True)
# Decimals exactly as written: 0–4 with 0–3 decimals, trailing zeros kept.
values = st.builds(
    lambda n, places: Decimal(n).scaleb(-places), st.integers(0, 4000), st.integers(0, 3)
)
times = st.datetimes(
    min_value=dt.datetime(2017, 1, 1),
    max_value=dt.datetime(2026, 1, 1),
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]),
)


@st.composite
def assessments(draw: st.DrawFn, full: bool = True) -> Assessment:
    nodes = draw(st.lists(codes, min_size=1, max_size=6, unique=True))
    stages = draw(
        st.lists(
            st.sampled_from(["final", "tahap_1", "tahap_2"]), min_size=1, max_size=2, unique=True
        )
    )
    scores = tuple(Score(n, draw(values), s) for s in stages for n in nodes)
    base: dict[str, Any] = {
        "region": draw(st.sampled_from(["63.09", "35.71", "KEMENPANRB"])),
        "year": draw(st.integers(2017, 2026)),
        "framework": draw(st.sampled_from(["gm100sc", "spbe"])),
        "edition": draw(st.sampled_from(["2020", "2024"])),
        "scores": scores,
        "kind": draw(st.sampled_from(["submission", "published"])),
    }
    if not full:
        return Assessment(**base)
    return Assessment(
        **base,
        programmes=tuple(
            draw(
                st.lists(
                    st.builds(
                        Programme,
                        names,
                        st.none() | codes,
                        st.none() | names,
                        st.booleans(),
                        st.none() | st.sampled_from(["short", "medium", "long"]),
                        st.none() | st.sampled_from(["planned", "running", "completed", "stopped"]),
                        st.booleans(),
                    ),
                    max_size=3,
                )
            )
        ),
        evidence=tuple(
            draw(
                st.lists(
                    st.builds(
                        Evidence,
                        names,
                        kind=st.none() | codes,
                        path=st.none() | names,
                        sha256=st.none() | st.text("0123456789abcdef", min_size=64, max_size=64),
                        submitted_at=st.none() | times,
                        stage=st.none() | codes,
                        level=st.none() | st.integers(0, 5),
                        decision=st.none() | st.sampled_from(list(Decision)),
                        reason=st.none() | names,
                    ),
                    max_size=3,
                )
            )
        ),
        sessions=tuple(draw(st.lists(st.builds(Session, codes, times), max_size=2))),
        assessors=tuple(draw(st.lists(st.builds(Assessor, names, st.none() | names), max_size=2))),
        survey_mode=draw(st.none() | st.sampled_from(["single", "split"])),
        survey=tuple(
            draw(
                st.lists(
                    st.builds(
                        SurveyResponse,
                        names,
                        names,
                        st.lists(values, min_size=1, max_size=3).map(tuple),
                    ),
                    max_size=3,
                )
            )
        ),
        notes=tuple(draw(st.lists(names, max_size=2))),
    )


def _normalise(a: Assessment) -> Assessment:
    # A decision's reason is only kept with a decision; survey mode defaults to single.
    evidence = tuple(attrs.evolve(e, reason=None) if e.decision is None else e for e in a.evidence)
    mode = a.survey_mode if a.survey_mode is not None or not a.survey else "single"
    return attrs.evolve(a, evidence=evidence, survey_mode=mode)


@given(assessments())
def test_json_round_trip(tmp_path_factory: Any, a: Assessment) -> None:
    path = tmp_path_factory.mktemp("json") / "a.json"
    assessment.write(a, path)
    assert assessment.read(path) == (_normalise(a),)


@given(st.lists(assessments(full=False), min_size=1, max_size=3))
def test_csv_round_trip(tmp_path_factory: Any, items: list[Assessment]) -> None:
    keys = {(x.region, x.year, x.framework) for x in items}
    if len(keys) != len(items):  # one assessment per region, year and framework
        return
    path = tmp_path_factory.mktemp("csv") / "a.csv"
    assessment.write(items, path)
    back = assessment.read(path)
    assert back == tuple(attrs.evolve(a, kind="published") for a in items)  # a table: published
    assert [str(s.value) for a in back for s in a.scores] == [
        str(s.value) for a in items for s in a.scores
    ]
