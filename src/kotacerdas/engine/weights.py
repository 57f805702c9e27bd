"""Weights: which share of its parent each node carries, and its effective weight at the top.

A weighting *scheme* (:class:`Weights`) says where weights come from:

* ``Weights.framework()`` — the framework's own node weights (the default), whatever
  mode the framework writes them in; siblings without weights count equally;
* ``Weights.equal()`` — every child of a node counts the same;
* ``Weights.explicit({...})`` — your numbers, for whole sets of siblings; sets you
  do not name keep the *base* scheme.  Write them as *relative* numbers (any
  non-negative values), *local* shares (each set of siblings sums to *total*) or
  *global* shares of the whole (children sum to their parent's, the top level to
  *total*, e.g. 100 for percentages); local and global shares are checked for
  consistency.

Whatever the scheme, weights are normalised within each parent, so
:attr:`ResolvedWeights.local` holds every node's share of its parent (siblings sum to
1) and :attr:`ResolvedWeights.effective` the product of the shares on the way up: the
weight an indicator effectively carries in the index.

>>> from kotacerdas import frameworks
>>> fw = frameworks.from_data({
...     "id": "w", "edition": "1", "title": "W", "issuer": "kotacerdas",
...     "provenance": {"confidence": "inferred"}, "weights": "relative",
...     "nodes": [{"code": "I", "kind": "index", "label": "I", "children": [
...         {"code": "A", "kind": "pillar", "label": "A", "weight": 1, "children": [
...             {"code": "a1", "kind": "indicator", "label": "a1"},
...             {"code": "a2", "kind": "indicator", "label": "a2"}]},
...         {"code": "b", "kind": "indicator", "label": "b", "weight": 3}]}]})
>>> resolve_weights(fw, Weights.framework()).effective["a1"]
0.125
>>> resolve_weights(fw, Weights.equal()).effective["a1"]
0.25
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Literal, TypeAlias

import attrs

from kotacerdas.engine._util import FrozenMap, listing, number
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework, Node

__all__ = ["ResolvedWeights", "Weights", "resolve_weights"]

Scheme: TypeAlias = Literal["framework", "equal", "explicit"]
Mode: TypeAlias = Literal["relative", "local", "global"]

_REL_TOL = 1e-9


def _freeze(values: Mapping[str, float]) -> Mapping[str, float]:
    return FrozenMap(dict(values))


@attrs.frozen
class Weights:
    """A weighting scheme; make one with :meth:`framework`, :meth:`equal` or :meth:`explicit`.

    ``framework`` uses the framework's node weights, in whatever mode it writes them
    (siblings without weights count equally); ``equal`` gives every child of a node
    the same weight; ``explicit`` takes your weights by node code, for whole sets of
    siblings, as relative numbers, local shares (each set sums to *total*) or global
    shares of the whole (children sum to their parent's, the top level to *total*,
    e.g. 100 for percentages), checked for consistency.  Sets you do not name keep
    the *base* scheme.  Whatever the scheme, weights are then normalised within each
    parent (see :func:`resolve_weights`).

    Attributes:
        scheme: ``"framework"``, ``"equal"`` or ``"explicit"``.
        values: For ``explicit``: weights by node code.
        mode: For ``explicit``: ``"relative"``, ``"local"`` or ``"global"``.
        total: For ``local``/``global`` mode: what a full set of shares sums to.
        base: For ``explicit``: the scheme of the sibling sets *values* does not name.
    """

    scheme: Scheme = "framework"
    values: Mapping[str, float] = attrs.field(factory=dict, converter=_freeze)
    mode: Mode = "relative"
    total: float = 1.0
    base: Literal["framework", "equal"] = "framework"

    def __attrs_post_init__(self) -> None:
        choices: tuple[tuple[str, str, tuple[str, ...]], ...] = (
            ("scheme", self.scheme, ("framework", "equal", "explicit")),
            ("mode", self.mode, ("relative", "local", "global")),
            ("base", self.base, ("framework", "equal")),
        )
        for name, chosen, allowed in choices:
            if chosen not in allowed:
                raise EngineError(
                    "build.param-value",
                    method="weights",
                    param=name,
                    value=chosen,
                    expected=" | ".join(allowed),
                )
        if isinstance(self.total, bool) or not (
            isinstance(self.total, int | float) and math.isfinite(self.total) and self.total > 0
        ):
            raise EngineError(
                "build.param-value",
                method="weights",
                param="total",
                value=self.total,
                expected="total > 0",
            )
        for code, value in self.values.items():
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise EngineError("weights.invalid", code=code, value=value)
        if self.values and self.scheme != "explicit":
            raise EngineError(
                "build.param-value",
                method="weights",
                param="values",
                value=listing(self.values),
                expected="scheme = explicit",
            )

    @classmethod
    def framework(cls) -> Weights:
        """The framework's own weights, normalised within each parent."""
        return cls("framework")

    @classmethod
    def equal(cls) -> Weights:
        """Equal weights among the children of every node."""
        return cls("equal")

    @classmethod
    def explicit(
        cls,
        values: Mapping[str, float],
        *,
        mode: Mode = "relative",
        total: float = 1.0,
        base: Literal["framework", "equal"] = "framework",
    ) -> Weights:
        """Your own weights by node code, for whole sets of siblings (see the module docs)."""
        return cls("explicit", values, mode, total, base)


