"""One rule on every path: validate, score and score_panel agree on valid/invalid, and digits."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kotacerdas import frameworks, testing
from kotacerdas._assessment_file import to_csv_text
from kotacerdas.assessment import Assessment, Score
from kotacerdas.errors import KotaCerdasError
from kotacerdas.model import Framework
from kotacerdas.panel import PanelResult, score_panel
from kotacerdas.scoring import Result, score
from kotacerdas.validation import validate

#: Editions scored against an index on a scale (metric and structure-only editions such as
#: U4SSC, Giffinger and Cohen are computed with the engine, not scored).
EDITIONS = [
    fw
    for fw in (frameworks.load(ref) for ref in frameworks.available())
    if fw.index_node is not None and fw.index_node.children and fw.scale is not None
]


@st.composite
def maybe_broken(draw: st.DrawFn) -> tuple[Framework, Assessment]:
    """A valid assessment of a bundled edition, then perhaps one thing made wrong."""
    fw = draw(st.sampled_from(EDITIONS))
    a = draw(testing.assessments(fw))
    how = draw(st.sampled_from(["none", "value", "year", "drop", "unknown"]))
    scores = list(a.scores)
    if how == "value":
        i = draw(st.integers(0, len(scores) - 1))
        places = draw(st.integers(0, 3))
        value = Decimal(draw(st.integers(-100, 800))).scaleb(-places)
        scores[i] = attrs.evolve(scores[i], value=value)
    elif how == "year":
        a = attrs.evolve(a, year=draw(st.integers(1800, 2300)))
    elif how == "drop":
        del scores[draw(st.integers(0, len(scores) - 1))]
    elif how == "unknown":
        scores.append(Score("NOPE", Decimal(1)))
    return fw, attrs.evolve(a, scores=tuple(scores))


def refuses(call: Any) -> bool:
    try:
        call()
    except KotaCerdasError as error:
        return isinstance(error, ValueError)  # the library's own error, a ValueError too
    return False


def long_rows(a: Assessment) -> list[dict[str, Any]]:
    """The assessment as the long CSV layout's rows (a table of published results)."""
    return list(csv.DictReader(io.StringIO(to_csv_text([a]))))


def same_digits(result: Result, panel: PanelResult, row: int = 0) -> None:
    for code, node in result.nodes.items():
        if code not in panel.nodes:
            continue
        got = (panel.exact(code)[row], panel.published(code)[row], panel.bounds(code)[row])
        assert repr(got) == repr((node.exact, node.published, node.bounds)), code


@settings(max_examples=60, deadline=None)
@given(maybe_broken())
def test_every_entry_point_agrees_with_validate(case: tuple[Framework, Assessment]) -> None:
    fw, a = case
    valid = validate(a, fw).valid
    assert refuses(lambda: score(a, fw)) is not valid
    assert refuses(lambda: score_panel([a])) is not valid
    if valid:
        same_digits(score(a, fw), score_panel([a]))


@settings(max_examples=40, deadline=None)
@given(maybe_broken())
def test_a_table_is_checked_as_published_results(case: tuple[Framework, Assessment]) -> None:
    fw, a = case
    published = attrs.evolve(a, kind="published", evidence=())
    valid = validate(published, fw).valid
    assert refuses(lambda: score_panel(long_rows(published))) is not valid
    if valid:
        same_digits(score(published, fw), score_panel(long_rows(published)))


GM = [fw for fw in EDITIONS if fw.id == "gm100sc"]


@pytest.mark.parametrize("layout", ["assessments", "long"])
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_a_panel_of_mixed_editions_is_each_row_alone(layout: str, data: st.DataObject) -> None:
    keys = data.draw(
        st.lists(
            st.tuples(st.sampled_from(["63.09", "35.71", "35.77"]), st.integers(2019, 2024)),
            min_size=1,
            max_size=5,
            unique=True,
        )
    )
    items = []
    for region, year in keys:
        fw = data.draw(st.sampled_from(GM))
        a = data.draw(testing.assessments(fw, region=region, kind="published"))
        items.append(attrs.evolve(a, year=year))
    together = score_panel(
        items if layout == "assessments" else [r for a in items for r in long_rows(a)]
    )
    for a in items:
        row = together.keys.index((a.region, a.year))
        assert together.editions[row] == a.edition
        same_digits(score(a), together, row)


def engine_data(a: Assessment) -> Any:
    """The final scores of *a* as the engine's data: one unit, one period, floats."""
    from kotacerdas.engine import Dataset

    final = [s for s in a.scores if s.stage == "final"]
    codes = tuple(dict.fromkeys(s.node for s in final))
    values = {s.node: float(s.value) for s in final}
    return Dataset((a.region,), codes, [[[values[c] for c in codes]]], (a.year,))


@settings(max_examples=60, deadline=None)
@given(maybe_broken())
def test_the_engine_refuses_exactly_what_validate_refuses(
    case: tuple[Framework, Assessment],
) -> None:
    """The engine's data over a bundled edition obey the rules of validate, no more, no less.

    The data are the assessment's final scores as floats, so validate sees the decimals a
    float denotes (``3.10`` is ``3.1``); the engine's units and periods are its own labels
    (a year outside 1900–2200 is not its concern), and it does not derive a node from
    ``inputs`` (GM100SC Impact from the six dimensions).
    """
    from kotacerdas.engine import Build, compute
    from kotacerdas.validation import scored_nodes

    fw, a = case
    assume(1900 <= a.year <= 2200)
    final = tuple(
        attrs.evolve(s, value=Decimal(repr(float(s.value)))) for s in a.scores if s.stage == "final"
    )
    assume(len({s.node for s in final}) == len(final))
    published = attrs.evolve(a, kind="published", evidence=(), scores=final)
    present = {s.node for s in final}
    assume(
        not any(
            n.code not in present and n.inputs and all(i in present for i in n.inputs)
            for n in scored_nodes(fw)
        )
    )
    report = validate(published, fw)
    valid = not [f for f in report.errors if not f.code.startswith("assessment.year")]
    build = Build(normalise="identity")
    assert refuses(lambda: compute(fw, engine_data(published), build)) is not valid
