"""Every bound on what the library reads, in one place.

Inputs come from people and programs the reader does not control, so each reader
checks these bounds *before* the work they guard (the size of a file before reading
it, the sizes in a zip directory before inflating anything) and refuses with its own
error, never with a hang, a memory error or a traceback.  Everything inside the
bounds runs in time linear (or n log n) in its size.

>>> from kotacerdas import limits
>>> limits.MAX_NODES, limits.MAX_TREE_DEPTH
(100000, 32)

The reference page *Limits* lists each bound with the message that refuses it.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MAX_BAG_BYTES",
    "MAX_BAG_FILES",
    "MAX_CELL_CHARS",
    "MAX_DATA_MAGNITUDE",
    "MAX_DEPTH",
    "MAX_EXTENDS",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_NUMBER_DIGITS",
    "MAX_NUMBER_EXPONENT",
    "MAX_PATH_CHARS",
    "MAX_ROWS",
    "MAX_TREE_DEPTH",
    "MAX_UNPACKED_BYTES",
    "MAX_ZIP_ENTRIES",
    "MAX_ZIP_RATIO",
]

MAX_FILE_BYTES: Final = 32 * 1024 * 1024
"""Largest file the library reads (32 MiB): framework, assessment, CSV or ``.xlsx``."""

MAX_DEPTH: Final = 64
"""Deepest nesting of tables and arrays in a TOML or JSON file."""

MAX_TREE_DEPTH: Final = 32
"""Deepest framework tree: a root and at most 32 levels below it."""

MAX_NODES: Final = 100_000
"""Most nodes in one framework."""

MAX_EXTENDS: Final = 8
"""Longest chain of overlays (``extends``) before a complete framework."""

MAX_ROWS: Final = 100_000
"""Most data rows in an assessment table (CSV or the first sheet of an ``.xlsx``)."""

MAX_CELL_CHARS: Final = 32_767
"""Longest text in one spreadsheet cell (Excel's own limit)."""

MAX_NUMBER_DIGITS: Final = 60
"""Most significant digits of a number in an input file."""

MAX_NUMBER_EXPONENT: Final = 60
"""Numbers must lie within ``1e-60`` and ``1e60`` in magnitude (or be zero)."""

MAX_DATA_MAGNITUDE: Final = 1e100
"""Largest magnitude of an indicator value the engine uses (the least non-zero: ``1e-100``).

Far beyond any real indicator, and far enough inside the float range (about ``1e308``)
that normalising and aggregating them (differences, squares, reciprocals) cannot
overflow; what still would (a power in a treatment, your own aggregator) is refused.
"""

MAX_PATH_CHARS: Final = 1024
"""Longest evidence path, relative to the evidence folder."""

MAX_ZIP_ENTRIES: Final = 10_000
"""Most entries in a zip archive (an ``.xlsx`` workbook or a zipped bag)."""

MAX_UNPACKED_BYTES: Final = 256 * 1024 * 1024
"""Most bytes a zip archive may unpack to (256 MiB), as its directory declares and as read."""

MAX_ZIP_RATIO: Final = 200
"""Highest compression ratio of a zip entry larger than 1 MiB unpacked (a zip bomb's mark)."""

MAX_BAG_FILES: Final = 100_000
"""Most files in an evidence bag (or an evidence folder packed as one)."""

MAX_BAG_BYTES: Final = 4 * 1024 * 1024 * 1024
"""Largest zipped evidence bag, and most bytes it may unpack to (4 GiB)."""
