"""Official indices, computed exactly from the framework data.

The official GM100SC and SPBE indices are weighted arithmetic means of their inputs
(the five GM100SC components; the 47 SPBE indicator levels), with the weights of the
framework edition.  :func:`score` computes them in exact rational arithmetic and
reports, for every node of the index tree, the exact value, the value as published
(rounded as the edition publishes it), the interval the *rounded* inputs allow, the
predicate, and how many inputs were missing.  Nothing here is specific to one
framework: weights, scales, rounding and predicates all come from the data files.

Published inputs are themselves rounded (GM100SC components to 2 decimals), so a
published index can only be checked *within an interval*: Kota Kediri's 2022
components (3.60, 3.21, 3.23, 3.07, 3.65) give exactly 3.315 under the 2022 weights,
which half-up rounding would publish as 3.32 — yet 3.31 was published.  With each
component known only to ±0.005 the index lies in [3.310, 3.320], and 3.31 is
*consistent* with that; under the older 10/20/30/30/10 scheme (3.257, interval
[3.252, 3.262]) it is not.

>>> from decimal import Decimal
>>> from kotacerdas import frameworks
>>> from kotacerdas.assessment import Assessment, Score
>>> parts = dict(BASE="3.60", OUT="3.21", OUTC="3.23", IMP="3.07", QW="3.65", INDEX="3.31")
>>> kediri = Assessment("35.71", 2022, "gm100sc", "2022",
...                    scores=tuple(Score(k, Decimal(v)) for k, v in parts.items()))
>>> result = score(kediri)
>>> result.index.exact, result.index.published, result.index.bounds
(Decimal('3.315'), Decimal('3.32'), (Decimal('3.310'), Decimal('3.320')))
>>> result.consistency.consistent
True
>>> score(kediri, frameworks.load("gm100sc@pre2021"), check_edition=False).consistency.consistent
False
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Final, Literal

import attrs

from kotacerdas import __version__
from kotacerdas._decimal import EXACT, as_decimal, is_weighted, to_decimal
from kotacerdas.assessment import FINAL, Assessment, Kind
from kotacerdas.errors import ScoringError
from kotacerdas.model import Band, Confidence, Framework, Node, Scale

__all__ = [
    "DISPLAY_DECIMALS",
    "Consistency",
    "MissingPolicy",
    "NodeScore",
    "Result",
    "check_published",
    "improvement",
    "score",
    "to_decimal",
]

LevelSource = Literal["claimed", "evidence"]
MissingPolicy = Literal["fail", "omit", "keep"]
"""What to do when an input is missing: the names of :data:`kotacerdas.panel.MissingPolicy`.

``fail`` (the default): refuse the assessment, listing what is missing.  ``omit``: drop
missing inputs and renormalise the others' weights.  ``keep``: score what can be scored;
an aggregate with a missing input has no value, and the missing inputs are counted.
"""


class _Rows(list[dict[str, Any]]):
    """Rows, that a code (the old one-row ``to_wide()``) still indexes, with a warning."""

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            warnings.warn(
                "Result.to_wide() returns a list of rows, as PanelResult.to_wide() and the "
                "engine's do; write to_wide()[0][code]",
                DeprecationWarning,
                stacklevel=2,
            )
            return super().__getitem__(0)[key]
        return super().__getitem__(key)


def _half_unit(value: Decimal) -> Fraction:
    """Half a unit in the last written place: ``3.60`` → 0.005, ``3`` → 0.5."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return _half_at(exponent)


@functools.lru_cache(maxsize=64)
def _half_at(exponent: int) -> Fraction:
    return Fraction(1, 2) * Fraction(10) ** exponent


_fraction: Final = functools.lru_cache(maxsize=8192)(Fraction)
"""``Fraction(value)`` of a decimal, remembered: weights and scores repeat across assessments.

Equal decimals (``3.6``, ``3.60``) are one key, and rightly: their fractions are equal.
"""


