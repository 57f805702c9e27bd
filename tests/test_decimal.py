"""The shared number rules of :mod:`kotacerdas._decimal`."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas._decimal import as_decimal, from_float, terminating, to_decimal


@given(st.integers(0, 40), st.integers(0, 40), st.sampled_from([1, 3, 7, 9, 11, 21]))
def test_terminating_finds_the_power_of_ten_exactly_when_there_is_one(
    twos: int, fives: int, other: int
) -> None:
    den = 2**twos * 5**fives * other
    term = terminating(den)
    if other != 1:
        assert term is None
    else:
        assert term is not None
        multiplier, places = term
        assert den * multiplier == 10**places
        assert places == max(twos, fives)


@given(st.fractions(max_denominator=10**6), st.integers(0, 30))
def test_to_decimal_is_exact_when_it_can_be_and_rounded_half_even_otherwise(
    value: Fraction, places: int
) -> None:
    d = to_decimal(value, places)
    if terminating(value.denominator) is not None:
        assert Fraction(d) == value
    else:
        assert abs(Fraction(d) - value) <= Fraction(1, 2) * Fraction(10) ** -places


def test_floats_are_read_as_they_print() -> None:
    assert from_float(0.1) == Decimal("0.1")
    assert as_decimal(3.6) == Decimal("3.6")
    assert as_decimal("3.60").as_tuple().exponent == -2
    assert to_decimal(Fraction(331, 100)) == Decimal("3.31")
    assert str(to_decimal(Fraction(7))) == "7"


@given(
    st.fractions(max_denominator=10**9).filter(lambda f: abs(f) < 10**12),
    st.integers(0, 30),
    st.integers(1, 60),
)
def test_to_decimal_ignores_the_callers_context(value: Fraction, places: int, prec: int) -> None:
    # The same digits, written the same way, whatever precision the caller's context has.
    from decimal import localcontext

    expected = to_decimal(value, places)
    with localcontext() as ctx:
        ctx.prec = prec
        got = to_decimal(value, places)
    assert repr(got) == repr(expected)
    assert Fraction(expected) == value or not terminating(value.denominator)
