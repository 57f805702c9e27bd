"""Sphinx extension: which examples the doctest builder runs.

* The narrative pages (tutorials, how-to guides, explanations, reference pages) are run by
  ``tests/test_docs_examples.py`` as a reader runs them: top to bottom, in a fresh folder
  holding only the files the page tells the reader to create or download, commands and
  printed output included. The doctest builder, which would run them from wherever
  ``sphinx-build`` was started and with set-up the reader never sees, leaves them alone.
* The examples of each docstring pulled in by autodoc run in a group of their own, so
  that, as under :func:`doctest.testmod`, one docstring's names do not leak into the
  next.  The API pages (``reference/api/``) give every group the module's namespace with
  a ``{testsetup} *`` block.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

API_PAGES = "reference/api/"


def mark_doctests(app: Sphinx, doctree: nodes.document) -> None:
    if not app.env.docname.startswith(API_PAGES):
        for block in doctree.findall(lambda node: "testnodetype" in node):
            del block["testnodetype"]
    for block in doctree.findall(nodes.doctest_block):
        source = block.source or ""
        if ":docstring of " in source:
            block["groups"] = ["docstring " + source.rsplit(":docstring of ", 1)[1]]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", mark_doctests)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
