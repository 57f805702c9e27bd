"""Hypothesis strategies that generate valid framework files (as parsed data)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

texts = st.text(min_size=1, max_size=30).filter(lambda s: s.strip() != "")
confidences = st.sampled_from(["confirmed", "inferred", "uncertain", "not_published"])


@st.composite
def provenances(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"confidence": draw(confidences)}
    n = draw(st.integers(1 if out["confidence"] == "confirmed" else 0, 2))
    out["sources"] = [f"https://example.org/{draw(st.integers(0, 99))}" for _ in range(n)]
    if draw(st.booleans()):
        out["note"] = {"id": draw(texts), "en": draw(texts)}
    return out


def _label(draw: st.DrawFn) -> Any:
    if draw(st.booleans()):
        return draw(texts)
    return {"id": draw(texts), "en": draw(texts)}


@st.composite
def _weights(draw: st.DrawFn, count: int, mode: str) -> list[Decimal]:
    if mode == "relative":
        return [Decimal(draw(st.integers(1, 10_000))) / Decimal(100) for _ in range(count)]
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    return [Decimal(b - a) / Decimal(100) for a, b in itertools.pairwise(bounds)]


@st.composite
def framework_files(draw: st.DrawFn, max_nodes: int = 25) -> dict[str, Any]:
    """A valid framework file: a random forest with weights, aliases and provenance."""
    mode = draw(st.sampled_from(["local", "relative"]))
    count = draw(st.integers(1, max_nodes))
    parents: list[int | None] = [None]
    for i in range(1, count):
        parents.append(draw(st.one_of(st.none(), st.integers(0, i - 1))))
    nodes: list[dict[str, Any]] = []
    for i in range(count):
        node: dict[str, Any] = {
            "code": f"N{i}",
            "kind": draw(st.sampled_from(["dimension", "indicator", "aspect"])),
            "label": _label(draw),
        }
        if parents[i] is not None:
            node["parent"] = f"N{parents[i]}"
        if draw(st.booleans()):
            node["aliases"] = [f"{draw(texts)} #{i}.{j}" for j in range(draw(st.integers(1, 2)))]
        if draw(st.booleans()):
            node["provenance"] = draw(provenances())
        if draw(st.booleans()):
            node["definition"] = _label(draw)
        if draw(st.booleans()):
            node["aggregation"] = draw(st.sampled_from(["arithmetic", "geometric", "median"]))
        if draw(st.booleans()):
            node["field_provenance"] = {"label": draw(provenances())}
        nodes.append(node)
    groups: dict[int | None, list[int]] = {}
    for i, p in enumerate(parents):
        groups.setdefault(p, []).append(i)
    for members in groups.values():
        if draw(st.booleans()):
            for i, w in zip(members, draw(_weights(len(members), mode)), strict=True):
                nodes[i]["weight"] = w
    return {
        "format": 1,
        "id": "gen",
        "edition": str(draw(st.integers(1, 3000))),
        "title": _label(draw),
        "issuer": _label(draw),
        "provenance": draw(provenances()),
        "weights": mode,
        "nodes": nodes,
    }
