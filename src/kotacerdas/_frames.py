"""Results as data frames of the caller's library, through :mod:`narwhals`, written once."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["frame"]


def frame(columns: Mapping[str, Sequence[Any]], backend: Any, like: Any = None) -> Any:
    """*columns* as a frame of *backend* (``"pandas"``, ``"polars"`` …), or of *like*'s library."""
    import narwhals as nw

    if like is not None:
        backend = nw.get_native_namespace(nw.from_native(like))
    return nw.from_dict({k: list(v) for k, v in columns.items()}, backend=backend).to_native()
