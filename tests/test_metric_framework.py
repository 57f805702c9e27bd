"""A metric-style framework (Giffinger 2007's shape) fits the model without special cases."""

from __future__ import annotations

import math
from pathlib import Path

from kotacerdas import engine, frameworks
from kotacerdas.model import Direction

FW = frameworks.read(Path(__file__).parent / "data" / "giffinger-sample.toml")


def test_units_directions_and_tree() -> None:
    pm10 = FW.node("PM10")
    assert pm10.unit == "µg/m³"
    assert pm10.direction is Direction.NEGATIVE
    assert FW.node("RD").direction is Direction.POSITIVE
    assert [n.code for n in FW.path("PAT")] == ["SMART", "ECO", "ECO1", "PAT"]
    assert FW.share("RD") is None  # unweighted: equal weights by the engine
    assert FW.status == "illustrative"


def test_z_scores_and_mean_of_available_values() -> None:
    rows = [
        {"unit": "A", "RD": 1.0, "PAT": 10.0, "PM10": 20.0},
        {"unit": "B", "RD": 2.0, "PAT": None, "PM10": 30.0},
        {"unit": "C", "RD": 3.0, "PAT": 30.0, "PM10": 40.0},
    ]
    data = engine.Dataset.from_rows(rows, indicators=["RD", "PAT", "PM10"])
    build = engine.Build(normalise="zscore", missing=engine.MissingPolicy.omit())
    result = engine.compute(FW, data, build)
    scores = {
        row["unit"]: float(str(row["value"])) for row in result.to_long() if row["node"] == "ECO1"
    }
    # B has no patent value: its factor score is its R&D z-score alone (0), as Giffinger did.
    assert math.isclose(scores["B"], 0.0, abs_tol=1e-12)
    env = {
        row["unit"]: float(str(row["value"])) for row in result.to_long() if row["node"] == "ENV"
    }
    assert env["A"] > env["C"]  # less pollution is better
