"""Exact numbers: the rules every module that reads or writes a number shares.

A float is read as the decimal it prints as (``0.1`` is exactly 0.1, not the binary
neighbour ``Decimal(0.1)`` would give); a fraction is written as a decimal exactly when
its denominator has no prime factor but 2 and 5, and rounded half-even otherwise; a node
is the weighted mean of its children when it has children and all of them are weighted.
Each rule is written here once so that scoring, the panel, the CLI and the file readers
cannot drift apart.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kotacerdas.model import Node

__all__ = ["as_decimal", "from_float", "is_weighted", "terminating", "to_decimal"]

_PRECISION = 200  # digits of the context that divides; far beyond any official value
EXACT: Final = Context(prec=_PRECISION, rounding=ROUND_HALF_EVEN)
"""The context exact arithmetic passes explicitly, whatever the caller's context is."""


def from_float(value: float) -> Decimal:
    """*value* as the decimal it prints as: ``from_float(0.1) == Decimal("0.1")``."""
    return Decimal(repr(value))


def as_decimal(value: Decimal | int | float | str) -> Decimal:
    """*value* as a decimal, floats read as they print (see :func:`from_float`)."""
    return from_float(value) if isinstance(value, float) else Decimal(value)


def terminating(den: int) -> tuple[int, int] | None:
    """``(multiplier, places)`` with ``den × multiplier = 10**places``, if there is one.

    That is, whether ``n / den`` has a finite decimal expansion, and how to write it as
    an integer over a power of ten.

    >>> terminating(8), terminating(3)
    ((125, 3), None)
    """
    twos = fives = 0
    rest = den
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return None
    places = max(twos, fives)
    return 10**places // den, places


def to_decimal(value: Fraction | Decimal, places: int = 28) -> Decimal:
    """*value* as a decimal: exact when it terminates, else rounded to *places* decimals.

    >>> to_decimal(Fraction(663, 200))
    Decimal('3.315')
    >>> to_decimal(Fraction(1, 3), 6)
    Decimal('0.333333')
    """
    if isinstance(value, Decimal):
        return value
    term = _terminating(value.denominator)
    if term is not None:
        multiplier, digits = term
        exact = Decimal(value.numerator * multiplier).scaleb(-digits, EXACT)
        return exact.normalize(EXACT) if digits else exact  # a fraction: no trailing zeros
    q = EXACT.divide(Decimal(value.numerator), Decimal(value.denominator))
    return q.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN, EXACT)


_terminating: Final = functools.lru_cache(maxsize=4096)(terminating)


def is_weighted(node: Node) -> bool:
    """Whether *node* is the weighted mean of its children (all of them carry a weight)."""
    return bool(node.children) and all(c.weight is not None for c in node.children)
