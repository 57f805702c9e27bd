"""The framework file format: pydantic boundary models, and their conversion to the model.

A framework file (TOML or JSON, same schema) holds one edition.  Nodes are written
as nested ``children`` or flat with a ``parent`` code, or both.  An *overlay* file
names a base edition in ``extends`` and changes it: top-level fields replace the
base's, a node entry whose code exists patches that node, a new code adds a node
(under its ``parent``), and ``remove`` drops nodes with their subtrees.

Conversion runs in three steps, each collecting every problem before raising one
:class:`~kotacerdas.errors.FrameworkError`: schema validation (pydantic), a flat
table of nodes with semantic checks, and the immutable :class:`~kotacerdas.model.Framework`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any, Final, Literal

import attrs
import pydantic
from pydantic import Field

from kotacerdas._boundary import problems_from
from kotacerdas._schema import (
    Code,
    NonEmpty,
    Number,
    Strict,
    TextLike,
    TextModel,
    empty_dict,
    empty_list,
)
from kotacerdas.errors import FrameworkError, Problem
from kotacerdas.limits import MAX_NODES, MAX_TREE_DEPTH
from kotacerdas.model import (
    Aggregation,
    Band,
    Confidence,
    Denominator,
    Direction,
    EvidenceRequirement,
    Framework,
    Ladder,
    LadderLevel,
    Level,
    Method,
    Node,
    Predicates,
    Provenance,
    Rubric,
    Scale,
    Source,
    SourceKind,
    Stage,
    SurveyRules,
    Term,
    Text,
    normalise_key,
)

FORMAT_VERSION: Final = 1

# -- boundary models --------------------------------------------------------------------------

ConfidenceName = Literal["confirmed", "inferred", "uncertain", "assumed", "not_published"]


class ProvenanceModel(Strict):
    """Where a datum comes from: ``sources`` are URLs or keys of the file's ``sources``."""

    confidence: ConfidenceName
    sources: list[NonEmpty] = empty_list()
    note: TextLike | None = None


class SourceModel(Strict):
    """A source cited by the edition; ``key`` is how provenance records refer to it.

    ``kind`` says whether it is the issuer's own text (``primary``) or a report of it
    (``secondary``); ``locator`` says where to find it when there is no ``url``.
    """

    key: Code
    url: NonEmpty | None = None
    title: NonEmpty | None = None
    kind: Literal["primary", "secondary"] | None = None
    locator: NonEmpty | None = None


class EvidenceModel(Strict):
    """Evidence expected for the item (no ``level``) or for one rubric level."""

    description: TextLike
    level: int | None = None
    kind: Code | None = None


class LevelModel(Strict):
    """A rubric level; ``name`` may be omitted when the rubric names a ladder."""

    value: int
    name: TextLike | None = None
    criteria: TextLike | None = None


class RubricModel(Strict):
    """The levels of a maturity item; with a ``ladder``, ``levels`` default to its rungs."""

    ladder: Code | None = None
    cumulative: bool = True
    levels: list[LevelModel] = empty_list()
    evidence: list[EvidenceModel] = empty_list()
    provenance: ProvenanceModel | None = None


class LadderLevelModel(Strict):
    """A rung of a shared ladder."""

    value: int
    name: TextLike
    description: TextLike | None = None


class LadderModel(Strict):
    """A maturity ladder shared by many items."""

    code: Code
    name: TextLike
    levels: list[LadderLevelModel] = Field(min_length=1)
    provenance: ProvenanceModel | None = None


class BandModel(Strict):
    """A predicate band ``[lower, upper)``; omit a bound to leave it open."""

    code: Code
    label: TextLike
    lower: Number | None = None
    upper: Number | None = None


class PredicatesModel(Strict):
    """Ordered predicate bands, lowest first."""

    bands: list[BandModel] = Field(min_length=1)
    provenance: ProvenanceModel | None = None


class DenominatorModel(Strict):
    """A rate: the indicator divided by *by* (a data column, ``population``, ``area``) per *per*."""

    by: NonEmpty
    per: Annotated[Number, Field(gt=0)] = Decimal(1)


class ScaleModel(Strict):
    """A score range and its publication rule."""

    minimum: Number
    maximum: Number
    decimals: Annotated[int, Field(ge=0, le=12)] | None = None
    rounding: Literal["half_up", "half_even"] = "half_up"
    provenance: ProvenanceModel | None = None
    field_provenance: dict[
        Literal["minimum", "maximum", "decimals", "rounding"], ProvenanceModel
    ] = empty_dict()


class StageModel(Strict):
    """An evaluation stage."""

    code: Code
    label: TextLike
    description: TextLike | None = None
    window_hours: Annotated[int, Field(ge=0)] | None = None
    provenance: ProvenanceModel | None = None
    field_provenance: dict[Literal["label", "description", "window_hours"], ProvenanceModel] = (
        empty_dict()
    )


class TermModel(Strict):
    """A named concept: evidence kind, result category, enabler."""

    code: Code
    label: TextLike
    definition: TextLike | None = None
    provenance: ProvenanceModel | None = None


