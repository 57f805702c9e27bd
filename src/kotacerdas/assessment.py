"""Assessments: the evaluation of one region in one year against one framework edition.

An :class:`Assessment` holds the scores by stage, the programmes (innovations) with
the sub-dimension each serves, the evidence (*eviden*, *data dukung*) with the
assessors' decisions, the interview sessions, the assessor panel and the impact-survey
responses.  It is an immutable value: build one from a file with :func:`read`
(JSON documents, the long CSV layout or an Excel workbook) and write it back with
:func:`write`, without losing a digit (``3.60`` stays ``3.60``); :func:`from_data` and
:func:`to_data` convert parsed JSON data, as the same verbs do for frameworks and
crosswalks.

Whether an assessment is *right* is a separate question, answered by
:func:`kotacerdas.validation.validate` against the framework edition.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

import attrs

from kotacerdas._arguments import Choice
from kotacerdas._deprecation import renamed
from kotacerdas.errors import FileReadError

__all__ = [
    "FINAL",
    "KINDS",
    "YEAR_MAX",
    "YEAR_MIN",
    "Assessment",
    "Assessor",
    "Decision",
    "Evidence",
    "Horizon",
    "Kind",
    "Location",
    "Programme",
    "ProgrammeStatus",
    "Score",
    "Session",
    "SurveyMode",
    "SurveyResponse",
    "from_data",
    "json_schema",
    "read",
    "read_one",
    "to_data",
    "write",
]

FINAL = "final"
"""The stage code of final scores; valid in every framework besides its own stages."""

Kind = Literal["submission", "published"]
"""Where the scores of an assessment come from.

``submission``: a self-assessment or the assessors' scores, with the evidence behind
them; a rubric level counts only when accepted evidence supports it (the staircase
rule).  ``published``: results taken from an official release, report or table, which
carry no evidence; rubric levels are taken as published.
"""

KINDS: tuple[Kind, ...] = ("submission", "published")
"""Every :data:`Kind`, the default first."""

YEAR_MIN = 1900
"""The earliest evaluation year any format accepts."""

YEAR_MAX = 2200
"""The latest evaluation year any format accepts (validation also refuses future years)."""

Horizon = Literal["short", "medium", "long"]
"""Masterplan horizon of a programme: *jangka pendek*, *menengah*, *panjang*."""

ProgrammeStatus = Literal["planned", "running", "completed", "stopped"]
"""Where a programme stands; "running" and "completed" count as *berjalan*."""

SurveyMode = Literal["single", "split"]
"""Impact-survey form: one form per dimension (``single``) or one per sub-dimension."""


class Decision(Choice):
    """An assessor's decision on an evidence item."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


@attrs.frozen
class Score:
    """A score of one node at one stage, exactly as written.

    Attributes:
        node: Code of the scored node (a GM100SC component, an SPBE indicator …).
        value: The score; a maturity level for rubric items.
        stage: The evaluation stage (a stage code of the framework, or ``"final"``).
        illustrative: ``True`` when the number was not published (example data).
        source: Where the number was published, if it was.
    """

    node: str
    value: Decimal
    stage: str = FINAL
    illustrative: bool = False
    source: str | None = None


@attrs.frozen
class Programme:
    """A smart-city programme or innovation of the region.

    Attributes:
        name: Its name (e.g. *Langsat Manis*).
        node: The sub-dimension (or other node) it serves, if known.
        opd: The owning agency (*OPD*), if known.
        quick_win: Whether it is a quick win (*program percepatan*).
        horizon: Masterplan horizon, if it is a masterplan programme.
        status: Where it stands.
        masterplan: Whether it is in the masterplan (counts for realisation).
    """

    name: str
    node: str | None = None
    opd: str | None = None
    quick_win: bool = False
    horizon: Horizon | None = None
    status: ProgrammeStatus | None = None
    masterplan: bool = True
    code: str | None = None
    illustrative: bool = False
    source: str | None = None


@attrs.frozen
class Evidence:
    """A supporting document and what the assessors decided about it.

    Attributes:
        title: What the document is.
        kind: An evidence-kind code of the framework, if it names one.
        path: Location relative to the evidence folder, for files kept locally.
        url: Location on the web, for documents kept online.
        sha256: Hex digest of the file's bytes, to detect changes.
        submitted_at: When it was submitted (timezone-aware).
        stage: The stage it was submitted for.
        node: The node it supports, if any; with ``level`` the rubric level.
        programme: Code or name of the programme it documents, if any.
        decision: The assessors' decision, if made; ``reason`` says why.
    """

    title: str
    kind: str | None = None
    path: str | None = None
    url: str | None = None
    sha256: str | None = None
    submitted_at: dt.datetime | None = None
    stage: str | None = None
    node: str | None = None
    level: int | None = None
    programme: str | None = None
    decision: Decision | None = None
    reason: str | None = None
    code: str | None = None
    illustrative: bool = False

    @property
    def counts(self) -> bool:
        """Whether the item can support a claim: accepted, or not (yet) decided."""
        return self.decision is not Decision.REJECTED