def _round(value: Fraction, decimals: int, rounding: str) -> Decimal:
    mode = ROUND_HALF_UP if rounding == "half_up" else ROUND_HALF_EVEN
    q = EXACT.divide(Decimal(value.numerator), Decimal(value.denominator))
    return q.quantize(Decimal(1).scaleb(-decimals), mode, EXACT)


@attrs.frozen
class Consistency:
    """Whether a published value can come from the rounded inputs.

    Attributes:
        published: The published value checked.
        bounds: Lowest and highest exact value the rounded inputs allow.
        consistent: Whether some value in ``bounds`` rounds to ``published``.
        framework: The edition whose weights were used.
    """

    published: Decimal
    bounds: tuple[Decimal, Decimal]
    consistent: bool
    framework: str

    def message(self, lang: str | None = None) -> str:
        """A plain sentence saying whether the published value fits."""
        from kotacerdas.i18n import message

        code = "consistency.ok" if self.consistent else "consistency.no"
        return message(
            code,
            lang,
            published=self.published,
            low=self.bounds[0],
            high=self.bounds[1],
            framework=self.framework,
        )


DISPLAY_DECIMALS = 2
"""Decimals of a value rounded for display only, when its edition states no rounding (SPBE)."""


@attrs.frozen
class NodeScore:
    """The score of one node in a :class:`Result`.

    Attributes:
        code: The node.
        exact: Exact value (rounded to 28 decimals only if it does not terminate);
            ``None`` when inputs are missing under the ``fail`` policy.
        published: ``exact`` rounded as the framework publishes it, if it says how.
        bounds: Lowest and highest exact value the rounded inputs allow.
        given: The value the assessment gives for this node, if any.
        level: For rubric items, the level used (claimed, or supported by evidence).
        claimed: For rubric items, the level the assessment claims.
        predicate: The predicate band of ``published`` (or ``exact``), if any.
        missing: How many inputs below this node had no score.
        derived: ``True`` when computed (from children or ``inputs``), not given.
        confidence: How sure the rule that produced the value is (``inferred`` for
            the GM100SC Impact-from-dimensions rule).
        contribution: The node's weighted share of its parent's value.
    """

    code: str
    exact: Decimal | None
    published: Decimal | None = None
    bounds: tuple[Decimal, Decimal] | None = None
    given: Decimal | None = None
    level: int | None = None
    claimed: int | None = None
    predicate: Band | None = None
    missing: int = 0
    derived: bool = False
    confidence: Confidence = Confidence.CONFIRMED
    contribution: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        """The value a reader sees: published when the rounding is known, else exact."""
        return self.published if self.published is not None else self.exact

    @property
    def display(self) -> Decimal | None:
        """The value for a person to read, never a long tail of digits.

        As published when the edition states its rounding; else the exact value, rounded
        half-up to :data:`DISPLAY_DECIMALS` decimals when it has more (SPBE:
        ``3.5274725…`` shows as ``3.53``) — for display only, see :attr:`display_only`.
        """
        if self.display_only:
            assert self.exact is not None
            return self.exact.quantize(Decimal(1).scaleb(-DISPLAY_DECIMALS), ROUND_HALF_UP)
        return self.value

    @property
    def display_only(self) -> bool:
        """Whether :attr:`display` is rounded for display only (no official rounding known)."""
        if self.published is not None or self.exact is None:
            return False
        exponent = self.exact.as_tuple().exponent
        return isinstance(exponent, int) and -exponent > DISPLAY_DECIMALS


