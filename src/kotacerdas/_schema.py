"""Shared pieces of the pydantic boundary models.

The boundary models are strict (no extra keys, no silent coercion of strings to
numbers) and collect every error at once; :func:`kotacerdas._boundary.problems_from`
turns pydantic's errors into the library's own problems.  The checks these types call
live in :mod:`kotacerdas._boundary`, so that validators compiled from the models need
none of pydantic's model machinery.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from kotacerdas._boundary import CODE_PATTERN, number, text


def empty_list() -> Any:
    """A ``[]`` default that pydantic need not deep-copy for every instance.

    A literal ``[]`` default is copied each time a model is made without the field: most
    of the cost of reading a framework of 100,000 nodes.  The schema still says ``[]``.
    """
    return Field(default_factory=list, json_schema_extra={"default": []})


def empty_dict() -> Any:
    """A ``{}`` default, like :func:`empty_list`."""
    return Field(default_factory=dict, json_schema_extra={"default": {}})


Number = Annotated[Decimal, BeforeValidator(number), WithJsonSchema({"type": "number"})]
"""A finite decimal number written as a number (not as text)."""

Code = Annotated[str, Field(pattern=CODE_PATTERN)]
"""A stable code: letters, digits, ``.``, ``_``, ``-``."""

NonEmpty = Annotated[str, Field(min_length=1, max_length=100_000)]


class Strict(BaseModel):
    """Base of boundary models: strict, closed, immutable."""

    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, populate_by_name=True, use_enum_values=True
    )


class TextModel(Strict):
    """A text in Bahasa Indonesia (``id``, authoritative) and English (``en``)."""

    id: NonEmpty
    en: NonEmpty | None = None


_NON_EMPTY_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 100_000}

TextLike = Annotated[
    TextModel,
    BeforeValidator(text),
    WithJsonSchema(
        {
            "anyOf": [
                {**_NON_EMPTY_SCHEMA, "description": "Bahasa Indonesia only"},
                {
                    "type": "object",
                    "properties": {
                        "id": _NON_EMPTY_SCHEMA,
                        "en": {"anyOf": [_NON_EMPTY_SCHEMA, {"type": "null"}]},
                    },
                    "required": ["id"],
                    "additionalProperties": False,
                },
            ],
            "description": "A text: a string (Bahasa Indonesia) or {id, en}.",
        }
    ),
]
"""A text: a plain string (Bahasa Indonesia only) or a table ``{id = "…", en = "…"}``.

Its JSON Schema says so too, so editors accept what the loader accepts."""
