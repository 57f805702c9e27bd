"""The HTML reports as a person sees them: opened in headless Chromium at phone and desktop widths.

Needs Playwright for Python (the ``[browser]`` extra) and a Chromium on the ``PATH`` (Debian's
``chromium`` package; ``.ci/run`` installs it).  Without either, every test here is skipped with
the reason, never passed.  Screenshots go to ``$KOTACERDAS_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from kotacerdas import assessment, reports
from kotacerdas.assessment import Programme

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")
sync_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parents[1]
TABALONG = ROOT / "examples" / "tabalong-2023.json"
KALSEL = ROOT / "examples" / "kalsel-2021-2024.json"
HOSTILE = '<script>window.HACKED=1</script><img src=x onerror="window.HACKED=2">'
WIDTHS = {"phone": 390, "desktop": 1280}

# Elements whose content is wider than their box (a table column or word pushed out of
# its cell or page); figures scale to fit.
OVERFLOW = """() => {
  const bad = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) bad.push('page ' + root.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible'
        && el.clientWidth > 0) bad.push(el.tagName + ': ' + el.textContent.slice(0, 40));
    if (r.right > window.innerWidth + 1)
      bad.push('off-page ' + el.tagName + ': ' + el.textContent.slice(0, 40));
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    exe = reports.find_browser()
    if exe is None:
        pytest.skip("no Chromium on the PATH: apt-get install chromium")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


def hostile() -> assessment.Assessment:
    a = assessment.read_one(TABALONG)
    return attrs.evolve(
        a,
        region="63.09",
        programmes=(*a.programmes, Programme(HOSTILE, node="G")),
        meta={**a.meta, "title": HOSTILE},
    )


PAGES = {
    "tabalong-en": lambda: reports.html(assessment.read(TABALONG), lang="en"),
    "tabalong-in-group-id": lambda: reports.html(
        assessment.read(KALSEL), region="63.09", year=2023
    ),
    "kalsel-en": lambda: reports.html(assessment.read(KALSEL), lang="en"),
    "hostile-en": lambda: reports.html([hostile()], lang="en"),
}
EXPECTED = {
    "tabalong-en": ["Kabupaten Tabalong", "3.38", "3.375 – 3.385", "Evidence checklist"],
    "tabalong-in-group-id": ["Kabupaten Tabalong", "3.38", "Kota Banjarmasin", "Daftar eviden"],
    "kalsel-en": ["Kalimantan Selatan", "Kota Banjarmasin", "3.57", "Kabupaten Banjar"],
    "hostile-en": ["Kabupaten Tabalong", "3.38", HOSTILE],
}


def open_page(
    browser: Any, html: str, tmp_path: Path, width: int, **context: Any
) -> tuple[Any, list[str]]:
    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    ctx = browser.new_context(viewport={"width": width, "height": 900}, **context)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: errors.append("request " + r.url) if not r.url.startswith("file:") else None,
    )
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


def screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("KOTACERDAS_SCREENSHOTS")
    page.screenshot(
        path=str(Path(folder or ".") / f"{name}.png") if folder else None, full_page=True
    )


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("name", sorted(PAGES))
def test_report_in_a_browser(browser: Any, tmp_path: Path, name: str, width: str) -> None:
    page, errors = open_page(browser, PAGES[name](), tmp_path, WIDTHS[width])
    screenshot(page, f"{name}-{width}")
    assert errors == []  # no console errors, no network requests
    for text in EXPECTED[name]:
        assert page.get_by_text(text, exact=False).first.is_visible(), text
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate("window.HACKED") is None
    page.context.close()


def test_injected_script_shows_as_text_and_does_not_run(browser: Any, tmp_path: Path) -> None:
    page, errors = open_page(browser, PAGES["hostile-en"](), tmp_path, 1280)
    assert page.evaluate("window.HACKED") is None
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    assert page.get_by_text("<script>window.HACKED=1</script>", exact=False).count() >= 2
    assert errors == []
    page.context.close()


def test_readable_without_javascript(browser: Any, tmp_path: Path) -> None:
    page, _ = open_page(browser, PAGES["tabalong-en"](), tmp_path, 1280, java_script_enabled=False)
    assert page.get_by_text("Components and their contributions").is_visible()
    assert page.locator("svg.figure").first.is_visible()
    page.context.close()


def test_prints_on_a4(browser: Any, tmp_path: Path) -> None:
    page, _ = open_page(browser, PAGES["tabalong-en"](), tmp_path, 794)  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert page.evaluate(OVERFLOW) == []
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 6
    page.context.close()


def test_index_value_is_the_scored_one(browser: Any, tmp_path: Path) -> None:
    page, _ = open_page(browser, PAGES["tabalong-en"](), tmp_path, 1280)
    assert Decimal(page.get_by_test_id("index").inner_text()) == Decimal("3.38")
    page.context.close()
