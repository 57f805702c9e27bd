"""``kotacerdas score`` of a long table: every region-year at once.

Scoring a table of 552 regions × 10 years one assessment at a time builds 5,520
assessments and runs 5,520 rounds of :class:`~fractions.Fraction` arithmetic.  Here the
table is read once into columns, every value is checked by the one rule of validation
(:func:`kotacerdas.validation.value_rule`, once per distinct value and node), and the
:class:`~kotacerdas.scoring.Result` of each region-year is assembled from what its
edition's results share: each input's score is built once per distinct value, and an
aggregate is the sum of its children's weighted values — in integers, exact since the
edition's weights are terminating decimals (every conversion to and from decimals traps
:class:`decimal.Inexact` to prove it) — so that every output format prints exactly what
the per-assessment path prints.
Neither numpy nor the panel is imported: the command starts as fast as the work allows.

The fast path takes only what it can prove it scores identically: a plain comma
separated table (or worksheet) of final scores of exactly the edition's inputs, with
region codes, of editions whose weights are terminating decimals.  Anything else — a
finding of any kind, a region name, a decimal comma, an extra node, SPBE's rubric
levels — returns ``None``, and the command scores one assessment at a time, reporting
every problem as it always has.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import operator
import re
from collections.abc import Sequence
from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
    localcontext,
)
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Final

from kotacerdas._decimal import is_weighted, terminating
from kotacerdas._files import gc_paused, read_text
from kotacerdas.assessment import FINAL, YEAR_MAX, YEAR_MIN
from kotacerdas.limits import MAX_ROWS

if TYPE_CHECKING:
    from kotacerdas.model import Band, Framework, Node, Scale
    from kotacerdas.scoring import NodeScore, Result

__all__ = ["score_table"]

_COLUMNS: Final = ("region", "year", "framework", "edition", "node", "value")
_NUMBER: Final = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,12})?")  # well within the limits
_ROUNDING: Final = Context(prec=200)
"""Where a value is rounded for publication: the exact context traps :class:`Inexact`."""
_Key = tuple[str, int, str, str]  # region, year, framework, edition
_Interval = tuple[int, int, int]  # exact, low, high: in a node's unit


def score_table(path: str, levels: str) -> list[tuple[Result, Framework]] | None:
    """The result of every region-year of the table at *path*, in the file's order.

    ``None`` when the table needs the per-assessment path (see the module's docstring):
    the caller then loads, validates and scores it one assessment at a time.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        text = read_text(p)
    elif suffix == ".xlsx":
        from kotacerdas._excel import read_xlsx

        text = read_xlsx(p)
    else:
        return None
    with gc_paused():  # tens of thousands of objects, no cycles: see gc_paused
        return _score(text, levels)


def _score(text: str, levels: str) -> list[tuple[Result, Framework]] | None:
    table = _read(text)
    if table is None:
        return None
    groups, cells = table
    by_edition: dict[tuple[str, str], list[_Key]] = {}
    for key in groups:
        by_edition.setdefault(key[2:], []).append(key)
    results: dict[_Key, tuple[Result, Framework]] = {}
    with localcontext() as ctx:
        ctx.prec = 200  # as scoring: exact, far beyond any value read
        ctx.traps[Inexact] = True  # and proven so: a value that rounds steps aside
        try:
            for (framework, edition), keys in by_edition.items():
                scored = _score_edition(
                    framework, edition, keys, groups, cells[framework, edition], levels
                )
                if scored is None:
                    return None
                results.update(scored)
        except Inexact:  # pragma: no cover - terminating weights of ≤ 24-digit values
            return None
    return [results[key] for key in groups]


def _read(
    text: str,
) -> tuple[dict[_Key, dict[str, str]], dict[tuple[str, str], set[tuple[str, str]]]] | None:
    """Each region-year's scores, and each edition's distinct cells; ``None`` if unusual.

    The scores map node → value as written; the cells are (node, value) pairs.

    Cells are checked column by column, once per distinct text: a table of 5,520
    region-years has a few hundred distinct values, ten years and one edition.
    """
    first = text.lstrip().partition("\n")[0]
    if ";" in first:  # a semicolon table may use decimal commas: the full reader decides
        return None
    table = _columns(text)
    if table is None:
        return None
    header, body = table
    names = set(header)
    if len(names) != len(header) or not set(_COLUMNS) <= names <= {*_COLUMNS, "stage"}:
        return None
    columns = dict(zip(header, body, strict=True))
    if "stage" in columns and not set(columns["stage"]) <= {"", FINAL}:
        return None
    region, year_text, framework, edition, node, value = (columns[c] for c in _COLUMNS)
    last_year = min(YEAR_MAX, dt.datetime.now(dt.UTC).year)
    years = {}
    for y in set(year_text):
        if not (y.isascii() and y.isdigit() and len(y) <= 4 and YEAR_MIN <= int(y) <= last_year):
            return None
        years[y] = int(y)
    if not all(_NUMBER.fullmatch(v) for v in set(value)):
        return None
    for column in (region, framework, edition, node):
        if not all(c and c == c.strip() and not c.startswith("'") for c in set(column)):
            return None
    if not _all_codes(set(region)):
        return None
    editions = {
        (f, e): (f.lower(), e.lower()) for f, e in set(zip(framework, edition, strict=True))
    }
    written = _by_key(list(zip(region, year_text, framework, edition, strict=True)), node, value)
    if written is None:
        return None  # a node given twice for one region-year
    groups = {(r, years[y], *editions[f, e]): s for (r, y, f, e), s in written.items()}
    if len(groups) != len(written):
        return None  # one region-year's edition written two ways: the full reader decides
    if len(groups) != len({k[:3] for k in groups}):
        return None  # two editions of one framework for one region-year: the full reader refuses it
    cells: dict[tuple[str, str], set[tuple[str, str]]] = {fe: set() for fe in editions.values()}
    for f, e, n, v in set(zip(framework, edition, node, value, strict=True)):
        cells[editions[f, e]].add((n, v))
    return groups, cells


def _columns(text: str) -> tuple[list[str], list[tuple[str, ...]]] | None:
    """The header and the columns of a comma separated table, as :mod:`csv` reads them.

    ``None`` when the table is empty, too long, or its rows differ in length.  A table
    without quotes or carriage returns is split directly: :mod:`csv` would split it the
    same way (at each newline, then at each comma, blank lines skipped), only slower.
    """
    if '"' in text or "\r" in text:
        try:
            rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
        except csv.Error:
            return None
        if len(rows) < 2 or len(rows) - 1 > MAX_ROWS:
            return None
        width = len(rows[0])
        if {len(row) for row in rows} != {width}:
            return None
        return rows[0], list(zip(*rows[1:], strict=True))
    lines = text.split("\n")
    if "" in lines:
        lines = [line for line in lines if line]
    if len(lines) < 2 or len(lines) - 1 > MAX_ROWS:
        return None
    header = lines[0].split(",")
    width = len(header)
    if set(map(str.count, lines, itertools.repeat(","))) != {width - 1}:
        return None
    cells = ",".join(lines[1:]).split(",")
    return header, [tuple(cells[i::width]) for i in range(width)]


def _by_key(
    keys: list[tuple[str, str, str, str]], node: Sequence[str], value: Sequence[str]
) -> dict[tuple[str, str, str, str], dict[str, str]] | None:
    """Each key's scores (node → value), in the order keys first appear.

    ``None`` when a key gives a node twice.  A table's rows usually come a region-year at
    a time: each such run is read at once.
    """
    n = len(keys)
    starts = [0, *itertools.compress(range(1, n), map(operator.ne, keys[1:], keys)), n]
    written: dict[tuple[str, str, str, str], dict[str, str]] = {}
    for i, j in itertools.pairwise(starts):
        key = keys[i]
        if key in written:  # a region-year in several runs: row by row
            written.clear()
            break
        written[key] = dict(zip(node[i:j], value[i:j], strict=True))
    else:
        return written if sum(map(len, written.values())) == n else None
    for k, nd, v in zip(keys, node, value, strict=True):
        scores = written.get(k)
        if scores is None:
            scores = written[k] = {}
        scores[nd] = v
    return written if sum(map(len, written.values())) == n else None


def _all_codes(texts: set[str]) -> bool:
    """Whether every text is the Kemendagri code of a bundled region."""
    from kotacerdas import regions

    registry = regions.regions()
    return all(registry.get(t) is not None for t in texts)


def _score_edition(
    framework: str,
    edition: str,
    keys: Sequence[_Key],
    groups: dict[_Key, dict[str, str]],
    cells: set[tuple[str, str]],
    levels: str,
) -> dict[_Key, tuple[Result, Framework]] | None:
    from kotacerdas import frameworks
    from kotacerdas.errors import KotaCerdasError
    from kotacerdas.validation import scored_nodes, value_rule

    try:
        fw = frameworks.load(framework, edition)
    except KotaCerdasError:
        return None
    plan = _Plan.of(fw)
    if plan is None or (fw.id, fw.edition) != (framework, edition):
        return None
    inputs = {n.code for n in scored_nodes(fw)}
    if inputs != plan.leaves.keys():  # a node with weighted and unweighted children
        return None
    rules = {code: value_rule(fw, fw.node(code)) for code in inputs}
    for node, value in cells:  # each distinct cell once, by validation's own rule
        if node not in rules:  # a node outside the index's inputs
            return None
        rule = rules[node]
        if rule is not None and rule.problems(Decimal(value)):
            return None
    if any(groups[key].keys() != inputs for key in keys):  # an input missing
        return None
    method = f"official weighted arithmetic, exact; levels={levels}; missing=fail"
    result = plan.result
    return {key: (result(key, groups[key], method), fw) for key in keys}


class _Plan:
    """What every result of one edition shares: the order of its nodes, weights, scales.

    Values are added up as integers: an input's value and bounds in units of
    ``10**-INPUT_PLACES``, an aggregate's in units of its own (its children's finest unit
    times its weights' decimals), so a weighted sum is exact by construction.
    """

    INPUT_PLACES: Final = 13
    """An input has at most 12 decimals (``_NUMBER``), its bounds one more (half a unit)."""

    def __init__(self, fw: Framework, root: Node) -> None:
        self.fw = fw
        self.root = root.code
        self.order: list[str] = []
        self.weights: dict[str, Fraction] = {}
        self.parents: dict[str, str] = {}
        self.shares: dict[str, Decimal] = {}
        self.scales: dict[str, Scale | None] = {}
        self.places: dict[str, int] = {}  # a node's unit: 10**-places
        # aggregate → weighted children; child → its share, in its parent's unit
        self.children: dict[str, list[str]] = {}
        self.factors: dict[str, int] = {}
        # input → value as written → (its score, its value and bounds weighted for its parent)
        self.leaves: dict[str, dict[str, tuple[NodeScore, _Interval]]] = {}
        self.aggregates: dict[tuple[str, int, int, int], NodeScore] = {}
        self._walk(root)
        # Each node in order: an input's scores, or an aggregate's weighted children.
        self.steps = [
            (code, self.leaves.get(code), self.children.get(code, []), self.factors.get(code, 1))
            for code in self.order
        ]
        from kotacerdas.scoring import NodeScore, Result

        self.make_result, self.make_score = Result, NodeScore

    @classmethod
    def of(cls, fw: Framework) -> _Plan | None:
        """The plan of *fw*, or ``None`` when its results need the per-assessment path."""
        root = fw.index_node
        if root is None or not is_weighted(root):  # an index given, not computed: checked
            return None
        stack = [root]
        while stack:
            node = stack.pop()
            if node.rubric is not None:
                return None
            if not is_weighted(node):
                continue
            if node.aggregation not in (None, "arithmetic"):
                return None
            total = sum((Fraction(c.weight) for c in node.children if c.weight), Fraction(0))
            if not total or any(
                terminating((Fraction(c.weight) / total).denominator) is None
                for c in node.children
                if c.weight is not None
            ):
                return None
            stack.extend(node.children)
        return cls(fw, root)

    def _walk(self, node: Node) -> None:
        """Nodes in the order scoring records them: children first, then their parent."""
        self.scales[node.code] = node.scale or self.fw.scale
        if not is_weighted(node):
            self.leaves[node.code] = {}
            self.places[node.code] = self.INPUT_PLACES
            self.order.append(node.code)
            return
        total = sum((Fraction(c.weight) for c in node.children if c.weight), Fraction(0))
        weighted: list[tuple[str, int, int]] = []  # child, share × 10**places, places
        for child in node.children:
            self._walk(child)
            share = Fraction(child.weight) / total if child.weight else Fraction(0)
            self.weights[child.code] = share
            self.parents[child.code] = node.code
            self.shares[child.code] = _exact(share)
            if child.weight is not None:  # as scoring: an unweighted child adds nothing
                term = terminating(share.denominator)
                assert term is not None  # checked by `of`
                multiplier, places = term
                weighted.append((child.code, share.numerator * multiplier, places))
        unit = max((self.places[c] + p for c, _, p in weighted), default=0)
        for code, scaled, places in weighted:
            self.factors[code] = scaled * 10 ** (unit - self.places[code] - places)
        self.children[node.code] = [code for code, _, _ in weighted]
        self.places[node.code] = unit
        self.order.append(node.code)

    def result(self, key: _Key, scores: dict[str, str], method: str) -> Result:
        """The result of one region-year: shared input scores, exact weighted means."""
        nodes: dict[str, NodeScore] = {}
        values: dict[str, _Interval] = {}  # weighted for the parent
        for code, memo, children, factor in self.steps:
            if memo is not None:  # an input
                written = scores[code]
                found = memo.get(written)
                if found is None:
                    found = self._leaf(code, written)
                nodes[code], values[code] = found
            else:
                exact = low = high = 0
                for child in children:
                    e, lo, hi = values[child]
                    exact += e
                    low += lo
                    high += hi
                nodes[code] = self._aggregate(code, exact, low, high)
                values[code] = exact * factor, low * factor, high * factor
        return self.make_result(
            region=key[0],
            year=key[1],
            framework=self.fw.id,
            edition=self.fw.edition,
            index_code=self.root,
            nodes=nodes,
            method=method,
            stage=FINAL,
            weights=self.weights,
            parents=self.parents,
            kind="published",
        )

    def _leaf(self, code: str, written: str) -> tuple[NodeScore, _Interval]:
        """An input as given: its value as written, its interval of ± half a unit."""
        value = Decimal(written)
        scale = self.scales[code]
        half = Decimal(5).scaleb(_exponent(value) - 1)
        low, high = value - half, value + half
        if scale is not None:
            low, high = max(low, scale.minimum), min(high, scale.maximum)
        low, high = min(low, value), max(high, value)
        score = self.make_score(
            code=code,
            exact=value,
            published=self._published(code, value),
            bounds=(self._bound(code, low), self._bound(code, high)),
            given=value,
            contribution=self._contribution(code, value),
        )
        f, places = self.factors.get(code, 1), self.INPUT_PLACES
        weighted = f * _units(value, places), f * _units(low, places), f * _units(high, places)
        found = self.leaves[code][written] = score, weighted
        return found

    def _aggregate(self, code: str, exact: int, low: int, high: int) -> NodeScore:
        """A weighted mean, from its exact value and bounds: one object per distinct three."""
        memo = (code, exact, low, high)
        found = self.aggregates.get(memo)
        if found is None:
            places = -self.places[code]
            value = _canonical(Decimal(exact).scaleb(places))
            published = self._published(code, value)
            found = self.aggregates[memo] = self.make_score(
                code=code,
                exact=value,
                published=published,
                bounds=(
                    self._bound(code, Decimal(low).scaleb(places)),
                    self._bound(code, Decimal(high).scaleb(places)),
                ),
                predicate=self._predicate(code, value if published is None else published),
                derived=True,
                contribution=self._contribution(code, value),
            )
        return found

    def _predicate(self, code: str, value: Decimal) -> Band | None:
        """The index's band, as scoring classifies it (published, else exact)."""
        bands = self.fw.predicates
        return None if code != self.root or bands is None else bands.classify(value)

    def _published(self, code: str, value: Decimal) -> Decimal | None:
        scale = self.scales[code]
        if scale is None or scale.decimals is None:
            return None
        mode = ROUND_HALF_UP if scale.rounding == "half_up" else ROUND_HALF_EVEN
        return value.quantize(Decimal(1).scaleb(-scale.decimals), mode, _ROUNDING)

    def _bound(self, code: str, value: Decimal) -> Decimal:
        """As scoring writes a bound: one decimal more than publication at least."""
        d = _canonical(value)
        scale = self.scales[code]
        if scale is not None and scale.decimals is not None:
            places = scale.decimals + 1
            if -_exponent(d) < places:
                d = d.quantize(Decimal(1).scaleb(-places))
        return d

    def _contribution(self, code: str, value: Decimal) -> Decimal | None:
        share = self.shares.get(code)
        return None if share is None else _canonical(share * value)


def _units(value: Decimal, places: int) -> int:
    """*value* in units of ``10**-places``: exactly (:class:`Inexact` if it has more places)."""
    return int(value.scaleb(places).to_integral_exact())


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    return exponent


def _exact(share: Fraction) -> Decimal:
    """A terminating fraction as an exact decimal."""
    term = terminating(share.denominator)
    assert term is not None
    multiplier, places = term
    return Decimal(share.numerator * multiplier).scaleb(-places)


def _canonical(value: Decimal) -> Decimal:
    """*value* as :func:`kotacerdas._decimal.to_decimal` writes a terminating fraction.

    A whole number without a decimal point (``3``), anything else without trailing zeros
    (``3.315``, not ``3.3150``).
    """
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()
