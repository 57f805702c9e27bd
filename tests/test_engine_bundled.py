"""The engine on bundled editions: the data a user has, notes, rules, names and frames (issue 9)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal

import numpy as np
import pytest

from kotacerdas import frameworks
from kotacerdas._files import dump_json
from kotacerdas.assessment import Assessment, Score
from kotacerdas.engine import Build, Dataset, compute
from kotacerdas.errors import EngineError
from kotacerdas.scoring import score
from kotacerdas.validation import DataReport, ValidationError

GM = frameworks.load("gm100sc@2024")
SPBE = frameworks.load("spbe@2020")
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")
ROWS: dict[str, tuple[float, ...]] = {
    "63.09": (3.00, 3.50, 3.20, 3.40, 3.10),
    "35.71": (3.60, 3.21, 3.23, 3.07, 3.65),
}
IDENTITY = Build(normalise="identity")


def components(rows: Mapping[str, Sequence[float]] = ROWS, extra: str | None = None) -> Dataset:
    codes = COMPONENTS if extra is None else (*COMPONENTS, extra)
    values = [list(v) + ([1.0] if extra else []) for v in rows.values()]
    return Dataset(tuple(rows), codes, np.array(values))


def test_gm100sc_from_the_five_components_gives_the_official_index() -> None:
    result = compute(GM, components(), IDENTITY)
    for i, (region, values) in enumerate(ROWS.items()):
        a = Assessment(
            region,
            2024,
            "gm100sc",
            "2024",
            scores=tuple(
                Score(c, Decimal(str(v))) for c, v in zip(COMPONENTS, values, strict=True)
            ),
            kind="published",
        )
        exact = score(a).index.exact
        assert exact is not None
        assert result.score("INDEX")[i] == pytest.approx(float(exact), abs=1e-12)
    (note,) = result.notes
    assert (note.code, note.node) == ("data.left-out", "QW")
    assert "QW10" in note.message("en")
    assert note.message("id") != note.message("en")
    assert "QW1" not in result.nodes  # left out, not computed
    doc = json.loads(dump_json(result.to_json()))
    assert doc["notes"] == [note.to_dict()]
    assert set(doc["notes"][0]) == {"code", "node", "id", "en"}
    assert doc["checked"] is True


def test_spbe_from_the_aspects_or_a_mix_of_domains_and_aspects() -> None:
    aspects = tuple(f"A{i}" for i in range(1, 9))
    data = Dataset(("63.09",), aspects, np.array([[3.0, 2.5, 4.0, 3.5, 2.0, 3.0, 4.5, 1.5]]))
    result = compute(SPBE, data, IDENTITY)
    assert {n.node for n in result.notes} == set(aspects)
    expected = sum(
        float(SPBE.effective_weight(a) or 0) * v
        for a, v in zip(aspects, data.values[0, 0], strict=True)
    )
    assert result.score("INDEX")[0] == pytest.approx(expected)
    # Only some domains, the rest by their aspects: each given node stops the tree there.
    mixed = ("D1", "D2", "A5", "A6", "A7", "A8")
    data = Dataset(("63.09",), mixed, np.array([[3.0, 2.5, 4.0, 3.5, 2.0, 3.0]]))
    result = compute(SPBE, data, IDENTITY)
    assert {n.node for n in result.notes} == set(mixed)
    assert "D3" in result.aggregates


def test_nodes_without_data_and_without_a_given_node_above_are_still_missing() -> None:
    data = Dataset(("63.09",), ("BASE", "OUT", "OUTC", "IMP"), np.array([[3.0, 3.0, 3.0, 3.0]]))
    with pytest.raises(EngineError) as info:
        compute(GM, data, IDENTITY)
    assert info.value.code == "data.indicator-missing"
    assert "QW1" in info.value.message("en")


def test_the_engine_applies_the_rules_of_validation_with_every_finding() -> None:
    rows = {"63.09": (4.5, 3.125, 3.2, -1.0, 3.1), "35.71": (3.6, 3.21, 3.23, 3.07, 3.65)}
    with pytest.raises(ValidationError) as info:
        compute(GM, components(rows, extra="OUTX"), IDENTITY)
    report = info.value.report
    assert isinstance(report, DataReport)
    found = {(f.code, f.path) for f in report.errors}
    assert found == {
        ("score.off-scale", "BASE / 63.09"),
        ("score.precision", "OUT / 63.09"),
        ("score.off-scale", "IMP / 63.09"),
        ("score.node-unknown", "OUTX"),
    }
    assert "4.5" in info.value.message("en")
    assert info.value.message("id") != info.value.message("en")
    levels = np.full((1, len(SPBE.nodes("indicator"))), 3.0)
    levels[0, 0], levels[0, 1] = 3.5, 7.0
    codes = tuple(n.code for n in SPBE.nodes("indicator"))
    with pytest.raises(ValidationError) as info:
        compute(SPBE, Dataset(("63.09",), codes, levels), IDENTITY)
    assert {f.code for f in info.value.report.errors} == {
        "score.level-not-integer",
        "score.off-scale",
    }


def test_unchecked_engine_results_say_so() -> None:
    rows = {"63.09": (4.5, 3.0, 3.0, 3.0, 3.0)}
    result = compute(GM, components(rows), IDENTITY, check=False)
    assert result.checked is False
    assert result.to_json()["checked"] is False
    assert result.score("INDEX")[0] == pytest.approx(3.15)


def test_frameworks_without_rules_take_any_indicator_data() -> None:
    fw = frameworks.load("giffinger@2007")
    leaves = tuple(n.code for n in fw.leaves(fw.roots[0].code))
    data = Dataset(
        ("A", "B"), (*leaves, "extra"), np.arange(2.0 * (len(leaves) + 1)).reshape(2, -1)
    )
    tree = Build(normalise="minmax", tree=fw.roots[0].code)
    assert compute(fw, data, tree).checked is True


def test_names_beside_codes_from_the_registry_a_mapping_or_a_function() -> None:
    result = compute(GM, components(), IDENTITY)
    assert result.unit_names == ("Kabupaten Tabalong", "Kota Kediri")
    assert result.to_long()[0]["unit_name"] == "Kabupaten Tabalong"
    assert result.to_wide()[1]["unit_name"] == "Kota Kediri"
    mapped = compute(GM, components(), IDENTITY, names={"63.09": "Tabalong"})
    assert mapped.unit_names == ("Tabalong", None)
    called = compute(GM, components(), IDENTITY, names=str.lower)
    assert called.name("35.71") == "35.71"
    own = Dataset(("X",), COMPONENTS, np.full((1, 5), 3.0), names={"X": "Kota X"})
    assert compute(GM, own, IDENTITY, names={"X": "other"}).name("X") == "Kota X"


def test_the_engine_core_does_not_read_the_region_registry() -> None:
    code = (
        "import sys, numpy as np\n"
        "from kotacerdas import frameworks\n"
        "from kotacerdas.engine import Build, Dataset, compute\n"
        "d = Dataset(('U',), ('BASE','OUT','OUTC','IMP','QW'), np.full((1, 5), 3.0))\n"
        "r = compute(frameworks.load('gm100sc@2024'), d, Build(normalise='identity'),"
        " names={'U': 'Unit'})\n"
        "assert r.to_long()[0]['unit_name'] == 'Unit'\n"
        "assert 'kotacerdas.regions' not in sys.modules, 'registry read'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_engine_results_as_data_frames_with_codes_and_names(backend: str) -> None:
    pytest.importorskip(backend)
    result = compute(GM, components(), IDENTITY)
    long = result.to_frame(backend)
    assert list(long.columns) == ["unit", "unit_name", "period", "node", "value"]
    assert len(long) == 2 * len(result.nodes)
    wide = result.to_frame(backend, layout="wide")
    assert list(wide["unit_name"]) == ["Kabupaten Tabalong", "Kota Kediri"]
    assert list(wide["INDEX"]) == pytest.approx(list(result.score("INDEX")))
    with pytest.raises(EngineError):
        result.to_frame(backend, layout="tall")  # type: ignore[arg-type]


def test_a_column_named_by_alias_is_read_as_its_node_with_a_note() -> None:
    """As validation reads a score named by alias (with a warning), so does the engine."""
    alias = GM.node("OUTC").label.en
    assert alias is not None
    values = np.array(list(ROWS.values()))
    by_code = compute(GM, components(), IDENTITY)
    renamed = ("BASE", "OUT", alias, "IMP", "QW")
    by_alias = compute(GM, Dataset(tuple(ROWS), renamed, values), IDENTITY)
    assert np.array_equal(by_alias.values, by_code.values, equal_nan=True)
    assert by_alias.nodes == by_code.nodes
    note = next(n for n in by_alias.notes if n.code == "data.column-alias")
    assert (note.node, note.params["column"]) == ("OUTC", alias)
    assert alias in note.message("en")
    twice = Dataset(tuple(ROWS), (*COMPONENTS, alias), np.hstack([values, values[:, 2:3]]))
    with pytest.raises(EngineError) as info:
        compute(GM, twice, IDENTITY)
    assert info.value.code == "data.column-twice"
