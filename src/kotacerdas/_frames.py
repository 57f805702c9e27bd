"""Results as data frames of the caller's library, through :mod:`narwhals`, written once.

Every result's ``to_frame(backend=None, *, like=None)`` comes here, so they all read the
same: *like* (a frame, e.g. the one you scored) picks its library; otherwise *backend*
(``"pandas"``, ``"polars"``, ``"pyarrow"`` or the module itself), ``"pandas"`` when not given.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any

from kotacerdas.errors import MissingExtraError

__all__ = ["DEFAULT_BACKEND", "frame"]

DEFAULT_BACKEND = "pandas"
"""The library of a frame when neither ``backend`` nor ``like`` says which."""


def frame(columns: Mapping[str, Sequence[Any]], backend: Any = None, like: Any = None) -> Any:
    """*columns* as a frame of *backend*, or of *like*'s library (pandas by default).

    Raises:
        MissingExtraError: the library named is not installed (``extra.missing``).
    """
    if like is None and (backend is None or isinstance(backend, str)):
        name = backend or DEFAULT_BACKEND
        if importlib.util.find_spec(name) is None:
            raise MissingExtraError("extra.missing", package=name, extra="dataframes")
        backend = name
    import narwhals as nw

    if like is not None:
        backend = nw.get_native_namespace(nw.from_native(like))
    return nw.from_dict({k: list(v) for k, v in columns.items()}, backend=backend).to_native()
