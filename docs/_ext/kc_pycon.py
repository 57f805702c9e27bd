"""Sphinx extension: how the doctest builder groups examples.

* MyST turns a fenced block such as ``README.md``'s quick start (```` ```python ````
  whose first line starts with ``>>>``) into a plain literal block, which
  :mod:`sphinx.ext.doctest` ignores.  Such blocks are marked as doctests of the page's
  ``default`` group, so ``sphinx-build -b doctest`` runs them like ``{doctest}`` blocks;
  the HTML output is unchanged.  Blocks in another language (``console``, ``toml`` …)
  are left alone.
* The examples of each docstring pulled in by autodoc run in a group of their own, so
  that, as under :func:`doctest.testmod`, one docstring's names do not leak into the
  next.  The API pages give every group the module's namespace with a
  ``{testsetup} *`` block.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

PYTHON_LANGUAGES = frozenset({"python", "py", "pycon", "python3", "default", ""})


def mark_doctests(app: Sphinx, doctree: nodes.document) -> None:
    del app
    for block in doctree.findall(nodes.literal_block):
        if "testnodetype" in block:
            continue  # already a {doctest}/{testcode} block
        language = str(block.get("language", "")).lower()
        if language in PYTHON_LANGUAGES and block.astext().lstrip().startswith(">>>"):
            block["testnodetype"] = "doctest"
            block["groups"] = ["default"]
    for block in doctree.findall(nodes.doctest_block):
        source = block.source or ""
        if ":docstring of " in source:
            block["groups"] = ["docstring " + source.rsplit(":docstring of ", 1)[1]]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", mark_doctests)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
