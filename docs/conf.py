"""Sphinx configuration of the kotacerdas documentation.

Build (as CI does; no network needed)::

    sphinx-build -n -W --keep-going -b html docs docs/_build/html
    sphinx-build -n -W --keep-going -b doctest docs docs/_build/doctest

With ``KOTACERDAS_DOCS_ONLINE=1`` the build also links to the Python, pydantic, attrs,
NumPy, pandas and polars documentation through intersphinx, which downloads their
inventories when the build starts.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
# The local extensions, and the package itself for a build from a plain checkout.
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(ROOT / "src"))

import kotacerdas  # noqa: E402  (needs the path above)

# -- project --------------------------------------------------------------------------------

project = "kotacerdas"
author = "The kotacerdas developers"
copyright = "2026, The kotacerdas developers"
release = kotacerdas.__version__
version = ".".join(release.split(".")[:2])
language = "en"

# -- extensions -----------------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx_copybutton",
    "kc_frameworks",  # docs/_ext: pages generated from the data files and the catalogue
    "kc_pycon",  # docs/_ext: run MyST ">>>" blocks (e.g. the README's) as doctests
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "_ext", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- API reference --------------------------------------------------------------------------

autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False
napoleon_use_ivar = False

# -- cross-references ------------------------------------------------------------------------

nitpicky = True

def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in {"", "0", "false", "no"}


# intersphinx downloads each project's objects.inv when the build starts.  With no network
# every download fails with a warning, and -W turns that into an error, so the links to
# other projects are made only when asked for (KOTACERDAS_DOCS_ONLINE=1): the plain build
# works on any machine.  KOTACERDAS_DOCS_OFFLINE=1, the older switch, still wins.
ONLINE = _flag("KOTACERDAS_DOCS_ONLINE") and not _flag("KOTACERDAS_DOCS_OFFLINE")
intersphinx_mapping: dict[str, tuple[str, str | None]] = (
    {
        "python": ("https://docs.python.org/3", None),
        "pydantic": ("https://docs.pydantic.dev/latest/", None),
        "attrs": ("https://www.attrs.org/en/stable/", None),
        "numpy": ("https://numpy.org/doc/stable/", None),
        "pandas": ("https://pandas.pydata.org/docs/", None),
        "polars": ("https://docs.pola.rs/api/python/stable/", None),
    }
    if ONLINE
    else {}
)
intersphinx_timeout = 10

# References to types that live in other projects' documentation.  Online they resolve
# through intersphinx; offline there is no inventory to resolve them against, and
# nitpicky mode (-n) would report each one.  They are never broken links to
# kotacerdas's own API: references into `kotacerdas.*` stay fully checked.
_EXTERNAL_MODULES = (
    # the standard library, as type hints and docstrings name it
    "abc",
    "argparse",
    "collections",
    "collections.abc",
    "csv",
    "datetime",
    "decimal",
    "enum",
    "fractions",
    "importlib",
    "json",
    "os",
    "pathlib",
    "re",
    "tomllib",
    "types",
    "typing",
    # third-party libraries whose types appear in signatures
    "attr",
    "attrs",
    "pydantic",
    "pydantic_core",
    "numpy",
    "pandas",
    "polars",
    "narwhals",
    "hypothesis",
)
_BUILTINS = (
    "object",
    "str",
    "bytes",
    "int",
    "float",
    "bool",
    "complex",
    "list",
    "tuple",
    "dict",
    "set",
    "frozenset",
    "type",
    "None",
    "NoneType",
    "Ellipsis",
    "BaseException",
    "Exception",
    "ValueError",
    "LookupError",
    "KeyError",
    "IndexError",
    "OSError",
    "TypeError",
    "RuntimeError",
    "FileNotFoundError",
    "UnicodeDecodeError",
    "NotImplementedError",
    "BrokenPipeError",
    "SystemExit",
)
_module_alternatives = "|".join(m.replace(".", r"\.") for m in _EXTERNAL_MODULES)
nitpick_ignore_regex = [
    (r"py:.*", rf"({_module_alternatives})(\..+)?"),
    (r"py:.*", rf"({'|'.join(_BUILTINS)})(\..+)?"),
    # Private names (a leading underscore) are undocumented by design; a signature that
    # mentions one (a private helper type in a public function's hints) cannot link to it.
    (r"py:class", r"(kotacerdas(\.\w+)*\.)?_\w+"),
]

# Last resort, for references in src/ docstrings that point at nothing documented.  Each is
# a bug in src/ with a one-line fix; delete the entry once it is fixed.
nitpick_ignore: list[tuple[str, str]] = []

# -- doctest --------------------------------------------------------------------------------

# Names the docstrings of kotacerdas.model and kotacerdas.i18n use without importing.  The
# narrative pages have no hidden set-up: tests/test_docs_examples.py runs them as shown.
doctest_global_setup = """
from decimal import Decimal
from fractions import Fraction

import kotacerdas
from kotacerdas import frameworks
from kotacerdas.i18n import message
from kotacerdas.model import Level, Rubric, Text, normalise_key
"""

# -- HTML -----------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"kotacerdas {release}"
html_static_path: list[str] = []

copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True

# -- stop-gaps for docstrings in src/ -----------------------------------------------------------

# Google style lets the first line of an attribute's docstring be "type: description", and
# napoleon reads it so.  kotacerdas writes such docstrings as prose ("The value a reader
# sees: ...") and takes types from annotations, so napoleon would turn the prose before
# the colon into a bogus type reference, which nitpicky mode reports.  This handler runs
# after napoleon and puts such prose back: only a ":type:" of two or more words in a row
# (never a real type such as "str | None" or "tuple[str, ...]") is undone.
_PROSE = re.compile(r"[A-Za-z]+ +[A-Za-z]+")


def _undo_prose_types(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    del app, obj, options
    if what not in {"attribute", "data", "property"} or not name.startswith("kotacerdas"):
        return
    for i, line in enumerate(lines):
        if line.startswith(":type: ") and _PROSE.search(line.removeprefix(":type: ")):
            prose = line.removeprefix(":type: ").strip()
            del lines[i]
            if i and not lines[i - 1].strip():
                del lines[i - 1]
            first = next((j for j, text in enumerate(lines) if text.strip()), None)
            if first is None:
                lines.append(prose)
            else:
                lines[first] = f"{prose}: {lines[first].lstrip()}"
            return


# Docstrings that Sphinx misreads otherwise, patched before napoleon sees them.  Each entry
# is one object and one exact string; it does nothing once the docstring in src/ is
# fixed, and should then be deleted.
_DOCSTRING_STOPGAPS: dict[str, tuple[str, str]] = {}


def _apply_docstring_stopgaps(
    app: object, what: str, name: str, obj: object, options: object, lines: list[str]
) -> None:
    del app, what, obj, options
    stopgap = _DOCSTRING_STOPGAPS.get(name)
    if stopgap is None:
        return
    old, new = stopgap
    for i, line in enumerate(lines):
        if old in line:
            lines[i] = line.replace(old, new, 1)
            return


def setup(app: object) -> None:
    # napoleon's own handler has the default priority, 500.
    app.connect(  # type: ignore[attr-defined]
        "autodoc-process-docstring", _apply_docstring_stopgaps, priority=400
    )
    app.connect(  # type: ignore[attr-defined]
        "autodoc-process-docstring", _undo_prose_types, priority=600
    )
