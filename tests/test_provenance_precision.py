"""Confidence and source kind as precise as the sources: per-field records, kinds, locators."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from kotacerdas import frameworks
from kotacerdas.cli import ExitCode, main
from kotacerdas.errors import FrameworkError
from kotacerdas.model import Confidence, Provenance, Source, SourceKind


@pytest.mark.parametrize("ref", [str(r) for r in frameworks.available()])
def test_every_source_can_be_found_or_says_it_cannot(ref: str) -> None:
    for source in frameworks.load(ref).sources:
        assert source.url or source.locator, f"{ref}: {source.key} has no URL and no locator"


@pytest.mark.parametrize("ref", [str(r) for r in frameworks.available()])
def test_confidence_shares_add_up(ref: str) -> None:
    fw = frameworks.load(ref)
    shares = fw.confidence_shares()
    assert list(shares) == list(Confidence)
    assert sum(shares.values()) == 1
    assert len(list(fw.data_provenance())) > len(fw)


def test_spbe_2020_rests_on_secondary_sources() -> None:
    spbe = frameworks.load("spbe@2020")
    assert spbe.source_kind is SourceKind.SECONDARY
    assert {s.kind for s in spbe.sources} == {SourceKind.SECONDARY}
    for node in spbe:
        assert node.provenance.kind is SourceKind.SECONDARY, node.code
    assert spbe.node("I1").provenance_of("criteria").kind is SourceKind.SECONDARY


def test_gm100sc_guideline_is_primary_and_news_secondary() -> None:
    gm = frameworks.load("gm100sc@2024")
    kinds = {s.key: s.kind for s in gm.sources}
    assert kinds["pedoman2021"] is SourceKind.PRIMARY
    assert kinds["aptika-28075"] is SourceKind.PRIMARY
    assert kinds["letter2021"] is SourceKind.SECONDARY  # a news report quoting the letter
    tahap_1 = next(s for s in gm.stages if s.code == "tahap_1")
    assert tahap_1.provenance is not None
    assert tahap_1.provenance.kind is SourceKind.PRIMARY


@pytest.mark.parametrize(
    ("confidence", "kinds", "expected"),
    [
        (Confidence.CONFIRMED, (SourceKind.SECONDARY, SourceKind.PRIMARY), SourceKind.PRIMARY),
        (Confidence.CONFIRMED, (SourceKind.SECONDARY, None), SourceKind.SECONDARY),
        (Confidence.UNCERTAIN, (None,), None),
        (Confidence.INFERRED, (SourceKind.PRIMARY,), SourceKind.OWN),
        (Confidence.ASSUMED, (), SourceKind.OWN),
    ],
)
def test_provenance_kind(
    confidence: Confidence, kinds: tuple[SourceKind | None, ...], expected: SourceKind | None
) -> None:
    prov = Provenance(
        confidence, tuple(Source(url=f"https://x/{i}", kind=k) for i, k in enumerate(kinds))
    )
    assert prov.kind is expected


def test_field_provenance_and_kinds_survive_a_round_trip(tmp_path: Path) -> None:
    for ref in ("gm100sc@2024", "spbe@2020"):
        fw = frameworks.load(ref)
        for suffix in (".toml", ".json"):
            path = tmp_path / f"copy{suffix}"
            frameworks.write(fw, path)
            back = frameworks.read(path)
            assert back == fw
            assert back.scale == fw.scale
            assert back.scale is not None
            assert fw.scale is not None
            assert dict(back.scale.field_provenance) == dict(fw.scale.field_provenance)
            assert [dict(s.field_provenance) for s in back.stages] == [
                dict(s.field_provenance) for s in fw.stages
            ]
            assert back.sources == fw.sources
            assert back.source_kind is fw.source_kind


def test_unknown_scale_field_is_refused() -> None:
    data = {
        "format": 1,
        "id": "x",
        "edition": "1",
        "title": "X",
        "issuer": "X",
        "provenance": {"confidence": "assumed"},
        "scale": {
            "minimum": 0,
            "maximum": 4,
            "field_provenance": {"maximun": {"confidence": "assumed"}},
        },
        "nodes": [{"code": "A", "kind": "index", "label": "A"}],
    }
    with pytest.raises(FrameworkError) as info:
        frameworks.from_data(data)
    assert "scale.field_provenance" in str(info.value)


def test_cli_frameworks_shows_status_and_shares(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frameworks"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "provisional" in out
    assert "A = assumed" in out
    line = next(row for row in out.splitlines() if row.startswith("spbe@2020"))
    assert "official" in line or "provisional" in line
    assert main(["frameworks", "--format", "json"]) == ExitCode.OK
    rows = json.loads(capsys.readouterr().out)
    for row in rows:
        counts = row["data_by_confidence"]
        assert set(counts) == {c.value for c in Confidence}
        fw = frameworks.load(row["ref"])
        total = sum(counts.values())
        assert Fraction(counts["confirmed"], total) == fw.confidence_shares()[Confidence.CONFIRMED]


@pytest.mark.parametrize(("lang", "mark"), [("en", "[assumed]"), ("id", "[asumsi]")])
def test_show_marks_assumed_weights(
    capsys: pytest.CaptureFixture[str], lang: str, mark: str
) -> None:
    assert main(["show", "gm100sc@2023", "--lang", lang]) == ExitCode.OK
    out = capsys.readouterr().out
    base = next(line for line in out.splitlines() if "BASE" in line)
    assert mark in base
