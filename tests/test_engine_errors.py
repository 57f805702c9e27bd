"""Bad input to the engine: every error code, raised with the node and a fix, in both languages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kotacerdas import frameworks, i18n
from kotacerdas.engine import (
    BoxCox,
    Build,
    Dataset,
    DistanceToReference,
    DistanceToTarget,
    Identity,
    Impute,
    MinMax,
    MissingPolicy,
    Weights,
    ZScore,
    compute,
    normaliser,
    resolve_weights,
)
from kotacerdas.engine.build import as_aggregation
from kotacerdas.engine.weighting import pca_weights
from kotacerdas.errors import EngineError, KotaCerdasError, MissingDataError
from kotacerdas.model import Framework

NAN = float("nan")

FW: Framework = frameworks.from_data(
    {
        "id": "e",
        "edition": "1",
        "title": "E",
        "issuer": "tests",
        "provenance": {"confidence": "inferred"},
        "index": "I",
        "nodes": [
            {"code": "I", "kind": "index", "label": "I"},
            {"code": "P", "kind": "pillar", "label": "P", "parent": "I"},
            {"code": "a", "kind": "indicator", "label": "a", "parent": "P"},
            {
                "code": "b",
                "kind": "indicator",
                "label": "b",
                "parent": "P",
                "direction": "negative",
            },
            {"code": "c", "kind": "indicator", "label": "c", "parent": "I", "target": 1},
        ],
    }
)


def data(rows: list[list[float]] | None = None, **kw: Any) -> Dataset:
    rows = rows if rows is not None else [[1, 2, 3], [2, 4, 5], [3, 1, 4]]
    return Dataset(tuple("UVWXYZ"[: len(rows)]), ("a", "b", "c"), np.array(rows, float), **kw)


def run(build: Build, d: Dataset | None = None) -> None:
    compute(FW, d if d is not None else data(), build)


CASES: dict[str, Callable[[], object]] = {
    "build.normaliser-unknown": lambda: normaliser("bogus"),
    "build.aggregation-unknown": lambda: Build(aggregate="mean-ish"),
    "build.param-unknown": lambda: normaliser("minmax", top=1),
    "build.param-missing": lambda: normaliser("goalposts", lower=1),
    "build.param-value": lambda: MinMax(5, 1),
    "build.spec-type": lambda: as_aggregation(3),
    "build.node-unknown": lambda: Build(aggregate_nodes={"Q": "median"}).resolve(FW),
    "build.not-aggregate": lambda: Build(aggregate_nodes={"a": "median"}).resolve(FW),
    "build.not-indicator": lambda: Build(normalise_indicators={"P": "rank"}).resolve(FW),
    "build.level-unknown": lambda: Build(aggregate_levels={9: "median"}).resolve(FW),
    "weights.invalid": lambda: Weights.explicit({"a": -1}),
    "weights.partial": lambda: resolve_weights(FW, Weights.explicit({"a": 1})),
    "weights.zero-total": lambda: resolve_weights(FW, Weights.explicit({"a": 0, "b": 0})),
    "weights.inconsistent": lambda: resolve_weights(
        FW, Weights.explicit({"a": 0.5, "b": 0.4}, mode="local")
    ),
    "normalise.no-variance": lambda: run(Build(), data([[1, 2, 3], [1, 4, 5]])),
    "normalise.no-target": lambda: run(Build(normalise_indicators={"a": DistanceToTarget()})),
    "normalise.target-at-worst": lambda: run(
        Build(normalise_indicators={"c": DistanceToTarget()})  # target 1 < every value
    ),
    "normalise.reference-unknown": lambda: run(Build(normalise=DistanceToReference("Q"))),
    "normalise.reference-missing": lambda: run(
        Build(normalise=DistanceToReference("U"), missing="omit"),
        data([[NAN, 2, 3], [2, 4, 5]]),
    ),
    "normalise.reference-at-worst": lambda: run(Build(normalise=DistanceToReference("U"))),
    "normalise.identity-direction": lambda: run(Build(normalise=Identity())),
    "aggregate.non-positive": lambda: run(Build(normalise=ZScore(), aggregate="harmonic")),
    "aggregate.custom-output": lambda: run(Build(aggregate_nodes={"P": lambda v, w: v})),
    "missing.fail": lambda: run(Build(), data([[1, 2, NAN], [2, 4, 5]])),
    "missing.empty": lambda: run(
        Build(missing=MissingPolicy.imputing(Impute("median"))), data([[1, 2, NAN], [2, 4, NAN]])
    ),
    "missing.group-empty": lambda: run(
        Build(missing=MissingPolicy.imputing(Impute("mean", by="g"))),
        data([[1, 2, NAN], [2, 4, 5]], groups={"g": ("p", "q")}),
    ),
    "missing.group-unknown": lambda: run(
        Build(missing=MissingPolicy.imputing(Impute("mean", by="g"))), data([[1, 2, NAN]])
    ),
    "data.shape": lambda: Dataset(("A",), ("x", "y"), np.ones((1, 3))),
    "data.duplicate": lambda: Dataset(("A", "A"), ("x",), np.ones((2, 1))),
    "data.periods": lambda: Dataset(("A",), ("x",), np.ones((1, 2, 1)), (2024, 2023)),
    "data.not-finite": lambda: Dataset(("A",), ("x",), np.array([[np.inf]])),
    "data.value": lambda: Dataset.from_rows([{"unit": "A", "x": "lots"}]),
    "data.groups": lambda: Dataset(("A",), ("x",), np.ones((1, 1)), groups={"g": ("p", "q")}),
    "data.empty": lambda: run(Build(), Dataset((), ("a", "b", "c"), np.empty((0, 3)))),
    "data.indicator-missing": lambda: run(Build(), Dataset(("A",), ("a",), np.ones((1, 1)))),
    "data.indicator-unknown": lambda: data().value("U", "zz"),
    "data.unit-unknown": lambda: data().value("Q", "a"),
    "data.period-unknown": lambda: data().value("U", "a", 1999),
    "result.node-unknown": lambda: compute(FW, data(), Build()).score("nope"),
    "build.treatment-unknown": lambda: Build(treat="trim"),
    "treat.non-positive": lambda: run(
        Build(treat_indicators={"a": BoxCox(0.5, makepos=False, force=True)}),
        data([[-1, 2, 3], [2, 4, 5], [3, 1, 4]]),
    ),
    "denominate.unknown": lambda: run(Build(denominate={"a": "households"})),
    "denominate.missing": lambda: run(Build(denominate={"a": "population"})),
    "weights.pca-negative": lambda: pca_weights(
        compute(FW, data([[1, 0, 3], [2, 1, 5], [3, 3, 4], [4, 2, 9]]), Build()), 1
    ),
    "weights.pca-degenerate": lambda: pca_weights(
        compute(FW, data([[1, 3, 3], [1, 2, 5], [1, 1, 4]]), Build(normalise="rank")), 1
    ),
}


def _engine_codes() -> set[str]:
    """The codes of the catalogue's engine block (``# --- engine ---`` up to the next block)."""
    text = Path(i18n.__file__).with_name("data").joinpath("messages.toml").read_text("utf-8")
    start = text.index("# --- engine")
    end = text.index("# ---", start + 5)
    return set(re.findall(r'^\["([a-z0-9.-]+)"\]$', text[start:end], re.MULTILINE))


