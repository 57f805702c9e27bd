"""COINr interoperability: read iData/iMeta, reproduce COINr's ASEM build, and bad tables."""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from kotacerdas import i18n
from kotacerdas.coinr import COINR_URL, CoinrInput, read_coinr
from kotacerdas.engine import Build, MinMax, MissingPolicy, Rank, ZScore, compute
from kotacerdas.errors import FileFormatError, FileReadError, KotaCerdasError, TableError
from kotacerdas.model import Confidence, Direction

_HERE = Path(__file__).resolve().parent
_COPY = _HERE / "data" / "coinr-asem"
_SHARED = _HERE.parent.parent / "shared" / "data" / "peers" / "coinr-asem"
ASEM = _COPY if (_COPY / "iMeta.csv").is_file() else _SHARED

COINR_BUILD = Build(normalise=MinMax(0, 100), aggregate="arithmetic", missing=MissingPolicy.omit())


@pytest.fixture(scope="module")
def asem() -> CoinrInput:
    return read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")


def _expected() -> dict[str, dict[str, float]]:
    with (ASEM / "result_minmax_arith.csv").open(encoding="utf-8", newline="") as fh:
        return {
            row["uCode"]: {
                k: (math.nan if v in ("", "NA") else float(v))
                for k, v in row.items()
                if k != "uCode"
            }
            for row in csv.DictReader(fh)
        }


def test_reads_the_asem_tables(asem: CoinrInput) -> None:
    fw, data = read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")
    assert fw.index == "Index"
    assert fw.weights == "relative"
    assert len(fw.leaves()) == 49
    assert [n.code for n in fw.node("Index").children] == ["Conn", "Sust"]
    assert fw.node("CO2").direction is Direction.NEGATIVE
    assert fw.node("LPI").target is not None
    assert fw.node("LPI").unit == "Score 1-5"
    assert fw.node("Physical").label.get("en") == "Physical"
    assert fw.provenance.confidence is Confidence.CONFIRMED
    assert str(ASEM / "iMeta.csv") in [s.title for s in fw.provenance.sources]
    assert COINR_URL in [s.url for s in fw.sources]
    assert data.shape == (51, 1, 53)  # 49 indicators and 4 denominators
    assert data.periods == (2018,)
    assert data.units[:2] == ("AUT", "BEL")
    assert data.names["AUT"] == "Austria"
    assert set(data.groups) == {"GDP_group", "GDPpc_group", "Pop_group", "EurAsia_group"}
    assert data.groups["EurAsia_group"][0] == "Europe"
    assert data.indicators[49:] == ("Area", "Energy", "GDP", "Population")
    assert int(np.isnan(data.values[:, :, :49]).sum()) == 63  # as the README says


def test_reproduces_coinr_minmax_arithmetic_build(asem: CoinrInput) -> None:
    fw, data = asem
    r = compute(fw, data, COINR_BUILD)
    expected = _expected()
    assert set(r.units) == set(expected)
    assert set(r.nodes) == set(next(iter(expected.values())))  # every indicator and aggregate
    worst = 0.0
    for u, unit in enumerate(r.units):
        for j, node in enumerate(r.nodes):
            got, want = r.values[u, 0, j], expected[unit][node]
            assert math.isnan(got) == math.isnan(want), (unit, node)
            if not math.isnan(want):
                worst = max(worst, abs(got - want))
    assert worst < 1e-9


@pytest.mark.parametrize(
    "build",
    [
        Build(normalise=MinMax(1, 100), aggregate="geometric", missing="omit"),
        Build(normalise=MinMax(1, 100), aggregate="harmonic", missing="omit"),
        Build(normalise=ZScore(10, 2), missing="omit"),
        Build(normalise=Rank(), missing="omit"),
    ],
    ids=["geometric", "harmonic", "zscore", "rank"],
)
def test_runs_coinr_standard_builds(asem: CoinrInput, build: Build) -> None:
    fw, data = asem
    r = compute(fw, data, build)
    index = r.score("Index")
    assert np.isfinite(index).all()
    ranks = r.rank("Index")
    assert sorted(ranks.tolist()) == list(range(1, 52))


def test_a_different_aggregation_on_one_node(asem: CoinrInput) -> None:
    """What COINr cannot do: change one node, leaving its level alone."""
    fw, data = asem
    base = compute(fw, data, COINR_BUILD)
    one = compute(
        fw,
        data,
        Build(
            normalise=MinMax(1, 100),
            aggregate="arithmetic",
            aggregate_nodes={"Environ": "geometric"},
            missing="omit",
        ),
    )
    assert one.build.aggregation["Environ"] == "geometric"
    assert one.build.aggregation["Social"] == "arithmetic"  # same level, unchanged
    geo = one.column("Environ")
    arith = compute(
        fw,
        data,
        Build(normalise=MinMax(1, 100), missing="omit"),
    ).column("Environ")
    assert (geo <= arith + 1e-9).all()  # AM–GM
    assert not np.allclose(geo, arith)
    assert np.allclose(base.column("Social") * 0.99 + 1, one.column("Social"))


# -- bad tables ---------------------------------------------------------------------------------

META_HEADER = "Level,iCode,iName,Direction,Weight,Unit,Target,Parent,Type"
GOOD_META = [
    "1,x,X,1,1,,,P,Indicator",
    "1,y,Y,-1,1,,,P,Indicator",
    "2,P,Pillar,1,1,,,,Aggregate",
    ",g,Group,,,,,,Group",
]
GOOD_DATA = ["uCode,uName,g,x,y", "A,Alpha,p,1,2", "B,Beta,q,3,4", "C,,,2,NA"]


