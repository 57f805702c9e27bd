from __future__ import annotations

from decimal import Decimal

from kotacerdas import frameworks
from kotacerdas.assessment import Assessment, Programme
from kotacerdas.masterplan import realisation

FW = frameworks.load("gm100sc@2022")


def test_kebumen_style_percentages() -> None:
    progs = (
        [Programme(f"G{i}", "G1", status="running") for i in range(9)]
        + [Programme(f"L{i}", "L2", status="running" if i < 9 else "planned") for i in range(10)]
        + [Programme(f"B{i}", "B3", status="completed" if i < 6 else "stopped") for i in range(7)]
        + [Programme(f"E{i}", "E1", status="running" if i < 10 else None) for i in range(12)]
        + [Programme("not in masterplan", "E1", masterplan=False)]
    )
    r = realisation(Assessment("33.05", 2022, "gm100sc", "2022", programmes=tuple(progs)), FW)
    assert r["G"].percent == Decimal("100.00")
    assert r["L"].percent == Decimal("90.00")
    assert r["B"].percent == Decimal("85.71")
    assert r["E"].percent == Decimal("83.33")
    assert (r["E"].total, r["E"].running, r["E"].unknown) == (12, 10, 2)


def test_programmes_without_node() -> None:
    r = realisation(
        Assessment(
            "33.05", 2022, "gm100sc", "2022", programmes=(Programme("X"), Programme("Y", "nope"))
        ),
        FW,
    )
    assert r["-"].total == 2
    assert r["-"].share == 0
