"""The public Hypothesis strategies produce valid objects."""

from __future__ import annotations

import datetime as dt

from hypothesis import given

from kotacerdas import frameworks, scoring, testing, validation
from kotacerdas.assessment import Assessment
from kotacerdas.model import Framework

GM = frameworks.load("gm100sc@2024")
SPBE = frameworks.load("spbe@2020")
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@given(testing.frameworks())
def test_generated_frameworks_are_valid(fw: Framework) -> None:
    assert len(fw) >= 1
    for node in fw:
        assert fw.node(node.code) is node


@given(testing.assessments(GM))
def test_generated_gm100sc_assessments_validate_and_score(a: Assessment) -> None:
    assert validation.validate(a, GM, now=NOW).valid
    assert scoring.score(a, GM).index.exact is not None


@given(testing.assessments(SPBE, region="KEMENPANRB"))
def test_generated_spbe_assessments_score(a: Assessment) -> None:
    report = validation.validate(a, SPBE, now=NOW, units={"KEMENPANRB"})
    # Levels above the minimum need evidence; generated documents carry none.
    assert {f.code for f in report.errors} <= {"score.level-unsupported"}
    exact = scoring.score(a, SPBE).index.exact
    assert exact is not None
    assert 1 <= exact <= 5