def tables(
    tmp_path: Path, meta: list[str] | None = None, data: list[str] | None = None
) -> tuple[Path, Path]:
    m = tmp_path / "iMeta.csv"
    d = tmp_path / "iData.csv"
    m.write_text("\n".join([META_HEADER, *(GOOD_META if meta is None else meta)]) + "\n")
    d.write_text("\n".join(GOOD_DATA if data is None else data) + "\n")
    return d, m


def test_small_tables_read(tmp_path: Path) -> None:
    fw, data = read_coinr(*tables(tmp_path), id="small", edition="2", url="https://example.org/m")
    assert fw.ref == "small@2"
    assert fw.provenance.urls == ("https://example.org/m",)
    assert data.groups["g"] == ("p", "q", None)
    assert dict(data.names) == {"A": "Alpha", "B": "Beta"}
    r = compute(fw, data, Build(missing="omit"))
    assert r.score("P").tolist() == [50.0, 50.0, 50.0]  # y is negative: 4 is worst


def test_panels_read_by_time(tmp_path: Path) -> None:
    rows = ["uCode,g,Time,x,y", "A,p,2019,1,2", "A,p2,2020,2,3", "B,q,2020,4,NA", "B,q,2019,3,1"]
    fw, data = read_coinr(*tables(tmp_path, None, rows))
    assert fw.title.get() == "Pillar"
    assert data.periods == (2019, 2020)
    assert data.units == ("A", "B")
    assert data.groups["g"] == ("p2", "q")  # the latest row's label
    assert data.value("B", "x", 2019) == 3.0
    assert math.isnan(data.value("B", "y", 2020))
    r = compute(fw, data, Build(missing="omit"))  # over both years at once
    assert r.column("x").round(2).tolist() == [[0.0, 33.33], [66.67, 100.0]]
    with pytest.raises(KotaCerdasError, match=r"y \[2020\]"):  # one value of y in 2020
        compute(fw, data, Build(missing="omit", scope="period"))


BAD: dict[str, tuple[list[str] | None, list[str] | None]] = {
    "coinr.column-missing": (None, ["uName,x,y", "A,1,2"]),
    "coinr.column-unknown": (None, ["uCode,x,y,z", "A,1,2,3"]),
    "coinr.indicator-missing": (None, ["uCode,x", "A,1"]),
    "coinr.empty": (None, ["uCode,g,x,y"]),
    "coinr.row-length": (None, ["uCode,g,x,y", "A,p,1"]),
    "coinr.number": (None, ["uCode,g,x,y", "A,p,1,lots"]),
    "coinr.value": (["1,x,X,2,1,,,P,Indicator", *GOOD_META[1:]], None),
    "coinr.choice": (["1,x,X,1,1,,,P,Indicatr", *GOOD_META[1:]], None),
    "coinr.code": (["1,x y,X,1,1,,,P,Indicator", *GOOD_META[1:]], None),
    "coinr.duplicate": ([*GOOD_META, "1,y,Y,1,1,,,P,Indicator"], None),
    "coinr.parent-unknown": (["1,x,X,1,1,,,Q,Indicator", *GOOD_META[1:]], None),
    "coinr.parent-missing": (["1,x,X,1,1,,,,Indicator", *GOOD_META[1:]], None),
    "coinr.level": (["2,x,X,1,1,,,P,Indicator", *GOOD_META[1:]], None),
    "coinr.cycle": (
        ["1,x,X,1,1,,,A,Indicator", "2,A,A,1,1,,,B,Aggregate", "3,B,B,1,1,,,A,Aggregate"],
        ["uCode,x", "U,1"],
    ),
    "coinr.no-children": ([*GOOD_META, "2,Q,Q,1,1,,,,Aggregate"], None),
}


def _coinr_codes() -> set[str]:
    text = Path(i18n.__file__).with_name("data").joinpath("messages.toml").read_text("utf-8")
    start = text.index("# --- engine")
    end = text.index("# ---", start + 5)
    return {c for c in i18n.MESSAGES if c.startswith("coinr.") and f'["{c}"]' in text[start:end]}


def test_every_coinr_code_is_exercised() -> None:
    assert _coinr_codes() == set(BAD)


@pytest.mark.parametrize("code", sorted(BAD))
def test_bad_tables_name_file_row_and_column(tmp_path: Path, code: str) -> None:
    meta, data = BAD[code]
    with pytest.raises(TableError) as info:
        read_coinr(*tables(tmp_path, meta, data))
    error = info.value
    assert error.code == code
    assert isinstance(error, ValueError)
    assert str(tmp_path) in error.message("en")
    assert all(error.message(lang) for lang in i18n.LANGUAGES)
    if "row" in error.params:
        assert f"row {error.params['row']}" in error.message("en")


def test_row_numbers_count_the_header_as_row_one(tmp_path: Path) -> None:
    with pytest.raises(TableError) as info:
        read_coinr(*tables(tmp_path, None, ["uCode,g,x,y", "A,p,1,2", "B,q,3,x3"]))
    assert info.value.params["row"] == 3
    assert info.value.params["column"] == "y"


FILE_ERRORS: dict[str, Callable[[Path], tuple[Path, Path]]] = {
    "file.not-found": lambda p: (p / "nope.csv", tables(p)[1]),
    "file.empty": lambda p: (tables(p, None, [""])[0], p / "iMeta.csv"),
    "file.syntax": lambda p: (tables(p, None, ["uCode,g,x,y", 'A,p,"1,2'])[0], p / "iMeta.csv"),
}


@pytest.mark.parametrize("code", sorted(FILE_ERRORS))
def test_unreadable_files(tmp_path: Path, code: str) -> None:
    with pytest.raises(KotaCerdasError) as info:
        read_coinr(*FILE_ERRORS[code](tmp_path))
    assert info.value.code == code
    assert isinstance(info.value, FileReadError | FileFormatError)
