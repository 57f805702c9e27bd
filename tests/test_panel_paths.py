"""Panels: the quick ways through a table give what the general ones give, and the caches
behind them keep editions apart."""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas import _fixed_point, _panel_input, frameworks, panel
from kotacerdas.assessment import Assessment, Score
from kotacerdas.errors import PanelError
from kotacerdas.panel import PanelResult, score_panel
from kotacerdas.scoring import score

D = Decimal
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")
REGIONS = ("35.71", "35.77", "63.09", "63.03", "32.76", "11.01", "35.06")


def _same(a: PanelResult, b: PanelResult) -> None:
    assert a.keys == b.keys
    assert a.nodes == b.nodes
    for code in a.nodes:
        assert repr(a.exact(code)) == repr(b.exact(code)), code
        assert repr(a.bounds(code)) == repr(b.bounds(code)), code
        assert repr(a.published(code)) == repr(b.published(code)), code
        assert a.n_missing(code) == b.n_missing(code), code
        assert a.given(code) == b.given(code), code
    assert a.consistent() == b.consistent()


@st.composite
def wide_tables(draw: st.DrawFn) -> tuple[list[Assessment], dict[str, Any], list[str]]:
    """Region-years with hundredths (some missing, maybe a published index), as a wide table
    whose rows and columns come in any order, and the order of its node columns."""
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(REGIONS), st.integers(2019, 2024)),
            min_size=1,
            max_size=8,
            unique=True,
        )
    )
    nodes = list(COMPONENTS) + (["INDEX"] if draw(st.booleans()) else [])
    nodes = draw(st.permutations(nodes))
    value = st.one_of(st.none(), st.integers(0, 400))
    cells = [[draw(value) for _ in nodes] for _ in keys]
    if draw(st.booleans()):  # a column without any value
        gone = draw(st.integers(0, len(nodes) - 1))
        for row in cells:
            row[gone] = None
    assessments = [
        Assessment(
            region,
            year,
            "gm100sc",
            "2024",
            scores=tuple(
                Score(n, D(v).scaleb(-2)) for n, v in zip(nodes, row, strict=True) if v is not None
            ),
        )
        for (region, year), row in zip(keys, cells, strict=True)
    ]
    columns: dict[str, Any] = {
        "region": [r for r, _ in keys],
        "year": [y for _, y in keys],
        "framework": ["gm100sc"] * len(keys),
        "edition": ["2024"] * len(keys),
    }
    for j, n in enumerate(nodes):
        columns[n] = [math.nan if (v := row[j]) is None else v / 100 for row in cells]
    return assessments, columns, nodes


