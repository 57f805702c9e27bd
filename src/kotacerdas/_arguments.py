"""Checks of the arguments of public functions: the library's own error, not a traceback.

A wrong type deep inside would surface as an ``AttributeError`` or a ``TypeError`` about
some internal name; checked at the door, it is an :class:`~kotacerdas.errors.ArgumentError`
that names the function, the argument and what it must be, in either language.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import Any

from kotacerdas.errors import ArgumentError

__all__ = ["Choice", "expect", "path_of"]


class Choice(enum.Enum):
    """An enumeration whose unknown value is refused in the library's words.

    ``Decision("acepted")`` raises :class:`~kotacerdas.errors.ArgumentError`
    (``argument.value``) naming the enumeration and its values, where a plain
    :class:`enum.Enum` raises a bare :class:`ValueError`.
    """

    @classmethod
    def _missing_(cls, value: Any) -> Any:
        raise ArgumentError(
            "argument.value",
            function=cls.__name__,
            name="value",
            value=value,
            expected=" | ".join(str(m.value) for m in cls),
        )


def expect(value: object, kind: type | tuple[type, ...], function: str, name: str) -> None:
    """Refuse *value* unless it is a *kind*."""
    if not isinstance(value, kind):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        raise ArgumentError(
            "argument.type",
            function=function,
            name=name,
            expected=" | ".join(k.__name__ for k in kinds),
            got=type(value).__name__,
        )


def path_of(value: object, function: str, name: str = "path") -> Path:
    """*value* as a :class:`~pathlib.Path`: a ``str`` or an ``os.PathLike`` of one."""
    if isinstance(value, str | os.PathLike):
        try:
            return Path(value)
        except TypeError:  # an os.PathLike that returns bytes
            pass
    raise ArgumentError(
        "argument.type",
        function=function,
        name=name,
        expected="str | os.PathLike",
        got=type(value).__name__,
    )
