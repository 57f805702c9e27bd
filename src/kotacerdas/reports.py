"""Printable HTML reports of a regency-year or a group of regions (the ``[report]`` extra).

:func:`html` turns assessments into one self-contained page: inline SVG figures and CSS,
no network, no JavaScript, laid out for a screen and for A4 paper.  A report of one region
shows its index with the interval the rounded inputs allow, whether the published value
fits, what each component contributes, its dimension profile, its trend, where it stands
among the regions of its province and cohort in the same file, the evidence checklist, every
finding, and the source and confidence of every framework number on the page.  A report of
several regions ranks them and maps them over the years.

Every text that comes from a file is escaped (Jinja2 autoescaping, and matplotlib's own SVG
escaping in the figures): a programme named ``<script>…`` is shown, never run.

>>> from kotacerdas import assessment, reports
>>> page = reports.html(assessment.read("examples/tabalong-2023.json"), lang="en")
>>> "Kabupaten Tabalong" in page and "3.38" in page and "<script" not in page
True

:func:`pdf` prints a written report to PDF through headless Chromium, when it is installed.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from kotacerdas import __version__
from kotacerdas.errors import KotaCerdasError, MissingExtraError, ReportError
from kotacerdas.i18n import Lang, resolve_language

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from kotacerdas.assessment import Assessment
    from kotacerdas.model import Framework, Provenance
    from kotacerdas.scoring import Result
    from kotacerdas.validation import Finding, Report

__all__ = ["BROWSERS", "find_browser", "html", "pdf", "write"]

BROWSERS: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "chrome")
"""Executable names :func:`find_browser` looks for on the ``PATH``, in order."""

_L: Mapping[str, tuple[str, str]] = {
    "report": ("Laporan", "Report"),
    "region.title": ("Laporan evaluasi {framework} {year}", "{framework} evaluation report {year}"),
    "group.title": ("Laporan evaluasi {framework}", "{framework} evaluation report"),
    "group.regions": ("{n} wilayah", "{n} regions"),
    "index": ("Indeks", "Index"),
    "bounds": ("Rentang dari masukan yang dibulatkan", "Range the rounded inputs allow"),
    "exact": ("Nilai eksak", "Exact value"),
    "predicate": ("Predikat", "Predicate"),
    "published": ("Nilai terpublikasi", "Published value"),
    "consistency": ("Kesesuaian dengan nilai terpublikasi", "Consistency with the published value"),
    "no-published": (
        "Berkas tidak memuat nilai indeks terpublikasi.",
        "The file gives no published index value.",
    ),
    "components": ("Komponen dan kontribusinya", "Components and their contributions"),
    "component": ("Komponen", "Component"),
    "value": ("Nilai", "Score"),
    "weight": ("Bobot", "Weight"),
    "contribution": ("Kontribusi", "Contribution"),
    "confidence": ("Keyakinan", "Confidence"),
    "profile": ("Profil dimensi", "Dimension profile"),
    "no-dimensions": (
        "Penilaian ini tidak memuat nilai enam dimensi; program per dimensi ditunjukkan di bawah.",
        "This assessment gives no scores for the six dimensions; its programmes per dimension "
        "are listed below.",
    ),
    "programmes": ("Program", "Programmes"),
    "dimension": ("Dimensi", "Dimension"),
    "trend": ("Tren", "Trend"),
    "year": ("Tahun", "Year"),
    "change": ("Perubahan", "Change"),
    "edition": ("Edisi", "Edition"),
    "one-year": (
        "Berkas hanya memuat satu tahun untuk wilayah ini; tren memerlukan beberapa tahun.",
        "The file holds one year of this region; a trend needs several.",
    ),
    "position": ("Posisi di provinsi dan kohort", "Position in its province and cohort"),
    "position.note": (
        "Peringkat di antara wilayah dalam berkas yang sama, tahun yang sama; "
        "bukan peringkat nasional resmi.",
        "Ranks among the regions of the same file and year; not the official national ranking.",
    ),
    "province": ("Provinsi", "Province"),
    "cohort": ("Kohort", "Cohort"),
    "rank": ("Peringkat", "Rank"),
    "rank.of": ("{rank} dari {n}", "{rank} of {n}"),
    "no-cohort": ("tidak tercatat", "not recorded"),
    "region": ("Wilayah", "Region"),
    "code": ("Kode", "Code"),
    "evidence": ("Daftar eviden", "Evidence checklist"),
    "evidence.summary": (
        "{n} eviden: {accepted} diterima, {rejected} ditolak, {pending} belum diputuskan, "
        "{late} terlambat, {missing} berkas hilang",
        "{n} items: {accepted} accepted, {rejected} rejected, {pending} undecided, "
        "{late} late, {missing} files missing",
    ),
    "evidence.unchecked": (
        "Berkas eviden tidak diperiksa (tidak ada folder eviden).",
        "Evidence files were not checked (no evidence folder given).",
    ),
    "no-evidence": ("Penilaian ini tidak memuat eviden.", "This assessment lists no evidence."),
    "title": ("Judul", "Title"),
    "kind": ("Jenis", "Kind"),
    "stage": ("Tahap", "Stage"),
    "submitted": ("Diserahkan", "Submitted"),
    "decision": ("Keputusan", "Decision"),
    "status": ("Status", "Status"),
    "accepted": ("diterima", "accepted"),
    "rejected": ("ditolak", "rejected"),
    "pending": ("belum diputuskan", "undecided"),
    "late": ("terlambat", "late"),
    "missing": ("berkas hilang", "file missing"),
    "changed": ("berkas berubah", "file changed"),
    "findings": ("Temuan", "Findings"),
    "no-findings": ("Tidak ada temuan.", "No findings."),
    "no-findings.others": (
        "Tidak ada temuan pada {n} penilaian lainnya.",
        "No findings in the other {n} assessments.",
    ),
    "severity": ("Tingkat", "Severity"),
    "error": ("galat", "error"),
    "warning": ("peringatan", "warning"),
    "where": ("Lokasi", "Where"),
    "message": ("Pesan", "Message"),
    "provenance": ("Asal angka kerangka", "Where the framework numbers come from"),
    "provenance.note": (
        "Setiap angka kerangka pada laporan ini, dengan sumber dan tingkat keyakinannya.",
        "Every framework number in this report, with its source and how sure the record is.",
    ),
    "datum": ("Angka", "Number"),
    "source": ("Sumber", "Source"),
    "scale.min": ("Nilai terendah skala", "Scale minimum"),
    "scale.max": ("Nilai tertinggi skala", "Scale maximum"),
    "decimals": ("Desimal nilai terpublikasi", "Decimals of published values"),
    "rounding": ("Pembulatan", "Rounding"),
    "datum.value": ("Nilai", "Value"),
    "half_up": ("setengah ke atas", "half up"),
    "half_even": ("setengah ke genap", "half even"),
    "data-sources": ("Sumber data penilaian", "Sources of the assessment data"),
    "ranking": ("Peringkat", "Ranking"),
    "heatmap": ("Indeks per wilayah dan tahun", "Index by region and year"),
    "latest": ("Tahun terakhir", "Latest year"),
    "not-valid": (
        "Tidak dinilai: penilaian tidak sah (lihat temuan).",
        "Not scored: the assessment is not valid (see findings).",
    ),
    "footer": (
        "Dibuat oleh kotacerdas {version} dengan {framework}. Angka dihitung eksak dari data "
        "kerangka; nilai bertanda ilustratif bukan data resmi.",
        "Made by kotacerdas {version} with {framework}. Numbers are computed exactly from the "
        "framework data; values marked illustrative are not official.",
    ),
    "illustrative": ("ilustratif", "illustrative"),
    "confirmed": ("terkonfirmasi", "confirmed"),
    "inferred": ("inferensi", "inferred"),
    "uncertain": ("tidak pasti", "uncertain"),
    "assumed": ("asumsi", "assumed"),
    "not_published": ("tidak dipublikasikan", "not published"),
    "quick-win": ("quick win", "quick win"),
    "none": ("—", "—"),
}


def _labels(lang: Lang) -> dict[str, str]:
    i = 0 if lang == "id" else 1
    return {k: v[i] for k, v in _L.items()}


# -- the data of a report -----------------------------------------------------------------------


@attrs.frozen
class _Scored:
    """One assessment, its validation report and (when valid) its result."""

    assessment: Assessment
    report: Report
    result: Result | None


def _score_all(
    items: Sequence[Assessment], evidence_dir: str | os.PathLike[str] | None
) -> list[_Scored]:
    from kotacerdas import evidence, frameworks, scoring, validation

    out = []
    for a in items:
        fw = frameworks.load(a.framework_ref)
        report = validation.validate(a, fw)
        if evidence_dir is not None:
            extra = evidence.verify(a, evidence_dir)
            report = validation.Report(report.assessment, report.framework, report.findings + extra)
        result = scoring.score(a, fw) if report.valid else None
        out.append(_Scored(a, report, result))
    return out


def _region(code: str) -> Any:
    from kotacerdas import regions

    return regions.get(code)


def _name(code: str) -> str:
    found = _region(code)
    return found.name if found is not None else code


def _rank(values: Mapping[str, Decimal]) -> dict[str, int]:
    """Competition ranks (1, 2, 2, 4), highest value first."""
    ordered = sorted(values.values(), reverse=True)
    return {k: ordered.index(v) + 1 for k, v in values.items()}


def _sources(p: Provenance) -> list[dict[str, str | None]]:
    return [{"url": _link(s.url), "text": s.title or s.url or s.key or ""} for s in p.sources]


def _link(url: str | None) -> str | None:
    """*url* when it is a web address; a ``javascript:`` or ``data:`` link is shown as text."""
    return url if url is not None and url.startswith(("https://", "http://")) else None


def _provenance_row(
    datum: str, value: str, p: Provenance, t: Mapping[str, str], lang: Lang
) -> dict[str, Any]:
    return {
        "datum": datum,
        "value": value,
        "confidence": p.confidence.value,
        "confidence_text": t[p.confidence.value],
        "sources": _sources(p),
        "note": None if p.note is None else p.note.get(lang),
    }


def _provenance_rows(
    fw: Framework, result: Result, t: Mapping[str, str], lang: Lang
) -> list[dict[str, Any]]:
    """One row per framework number on the page; weights with the same record share a row."""
    rows: list[dict[str, Any]] = []
    for code in result.contributions():
        node = fw.node(code)
        share = fw.share(code)
        value = "—" if share is None else f"{float(share) * 100:g} %"
        row = _provenance_row(
            f"{t['weight']} {node.label.get(lang)}", value, node.provenance_of("weight"), t, lang
        )
        last = rows[-1] if rows else None
        if last is not None and all(last[k] == row[k] for k in ("confidence", "sources", "note")):
            last["datum"] += f", {node.label.get(lang)}"
            last["value"] += f" / {value}"
        else:
            rows.append(row)
    scale = fw.node(result.index_code).scale or fw.scale
    if scale is not None:

        def of(field: str) -> Provenance:
            return scale.provenance_of(field) or fw.provenance

        rows.append(_provenance_row(t["scale.min"], str(scale.minimum), of("minimum"), t, lang))
        rows.append(_provenance_row(t["scale.max"], str(scale.maximum), of("maximum"), t, lang))
        if scale.decimals is not None:
            rows.append(
                _provenance_row(t["decimals"], str(scale.decimals), of("decimals"), t, lang)
            )
            rows.append(_provenance_row(t["rounding"], t[scale.rounding], of("rounding"), t, lang))
    if fw.predicates is not None:
        p = fw.predicates.provenance
        for band in fw.predicates.bands:
            low = "" if band.lower is None else str(band.lower)
            high = "" if band.upper is None else str(band.upper)
            rows.append(
                _provenance_row(
                    f"{t['predicate']} {band.label.get(lang)}", f"{low} – {high}", p, t, lang
                )
            )
    return rows


_EVIDENCE_PATH = re.compile(r"^evidence\[(\d+)\]")


def _evidence(
    s: _Scored, fw: Framework, checked: bool, t: Mapping[str, str], lang: Lang
) -> dict[str, Any]:
    stages = {st.code: st.label.get(lang) for st in fw.stages}
    flags: dict[int, set[str]] = {}
    for f in s.report.findings:
        m = _EVIDENCE_PATH.match(f.path)
        if m is None:
            continue
        kind = {
            "evidence.late": "late",
            "evidence.missing": "missing",
            "evidence.changed": "changed",
        }
        if f.code in kind:
            flags.setdefault(int(m.group(1)), set()).add(kind[f.code])
    items = []
    counts = dict.fromkeys(("accepted", "rejected", "pending", "late", "missing"), 0)
    for i, e in enumerate(s.assessment.evidence):
        decision = e.decision.value if e.decision is not None else "pending"
        decision = decision if decision in ("accepted", "rejected") else "pending"
        counts[decision] += 1
        marks = sorted(flags.get(i, ()))
        for mark in marks:
            if mark in counts:
                counts[mark] += 1
        items.append(
            {
                "code": e.code or str(i + 1),
                "title": e.title,
                "kind": e.kind,
                "stage": e.stage,
                "stage_text": None if e.stage is None else stages.get(e.stage, e.stage),
                "submitted": None
                if e.submitted_at is None
                else e.submitted_at.strftime("%Y-%m-%d %H:%M"),
                "decision": decision,
                "decision_text": t[decision],
                "reason": e.reason,
                "flags": [{"key": m, "text": t[m]} for m in marks],
                "illustrative": e.illustrative,
            }
        )
    return {
        "items": items,
        "summary": t["evidence.summary"].format(n=len(items), **counts),
        "checked": checked,
    }


def _findings(s: _Scored, lang: Lang, t: Mapping[str, str]) -> list[dict[str, str]]:
    def row(f: Finding) -> dict[str, str]:
        return {
            "severity": f.severity,
            "severity_text": t[f.severity],
            "code": f.code,
            "path": f.path,
            "message": f.message(lang),
        }

    return [row(f) for f in s.report.findings]


# -- figures ------------------------------------------------------------------------------------


def _svg(
    draw: Callable[[Axes], object], size: tuple[float, float], n: int, polar: bool = False
) -> str:
    """The figure *draw* makes, as inline SVG with ids made unique by *n*."""
    figure = importlib.import_module("matplotlib.figure")
    from kotacerdas.plots import STYLE

    mpl = importlib.import_module("matplotlib")
    with mpl.rc_context(dict(STYLE)):
        fig = figure.Figure(figsize=size, layout="constrained")
        ax = fig.add_subplot(projection="polar" if polar else None)
        draw(ax)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    prefix = f"f{n}-"
    text = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', text)
    text = text.replace("url(#", f"url(#{prefix}").replace('href="#', f'href="#{prefix}')
    return text.replace("<svg ", '<svg class="figure" ', 1)


class _Figures:
    def __init__(self) -> None:
        self.n = 0

    def __call__(
        self, draw: Callable[[Axes], object], size: tuple[float, float], polar: bool = False
    ) -> Any:
        markupsafe = importlib.import_module("markupsafe")
        self.n += 1
        return markupsafe.Markup(_svg(draw, size, self.n, polar))


# -- pages --------------------------------------------------------------------------------------


def _environment() -> Any:
    try:
        jinja2 = importlib.import_module("jinja2")
        importlib.import_module("matplotlib")
    except ImportError as exc:
        name = getattr(exc, "name", None) or "jinja2"
        raise MissingExtraError("extra.missing", package=name, extra="report") from exc
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kotacerdas", "_templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _region_context(
    scored: list[_Scored],
    pick: _Scored,
    lang: Lang,
    t: Mapping[str, str],
    figures: _Figures,
    checked: bool,
) -> dict[str, Any]:
    from kotacerdas import frameworks, plots, regions

    a = pick.assessment
    fw = frameworks.load(a.framework_ref)
    region = _region(a.region)
    ctx: dict[str, Any] = {
        "kind": "region",
        "code": a.region,
        "name": _name(a.region),
        "year": a.year,
        "framework": fw,
        "framework_title": fw.title.get(lang),
        "meta": dict(a.meta),
        "result": None,
    }
    res = pick.result
    if res is not None:
        idx = res.index
        parts = res.contributions()
        ctx["result"] = res
        ctx["index"] = {
            "value": idx.value,
            "exact": idx.exact,
            "bounds": idx.bounds,
            "predicate": None if idx.predicate is None else idx.predicate.label.get(lang),
            "consistency": None if res.consistency is None else res.consistency.message(lang),
            "consistent": None if res.consistency is None else res.consistency.consistent,
            "published": None if res.consistency is None else res.consistency.published,
        }
        ctx["components"] = [
            {
                "code": code,
                "label": fw.node(code).label.get(lang),
                "value": res.nodes[code].value,
                "illustrative": any(s.illustrative for s in a.scores if s.node == code),
                "weight": fw.share(code),
                "weight_text": "—"
                if fw.share(code) is None
                else f"{float(fw.share(code) or 0) * 100:g} %",
                "confidence": fw.node(code).provenance_of("weight").confidence.value,
                "confidence_text": t[fw.node(code).provenance_of("weight").confidence.value],
                "contribution": parts[code],
            }
            for code in parts
        ]
        ctx["contributions_svg"] = figures(
            lambda ax: plots.contributions(res, ax=ax, lang=lang), (6.6, 2.9)
        )
        dims = [
            n
            for n in fw.nodes("dimension")
            if (s := res.nodes.get(n.code)) and s.value is not None and not s.derived
        ]
        if dims:
            ctx["profile_svg"] = figures(
                lambda ax: plots.profile(res, ax=ax, lang=lang), (6.0, 2.9)
            )
        if fw.id == "spbe" and fw.predicates is not None:
            ctx["spbe_svg"] = figures(
                lambda ax: plots.spbe_profile(res, ax=ax, lang=lang), (6.6, 2.8)
            )
        ctx["provenance"] = _provenance_rows(fw, res, t, lang)
    dims_by_code = {n.code: n.label.get(lang) for n in fw.nodes("dimension")}
    programmes: dict[str, list[dict[str, Any]]] = {}
    for p in a.programmes:
        key = dims_by_code.get(p.node or "", p.node or "—")
        programmes.setdefault(key, []).append(
            {"name": p.name, "opd": p.opd, "quick_win": p.quick_win}
        )
    ctx["programmes"] = programmes

    # trend: every valid year of this region in the file
    own = sorted(
        (s for s in scored if s.assessment.region == a.region and s.result),
        key=lambda s: s.assessment.year,
    )
    ctx["trend"] = [
        {
            "year": s.assessment.year,
            "value": s.result.index.value if s.result else None,
            "edition": s.assessment.framework_ref,
            "change": None,
        }
        for s in own
    ]
    for prev, row in zip(ctx["trend"], ctx["trend"][1:], strict=False):
        if prev["value"] is not None and row["value"] is not None:
            row["change"] = row["value"] - prev["value"]
    if len(own) > 1:
        mine = [s.result for s in own if s.result is not None]
        ctx["trend_svg"] = figures(lambda ax: plots.trend(mine, ax=ax, lang=lang), (6.6, 2.8))

    # position among the same year's regions of the file, in its province and its cohort
    same_year = {
        s.assessment.region: s.result.index.value
        for s in scored
        if s.assessment.year == a.year and s.result and s.result.index.value is not None
    }
    position = []
    if region is not None and a.region in same_year:
        province = regions.province_code(region)
        peers = {
            c: v
            for c, v in same_year.items()
            if (r := _region(c)) is not None and regions.province_code(r) == province
        }
        position.append(
            {
                "what": t["province"],
                "group": _name(province),
                "rank": _rank(peers)[a.region],
                "n": len(peers),
                "peers": _peer_rows(peers),
            }
        )
        cohort = regions.cohort_of(region)
        if cohort:
            peers = {
                c: v
                for c, v in same_year.items()
                if (r := _region(c)) is not None and regions.cohort_of(r)[:1] == cohort[:1]
            }
            position.append(
                {
                    "what": t["cohort"],
                    "group": str(cohort[0]),
                    "rank": _rank(peers)[a.region],
                    "n": len(peers),
                    "peers": _peer_rows(peers),
                }
            )
        else:
            position.append(
                {"what": t["cohort"], "group": t["no-cohort"], "rank": None, "n": 0, "peers": []}
            )
    ctx["position"] = position
    ctx["evidence"] = _evidence(pick, fw, checked, t, lang)
    ctx["findings"] = _findings(pick, lang, t)
    ctx["data_sources"] = (a.meta.get("sources") or "").split()
    return ctx


def _peer_rows(values: Mapping[str, Decimal]) -> list[dict[str, Any]]:
    ranks = _rank(values)
    return sorted(
        ({"code": c, "name": _name(c), "value": v, "rank": ranks[c]} for c, v in values.items()),
        key=lambda r: (r["rank"], r["code"]),
    )


def _group_context(
    scored: list[_Scored], year: int | None, lang: Lang, t: Mapping[str, str], figures: _Figures
) -> dict[str, Any]:
    from kotacerdas import frameworks, plots, regions

    codes = sorted({s.assessment.region for s in scored})
    provinces = {regions.province_code(r) for c in codes if (r := _region(c)) is not None}
    fw_id = scored[0].assessment.framework
    years_held = sorted({s.assessment.year for s in scored})
    if year is not None and year not in years_held:
        raise ReportError("report.year", year=year, years=", ".join(map(str, years_held)))
    latest = year if year is not None else years_held[-1]
    latest_fw = frameworks.load(
        next(s.assessment.framework_ref for s in scored if s.assessment.year == latest)
    )
    group = (
        _name(next(iter(provinces)))
        if len(provinces) == 1
        else t["group.regions"].format(n=len(codes))
    )
    valid = [s for s in scored if s.result is not None]
    years = sorted({s.assessment.year for s in scored})
    by_year: dict[int, dict[str, Decimal]] = {}
    for s in valid:
        if s.result is not None and s.result.index.value is not None:
            by_year.setdefault(s.assessment.year, {})[s.assessment.region] = s.result.index.value
    ranking: list[dict[str, Any]] = []
    for s in sorted(valid, key=lambda s: s.assessment.region):
        if s.assessment.year != latest or s.result is None:
            continue
        idx = s.result.index
        ranking.append(
            {
                "code": s.assessment.region,
                "name": _name(s.assessment.region),
                "value": idx.value,
                "bounds": idx.bounds,
                "rank": _rank(by_year.get(latest, {})).get(s.assessment.region),
                "consistent": None
                if s.result.consistency is None
                else s.result.consistency.consistent,
                "consistency": None
                if s.result.consistency is None
                else s.result.consistency.message(lang),
            }
        )
    ranking.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["code"]))
    table = [
        {"code": c, "name": _name(c), "values": [by_year.get(y, {}).get(c) for y in years]}
        for c in codes
    ]
    ctx: dict[str, Any] = {
        "kind": "group",
        "group": group,
        "framework_id": fw_id,
        "framework": latest_fw,
        "framework_title": latest_fw.title.get(lang),
        "latest": latest,
        "years": years,
        "ranking": ranking,
        "table": table,
        "regions": [{"code": c, "name": _name(c)} for c in codes],
        "findings": [
            {
                "code": s.assessment.region,
                "name": _name(s.assessment.region),
                "year": s.assessment.year,
                "rows": _findings(s, lang, t),
                "valid": s.report.valid,
            }
            for s in scored
        ],
    }
    latest_ranks: dict[str, int] = {
        str(r["code"]): int(r["rank"]) for r in ranking if r["rank"] is not None
    }
    if len(latest_ranks) > 1:
        ctx["ranking_svg"] = figures(
            lambda ax: plots.ranking(latest_ranks, ax=ax, lang=lang),
            (6.4, 0.34 * len(latest_ranks) + 1.3),
        )
    results = [s.result for s in valid if s.result is not None]
    if len(years) > 1 and results:
        ctx["heatmap_svg"] = figures(
            lambda ax: plots.heatmap(results, ax=ax, lang=lang), (6.4, 0.42 * len(codes) + 1.4)
        )
        ctx["trend_svg"] = figures(lambda ax: plots.trend(results, ax=ax, lang=lang), (6.6, 3.0))
    pick = next((s for s in valid if s.assessment.year == latest and s.result is not None), None)
    ctx["provenance"] = (
        []
        if pick is None or pick.result is None
        else _provenance_rows(latest_fw, pick.result, t, lang)
    )
    return ctx


def html(
    assessments: Sequence[Assessment],
    *,
    region: str | None = None,
    year: int | None = None,
    lang: str | None = None,
    evidence_dir: str | os.PathLike[str] | None = None,
) -> str:
    """The report of *assessments* as one self-contained HTML page.

    Args:
        assessments: What a file holds (:func:`kotacerdas.assessment.read`).
        region: Report on this region (code or name).  Default: the one region in
            *assessments*; a group report when there are several.
        year: The year to report (default: the latest): of the region, or of the
            ranking in a group report.
        lang: ``"id"`` or ``"en"`` (default: :func:`kotacerdas.i18n.default_language`).
        evidence_dir: A folder of evidence files whose SHA-256 to verify, so missing
            and changed files show in the checklist.

    Raises:
        ReportError: nothing to report, or *region* or *year* is not in *assessments*.
        MissingExtraError: Jinja2 or matplotlib is not installed.
    """
    lang_ = resolve_language(lang)
    env = _environment()
    items = list(assessments)
    if not items:
        raise ReportError("report.empty", path="<data>")
    scored = _score_all(items, evidence_dir)
    t = _labels(lang_)
    figures = _Figures()
    codes = sorted({a.region for a in items})
    if region is not None:
        code = _resolve(region, codes)
    elif len(codes) == 1:
        code = codes[0]
    else:
        ctx = _group_context(scored, year, lang_, t, figures)
        return str(
            env.get_template("page.html.j2").render(t=t, lang=lang_, version=__version__, **ctx)
        )
    mine = [s for s in scored if s.assessment.region == code]
    if year is not None:
        held = sorted({s.assessment.year for s in mine})
        mine = [s for s in mine if s.assessment.year == year]
        if not mine:
            raise ReportError("report.year", year=year, years=", ".join(map(str, held)))
    pick = max(mine, key=lambda s: (s.assessment.year, s.result is not None))
    ctx = _region_context(scored, pick, lang_, t, figures, evidence_dir is not None)
    return str(env.get_template("page.html.j2").render(t=t, lang=lang_, version=__version__, **ctx))


def _resolve(region: str, codes: Sequence[str]) -> str:
    from kotacerdas import regions

    if region in codes:
        return region
    try:
        found = regions.resolve_unit(region, {c: c for c in codes}).code
    except KotaCerdasError:
        found = None
    if found not in codes:
        listing = ", ".join(f"{c} {_name(c)}" for c in codes)
        raise ReportError("report.region", region=region, regions=listing)
    return str(found)


def write(page: str, path: str | os.PathLike[str]) -> Path:
    """Write *page* to *path* atomically; return the path."""
    from kotacerdas._arguments import expect, path_of
    from kotacerdas._files import write_atomic

    p = path_of(path, "reports.write")
    expect(page, str, "reports.write", "page")
    write_atomic(p, page)
    return p


def find_browser() -> str | None:
    """The path of a Chromium (or Chrome) executable on the ``PATH``, if there is one."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def pdf(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str],
    *,
    browser: str | None = None,
    timeout: float = 120.0,
) -> Path:
    """Print the report at *html_path* to *pdf_path* (A4) with headless Chromium.

    The PDF is written next to its final name and moved there once complete.

    Raises:
        ReportError: no browser was found (``report.no-browser``) or it failed
            (``report.pdf-failed``).
    """
    exe = browser or find_browser()
    src = Path(html_path).resolve()
    if exe is None:
        raise ReportError("report.no-browser", path=str(html_path))
    target = Path(pdf_path)
    fd, tmp = tempfile.mkstemp(
        suffix=".pdf", dir=target.parent.resolve() if str(target.parent) else None
    )
    os.close(fd)
    with tempfile.TemporaryDirectory() as profile:
        command = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={tmp}",
            src.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            Path(tmp).unlink(missing_ok=True)
            raise ReportError("report.pdf-failed", path=str(html_path), reason=str(exc)) from exc
    if done.returncode != 0 or Path(tmp).stat().st_size == 0:
        Path(tmp).unlink(missing_ok=True)
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise ReportError("report.pdf-failed", path=str(html_path), reason=reason)
    os.replace(tmp, target)
    return target
