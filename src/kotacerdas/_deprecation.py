"""Old names that keep working for one release, each with a :class:`DeprecationWarning`.

A renamed function stays importable under its old name, does exactly what the new one
does, and says which name to use instead; the old names are left out of ``__all__`` so
that the reference documents only the new ones.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["renamed", "warn_renamed"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def warn_renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that *old* (a dotted name) is now called *new*."""
    warnings.warn(
        f"{old} is deprecated and will be removed in the next release; use {new}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def renamed(new: Callable[_P, _R], old: str) -> Callable[_P, _R]:
    """*new* under its old name *old* (same module), warning on every call."""
    module = new.__module__
    if module.startswith("kotacerdas._"):  # machinery: name the public module
        module = "kotacerdas"

    @functools.wraps(new)
    def alias(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        warn_renamed(f"{module}.{old}", f"{module}.{new.__name__}")
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old
    alias.__doc__ = f"Deprecated: the old name of :func:`{new.__name__}`, for one release."
    return alias
