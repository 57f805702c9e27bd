"""Denominators: COINr's x / (d / ScaleFactor), by a data column or the region registry."""

from __future__ import annotations

import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from kotacerdas import frameworks, regions
from kotacerdas.engine import Build, Dataset, Denominator, compute, denominate
from kotacerdas.engine.denominators import as_denominator
from kotacerdas.errors import EngineError, FrameworkError

NAN = math.nan

FW = frameworks.from_data(
    {
        "id": "d",
        "edition": "1",
        "title": "D",
        "issuer": "tests",
        "provenance": {"confidence": "inferred"},
        "index": "I",
        "nodes": [
            {"code": "I", "kind": "index", "label": "I"},
            {"code": "crimes", "kind": "indicator", "label": "c", "parent": "I"},
            {"code": "parks", "kind": "indicator", "label": "p", "parent": "I"},
        ],
    }
)
UNITS = ("63.09", "63.71", "35.78")


def _data(gdp: list[float] | None = None) -> Dataset:
    rows = [[120.0, 5.0], [900.0, 12.0], [4000.0, 80.0]]
    codes: tuple[str, ...] = ("crimes", "parks")
    if gdp is not None:
        rows = [[*r, g] for r, g in zip(rows, gdp, strict=True)]
        codes = (*codes, "gdp")
    return Dataset(UNITS, codes, np.array(rows))


def _region(code: str) -> regions.Region:
    region = regions.get(code)
    assert region is not None
    return region


def test_per_100000_people_from_the_registry() -> None:
    out = denominate(_data(), {"crimes": Denominator("population", per=100_000)})
    for u, code in enumerate(UNITS):
        population = _region(code).population
        assert population is not None
        assert out.values[u, 0, 0] == pytest.approx(_data().values[u, 0, 0] / (population / 1e5))
    assert out.values[:, 0, 1].tolist() == _data().values[:, 0, 1].tolist()  # untouched


def test_per_km2_from_the_registry() -> None:
    out = denominate(_data(), {"parks": "area"})
    for u, code in enumerate(UNITS):
        area = _region(code).area_km2
        assert area is not None
        assert out.values[u, 0, 1] == pytest.approx(_data().values[u, 0, 1] / float(area))


def test_by_a_data_column_as_coinr() -> None:
    out = denominate(_data([2.0, 3.0, 8.0]), {"crimes": {"by": "gdp", "per": 10}})
    assert out.values[:, 0, 0].tolist() == pytest.approx([120 / 0.2, 900 / 0.3, 4000 / 0.8])


def test_a_missing_denominator_names_the_unit() -> None:
    with pytest.raises(EngineError) as info:
        denominate(_data([2.0, NAN, 8.0]), {"crimes": "gdp"})
    assert info.value.code == "denominate.missing"
    assert "63.71" in str(info.value.params["where"])
    assert "63.71" in info.value.message("en")
    with pytest.raises(EngineError) as info:
        denominate(_data([2.0, 0.0, 8.0]), {"crimes": "gdp"})
    assert info.value.params["value"] == "0"


def test_a_missing_denominator_can_leave_the_rate_missing() -> None:
    out = denominate(_data([2.0, NAN, 0.0]), {"crimes": Denominator("gdp", missing="keep")})
    assert out.values[0, 0, 0] == 60.0
    assert math.isnan(out.values[1, 0, 0])
    assert math.isnan(out.values[2, 0, 0])
    with pytest.raises(EngineError) as info:
        Denominator("gdp", missing="skip")
    assert info.value.params["param"] == "missing"


def test_a_unit_the_registry_does_not_know_is_an_error() -> None:
    d = Dataset(("63.09", "XX"), ("crimes", "parks"), np.ones((2, 2)))
    with pytest.raises(EngineError) as info:
        denominate(d, {"crimes": "population"})
    assert info.value.code == "denominate.missing"
    assert str(info.value.params["where"]).startswith("crimes / XX")
    assert info.value.params["source"] == "regions"


def test_a_missing_indicator_value_needs_no_denominator() -> None:
    d = Dataset(("63.09", "XX"), ("crimes", "parks"), np.array([[1.0, 1.0], [NAN, 1.0]]))
    out = denominate(d, {"crimes": "population"})
    assert math.isnan(out.values[1, 0, 0])


