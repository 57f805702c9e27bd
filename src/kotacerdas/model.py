"""The framework model: immutable objects for a framework edition and its nodes.

A framework edition (:class:`Framework`) is a forest of :class:`Node` trees of any
depth.  One tree is usually the *index* tree (the nodes whose weighted aggregate is
the framework's index); other trees are classification axes, such as GM100SC's six
smart dimensions, along which programmes are tagged.  Nothing here is specific to a
framework: GM100SC, SPBE and metric frameworks such as Giffinger's differ only in
their data.

Every value that comes from a source carries a :class:`Provenance`, either its own
(``node.provenance_of("weight")``) or, failing that, the node's or the framework's.

These objects are built from framework files by :mod:`kotacerdas.frameworks`; they
are frozen and slotted, so they are cheap, hashable and safe to share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, TypeAlias

import attrs

from kotacerdas._arguments import Choice
from kotacerdas._decimal import as_decimal, from_float
from kotacerdas.errors import NodeNotFoundError
from kotacerdas.i18n import Lang, resolve_language

__all__ = [
    "AGGREGATIONS",
    "Aggregation",
    "Band",
    "Confidence",
    "Denominator",
    "Direction",
    "EvidenceRequirement",
    "Framework",
    "Ladder",
    "LadderLevel",
    "Level",
    "Method",
    "Node",
    "Predicates",
    "Provenance",
    "Rubric",
    "Scale",
    "Source",
    "SourceKind",
    "Stage",
    "SurveyRules",
    "Term",
    "Text",
    "WeightMode",
    "normalise_key",
]


class Confidence(Choice):
    """How sure the record is of a datum.

    ``CONFIRMED``: a cited source states it.  ``INFERRED``: derived from sourced
    numbers (arithmetic, pattern), stated by no source.  ``UNCERTAIN``: a single weak
    source, or sources that conflict.  ``ASSUMED``: the record is silent and this
    library chose a value so that something can be computed (replace it with your
    own).  ``NOT_PUBLISHED``: looked for and not found in the sources consulted; the
    datum is left empty rather than invented.
    """

    CONFIRMED = "confirmed"
    INFERRED = "inferred"
    UNCERTAIN = "uncertain"
    ASSUMED = "assumed"
    NOT_PUBLISHED = "not_published"


class SourceKind(Choice):
    """What kind of source a datum rests on.

    ``PRIMARY``: the regulation, letter, guideline or publication of the issuing body
    itself (or a faithful copy of it).  ``SECONDARY``: a news article, a regional
    government page, an app or repository, a blog: someone else's report of it.
    ``OWN``: this library's own inference or assumption from the sources.
    """

    PRIMARY = "primary"
    SECONDARY = "secondary"
    OWN = "own"


class Direction(Choice):
    """Whether higher values of a metric indicator are better (``POSITIVE``) or worse."""

    POSITIVE = "positive"
    NEGATIVE = "negative"

    @property
    def sign(self) -> int:
        """``+1`` or ``-1``."""
        return 1 if self is Direction.POSITIVE else -1


Aggregation: TypeAlias = Literal[
    "arithmetic", "geometric", "harmonic", "median", "minimum", "maximum", "sum", "copeland"
]
"""How a node combines its children: a weighted form when the children have weights."""

AGGREGATIONS: tuple[Aggregation, ...] = (
    "arithmetic",
    "geometric",
    "harmonic",
    "median",
    "minimum",
    "maximum",
    "sum",
    "copeland",
)

WeightMode: TypeAlias = Literal["local", "global", "relative"]
"""How weights are written.

