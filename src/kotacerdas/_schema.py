"""Shared pieces of the pydantic boundary models and their error translation.

The boundary models are strict (no extra keys, no silent coercion of strings to
numbers) and collect every error at once.  :func:`problems_from` turns pydantic's
errors into the library's own :class:`~kotacerdas.errors.Problem` records with a
readable path (``nodes[2].children[0].weight``) and a bilingual message.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from kotacerdas._decimal import from_float
from kotacerdas.errors import Problem
from kotacerdas.limits import MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


_INT_BOUND = 10**MAX_NUMBER_DIGITS  # integers below it are within both number limits


def _number(value: Any) -> Any:
    """Accept ints, decimals and floats (as their shortest text); refuse text and booleans."""
    if type(value) is int and -_INT_BOUND < value < _INT_BOUND:  # the common case, quickly
        return Decimal(value)
    if isinstance(value, bool):
        raise pydantic_custom("schema.type", expected="number", got="boolean")
    if isinstance(value, float):
        value = from_float(value)
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise pydantic_custom("schema.not-finite")
        if not number_in_bounds(value):
            raise pydantic_custom(
                "schema.number-bounds", digits=MAX_NUMBER_DIGITS, exponent=MAX_NUMBER_EXPONENT
            )
        return value
    raise pydantic_custom("schema.type", expected="number", got=type(value).__name__)


def number_in_bounds(value: Decimal) -> bool:
    """Whether finite *value* is within the number limits of :mod:`kotacerdas.limits`.

    At most ``MAX_NUMBER_DIGITS`` significant digits, and a magnitude within
    ``10**±MAX_NUMBER_EXPONENT`` (or zero).  Beyond these, exact
    arithmetic would overflow the decimal context or crawl.
    """
    digits = value.as_tuple().digits
    if len(digits) > MAX_NUMBER_DIGITS:
        return False
    return value.is_zero() or abs(value.adjusted()) <= MAX_NUMBER_EXPONENT


def empty_list() -> Any:
    """A ``[]`` default that pydantic need not deep-copy for every instance.

    A literal ``[]`` default is copied each time a model is made without the field: most
    of the cost of reading a framework of 100,000 nodes.  The schema still says ``[]``.
    """
    return Field(default_factory=list, json_schema_extra={"default": []})


def empty_dict() -> Any:
    """A ``{}`` default, like :func:`empty_list`."""
    return Field(default_factory=dict, json_schema_extra={"default": {}})


def pydantic_custom(code: str, **params: object) -> PydanticCustomError:
    """A pydantic error carrying a kotacerdas message code."""
    return PydanticCustomError("kotacerdas", code, {"kc_code": code, **params})


Number = Annotated[Decimal, BeforeValidator(_number), WithJsonSchema({"type": "number"})]
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


def _text(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


_NON_EMPTY_SCHEMA: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 100_000}

TextLike = Annotated[
    TextModel,
    BeforeValidator(_text),
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


_TYPE_NAMES = {
    "string_type": "string",
    "int_type": "integer",
    "bool_type": "boolean",
    "list_type": "array",
    "dict_type": "table/object",
    "model_type": "table/object",
    "model_attributes_type": "table/object",
    "decimal_type": "number",
    "float_type": "number",
    "tuple_type": "array",
}


def format_loc(loc: tuple[int | str, ...]) -> str:
    """``('nodes', 2, 'weight')`` → ``nodes[2].weight``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "[" in part or "(" in part or part.startswith("function-"):
            continue  # pydantic's internal union/validator tags
        else:
            out += f".{part}" if out else part
    return out


def problems_from(error: pydantic.ValidationError, prefix: str = "") -> list[Problem]:
    """Translate a pydantic validation error into problems, one per error."""
    problems: list[Problem] = []
    for err in error.errors(include_url=False):
        path = format_loc(tuple(err["loc"]))
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        problems.append(_problem(err, path))
    return problems


def _problem(err: Any, path: str) -> Problem:
    kind: str = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    got = type(err.get("input")).__name__
    if kind == "kotacerdas":
        code = ctx.pop("kc_code")
        return Problem(code, path, ctx)
    if kind == "missing":
        return Problem("schema.missing", path)
    if kind == "extra_forbidden":
        return Problem("schema.extra", path)
    if kind in _TYPE_NAMES:
        return Problem("schema.type", path, {"expected": _TYPE_NAMES[kind], "got": got})
    if kind in {"finite_number"}:
        return Problem("schema.not-finite", path)
    if kind == "string_pattern_mismatch" and path.endswith("code"):
        return Problem("code.invalid", path, {"code": err.get("input")})
    if kind in {"literal_error", "enum"}:
        return Problem(
            "schema.choice", path, {"got": err.get("input"), "expected": ctx.get("expected")}
        )
    return Problem("schema.value", path, {"detail": err.get("msg", kind)})
