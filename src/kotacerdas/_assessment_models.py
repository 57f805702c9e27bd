"""The pydantic boundary models of assessment files: what a JSON document may hold.

The models are the one statement of the rules, and the source of two things: the JSON
Schema editors use (:func:`json_schema`) and the validators the library reads files with,
which :mod:`kotacerdas._compiled` compiles from :func:`core_schemas` so that reading a file
needs none of pydantic's model machinery.  Building the documents into assessments, and the
CSV layout, are in :mod:`kotacerdas._assessment_file`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import pydantic
from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from kotacerdas._assessment_file import FORMAT_VERSION, MAX_ITEMS
from kotacerdas._boundary import SHA256_PATTERN, aware, parse_time, year_in_range
from kotacerdas._schema import Code, NonEmpty, Number, Strict, empty_dict, empty_list
from kotacerdas.assessment import FINAL, YEAR_MAX, YEAR_MIN

Year = Annotated[
    int,
    AfterValidator(year_in_range),
    WithJsonSchema({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}),
]
"""An evaluation year: the same rule in every format."""

AwareDatetime = Annotated[dt.datetime, BeforeValidator(parse_time), AfterValidator(aware)]


class ScoreModel(Strict):
    """A score: ``node``, ``value`` (a number) and ``stage`` (default ``final``)."""

    node: NonEmpty
    value: Number
    stage: Code = FINAL
    illustrative: bool = False
    source: NonEmpty | None = None


class ProgrammeModel(Strict):
    """A programme or innovation."""

    name: NonEmpty
    code: Code | None = None
    node: NonEmpty | None = None
    opd: NonEmpty | None = None
    quick_win: bool = False
    horizon: Literal["short", "medium", "long"] | None = None
    status: Literal["planned", "running", "completed", "stopped"] | None = None
    masterplan: bool = True
    illustrative: bool = False
    source: NonEmpty | None = None


class DecisionModel(Strict):
    """An assessor's decision on an evidence item."""

    status: Literal["accepted", "rejected"]
    reason: NonEmpty | None = None


class EvidenceModel(Strict):
    """A supporting document."""

    title: NonEmpty
    code: Code | None = None
    kind: Code | None = None
    path: NonEmpty | None = None
    url: Annotated[str, Field(pattern=r"^https?://\S+$")] | None = None
    sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] | None = None
    submitted_at: AwareDatetime | None = None
    stage: Code | None = None
    node: NonEmpty | None = None
    level: int | None = None
    programme: NonEmpty | None = None
    decision: DecisionModel | None = None
    illustrative: bool = False


class SessionModel(Strict):
    """When a stage took place."""

    stage: Code
    start: AwareDatetime
    end: AwareDatetime | None = None
    mode: Literal["online", "onsite", "hybrid"] | None = None
    place: NonEmpty | None = None
    illustrative: bool = False
    source: NonEmpty | None = None


class AssessorModel(Strict):
    """A member of the assessor panel."""

    name: NonEmpty
    affiliation: NonEmpty | None = None
    role: NonEmpty | None = None
    illustrative: bool = False
    source: NonEmpty | None = None


class ResponseModel(Strict):
    """One respondent's answers about one programme."""

    respondent: NonEmpty
    programme: NonEmpty
    answers: Annotated[list[Number], Field(min_length=1, max_length=1000)]
    form: NonEmpty | None = None


class SurveyModel(Strict):
    """Impact-survey responses and the form mode."""

    mode: Literal["single", "split"] = "single"
    responses: Annotated[list[ResponseModel], Field(max_length=MAX_ITEMS)] = empty_list()


class AssessmentModel(Strict):
    """One assessment document (format 1)."""

    schema_: str | None = Field(default=None, alias="$schema")
    format: Literal[1] = FORMAT_VERSION
    region: NonEmpty
    year: Year
    framework: Code
    edition: Code
    kind: Literal["submission", "published"] = "submission"
    scores: Annotated[list[ScoreModel], Field(max_length=MAX_ITEMS)] = empty_list()
    programmes: Annotated[list[ProgrammeModel], Field(max_length=MAX_ITEMS)] = empty_list()
    evidence: Annotated[list[EvidenceModel], Field(max_length=MAX_ITEMS)] = empty_list()
    sessions: Annotated[list[SessionModel], Field(max_length=1000)] = empty_list()
    assessors: Annotated[list[AssessorModel], Field(max_length=1000)] = empty_list()
    survey: SurveyModel | None = None
    notes: Annotated[list[NonEmpty], Field(max_length=1000)] = empty_list()
    meta: dict[str, NonEmpty] = empty_dict()


class AssessmentList(Strict):
    """Several assessment documents in one file."""

    schema_: str | None = Field(default=None, alias="$schema")
    assessments: Annotated[list[AssessmentModel], Field(min_length=1, max_length=MAX_ITEMS)]


Many = Annotated[list[AssessmentModel], Field(min_length=1, max_length=MAX_ITEMS)]


def core_schemas() -> dict[str, Any]:
    """pydantic-core schemas of the three shapes of a file: one document, a list, a wrapper."""
    return {
        "one": pydantic.TypeAdapter(AssessmentModel).core_schema,
        "many": pydantic.TypeAdapter(Many).core_schema,
        "wrapped": pydantic.TypeAdapter(AssessmentList).core_schema,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of assessment files: one document, a list, or ``{"assessments": [...]}``."""
    adapter: pydantic.TypeAdapter[AssessmentModel | AssessmentList | list[AssessmentModel]] = (
        pydantic.TypeAdapter(AssessmentModel | AssessmentList | Many)
    )
    schema = adapter.json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://kotacerdas.readthedocs.io/schema/assessment-1.json"
    schema["title"] = "kotacerdas assessment file (format 1)"
    return schema