@attrs.frozen
class Session:
    """When a stage took place (e.g. the tahap II interview).

    The evidence top-up window of a stage starts when its session ends.
    """

    stage: str
    start: dt.datetime
    end: dt.datetime | None = None
    mode: Literal["online", "onsite", "hybrid"] | None = None
    place: str | None = None
    illustrative: bool = False
    source: str | None = None

    @property
    def closes(self) -> dt.datetime:
        """The end of the session, or its start when no end is recorded."""
        return self.end or self.start


@attrs.frozen
class Assessor:
    """A member of the assessor panel."""

    name: str
    affiliation: str | None = None
    role: str | None = None
    illustrative: bool = False
    source: str | None = None


@attrs.frozen
class SurveyResponse:
    """One respondent's answers about one programme, on the framework's survey scale."""

    respondent: str
    programme: str
    answers: tuple[Decimal, ...]
    form: str | None = None


@attrs.frozen
class Location:
    """Where a datum of an assessment was read: a cell (or row) of a CSV file or worksheet.

    Findings about an assessment read from a table carry it, so a person can go to the
    cell to fix, rather than work out which row ``scores[2]`` is.

    Attributes:
        file: The file as the caller named it.
        line: The line of a CSV file, or the row of the worksheet (1 is the header).
        column: The column's name, or ``None`` for the whole row.
        sheet: ``True`` for a worksheet (``.xlsx``), ``False`` for a CSV file.
    """

    file: str
    line: int
    column: str | None = None
    sheet: bool = False

    def describe(self, lang: str | None = None) -> str:
        """The place in words: ``kediri.csv, line 3, column value``."""
        from kotacerdas.i18n import message

        if self.sheet:
            code = "location.row" if self.column is None else "location.row-cell"
        else:
            code = "location.line" if self.column is None else "location.line-cell"
        return message(code, lang, file=self.file, line=self.line, column=self.column)

    def to_dict(self) -> dict[str, Any]:
        """``{"file", "line", "column", "sheet"}``, for JSON output."""
        return attrs.asdict(self)

    def __str__(self) -> str:
        return self.describe()