@attrs.frozen
class ResolvedWeights:
    """The weights a build uses, after normalisation within each parent.

    Attributes:
        scheme: The scheme they were resolved from.
        local: Every non-root node's share of its parent; siblings sum to 1.
        effective: Every node's effective weight in its tree's root: the product of
            the shares on the path (1 for a root).
    """

    scheme: Weights
    local: Mapping[str, float] = attrs.field(converter=_freeze)
    effective: Mapping[str, float] = attrs.field(converter=_freeze)

    def percent(self, code: str) -> float:
        """The node's effective weight as a percentage of its root."""
        return 100.0 * self.effective[code]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_REL_TOL, abs_tol=1e-12)


def resolve_weights(
    framework: Framework, scheme: Weights | None = None, roots: Iterable[str] | None = None
) -> ResolvedWeights:
    """Resolve *scheme* over the trees of *roots* (default: every root of the framework).

    Raises:
        EngineError: a named node is not in the trees (``build.node-unknown``), a set
            of siblings is named only in part (``weights.partial``), its weights sum
            to zero (``weights.zero-total``) or local/global shares do not add up
            (``weights.inconsistent``).
    """
    scheme = scheme if scheme is not None else Weights.framework()
    tops = [framework.node(r) for r in roots] if roots is not None else list(framework.roots)
    in_trees = {n.code for top in tops for n in top}
    for code in scheme.values:
        if code not in in_trees:
            raise EngineError(
                "build.node-unknown", code=code, where="weights", framework=framework.ref
            )
    local: dict[str, float] = {}
    effective: dict[str, float] = {}
    for top in tops:
        effective[top.code] = 1.0
        for node in top:  # depth first: a parent comes before its children
            if not node.children:
                continue
            shares = _shares(node, scheme)
            for child, share in zip(node.children, shares, strict=True):
                local[child.code] = share
                effective[child.code] = effective[node.code] * share
    return ResolvedWeights(scheme, local, effective)


def _shares(node: Node, scheme: Weights) -> list[float]:
    kids = node.children
    named = [k.code in scheme.values for k in kids]
    if scheme.scheme == "explicit" and any(named):
        if not all(named):
            missing = [k.code for k, n in zip(kids, named, strict=True) if not n]
            raise EngineError("weights.partial", parent=node.code, missing=listing(missing))
        raw = [float(scheme.values[k.code]) for k in kids]
        _check_shares(node, raw, scheme)
    else:
        use = scheme.base if scheme.scheme == "explicit" else scheme.scheme
        given = [k.weight for k in kids]
        if use == "equal" or all(w is None for w in given):
            raw = [1.0] * len(kids)
        elif any(w is None for w in given):
            missing = [k.code for k in kids if k.weight is None]
            raise EngineError("weights.partial", parent=node.code, missing=listing(missing))
        else:
            raw = [float(w) for w in given if w is not None]
    total = math.fsum(raw)
    if total <= 0:
        raise EngineError("weights.zero-total", parent=node.code)
    return [w / total for w in raw]


def _check_shares(node: Node, raw: list[float], scheme: Weights) -> None:
    if scheme.mode == "relative":
        return
    total = math.fsum(raw)
    expected = scheme.total
    if scheme.mode == "global" and node.parent is not None:
        given = scheme.values.get(node.code)
        if given is None:
            return  # the parent's own share is not given: nothing to check against
        expected = float(given)
    if not _close(total, expected):
        raise EngineError(
            "weights.inconsistent",
            parent=node.code,
            total=number(total),
            expected=number(expected),
            mode=scheme.mode,
        )
