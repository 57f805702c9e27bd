"""Sample HTML reports, made by the documentation build from the bundled examples.

Writes ``docs/_generated/reports/*.html`` when the build starts, so the how-to links to
reports made by the code it documents, never to a pasted copy.  Without Jinja2 or
matplotlib (the ``[report]`` extra) it writes a page saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

SAMPLES = {
    "laporan-tabalong-2023.html": ("tabalong-2023.json", {"lang": "id"}),
    "report-tabalong-2023-en.html": ("tabalong-2023.json", {"lang": "en"}),
    "report-kalsel-2021-2024-en.html": ("kalsel-2021-2024.json", {"lang": "en"}),
}


def generate(app: Sphinx) -> None:
    root = Path(app.srcdir).parent
    out = Path(app.srcdir) / "_generated" / "reports"
    out.mkdir(parents=True, exist_ok=True)
    from kotacerdas import assessment

    try:
        from kotacerdas import reports

        for name, (example, options) in SAMPLES.items():
            page = reports.html(assessment.read(root / "examples" / example), **options)
            reports.write(page, out / name)
    except ImportError as exc:  # MissingExtraError is an ImportError
        for name in SAMPLES:
            text = f"<p>Install kotacerdas[report] to build this sample: {exc}</p>"
            (out / name).write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
