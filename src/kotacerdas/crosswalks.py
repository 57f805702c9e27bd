"""Crosswalks: mappings between the nodes of two frameworks, and views of one through another.

A crosswalk is data, like a framework edition: records that say how a node of one
framework relates to a node of another (SKOS-like: ``equal``, ``narrower``, ``broader``,
``partial``), with an optional coverage weight, a rationale, a status (``draft`` or
``reviewed``) and the provenance of every record.  No crosswalk between these frameworks
has been published, so the bundled ones are proposals and ship as ``draft``:

>>> from kotacerdas import crosswalks
>>> [str(c) for c in crosswalks.available()][:2]
['gm100sc--cohen', 'gm100sc--giffinger']
>>> cw = crosswalks.load("gm100sc--spbe")
>>> cw.status, cw.links_from("G1")[0].target, cw.links_from("G1")[0].relation
('draft', 'A8', 'partial')

:func:`view` re-aggregates an assessment in one framework into another: each target node
that has mappings gets the (re-scaled) values of its mapped source nodes, computed from the
source's lowest scored level with the source's own method, and the target's own tree then
aggregates upwards from the lowest mapped level, never by copying a dimension score across.
Every node reports how much of it the source informs.  Editions of one framework map onto
each other by their codes when no crosswalk file says otherwise.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

import attrs
import pydantic
from pydantic import Field, WithJsonSchema

from kotacerdas import _files, frameworks
from kotacerdas._arguments import expect, path_of
from kotacerdas._boundary import problems_from
from kotacerdas._deprecation import renamed
from kotacerdas._framework_file import ProvenanceModel, SourceModel, clean, prov_out, text_out
from kotacerdas._resources import files
from kotacerdas._schema import Code, Number, Strict, TextLike
from kotacerdas.errors import CrosswalkError, Problem
from kotacerdas.model import (
    Confidence,
    Framework,
    Node,
    Provenance,
    Scale,
    Source,
    SourceKind,
    Text,
)

__all__ = [
    "RELATIONS",
    "Crosswalk",
    "Link",
    "MappedNode",
    "Relation",
    "View",
    "available",
    "between",
    "from_data",
    "json_schema",
    "load",
    "read",
    "to_data",
    "view",
    "write",
]

Relation = Literal["equal", "narrower", "broader", "partial"]
"""How a source node relates to a target node.

``equal``: the same concept.  ``narrower``: the source is part of the target.
``broader``: the source contains the target.  ``partial``: they overlap.
"""

RELATIONS: tuple[Relation, ...] = ("equal", "narrower", "broader", "partial")
_INVERSE: Final[dict[Relation, Relation]] = {
    "equal": "equal",
    "narrower": "broader",
    "broader": "narrower",
    "partial": "partial",
}
_DATA: Final = "kotacerdas.data.crosswalks"


# -- the model ----------------------------------------------------------------------------------


@attrs.frozen
class Link:
    """One mapping record: how node *source* relates to node *target*.

    Attributes:
        coverage: The share (0–1) of the target that the source covers, when the record
            gives one.  Without it, ``equal`` and ``broader`` cover the target fully and
            the coverage of ``narrower`` and ``partial`` is unknown.
    """

    source: str
    target: str
    relation: Relation
    provenance: Provenance
    coverage: Decimal | None = None
    rationale: Text | None = None
    status: Literal["draft", "reviewed"] = "draft"

    @property
    def effective_coverage(self) -> Fraction | None:
        """The coverage used for a view: the record's, else 1 or unknown by relation."""
        return self.coverage_or(None)

    def coverage_or(self, default: Fraction | None) -> Fraction | None:
        """The record's coverage; else 1 for ``equal``/``broader``, *default* otherwise."""
        if self.coverage is not None:
            return Fraction(self.coverage)
        return Fraction(1) if self.relation in ("equal", "broader") else default

    def inverse(self) -> Link:
        """The same record read from the target's side (coverage is not carried over)."""
        return attrs.evolve(
            self,
            source=self.target,
            target=self.source,
            relation=_INVERSE[self.relation],
            coverage=self.coverage if self.relation == "equal" else None,
        )