@attrs.frozen
class Result:
    """The official scores of one assessment: every node of the index tree, and more.

    Carries the framework edition, the method and the library version, so a stored
    result says how it was made; ``kind`` says whether the scores were a submission or
    published results, and ``checked`` whether the assessment was validated first
    (``False`` only when the caller asked ``check=False``).
    """

    region: str
    year: int
    framework: str
    edition: str
    index_code: str
    nodes: Mapping[str, NodeScore]
    method: str
    stage: str
    version: str = __version__
    consistency: Consistency | None = None
    checks: tuple[tuple[str, Consistency], ...] = ()
    weights: Mapping[str, Fraction] = attrs.field(factory=dict, repr=False)
    parents: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    kind: Kind = "submission"
    checked: bool = True

    @property
    def framework_ref(self) -> str:
        """``ID@EDITION``."""
        return f"{self.framework}@{self.edition}"

    @property
    def index(self) -> NodeScore:
        """The score of the index node."""
        return self.nodes[self.index_code]

    def __getitem__(self, code: str) -> NodeScore:
        return self.nodes[code]

    def contributions(self, parent: str | None = None) -> dict[str, Decimal]:
        """Each child's weighted share of *parent*'s value (default: the index).

        The contributions add up to the parent's exact value.
        """
        parent = parent or self.index_code
        return {
            code: s.contribution
            for code, s in self.nodes.items()
            if s.contribution is not None and self.parents.get(code) == parent
        }

    def needed(
        self, code: str, target: Decimal | str | float, *, published: bool = True
    ) -> Decimal:
        """The value node *code* would need for the index to reach *target*, others unchanged.

        With ``published=True`` the index only has to *publish* as *target* (it may be up
        to half a unit below it before rounding).  The answer may lie outside the scale:
        then the target cannot be reached through this node alone.

        Raises:
            ScoringError: *code* is not a weighted input of the index.
        """
        t = Fraction(as_decimal(target))
        idx = self.index
        if idx.exact is None or code not in self.weights:
            raise ScoringError("scoring.not-an-input", node=code, index=self.index_code)
        node = self.nodes[code]
        if published and idx.published is not None:
            places = -int(idx.published.as_tuple().exponent)
            t -= Fraction(1, 2) * Fraction(10) ** -places
        weight = self.weights[code]
        current = Fraction(node.exact) if node.exact is not None else Fraction(0)
        need = current + (t - Fraction(idx.exact)) / weight
        return to_decimal(need, 6)

    @property
    def region_name(self) -> str | None:
        """The region's name, shown beside its code (``None`` for a unit that is no region)."""
        from kotacerdas.regions import name_of

        return name_of(self.region)

    def to_long(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One row per node: region, region_name, year, framework, edition, node, value, …."""
        rows = []
        name = self.region_name  # once: a registry look-up
        for code, s in self.nodes.items():
            rows.append(
                {
                    "region": self.region,
                    "region_name": name,
                    "year": self.year,
                    "framework": self.framework,
                    "edition": self.edition,
                    "node": code,
                    "value": s.value,
                    "exact": s.exact,
                    "low": s.bounds[0] if s.bounds else None,
                    "high": s.bounds[1] if s.bounds else None,
                    "level": s.level,
                    "predicate": s.predicate.label.get(lang) if s.predicate else None,
                    "missing": s.missing,
                    "derived": s.derived,
                    "confidence": s.confidence.value,
                }
            )
        return rows

    def to_wide(self, lang: str | None = None) -> list[dict[str, Any]]:
        """One row, in a list as from a panel and the engine.

        Keys: ``region, region_name, year, framework, edition``, each node's value, then
        the index's ``predicate`` label in *lang*.  Indexing the result with a node code
        (``to_wide()["INDEX"]``, when it returned the row itself) still works, with a
        :class:`DeprecationWarning`, for one release.
        """
        row: dict[str, Any] = {
            "region": self.region,
            "region_name": self.region_name,
            "year": self.year,
            "framework": self.framework,
            "edition": self.edition,
        }
        row.update({code: s.value for code, s in self.nodes.items()})
        predicate = self.index.predicate
        row["predicate"] = None if predicate is None else predicate.label.get(lang)
        return _Rows([row])

    def to_json(self) -> dict[str, Any]:
        """The ``kotacerdas score --format json`` object of this result."""
        idx = self.index
        return {
            "region": self.region,
            "region_name": self.region_name,
            "year": self.year,
            "framework": self.framework,
            "edition": self.edition,
            "index": idx.value,
            "index_exact": None if idx.exact is None else str(idx.exact),
            "index_bounds": None if idx.bounds is None else [str(b) for b in idx.bounds],
            "predicate": None if idx.predicate is None else idx.predicate.code,
            "published": None if self.consistency is None else self.consistency.published,
            "consistent": None if self.consistency is None else self.consistency.consistent,
            "missing": idx.missing,
            "nodes": {code: s.value for code, s in self.nodes.items() if code != self.index_code},
            "index_display": _text(idx.display),
            "nodes_display": {
                code: _text(s.display) for code, s in self.nodes.items() if code != self.index_code
            },
            "display_note": self._display_note(),
            "method": self.method,
            "kind": self.kind,
            "checked": self.checked,
            "version": self.version,
        }

    def _display_note(self) -> dict[str, str] | None:
        """Both languages of the note that display values are rounded for display only."""
        if not any(s.display_only for s in self.nodes.values()):
            return None
        from kotacerdas.i18n import message

        code = "scoring.display-only"
        return {
            "code": code,
            **{lang: message(code, lang, decimals=DISPLAY_DECIMALS) for lang in ("id", "en")},
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# -- scoring ------------------------------------------------------------------------------------


_ZERO: Final = Fraction(0)


@attrs.frozen
class _Interval:
    exact: Fraction
    low: Fraction
    high: Fraction


def _mean(terms: list[tuple[Fraction, Fraction]], total: Fraction) -> Fraction:
    """``Σ weight × value / total``, exactly, reduced once rather than once per term."""
    if not terms:
        return _ZERO / total
    dens = [w.denominator * v.denominator for w, v in terms]
    den = math.lcm(*dens)
    num = sum(w.numerator * v.numerator * (den // d) for (w, v), d in zip(terms, dens, strict=True))
    return Fraction(num * total.denominator, den * total.numerator)


def _given_interval(value: Decimal, scale: Scale | None) -> _Interval:
    exact = _fraction(value)
    half = _half_unit(value)
    low, high = exact - half, exact + half
    if scale is not None:
        low = max(low, _fraction(scale.minimum))
        high = min(high, _fraction(scale.maximum))
    return _Interval(exact, min(low, exact), max(high, exact))


def score(
    assessment: Assessment,
    framework: Framework | None = None,
    *,
    stage: str = FINAL,
    levels: LevelSource = "claimed",
    missing: MissingPolicy = "fail",
    check_edition: bool = True,
    check: bool = True,
    units: Iterable[str] = (),
) -> Result:
    """Compute the official index of *assessment* exactly, with bounds and consistency.

    The assessment is checked first, by the same rules as
    :func:`kotacerdas.validation.validate`: a score off the scale, a rubric level that is
    no level, an unknown node or stage, a duplicate, a missing input … is refused, never
    scored.  Two findings are left to an explicit choice of the caller: missing inputs
    under ``missing="omit"`` (renormalised) and levels the evidence does not support
    under ``levels="evidence"`` (the supported level is used).

    Args:
        assessment: The assessment; scores of *stage* are the inputs.
        framework: The edition (default: the bundled edition the assessment names).
        stage: Which stage's scores to use (default ``final``).
        levels: For rubric items (SPBE) of a submission, use the ``claimed`` level or
            the level the accepted ``evidence`` supports under the rubric's cumulative
            rule.  Levels of published results are always taken as published.
        missing: ``fail``: refuse an assessment with a missing input (with
            ``check=False``: as ``keep``); ``omit``: drop missing inputs and renormalise
            the others' weights; ``keep``: an aggregate with a missing input has no
            value, and counts it.  The names and meanings are
            :func:`~kotacerdas.panel.score_panel`'s (see :data:`MissingPolicy`).
        check_edition: Refuse a framework other than the one the assessment names.
        check: ``False`` skips the validation (at your own risk); the result then says
            ``checked=False``.
        units: Codes of assessed units that are not regions (as for ``validate``).

    Raises:
        ValidationError: the assessment has findings of severity error; every finding
            is in its ``report``.
        ScoringError: the framework has no index, the assessment is for another
            framework, or an aggregate uses a method that has no exact official form.
    """
    from kotacerdas._arguments import expect

    expect(assessment, Assessment, "scoring.score", "assessment")
    if missing not in ("fail", "omit", "keep"):
        raise ScoringError(
            "panel.argument", name="missing", value=missing, choices="fail, omit, keep"
        )
    if framework is None:
        from kotacerdas import frameworks

        framework = frameworks.load(assessment.framework, assessment.edition)
    if check_edition and (assessment.framework, assessment.edition) != (
        framework.id,
        framework.edition,
    ):
        raise ScoringError(
            "scoring.framework-mismatch", given=assessment.framework_ref, expected=framework.ref
        )
    root = framework.index_node
    if root is None:
        raise ScoringError("scoring.no-index", framework=framework.ref)
    if check:
        from kotacerdas.validation import require_valid

        allow = {"score.missing"} if missing in ("omit", "keep") else set()
        if levels == "evidence":
            allow.add("score.level-unsupported")
        require_valid(assessment, framework, allow=allow, units=units, check_edition=check_edition)
    given = assessment.scores_at(stage)
    result = _Scorer(assessment, framework, given, levels, missing, stage).run(root)
    return result if check else attrs.evolve(result, checked=False)


class _Scorer:
    def __init__(
        self,
        a: Assessment,
        fw: Framework,
        given: Mapping[str, Decimal],
        levels: LevelSource,
        missing: MissingPolicy,
        stage: str,
    ) -> None:
        self.a = a
        self.fw = fw
        self.given = {self._code(k): v for k, v in given.items() if fw.get(k) is not None}
        self.levels = levels
        self.missing = missing
        self.stage = stage
        self.out: dict[str, NodeScore] = {}
        self.contributions: dict[str, Decimal] = {}
        self.intervals: dict[str, _Interval | None] = {}
        self.weights: dict[str, Fraction] = {}
        self.parents: dict[str, str] = {}
        self.checks: list[tuple[str, Consistency]] = []

    def _code(self, key: str) -> str:
        node = self.fw.get(key)
        return node.code if node is not None else key

    def run(self, root: Node) -> Result:
        self.visit(root)
        # Scores the document gives outside the index tree (GM100SC per-dimension scores,
        # as Kota Kediri's 2022 letter gives them) are reported as given.
        for code, value in self.given.items():
            if code not in self.out:
                node = self.fw.node(code)
                if node.rubric is not None:
                    interval = _Interval(_fraction(value), _fraction(value), _fraction(value))
                else:
                    interval = _given_interval(value, self.scale_of(node))
                self.record(node, interval, 0, given=value)
        idx_given = self.given.get(root.code)
        consistency = None
        if idx_given is not None:
            consistency = next((c for code, c in self.checks if code == root.code), None)
        return Result(
            region=self.a.region,
            year=self.a.year,
            framework=self.fw.id,
            edition=self.fw.edition,
            index_code=root.code,
            nodes={
                code: s
                if code not in self.contributions
                else attrs.evolve(s, contribution=self.contributions[code])
                for code, s in self.out.items()
            },
            method=f"official weighted arithmetic, exact; levels={self.levels}; "
            f"missing={self.missing}",
            stage=self.stage,
            consistency=consistency,
            checks=tuple(self.checks),
            weights=self.weights,
            parents=self.parents,
            kind=self.a.kind,
        )

    def scale_of(self, node: Node) -> Scale | None:
        return node.scale or self.fw.scale

    def publish(self, node: Node, value: Fraction | None) -> Decimal | None:
        scale = self.scale_of(node)
        if value is None or scale is None or scale.decimals is None or node.rubric is not None:
            return None
        return _round(value, scale.decimals, scale.rounding)

    def visit(self, node: Node) -> tuple[_Interval | None, int]:
        """Score *node*; return its interval and the number of missing inputs below it."""
        if not is_weighted(node):
            return self.leaf(node)
        if node.aggregation not in (None, "arithmetic"):
            raise ScoringError("scoring.aggregation", node=node.code, aggregation=node.aggregation)
        parts: list[tuple[Node, _Interval | None]] = []
        missing = 0
        for child in node.children:
            interval, m = self.visit(child)
            missing += m
            parts.append((child, interval))
        total_w = sum((_fraction(c.weight) for c, _ in parts if c.weight is not None), _ZERO)
        present = [(c, iv) for c, iv in parts if iv is not None]
        use = present if self.missing == "omit" else parts
        result: _Interval | None = None
        if present and (self.missing == "omit" or len(present) == len(parts)):
            w_sum = sum((_fraction(c.weight) for c, _ in use if c.weight is not None), _ZERO)
            weighted = [(_fraction(c.weight), iv) for c, iv in present if c.weight is not None]
            result = _Interval(
                _mean([(w, iv.exact) for w, iv in weighted], w_sum),
                _mean([(w, iv.low) for w, iv in weighted], w_sum),
                _mean([(w, iv.high) for w, iv in weighted], w_sum),
            )
            for c, iv in present:
                share = _fraction(c.weight) / w_sum if c.weight is not None else _ZERO
                self.weights[c.code] = share
                self.parents[c.code] = node.code
                self.contributions[c.code] = to_decimal(share * iv.exact)
        elif total_w:
            for c, _ in parts:
                self.weights[c.code] = _fraction(c.weight) / total_w if c.weight else _ZERO
                self.parents[c.code] = node.code
        self.record(node, result, missing, derived=True)
        return result, missing

    def leaf(self, node: Node) -> tuple[_Interval | None, int]:
        value = self.given.get(node.code)
        level = claimed = None
        if node.rubric is not None and value is not None:
            claimed = int(value) if value == value.to_integral_value() else None
            level = claimed
            if self.levels == "evidence" and self.a.kind == "submission":
                met = {
                    e.level
                    for e in self.a.evidence
                    if e.node == node.code and e.level is not None and e.counts
                }
                level = node.rubric.achieved(met) if node.rubric.evidence else claimed
                value = Decimal(level) if level is not None else None
        derived_from = self.derive(node)
        if value is None and derived_from is not None:
            interval, confidence = derived_from
            self.record(node, interval, 0, derived=True, confidence=confidence)
            return interval, 0
        if value is None:
            self.record(node, None, 1)
            return None, 1
        interval = (
            _Interval(_fraction(value), _fraction(value), _fraction(value))
            if node.rubric is not None
            else _given_interval(value, self.scale_of(node))
        )
        if derived_from is not None and derived_from[0] is not None:
            self.check(node, value, derived_from[0])
        self.record(node, interval, 0, level=level, claimed=claimed, given=value)
        return interval, 0

    def derive(self, node: Node) -> tuple[_Interval | None, Confidence] | None:
        """A value from the node's ``inputs`` (mean of their given scores), if it has them."""
        if not node.inputs:
            return None
        values = [self.given.get(code) for code in node.inputs]
        confidence = node.provenance_of("inputs").confidence
        if any(v is None for v in values):
            return None, confidence
        ivs = [
            _given_interval(v, self.scale_of(self.fw.node(c)))
            for v, c in zip(values, node.inputs, strict=True)
            if v is not None
        ]
        n = len(ivs)
        return _Interval(
            sum((i.exact for i in ivs), _ZERO) / n,
            sum((i.low for i in ivs), _ZERO) / n,
            sum((i.high for i in ivs), _ZERO) / n,
        ), confidence

    def check(self, node: Node, published: Decimal, interval: _Interval) -> None:
        self.checks.append((node.code, _consistency(published, interval, self.fw.ref)))

    def record(
        self,
        node: Node,
        iv: _Interval | None,
        missing: int,
        *,
        derived: bool = False,
        level: int | None = None,
        claimed: int | None = None,
        given: Decimal | None = None,
        confidence: Confidence | None = None,
    ) -> None:
        exact = None if iv is None else iv.exact
        published = self.publish(node, exact)
        predicate = None
        if node.code == self.fw.index and self.fw.predicates is not None and exact is not None:
            predicate = self.fw.predicates.classify(
                published if published is not None else to_decimal(exact)
            )
        if node.code == self.fw.index:
            idx_given = self.given.get(node.code)
            if idx_given is not None and iv is not None:
                self.check(node, idx_given, iv)
            given = idx_given
        written = given if given is not None and exact == _fraction(given) else None
        self.out[node.code] = NodeScore(
            code=node.code,
            exact=None
            if exact is None
            else (written if written is not None else to_decimal(exact)),
            published=published,
            bounds=None
            if iv is None
            else (_bound(iv.low, node, self), _bound(iv.high, node, self)),
            given=given,
            level=level,
            claimed=claimed,
            predicate=predicate,
            missing=missing,
            derived=derived,
            confidence=confidence or Confidence.CONFIRMED,
        )


def _bound(value: Fraction, node: Node, scorer: _Scorer) -> Decimal:
    """A bound written with at least one decimal more than publication (3.310, not 3.31)."""
    d = to_decimal(value)
    scale = scorer.scale_of(node)
    if scale is not None and scale.decimals is not None and node.rubric is None:
        places = scale.decimals + 1
        exponent = d.as_tuple().exponent
        if isinstance(exponent, int) and -exponent < places:
            d = d.quantize(Decimal(1).scaleb(-places))
    return d


def _consistency(published: Decimal, interval: _Interval, ref: str) -> Consistency:
    half = _half_unit(published)
    p = Fraction(published)
    # Some exact value in [low, high] rounds half-up to `published` iff the interval
    # meets [p - half, p + half).
    ok = interval.low < p + half and interval.high >= p - half
    return Consistency(
        published,
        (_fmt_bound(interval.low, published), _fmt_bound(interval.high, published)),
        ok,
        ref,
    )


def _fmt_bound(value: Fraction, published: Decimal) -> Decimal:
    d = to_decimal(value)
    exponent = published.as_tuple().exponent
    assert isinstance(exponent, int)
    places = -exponent + 1
    e2 = d.as_tuple().exponent
    if isinstance(e2, int) and -e2 < places:
        d = d.quantize(Decimal(1).scaleb(-places))
    return d


def check_published(
    assessment: Assessment, editions: Iterable[Framework] | None = None
) -> dict[str, Consistency]:
    """Check the assessment's published index against several editions' weights.

    Returns ``{edition ref: Consistency}``; an empty ``consistent`` set means the
    published value fits *no* known scheme (Kabupaten Banjar 2020 is such a case).
    Default editions: every bundled edition of the assessment's framework.

    Raises:
        ScoringError: the assessment gives no index value to check.
    """
    if editions is None:
        from kotacerdas import frameworks

        editions = [
            frameworks.load(r) for r in frameworks.available() if r.id == assessment.framework
        ]
    out: dict[str, Consistency] = {}
    for fw in editions:
        result = score(assessment, fw, check_edition=False)
        if result.consistency is None:
            raise ScoringError(
                "scoring.no-published",
                region=assessment.region,
                year=assessment.year,
                node=result.index_code,
            )
        out[fw.ref] = result.consistency
    return out


def improvement(current: Result | Decimal, previous: Result | Decimal) -> Decimal:
    """*Indeks Peningkatan*: the change of the published index from one year to the next.

    Computed from the published values (as the ministry reports it: Kota Kediri
    3.06 → 3.31 gives 0.25).

    >>> improvement(Decimal("3.31"), Decimal("3.06"))
    Decimal('0.25')
    """

    def published(x: Result | Decimal) -> Decimal:
        if isinstance(x, Decimal):
            return x
        value = x.consistency.published if x.consistency is not None else x.index.value
        if value is None:
            raise ScoringError("scoring.no-value", region=x.region, year=x.year)
        return value

    return published(current) - published(previous)