def test_your_own_lookup() -> None:
    sizes = {"63.09": 10.0, "63.71": 20.0, "35.78": 40.0}
    out = denominate(_data(), {"parks": "area"}, lookup=lambda unit, q: sizes[unit])
    assert out.values[:, 0, 1].tolist() == [0.5, 0.6, 2.0]


def test_the_build_denominates_first_and_records_it() -> None:
    build = Build(denominate={"crimes": Denominator("population", 100_000)})
    result = compute(FW, _data(), build)
    expected = denominate(_data(), {"crimes": Denominator("population", 100_000)})
    assert result.data[:, 0, 0].tolist() == expected.values[:, 0, 0].tolist()
    assert result.build.denominators == {"crimes": Denominator("population", 100_000.0)}
    assert compute(FW, _data(), Build()).build.denominators == {}


def test_bad_specs() -> None:
    for by, per in (("", 1.0), ("gdp", 0.0)):
        with pytest.raises(EngineError) as info:
            Denominator(by, per)
        assert info.value.code == "build.param-value"
    with pytest.raises(EngineError) as info:
        as_denominator({"by": "gdp", "scale": 2})
    assert info.value.code == "build.param-unknown"
    with pytest.raises(EngineError) as info:
        as_denominator({"per": 2})
    assert info.value.code == "build.param-missing"
    with pytest.raises(EngineError) as info:
        as_denominator(5)
    assert info.value.code == "build.spec-type"
    with pytest.raises(EngineError) as info:
        Build(denominate={"I": "population"}).resolve(FW)
    assert info.value.code == "build.not-indicator"
    with pytest.raises(EngineError) as info:
        Build(denominate={"zz": "population"}).resolve(FW)
    assert info.value.code == "build.node-unknown"


FW_RATES = frameworks.from_data(
    {
        "id": "r",
        "edition": "1",
        "title": "R",
        "issuer": "tests",
        "provenance": {"confidence": "inferred"},
        "index": "I",
        "nodes": [
            {"code": "I", "kind": "index", "label": "I"},
            {
                "code": "crimes",
                "kind": "indicator",
                "label": "c",
                "parent": "I",
                "direction": "negative",
                "denominator": {"by": "population", "per": 100000},
            },
            {
                "code": "parks",
                "kind": "indicator",
                "label": "p",
                "parent": "I",
                "denominator": {"by": "area"},
            },
        ],
    }
)


def test_denominators_declared_in_the_framework() -> None:
    node = FW_RATES.node("crimes")
    assert node.denominator is not None
    assert (node.denominator.by, node.denominator.per) == ("population", Decimal(100000))
    result = compute(FW_RATES, _data(), Build())
    assert result.build.denominators == {
        "crimes": Denominator("population", 100000.0),
        "parks": Denominator("area"),
    }
    expected = denominate(_data(), {"crimes": Denominator("population", 100000), "parks": "area"})
    assert result.data[:, 0, :].tolist() == expected.values[:, 0, :2].tolist()


def test_a_build_overrides_or_turns_off_the_frameworks_denominator() -> None:
    build = Build(denominate={"crimes": None, "parks": {"by": "gdp", "per": 2}})
    result = compute(FW_RATES, _data([2.0, 4.0, 8.0]), build)
    assert result.build.denominators == {"parks": Denominator("gdp", 2.0)}
    assert result.data[:, 0, 0].tolist() == [120.0, 900.0, 4000.0]
    assert result.data[:, 0, 1].tolist() == [5.0, 6.0, 20.0]


def test_framework_denominators_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "rates.toml"
    frameworks.write(FW_RATES, path)
    assert 'denominator = { by = "population", per = 100000 }' in path.read_text("utf-8")
    assert frameworks.read(path) == FW_RATES
    with pytest.raises(FrameworkError):
        frameworks.from_data(
            {
                "id": "r",
                "edition": "1",
                "title": "R",
                "issuer": "tests",
                "provenance": {"confidence": "inferred"},
                "nodes": [
                    {
                        "code": "x",
                        "kind": "indicator",
                        "label": "x",
                        "denominator": {"by": "area", "per": 0},
                    }
                ],
            }
        )
