"""Small shared pieces of the engine: array types, errors and number formatting."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

from kotacerdas.errors import EngineError

FloatArray: TypeAlias = NDArray[np.float64]
"""An array of float64; NaN marks a missing value."""

BoolArray: TypeAlias = NDArray[np.bool_]
IntArray: TypeAlias = NDArray[np.intp]

K = TypeVar("K")
V = TypeVar("V")

Period: TypeAlias = int | str | None
"""A period label: a year, any other label, or ``None`` for data without periods."""


def number(value: float) -> str:
    """*value* as short text for a message: ``3``, ``0.25``, ``1.5e-07``."""
    if value != value:  # NaN
        return "NaN"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"


@contextlib.contextmanager
def no_overflow(stage: str) -> Iterator[None]:
    """Arithmetic beyond the float range is refused (``engine.overflow``), never an infinity.

    Inside, numpy raises on overflow instead of warning and going on with ``inf``
    (which a later step would turn into a wrong, finite score).  Division by zero and
    ``0/0`` keep their meaning (no value), as the engine's steps rely on.
    """
    try:
        with np.errstate(over="raise"):
            yield
    except (FloatingPointError, OverflowError):
        raise EngineError("engine.overflow", stage=stage) from None


def refuse_infinite(values: FloatArray, stage: str) -> None:
    """Refuse *values* holding an infinity: a step overflowed without numpy noticing."""
    if np.isinf(values).any():
        raise EngineError("engine.overflow", stage=stage)


def where(code: str, period: Period = None, unit: str | None = None) -> str:
    """A language-neutral location for messages: ``LPI``, ``LPI [2019]``, ``LPI / AUT [2019]``."""
    text = code if unit is None else f"{code} / {unit}"
    return text if period is None else f"{text} [{period}]"


def listing(items: Iterable[object], limit: int = 12) -> str:
    """Up to *limit* items joined by commas, with ``…`` when there are more."""
    items = list(items)
    text = ", ".join(str(i) for i in items[:limit])
    return text + (", …" if len(items) > limit else "")


def period_key(p: Period) -> tuple[int, int, str]:
    """A sort key putting ``None`` first, then years in order, then other labels."""
    if p is None:
        return (0, 0, "")
    if isinstance(p, int):
        return (1, p, "")
    return (2, 0, p)


class FrozenMap(Mapping[K, V]):
    """An immutable, hashable mapping (equal to any mapping with the same items)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, items: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(items)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(self._data)
