"""Edition migrations: carrying an assessment forward to another edition of its framework.

A migration is a crosswalk of kind ``migration`` (see :mod:`kotacerdas.crosswalks`)
between two editions of one framework, or between a framework and its successor
(SPBE 2020 → Pemdi 2026).  :func:`migrate` carries a score only through an ``equal``
record, unchanged; everything else is listed as not carried, with the reason, so that
nothing disappears silently:

>>> from decimal import Decimal
>>> from kotacerdas import migrations
>>> from kotacerdas.assessment import Assessment, Score
>>> old = Assessment("63.09", 2023, "spbe", "2020",
...                  scores=(Score("I25", Decimal(3)), Score("I21", Decimal(2))))
>>> m = migrations.migrate(old, "pemdi@2026")
>>> [(c.source, c.target, c.value) for c in m.carried]
[('I25', 'I3', Decimal('3'))]
>>> [(p.path, p.code) for p in m.not_carried]
[('scores[1]', 'migration.no-record')]

Between editions of one framework the records are the identity on shared codes; an
aggregate (an index, a dimension) is carried only where its children and their weights
are the same in both editions, and otherwise must be recomputed from the carried
components.  What differs between the editions (weights, stages, scale) comes back as
:attr:`Migration.notes`.  The bundled migration records are drafts: check
:attr:`Migration.status`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Literal, TypeVar

import attrs

from kotacerdas import crosswalks, frameworks
from kotacerdas.assessment import FINAL, Assessment, Evidence, Programme, Score
from kotacerdas.crosswalks import Crosswalk
from kotacerdas.errors import CrosswalkError, Problem
from kotacerdas.model import Framework

__all__ = ["Carried", "Migration", "available", "migrate"]

_T = TypeVar("_T")


@attrs.frozen
class Carried:
    """A score carried into the target edition.

    Attributes:
        path: Where the score is in the source assessment (``scores[3]``).
        source: The source node.
        target: The target node (the same code between editions of one framework).
        stage: The stage of the score.
        value: The value, unchanged.
    """

    path: str
    source: str
    target: str
    stage: str
    value: Decimal


@attrs.frozen
class Migration:
    """An assessment carried to another edition, and what could not be carried.

    Attributes:
        assessment: The assessment in the target edition: the carried scores, and the
            programmes, evidence, sessions and survey that fit the target.
        source: ``ID@EDITION`` of the source edition.
        target: ``ID@EDITION`` of the target edition.
        crosswalk: The migration records used (their provenance, status and note).
        carried: Every carried score.
        not_carried: What was not carried, one problem per item: its path in the
            source assessment (``scores[2]``, ``evidence[0]``, ``survey``), why, and
            where it might belong (``candidates``).
        notes: How the two editions differ: the records' status, the target's status,
            the weights of mapped nodes, the stages, the scale, the level criteria.
    """

    assessment: Assessment
    source: str
    target: str
    crosswalk: Crosswalk
    carried: tuple[Carried, ...] = ()
    not_carried: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    @property
    def status(self) -> Literal["draft", "reviewed"]:
        """``draft`` unless every record used was reviewed."""
        return self.crosswalk.status

    @property
    def complete(self) -> bool:
        """Whether everything was carried."""
        return not self.not_carried


def available() -> tuple[str, ...]:
    """The ids of the bundled migrations (crosswalks of kind ``migration``), sorted."""
    return tuple(c for c in crosswalks.available() if crosswalks.load(c).kind == "migration")


def migrate(
    assessment: Assessment,
    to: str | frameworks.FrameworkRef | Framework,
    *,
    source: Framework | None = None,
    crosswalk: Crosswalk | None = None,
) -> Migration:
    """Carry *assessment* to the edition *to* (``"pemdi@2026"``, ``"gm100sc@2024"``).

    *source* is the assessment's edition (default: the bundled one it names);
    *crosswalk* the migration records (default: the bundled migration joining the two,
    or the identity on shared codes between editions of one framework).

    Raises:
        FrameworkNotFoundError: an edition is not bundled.
        CrosswalkError: no migration joins the two editions (``migration.none``), or the
            crosswalk given does not join them (``crosswalk.mismatch``).
    """
    src = source if source is not None else frameworks.load(assessment.framework_ref)
    tgt = to if isinstance(to, Framework) else frameworks.load(to)
    cw = crosswalk if crosswalk is not None else _bundled_migration(src, tgt)
    if not cw.applies(src, tgt):
        if not cw.applies(tgt, src):
            raise CrosswalkError(
                cw.id,
                [
                    Problem(
                        "crosswalk.mismatch",
                        "",
                        {"id": cw.id, "source": src.ref, "target": tgt.ref},
                    )
                ],
            )
        cw = cw.inverse()
    return _Run(assessment, src, tgt, cw).result()


def _bundled_migration(src: Framework, tgt: Framework) -> Crosswalk:
    try:
        cw = crosswalks.between(src, tgt)
    except CrosswalkError:
        cw = None
    if cw is None or cw.kind != "migration":
        raise CrosswalkError(
            f"{src.ref} → {tgt.ref}",
            [
                Problem(
                    "migration.none",
                    "",
                    {"source": src.ref, "target": tgt.ref, "available": ", ".join(available())},
                )
            ],
        )
    return cw


@attrs.define
class _Run:
    """One migration: the state while the assessment is walked item by item."""

    assessment: Assessment
    src: Framework
    tgt: Framework
    cw: Crosswalk
    carried: list[Carried] = attrs.field(factory=list)
    lost: list[Problem] = attrs.field(factory=list)

    def result(self) -> Migration:
        a = self.assessment
        scores = _kept(self._score(i, s) for i, s in enumerate(a.scores))
        programmes = _kept(self._programme(i, p) for i, p in enumerate(a.programmes))
        evidence = _kept(self._evidence(i, e) for i, e in enumerate(a.evidence))
        sessions = []
        for i, session in enumerate(a.sessions):
            if self._stage_fits(session.stage, f"sessions[{i}]"):
                sessions.append(session)
        survey = a.survey
        survey_mode = a.survey_mode
        if a.survey and self.tgt.survey is None:
            self.lost.append(
                Problem(
                    "migration.survey", "survey", {"count": len(a.survey), "target": self.tgt.ref}
                )
            )
            survey, survey_mode = (), None
        meta = dict(a.meta)
        meta["migrated_from"] = self.src.ref
        meta["migration"] = self.cw.id
        moved = attrs.evolve(
            a,
            framework=self.tgt.id,
            edition=self.tgt.edition,
            scores=scores,
            programmes=programmes,
            evidence=evidence,
            sessions=tuple(sessions),
            survey=survey,
            survey_mode=survey_mode,
            meta=meta,
            locations={},
        )
        return Migration(
            assessment=moved,
            source=self.src.ref,
            target=self.tgt.ref,
            crosswalk=self.cw,
            carried=tuple(self.carried),
            not_carried=tuple(self.lost),
            notes=_notes(self.src, self.tgt, self.cw, self.carried),
        )

    # -- nodes ------------------------------------------------------------------------

    def _target(self, code: str, path: str, params: Mapping[str, object]) -> str | None:
        """The one node *code* is ``equal`` to, else ``None`` with the reason recorded."""
        if code not in self.src.codes:
            self.lost.append(
                Problem("migration.node-unknown", path, {**params, "framework": self.src.ref})
            )
            return None
        links = self.cw.links_from(code)
        equal = [link.target for link in links if link.relation == "equal"]
        if not equal:
            if links:
                others = ", ".join(f"{link.target} ({link.relation})" for link in links)
                self.lost.append(
                    Problem("migration.not-equal", path, {**params, "candidates": others})
                )
            else:
                self.lost.append(Problem("migration.no-record", path, dict(params)))
            return None
        rivals = sorted(
            {link.source for t in equal for link in self.cw.links_to(t) if link.relation == "equal"}
        )
        if len(equal) > 1 or len(rivals) > 1:
            self.lost.append(
                Problem(
                    "migration.ambiguous",
                    path,
                    {**params, "candidates": ", ".join(equal), "sources": ", ".join(rivals)},
                )
            )
            return None
        return equal[0]

    def _stage_fits(self, stage: str | None, path: str) -> bool:
        if stage is None or stage == FINAL or stage in {s.code for s in self.tgt.stages}:
            return True
        self.lost.append(Problem("migration.stage", path, {"stage": stage, "target": self.tgt.ref}))
        return False

    # -- items ------------------------------------------------------------------------

    def _score(self, i: int, score: Score) -> Score | None:
        path = f"scores[{i}]"
        params = {"node": score.node, "stage": score.stage, "value": score.value}
        target = self._target(score.node, path, params)
        if target is None or not self._stage_fits(score.stage, path):
            return None
        if not _same_rule(self.src, self.tgt, score.node, target):
            self.lost.append(Problem("migration.recompute", path, {**params, "target": target}))
            return None
        scale = _range(self.tgt, target)
        if scale is not None and not scale[0] <= score.value <= scale[1]:
            self.lost.append(
                Problem(
                    "migration.out-of-range",
                    path,
                    {**params, "target": target, "minimum": scale[0], "maximum": scale[1]},
                )
            )
            return None
        self.carried.append(Carried(path, score.node, target, score.stage, score.value))
        return attrs.evolve(score, node=target)

    def _programme(self, i: int, programme: Programme) -> Programme | None:
        if programme.node is None:
            return programme
        path = f"programmes[{i}]"
        target = self._target(
            programme.node, path, {"node": programme.node, "stage": "-", "value": "-"}
        )
        return None if target is None else attrs.evolve(programme, node=target)

    def _evidence(self, i: int, item: Evidence) -> Evidence | None:
        path = f"evidence[{i}]"
        if not self._stage_fits(item.stage, path):
            return None
        if item.node is None:
            return item
        target = self._target(
            item.node, path, {"node": item.node, "stage": item.stage or "-", "value": "-"}
        )
        return None if target is None else attrs.evolve(item, node=target)


def _kept(items: Iterable[_T | None]) -> tuple[_T, ...]:
    return tuple(item for item in items if item is not None)


def _range(fw: Framework, code: str) -> tuple[Decimal, Decimal] | None:
    node = fw.node(code)
    if node.scale is not None:
        return node.scale.minimum, node.scale.maximum
    if node.rubric is not None and not node.children:
        return Decimal(node.rubric.minimum), Decimal(node.rubric.maximum)
    if fw.scale is not None:
        return fw.scale.minimum, fw.scale.maximum
    return None


def _same_rule(src: Framework, tgt: Framework, code: str, target: str) -> bool:
    """Whether node *code* of *src* and *target* of *tgt* combine the same children alike.

    A leaf always does.  An aggregate does when its descendants, their weights within
    it, its aggregation and its inputs from outside are the same in both editions.
    """
    a, b = src.node(code), tgt.node(target)
    if not a.children and not b.children and not a.inputs and not b.inputs:
        return True
    if code != target or a.aggregation != b.aggregation or a.inputs != b.inputs:
        return False
    below_a = [n.code for n in a][1:]
    below_b = [n.code for n in b][1:]
    if below_a != below_b:
        return False
    return all(src.effective_weight(c, code) == tgt.effective_weight(c, target) for c in below_a)


def _percent(fw: Framework, code: str) -> str:
    share = fw.global_share(code)
    if share is None:
        return "-"
    text = f"{float(share * 100):.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _notes(
    src: Framework, tgt: Framework, cw: Crosswalk, carried: list[Carried]
) -> tuple[Problem, ...]:
    notes: list[Problem] = []
    if cw.status != "reviewed":
        notes.append(Problem("migration.draft", "", {"id": cw.id}))
    if tgt.status != "official":
        notes.append(
            Problem("migration.target-status", "", {"target": tgt.ref, "status": tgt.status})
        )
    weighed: set[tuple[str, str]] = set()
    for link in cw.links:
        if link.relation != "equal" or (link.source, link.target) in weighed:
            continue
        weighed.add((link.source, link.target))
        if link.source not in src.codes or link.target not in tgt.codes:
            continue
        before, after = src.global_share(link.source), tgt.global_share(link.target)
        if before is not None and after is not None and before != after:
            notes.append(
                Problem(
                    "migration.weight",
                    "",
                    {
                        "node": link.target
                        if link.source == link.target
                        else f"{link.source} → {link.target}",
                        "before": _percent(src, link.source),
                        "after": _percent(tgt, link.target),
                        "confidence": tgt.node(link.target)
                        .provenance_of("weight")
                        .confidence.value,
                    },
                )
            )
    old = [s.code for s in src.stages]
    new = [s.code for s in tgt.stages]
    if old != new:
        notes.append(
            Problem(
                "migration.stages",
                "",
                {"before": ", ".join(old) or "-", "after": ", ".join(new) or "-"},
            )
        )
    old_scale = None if src.scale is None else (src.scale.minimum, src.scale.maximum)
    new_scale = None if tgt.scale is None else (tgt.scale.minimum, tgt.scale.maximum)
    if old_scale is not None and new_scale is not None and old_scale != new_scale:
        notes.append(
            Problem(
                "migration.scale",
                "",
                {"before": "–".join(map(str, old_scale)), "after": "–".join(map(str, new_scale))},
            )
        )
    if src.id != tgt.id and carried:
        notes.append(Problem("migration.criteria", "", {"source": src.ref, "target": tgt.ref}))
    return tuple(notes)
