"""Validation: check an assessment against its framework edition and report every finding.

:func:`validate` never stops at the first problem: it returns a :class:`Report` of
all :class:`Finding` objects at once, each with a stable code, a severity, the path
in the document (``scores[2].value``) and a message in Bahasa Indonesia or English,
so an app can show them line by line.  ``validate(..., strict=True)`` raises one
:class:`ValidationError` carrying the same report when any finding is an error.

>>> from kotacerdas import frameworks
>>> from kotacerdas.assessment import Assessment, Score
>>> from decimal import Decimal
>>> a = Assessment("63.09", 2023, "gm100sc", "2023", scores=(Score("BASE", Decimal("4.20")),))
>>> report = validate(a, frameworks.load("gm100sc@2023"))
>>> report.valid
False
>>> [f.code for f in report.errors][:2]
['score.off-scale', 'score.missing']
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, Literal

import attrs

from kotacerdas.assessment import FINAL, YEAR_MAX, YEAR_MIN, Assessment, Location
from kotacerdas.errors import KotaCerdasError
from kotacerdas.i18n import message as _render
from kotacerdas.model import Framework, Node, normalise_key

__all__ = [
    "DataReport",
    "Finding",
    "Report",
    "Severity",
    "ValidationError",
    "ValueRule",
    "require_valid",
    "scored_nodes",
    "stages_of",
    "validate",
    "value_rule",
]

Severity = Literal["error", "warning", "info"]
"""``error``: the assessment is not valid; ``warning``: worth a look; ``info``: how it was read."""


@attrs.frozen
class Finding:
    """One thing wrong with (or worth a look in) an assessment.

    Attributes:
        code: Stable finding code (documented in the reference).
        severity: ``"error"`` (the assessment is not valid), ``"warning"`` or ``"info"``
            (how the input was read, e.g. levels taken as published).
        path: Where in the document, e.g. ``evidence[3].submitted_at``.
        params: Values shown in the message.
        location: For an assessment read from a CSV or Excel file, the line (or sheet
            row) and column of *path*; not part of equality.
        close: For an unknown region, node or stage, the known ones closest to it
            ("did you mean"), which the message ends with; not part of equality.
    """

    code: str
    severity: Severity
    path: str
    params: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    location: Location | None = attrs.field(default=None, eq=False, hash=False)
    close: tuple[str, ...] = attrs.field(default=(), eq=False, hash=False)

    def message(self, lang: str | None = None) -> str:
        """The finding in words, in *lang*, with the close known names when there are any."""
        text = _render(self.code, lang, **self.params)
        if self.close:
            text += "; " + _render("suggest.close", lang, names=", ".join(self.close))
        return text

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        """``{"code", "severity", "path", "location", "message"}``, as the CLI prints it.

        ``location`` is ``{"file", "line", "column", "sheet"}`` or ``None``.
        """
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "location": None if self.location is None else self.location.to_dict(),
            "message": self.message(lang),
        }

    def text(self, lang: str | None = None) -> str:
        """One line: severity, place and message, every word in *lang*.

        ``kesalahan: scores[1].value (kediri.csv, baris 3, kolom value): …``
        """
        place = self.path
        if self.location is not None:
            where = self.location.describe(lang)
            place = f"{place} ({where})" if place else where
        severity = _render(_SEVERITY_WORD[self.severity], lang)
        return ": ".join(part for part in (severity, place, self.message(lang)) if part)

    def __str__(self) -> str:
        return self.text()


_SEVERITY_WORD: Mapping[str, str] = {
    "error": "severity.error",
    "warning": "severity.warning",
    "info": "severity.info",
}


class _Findings:
    """What a list of findings answers: its errors, warnings and notes, validity, text."""

    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        """Findings of severity error."""
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        """Findings of severity warning."""
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def notes(self) -> tuple[Finding, ...]:
        """Findings of severity info."""
        return tuple(f for f in self.findings if f.severity == "info")

    @property
    def valid(self) -> bool:
        """``True`` when there is no finding of severity error."""
        return not self.errors

    def codes(self) -> Counter[str]:
        """How many findings of each code."""
        return Counter(f.code for f in self.findings)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def text(self, lang: str | None = None) -> str:
        """One line per finding, for a terminal or a log."""
        return "\n".join(f.text(lang) for f in self.findings)


@attrs.frozen
class Report(_Findings):
    """Every finding of one validation, in document order."""

    assessment: Assessment
    framework: str
    findings: tuple[Finding, ...]


@attrs.frozen
class DataReport(_Findings):
    """Every finding about a table of values checked against a framework (the engine's data).

    The same rules as :func:`validate` applies to scores (:func:`value_rule`, known
    nodes); a finding's path is ``NODE / UNIT [PERIOD]``.
    """

    framework: str
    findings: tuple[Finding, ...]


class ValidationError(KotaCerdasError, ValueError):
    """Raised when an input has findings of severity error; its ``report`` holds them all.

    Raised by ``validate(..., strict=True)``, by every function that returns a number
    (:func:`require_valid`) and by the engine on data that breaks a framework's rules.
    """

    report: Report | DataReport

    def __init__(self, report: Report | DataReport) -> None:
        self.report = report
        if isinstance(report, DataReport):
            super().__init__(
                "validation.data-failed", ref=report.framework, count=len(report.errors)
            )
            return
        super().__init__(
            "validation.failed",
            ref=report.framework,
            region=report.assessment.region,
            year=report.assessment.year,
            count=len(report.errors),
        )

    def message(self, lang: str | None = None) -> str:
        """A header line and one line per finding."""
        return super().message(lang) + "\n" + self.report.text(lang)


# -- what the framework says --------------------------------------------------------------------


def scored_nodes(framework: Framework) -> tuple[Node, ...]:
    """The nodes whose scores are inputs of the framework's index.

    Walking down from the index node, a node is an input when it is a leaf or when
    its children carry no weights (GM100SC: the five components, whose ten Quick Win
    criteria have no published weights; SPBE: the 47 indicators).
    """
    return _context(framework).scored


@attrs.frozen
class _Context:
    fw: Framework
    scored: tuple[Node, ...]
    stages: frozenset[str]
    windows: Mapping[str, int]
    kinds: frozenset[str]
    units: frozenset[str]
    group_of: Mapping[str, str]  # node code → ancestor of the survey sampling kind
    split_group_of: Mapping[str, str]


@functools.lru_cache(maxsize=64)
def _context(fw: Framework) -> _Context:
    scored: list[Node] = []
    index = fw.index_node
    stack = [index] if index is not None else []
    while stack:
        node = stack.pop()
        if node.is_leaf or all(c.weight is None for c in node.children):
            scored.append(node)
        else:
            stack.extend(reversed(node.children))
    windows = {s.code: s.window_hours for s in fw.stages if s.window_hours is not None}
    group_of: dict[str, str] = {}
    split_of: dict[str, str] = {}
    if fw.survey is not None:
        for node in fw:
            for anc in fw.path(node.code):
                if anc.kind == fw.survey.respondents_per:
                    group_of[node.code] = anc.code
                if anc.kind == fw.survey.split_respondents_per:
                    split_of[node.code] = anc.code
    return _Context(
        fw=fw,
        scored=tuple(scored),
        stages=frozenset(s.code for s in fw.stages) | {FINAL},
        windows=windows,
        kinds=frozenset(k.code for k in fw.evidence_kinds),
        units=frozenset(u.code for u in fw.units),
        group_of=group_of,
        split_group_of=split_of,
    )


# -- validation ---------------------------------------------------------------------------------


def validate(
    assessment: Assessment,
    framework: Framework | None = None,
    *,
    now: dt.datetime | None = None,
    strict: bool = False,
    units: Iterable[str] = (),
    check_edition: bool = True,
) -> Report:
    """Check *assessment* against *framework* (default: the bundled edition it names).

    Args:
        assessment: The assessment to check.
        framework: The edition to check against; loaded from the bundled editions by
            the assessment's ``framework``/``edition`` when omitted.
        now: The present, for "in the future" checks (default: the current UTC time).
        strict: Raise :class:`ValidationError` when there are errors.
        units: Codes of assessed units that are not regions (e.g. central agencies for
            SPBE), besides those the framework names.
        check_edition: Report an assessment for another framework edition as an error
            (switch off to check an assessment deliberately against another edition).

    Raises:
        ValidationError: with ``strict=True``, when any finding is an error.
        FrameworkNotFoundError: *framework* is omitted and the named edition is unknown.
        ArgumentError: *assessment* is not an :class:`~kotacerdas.assessment.Assessment`.
    """
    from kotacerdas._arguments import expect

    expect(assessment, Assessment, "validation.validate", "assessment")
    if framework is None:
        from kotacerdas import frameworks

        framework = frameworks.load(assessment.framework, assessment.edition)
    ctx = _context(framework)
    now = now or dt.datetime.now(dt.UTC)
    checker = _Checker(assessment, ctx, now, frozenset(units) | ctx.units, check_edition)
    checker.run()
    report = Report(assessment, framework.ref, _located(assessment, checker.findings))
    if strict and not report.valid:
        raise ValidationError(report)
    return report


def require_valid(
    assessment: Assessment,
    framework: Framework | None = None,
    *,
    allow: Iterable[str] = (),
    units: Iterable[str] = (),
    check_edition: bool = True,
) -> Report:
    """The check every function that returns a number runs first: :func:`validate`, refusing errors.

    Scoring, panels and the command line call this, so they accept exactly what
    :func:`validate` accepts.  *allow* names finding codes the caller handles itself
    by an explicit choice (``score.missing`` under ``missing="omit"``, which
    renormalises; ``score.level-unsupported`` under ``levels="evidence"``, which uses
    the level the evidence supports).

    Raises:
        ValidationError: any other finding is an error; it carries the whole report.
    """
    report = validate(assessment, framework, units=units, check_edition=check_edition)
    allowed = frozenset(allow)
    if any(f.code not in allowed for f in report.errors):
        raise ValidationError(report)
    return report


def _located(assessment: Assessment, findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """*findings* with the file line and column of their paths, when *assessment* has them."""
    return tuple(
        f if (where := assessment.locate(f.path)) is None else attrs.evolve(f, location=where)
        for f in findings
    )


@attrs.frozen
class ValueRule:
    """What a score of one node may be: the one rule of validation, scoring and panels.

    Attributes:
        node: The node's code.
        minimum: Lowest value (the scale's, or the rubric's lowest level).
        maximum: Highest value.
        integral: Whether only whole numbers are allowed (rubric levels).
        decimals: Most decimals a value may be written with, if the scale says.
    """

    node: str
    minimum: Decimal
    maximum: Decimal
    integral: bool = False
    decimals: int | None = None

    def problems(self, value: Decimal) -> list[tuple[str, dict[str, Any]]]:
        """``(finding code, params)`` of each rule *value* breaks; empty when it is valid."""
        if self.integral and value != value.to_integral_value():
            return [("score.level-not-integer", {"value": value, "node": self.node})]
        out: list[tuple[str, dict[str, Any]]] = []
        if not self.minimum <= value <= self.maximum:
            span = {"minimum": self.minimum, "maximum": self.maximum}
            out.append(("score.off-scale", {"value": value, "node": self.node, **span}))
        exponent = value.as_tuple().exponent
        if self.decimals is not None and isinstance(exponent, int) and -exponent > self.decimals:
            params = {"value": value, "node": self.node, "decimals": self.decimals}
            out.append(("score.precision", params))
        return out


def value_rule(framework: Framework, node: Node) -> ValueRule | None:
    """The rule a score of *node* obeys, or ``None`` when neither a rubric nor a scale bounds it."""
    rubric = node.rubric
    if rubric is not None:
        low, high = Decimal(rubric.minimum), Decimal(rubric.maximum)
        return ValueRule(node.code, low, high, integral=True)
    scale = node.scale or framework.scale
    if scale is None:
        return None
    return ValueRule(node.code, scale.minimum, scale.maximum, decimals=scale.decimals)


def stages_of(framework: Framework) -> frozenset[str]:
    """The stage codes scores of *framework* may have: its stages and ``final``."""
    return _context(framework).stages


class _Checker:
    def __init__(
        self,
        a: Assessment,
        ctx: _Context,
        now: dt.datetime,
        units: frozenset[str],
        check_edition: bool = True,
    ) -> None:
        self.check_edition = check_edition
        self.a = a
        # Rubric levels each node's counting evidence supports, gathered once.
        self.supported: dict[str, set[int]] = {}
        for e in a.evidence:
            if e.node is not None and e.level is not None and e.counts:
                self.supported.setdefault(e.node, set()).add(e.level)
        self.ctx = ctx
        self.fw = ctx.fw
        self.now = now
        self.units = units
        self.findings: list[Finding] = []

    def add(
        self,
        finding: str,
        severity: Severity,
        path: str,
        close: Iterable[str] = (),
        /,
        **params: Any,
    ) -> None:
        self.findings.append(Finding(finding, severity, path, params, close=tuple(close)))

    def stage(self, finding: str, stage: str, path: str) -> None:
        """Report *stage* when the framework has no such stage (``final`` always exists)."""
        if stage not in self.ctx.stages:
            from kotacerdas import _suggest  # difflib: only when there is something to suggest

            stages = ", ".join(sorted(self.ctx.stages))
            near = _suggest.close(stage, self.ctx.stages)
            self.add(finding, "error", path, near, stage=stage, stages=stages)

    def unknown_node(self, finding: str, node: str, path: str) -> None:
        """Report *node*, which the framework does not have, with the codes close to it."""
        from kotacerdas import _suggest

        self.add(
            finding,
            "error",
            path,
            _suggest.close_nodes(self.fw, node),
            node=node,
            framework=self.fw.ref,
        )

    def run(self) -> None:
        self.identity()
        self.scores()
        self.programmes()
        self.sessions()
        self.evidence()
        self.survey()
        self.assessors()

    # -- identity ---------------------------------------------------------------------------

    def identity(self) -> None:
        a, fw = self.a, self.fw
        if self.check_edition and (a.framework, a.edition) != (fw.id, fw.edition):
            self.add(
                "assessment.framework-mismatch",
                "error",
                "framework",
                given=a.framework_ref,
                expected=fw.ref,
            )
        if not YEAR_MIN <= a.year <= YEAR_MAX:
            span = {"minimum": YEAR_MIN, "maximum": YEAR_MAX}
            self.add("assessment.year", "error", "year", value=a.year, **span)
        elif a.year > self.now.year:
            self.add("assessment.year-future", "error", "year", year=a.year)
        if a.region in self.units:
            return
        from kotacerdas import regions
        from kotacerdas.errors import AmbiguousRegionError, RegionNotFoundError

        try:
            region = regions.resolve(a.region)
        except AmbiguousRegionError as exc:
            self.add(
                "assessment.region-ambiguous",
                "error",
                "region",
                region=a.region,
                candidates=", ".join(f"{r.code} {r.name}" for r in exc.candidates),
            )
        except RegionNotFoundError as exc:
            near = [f"{r.code} {r.name}" for r in exc.candidates[:3]]
            self.add("assessment.region-unknown", "error", "region", near, region=a.region)
        else:
            if region.code != a.region:
                self.add(
                    "assessment.region-name", "warning", "region", region=a.region, code=region.code
                )

    # -- scores -----------------------------------------------------------------------------

    def scores(self) -> None:
        fw = self.fw
        seen: dict[tuple[str, str], int] = {}
        by_stage: dict[str, set[str]] = {}
        published = 0  # rubric levels taken as published
        for i, s in enumerate(self.a.scores):
            path = f"scores[{i}]"
            node = fw.get(s.node)
            if node is None:
                self.unknown_node("score.node-unknown", s.node, f"{path}.node")
                continue
            if node.code != s.node:
                self.add("score.node-alias", "warning", f"{path}.node", node=s.node, code=node.code)
            self.stage("score.stage-unknown", s.stage, f"{path}.stage")
            key = (node.code, s.stage)
            if key in seen:
                self.add(
                    "score.duplicate",
                    "error",
                    path,
                    node=node.code,
                    stage=s.stage,
                    first=f"scores[{seen[key]}]",
                )
            else:
                seen[key] = i
            by_stage.setdefault(s.stage, set()).add(node.code)
            self.score_value(node, s.value, path)
            if node.rubric is not None and s.value == s.value.to_integral_value():
                if self.a.kind == "published":
                    published += 1
                else:
                    self.level_evidence(node, int(s.value), path, s.stage)
        if published:
            self.add("score.levels-published", "info", "scores", count=published)
        required = [n.code for n in self.ctx.scored]
        if not self.a.scores:
            self.add("score.none", "warning", "scores")
        for stage, present in by_stage.items():
            # A node derived from its inputs (GM100SC Impact from the six dimensions,
            # inferred) is not missing when the inputs are there: scoring derives it.
            missing = [
                c
                for c in required
                if c not in present
                and not (fw.node(c).inputs and all(i in present for i in fw.node(c).inputs))
            ]
            if missing:
                self.add(
                    "score.missing",
                    "error" if stage == FINAL else "warning",
                    "scores",
                    stage=stage,
                    nodes=", ".join(missing),
                )

    def score_value(self, node: Node, value: Decimal, path: str) -> None:
        rule = value_rule(self.fw, node)
        if rule is not None:
            for code, params in rule.problems(value):
                self.add(code, "error", f"{path}.value", **params)

    def level_evidence(self, node: Node, level: int, path: str, stage: str) -> None:
        rubric = node.rubric
        assert rubric is not None
        supported = self.supported.get(node.code, set())
        needs = [
            v.value for v in rubric.levels if v.value <= level and rubric.evidence_for(v.value)
        ]
        missing = [v for v in needs if v not in supported]
        if missing:
            self.add(
                "score.level-unsupported",
                "error",
                f"{path}.value",
                node=node.code,
                level=level,
                stage=stage,
                levels=", ".join(map(str, missing)),
            )

    # -- programmes -------------------------------------------------------------------------

    def programmes(self) -> None:
        fw = self.fw
        seen: dict[tuple[str, str | None], int] = {}
        served: set[str] = set()
        for i, p in enumerate(self.a.programmes):
            path = f"programmes[{i}]"
            code = p.node
            if code is not None:
                node = fw.get(code)
                if node is None:
                    self.unknown_node("programme.node-unknown", code, f"{path}.node")
                else:
                    served.add(node.code)
                    code = node.code
            key = (normalise_key(p.name), code)
            if key in seen:
                self.add(
                    "programme.duplicate",
                    "error",
                    path,
                    name=p.name,
                    first=f"programmes[{seen[key]}]",
                )
            else:
                seen[key] = i
        survey = fw.survey
        if self.a.programmes and survey is not None and survey.programmes_per is not None:
            empty = [n.code for n in fw.nodes(survey.programmes_per) if n.code not in served]
            if empty:
                self.add("programme.node-without", "warning", "programmes", nodes=", ".join(empty))

    # -- sessions and evidence --------------------------------------------------------------

    def sessions(self) -> None:
        for i, s in enumerate(self.a.sessions):
            path = f"sessions[{i}]"
            self.stage("session.stage-unknown", s.stage, f"{path}.stage")
            if s.end is not None and s.end < s.start:
                self.add(
                    "session.order",
                    "error",
                    f"{path}.end",
                    start=s.start.isoformat(),
                    end=s.end.isoformat(),
                )
            if s.start > self.now:
                self.add("datetime.future", "error", f"{path}.start", value=s.start.isoformat())

    def evidence(self) -> None:
        fw = self.fw
        closes: dict[str, dt.datetime] = {}
        for s in self.a.sessions:
            closes[s.stage] = max(closes.get(s.stage, s.closes), s.closes)
        programmes = {p.code for p in self.a.programmes if p.code} | {
            p.name for p in self.a.programmes
        }
        first: dict[tuple[str, str], int] = {}
        for i, e in enumerate(self.a.evidence):
            path = f"evidence[{i}]"
            if e.kind is not None and self.ctx.kinds and e.kind not in self.ctx.kinds:
                self.add(
                    "evidence.kind-unknown",
                    "warning",
                    f"{path}.kind",
                    kind=e.kind,
                    kinds=", ".join(sorted(self.ctx.kinds)),
                )
            if e.path is None and e.url is None:
                self.add("evidence.no-location", "warning", path)
            if e.node is not None:
                node = fw.get(e.node)
                if node is None:
                    self.unknown_node("evidence.node-unknown", e.node, f"{path}.node")
                elif e.level is not None and (
                    node.rubric is None or node.rubric.level(e.level) is None
                ):
                    self.add(
                        "evidence.level-unknown",
                        "error",
                        f"{path}.level",
                        level=e.level,
                        node=node.code,
                    )
            elif e.level is not None:
                self.add("evidence.level-without-node", "error", f"{path}.level")
            if e.programme is not None and e.programme not in programmes:
                self.add(
                    "evidence.programme-unknown",
                    "warning",
                    f"{path}.programme",
                    programme=e.programme,
                )
            if e.stage is not None:
                self.stage("evidence.stage-unknown", e.stage, f"{path}.stage")
            if e.decision is not None and e.decision.value == "rejected" and not e.reason:
                self.add("evidence.rejected-without-reason", "warning", f"{path}.decision")
            if e.submitted_at is not None:
                self.timing(e.submitted_at, e.stage, closes, f"{path}.submitted_at")
            for field, value in (("sha256", e.sha256), ("path", e.path), ("url", e.url)):
                if value is None:
                    continue
                key = (field, value.casefold() if field != "path" else value)
                if key in first:
                    self.add(
                        "evidence.duplicate",
                        "error",
                        f"{path}.{field}",
                        field=field,
                        first=f"evidence[{first[key]}]",
                    )
                    break
                first[key] = i

    def timing(
        self, when: dt.datetime, stage: str | None, closes: Mapping[str, dt.datetime], path: str
    ) -> None:
        if when > self.now:
            self.add("datetime.future", "error", path, value=when.isoformat())
        if stage is None or stage not in self.ctx.windows:
            return
        hours = self.ctx.windows[stage]
        closed = closes.get(stage)
        if closed is None:
            self.add("evidence.window-unknown", "warning", path, stage=stage, hours=hours)
            return
        deadline = closed + dt.timedelta(hours=hours)
        if when > deadline:
            self.add(
                "evidence.late",
                "error",
                path,
                stage=stage,
                hours=hours,
                deadline=deadline.isoformat(),
                submitted=when.isoformat(),
            )

    # -- survey -------------------------------------------------------------------------------

    def survey(self) -> None:
        rules = self.fw.survey
        if not self.a.survey or rules is None:
            return
        node_of = {}
        for p in self.a.programmes:
            if p.node is not None:
                node = self.fw.get(p.node)
                if node is not None:
                    node_of[p.name] = node.code
                    if p.code:
                        node_of[p.code] = node.code
        split = self.a.survey_mode == "split" and rules.split_respondents_per is not None
        group_of = self.ctx.split_group_of if split else self.ctx.group_of
        respondents: dict[str, set[str]] = {}
        pairs: set[tuple[str, str]] = set()
        scale = rules.scale
        for i, r in enumerate(self.a.survey):
            path = f"survey.responses[{i}]"
            code = node_of.get(r.programme)
            if code is None:
                self.add(
                    "survey.programme-unknown", "error", f"{path}.programme", programme=r.programme
                )
            elif code in group_of:
                respondents.setdefault(group_of[code], set()).add(r.respondent)
            if (r.respondent, r.programme) in pairs:
                self.add(
                    "survey.duplicate",
                    "warning",
                    path,
                    respondent=r.respondent,
                    programme=r.programme,
                )
            pairs.add((r.respondent, r.programme))
            if scale is not None:
                for j, v in enumerate(r.answers):
                    if not scale.minimum <= v <= scale.maximum:
                        self.add(
                            "survey.answer-off-scale",
                            "error",
                            f"{path}.answers[{j}]",
                            value=v,
                            minimum=scale.minimum,
                            maximum=scale.maximum,
                        )
        unit = rules.split_respondents_per if split else rules.respondents_per
        for group, people in sorted(respondents.items()):
            if len(people) < rules.respondents_min:
                self.add(
                    "survey.sample-small",
                    "error",
                    "survey",
                    node=group,
                    kind=unit,
                    n=len(people),
                    minimum=rules.respondents_min,
                )

    def assessors(self) -> None:
        seen: set[str] = set()
        for i, x in enumerate(self.a.assessors):
            key = normalise_key(x.name)
            if key in seen:
                self.add("assessor.duplicate", "warning", f"assessors[{i}]", name=x.name)
            seen.add(key)