@attrs.frozen
class Crosswalk:
    """Mapping records from the nodes of one framework (edition) to another's.

    Attributes:
        source: ``ID`` (every edition) or ``ID@EDITION`` of the source framework.
        target: Likewise for the target.
        status: ``draft`` unless every record has been reviewed.
        kind: ``migration`` for a crosswalk between editions of one framework (or a
            framework and its successor) that :func:`kotacerdas.migrations.migrate` may
            carry an assessment through; ``crosswalk`` otherwise.
    """

    id: str
    source: str
    target: str
    title: Text
    provenance: Provenance
    links: tuple[Link, ...]
    status: Literal["draft", "reviewed"] = "draft"
    sources: tuple[Source, ...] = ()
    note: Text | None = None
    kind: Literal["crosswalk", "migration"] = "crosswalk"

    def __str__(self) -> str:
        return self.id

    def links_from(self, code: str) -> tuple[Link, ...]:
        """The records whose source node is *code*, in file order."""
        return tuple(link for link in self.links if link.source == code)

    def links_to(self, code: str) -> tuple[Link, ...]:
        """The records whose target node is *code*, in file order."""
        return tuple(link for link in self.links if link.target == code)

    def inverse(self) -> Crosswalk:
        """The crosswalk read the other way round."""
        return attrs.evolve(
            self,
            id=f"{self.id} (inverse)",
            source=self.target,
            target=self.source,
            links=tuple(link.inverse() for link in self.links),
        )

    def applies(self, source: Framework, target: Framework) -> bool:
        """Whether the crosswalk maps *source* onto *target* as they are named."""
        return _matches(self.source, source) and _matches(self.target, target)


def _matches(ref: str, fw: Framework) -> bool:
    return ref in (fw.id, fw.ref)


# -- file format --------------------------------------------------------------------------------


class LinkModel(Strict):
    """A mapping record: ``source`` node, ``target`` node, ``relation`` and why."""

    source: Code
    target: Code
    relation: Relation
    coverage: (
        Annotated[
            Number,
            Field(gt=0, le=1),  # a record covers something, and at most all of its target
            WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 1}),
        ]
        | None
    ) = None
    rationale: TextLike | None = None
    status: Literal["draft", "reviewed"] | None = None
    provenance: ProvenanceModel | None = None


class CrosswalkFile(Strict):
    """A crosswalk file (TOML or JSON): mapping records from one framework to another.

    ``source`` and ``target`` are ``ID`` (every edition, for frameworks whose codes are
    stable across editions) or ``ID@EDITION``.  Records inherit ``status`` and
    ``provenance`` from the file unless they give their own.
    """

    schema_: str | None = Field(default=None, alias="$schema")
    format: Literal[1] = 1
    id: Code
    source: (
        Code
        | Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9._-]*$")]
    )
    target: (
        Code
        | Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9._-]*$")]
    )
    title: TextLike
    provenance: ProvenanceModel
    status: Literal["draft", "reviewed"] = "draft"
    kind: Literal["crosswalk", "migration"] = "crosswalk"
    note: TextLike | None = None
    sources: list[SourceModel] = []
    source_kind: Literal["primary", "secondary"] | None = None
    links: list[LinkModel] = Field(min_length=1, max_length=100_000)


