"""The package's surface: every public module reachable from ``import kotacerdas``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "kotacerdas"


def test_every_public_module_is_reachable_from_the_package_lazily() -> None:
    public = sorted(
        p.stem if p.is_file() else p.name
        for p in SRC.iterdir()
        if not p.name.startswith(("_", "."))
        and (p.suffix == ".py" or (p / "__init__.py").is_file())
        and p.name not in {"cli.py", "data"}
    )
    code = (
        "import sys, kotacerdas as k; "
        f"names = {public!r}; "
        "assert not any(f'kotacerdas.{n}' in sys.modules for n in names if n != 'i18n'), "
        "[n for n in names if f'kotacerdas.{n}' in sys.modules]; "
        "assert all(getattr(k, n).__name__ == f'kotacerdas.{n}' for n in names)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
