"""Every result's ``to_frame`` reads alike: ``backend=None, *, like=None``, pandas by default."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from kotacerdas import engine, panel, sensitivity, uncertainty
from kotacerdas.engine.analysis import Table

RESULTS: list[Any] = [
    panel.PanelResult,
    engine.CompositeResult,
    Table,
    uncertainty.UncertaintyResult,
    sensitivity.SensitivityResult,
]


@pytest.mark.parametrize("cls", RESULTS, ids=lambda c: c.__name__)
def test_to_frame_has_one_signature(cls: Any) -> None:
    params = inspect.signature(cls.to_frame).parameters
    assert params["backend"].default is None
    assert params["backend"].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert params["like"].default is None
    assert params["like"].kind is inspect.Parameter.KEYWORD_ONLY


def test_default_library_is_pandas() -> None:
    pd = pytest.importorskip("pandas")
    table = Table(("x", "y"), ((1, "a"), (2, "b")))
    frame = table.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert frame["x"].tolist() == [1, 2]
    pl = pytest.importorskip("polars")
    assert isinstance(table.to_frame(like=pl.DataFrame({"z": [1]})), pl.DataFrame)
    assert isinstance(table.to_frame("polars"), pl.DataFrame)
