"""The checks pydantic's boundary models call, and pydantic's errors in the library's words.

Nothing of pydantic's model machinery is imported here, and :mod:`pydantic_core` only when a
check refuses: the validators compiled from the models (:mod:`kotacerdas._compiled`) call
these functions in a process that never builds a model, and reading a CSV file needs
neither.  :func:`problems_from` turns pydantic's errors into the library's own
:class:`~kotacerdas.errors.Problem` records, with a readable path
(``nodes[2].children[0].weight``) and a bilingual message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from kotacerdas._decimal import from_float
from kotacerdas.assessment import YEAR_MAX, YEAR_MIN
from kotacerdas.errors import Problem
from kotacerdas.limits import MAX_NUMBER_DIGITS, MAX_NUMBER_EXPONENT

if TYPE_CHECKING:
    from pydantic_core import PydanticCustomError, ValidationError

CODE_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
"""A stable code: letters, digits, ``.``, ``_``, ``-``."""

SHA256_PATTERN: Final = r"^[0-9a-f]{64}$"

_INT_BOUND: Final = 10**MAX_NUMBER_DIGITS  # integers below it are within both number limits


def pydantic_custom(code: str, **params: object) -> PydanticCustomError:
    """A pydantic error carrying a kotacerdas message code."""
    from pydantic_core import PydanticCustomError  # only on a refusal: reading CSV needs none

    return PydanticCustomError("kotacerdas", code, {"kc_code": code, **params})


def number(value: Any) -> Any:
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


def text(value: Any) -> Any:
    """A plain string is a text in Bahasa Indonesia only."""
    return {"id": value} if isinstance(value, str) else value


def parse_time(value: Any) -> Any:
    """An ISO 8601 date and time, written as text."""
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            raise pydantic_custom("datetime.invalid", value=value) from None
    return value


def aware(value: dt.datetime) -> dt.datetime:
    """Refuse a time without its offset from UTC: evidence deadlines depend on it."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise pydantic_custom("datetime.naive")
    return value


def year_in_range(value: int) -> int:
    """An evaluation year: the same rule in every format."""
    if not YEAR_MIN <= value <= YEAR_MAX:
        raise pydantic_custom("assessment.year", value=value, minimum=YEAR_MIN, maximum=YEAR_MAX)
    return value


# -- pydantic's errors, in the library's words ----------------------------------------------

_TYPE_NAMES: Final = {
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


def problems_from(error: ValidationError, prefix: str = "") -> list[Problem]:
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
