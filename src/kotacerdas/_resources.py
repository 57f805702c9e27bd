"""The package's data files, found without :mod:`importlib.resources` when they lie on disk.

``importlib.resources.files`` gives, for a package installed as files, the package's
folder as a :class:`~pathlib.Path`; importing it costs a fresh process about 10 ms (it
brings :mod:`tempfile`, :mod:`zipfile` and their imports), which every command that reads
a bundled file paid.  :func:`files` gives the same folder directly, and asks
:mod:`importlib.resources` only for a package that is not plain files (a zip archive).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["files"]


def files(package: str) -> Traversable:
    """The data folder of *package* (``"kotacerdas.data.frameworks"``)."""
    spec = importlib.import_module(package).__spec__
    origin = None if spec is None else spec.origin
    if origin is not None and spec is not None and spec.has_location:
        folder = Path(origin).parent
        if folder.is_dir():
            return folder
    from importlib import resources

    return resources.files(package)