_ADAPTER: Final = pydantic.TypeAdapter(CrosswalkFile)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of crosswalk files."""
    schema = _ADAPTER.json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://kotacerdas.readthedocs.io/schema/crosswalk-1.json"
    schema["title"] = "kotacerdas crosswalk file (format 1)"
    return schema


def from_data(data: Any, source: str = "<data>", *, check: bool = True) -> Crosswalk:
    """Build a crosswalk from parsed file data and check its nodes against the frameworks.

    With *check*, every ``source`` and ``target`` code must be a node of the named
    framework (of every bundled edition, when only the ``ID`` is named).

    Raises:
        CrosswalkError: the data is invalid; every problem is listed with its path.
    """
    try:
        model = _ADAPTER.validate_python(data)
    except pydantic.ValidationError as exc:
        raise CrosswalkError(source, problems_from(exc)) from None
    problems: list[Problem] = []
    kind = SourceKind(model.source_kind) if model.source_kind else None
    keyed = {
        s.key: Source(
            key=s.key,
            url=s.url,
            title=s.title,
            kind=SourceKind(s.kind) if s.kind else kind,
            locator=s.locator,
        )
        for s in model.sources
    }

    def prov(p: ProvenanceModel, path: str) -> Provenance:
        found: list[Source] = []
        for i, ref in enumerate(p.sources):
            if ref.startswith(("http://", "https://")):
                found.append(Source(url=ref, kind=kind))
            elif ref in keyed:
                found.append(keyed[ref])
            else:
                problems.append(Problem("source.unknown-key", f"{path}.sources[{i}]", {"key": ref}))
        if p.confidence == "confirmed" and not p.sources:
            problems.append(Problem("provenance.no-source", f"{path}.sources"))
        note = None if p.note is None else Text(p.note.id, p.note.en)
        return Provenance(Confidence(p.confidence), tuple(found), note)

    default = prov(model.provenance, "provenance")
    links = []
    seen: dict[tuple[str, str], int] = {}
    for i, m in enumerate(model.links):
        pair = (m.source, m.target)
        if pair in seen:
            problems.append(
                Problem(
                    "crosswalk.duplicate",
                    f"links[{i}]",
                    {"source": m.source, "target": m.target, "first": f"links[{seen[pair]}]"},
                )
            )
        seen.setdefault(pair, i)
        links.append(
            Link(
                source=m.source,
                target=m.target,
                relation=m.relation,
                provenance=default
                if m.provenance is None
                else prov(m.provenance, f"links[{i}].provenance"),
                coverage=m.coverage,
                rationale=None if m.rationale is None else Text(m.rationale.id, m.rationale.en),
                status=m.status or model.status,
            )
        )
    cw = Crosswalk(
        id=model.id,
        source=model.source,
        target=model.target,
        title=Text(model.title.id, model.title.en),
        provenance=default,
        links=tuple(links),
        status=model.status,
        sources=tuple(keyed.values()),
        note=None if model.note is None else Text(model.note.id, model.note.en),
        kind=model.kind,
    )
    if check:
        for side in ("source", "target"):
            ref = getattr(cw, side)
            editions = _editions(ref)
            if not editions:
                problems.append(Problem("crosswalk.framework-unknown", side, {"ref": ref}))
            for fw in editions:
                for i, link in enumerate(cw.links):
                    code = getattr(link, side)
                    if code not in fw.codes:
                        problems.append(
                            Problem(
                                "crosswalk.node-unknown",
                                f"links[{i}].{side}",
                                {"code": code, "framework": fw.ref},
                            )
                        )
    if problems:
        raise CrosswalkError(source, problems)
    return cw


def _editions(ref: str) -> tuple[Framework, ...]:
    if "@" in ref:
        parsed = frameworks.parse_ref(ref)
        return (frameworks.load(parsed),) if parsed in frameworks.available() else ()
    return tuple(frameworks.load(r) for r in frameworks.available() if r.id == ref.lower())


def read(path: str | os.PathLike[str]) -> Crosswalk:
    """Load a crosswalk file of your own (``.toml`` or ``.json``).

    Raises:
        FileReadError: the file is missing, unreadable or too large.
        FileFormatError: the file is not valid TOML/JSON.
        CrosswalkError: the file does not describe a valid crosswalk.
    """
    p = path_of(path, "crosswalks.read")
    return from_data(_files.load(p), str(p))


def to_data(crosswalk: Crosswalk) -> dict[str, Any]:
    """*crosswalk* as file data, the inverse of :func:`from_data`.

    Records give their ``status`` and ``provenance`` only where they differ from the file's.

    >>> cw = load("gm100sc--spbe")
    >>> from_data(to_data(cw)) == cw
    True
    """
    expect(crosswalk, Crosswalk, "crosswalks.to_data", "crosswalk")
    return clean(
        {
            "format": 1,
            "id": crosswalk.id,
            "source": crosswalk.source,
            "target": crosswalk.target,
            "title": text_out(crosswalk.title),
            "provenance": prov_out(crosswalk.provenance),
            "status": crosswalk.status,
            "kind": None if crosswalk.kind == "crosswalk" else crosswalk.kind,
            "note": text_out(crosswalk.note),
            "sources": [
                clean(
                    {
                        "key": s.key,
                        "url": s.url,
                        "title": s.title,
                        "kind": s.kind.value if s.kind else None,
                        "locator": s.locator,
                    }
                )
                for s in crosswalk.sources
            ],
            "links": [
                clean(
                    {
                        "source": link.source,
                        "target": link.target,
                        "relation": link.relation,
                        "coverage": link.coverage,
                        "rationale": text_out(link.rationale),
                        "status": None if link.status == crosswalk.status else link.status,
                        "provenance": None
                        if link.provenance == crosswalk.provenance
                        else prov_out(link.provenance),
                    }
                )
                for link in crosswalk.links
            ],
        }
    )


def write(crosswalk: Crosswalk, path: str | os.PathLike[str]) -> None:
    """Write *crosswalk* to a ``.toml`` or ``.json`` file, atomically.

    ``read(path)`` reads back an equal crosswalk.
    """
    p = path_of(path, "crosswalks.write")
    data = to_data(crosswalk)
    if _files.format_of(p) == "json":
        text = _files.dump_json(
            {"$schema": "https://kotacerdas.readthedocs.io/schema/crosswalk-1.json", **data}
        )
    else:
        text = _files.dump_toml(data, header=f"{crosswalk.id}: {crosswalk.title.id}")
    _files.write_atomic(p, text)


load_data = renamed(from_data, "load_data")
load_file = renamed(read, "load_file")


@functools.cache
def _bundled() -> dict[str, str]:
    return {
        entry.name.removesuffix(".toml"): entry.name
        for entry in files(_DATA).iterdir()
        if entry.name.endswith(".toml")
    }


def available() -> tuple[str, ...]:
    """The ids of the bundled crosswalks, sorted."""
    return tuple(sorted(_bundled()))


@functools.cache
def load(crosswalk_id: str) -> Crosswalk:
    """Load a bundled crosswalk by id (``"gm100sc--spbe"``).

    Raises:
        CrosswalkError: no bundled crosswalk has that id (``crosswalk.unknown``).
    """
    expect(crosswalk_id, str, "crosswalks.load", "crosswalk_id")
    name = _bundled().get(crosswalk_id)
    if name is None:
        raise CrosswalkError(
            crosswalk_id,
            [
                Problem(
                    "crosswalk.unknown",
                    "",
                    {"id": crosswalk_id, "available": ", ".join(available())},
                )
            ],
        )
    text = files(_DATA).joinpath(name).read_text(encoding="utf-8")
    return from_data(_files.parse(text, "toml", name), name)


def between(source: Framework, target: Framework) -> Crosswalk:
    """The bundled crosswalk from *source* to *target*, read either way round.

    Two editions of one framework map onto each other by code (``equal``) when no
    bundled crosswalk joins them: codes are stable across the editions of a framework.

    Raises:
        CrosswalkError: nothing joins the two (``crosswalk.none``).
    """
    for cid in available():
        cw = load(cid)
        if cw.applies(source, target):
            return cw
        if cw.applies(target, source):
            return cw.inverse()
    if source.id == target.id:
        return _identity(source, target)
    raise CrosswalkError(
        f"{source.ref} → {target.ref}",
        [Problem("crosswalk.none", "", {"source": source.ref, "target": target.ref})],
    )


def _identity(source: Framework, target: Framework) -> Crosswalk:
    prov = Provenance(
        Confidence.INFERRED,
        note=Text(
            "Edisi satu kerangka dipetakan menurut kodenya: kode stabil antaredisi.",
            "Editions of one framework are mapped by code: codes are stable across editions.",
        ),
    )
    shared = [c for c in source.codes if c in target.codes]
    return Crosswalk(
        id=f"{source.ref}--{target.ref}",
        source=source.ref,
        target=target.ref,
        title=Text(
            f"{source.ref} → {target.ref} (kode sama)", f"{source.ref} → {target.ref} (same codes)"
        ),
        provenance=prov,
        links=tuple(Link(c, c, "equal", prov, status="reviewed") for c in shared),
        status="reviewed",
        kind="migration",
    )


# -- views ----------------------------------------------------------------------------------------


@attrs.frozen
class MappedNode:
    """A target node as seen through a crosswalk.

    Attributes:
        code: The target node.
        value: Its value on its own scale (source values re-scaled linearly from the
            source node's scale), ``None`` when nothing maps to it.
        informed: The share (0–1) of the node's weight that gets any mapped value.
        coverage: The share of the node that mapped values cover, as far as the mapping
            records' coverage weights say; ``None`` (unknown) when a ``narrower`` or
            ``partial`` record on the way gives none and no default was stated.
        coverage_bounds: What is known of the coverage, ``(low, high)``: equal to
            ``(coverage, coverage)`` when it is known.  A record of unknown coverage
            counts as more than 0 and at most 1, so *low* is then an exclusive bound
            (coverage > low) and *high* an inclusive one.
        sources: The source nodes whose values reach the node directly.
        links: The mapping records used directly at this node.
    """

    code: str
    value: Decimal | None
    informed: Fraction
    coverage: Fraction | None
    sources: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    coverage_bounds: tuple[Fraction, Fraction] = (Fraction(0), Fraction(0))


def _freeze_nodes(nodes: Mapping[str, MappedNode]) -> Mapping[str, MappedNode]:
    return MappingProxyType(dict(nodes))


@attrs.frozen
class View:
    """An assessment (or scores) of one framework seen in another, node by node.

    Attributes:
        nodes: Every target node, depth first, by code.
        unmapped: Source nodes with a value that no record maps (not carried).
        assumptions: What the view assumed beyond the records (re-scaling, methods).
    """

    source: str
    target: str
    crosswalk: str
    status: Literal["draft", "reviewed"]
    nodes: Mapping[str, MappedNode] = attrs.field(converter=_freeze_nodes)
    unmapped: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()

    def __getitem__(self, code: str) -> MappedNode:
        return self.nodes[code]

    @property
    def not_carried(self) -> tuple[str, ...]:
        """Target nodes that get nothing from the source."""
        return tuple(c for c, n in self.nodes.items() if n.value is None)


def _scale_of(fw: Framework, node: Node) -> tuple[Fraction, Fraction] | None:
    if node.scale is not None:
        return Fraction(node.scale.minimum), Fraction(node.scale.maximum)
    if node.rubric is not None and not node.children:
        return Fraction(node.rubric.minimum), Fraction(node.rubric.maximum)
    scale: Scale | None = fw.scale
    if scale is not None:
        return Fraction(scale.minimum), Fraction(scale.maximum)
    return None


def _shares(fw: Framework, node: Node) -> dict[str, Fraction]:
    shares = {c.code: fw.share(c.code) for c in node.children}
    if any(v is None for v in shares.values()) or not shares:
        n = len(node.children)
        return {c.code: Fraction(1, n) for c in node.children}
    return {k: v for k, v in shares.items() if v is not None}


def _source_values(fw: Framework, given: Mapping[str, Fraction]) -> dict[str, Fraction]:
    """Values of every source node: given ones, and aggregates from their children."""
    out: dict[str, Fraction] = {}
    for root in fw.roots:
        for node in reversed(list(root)):  # children before parents
            if node.code in given:
                out[node.code] = given[node.code]
                continue
            if not node.children:
                continue
            shares = _shares(fw, node)
            known = {c: shares[c] for c in shares if c in out}
            total = sum(known.values(), Fraction(0))
            if total:
                out[node.code] = sum((out[c] * w for c, w in known.items()), Fraction(0)) / total
    return out


def view(
    scores: Mapping[str, Decimal | int | float],
    source: Framework,
    target: Framework,
    crosswalk: Crosswalk | None = None,
    *,
    partial_coverage: Decimal | Fraction | str | None = None,
) -> View:
    """Scores of *source* seen in *target* through *crosswalk* (default: :func:`between`).

    Source aggregates without a score of their own are computed from their children with
    the source's weights; a target node with mapped descendants is aggregated from them
    with the target's weights (equal shares where the target has none) rather than taking
    a mapped value of its own: the lowest mapped level wins.

    Coverage of ``narrower`` and ``partial`` records that give no coverage weight is
    *unknown*, never guessed: :attr:`MappedNode.coverage` is ``None`` and
    :attr:`MappedNode.coverage_bounds` says what is known (more than 0, at most 1 per
    record).  With *partial_coverage* (0 < c ≤ 1) such records count as covering that
    share instead, and the view lists that among its assumptions.

    Raises:
        CrosswalkError: the crosswalk does not join the two frameworks, or nothing does;
            or *partial_coverage* is not a number in (0, 1] (``crosswalk.partial-coverage``).
    """
    default = _default_coverage(partial_coverage)
    cw = crosswalk if crosswalk is not None else between(source, target)
    if not cw.applies(source, target):
        if cw.applies(target, source):
            cw = cw.inverse()
        else:
            raise CrosswalkError(
                cw.id,
                [
                    Problem(
                        "crosswalk.mismatch",
                        "",
                        {"id": cw.id, "source": source.ref, "target": target.ref},
                    )
                ],
            )
    given = {
        str(k): Fraction(Decimal(repr(v)) if isinstance(v, float) else Decimal(v))
        for k, v in scores.items()
    }
    values = _source_values(source, given)
    assumptions: list[str] = []
    direct: dict[str, MappedNode] = {}
    used: set[str] = set()
    for code in target.codes:
        links = [link for link in cw.links_to(code) if link.source in values]
        if not links:
            continue
        node = target.node(code)
        goal = _scale_of(target, node)
        weighted = Fraction(0)
        weight = Fraction(0)
        covered: Fraction | None = Fraction(0)
        low = high = Fraction(0)
        for link in links:
            used.add(link.source)
            v = values[link.source]
            from_node = source.node(link.source)
            from_scale = _scale_of(source, from_node)
            both_levels = from_node.rubric is not None and node.rubric is not None
            if both_levels and from_scale is not None and goal is not None:
                # Maturity levels are carried as levels where the target's rubric has them.
                if not goal[0] <= v <= goal[1]:
                    v = min(max(v, goal[0]), goal[1])
                    assumptions.append(f"{link.source}→{code}: level clipped to the target's")
                else:
                    assumptions.append(f"{link.source}→{code}: level carried as a level")
            elif from_scale is not None and goal is not None and from_scale != goal:
                lo, hi = from_scale
                v = goal[0] + (v - lo) / (hi - lo) * (goal[1] - goal[0])
                assumptions.append(f"{link.source}→{code}: rescaled linearly")
            c = link.coverage_or(default)
            if c is None:
                high += 1
            else:
                low += c
                high += c
                if link.coverage is None and link.relation in ("narrower", "partial"):
                    assumptions.append(
                        f"{link.source}→{code}: {link.relation} record counted as covering "
                        f"{_decimal(c)} (stated default)"
                    )
            w = Fraction(1) if c is None else c  # never 0: records and defaults are in (0, 1]
            weighted += v * w
            weight += w
            covered = None if covered is None or c is None else covered + c
        value = weighted / weight
        direct[code] = MappedNode(
            code,
            _decimal(value),
            Fraction(1),
            None if covered is None else min(covered, Fraction(1)),
            tuple(link.source for link in links),
            tuple(links),
            (min(low, Fraction(1)), min(high, Fraction(1))),
        )
    nodes: dict[str, MappedNode] = {}
    for root in target.roots:
        for node in reversed(list(root)):
            kids = [nodes[c.code] for c in node.children]
            mapped_kids = [k for k in kids if k.value is not None]
            if mapped_kids:
                shares = _shares(target, node)
                informed = sum((shares[k.code] * k.informed for k in kids), Fraction(0))
                cov: Fraction | None = Fraction(0)
                for k in kids:
                    if k.coverage is None and k.value is not None:
                        cov = None
                    elif cov is not None and k.coverage is not None:
                        cov += shares[k.code] * k.coverage
                total = sum((shares[k.code] for k in mapped_kids), Fraction(0))
                value = (
                    sum(
                        (
                            Fraction(k.value) * shares[k.code]
                            for k in mapped_kids
                            if k.value is not None
                        ),
                        Fraction(0),
                    )
                    / total
                )
                if (
                    node.aggregation not in (None, "arithmetic")
                    or node.provenance_of("aggregation").confidence is not Confidence.CONFIRMED
                ):
                    assumptions.append(f"{node.code}: weighted mean of mapped children")
                bounds = (
                    sum((shares[k.code] * k.coverage_bounds[0] for k in kids), Fraction(0)),
                    sum((shares[k.code] * k.coverage_bounds[1] for k in kids), Fraction(0)),
                )
                nodes[node.code] = MappedNode(
                    node.code, _decimal(value), informed, cov, coverage_bounds=bounds
                )
            elif node.code in direct:
                nodes[node.code] = direct[node.code]
            else:
                nodes[node.code] = MappedNode(node.code, None, Fraction(0), Fraction(0))
    ordered = {code: nodes[code] for code in target.codes}
    unmapped = tuple(
        c
        for c in given
        if c not in used
        and not any(a.code in used for a in source.ancestors(c))
        and c in source.codes
    )
    return View(
        source=source.ref,
        target=target.ref,
        crosswalk=cw.id,
        status=cw.status,
        nodes=ordered,
        unmapped=unmapped,
        assumptions=tuple(dict.fromkeys(assumptions)),
    )


def _default_coverage(value: Decimal | Fraction | str | None) -> Fraction | None:
    if value is None:
        return None
    try:
        share = Fraction(str(value)) if not isinstance(value, Fraction) else value
    except (ValueError, ZeroDivisionError):
        share = None
    if share is None or not 0 < share <= 1:
        raise CrosswalkError(
            "partial_coverage", [Problem("crosswalk.partial-coverage", "", {"value": str(value)})]
        )
    return share


def _decimal(value: Fraction, places: int = 6) -> Decimal:
    """A fraction as a decimal of at most *places* places (half-even), without trailing zeros."""
    q = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-places))
    if q == q.to_integral_value():
        return q.quantize(Decimal(1))
    return q.normalize()
