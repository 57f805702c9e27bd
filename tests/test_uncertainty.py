"""Uncertainty analysis: known answers against the engine, reproducibility, refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kotacerdas import frameworks
from kotacerdas import uncertainty as ua
from kotacerdas._montecarlo import rank_columns
from kotacerdas.coinr import CoinrInput, read_coinr
from kotacerdas.engine import Build, Dataset, MinMax, MissingPolicy, Rank, Weights, ZScore, compute
from kotacerdas.engine.missing import Impute
from kotacerdas.errors import EngineError
from kotacerdas.model import Framework

ASEM = Path(__file__).resolve().parent / "data" / "coinr-asem"
BUILD = Build(normalise=MinMax(1, 100), missing=MissingPolicy.omit())


@pytest.fixture(scope="module")
def asem() -> CoinrInput:
    return read_coinr(ASEM / "iData.csv", ASEM / "iMeta.csv")


def _columns_match_engine(
    result: ua.UncertaintyResult, fw: Framework, data: Dataset, builds: list[Build]
) -> list[int]:
    """Per sample, which of *builds* the engine computes it as (scores 1e-9, ranks exactly)."""
    engine = [compute(fw, data, b) for b in builds]
    scores = [r.score(result.node) for r in engine]
    ranks = [r.rank(result.node) for r in engine]
    which = []
    for s in range(result.samples):
        col = result.scores[:, s]
        found = [
            i
            for i, ref in enumerate(scores)
            if np.allclose(col, ref, rtol=0, atol=1e-9, equal_nan=True)
        ]
        assert found, f"sample {s} matches no build"
        assert np.array_equal(result.ranks[:, s], ranks[found[0]], equal_nan=True)
        which.append(found[0])
    return which


# -- known answers ------------------------------------------------------------------------------


def test_zero_noise_collapses_every_interval_to_the_nominal_rank(asem: CoinrInput) -> None:
    fw, data = asem
    result = ua.analyse(fw, data, [ua.WeightNoise(0.0, levels=(2, 3))], BUILD, samples=64, seed=1)
    nominal = compute(fw, data, BUILD)
    assert np.array_equal(result.nominal_ranks, nominal.rank("Index"), equal_nan=True)
    for iv in result.intervals():
        assert iv.rank_low == iv.rank_high == iv.median_rank == iv.mean_rank == iv.nominal_rank
        assert iv.keeps_rank == 1.0
        assert iv.mean_shift == 0.0
        assert iv.score_low == pytest.approx(iv.nominal_score, abs=1e-9)
    assert np.allclose(result.rank_shift(), 0.0)


def test_weight_sets_give_the_engines_result_for_each_set(asem: CoinrInput) -> None:
    fw, data = asem
    sets: list[object] = [
        "framework",
        {"Environ": 4.0, "Social": 1.0, "SusEcFin": 1.0},
        Weights.explicit({"Conn": 3.0, "Sust": 1.0}),
    ]
    result = ua.analyse(fw, data, [ua.WeightSets(sets)], BUILD, samples=40, seed=5)
    builds = [attrs.evolve(BUILD, weights=s) for s in sets]
    which = _columns_match_engine(result, fw, data, builds)
    assert set(which) == {0, 1, 2}


def test_aggregation_choice_gives_the_engines_result_for_each_method(asem: CoinrInput) -> None:
    fw, data = asem
    a = ua.AggregationChoice(("arithmetic", "geometric", "harmonic", "maximum"), nodes="Index")
    result = ua.analyse(fw, data, [a], BUILD, samples=40, seed=2)
    builds = [
        attrs.evolve(BUILD, aggregate_nodes={"Index": m})
        for m in ("arithmetic", "geometric", "harmonic", "maximum")
    ]
    assert set(_columns_match_engine(result, fw, data, builds)) == {0, 1, 2, 3}


def test_level_aggregation_and_copeland(asem: CoinrInput) -> None:
    fw, data = asem
    a = ua.AggregationChoice(("arithmetic", "copeland", "minimum"), levels=2)
    result = ua.analyse(fw, data, [a], BUILD, samples=24, seed=4)
    builds = [attrs.evolve(BUILD, aggregate_levels={2: m}) for m in a.methods]
    assert set(_columns_match_engine(result, fw, data, builds)) == {0, 1, 2}


def test_normalisation_and_missing_choices_match_the_engine(asem: CoinrInput) -> None:
    fw, data = asem
    norms = (MinMax(1, 100), Rank(), ZScore(10, 2))
    policies = (MissingPolicy.omit(), MissingPolicy.imputing(Impute("median"), then="omit"))
    assumptions = [ua.NormalisationChoice(norms), ua.MissingChoice(policies)]
    result = ua.analyse(fw, data, assumptions, BUILD, samples=60, seed=9)
    builds = [attrs.evolve(BUILD, normalise=n, missing=p) for n in norms for p in policies]
    assert len(set(_columns_match_engine(result, fw, data, builds))) == 6


def test_exclusion_drops_one_node_at_a_time(asem: CoinrInput) -> None:
    fw, data = asem
    pillars = ("Physical", "ConEcFin", "Political")
    result = ua.analyse(fw, data, [ua.Exclusion(nodes=pillars)], BUILD, samples=60, seed=3)
    nominal = compute(fw, data, BUILD)
    local = nominal.build.weights.local
    builds = [BUILD]
    for code in pillars:
        sibs = [c.code for c in fw.node(fw.node(code).parent or "").children]
        values = {c: (0.0 if c == code else local[c]) for c in sibs}
        builds.append(attrs.evolve(BUILD, weights=Weights.explicit(values)))
    assert set(_columns_match_engine(result, fw, data, builds)) == {0, 1, 2, 3}


def test_noise_keeps_weights_within_the_factor(asem: CoinrInput) -> None:
    fw, data = asem
    result = ua.analyse(fw, data, [ua.WeightNoise(0.25, levels=(2, 3))], BUILD, samples=500, seed=7)
    ivs = result.intervals()
    assert any(iv.rank_low < iv.rank_high for iv in ivs)
    for iv in ivs:
        assert iv.rank_low <= iv.median_rank <= iv.rank_high
        assert iv.score_low <= iv.score_high
        assert 0 <= iv.keeps_rank <= 1


def test_dirichlet_is_centred_on_the_nominal_weights(asem: CoinrInput) -> None:
    fw, data = asem
    tight = ua.analyse(fw, data, [ua.WeightDirichlet(1e6, levels=3)], BUILD, samples=50, seed=1)
    loose = ua.analyse(fw, data, [ua.WeightDirichlet(5.0, levels=3)], BUILD, samples=200, seed=1)
    assert np.allclose(tight.scores, tight.nominal_scores[:, None], atol=0.1)
    assert np.abs(loose.scores - loose.nominal_scores[:, None]).max() > 1.0


# -- reproducibility ----------------------------------------------------------------------------


def _mixed() -> list[ua.Assumption]:
    return [
        ua.WeightNoise(0.25, levels=(2, 3)),
        ua.AggregationChoice(("arithmetic", "geometric"), nodes="Index"),
        ua.Exclusion(levels=2),
        ua.NormalisationChoice((MinMax(1, 100), Rank()), indicators=("LPI", "Flights")),
    ]


def test_a_fixed_seed_gives_byte_identical_results(asem: CoinrInput) -> None:
    fw, data = asem
    one = ua.analyse(fw, data, _mixed(), BUILD, samples=300, seed=42)
    two = ua.analyse(fw, data, _mixed(), BUILD, samples=300, seed=42)
    assert one.scores.tobytes() == two.scores.tobytes()
    assert json.dumps(one.to_json()) == json.dumps(two.to_json())
    other = ua.analyse(fw, data, _mixed(), BUILD, samples=300, seed=43)
    assert other.scores.tobytes() != one.scores.tobytes()


@pytest.mark.parametrize("chunk", [1, 7, 256, 299, 1000])
def test_chunked_and_unchunked_runs_agree(asem: CoinrInput, chunk: int) -> None:
    fw, data = asem
    whole = ua.analyse(fw, data, _mixed(), BUILD, samples=300, seed=11, chunk_size=300)
    part = ua.analyse(fw, data, _mixed(), BUILD, samples=300, seed=11, chunk_size=chunk)
    assert whole.scores.tobytes() == part.scores.tobytes()
    assert whole.ranks.tobytes() == part.ranks.tobytes()


def test_seed_is_recorded_with_version_and_assumptions(asem: CoinrInput) -> None:
    fw, data = asem
    gen = np.random.default_rng(3)
    result = ua.analyse(fw, data, _mixed(), BUILD, samples=10, seed=gen)
    again = ua.analyse(fw, data, _mixed(), BUILD, samples=10, seed=result.seed)
    assert again.scores.tobytes() == result.scores.tobytes()
    record = result.record()
    assert record["seed"] == result.seed
    assert record["version"]
    kinds = [a["kind"] for a in record["assumptions"]]
    assert kinds == ["weight-noise", "aggregation", "exclusion", "normalisation"]
    assert record["assumptions"][0]["factor"] == 0.25
    assert record["build"]["aggregation"]["Index"] == "arithmetic"
    fresh = ua.analyse(fw, data, _mixed(), BUILD, samples=10)
    assert isinstance(fresh.seed, int)


# -- refusals -----------------------------------------------------------------------------------


def test_geometric_over_values_that_can_be_zero_names_the_node(asem: CoinrInput) -> None:
    fw, data = asem
    zero_based = Build(normalise=MinMax(0, 100), missing=MissingPolicy.omit())
    choice = ua.AggregationChoice(("arithmetic", "geometric"), nodes="Physical")
    with pytest.raises(EngineError) as info:
        ua.analyse(fw, data, [choice], zero_based, samples=10, seed=1)
    assert info.value.code == "uncertainty.non-positive"
    assert "Physical" in info.value.message("en")
    zscores = ua.NormalisationChoice((MinMax(1, 100), ZScore()))
    with pytest.raises(EngineError, match="Index"):
        ua.analyse(
            fw,
            data,
            [zscores, ua.AggregationChoice(("geometric",), nodes="Index")],
            BUILD,
            samples=10,
            seed=1,
        )


@pytest.mark.parametrize(
    ("assumptions", "code"),
    [
        ([ua.WeightNoise(0.1, nodes=("Nowhere",))], "build.node-unknown"),
        ([ua.WeightNoise(0.1, levels=9)], "build.level-unknown"),
        ([ua.WeightNoise(0.1, nodes=("Index",))], "uncertainty.root-weight"),
        ([ua.AggregationChoice(("geometric",), nodes="LPI")], "build.not-aggregate"),
        ([ua.AggregationChoice(("geometric",))], "build.param-value"),
        ([ua.NormalisationChoice(("rank",), indicators=("Physical",))], "build.not-indicator"),
        (
            [
                ua.AggregationChoice(("median",), levels=4),
                ua.AggregationChoice(("minimum",), nodes="Index"),
            ],
            "uncertainty.conflict",
        ),
        ([ua.MissingChoice(("omit",)), ua.MissingChoice(("omit",))], "uncertainty.conflict"),
        ([ua.WeightSets(["equal"]), ua.WeightSets(["framework"])], "uncertainty.conflict"),
        (["noise"], "build.spec-type"),
    ],
)
def test_an_assumption_that_cannot_apply_is_an_error(
    asem: CoinrInput, assumptions: list[ua.Assumption], code: str
) -> None:
    fw, data = asem
    with pytest.raises(EngineError) as info:
        ua.analyse(fw, data, assumptions, BUILD, samples=4, seed=1)
    assert info.value.code == code


def test_dropping_an_only_child_is_an_error() -> None:
    fw = frameworks.from_data(
        {
            "id": "t",
            "edition": "1",
            "title": "T",
            "issuer": "kotacerdas",
            "provenance": {"confidence": "inferred"},
            "index": "I",
            "nodes": [
                {
                    "code": "I",
                    "kind": "index",
                    "label": "I",
                    "children": [
                        {
                            "code": "P",
                            "kind": "pillar",
                            "label": "P",
                            "children": [{"code": "a", "kind": "indicator", "label": "a"}],
                        },
                        {"code": "b", "kind": "indicator", "label": "b"},
                    ],
                }
            ],
        }
    )
    data = Dataset(("X", "Y"), ("a", "b"), np.array([[1.0, 2.0], [3.0, 1.0]]))
    with pytest.raises(EngineError) as info:
        ua.analyse(fw, data, [ua.Exclusion(nodes=("a",))], samples=4, seed=1)
    assert info.value.code == "uncertainty.exclude-only"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ua.WeightNoise(1.5),
        lambda: ua.WeightNoise(-0.1),
        lambda: ua.WeightDirichlet(0),
        lambda: ua.AggregationChoice(()),
        lambda: ua.AggregationChoice(("nope",)),
        lambda: ua.NormalisationChoice(()),
        lambda: ua.WeightSets([]),
        lambda: ua.MissingChoice(()),
        lambda: ua.WeightNoise(0.1, levels=0),
    ],
)
def test_bad_assumptions_are_refused_when_made(make: object) -> None:
    with pytest.raises(EngineError):
        make()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"samples": 1}, "samples"),
        ({"samples": True}, "samples"),
        ({"quantiles": (0.9, 0.1)}, "quantiles"),
        ({"chunk_size": 0}, "chunk_size"),
        ({"seed": -1}, "seed"),
        ({"seed": "x"}, "seed"),
    ],
)
def test_bad_arguments_are_refused(asem: CoinrInput, kwargs: dict[str, object], param: str) -> None:
    fw, data = asem
    args = {"samples": 4, "seed": 1, **kwargs}
    with pytest.raises(EngineError) as info:
        ua.analyse(fw, data, [ua.WeightNoise(0.1)], BUILD, **args)  # type: ignore[arg-type]
    assert param in info.value.message("en")


def test_probabilities_must_fit_the_choices(asem: CoinrInput) -> None:
    fw, data = asem
    bad = ua.AggregationChoice(("arithmetic", "geometric"), nodes="Index", probabilities=(1.0,))
    with pytest.raises(EngineError, match="probabilities"):
        ua.analyse(fw, data, [bad], BUILD, samples=4, seed=1)
    always = ua.AggregationChoice(("arithmetic", "geometric"), nodes="Index", probabilities=(0, 1))
    result = ua.analyse(fw, data, [always], BUILD, samples=20, seed=1)
    geo = compute(fw, data, attrs.evolve(BUILD, aggregate_nodes={"Index": "geometric"}))
    assert np.allclose(result.scores, geo.score("Index")[:, None], equal_nan=True)


# -- provenance, official frameworks and output -------------------------------------------------


def test_provenance_preset_fixes_confirmed_and_varies_the_rest() -> None:
    spbe = frameworks.load("spbe@2020")
    preset = ua.from_provenance(spbe)
    varied = {code for a in preset for code in a.nodes}
    for node in spbe.index_node or ():
        if node.weight is None or node.parent is None:
            continue
        confirmed = node.provenance_of("weight").confidence.value == "confirmed"
        assert (node.code in varied) != confirmed, node.code
    gm = ua.from_provenance(frameworks.load("gm100sc@2022"))
    assert [a.factor for a in gm] == [0.25]
    assert set(gm[0].nodes) >= {"BASE", "OUT", "OUTC", "IMP", "QW"}
    assert ua.from_provenance(spbe, inferred=0.1)[0].factor == 0.1


def test_official_gm100sc_components_vary_only_as_the_record_allows() -> None:
    gm = frameworks.load("gm100sc@2022")
    components = ("BASE", "OUT", "OUTC", "IMP", "QW")
    sub = frameworks.from_data(
        {
            "id": "gm-top",
            "edition": "2022",
            "title": "GM100SC index",
            "issuer": "kotacerdas",
            "provenance": {"confidence": "inferred"},
            "index": "INDEX",
            "weights": "local",
            "nodes": [
                {
                    "code": "INDEX",
                    "kind": "index",
                    "label": "Indeks",
                    "children": [
                        {
                            "code": c,
                            "kind": "component",
                            "label": c,
                            "weight": float(gm.node(c).weight or 0),
                        }
                        for c in components
                    ],
                }
            ],
        }
    )
    rng = np.random.default_rng(0)
    values = np.round(rng.uniform(1, 4, size=(12, 5)), 2)
    units = tuple(f"35.{71 + i:02d}" for i in range(12))
    data = Dataset(units, components, values)
    build = Build(normalise={"method": "identity"})
    result = ua.analyse(sub, data, ua.from_provenance(sub), build, samples=200, seed=1)
    nominal = values @ np.array([0.1, 0.2, 0.3, 0.2, 0.2])
    assert np.allclose(result.nominal_scores, nominal)
    assert result.names[0] == "Kota Kediri"
    assert any(iv.rank_low != iv.rank_high for iv in result.intervals())


def test_rows_frames_and_json(asem: CoinrInput) -> None:
    fw, data = asem
    result = ua.analyse(fw, data, _mixed(), BUILD, samples=50, seed=1)
    rows = result.to_rows()
    assert [r["nominal_rank"] for r in rows] == sorted(r["nominal_rank"] for r in rows)  # type: ignore[type-var]
    assert rows[0]["name"] == "Germany"
    doc = json.loads(json.dumps(result.to_json()))
    assert (doc["samples"], len(doc["units"])) == (50, 51)
    assert result.interval("DEU").unit == "DEU"
    with pytest.raises(EngineError):
        result.interval("XXX")
    pd = pytest.importorskip("pandas")
    frame = result.to_frame("pandas")
    assert isinstance(frame, pd.DataFrame)
    assert frame["unit"].iloc[0] == "DEU"
    pl = pytest.importorskip("polars")
    assert isinstance(result.to_frame("polars"), pl.DataFrame)


def test_progress_bar_when_asked(asem: CoinrInput, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("tqdm")
    fw, data = asem
    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    shown = ua.analyse(fw, data, _mixed(), BUILD, samples=20, seed=1, progress=True)
    quiet = ua.analyse(fw, data, _mixed(), BUILD, samples=20, seed=1)
    assert shown.scores.tobytes() == quiet.scores.tobytes()


# -- ranks --------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=12),
        elements=st.one_of(st.sampled_from([1.0, 2.0, np.nan]), st.floats(-5, 5)),
    )
)
def test_ranks_match_the_engines_rule(scores: np.ndarray) -> None:
    ranks = rank_columns(scores)
    for s in range(scores.shape[1]):
        col = scores[:, s]
        for u, v in enumerate(col):
            if np.isnan(v):
                assert np.isnan(ranks[u, s])
            else:
                assert ranks[u, s] == 1 + np.sum(col[~np.isnan(col)] > v)


# -- official indices ---------------------------------------------------------------------------


def _gm_rows(n: int = 15) -> list[dict[str, object]]:
    rng = np.random.default_rng(2022)
    units = [r.code for r in regions_list() if r.level == "kota"][:n]
    return [
        {"region": unit, "year": year, "node": node, "value": f"{rng.uniform(1, 4):.2f}"}
        for unit in units
        for year in (2021, 2022)
        for node in ("BASE", "OUT", "OUTC", "IMP", "QW")
    ]


def regions_list() -> list[Any]:
    from kotacerdas import regions

    return list(regions.regions())


def test_official_gm100sc_nominal_is_exact() -> None:
    from kotacerdas.panel import score_panel

    rows = _gm_rows()
    result = ua.official(rows, "gm100sc@2022", samples=300, seed=4)
    panel = score_panel(rows, "gm100sc@2022")
    latest = [i for i, y in enumerate(panel.years) if y == 2022]
    assert result.period == 2022
    assert result.exact_scores == tuple(panel.exact()[i] for i in latest)
    ranks = {r["region"]: r["rank"] for r in panel.rank(exact=True) if r["year"] == 2022}
    assert result.nominal_ranks.tolist() == [float(ranks[u]) for u in result.units]
    row = result.to_rows()[0]
    assert row["nominal_exact"] == str(result.exact_scores[result.units.index(str(row["unit"]))])
    assert str(row["name"]).startswith("Kota ")
    assert [a["kind"] for a in result.record()["assumptions"]] == ["weight-noise"]
    assert any(iv.rank_low < iv.rank_high for iv in result.intervals())
    earlier = ua.official(rows, "gm100sc@2022", year=2021, samples=10, seed=4)
    assert earlier.period == 2021
    with pytest.raises(EngineError):
        ua.official(rows, "gm100sc@2022", year=2030, samples=10, seed=4)


def test_official_with_fixed_weights_keeps_every_exact_rank() -> None:
    rows = _gm_rows()
    fixed = [ua.WeightNoise(0.0, nodes=("BASE", "OUT", "OUTC", "IMP", "QW"))]
    result = ua.official(rows, "gm100sc@2022", fixed, samples=50, seed=1)
    for iv in result.intervals():
        assert iv.rank_low == iv.rank_high == iv.nominal_rank
        assert iv.score_low == pytest.approx(float(iv.nominal_exact or 0), abs=1e-12)


def test_official_spbe_varies_only_the_inferred_domain_weights() -> None:
    spbe = frameworks.load("spbe@2020")
    indicators = [n.code for n in spbe.leaves()]
    rng = np.random.default_rng(20)
    units = [r.code for r in regions_list() if r.level == "kabupaten"][:12]
    rows = [
        {"region": u, "year": 2020, "node": code, "value": int(rng.integers(1, 6))}
        for u in units
        for code in indicators
    ]
    result = ua.official(rows, "spbe@2020", samples=200, seed=2)
    assert result.record()["assumptions"][0]["nodes"] == ["D1", "D3"]
    assert result.framework == "spbe@2020"
    assert all(v is not None for v in result.exact_scores or ())