class SurveyModel(Strict):
    """Impact-survey sampling rules."""

    programmes_per: Code | None = None
    respondents_min: Annotated[int, Field(ge=1)]
    respondents_per: Code
    split_respondents_per: Code | None = None
    scale: ScaleModel | None = None
    provenance: ProvenanceModel | None = None


class MethodModel(Strict):
    """The framework's own computation method (an engine preset), as data."""

    code: Code
    label: TextLike
    normalise: Code | None = None
    aggregate: (
        Literal[
            "arithmetic", "geometric", "harmonic", "median", "minimum", "maximum", "sum", "copeland"
        ]
        | None
    ) = None
    min_availability: Annotated[Number, Field(ge=0, le=1)] | None = None
    unit_min_coverage: Annotated[Number, Field(ge=0, le=1)] | None = None
    bands: list[BandModel] = empty_list()
    description: TextLike | None = None
    provenance: ProvenanceModel | None = None


AggregationName = Literal[
    "arithmetic", "geometric", "harmonic", "median", "minimum", "maximum", "sum", "copeland"
]

_NODE_FIELDS: Final = (
    "kind",
    "label",
    "aliases",
    "tags",
    "definition",
    "weight",
    "global_weight",
    "aggregation",
    "inputs",
    "rubric",
    "evidence",
    "scale",
    "unit",
    "direction",
    "target",
    "imported_from",
    "expected_children",
    "denominator",
    "note",
    "order",
)


class NodeModel(Strict):
    """A node: written nested in its parent's ``children`` or flat with ``parent``."""

    code: Code
    kind: Code
    label: TextLike
    parent: Code | None = None
    aliases: list[NonEmpty] = empty_list()
    tags: list[Code] = empty_list()
    definition: TextLike | None = None
    weight: Number | None = None
    global_weight: Number | None = None
    aggregation: AggregationName | None = None
    inputs: list[Code] = empty_list()
    rubric: RubricModel | None = None
    evidence: list[EvidenceModel] = empty_list()
    scale: ScaleModel | None = None
    unit: NonEmpty | None = None
    direction: Literal["positive", "negative"] | None = None
    target: Number | None = None
    imported_from: TextLike | None = None
    expected_children: Annotated[int, Field(ge=1)] | None = None
    denominator: DenominatorModel | None = None
    provenance: ProvenanceModel | None = None
    field_provenance: dict[str, ProvenanceModel] = empty_dict()
    note: TextLike | None = None
    children: list[NodeModel] = empty_list()


class NodePatchModel(Strict):
    """In an overlay: changes to an existing node, or a new node (then ``kind`` and ``label``)."""

    code: Code
    kind: Code | None = None
    label: TextLike | None = None
    parent: Code | None = None
    aliases: list[NonEmpty] | None = None
    tags: list[Code] | None = None
    definition: TextLike | None = None
    weight: Number | None = None
    global_weight: Number | None = None
    aggregation: AggregationName | None = None
    inputs: list[Code] | None = None
    rubric: RubricModel | None = None
    evidence: list[EvidenceModel] | None = None
    scale: ScaleModel | None = None
    unit: NonEmpty | None = None
    direction: Literal["positive", "negative"] | None = None
    target: Number | None = None
    imported_from: TextLike | None = None
    expected_children: Annotated[int, Field(ge=1)] | None = None
    denominator: DenominatorModel | None = None
    provenance: ProvenanceModel | None = None
    field_provenance: dict[str, ProvenanceModel] | None = None
    note: TextLike | None = None
    children: list[NodeModel] = empty_list()


class _Header(Strict):
    schema_: str | None = Field(default=None, alias="$schema")
    format: Literal[1] = FORMAT_VERSION


class FrameworkFile(_Header):
    """A complete framework edition."""

    id: Code
    edition: Code
    title: TextLike
    issuer: TextLike
    provenance: ProvenanceModel
    legal_basis: TextLike | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    status: Literal["official", "provisional", "illustrative"] = "official"
    note: TextLike | None = None
    sources: list[SourceModel] = empty_list()
    source_kind: Literal["primary", "secondary"] | None = None
    index: Code | None = None
    scale: ScaleModel | None = None
    predicates: PredicatesModel | None = None
    weights: Literal["local", "global", "relative"] = "local"
    weight_total: Number = Decimal(1)
    ladders: list[LadderModel] = empty_list()
    stages: list[StageModel] = empty_list()
    evidence_kinds: list[TermModel] = empty_list()
    categories: list[TermModel] = empty_list()
    enablers: list[TermModel] = empty_list()
    units: list[TermModel] = empty_list()
    survey: SurveyModel | None = None
    method: MethodModel | None = None
    nodes: list[NodeModel] = Field(min_length=1)