def test_every_engine_code_is_exercised() -> None:
    engine = {c for c in _engine_codes() if not c.startswith("coinr.")}
    assert engine == set(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_bad_input_raises_the_coded_error(code: str) -> None:
    with pytest.raises(KotaCerdasError) as info:
        CASES[code]()
    error = info.value
    assert error.code == code
    assert isinstance(error, ValueError)
    assert isinstance(error, EngineError)
    if code.startswith("missing.") and code != "missing.group-unknown":
        assert isinstance(error, MissingDataError)
    texts = {lang: error.message(lang) for lang in i18n.LANGUAGES}
    assert texts["id"] != texts["en"]
    assert all(texts.values())


def test_errors_name_the_node() -> None:
    with pytest.raises(EngineError) as info:
        run(Build(normalise=ZScore(), aggregate="harmonic"))
    assert info.value.params["node"] == "P"
    with pytest.raises(EngineError) as info:
        run(Build(), data([[1, 2, 3], [1, 4, 5]]))
    assert info.value.params["where"] == "a"
    assert "a:" in info.value.message("en")


@pytest.mark.parametrize(
    ("units", "indicators", "periods", "name"),
    [
        (None, ("x",), (None,), "units"),
        ("ab", ("x",), (None,), "units"),
        (("a",), 5, (None,), "indicators"),
        (("a",), ("x",), "2024", "periods"),
    ],
)
def test_dataset_refuses_what_is_not_a_sequence_of_codes(
    units: Any, indicators: Any, periods: Any, name: str
) -> None:
    from kotacerdas.engine import Dataset
    from kotacerdas.errors import ArgumentError

    with pytest.raises(ArgumentError) as info:
        Dataset(units, indicators, np.ones((1, 1, 1)), periods)
    assert info.value.code == "argument.type"
    assert info.value.params["name"] == name