@settings(max_examples=60, deadline=None)
@given(wide_tables(), st.sampled_from(("keep", "omit")))
def test_wide_frames_score_as_their_assessments(
    table: tuple[list[Assessment], dict[str, Any], list[str]], missing: str
) -> None:
    # Rows out of key order, columns out of the edition's order, empty cells, a column with
    # no value: the wide table's values are its input matrix, reordered only as needed.
    pd = pytest.importorskip("pandas")
    assessments, columns, _ = table
    frame = pd.DataFrame(columns)
    reference = score_panel(assessments, missing=missing, check=False)  # type: ignore[arg-type]
    got = score_panel(frame, missing=missing, decimals=2, check=False)  # type: ignore[arg-type]
    _same(got, reference)
    if all(a.scores for a in assessments):  # a long table has no row for a region-year without
        long = frame.melt(["region", "year", "framework", "edition"], var_name="node").dropna()
        _same(score_panel(long, missing=missing, decimals=2, check=False), reference)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(-60, 460), min_size=5, max_size=5),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 3),
    st.booleans(),
)
def test_every_input_given_alike_scores_as_one_at_a_time(
    rows: list[list[int]], places: int, published: bool
) -> None:
    # Every row has every input, written with the same decimals: the sums are taken on the
    # mantissas and the intervals cut only where a value is near (or past) a scale's end.
    # Values off the scale (unchecked) and at its ends included.
    assessments = []
    for i, values in enumerate(rows):
        scores = [
            Score(c, D(v).scaleb(-places) if places else D(v // 100))
            for c, v in zip(COMPONENTS, values, strict=True)
        ]
        if published:
            scores.append(Score("INDEX", D(values[0]).scaleb(-2)))
        assessments.append(Assessment(REGIONS[i], 2024, "gm100sc", "2024", scores=tuple(scores)))
    p = score_panel(assessments, check=False)
    for a in assessments:
        i = p.keys.index((a.region, a.year))
        r = score(a, missing="keep", check=False)
        for code, ns in r.nodes.items():
            got = (p.exact(code)[i], p.bounds(code)[i])
            assert repr(got) == repr((ns.exact, ns.bounds)), (code, a.scores)
            # (scoring writes a negative value that rounds to zero as -0.00, panels as 0.00)
            assert p.published(code)[i] == ns.published, (code, a.scores)
        consistent = None if r.consistency is None else r.consistency.consistent
        assert p.consistent()[i] == consistent


def test_wide_frames_with_some_rows_of_another_stage() -> None:
    # Rows that do not take part leave the quick way: the general one gives the same.
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "region": ["35.71", "35.77", "35.71"],
            "year": [2022, 2022, 2022],
            "stage": ["final", "final", "tahap_1"],
            **{c: [3.5, 3.25, 1.0] for c in COMPONENTS},
        }
    )
    p = score_panel(frame, "gm100sc@2024", decimals=2)
    q = score_panel(frame[frame["stage"] == "final"], "gm100sc@2024", decimals=2)
    _same(p, q)
    assert p.keys == (("35.71", 2022), ("35.77", 2022))


def test_wide_problems_are_listed_column_by_column() -> None:
    # The number columns are read at once; what cannot be read is still listed as if
    # read column by column (and, within a column, as before).
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "region": ["35.71", "35.77"],
            "year": [2022, 2022],
            "BASE": [3.5, 3.125],  # more decimals than asked
            "OUT": [math.inf, 3.0],  # not a number
            "OUTC": [3.0, 1e12],  # too large
            "IMP": [3.0, 3.0],
            "QW": [3.0, 3.0],
        }
    )
    with pytest.raises(PanelError) as info:
        score_panel(frame, "gm100sc@2024", decimals=2)
    found = [(p.code, str(p.path)) for p in info.value.problems]
    assert found == [
        ("panel.precision", "row 1, column BASE"),
        ("panel.nan", "row 0, column OUT"),
        ("panel.too-large", "row 1, column OUTC"),
    ]


def test_values_off_their_scale_in_a_table_are_refused() -> None:
    # Every value is compared at once with the narrowest rule; one off its scale (or with
    # more decimals than the edition publishes) is still found, in its cell.
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"region": ["35.71", "35.77"], "year": [2022, 2022]} | {c: [3.0, 3.5] for c in COMPONENTS}
    )
    frame.loc[1, "OUTC"] = 4.25
    with pytest.raises(PanelError) as info:
        score_panel(frame, "gm100sc@2024", decimals=2)
    assert [(p.code, str(p.path)) for p in info.value.problems] == [
        ("score.off-scale", "row 1, column OUTC")
    ]
    frame.loc[1, "OUTC"] = 3.125
    with pytest.raises(PanelError) as info:
        score_panel(frame, "gm100sc@2024", decimals=3)
    assert [(p.code, str(p.path)) for p in info.value.problems] == [
        ("score.precision", f"row {r}, column {c}") for c in COMPONENTS for r in (0, 1)
    ]
    long = frame.melt(["region", "year"], var_name="node")
    long.loc[4, "value"] = -1.0
    with pytest.raises(PanelError) as info:
        score_panel(long, "gm100sc@2024", decimals=3)
    found = [(p.code, str(p.path)) for p in info.value.problems]
    assert found[4:6] == [("score.off-scale", "row 4"), ("score.precision", "row 4")]
    assert found[:4] + found[6:] == [("score.precision", f"row {r}") for r in range(10) if r != 4]


