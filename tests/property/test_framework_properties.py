"""Properties of the framework model over generated frameworks."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from kotacerdas import frameworks
from kotacerdas.model import normalise_key

from .strategies import framework_files


@given(framework_files(), st.sampled_from(["toml", "json"]), st.booleans())
def test_file_model_file_round_trip(
    tmp_path_factory: Any, data: dict[str, Any], fmt: str, nested: bool
) -> None:
    fw = frameworks.from_data(data)
    path: Path = tmp_path_factory.mktemp("rt") / f"fw.{fmt}"
    frameworks.write(fw, path, nested=nested)
    again = frameworks.read(path)
    assert again == fw
    # And the written file is stable: writing the reloaded framework gives the same text.
    second = path.with_name(f"again.{fmt}")
    frameworks.write(again, second, nested=nested)
    assert second.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


@given(framework_files())
def test_weights_renormalise_within_each_parent(data: dict[str, Any]) -> None:
    fw = frameworks.from_data(data)
    for node in fw:
        shares = [fw.share(c.code) for c in node.children]
        if shares and all(s is not None for s in shares):
            assert sum(s for s in shares if s is not None) == 1
        for s in shares:
            assert s is None or 0 <= s <= 1


@given(framework_files())
def test_global_share_is_product_of_local_shares(data: dict[str, Any]) -> None:
    fw = frameworks.from_data(data)
    for node in fw:
        g = fw.global_share(node.code)
        if g is None:
            continue
        product = Fraction(1)
        for step in fw.path(node.code)[1:]:
            share = fw.share(step.code)
            assert share is not None
            product *= share
        assert g == product


@given(framework_files())
def test_every_alias_and_code_finds_its_node(data: dict[str, Any]) -> None:
    fw = frameworks.from_data(data)
    for node in fw:
        assert fw.node(node.code) is node
        assert fw.node(node.code.lower()) is node
        for alias in node.aliases:
            assert fw.node(alias) is node
            assert fw.node(f"  {alias.upper()} ") is node or normalise_key(
                alias.upper()
            ) != normalise_key(alias)
