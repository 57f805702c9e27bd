"""Data files are found where importlib.resources finds them, with or without it."""

from __future__ import annotations

import importlib
import importlib.resources
import subprocess
import sys
from pathlib import Path

import pytest

from kotacerdas import _resources

PACKAGES = ["kotacerdas.data", "kotacerdas.data.frameworks", "kotacerdas.data.regions"]


@pytest.mark.parametrize("package", PACKAGES)
def test_the_same_folder_as_importlib_resources(package: str) -> None:
    found = _resources.files(package)
    assert isinstance(found, Path)
    assert found == Path(str(importlib.resources.files(package)))
    assert sorted(p.name for p in found.iterdir()) == sorted(
        p.name for p in importlib.resources.files(package).iterdir()
    )


def test_a_package_not_on_disk_is_asked_of_importlib_resources(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    module = importlib.import_module("kotacerdas.data")
    spec = module.__spec__
    assert spec is not None
    monkeypatch.setattr(spec, "has_location", False)
    asked: list[str] = []
    real = importlib.resources.files

    def files(package: str) -> object:
        asked.append(package)
        return real(package)

    monkeypatch.setattr(importlib.resources, "files", files)
    assert (_resources.files("kotacerdas.data") / "messages.toml").is_file()
    assert asked == ["kotacerdas.data"]


def test_scoring_a_file_needs_no_importlib_resources() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from kotacerdas.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['score', 'examples/tabalong-2023.json'])\n"
        "print('importlib.resources' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root
    )
    assert done.stdout.strip() == "False"