def _freeze(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _freeze_locations(value: Mapping[str, Location]) -> Mapping[str, Location]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Assessment:
    """The evaluation of one region in one year against one framework edition.

    Attributes:
        region: The region's Kemendagri code (``63.09``) — or the text as written, when
            it could not be resolved (validation then reports it).
        year: The evaluation year.
        framework: Framework id (``gm100sc``).
        edition: Framework edition (``2023``).
        scores: Scores by node and stage.
        programmes: Programmes and innovations.
        evidence: Supporting documents.
        sessions: When stages took place.
        assessors: The assessor panel.
        survey_mode: Impact-survey form mode, if a survey is recorded.
        survey: Impact-survey responses.
        notes: Free notes (the assessors' or the region's).
        meta: Free key–value metadata (e.g. ``source``, ``label``).
        kind: Where the scores come from: a ``submission`` (with evidence) or
            ``published`` results (see :data:`Kind`).
        locations: For an assessment read from a CSV or Excel file, the cell of each
            field by its path (see :meth:`locate`); not part of equality.
    """

    region: str
    year: int
    framework: str
    edition: str
    scores: tuple[Score, ...] = ()
    programmes: tuple[Programme, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    sessions: tuple[Session, ...] = ()
    assessors: tuple[Assessor, ...] = ()
    survey_mode: SurveyMode | None = None
    survey: tuple[SurveyResponse, ...] = ()
    notes: tuple[str, ...] = ()
    meta: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze, hash=False)
    kind: Kind = "submission"
    locations: Mapping[str, Location] = attrs.field(
        factory=dict, converter=_freeze_locations, eq=False, hash=False, repr=False
    )

    def locate(self, path: str) -> Location | None:
        """Where the datum at *path* (``scores[2].value``) was read, for a CSV or Excel file.

        A field without a cell of its own (``scores[2]``) gives its row; ``None`` when the
        assessment was not read from a table, or the path has no place in it.
        """
        while path:
            found = self.locations.get(path)
            if found is not None:
                return found
            path = path.rpartition(".")[0]
        return None

    @property
    def framework_ref(self) -> str:
        """``ID@EDITION`` of the framework edition."""
        return f"{self.framework}@{self.edition}"

    @property
    def key(self) -> tuple[str, int, str]:
        """``(region, year, framework_ref)``: what identifies the assessment in a panel."""
        return (self.region, self.year, self.framework_ref)

    def stages(self) -> tuple[str, ...]:
        """The stages that have scores, in order of first appearance."""
        return tuple(dict.fromkeys(s.stage for s in self.scores))

    def scores_at(self, stage: str = FINAL) -> dict[str, Decimal]:
        """Scores of one stage by node code (the last one wins if a node repeats)."""
        return {s.node: s.value for s in self.scores if s.stage == stage}

    def __iter__(self) -> Iterator[Score]:
        return iter(self.scores)


# -- files ------------------------------------------------------------------------------------


def _resolve_region(text: str) -> str:
    """The Kemendagri code for *text*, or *text* itself when it names no single region."""
    from kotacerdas import regions
    from kotacerdas.errors import KotaCerdasError

    try:
        return regions.resolve(text).code
    except KotaCerdasError:
        return text.strip()


def read(path: str | os.PathLike[str]) -> tuple[Assessment, ...]:
    """Read every assessment in a JSON document or a long CSV file (by its suffix).

    Region names are resolved to Kemendagri codes where they name exactly one region;
    otherwise the text is kept and :func:`~kotacerdas.validation.validate` reports it.
    A CSV or Excel table carries no evidence, so what it holds is ``published`` results
    (:data:`Kind`); a JSON document says its ``kind`` (default ``submission``).

    Raises:
        FileReadError: the file is missing, unreadable, too large or not UTF-8.
        FileFormatError: the JSON is malformed (with line and column).
        AssessmentError: the content does not fit the format; every problem is listed
            with its path (``scores[2].value``) or row and column.  The file holds no
            assessment, or two of one region, year, framework and stage.
        FileFormatError: the JSON gives a key twice in one object (with line and column).
    """
    from kotacerdas import _files
    from kotacerdas._arguments import path_of
    from kotacerdas._assessment_file import from_csv_text, from_json_data

    p = path_of(path, "assessment.read")
    suffix = p.suffix.lower()
    with _files.gc_paused():
        if suffix == ".csv":
            return from_csv_text(_files.read_text(p), str(p), _resolve_region)
        if suffix == ".json":
            return from_json_data(_files.load(p), str(p), _resolve_region)
        if suffix == ".xlsx":
            from kotacerdas._excel import read_xlsx

            return from_csv_text(read_xlsx(p), str(p), _resolve_region, sheet=True)
    raise FileReadError("file.format-assessment", path=str(p))


def read_one(path: str | os.PathLike[str]) -> Assessment:
    """Read a file that holds exactly one assessment.

    Raises:
        AssessmentError: the file holds none or several (besides :func:`read`'s errors).
    """
    found = read(path)
    if len(found) != 1:
        from kotacerdas.errors import AssessmentError, Problem

        raise AssessmentError(str(path), [Problem("assessment.count", "", {"count": len(found)})])
    return found[0]


def from_data(data: Any, source: str = "<data>") -> tuple[Assessment, ...]:
    """Build assessments from parsed JSON data (one document, a list, or ``{"assessments"}``)."""
    from kotacerdas._assessment_file import from_json_data

    return from_json_data(data, source, _resolve_region)


def to_data(assessment: Assessment) -> dict[str, Any]:
    """The JSON document of *assessment* (numbers as :class:`~decimal.Decimal`)."""
    from kotacerdas._arguments import expect
    from kotacerdas._assessment_file import to_json_data

    expect(assessment, Assessment, "assessment.to_data", "assessment")
    return to_json_data(assessment)


def write(assessments: Assessment | Iterable[Assessment], path: str | os.PathLike[str]) -> None:
    """Write assessments to ``.json`` (full documents) or ``.csv`` (scores only), atomically.

    ``read(path)`` reads back equal assessments from JSON, and equal scores from CSV.
    """
    from kotacerdas import _files
    from kotacerdas._arguments import expect, path_of
    from kotacerdas._assessment_file import to_csv_text, to_json_data

    p = path_of(path, "assessment.write")
    expect(assessments, (Assessment, list, tuple), "assessment.write", "assessments")
    items = [assessments] if isinstance(assessments, Assessment) else list(assessments)
    for item in items:
        expect(item, Assessment, "assessment.write", "assessments[]")
    suffix = p.suffix.lower()
    if suffix == ".csv":
        text = to_csv_text(items)
    elif suffix == ".json":
        docs = [to_json_data(a) for a in items]
        text = _files.dump_json(docs[0] if len(docs) == 1 else {"assessments": docs})
    elif suffix == ".xlsx":
        from kotacerdas._excel import write_xlsx

        write_xlsx(p, to_csv_text(items))
        return
    else:
        raise FileReadError("file.format-assessment", path=str(p))
    _files.write_atomic(p, text)


load = renamed(read, "load")
load_one = renamed(read_one, "load_one")
dump = renamed(write, "dump")


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of assessment files."""
    from kotacerdas._assessment_models import json_schema as schema

    return schema()