class OverlayFile(_Header):
    """Changes to a base edition named by ``extends`` (``ID@EDITION``)."""

    extends: NonEmpty
    id: Code | None = None
    edition: Code | None = None
    title: TextLike | None = None
    issuer: TextLike | None = None
    provenance: ProvenanceModel | None = None
    legal_basis: TextLike | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    status: Literal["official", "provisional", "illustrative"] | None = None
    note: TextLike | None = None
    sources: list[SourceModel] | None = None
    source_kind: Literal["primary", "secondary"] | None = None
    index: Code | None = None
    scale: ScaleModel | None = None
    predicates: PredicatesModel | None = None
    weights: Literal["local", "global", "relative"] | None = None
    weight_total: Number | None = None
    ladders: list[LadderModel] | None = None
    stages: list[StageModel] | None = None
    evidence_kinds: list[TermModel] | None = None
    categories: list[TermModel] | None = None
    enablers: list[TermModel] | None = None
    units: list[TermModel] | None = None
    survey: SurveyModel | None = None
    method: MethodModel | None = None
    nodes: list[NodePatchModel] = empty_list()
    remove: list[Code] = empty_list()
    unset: list[
        Literal["legal_basis", "year", "note", "index", "scale", "predicates", "survey", "method"]
    ] = []


AnyFrameworkFile = FrameworkFile | OverlayFile