``local``: each node's weight is its share of its parent, and siblings' weights add up
to :attr:`Framework.weight_total`.  ``global``: each node's weight is its share of the
whole, and children's weights add up to their parent's.  ``relative``: any
non-negative numbers, normalised within each set of siblings.
"""


def normalise_key(key: str) -> str:
    """The form used to look codes and aliases up: case-folded, without white space.

    >>> normalise_key("  Tata Kelola  Birokrasi ")
    'tatakelolabirokrasi'
    """
    return "".join(key.split()).casefold()


def _freeze_mapping(m: Mapping[str, Provenance]) -> Mapping[str, Provenance]:
    return MappingProxyType(dict(m))


@attrs.frozen
class Text:
    """A text in Bahasa Indonesia (authoritative) and, where translated, English.

    >>> Text("Layanan Publik", "Public service").get("en")
    'Public service'
    >>> Text("Quick Win").get("en")
    'Quick Win'
    """

    id: str
    en: str | None = None

    def get(self, lang: str | None = None) -> str:
        """The text in *lang*; English falls back to Bahasa Indonesia when untranslated."""
        if resolve_language(lang) == "en" and self.en is not None:
            return self.en
        return self.id

    def __str__(self) -> str:
        return self.get()


@attrs.frozen
class Source:
    """A cited source: a web page, a letter or a regulation.

    Attributes:
        key: Short name used to cite it from provenance records, if it has one.
        url: Where it can be read, if anywhere.
        title: What it is, e.g. a letter number and date.
        kind: Primary (the issuer's own text) or secondary (a report of it), if known.
        locator: Where to find it when there is no URL (a repository path, a page of
            a document), or why it cannot be located.
    """

    key: str | None = None
    url: str | None = None
    title: str | None = None
    kind: SourceKind | None = None
    locator: str | None = None

    def __str__(self) -> str:
        parts = [p for p in (self.title, self.url or self.locator) if p]
        return " — ".join(parts) if parts else (self.key or "")


@attrs.frozen
class Provenance:
    """Where a datum comes from and how sure the record is of it."""

    confidence: Confidence
    sources: tuple[Source, ...] = ()
    note: Text | None = None

    @property
    def urls(self) -> tuple[str, ...]:
        """The URLs among the sources."""
        return tuple(s.url for s in self.sources if s.url)

    @property
    def kind(self) -> SourceKind | None:
        """What the datum rests on: our own inference or assumption, else the best source.

        ``OWN`` for inferred and assumed data; otherwise ``PRIMARY`` when a primary
        source is cited, ``SECONDARY`` when only secondary ones are, ``None`` when the
        sources' kind is not recorded.

        >>> Provenance(Confidence.ASSUMED).kind
        <SourceKind.OWN: 'own'>
        """
        if self.confidence in (Confidence.INFERRED, Confidence.ASSUMED):
            return SourceKind.OWN
        kinds = {s.kind for s in self.sources}
        for kind in (SourceKind.PRIMARY, SourceKind.SECONDARY):
            if kind in kinds:
                return kind
        return None


@attrs.frozen
class EvidenceRequirement:
    """A kind of supporting document (*eviden*, *data dukung*) an item or level needs.

    Attributes:
        description: What document is expected.
        level: The rubric level it supports; ``None`` for the item as a whole.
        kind: A code from the framework's evidence kinds, if it names one.
    """

    description: Text
    level: int | None = None
    kind: str | None = None


@attrs.frozen
class LadderLevel:
    """One rung of a maturity ladder: its value, name and general meaning."""

    value: int
    name: Text
    description: Text | None = None


@attrs.frozen
class Ladder:
    """A named maturity ladder shared by many indicators (e.g. SPBE's process ladder)."""

    code: str
    name: Text
    levels: tuple[LadderLevel, ...]
    provenance: Provenance

    def level(self, value: int) -> LadderLevel | None:
        """The rung with *value*, if the ladder has one."""
        return next((lv for lv in self.levels if lv.value == value), None)


@attrs.frozen
class Level:
    """One level of an item's rubric: value, name and the item's own criteria."""

    value: int
    name: Text
    criteria: Text | None = None


@attrs.frozen
class Rubric:
    """The ordered levels of a maturity item and what each requires.

    Attributes:
        levels: Levels in ascending order, consecutive from :attr:`minimum`.
        cumulative: The staircase rule: a level counts only when every lower level is
            met too ("level *n* requires level *n* − 1").
        ladder: Code of the framework ladder the level names come from, if any.
        evidence: Evidence requirements, for the item (``level is None``) or a level.
        provenance: Where the rubric texts come from.
    """

    levels: tuple[Level, ...]
    cumulative: bool = True
    ladder: str | None = None
    evidence: tuple[EvidenceRequirement, ...] = ()
    provenance: Provenance | None = None

    @property
    def minimum(self) -> int:
        """The lowest level (0 or 1 in the bundled frameworks)."""
        return self.levels[0].value

    @property
    def maximum(self) -> int:
        """The highest level."""
        return self.levels[-1].value

    def level(self, value: int) -> Level | None:
        """The level with *value*, if the rubric has one."""
        index = value - self.minimum
        return self.levels[index] if 0 <= index < len(self.levels) else None

    def evidence_for(self, level: int | None) -> tuple[EvidenceRequirement, ...]:
        """Evidence required for *level* (``None``: for the item as a whole)."""
        return tuple(e for e in self.evidence if e.level == level)

    def achieved(self, met: Iterable[int]) -> int | None:
        """The level earned when the levels in *met* are supported by evidence.

        Under the cumulative rule this is the highest level reached without a gap
        from the minimum; otherwise the highest level met.  ``None`` when no level
        counts.

        >>> r = Rubric(tuple(Level(v, Text(str(v))) for v in range(1, 6)))
        >>> r.achieved({1, 2, 4})
        2
        >>> r.achieved({2, 3}) is None
        True
        """
        met_set = {m for m in met if self.level(m) is not None}
        if not self.cumulative:
            return max(met_set, default=None)
        reached: int | None = None
        for lv in self.levels:
            if lv.value not in met_set:
                break
            reached = lv.value
        return reached


@attrs.frozen
class Band:
    """A predicate band: the half-open interval ``[lower, upper)`` and its name.

    ``None`` bounds are unbounded.  The top band of a :class:`Predicates` is closed
    on its upper bound.
    """

    code: str
    label: Text
    lower: Decimal | None
    upper: Decimal | None


@attrs.frozen
class Predicates:
    """Ordered predicate bands (e.g. SPBE's *Kurang* … *Memuaskan*)."""

    bands: tuple[Band, ...]
    provenance: Provenance

    def classify(self, value: Decimal | int | float) -> Band | None:
        """The band *value* falls in, or ``None`` when it lies outside all of them.

        Bands are half-open ``[lower, upper)``; the last band includes its upper bound.
        A float is read as the decimal it prints as (``3.5`` is exactly 3.5).
        """
        value = as_decimal(value)
        last = len(self.bands) - 1
        for i, band in enumerate(self.bands):
            if band.lower is not None and value < band.lower:
                continue
            if band.upper is None or value < band.upper or (i == last and value == band.upper):
                return band
        return None


@attrs.frozen
class Denominator:
    """What a metric indicator is divided by to become a rate: ``value / (by / per)``.

    Attributes:
        by: A column of the indicator data (GDP, households …), or ``"population"`` or
            ``"area"`` (km²) of the region registry.
        per: The scale of the rate: 100000 for "per 100,000 people", 1 for "per km²".
    """

    by: str
    per: Decimal = Decimal(1)


@attrs.frozen
class Scale:
    """The range of a score and how it is published.

    Attributes:
        minimum: Lowest possible value.
        maximum: Highest possible value.
        decimals: Decimal places of published values, if known.
        rounding: Rounding rule for publication (``"half_up"`` or ``"half_even"``).
        provenance: Where the scale comes from, as a whole.
        field_provenance: Provenance of single fields (``minimum``, ``maximum``,
            ``decimals``, ``rounding``) where it differs from the whole's.
    """

    minimum: Decimal
    maximum: Decimal
    decimals: int | None = None
    rounding: Literal["half_up", "half_even"] = "half_up"
    provenance: Provenance | None = None
    field_provenance: Mapping[str, Provenance] = attrs.field(
        factory=dict, converter=_freeze_mapping, hash=False
    )

    def provenance_of(self, field: str) -> Provenance | None:
        """The provenance of *field*: its own record, else the scale's."""
        return self.field_provenance.get(field, self.provenance)

    def __contains__(self, value: object) -> bool:
        if isinstance(value, float):
            value = from_float(value)
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            return False
        return self.minimum <= value <= self.maximum


@attrs.frozen
class Stage:
    """A stage of an evaluation (self-assessment, tahap I, interview …).

    Attributes:
        window_hours: For stages that allow evidence to be topped up after an
            interview, the length of that window in hours.
        field_provenance: Provenance of single fields (e.g. ``window_hours``) where it
            differs from the stage's.
    """

    code: str
    label: Text
    description: Text | None = None
    window_hours: int | None = None
    provenance: Provenance | None = None
    field_provenance: Mapping[str, Provenance] = attrs.field(
        factory=dict, converter=_freeze_mapping, hash=False
    )

    def provenance_of(self, field: str) -> Provenance | None:
        """The provenance of *field*: its own record, else the stage's."""
        return self.field_provenance.get(field, self.provenance)


@attrs.frozen
class Term:
    """A named concept of a framework: an evidence kind, a result category, an enabler."""

    code: str
    label: Text
    definition: Text | None = None
    provenance: Provenance | None = None


@attrs.frozen
class Method:
    """A framework's own computation method, as data (a *preset* for the engine).

    Attributes:
        normalise: The engine's normalisation method name (``"zscore"`` …), if any.
        aggregate: How every aggregate combines its children, if one method for all.
        min_availability: Share of a node's children that must have a value for the
            node to get a score (e.g. Giffinger's mean of available values), if set.
        unit_min_coverage: Share of indicators a unit must report to be ranked at all.
        bands: Scoring bands (e.g. U4SSC's points by share of target reached).
        description: The method in words.
    """

    code: str
    label: Text
    normalise: str | None = None
    aggregate: Aggregation | None = None
    min_availability: Decimal | None = None
    unit_min_coverage: Decimal | None = None
    bands: tuple[Band, ...] = ()
    description: Text | None = None
    provenance: Provenance | None = None


@attrs.frozen
class SurveyRules:
    """Sampling rules of an impact survey.

    Attributes:
        programmes_per: Node kind that gets one surveyed programme each
            (GM100SC: one per sub-dimension).
        respondents_min: Minimum respondents per sampling unit.
        respondents_per: Node kind that is the sampling unit in the single-form mode.
        split_respondents_per: Node kind that is the sampling unit when the form is
            split (one form per sub-dimension), if splitting is allowed.
        scale: The answer scale.
    """

    programmes_per: str | None
    respondents_min: int
    respondents_per: str
    split_respondents_per: str | None = None
    scale: Scale | None = None
    provenance: Provenance | None = None


@attrs.frozen
class Node:
    """A node of a framework tree: a dimension, component, aspect, indicator ….

    Attributes:
        code: Stable identity, unique within the framework (``G1``, ``QW``, ``I47``).
        kind: What the node is (``dimension``, ``sub_dimension``, ``component``,
            ``domain``, ``aspect``, ``indicator``, ``criterion`` …).
        label: Name in Bahasa Indonesia and English.
        parent: Code of the parent, ``None`` for a root.
        children: Child nodes, in order.
        aliases: Older or alternative names; look-ups accept them.
        tags: Classifications the framework gives the node (U4SSC's ``core`` or
            ``advanced``, ``smart``, ``sustainability`` or ``structural``).
        definition: What the node measures, in our words unless sourced.
        weight: The weight as written in the file (see :attr:`Framework.weights`);
            ``None`` for unweighted nodes.  Use :meth:`Framework.share` for the share
            of the parent and :meth:`Framework.global_share` for the share of the whole.
        aggregation: How the node combines its children, if it does and it is known.
        inputs: Codes of nodes outside its subtree that its score is derived from
            (e.g. an Impact component derived from the six dimension scores).
        rubric: Levels of a maturity item, if it is one.
        evidence: Evidence the item needs as a whole (level evidence is in the rubric).
        scale: The range of the node's score, when it differs from the framework's.
        unit: Unit of a metric indicator.
        direction: Whether higher is better, for metric indicators.
        target: A target value, for distance-to-target methods.
        imported_from: The other evaluation whose score this indicator takes over
            (Pemdi 2026's I5 takes the Satu Data Indonesia score), if any.
        expected_children: How many children the sources say the node has, when
            they say so; fewer listed children mean the record is incomplete here
            (see :meth:`Framework.completeness`).
        denominator: What a metric indicator is divided by before normalising (a rate
            per person, per km² …); builds apply it unless they say otherwise.
        provenance: Where the node (its existence and label) comes from.
        field_provenance: Provenance of single fields that differ from the node's own,
            by field name (``weight``, ``aggregation``, ``rubric`` …; ``order`` for the
            node's position among its siblings, i.e. which code it has).
        note: Anything a reader should know (doubts, conflicts, gaps).
    """

    code: str
    kind: str
    label: Text
    provenance: Provenance
    parent: str | None = None
    children: tuple[Node, ...] = attrs.field(
        default=(), repr=lambda cs: "(" + ", ".join(c.code for c in cs) + ")"
    )
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    definition: Text | None = None
    weight: Decimal | None = None
    aggregation: Aggregation | None = None
    inputs: tuple[str, ...] = ()
    rubric: Rubric | None = None
    evidence: tuple[EvidenceRequirement, ...] = ()
    scale: Scale | None = None
    unit: str | None = None
    direction: Direction | None = None
    target: Decimal | None = None
    imported_from: Text | None = None
    expected_children: int | None = None
    denominator: Denominator | None = None
    field_provenance: Mapping[str, Provenance] = attrs.field(
        factory=dict, converter=_freeze_mapping, hash=False
    )
    note: Text | None = None

    def provenance_of(self, field: str) -> Provenance:
        """The provenance of *field*: its own record, else the node's."""
        return self.field_provenance.get(field, self.provenance)

    @property
    def is_leaf(self) -> bool:
        """``True`` when the node has no children."""
        return not self.children

    def __iter__(self) -> Iterator[Node]:
        """The node and all its descendants, depth first, in order."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


_NODE_DATA_FIELDS: tuple[str, ...] = (
    "imported_from",
    "expected_children",
    "aliases",
    "tags",
    "definition",
    "weight",
    "aggregation",
    "inputs",
    "rubric",
    "evidence",
    "scale",
    "unit",
    "direction",
    "target",
    "denominator",
)


@attrs.frozen(cache_hash=True)
class Framework:
    """One edition of a framework: its metadata and its forest of nodes.

    Look nodes up by code or alias with :meth:`node` (``fw.node("g1")``,
    ``fw.node("Pelayanan")``), walk them with iteration, and read weights with
    :meth:`share`, :meth:`global_share` and :meth:`effective_weight`.

    Attributes:
        id: Framework id (``gm100sc``, ``spbe``).
        edition: Edition name (``2024``, ``2020``).
        title: Full name.
        issuer: Issuing body.
        legal_basis: The regulation, letter or guideline the edition rests on.
        year: The year the edition applies to, if it has one.
        status: ``"official"``, ``"provisional"`` or ``"illustrative"``.
        roots: The top-level nodes.
        index: Code of the root whose score is the framework index, if any.
        scale: Range and publication rule of the index.
        predicates: Predicate bands of the index, if any.
        weights: Whether node weights are written as shares of the parent
            (``local``) or of the whole (``global``).
        weight_total: What a full set of weights adds up to (1 or 100).
        ladders: Shared maturity ladders.
        stages: Evaluation stages, in order.
        evidence_kinds: Kinds of supporting document.
        categories: Result categories (e.g. *Indeks Pencapaian*, *Indeks Peningkatan*).
        enablers: Enabling conditions the framework names.
        units: Assessed units that are not regions (e.g. central agencies), by code.
        survey: Rules of the impact survey, if the framework has one.
        method: The framework's own computation method, if it has one as data.
        sources: Sources cited by the edition.
        source_kind: The kind of every source not classified one by one (e.g. all
            SPBE 2020 sources are secondary: the annex itself was not available).
        provenance: The edition's own provenance, and the default of its nodes.
        note: Anything a reader should know about the edition.
    """

    id: str
    edition: str
    title: Text
    issuer: Text
    provenance: Provenance
    roots: tuple[Node, ...]
    legal_basis: Text | None = None
    year: int | None = None
    status: Literal["official", "provisional", "illustrative"] = "official"
    index: str | None = None
    scale: Scale | None = None
    predicates: Predicates | None = None
    weights: WeightMode = "local"
    weight_total: Decimal = Decimal(1)
    ladders: tuple[Ladder, ...] = ()
    stages: tuple[Stage, ...] = ()
    evidence_kinds: tuple[Term, ...] = ()
    categories: tuple[Term, ...] = ()
    enablers: tuple[Term, ...] = ()
    units: tuple[Term, ...] = ()
    survey: SurveyRules | None = None
    method: Method | None = None
    sources: tuple[Source, ...] = ()
    source_kind: SourceKind | None = None
    note: Text | None = None
    _by_code: Mapping[str, Node] = attrs.field(
        init=False, eq=False, repr=False, hash=False, alias="_by_code"
    )
    _by_key: Mapping[str, Node] = attrs.field(
        init=False, eq=False, repr=False, hash=False, alias="_by_key"
    )
    _totals: dict[str, Fraction] = attrs.field(
        init=False, eq=False, repr=False, hash=False, alias="_totals", factory=dict
    )

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, Node] = {}
        by_key: dict[str, Node] = {}
        for root in self.roots:
            for node in root:
                by_code[node.code] = node
        # Labels find a node only when no other node has the same label.
        labels: dict[str, Node | None] = {}  # None: the label of several nodes
        for node in by_code.values():
            for text in (node.label.id, node.label.en):
                if text:
                    key = normalise_key(text)
                    labels[key] = node if labels.get(key, node) is node else None
        by_key.update((key, node) for key, node in labels.items() if node is not None)
        # Codes win over aliases, aliases over labels: register in that reverse order.
        for node in by_code.values():
            for alias in node.aliases:
                by_key[normalise_key(alias)] = node
        for node in by_code.values():
            by_key[normalise_key(node.code)] = node
        object.__setattr__(self, "_by_code", MappingProxyType(by_code))
        object.__setattr__(self, "_by_key", MappingProxyType(by_key))

    # -- identity -------------------------------------------------------------------------

    @property
    def ref(self) -> str:
        """``ID@EDITION``, e.g. ``gm100sc@2024``."""
        return f"{self.id}@{self.edition}"

    def __str__(self) -> str:
        return self.ref

    # -- look-up --------------------------------------------------------------------------

    def get(self, key: str) -> Node | None:
        """The node whose code, alias or label is *key* (case- and space-insensitive), or ``None``.

        Codes come first, then aliases, then labels (Bahasa Indonesia or English) that
        belong to one node only.
        """
        return self._by_code.get(key) or self._by_key.get(normalise_key(key))

    def node(self, key: str) -> Node:
        """The node whose code or alias is *key*.

        Raises:
            NodeNotFoundError: no node has that code or alias.
        """
        found = self.get(key)
        if found is None:
            raise NodeNotFoundError("lookup.node", key=key, framework=self.ref)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[Node]:
        """Every node, depth first, root by root."""
        for root in self.roots:
            yield from root

    def __len__(self) -> int:
        return len(self._by_code)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every node code, depth first."""
        return tuple(self._by_code)

    def nodes(self, kind: str | None = None) -> tuple[Node, ...]:
        """All nodes, or those of *kind*, depth first."""
        return tuple(n for n in self._by_code.values() if kind is None or n.kind == kind)

    @property
    def index_node(self) -> Node | None:
        """The root of the index tree, if the framework has an index."""
        return self._by_code[self.index] if self.index is not None else None

    def ladder(self, code: str) -> Ladder:
        """The maturity ladder *code*.

        Raises:
            NodeNotFoundError: the framework has no such ladder (a :class:`LookupError`).
        """
        for ladder in self.ladders:
            if ladder.code == code:
                return ladder
        raise NodeNotFoundError("lookup.ladder", ladder=code, framework=self.ref)

    # -- traversal ------------------------------------------------------------------------

    def parent(self, key: str) -> Node | None:
        """The parent of a node, ``None`` for a root."""
        code = self.node(key).parent
        return self._by_code[code] if code is not None else None

    def children(self, key: str) -> tuple[Node, ...]:
        """The children of a node, in order."""
        return self.node(key).children

    def ancestors(self, key: str) -> tuple[Node, ...]:
        """The ancestors of a node, nearest first."""
        out: list[Node] = []
        parent = self.parent(key)
        while parent is not None:
            out.append(parent)
            parent = self._by_code[parent.parent] if parent.parent is not None else None
        return tuple(out)

    def path(self, key: str) -> tuple[Node, ...]:
        """The nodes from the root down to and including the node."""
        return (*reversed(self.ancestors(key)), self.node(key))

    def leaves(self, key: str | None = None) -> tuple[Node, ...]:
        """The leaves under a node (or of the whole framework), in order."""
        start: Iterable[Node] = self.node(key) if key is not None else self
        return tuple(n for n in start if n.is_leaf)

    # -- weights --------------------------------------------------------------------------

    def share(self, key: str) -> Fraction | None:
        """The node's weight as an exact share of its parent (its siblings' shares sum to 1).

        ``None`` for roots and unweighted nodes.
        """
        node = self.node(key)
        if node.weight is None or node.parent is None:
            return None
        total = self._totals.get(node.parent)
        if total is None:  # once per parent, so sharing out n siblings stays linear
            siblings = self._by_code[node.parent].children
            weights = (Fraction(s.weight) for s in siblings if s.weight is not None)
            total = self._totals[node.parent] = sum(weights, Fraction(0))
        return Fraction(node.weight) / total if total else None

    def effective_weight(self, key: str, ancestor: str | None = None) -> Fraction | None:
        """The product of the node's shares along the path up to *ancestor* (default: its root).

        This is the weight the node effectively carries in *ancestor*'s score.
        ``None`` when a node on the way is unweighted.

        Raises:
            NodeNotFoundError: *ancestor* is not an ancestor of the node.
        """
        node = self.node(key)
        stop = self.node(ancestor).code if ancestor is not None else None
        result = Fraction(1)
        current = node
        while current.code != stop and current.parent is not None:
            share = self.share(current.code)
            if share is None:
                return None
            result *= share
            current = self._by_code[current.parent]
        if stop is not None and current.code != stop:
            raise NodeNotFoundError("path.not-descendant", descendant=key, ancestor=ancestor)
        return result

    def global_share(self, key: str) -> Fraction | None:
        """The node's exact share of its whole tree (the index, for the index tree)."""
        node = self.node(key)
        if node.parent is None:
            return None
        return self.effective_weight(node.code)

    def global_weight(self, key: str) -> Decimal | None:
        """The node's share of the whole in the units of :attr:`weight_total` (e.g. percent).

        For SPBE this is the familiar "% of the index" (``I1`` → ``1.3``).
        """
        share = self.global_share(key)
        if share is None:
            return None
        value = share * Fraction(self.weight_total)
        return Decimal(value.numerator) / Decimal(value.denominator)

    def label(self, key: str, lang: Lang | None = None) -> str:
        """The label of a node in *lang*."""
        return self.node(key).label.get(lang)

    # -- provenance ---------------------------------------------------------------------

    def data_provenance(self) -> Iterator[tuple[str, str, Provenance]]:
        """``(where, field, provenance)`` for every datum of the edition.

        *where* is a node code, or ``""`` for the edition's own data (scale, predicates,
        ladders, stages, terms, survey).  A node contributes its label and every field
        it sets or has a provenance record for (a record of a field found in no source
        counts as a datum: "not published" is what is known about it).
        """
        own = self.provenance
        if self.scale is not None:
            for name in ("minimum", "maximum", "decimals", "rounding"):
                if name != "decimals" or self.scale.decimals is not None:
                    yield "", f"scale.{name}", self.scale.provenance_of(name) or own
        if self.predicates is not None:
            yield "", "predicates", self.predicates.provenance
        for ladder in self.ladders:
            yield "", f"ladders.{ladder.code}", ladder.provenance
        for stage in self.stages:
            yield "", f"stages.{stage.code}", stage.provenance or own
            for name, prov in stage.field_provenance.items():
                yield "", f"stages.{stage.code}.{name}", prov
        for kind, terms in (
            ("evidence_kinds", self.evidence_kinds),
            ("categories", self.categories),
            ("enablers", self.enablers),
            ("units", self.units),
        ):
            for term in terms:
                yield "", f"{kind}.{term.code}", term.provenance or own
        if self.survey is not None:
            yield "", "survey", self.survey.provenance or own
        for node in self:
            fields = {"label"} | set(node.field_provenance)
            fields |= {name for name in _NODE_DATA_FIELDS if getattr(node, name) not in (None, ())}
            for name in sorted(fields):
                yield node.code, name, node.provenance_of(name)

    def completeness(self, key: str | None = None) -> tuple[int, int] | None:
        """``(listed, expected)`` children of a node whose sources give a count.

        Without *key*: summed over every node that has an expected count (``None`` when
        none has).  A node is complete when ``listed >= expected``.

        >>> from kotacerdas import frameworks
        >>> frameworks.load("giffinger@2007").completeness("INDEX")
        (6, 6)
        """
        nodes = [self.node(key)] if key is not None else list(self)
        pairs = [(len(n.children), n.expected_children) for n in nodes if n.expected_children]
        if not pairs:
            return None
        return sum(a for a, _ in pairs), sum(b for _, b in pairs)

    def confidence_shares(self) -> dict[Confidence, Fraction]:
        """The share of the edition's data (:meth:`data_provenance`) at each confidence.

        Every confidence is a key, in the enum's order; the shares add up to 1.
        """
        counts = dict.fromkeys(Confidence, 0)
        for _, _, prov in self.data_provenance():
            counts[prov.confidence] += 1
        total = sum(counts.values())
        return {c: Fraction(n, total) if total else Fraction(0) for c, n in counts.items()}
