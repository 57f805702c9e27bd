"""Did you mean …? One way to find the known names close to a mistyped one.

Regions, framework nodes, editions and stages all answer an unknown name with the
closest known ones, found here the same way: a close match first (difflib ratio 0.75),
else a looser one (0.6), compared on keys the caller normalises (case, spaces).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kotacerdas.model import Framework

STRICT = 0.75
LOOSE = 0.6


def close_keys(key: str, keys: Iterable[str], limit: int = 3) -> list[str]:
    """The keys of *keys* closest to *key*, best first: strict matches, else loose ones."""
    if not key:
        return []
    pool = list(dict.fromkeys(keys))
    found = difflib.get_close_matches(key, pool, n=limit, cutoff=STRICT)
    return found or difflib.get_close_matches(key, pool, n=limit, cutoff=LOOSE)


def close(
    word: str,
    names: Iterable[str],
    key: Callable[[str], str] = str.casefold,
    limit: int = 3,
) -> tuple[str, ...]:
    """The *names* closest to *word*, compared by *key*, best first (each name once)."""
    by_key: dict[str, list[str]] = {}
    for name in names:
        by_key.setdefault(key(name), []).append(name)
    found = [n for k in close_keys(key(word), by_key, limit) for n in by_key[k]]
    return tuple(dict.fromkeys(found))[:limit]


def close_nodes(fw: Framework, text: str) -> tuple[str, ...]:
    """The codes of *fw*'s nodes whose code, alias or label is close to *text*."""
    from kotacerdas.model import normalise_key

    names = {normalise_key(n.code): n.code for n in fw}
    for n in fw:
        written = (*n.aliases, n.label.id, n.label.en or "")
        names.update((normalise_key(name), n.code) for name in written if name)
    return tuple(dict.fromkeys(names[k] for k in close_keys(normalise_key(text), names)))