_FILE_ADAPTER: Final = pydantic.TypeAdapter(FrameworkFile)
_OVERLAY_ADAPTER: Final = pydantic.TypeAdapter(OverlayFile)


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of framework and overlay files."""
    adapter: pydantic.TypeAdapter[AnyFrameworkFile] = pydantic.TypeAdapter(AnyFrameworkFile)
    schema = adapter.json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://kotacerdas.readthedocs.io/schema/framework-1.json"
    schema["title"] = "kotacerdas framework file (format 1)"
    schema["description"] = (
        "One edition of a smart-city maturity framework, or an overlay that changes one "
        "('extends'). Bahasa Indonesia text is authoritative; English is a translation."
    )
    return schema


# -- parsing ----------------------------------------------------------------------------------


def parse_file_data(data: Any, source: str, resolve_base: Callable[[str], Framework]) -> Framework:
    """Validate parsed file *data* (from *source*) and build the framework it describes."""
    if isinstance(data, dict) and "extends" in data:
        try:
            overlay = _OVERLAY_ADAPTER.validate_python(data)
        except pydantic.ValidationError as exc:
            raise FrameworkError(source, problems_from(exc)) from None
        base = resolve_base(overlay.extends)
        merged = apply_overlay(to_file_dict(base, explicit=True), overlay)
        try:
            model = _FILE_ADAPTER.validate_python(merged)
        except pydantic.ValidationError as exc:
            raise FrameworkError(source, problems_from(exc)) from None
        return build(model, source)
    try:
        model = _FILE_ADAPTER.validate_python(data)
    except pydantic.ValidationError as exc:
        raise FrameworkError(source, problems_from(exc)) from None
    return build(model, source)


def apply_overlay(base: dict[str, Any], overlay: OverlayFile) -> dict[str, Any]:
    """Apply *overlay* to the file dict *base* (flat nodes) and return the merged dict.

    Top-level fields replace the base's, except ``sources``, merged by key; ``unset``
    clears optional top-level fields.  A node entry with an existing code patches that
    node (its ``field_provenance`` merged by field); a new code adds a node.
    """
    merged = dict(base)
    for key, value in overlay.model_dump(
        exclude_unset=True,
        exclude={"extends", "nodes", "remove", "unset", "schema_", "format", "sources"},
    ).items():
        merged[key] = value
    if "sources" in overlay.model_fields_set and overlay.sources is not None:
        sources = {s["key"]: s for s in merged.get("sources", [])}
        for src in overlay.sources:
            sources[src.key] = src.model_dump(exclude_none=True)
        merged["sources"] = list(sources.values())
    for key in overlay.unset:
        merged.pop(key, None)
    nodes: list[dict[str, Any]] = [dict(n) for n in merged["nodes"]]
    by_code = {n["code"]: n for n in nodes}
    removed = _subtree_codes(nodes, set(overlay.remove))
    nodes = [n for n in nodes if n["code"] not in removed]
    for patch in overlay.nodes:
        fields = patch.model_dump(exclude_unset=True, exclude={"children"})
        children = [c.model_dump(exclude_unset=True) for c in patch.children]
        if patch.code in by_code and patch.code not in removed:
            target = by_code[patch.code]
            field_prov = fields.pop("field_provenance", None)
            target.update(fields)
            if field_prov:
                target["field_provenance"] = {**target.get("field_provenance", {}), **field_prov}
            for child in children:
                nodes.append({**child, "parent": patch.code})
        else:
            nodes.append({**fields, "children": children})
    merged["nodes"] = nodes
    return merged


def _subtree_codes(nodes: list[dict[str, Any]], roots: set[str]) -> set[str]:
    children: dict[str, list[str]] = {}
    for n in nodes:
        parent = n.get("parent")
        if parent is not None:
            children.setdefault(parent, []).append(n["code"])
    removed = set(roots)
    stack = list(roots)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in removed:
                removed.add(child)
                stack.append(child)
    return removed


# -- building the model -----------------------------------------------------------------------


@attrs.define
class _Flat:
    model: NodeModel
    parent: str | None
    path: str
    children: list[str] = attrs.Factory(list)


class _Builder:
    def __init__(self, model: FrameworkFile, source: str) -> None:
        self.file = model
        self.source = source
        self.problems: list[Problem] = []
        self.source_kind = SourceKind(model.source_kind) if model.source_kind else None
        self.sources = {
            s.key: Source(
                key=s.key,
                url=s.url,
                title=s.title,
                kind=SourceKind(s.kind) if s.kind else self.source_kind,
                locator=s.locator,
            )
            for s in model.sources
        }
        for i, s in enumerate(model.sources):
            if s.url is None and s.title is None:
                self.problem("source.empty", f"sources[{i}]")
        self.default = self.provenance(model.provenance, "provenance")

    def problem(self, message_code: str, path: str, /, **params: object) -> None:
        self.problems.append(Problem(message_code, path, params))

    # -- small values ---------------------------------------------------------------------

    @staticmethod
    def text(t: TextModel | None) -> Text | None:
        return None if t is None else Text(t.id, t.en)

    def provenance(self, p: ProvenanceModel | None, path: str) -> Provenance:
        if p is None:
            return self.default
        sources: list[Source] = []
        for i, ref in enumerate(p.sources):
            if ref.startswith(("http://", "https://")):
                sources.append(Source(url=ref, kind=self.source_kind))
            elif ref in self.sources:
                sources.append(self.sources[ref])
            else:
                self.problem("source.unknown-key", f"{path}.sources[{i}]", key=ref)
        if p.confidence == "confirmed" and not p.sources:
            self.problem("provenance.no-source", f"{path}.sources")
        return Provenance(Confidence(p.confidence), tuple(sources), self.text(p.note))

    def optional_provenance(self, p: ProvenanceModel | None, path: str) -> Provenance | None:
        return None if p is None else self.provenance(p, path)

    def scale(self, s: ScaleModel | None, path: str) -> Scale | None:
        if s is None:
            return None
        if s.minimum >= s.maximum:
            self.problem("scale.order", path, minimum=s.minimum, maximum=s.maximum)
        return Scale(
            s.minimum,
            s.maximum,
            s.decimals,
            s.rounding,
            self.optional_provenance(s.provenance, f"{path}.provenance"),
            self.field_provenance(s.field_provenance.items(), f"{path}.field_provenance"),
        )

    def field_provenance(
        self, items: Iterable[tuple[str, ProvenanceModel]], path: str
    ) -> dict[str, Provenance]:
        return {name: self.provenance(p, f"{path}.{name}") for name, p in items}

    def terms(self, items: Iterable[TermModel], path: str) -> tuple[Term, ...]:
        out = []
        seen: dict[str, int] = {}
        for i, t in enumerate(items):
            if t.code in seen:
                self.problem(
                    "code.duplicate",
                    f"{path}[{i}].code",
                    code=t.code,
                    first=f"{path}[{seen[t.code]}]",
                )
            seen.setdefault(t.code, i)
            out.append(
                Term(
                    t.code,
                    Text(t.label.id, t.label.en),
                    self.text(t.definition),
                    self.optional_provenance(t.provenance, f"{path}[{i}].provenance"),
                )
            )
        return tuple(out)

    def predicates(self, p: PredicatesModel | None, path: str) -> Predicates | None:
        if p is None:
            return None
        bands = tuple(Band(b.code, Text(b.label.id, b.label.en), b.lower, b.upper) for b in p.bands)
        for i, band in enumerate(bands):
            where = f"{path}.bands[{i}]"
            if band.lower is not None and band.upper is not None and band.lower >= band.upper:
                self.problem("bands.order", where, detail=f"{band.lower} ≥ {band.upper}")
            if i and bands[i - 1].upper != band.lower:
                self.problem(
                    "bands.order",
                    where,
                    detail=f"lower {band.lower} ≠ previous upper {bands[i - 1].upper}",
                )
        return Predicates(bands, self.provenance(p.provenance, f"{path}.provenance"))

    def ladders(self) -> tuple[Ladder, ...]:
        out = []
        for i, lad in enumerate(self.file.ladders):
            path = f"ladders[{i}]"
            values = [lv.value for lv in lad.levels]
            if values != list(range(values[0], values[0] + len(values))):
                self.problem("rubric.levels", f"{path}.levels", minimum=values[0], values=values)
            out.append(
                Ladder(
                    lad.code,
                    Text(lad.name.id, lad.name.en),
                    tuple(
                        LadderLevel(
                            lv.value, Text(lv.name.id, lv.name.en), self.text(lv.description)
                        )
                        for lv in lad.levels
                    ),
                    self.provenance(lad.provenance, f"{path}.provenance"),
                )
            )
        return tuple(out)

    def evidence(
        self, items: Iterable[EvidenceModel], path: str = ""
    ) -> tuple[EvidenceRequirement, ...]:
        items = list(items)
        kinds = {k.code for k in self.file.evidence_kinds}
        for i, e in enumerate(items):
            if e.kind is not None and e.kind not in kinds:
                self.problem(
                    "evidence-kind.unknown",
                    f"{path}[{i}].kind",
                    kind=e.kind,
                    kinds=", ".join(sorted(kinds)) or "-",
                )
        return tuple(
            EvidenceRequirement(Text(e.description.id, e.description.en), e.level, e.kind)
            for e in items
        )

    def rubric(
        self, r: RubricModel | None, path: str, ladders: Mapping[str, Ladder]
    ) -> Rubric | None:
        if r is None:
            return None
        ladder = None
        if r.ladder is not None:
            ladder = ladders.get(r.ladder)
            if ladder is None:
                self.problem("rubric.ladder-unknown", f"{path}.ladder", ladder=r.ladder)
        levels: list[Level] = []
        if r.levels:
            for i, lv in enumerate(r.levels):
                name = self.text(lv.name)
                if ladder is not None:
                    rung = ladder.level(lv.value)
                    if rung is None:
                        self.problem(
                            "rubric.level-unknown",
                            f"{path}.levels[{i}].value",
                            level=lv.value,
                            ladder=ladder.code,
                        )
                    elif name is None:
                        name = rung.name
                if name is None:
                    self.problem("schema.missing", f"{path}.levels[{i}].name")
                    name = Text(str(lv.value))
                levels.append(Level(lv.value, name, self.text(lv.criteria)))
        elif ladder is not None:
            levels = [Level(rung.value, rung.name) for rung in ladder.levels]
        values = [lv.value for lv in levels]
        if not values or values != list(range(values[0], values[0] + len(values))):
            self.problem(
                "rubric.levels", f"{path}.levels", minimum=values[0] if values else 0, values=values
            )
        for i, e in enumerate(r.evidence):
            if e.level is not None and e.level not in values:
                self.problem(
                    "rubric.level-unknown",
                    f"{path}.evidence[{i}].level",
                    level=e.level,
                    ladder=r.ladder or "-",
                )
        return Rubric(
            tuple(levels),
            r.cumulative,
            r.ladder,
            self.evidence(r.evidence, f"{path}.evidence"),
            self.optional_provenance(r.provenance, f"{path}.provenance"),
        )

    # -- nodes ----------------------------------------------------------------------------

    def flatten(self) -> dict[str, _Flat]:
        flat: dict[str, _Flat] = {}
        stack: list[tuple[NodeModel, str | None, str]] = [
            (n, n.parent, f"nodes[{i}]") for i, n in enumerate(self.file.nodes)
        ]
        stack.reverse()
        while stack:
            node, parent, path = stack.pop()
            if node.code in flat:
                self.problem(
                    "code.duplicate", f"{path}.code", code=node.code, first=flat[node.code].path
                )
            else:
                flat[node.code] = _Flat(node, parent, path)
            if len(flat) > MAX_NODES:
                self.problem("node.too-many", "nodes", count=len(flat), limit=MAX_NODES)
                break
            stack.extend(
                (child, node.code, f"{path}.children[{j}]")
                for j, child in reversed(list(enumerate(node.children)))
            )
        return flat

    def link(self, flat: dict[str, _Flat]) -> list[str]:
        roots: list[str] = []
        for code, item in flat.items():
            if item.parent is None:
                roots.append(code)
            elif item.parent not in flat:
                self.problem(
                    "node.unknown", f"{item.path}.parent", code=item.parent, framework=self.ref
                )
            else:
                flat[item.parent].children.append(code)
        # Anything not reachable from a root sits on a cycle (or hangs off one).  The walk
        # also measures depth, so a tree deeper than the limit is refused before building.
        reached: set[str] = set()
        stack = [(r, 0) for r in roots]
        deepest = 0
        while stack:
            code, depth = stack.pop()
            reached.add(code)
            deepest = max(deepest, depth)
            stack.extend((c, depth + 1) for c in flat[code].children)
        if deepest > MAX_TREE_DEPTH:
            self.problem("node.too-deep", "nodes", limit=MAX_TREE_DEPTH)
        for code, item in flat.items():
            if code not in reached and item.parent in flat:
                self.problem(
                    "node.cycle", f"{item.path}.parent", code=code, chain=_chain(flat, code)
                )
        return [r for r in roots if r in reached]

    @property
    def ref(self) -> str:
        return f"{self.file.id}@{self.file.edition}"

    def check_aliases(self, flat: Mapping[str, _Flat]) -> None:
        owner: dict[str, tuple[str, str]] = {
            normalise_key(code): (code, item.path) for code, item in flat.items()
        }
        for code, item in flat.items():
            for i, alias in enumerate(item.model.aliases):
                key = normalise_key(alias)
                first = owner.get(key)
                if first is not None and first[0] != code:
                    self.problem(
                        "alias.duplicate",
                        f"{item.path}.aliases[{i}]",
                        alias=alias,
                        first=first[0],
                        second=code,
                    )
                else:
                    owner[key] = (code, item.path)

    def check_weights(self, flat: Mapping[str, _Flat], roots: list[str]) -> None:
        mode = self.file.weights
        total = self.file.weight_total
        groups: list[tuple[str | None, list[str]]] = [(None, roots)]
        groups += [(code, item.children) for code, item in flat.items() if item.children]
        for parent, kids in groups:
            weights = [flat[k].model.weight for k in kids]
            for k, w in zip(kids, weights, strict=True):
                if w is not None and w < 0:
                    self.problem("weight.negative", f"{flat[k].path}.weight", value=w)
            given = [w for w in weights if w is not None]
            if not given:
                continue
            if len(given) != len(weights):
                missing = [k for k, w in zip(kids, weights, strict=True) if w is None]
                where = f"{flat[parent].path}.children" if parent else "nodes"
                self.problem("weight.partial", where, missing=", ".join(missing))
                continue
            s = sum(given, Decimal(0))
            where = flat[parent].path if parent else "nodes"
            if s == 0:
                self.problem("weight.zero-total", where, parent=parent or "(root)")
                continue
            if mode == "relative":
                continue
            expected = total
            if mode == "global" and parent is not None:
                pw = flat[parent].model.weight
                expected = pw if pw is not None else total
            if s != expected:
                self.problem(
                    "weight.sum", where, parent=parent or "(root)", total=s, expected=expected
                )

    def check_global_weights(self, fw: Framework, flat: Mapping[str, _Flat]) -> None:
        for code, item in flat.items():
            given = item.model.global_weight
            if given is None:
                continue
            derived = fw.global_weight(code)
            if derived is None or derived != given:
                self.problem(
                    "weight.global-mismatch",
                    f"{item.path}.global_weight",
                    given=given,
                    derived=derived,
                )

    def node(self, item: _Flat, children: tuple[Node, ...], ladders: Mapping[str, Ladder]) -> Node:
        # Called once per node (100,000 in the largest framework): absent parts cost a
        # test, not a call, and paths for messages are only formatted for present parts.
        m = item.model
        path = item.path
        text = self.text
        field_prov: dict[str, Provenance] = {}
        for name, p in m.field_provenance.items():
            if name not in _NODE_FIELDS and name != "children":
                self.problem("provenance.field-unknown", f"{path}.field_provenance", field=name)
            field_prov[name] = self.provenance(p, f"{path}.field_provenance.{name}")
        aggregation: Aggregation | None = m.aggregation
        label = m.label
        return Node(
            code=m.code,
            kind=m.kind,
            label=Text(label.id, label.en),
            provenance=self.default
            if m.provenance is None
            else self.provenance(m.provenance, f"{path}.provenance"),
            parent=item.parent,
            children=children,
            aliases=tuple(m.aliases),
            tags=tuple(m.tags),
            definition=None if m.definition is None else text(m.definition),
            weight=m.weight,
            aggregation=aggregation,
            inputs=tuple(m.inputs),
            rubric=None if m.rubric is None else self.rubric(m.rubric, f"{path}.rubric", ladders),
            evidence=self.evidence(m.evidence, f"{path}.evidence") if m.evidence else (),
            scale=None if m.scale is None else self.scale(m.scale, f"{path}.scale"),
            unit=m.unit,
            direction=Direction(m.direction) if m.direction else None,
            target=m.target,
            imported_from=None if m.imported_from is None else text(m.imported_from),
            expected_children=m.expected_children,
            denominator=Denominator(m.denominator.by, m.denominator.per)
            if m.denominator is not None
            else None,
            field_provenance=field_prov,
            note=None if m.note is None else text(m.note),
        )

    def build(self) -> Framework:
        f = self.file
        ladders = self.ladders()
        by_ladder = {lad.code: lad for lad in ladders}
        flat = self.flatten()
        roots = self.link(flat)
        self.check_aliases(flat)
        self.check_weights(flat, roots)
        for code, item in flat.items():
            for i, ref in enumerate(item.model.inputs):
                if ref not in flat:
                    self.problem("node.input-unknown", f"{item.path}.inputs[{i}]", code=ref)
            del code
        if f.index is not None and f.index not in roots:
            self.problem("index.unknown", "index", code=f.index)
        if any(p.code == "node.too-deep" for p in self.problems):
            raise FrameworkError(self.source, self.problems)
        # Build bottom-up without recursion: each node once, after its children (post-order).
        built: dict[str, Node] = {}
        order: list[tuple[str, bool]] = [(r, False) for r in reversed(roots)]
        while order:
            code, expanded = order.pop()
            item = flat[code]
            if expanded:
                kids = tuple(built[c] for c in item.children)
                built[code] = self.node(item, kids, by_ladder)
            else:
                order.append((code, True))
                order.extend((c, False) for c in reversed(item.children))
        if self.problems:
            raise FrameworkError(self.source, self.problems)
        fw = Framework(
            id=f.id,
            edition=f.edition,
            title=Text(f.title.id, f.title.en),
            issuer=Text(f.issuer.id, f.issuer.en),
            provenance=self.default,
            roots=tuple(built[r] for r in roots),
            legal_basis=self.text(f.legal_basis),
            year=f.year,
            status=f.status,
            index=f.index,
            scale=self.scale(f.scale, "scale"),
            predicates=self.predicates(f.predicates, "predicates"),
            weights=f.weights,
            weight_total=f.weight_total,
            ladders=ladders,
            stages=tuple(
                Stage(
                    s.code,
                    Text(s.label.id, s.label.en),
                    self.text(s.description),
                    s.window_hours,
                    self.optional_provenance(s.provenance, f"stages[{i}]"),
                    self.field_provenance(
                        s.field_provenance.items(), f"stages[{i}].field_provenance"
                    ),
                )
                for i, s in enumerate(f.stages)
            ),
            evidence_kinds=self.terms(f.evidence_kinds, "evidence_kinds"),
            categories=self.terms(f.categories, "categories"),
            enablers=self.terms(f.enablers, "enablers"),
            units=self.terms(f.units, "units"),
            survey=self.survey(f.survey),
            method=self.method(f.method),
            sources=tuple(self.sources.values()),
            source_kind=self.source_kind,
            note=self.text(f.note),
        )
        self.check_global_weights(fw, flat)
        if self.problems:
            raise FrameworkError(self.source, self.problems)
        return fw

    def method(self, m: MethodModel | None) -> Method | None:
        if m is None:
            return None
        bands = self.predicates(PredicatesModel(bands=m.bands), "method") if m.bands else None
        return Method(
            m.code,
            Text(m.label.id, m.label.en),
            m.normalise,
            m.aggregate,
            m.min_availability,
            m.unit_min_coverage,
            bands.bands if bands is not None else (),
            self.text(m.description),
            self.optional_provenance(m.provenance, "method.provenance"),
        )

    def survey(self, s: SurveyModel | None) -> SurveyRules | None:
        if s is None:
            return None
        return SurveyRules(
            s.programmes_per,
            s.respondents_min,
            s.respondents_per,
            s.split_respondents_per,
            self.scale(s.scale, "survey.scale"),
            self.optional_provenance(s.provenance, "survey.provenance"),
        )


def build(model: FrameworkFile, source: str) -> Framework:
    """Build the immutable framework from a validated file model, or raise every problem."""
    return _Builder(model, source).build()


def _chain(flat: Mapping[str, _Flat], code: str, shown: int = 8) -> str:
    """The parent chain from *code* until it repeats, at most *shown* codes long."""
    chain = [code]
    seen = {code}
    cursor = flat[code].parent
    while cursor is not None and cursor not in seen and cursor in flat and len(chain) < shown:
        chain.append(cursor)
        seen.add(cursor)
        cursor = flat[cursor].parent
    tail = cursor if cursor in seen or cursor is None else f"{cursor} → …"
    return " → ".join([*chain, tail or "?"])


# -- back to a file ---------------------------------------------------------------------------


def text_out(t: Text | None) -> Any:
    if t is None:
        return None
    return {"id": t.id, "en": t.en} if t.en is not None else t.id


def prov_out(p: Provenance | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return clean(
        {
            "confidence": p.confidence.value,
            "sources": [s.key or s.url for s in p.sources],
            "note": text_out(p.note),
        }
    )


def clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


def _scale_out(s: Scale | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return clean(
        {
            "minimum": s.minimum,
            "maximum": s.maximum,
            "decimals": s.decimals,
            "rounding": s.rounding if s.rounding != "half_up" else None,
            "provenance": prov_out(s.provenance),
            "field_provenance": {k: prov_out(v) for k, v in s.field_provenance.items()},
        }
    )


def _terms_out(items: Iterable[Term]) -> list[dict[str, Any]]:
    return [
        clean(
            {
                "code": t.code,
                "label": text_out(t.label),
                "definition": text_out(t.definition),
                "provenance": prov_out(t.provenance),
            }
        )
        for t in items
    ]


def _evidence_out(items: Iterable[EvidenceRequirement]) -> list[dict[str, Any]]:
    return [
        clean({"description": text_out(e.description), "level": e.level, "kind": e.kind})
        for e in items
    ]


def _rubric_out(r: Rubric | None, fw: Framework) -> dict[str, Any] | None:
    if r is None:
        return None
    ladder = next((lad for lad in fw.ladders if lad.code == r.ladder), None)
    levels = []
    for lv in r.levels:
        rung = ladder.level(lv.value) if ladder is not None else None
        name = None if rung is not None and rung.name == lv.name else text_out(lv.name)
        levels.append(clean({"value": lv.value, "name": name, "criteria": text_out(lv.criteria)}))
    if (
        ladder is not None
        and all(set(lv) == {"value"} for lv in levels)
        and [lv["value"] for lv in levels] == [rung.value for rung in ladder.levels]
    ):
        levels = []
    return clean(
        {
            "ladder": r.ladder,
            "cumulative": None if r.cumulative else False,
            "levels": levels,
            "evidence": _evidence_out(r.evidence),
            "provenance": prov_out(r.provenance),
        }
    )


def _node_out(n: Node, fw: Framework, *, nested: bool, explicit: bool = False) -> dict[str, Any]:
    out = clean(
        {
            "code": n.code,
            "kind": n.kind,
            "label": text_out(n.label),
            "parent": None if nested else n.parent,
            "aliases": list(n.aliases),
            "tags": list(n.tags),
            "definition": text_out(n.definition),
            "weight": n.weight,
            "aggregation": n.aggregation,
            "inputs": list(n.inputs),
            "rubric": _rubric_out(n.rubric, fw),
            "evidence": _evidence_out(n.evidence),
            "scale": _scale_out(n.scale),
            "unit": n.unit,
            "direction": n.direction.value if n.direction else None,
            "target": n.target,
            "imported_from": text_out(n.imported_from),
            "expected_children": n.expected_children,
            "denominator": None
            if n.denominator is None
            else clean(
                {
                    "by": n.denominator.by,
                    "per": None if n.denominator.per == 1 else n.denominator.per,
                }
            ),
            "provenance": None
            if n.provenance == fw.provenance and not explicit
            else prov_out(n.provenance),
            "field_provenance": {k: prov_out(v) for k, v in n.field_provenance.items()},
            "note": text_out(n.note),
        }
    )
    if nested and n.children:
        out["children"] = [_node_out(c, fw, nested=True) for c in n.children]
    return out


def to_file_dict(fw: Framework, *, nested: bool = False, explicit: bool = False) -> dict[str, Any]:
    """The file form of *fw*: nested ``children`` or a flat node list with ``parent`` codes."""
    nodes = (
        [_node_out(r, fw, nested=True) for r in fw.roots]
        if nested
        else [_node_out(n, fw, nested=False, explicit=explicit) for n in fw]
    )
    return clean(
        {
            "format": FORMAT_VERSION,
            "id": fw.id,
            "edition": fw.edition,
            "title": text_out(fw.title),
            "issuer": text_out(fw.issuer),
            "legal_basis": text_out(fw.legal_basis),
            "year": fw.year,
            "status": fw.status if fw.status != "official" else None,
            "note": text_out(fw.note),
            "provenance": prov_out(fw.provenance),
            "sources": [
                clean(
                    {
                        "key": s.key,
                        "url": s.url,
                        "title": s.title,
                        "kind": s.kind.value if s.kind and s.kind != fw.source_kind else None,
                        "locator": s.locator,
                    }
                )
                for s in fw.sources
            ],
            "source_kind": fw.source_kind.value if fw.source_kind else None,
            "index": fw.index,
            "scale": _scale_out(fw.scale),
            "predicates": None
            if fw.predicates is None
            else clean(
                {
                    "bands": [_band_out(b) for b in fw.predicates.bands],
                    "provenance": prov_out(fw.predicates.provenance),
                }
            ),
            "weights": fw.weights if fw.weights != "local" else None,
            "weight_total": fw.weight_total if fw.weight_total != 1 else None,
            "ladders": [
                clean(
                    {
                        "code": lad.code,
                        "name": text_out(lad.name),
                        "levels": [
                            clean(
                                {
                                    "value": lv.value,
                                    "name": text_out(lv.name),
                                    "description": text_out(lv.description),
                                }
                            )
                            for lv in lad.levels
                        ],
                        "provenance": prov_out(lad.provenance),
                    }
                )
                for lad in fw.ladders
            ],
            "stages": [
                clean(
                    {
                        "code": st.code,
                        "label": text_out(st.label),
                        "description": text_out(st.description),
                        "window_hours": st.window_hours,
                        "provenance": prov_out(st.provenance),
                        "field_provenance": {
                            k: prov_out(v) for k, v in st.field_provenance.items()
                        },
                    }
                )
                for st in fw.stages
            ],
            "evidence_kinds": _terms_out(fw.evidence_kinds),
            "categories": _terms_out(fw.categories),
            "enablers": _terms_out(fw.enablers),
            "units": _terms_out(fw.units),
            "survey": None
            if fw.survey is None
            else clean(
                {
                    "programmes_per": fw.survey.programmes_per,
                    "respondents_min": fw.survey.respondents_min,
                    "respondents_per": fw.survey.respondents_per,
                    "split_respondents_per": fw.survey.split_respondents_per,
                    "scale": _scale_out(fw.survey.scale),
                    "provenance": prov_out(fw.survey.provenance),
                }
            ),
            "method": None if fw.method is None else _method_out(fw.method),
            "nodes": nodes,
        }
    )


def _method_out(m: Method) -> dict[str, Any]:
    return clean(
        {
            "code": m.code,
            "label": text_out(m.label),
            "normalise": m.normalise,
            "aggregate": m.aggregate,
            "min_availability": m.min_availability,
            "unit_min_coverage": m.unit_min_coverage,
            "bands": [_band_out(b) for b in m.bands],
            "description": text_out(m.description),
            "provenance": prov_out(m.provenance),
        }
    )


def _band_out(b: Band) -> dict[str, Any]:
    return clean({"code": b.code, "label": text_out(b.label), "lower": b.lower, "upper": b.upper})
