"""Hypothesis strategies for apps that build on kotacerdas.

Property-test your own dashboards, importers and evaluation portals against valid
kotacerdas objects::

    from hypothesis import given
    from kotacerdas import frameworks, testing

    @given(testing.assessments(frameworks.load("gm100sc@2024")))
    def test_my_dashboard_renders(assessment):
        render(assessment)

Needs Hypothesis (``pip install 'kotacerdas[testing]'``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from kotacerdas.assessment import KINDS, Assessment, Decision, Evidence, Kind, Score
from kotacerdas.model import Framework

__all__ = ["assessments", "framework_data", "frameworks", "scores"]

_TEXT = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
_CONFIDENCE = st.sampled_from(["confirmed", "inferred", "uncertain", "assumed", "not_published"])


@st.composite
def _provenance(draw: st.DrawFn) -> dict[str, Any]:
    confidence = draw(_CONFIDENCE)
    n = draw(st.integers(1 if confidence == "confirmed" else 0, 2))
    return {
        "confidence": confidence,
        "sources": [f"https://example.org/{draw(st.integers(0, 999))}" for _ in range(n)],
    }


@st.composite
def framework_data(draw: st.DrawFn, max_nodes: int = 25) -> dict[str, Any]:
    """Valid framework file data (as parsed from TOML/JSON): a random weighted forest."""
    count = draw(st.integers(1, max_nodes))
    parents: list[int | None] = [None]
    for i in range(1, count):
        parents.append(draw(st.none() | st.integers(0, i - 1)))
    nodes: list[dict[str, Any]] = []
    for i, parent in enumerate(parents):
        node: dict[str, Any] = {
            "code": f"N{i}",
            "kind": draw(st.sampled_from(["dimension", "aspect", "indicator"])),
            "label": {"id": draw(_TEXT), "en": draw(_TEXT)},
        }
        if parent is not None:
            node["parent"] = f"N{parent}"
        if draw(st.booleans()):
            node["aliases"] = [f"{draw(_TEXT)} #{i}"]
        if draw(st.booleans()):
            node["provenance"] = draw(_provenance())
        nodes.append(node)
    siblings: dict[int | None, list[int]] = {}
    for i, parent in enumerate(parents):
        siblings.setdefault(parent, []).append(i)
    for members in siblings.values():
        if draw(st.booleans()):
            for i in members:
                nodes[i]["weight"] = Decimal(draw(st.integers(1, 1000))) / 10
    return {
        "format": 1,
        "id": "generated",
        "edition": str(draw(st.integers(1, 9999))),
        "title": {"id": draw(_TEXT), "en": draw(_TEXT)},
        "issuer": draw(_TEXT),
        "provenance": draw(_provenance()),
        "weights": "relative",
        "nodes": nodes,
    }


def frameworks(max_nodes: int = 25) -> st.SearchStrategy[Framework]:
    """Valid :class:`~kotacerdas.model.Framework` objects."""
    from kotacerdas.frameworks import from_data

    return framework_data(max_nodes).map(from_data)


def scores(framework: Framework, node: str) -> st.SearchStrategy[Decimal]:
    """Valid scores of *node*: rubric levels, or values on the scale at its precision."""
    n = framework.node(node)
    if n.rubric is not None:
        return st.sampled_from([Decimal(lv.value) for lv in n.rubric.levels])
    scale = n.scale or framework.scale
    if scale is None:
        return st.decimals(0, 100, places=2)
    places = scale.decimals if scale.decimals is not None else 2
    unit = Decimal(1).scaleb(-places)
    low = int(scale.minimum / unit)
    high = int(scale.maximum / unit)
    return st.integers(low, high).map(lambda k: (Decimal(k) * unit).quantize(unit))


@st.composite
def assessments(
    draw: st.DrawFn, framework: Framework, region: str = "63.09", kind: Kind | None = None
) -> Assessment:
    """Valid final-stage assessments of *framework*: every scored node, on its scale.

    Of both kinds (:data:`~kotacerdas.assessment.Kind`) unless *kind* names one.  A
    ``submission`` carries accepted evidence for every rubric level up to the level
    claimed (the staircase rule); ``published`` results carry none, as a published table.
    """
    from kotacerdas.validation import scored_nodes

    chosen: Kind = draw(st.sampled_from(KINDS)) if kind is None else kind
    year = framework.year or 2024
    items = tuple(
        Score(node.code, draw(scores(framework, node.code))) for node in scored_nodes(framework)
    )
    evidence: list[Evidence] = []
    if chosen == "submission":
        for s in items:
            rubric = framework.node(s.node).rubric
            if rubric is None:
                continue
            for level in range(rubric.minimum, int(s.value) + 1):
                evidence.append(
                    Evidence(
                        f"{s.node} level {level}",
                        url=f"https://example.org/{region}/{s.node}/{level}",
                        node=s.node,
                        level=level,
                        decision=Decision.ACCEPTED,
                    )
                )
    return Assessment(
        region,
        year,
        framework.id,
        framework.edition,
        scores=items,
        evidence=tuple(evidence),
        kind=chosen,
    )
