"""Edition migrations: an assessment carried forward, and nothing dropped without a word."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas import assessment, crosswalks, frameworks, migrations
from kotacerdas.assessment import Assessment, Evidence, Score, SurveyResponse
from kotacerdas.cli import ExitCode, main
from kotacerdas.errors import CrosswalkError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "tabalong-2023.json")
GM_EDITIONS = [str(r) for r in frameworks.available() if r.id == "gm100sc"]


def _spbe(*scores: tuple[str, int | str], stage: str = "final") -> Assessment:
    return Assessment(
        "63.09",
        2024,
        "spbe",
        "2020",
        scores=tuple(Score(node, Decimal(v), stage) for node, v in scores),
    )


def test_available_lists_the_bundled_migrations() -> None:
    assert migrations.available() == ("gm100sc-editions", "spbe-2020--pemdi-2026")
    for cid in migrations.available():
        assert crosswalks.load(cid).kind == "migration"
    assert crosswalks.load("gm100sc--spbe").kind == "crosswalk"


def test_spbe_to_pemdi_carries_equal_records_only() -> None:
    m = migrations.migrate(
        _spbe(("I25", 3), ("I28", 2), ("I23", 4), ("I21", 1), ("INDEX", 2)), "pemdi@2026"
    )
    assert [(c.source, c.target, c.value) for c in m.carried] == [
        ("I25", "I3", Decimal(3)),
        ("I28", "I2", Decimal(2)),
    ]
    assert {s.node: s.value for s in m.assessment.scores} == {"I3": 3, "I2": 2}
    assert (m.assessment.framework, m.assessment.edition) == ("pemdi", "2026")
    assert m.assessment.meta["migrated_from"] == "spbe@2020"
    lost = {p.path: p for p in m.not_carried}
    assert lost["scores[2]"].code == "migration.not-equal"
    assert lost["scores[2]"].params["candidates"] == "I5 (partial)"
    assert lost["scores[3]"].code == "migration.no-record"
    assert lost["scores[4]"].code == "migration.no-record"
    assert m.status == "draft"
    assert not m.complete
    codes = [n.code for n in m.notes]
    assert codes[:2] == ["migration.draft", "migration.target-status"]
    assert "migration.criteria" in codes
    assert "migration.scale" in codes
    weight = next(
        n for n in m.notes if n.code == "migration.weight" and "I25" in str(n.params["node"])
    )
    assert weight.params["before"] == "1.5%"
    assert weight.params["after"] == "5%"
    assert "1.5% → 5%" in weight.message("en")


def test_the_inverse_migration_checks_the_target_scale() -> None:
    pemdi = Assessment(
        "63.09", 2026, "pemdi", "2026", scores=(Score("I3", Decimal(0)), Score("I2", Decimal(4)))
    )
    m = migrations.migrate(pemdi, "spbe@2020")
    assert [(c.source, c.target) for c in m.carried] == [("I2", "I28")]
    assert m.not_carried[0].code == "migration.out-of-range"
    assert m.not_carried[0].path == "scores[0]"


def test_gm100sc_editions_with_the_same_rule_carry_everything() -> None:
    old = assessment.read_one(EXAMPLE)
    m = migrations.migrate(old, "gm100sc@2024")
    assert m.complete
    assert m.assessment.scores == old.scores
    assert m.assessment.evidence == old.evidence
    assert m.assessment.programmes == old.programmes
    assert m.assessment.edition == "2024"
    assert [n.code for n in m.notes] == ["migration.draft"]


def test_an_aggregate_whose_weights_change_is_not_carried() -> None:
    old = assessment.read_one(EXAMPLE)
    m = migrations.migrate(old, "gm100sc@pre2021")
    lost = {p.path: p.code for p in m.not_carried}
    index_path = next(f"scores[{i}]" for i, s in enumerate(old.scores) if s.node == "INDEX")
    assert lost[index_path] == "migration.recompute"
    assert "INDEX" not in {s.node for s in m.assessment.scores}
    # The components themselves are carried, unchanged.
    assert {c.source for c in m.carried} == {s.node for s in old.scores} - {"INDEX"}
    # Stages the undated edition does not have: evidence and sessions stay behind.
    assert all(code == "migration.stage" for path, code in lost.items() if path != index_path)
    assert not m.assessment.evidence
    assert not m.assessment.sessions
    notes = {(n.code, n.params.get("node")) for n in m.notes}
    assert {("migration.weight", "IMP"), ("migration.weight", "QW")} <= notes
    assert ("migration.target-status", None) in notes
    assert any(n.code == "migration.stages" for n in m.notes)


def test_a_survey_without_rules_in_the_target_is_reported() -> None:
    old = attrs.evolve(
        assessment.read_one(EXAMPLE),
        survey=(SurveyResponse("r1", "Langsat Manis", (Decimal(3),)),),
        survey_mode="single",
    )
    m = migrations.migrate(old, "gm100sc@pre2021")
    assert not m.assessment.survey
    assert any(p.code == "migration.survey" and p.path == "survey" for p in m.not_carried)
    kept = migrations.migrate(old, "gm100sc@2024")
    assert kept.assessment.survey == old.survey


def test_evidence_and_programmes_follow_their_nodes() -> None:
    a = _spbe(("I25", 3))
    a = attrs.evolve(
        a,
        evidence=(Evidence("SK Tim", node="I25", level=3), Evidence("Audit", node="I29")),
    )
    m = migrations.migrate(a, "pemdi@2026")
    assert [e.node for e in m.assessment.evidence] == ["I3"]
    assert [(p.path, p.code) for p in m.not_carried] == [("evidence[1]", "migration.not-equal")]


def test_an_ambiguous_record_is_refused_not_guessed() -> None:
    cw = crosswalks.from_data(
        {
            "format": 1,
            "id": "mine",
            "kind": "migration",
            "source": "spbe@2020",
            "target": "pemdi@2026",
            "title": "Mine",
            "provenance": {"confidence": "inferred"},
            "links": [
                {"source": "I25", "target": "I3", "relation": "equal"},
                {"source": "I26", "target": "I3", "relation": "equal"},
            ],
        }
    )
    m = migrations.migrate(_spbe(("I25", 3), ("I26", 2)), "pemdi@2026", crosswalk=cw)
    assert not m.carried
    assert [p.code for p in m.not_carried] == ["migration.ambiguous"] * 2


def test_unknown_nodes_and_foreign_stages_are_reported() -> None:
    m = migrations.migrate(_spbe(("X9", 3)), "pemdi@2026")
    assert m.not_carried[0].code == "migration.node-unknown"
    m = migrations.migrate(_spbe(("I25", 3), stage="tahap_9"), "pemdi@2026")
    assert m.not_carried[0].code == "migration.stage"


def test_no_migration_between_different_frameworks_is_a_clear_refusal() -> None:
    with pytest.raises(CrosswalkError) as info:
        migrations.migrate(assessment.read_one(EXAMPLE), "pemdi@2026")
    assert info.value.problems[0].code == "migration.none"
    with pytest.raises(CrosswalkError) as info:
        migrations.migrate(
            _spbe(("I25", 3)), "pemdi@2026", crosswalk=crosswalks.load("gm100sc-editions")
        )
    assert info.value.problems[0].code == "crosswalk.mismatch"


# -- properties ---------------------------------------------------------------------------------

_PAIRS = [(a, b) for a in GM_EDITIONS for b in GM_EDITIONS] + [
    ("spbe@2020", "pemdi@2026"),
    ("pemdi@2026", "spbe@2020"),
]


@st.composite
def _assessments(draw: st.DrawFn) -> tuple[Assessment, str]:
    source_ref, target_ref = draw(st.sampled_from(_PAIRS))
    fw = frameworks.load(source_ref)
    codes = [*fw.codes, "NOPE"]
    stages = ["final", *(s.code for s in fw.stages), "elsewhere"]
    scores = draw(
        st.lists(
            st.builds(
                Score,
                node=st.sampled_from(codes),
                value=st.decimals(min_value=-1, max_value=6, places=2),
                stage=st.sampled_from(stages),
            ),
            max_size=12,
        )
    )
    return Assessment("63.09", 2024, fw.id, fw.edition, scores=tuple(scores)), target_ref


@settings(max_examples=60, deadline=None)
@given(_assessments())
def test_every_score_is_carried_or_listed_as_not_carried(case: tuple[Assessment, str]) -> None:
    a, target = case
    m = migrations.migrate(a, target)
    carried = [c.path for c in m.carried]
    lost = [p.path for p in m.not_carried if p.path.startswith("scores[")]
    assert sorted(carried + lost) == sorted(f"scores[{i}]" for i in range(len(a.scores)))
    assert len(m.assessment.scores) == len(m.carried)
    fw = frameworks.load(target)
    for c, score in zip(m.carried, m.assessment.scores, strict=True):
        original = a.scores[int(c.path[7:-1])]
        assert (score.value, score.stage) == (original.value, original.stage) == (c.value, c.stage)
        assert score.node == c.target
        assert c.target in fw.codes


@settings(max_examples=40, deadline=None)
@given(_assessments())
def test_a_round_trip_gives_back_what_it_carried(case: tuple[Assessment, str]) -> None:
    a, target = case
    there = migrations.migrate(a, target)
    back = migrations.migrate(there.assessment, a.framework_ref)
    # What came back is exactly what went there, scores in their original form.
    went = {(c.source, c.stage, c.value) for c in there.carried}
    returned = {(s.node, s.stage, s.value) for s in back.assessment.scores}
    assert returned <= went
    if a.framework == "gm100sc" and not there.notes[1:]:  # same rule both ways
        assert back.assessment.scores == tuple(
            s for s in a.scores if (s.node, s.stage, s.value) in went
        )


# -- command line -------------------------------------------------------------------------------


def test_cli_migrate_writes_the_target_edition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tabalong-pre2021.json"
    assert (
        main(["migrate", EXAMPLE, "--to", "gm100sc@pre2021", "-o", str(out), "--lang", "en"])
        == ExitCode.OK
    )
    text = capsys.readouterr().out
    assert "gm100sc@2023 → gm100sc@pre2021" in text
    assert "carried: 5 of 6 scores" in text
    assert "recompute INDEX" in text
    back = assessment.read_one(out)
    assert back.edition == "pre2021"
    assert "INDEX" not in {s.node for s in back.scores}
    assert not list(tmp_path.glob("*.tmp*"))
    assert main(["migrate", EXAMPLE, "--to", "gm100sc@pre2021", "--strict"]) == 1
    capsys.readouterr()


def test_cli_migrate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["migrate", EXAMPLE, "--to", "gm100sc@2024", "--format", "json", "--strict"])
        == ExitCode.OK
    )
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["target"] == "gm100sc@2024"
    assert rows[0]["not_carried"] == []
    assert len(rows[0]["carried"]) == 6


def test_cli_migrate_refuses_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    # No migration joins the editions: the target named is wrong (2), not the file (3).
    assert main(["migrate", EXAMPLE, "--to", "pemdi@2026"]) == ExitCode.USAGE
    assert "gm100sc-editions, spbe-2020--pemdi-2026" in capsys.readouterr().err
    assert main(["migrate", EXAMPLE, "--to", "tidak@ada"]) == ExitCode.USAGE
    capsys.readouterr()