def test_mixed_number_columns_of_a_wide_table() -> None:
    # Whole-number and float columns side by side are read column by column.
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {"region": ["35.71"], "year": [2022], "BASE": [3], "OUT": [3.25], "OUTC": [2.5]}
        | {"IMP": [np.float32(3.5)], "QW": [4]}
    )
    p = score_panel(frame, "gm100sc@2024", missing="keep")
    assert p.given("BASE")[0] == D("3")
    assert p.given("OUT")[0] == D("3.25")
    assert p.given("IMP")[0] == D("3.5")
    assert p.exact()[0] == D("3.2")  # 0.1·3 + 0.2·3.25 + 0.3·2.5 + 0.2·3.5 + 0.2·4


# -- caches keyed on immutable editions ---------------------------------------------------------


def _edition(minimal: dict[str, Any], maximum: int) -> Any:
    data = copy.deepcopy(minimal)
    data["edition"] = str(maximum)
    data["scale"] = {"minimum": 0, "maximum": maximum, "decimals": 2}
    return frameworks.from_data(data)


def test_two_editions_in_one_process_keep_their_own_rules(minimal: dict[str, Any]) -> None:
    # The rules, scale ends and units are cached per edition (frozen, hashable): two
    # editions with the same node codes but other scales never see each other's.
    four, hundred = _edition(minimal, 4), _edition(minimal, 100)
    assert four != hundred
    rows = [
        {"region": "35.71", "year": 2022, "node": "A", "value": "4"},
        {"region": "35.71", "year": 2022, "node": "B", "value": "50"},
    ]
    for _ in range(2):  # and again, from the caches
        with pytest.raises(PanelError) as info:
            score_panel(rows, four)
        assert [p.code for p in info.value.problems] == ["score.off-scale"]
        p = score_panel(rows, hundred)
        assert p.exact()[0] == D("38.5")
        assert p.bounds("A")[0] == (D("3.5"), D("4.5"))  # 4 is no end of 0–100
        q = score_panel([rows[0], dict(rows[1], value="3")], four)
        assert q.bounds("A")[0] == (D("3.5"), D("4"))  # … but of 0–4


def test_cached_tables_are_read_only() -> None:
    # A cached table handed to one panel cannot be changed for the next.
    fw = frameworks.load("gm100sc@2024")
    plan = _fixed_point._plan(fw)
    low, high, whole, places = panel._integer_rules(fw, COMPONENTS, 2)
    exact, floor, ceiling = _fixed_point._input_ends(plan, (0, 1, 2), 3)
    for table in (low, high, whole, places, exact, floor, ceiling):
        assert not table.flags.writeable
    assert panel._integer_rules(fw, COMPONENTS, 2)[0] is low
    assert panel._value_rules(fw, COMPONENTS) == panel._value_rules(fw, tuple(COMPONENTS))
    ranks, codes = _panel_input._region_ranks()
    assert not codes.flags.writeable
    assert list(codes) == sorted(codes)
    assert ranks[codes[0]] == 0


def test_constant_columns_share_one_code() -> None:
    # A column with one text throughout is told without hashing each value.
    texts, codes = _panel_input._factorize(np.array(["gm100sc"] * 300, dtype=object), True)
    assert texts == ["gm100sc"]
    assert codes.tolist() == [0] * 300
    values = np.array(["gm100sc"] * 100 + ["GM100SC"], dtype=object)
    texts, codes = _panel_input._factorize(values, True)
    assert texts == ["gm100sc", "GM100SC"]
    assert codes.tolist() == [0] * 100 + [1]
    values = np.array(["x"] * 300, dtype=object)
    values[150] = math.nan  # an empty cell of a data frame, past the first values
    texts, codes = _panel_input._factorize(values, True)
    assert texts == ["x"]
    assert codes[150] == -1
    assert codes.sum() == -1
    texts, codes = _panel_input._factorize(np.array([None, math.nan], dtype=object), True)
    assert texts == []
    assert codes.tolist() == [-1, -1]
    null = np.zeros(300, dtype=bool)
    null[7] = True
    texts, codes = _panel_input._meta(np.array(["x"] * 300, dtype=object), null, True)
    assert codes[7] == -1
    assert codes.sum() == -1
