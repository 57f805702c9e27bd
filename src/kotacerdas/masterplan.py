"""Masterplan realisation: the share of masterplan programmes running, per dimension.

Regional reports publish it as *% program berjalan* (Kabupaten Kebumen 2022: Smart
Living 9 of 10 programmes = 90%, Smart Branding 6 of 7 = 85.71%).  A programme counts
as running when its status is ``running`` or ``completed``; programmes without a
status are counted in the total and reported as ``unknown``, never guessed.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs

from kotacerdas.assessment import Assessment
from kotacerdas.model import Framework

__all__ = ["Realisation", "realisation"]

_RUNNING = frozenset({"running", "completed"})


@attrs.frozen
class Realisation:
    """Masterplan programmes of one group: how many, how many running, and the share.

    ``percent`` is published-style: percent to 2 decimals, half-up (``85.71``).
    """

    node: str
    total: int
    running: int
    unknown: int

    @property
    def share(self) -> Decimal:
        """Exact share of running programmes (0 when there are none)."""
        return Decimal(self.running) / Decimal(self.total) if self.total else Decimal(0)

    @property
    def percent(self) -> Decimal:
        """The share in percent, to 2 decimals, half-up."""
        return (self.share * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def realisation(
    assessment: Assessment, framework: Framework, *, kind: str = "dimension"
) -> dict[str, Realisation]:
    """Realisation of the masterplan per node of *kind* (default: per dimension).

    Each masterplan programme is counted under the ancestor of its node that has
    *kind*; programmes with no node, or a node outside any such ancestor, are counted
    under ``"-"``.

    >>> from kotacerdas import frameworks
    >>> from kotacerdas.assessment import Assessment, Programme
    >>> progs = tuple(Programme(f"P{i}", "L1", status="running" if i < 9 else "planned")
    ...               for i in range(10))
    >>> a = Assessment("33.05", 2022, "gm100sc", "2022", programmes=progs)
    >>> realisation(a, frameworks.load("gm100sc@2022"))["L"].percent
    Decimal('90.00')
    """
    counts: dict[str, list[int]] = {}
    for p in assessment.programmes:
        if not p.masterplan:
            continue
        key = "-"
        node = framework.get(p.node) if p.node else None
        if node is not None:
            key = next((a.code for a in framework.path(node.code) if a.kind == kind), "-")
        total, running, unknown = counts.setdefault(key, [0, 0, 0])
        counts[key] = [total + 1, running + (p.status in _RUNNING), unknown + (p.status is None)]
    return {k: Realisation(k, *v) for k, v in sorted(counts.items())}
