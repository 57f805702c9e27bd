"""HTML reports: the numbers and names a reader needs, escaped, self-contained; the CLI."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")

from kotacerdas import assessment, reports, scoring
from kotacerdas.assessment import Assessment, Programme
from kotacerdas.cli import main
from kotacerdas.errors import ReportError

ROOT = Path(__file__).resolve().parents[1]
TABALONG = ROOT / "examples" / "tabalong-2023.json"
KALSEL = ROOT / "examples" / "kalsel-2021-2024.json"
HOSTILE = '<script>window.HACKED=1</script><img src=x onerror="window.HACKED=2">'


def text_of(page: str) -> str:
    """What a reader sees, roughly: tags and styles removed."""
    page = re.sub(r"<style.*?</style>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def invalid_tabalong() -> Assessment:
    """Tabalong 2023 with a Baseline of 9 on a 0–4 scale."""
    a = assessment.read_one(TABALONG)
    scores = tuple(attrs.evolve(s, value=Decimal(9)) if s.node == "BASE" else s for s in a.scores)
    return attrs.evolve(a, scores=scores)


def hostile_tabalong() -> Assessment:
    a = assessment.read_one(TABALONG)
    return attrs.evolve(
        a,
        programmes=(*a.programmes, Programme(HOSTILE, node="G")),
        meta={**a.meta, "title": HOSTILE, "sources": "javascript:alert(1) https://example.org/x"},
    )


@pytest.fixture(scope="module")
def tabalong_en() -> str:
    return reports.html(assessment.read(TABALONG), lang="en")


def test_region_report_has_the_key_numbers(tabalong_en: str) -> None:
    shown = text_of(tabalong_en)
    for part in (
        "Kabupaten Tabalong",
        "(63.09)",
        "3.38",
        "3.375 – 3.385",
        "3.38 is consistent with gm100sc@2023",
        "Quick Win (QW)",
        "0.69",
        "Lapat Kaka KIA",
        "4 items: 3 accepted, 0 rejected, 1 undecided, 0 late, 0 files missing",
        "programme.node-without",
        "Where the framework numbers come from",
        "10 % / 20 % / 30 % / 20 % / 20 %",
    ):
        assert part in shown, part


def test_every_framework_number_has_its_provenance(tabalong_en: str) -> None:
    from kotacerdas import frameworks

    section = tabalong_en[tabalong_en.index('id="provenance"') :]
    fw = frameworks.load("gm100sc@2023")
    for code in ("BASE", "OUT", "OUTC", "IMP", "QW"):
        confidence = fw.node(code).provenance_of("weight").confidence.value
        assert f'class="badge {confidence}"' in section
    scale = fw.node("INDEX").scale or fw.scale
    assert scale is not None
    for label, field in (("Scale minimum", "minimum"), ("Rounding", "rounding")):
        row = section[section.index(label) :]
        row = row[: row.index("</tr>")]
        provenance = scale.provenance_of(field) or fw.provenance
        assert f'class="badge {provenance.confidence.value}"' in row  # per field
    assert "https://portal.tabalongkab.go.id" in section


def test_indonesian_is_the_default() -> None:
    shown = text_of(reports.html(assessment.read(TABALONG)))
    assert "Komponen dan kontribusinya" in shown
    assert "Asal angka kerangka" in shown
    assert '<html lang="id">' in reports.html(assessment.read(TABALONG))


def test_self_contained_and_without_javascript(tabalong_en: str) -> None:
    assert "<script" not in tabalong_en.lower()
    assert not re.search(r'(src|href)="(?!https?://|#)', tabalong_en)  # nothing local or relative
    assert not re.search(r"<(link|img|iframe|object)\b", tabalong_en)
    assert tabalong_en.count("<svg") == 1  # the contributions figure, inline
    assert "@page" in tabalong_en
    assert "size: A4" in tabalong_en


def test_strings_from_the_file_are_escaped() -> None:
    page = reports.html([hostile_tabalong()], lang="en")
    assert "<script>window.HACKED" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;window.HACKED=1&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert '<a href="https://example.org/x">' in page


def test_group_report_ranks_and_maps_the_regions() -> None:
    page = reports.html(assessment.read(KALSEL), lang="en")
    shown = text_of(page)
    assert "Kalimantan Selatan" in shown
    assert "Ranking 2024" in shown
    assert "Kota Banjarmasin (63.71) 3.57" in shown
    assert "Kabupaten Banjar (63.03) 2.87 — — —" in shown
    assert page.count("<svg") == 3  # ranking, heatmap, trend
    assert "Kabupaten Tabalong (63.09) 2023 Severity" in shown  # the one with a finding
    assert "No findings in the other 9 assessments." in shown
    assert "Ranking 2021" in text_of(reports.html(assessment.read(KALSEL), year=2021, lang="en"))


def test_region_of_a_group_file_has_its_trend_and_position() -> None:
    page = reports.html(assessment.read(KALSEL), region="Tabalong", year=2023, lang="en")
    shown = text_of(page)
    assert "2022 3.12 +0.14 gm100sc@2022" in shown
    assert "Province: Kalimantan Selatan — Rank 1 of 2" in shown
    assert "Cohort: 2019 — Rank 1 of 1" in shown
    assert page.count("<svg") == 2  # contributions and trend


def test_unknown_region_or_year_is_refused() -> None:
    items = assessment.read(KALSEL)
    with pytest.raises(ReportError) as exc:
        reports.html(items, region="Kota Kediri")
    assert exc.value.code == "report.region"
    assert "63.09 Kabupaten Tabalong" in exc.value.message("en")
    with pytest.raises(ReportError) as year:
        reports.html(items, region="63.03", year=2024)
    assert year.value.message("en") == "year 2024 is not in the file; it holds: 2021"
    with pytest.raises(ReportError) as group_year:
        reports.html(items, year=2020)
    assert group_year.value.code == "report.year"
    with pytest.raises(ReportError) as empty:
        reports.html([])
    assert empty.value.code == "report.empty"


def test_an_invalid_assessment_is_reported_not_scored() -> None:
    a = invalid_tabalong()
    shown = text_of(reports.html([a], lang="en"))
    assert "Not scored: the assessment is not valid" in shown
    assert "error" in shown


def test_missing_evidence_files_show_in_the_checklist(tmp_path: Path) -> None:
    shown = text_of(reports.html(assessment.read(TABALONG), lang="en", evidence_dir=tmp_path))
    assert "4 files missing" in shown
    assert "Evidence files were not checked" not in shown


def test_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "laporan.html"
    assert main(["report", str(TABALONG), "-o", str(out), "--lang", "en"]) == 0
    assert "Kabupaten Tabalong" in out.read_text(encoding="utf-8")
    assert str(out) in capsys.readouterr().err


def test_cli_default_name_and_stdout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["report", str(KALSEL)]) == 0
    assert (tmp_path / "kalsel-2021-2024-report.html").exists()
    assert main(["report", str(TABALONG), "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_cli_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["report", str(KALSEL), "--region", "Kota Kediri", "-o", str(tmp_path / "x.html")])
        == 2
    )
    assert "Kota Kediri" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "missing.json")]) == 2
    assert not (tmp_path / "x.html").exists()


def test_cli_findings_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    assessment.write(invalid_tabalong(), bad)
    assert main(["report", str(bad), "-o", str(tmp_path / "bad.html")]) == 1
    assert (tmp_path / "bad.html").exists()


def test_pdf_without_a_browser_is_a_clear_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    out = tmp_path / "r.html"
    assert main(["report", str(TABALONG), "-o", str(out), "--pdf", "--lang", "en"]) == 2
    assert "a PDF needs Chromium" in capsys.readouterr().err
    assert out.exists()  # the HTML report was still written
    assert not out.with_suffix(".pdf").exists()


def test_pdf_through_chromium(tmp_path: Path) -> None:
    browser = reports.find_browser()
    if browser is None:
        pytest.skip("no Chromium on the PATH (apt-get install chromium)")
    out = reports.write(reports.html(assessment.read(TABALONG)), tmp_path / "r.html")
    pdf = reports.pdf(out, tmp_path / "r.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_failing_browser_is_reported(tmp_path: Path) -> None:
    out = reports.write(reports.html(assessment.read(TABALONG)), tmp_path / "r.html")
    with pytest.raises(ReportError) as exc:
        reports.pdf(out, tmp_path / "r.pdf", browser="/bin/false")
    assert exc.value.code == "report.pdf-failed"
    assert not (tmp_path / "r.pdf").exists()
    assert list(tmp_path.iterdir()) == [out]


def test_a_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from kotacerdas import plots
    from kotacerdas.errors import MissingExtraError

    items = assessment.read(TABALONG)
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(MissingExtraError) as no_jinja:
        reports.html(items)
    assert "pip install 'kotacerdas[report]'" in no_jinja.value.message("en")
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError) as no_mpl:
        plots.contributions(scoring.score(items[0]))
    assert "kotacerdas[plots]" in no_mpl.value.message("en")
    assert isinstance(no_mpl.value, ImportError)
