"""Validation: one golden test per finding code, and properties over junk documents."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kotacerdas import assessment, frameworks
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
from kotacerdas.errors import KotaCerdasError
from kotacerdas.model import Framework
from kotacerdas.validation import ValidationError, scored_nodes, validate

FW = frameworks.read(Path(__file__).parent / "data" / "mini-framework.toml")
NOW = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
T = dt.timezone(dt.timedelta(hours=8))


def good() -> Assessment:
    """A clean assessment of the mini framework: no findings at all."""
    return Assessment(
        region="63.09",
        year=2023,
        framework="mini",
        edition="1",
        scores=(Score("C1", Decimal("3.10")), Score("C2", Decimal("2.5")), Score("R", Decimal(2))),
        programmes=(
            Programme("Satu", "S1", code="P1", status="running"),
            Programme("Dua", "S2", code="P2"),
        ),
        evidence=(
            Evidence(
                "draf",
                kind="kebijakan",
                path="a.pdf",
                node="R",
                level=1,
                decision=Decision.ACCEPTED,
            ),
            Evidence(
                "ketetapan",
                url="https://example.org/b",
                node="R",
                level=2,
                stage="tahap_2",
                submitted_at=dt.datetime(2023, 11, 17, 8, 0, tzinfo=T),
            ),
        ),
        sessions=(
            Session(
                "tahap_2",
                dt.datetime(2023, 11, 16, 9, 0, tzinfo=T),
                dt.datetime(2023, 11, 16, 12, 0, tzinfo=T),
            ),
        ),
        assessors=(Assessor("A"), Assessor("B")),
        survey_mode="single",
        survey=tuple(
            SurveyResponse(f"R{i}", p, (Decimal(3),)) for i in range(3) for p in ("P1", "P2")
        ),
    )


def codes(a: Assessment, fw: Framework = FW) -> set[tuple[str, str, str]]:
    return {(f.code, f.severity, f.path) for f in validate(a, fw, now=NOW)}


def test_good_is_clean() -> None:
    report = validate(good(), FW, now=NOW)
    assert report.findings == ()
    assert report.valid
    assert validate(good(), FW, now=NOW, strict=True).valid


def test_scored_nodes() -> None:
    assert [n.code for n in scored_nodes(FW)] == ["C1", "C2", "R"]


def _evolve(**changes: Any) -> Callable[[Assessment], Assessment]:
    return lambda a: attrs.evolve(a, **changes)


def _score(i: int, **changes: Any) -> Callable[[Assessment], Assessment]:
    def change(a: Assessment) -> Assessment:
        scores = list(a.scores)
        scores[i] = attrs.evolve(scores[i], **changes)
        return attrs.evolve(a, scores=tuple(scores))

    return change


def _evidence(i: int, **changes: Any) -> Callable[[Assessment], Assessment]:
    def change(a: Assessment) -> Assessment:
        items = list(a.evidence)
        items[i] = attrs.evolve(items[i], **changes)
        return attrs.evolve(a, evidence=tuple(items))

    return change


def _add(field: str, *items: Any) -> Callable[[Assessment], Assessment]:
    def change(a: Assessment) -> Assessment:
        changes: dict[str, Any] = {field: (*getattr(a, field), *items)}
        return attrs.evolve(a, **changes)

    return change


GOLDEN: list[tuple[str, Callable[[Assessment], Assessment], tuple[str, str, str]]] = [
    ("framework", _evolve(edition="2"), ("assessment.framework-mismatch", "error", "framework")),
    ("future year", _evolve(year=2025), ("assessment.year-future", "error", "year")),
    ("year out of range", _evolve(year=0), ("assessment.year", "error", "year")),
    (
        "published levels",
        _evolve(kind="published"),
        ("score.levels-published", "info", "scores"),
    ),
    (
        "unknown region",
        _evolve(region="Atlantis"),
        ("assessment.region-unknown", "error", "region"),
    ),
    (
        "ambiguous region",
        _evolve(region="Kediri"),
        ("assessment.region-ambiguous", "error", "region"),
    ),
    (
        "region as name",
        _evolve(region="Kabupaten Tabalong"),
        ("assessment.region-name", "warning", "region"),
    ),
    (
        "unknown node",
        _add("scores", Score("ZZ", Decimal(1))),
        ("score.node-unknown", "error", "scores[3].node"),
    ),
    ("alias", _score(1, node="kedua"), ("score.node-alias", "warning", "scores[1].node")),
    (
        "stage",
        _add("scores", Score("C1", Decimal(1), "tahap_9")),
        ("score.stage-unknown", "error", "scores[3].stage"),
    ),
    (
        "duplicate",
        _add("scores", Score("C1", Decimal(1))),
        ("score.duplicate", "error", "scores[3]"),
    ),
    (
        "off scale",
        _score(0, value=Decimal("4.01")),
        ("score.off-scale", "error", "scores[0].value"),
    ),
    ("negative", _score(0, value=Decimal("-0.5")), ("score.off-scale", "error", "scores[0].value")),
    (
        "precision",
        _score(0, value=Decimal("3.105")),
        ("score.precision", "error", "scores[0].value"),
    ),
    (
        "level fraction",
        _score(2, value=Decimal("2.5")),
        ("score.level-not-integer", "error", "scores[2].value"),
    ),
    ("level off", _score(2, value=Decimal(4)), ("score.off-scale", "error", "scores[2].value")),
    (
        "level without evidence",
        _score(2, value=Decimal(3)),
        ("score.level-unsupported", "error", "scores[2].value"),
    ),
    (
        "rejected evidence breaks the staircase",
        _evidence(0, decision=Decision.REJECTED, reason="x"),
        ("score.level-unsupported", "error", "scores[2].value"),
    ),
    (
        "missing",
        lambda a: attrs.evolve(a, scores=a.scores[:2]),
        ("score.missing", "error", "scores"),
    ),
    (
        "missing at a stage",
        _add("scores", Score("C1", Decimal(1), "tahap_1")),
        ("score.missing", "warning", "scores"),
    ),
    ("none", _evolve(scores=()), ("score.none", "warning", "scores")),
    (
        "programme node",
        _add("programmes", Programme("X", "S9")),
        ("programme.node-unknown", "error", "programmes[2].node"),
    ),
    (
        "programme duplicate",
        _add("programmes", Programme("satu", "S1")),
        ("programme.duplicate", "error", "programmes[2]"),
    ),
    (
        "sub-dimension without programme",
        lambda a: attrs.evolve(a, programmes=a.programmes[:1]),
        ("programme.node-without", "warning", "programmes"),
    ),
    (
        "session stage",
        _add("sessions", Session("x", dt.datetime(2023, 1, 1, tzinfo=T))),
        ("session.stage-unknown", "error", "sessions[1].stage"),
    ),
    (
        "session order",
        _add(
            "sessions",
            Session(
                "tahap_1", dt.datetime(2023, 2, 1, tzinfo=T), dt.datetime(2023, 1, 1, tzinfo=T)
            ),
        ),
        ("session.order", "error", "sessions[1].end"),
    ),
    (
        "session future",
        _add("sessions", Session("tahap_1", dt.datetime(2030, 1, 1, tzinfo=T))),
        ("datetime.future", "error", "sessions[1].start"),
    ),
    (
        "evidence kind",
        _evidence(0, kind="foto"),
        ("evidence.kind-unknown", "warning", "evidence[0].kind"),
    ),
    ("no location", _evidence(0, path=None), ("evidence.no-location", "warning", "evidence[0]")),
    (
        "evidence node",
        _evidence(0, node="Q"),
        ("evidence.node-unknown", "error", "evidence[0].node"),
    ),
    (
        "evidence level",
        _evidence(0, level=7),
        ("evidence.level-unknown", "error", "evidence[0].level"),
    ),
    (
        "level without node",
        _evidence(0, node=None),
        ("evidence.level-without-node", "error", "evidence[0].level"),
    ),
    (
        "evidence programme",
        _evidence(0, programme="P9"),
        ("evidence.programme-unknown", "warning", "evidence[0].programme"),
    ),
    (
        "evidence stage",
        _evidence(0, stage="zz"),
        ("evidence.stage-unknown", "error", "evidence[0].stage"),
    ),
    (
        "rejected without reason",
        _evidence(1, decision=Decision.REJECTED),
        ("evidence.rejected-without-reason", "warning", "evidence[1].decision"),
    ),
    (
        "duplicate evidence",
        _add("evidence", Evidence("again", path="a.pdf")),
        ("evidence.duplicate", "error", "evidence[2].path"),
    ),
    (
        "late",
        _evidence(1, submitted_at=dt.datetime(2023, 11, 17, 12, 1, tzinfo=T)),
        ("evidence.late", "error", "evidence[1].submitted_at"),
    ),
    (
        "window without session",
        _evolve(sessions=()),
        ("evidence.window-unknown", "warning", "evidence[1].submitted_at"),
    ),
    (
        "evidence future",
        _evidence(0, submitted_at=dt.datetime(2031, 1, 1, tzinfo=T)),
        ("datetime.future", "error", "evidence[0].submitted_at"),
    ),
    (
        "survey programme",
        _add("survey", SurveyResponse("R9", "P9", (Decimal(3),))),
        ("survey.programme-unknown", "error", "survey.responses[6].programme"),
    ),
    (
        "survey duplicate",
        _add("survey", SurveyResponse("R0", "P1", (Decimal(3),))),
        ("survey.duplicate", "warning", "survey.responses[6]"),
    ),
    (
        "survey scale",
        _add("survey", SurveyResponse("R9", "P1", (Decimal(5),))),
        ("survey.answer-off-scale", "error", "survey.responses[6].answers[0]"),
    ),
    (
        "survey sample",
        lambda a: attrs.evolve(a, survey=a.survey[:4]),
        ("survey.sample-small", "error", "survey"),
    ),
    (
        "split sample",
        lambda a: attrs.evolve(a, survey_mode="split", survey=a.survey[:4]),
        ("survey.sample-small", "error", "survey"),
    ),
    (
        "assessor",
        _add("assessors", Assessor(" a ")),
        ("assessor.duplicate", "warning", "assessors[2]"),
    ),
]


@pytest.mark.parametrize(("name", "change", "expected"), GOLDEN, ids=[g[0] for g in GOLDEN])
def test_golden_finding(
    name: str, change: Callable[[Assessment], Assessment], expected: tuple[str, str, str]
) -> None:
    del name
    got = codes(change(good()))
    assert expected in got, got


def test_split_mode_counts_per_sub_dimension() -> None:
    a = attrs.evolve(
        good(),
        survey_mode="split",
        survey=tuple(
            SurveyResponse(f"{p}{i}", p, (Decimal(3),)) for i in range(3) for p in ("P1", "P2")
        ),
    )
    assert not any(f.code == "survey.sample-small" for f in validate(a, FW, now=NOW))


def test_every_finding_code_has_a_golden_test() -> None:
    from kotacerdas.i18n import MESSAGES

    prefixes = (
        "assessment.",
        "score.",
        "programme.",
        "session.",
        "evidence.",
        "survey.",
        "assessor.",
        "datetime.future",
    )
    produced = {e[2][0] for e in GOLDEN}
    verify_only = {
        "evidence.path-absolute",
        "evidence.path-parent",
        "evidence.path-outside",
        "evidence.path-invalid",
        "evidence.dir-missing",
        "evidence.missing",
        "evidence.changed",
        "evidence.unhashed",
    }
    file_level = {
        "assessment.invalid",
        "assessment.count",
        "assessment.none",
        "assessment.duplicate",
    }
    expected = {c for c in MESSAGES if c.startswith(prefixes)} - verify_only - file_level
    assert expected == produced


def test_messages_both_languages() -> None:
    report = validate(attrs.evolve(good(), region="Kediri"), FW, now=NOW)
    (finding,) = report.errors
    assert "35.06" in finding.message("en")
    assert "ambiguous" in finding.message("en")
    assert "ambigu" in finding.message("id")
    assert finding.to_dict("en")["path"] == "region"


def test_strict_raises_one_error_with_report() -> None:
    bad = attrs.evolve(good(), year=2025, region="Atlantis")
    with pytest.raises(ValidationError) as info:
        validate(bad, FW, now=NOW, strict=True)
    assert isinstance(info.value, ValueError)
    assert len(info.value.report.errors) == 2
    assert "2 error(s)" in info.value.message("en")
    assert "year" in info.value.message("en")


def test_non_region_units() -> None:
    a = attrs.evolve(good(), region="KEMENPANRB")
    assert ("assessment.region-unknown", "error", "region") in codes(a)
    assert validate(a, FW, now=NOW, units={"KEMENPANRB"}).valid
    # An allowed unit never shadows a region: a region code stays a region.
    assert validate(good(), FW, now=NOW, units={"Tabalong"}).valid


def _junk() -> st.SearchStrategy[Any]:
    scalar = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=8),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.floats(),
    )
    return st.recursive(
        scalar,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


DOC_KEYS = [
    "region",
    "year",
    "framework",
    "edition",
    "scores",
    "programmes",
    "evidence",
    "sessions",
    "assessors",
    "survey",
    "notes",
    "meta",
    "format",
]


@given(st.dictionaries(st.sampled_from(DOC_KEYS), _junk(), max_size=10))
def test_junk_documents_raise_only_library_errors(data: dict[str, Any]) -> None:
    try:
        items = assessment.from_data(data)
    except KotaCerdasError:
        return
    for a in items:
        with contextlib.suppress(KotaCerdasError):
            validate(a, FW, now=NOW)
