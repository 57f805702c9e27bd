"""The public Hypothesis strategies produce valid objects."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings

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


def _scored(fw: Framework) -> bool:
    return fw.index is not None and fw.scale is not None


#: Editions with an index on a scale: the ones an assessment is scored against.  Metric and
#: structure-only editions (Giffinger, U4SSC, Cohen) are computed with the engine instead.
SCORED = [str(r) for r in frameworks.available() if _scored(frameworks.load(r))]


@pytest.mark.parametrize("ref", SCORED)
def test_generated_assessments_of_every_bundled_framework_and_kind_are_valid(ref: str) -> None:
    fw = frameworks.load(ref)
    kinds: set[str] = set()

    @settings(max_examples=20)
    @given(testing.assessments(fw, region="KEMENPANRB" if fw.id == "spbe" else "63.09"))
    def check(a: Assessment) -> None:
        kinds.add(a.kind)
        units = {"KEMENPANRB"}
        report = validation.validate(a, fw, now=NOW, units=units)
        assert report.valid, report.text("en")
        exact = scoring.score(a, fw, units=units).index.exact
        assert exact is not None
        scale = fw.scale
        assert scale is not None
        assert scale.minimum <= exact <= scale.maximum

    check()
    assert kinds == {"submission", "published"}
