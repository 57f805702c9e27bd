"""Coverage-guided fuzzing of every reader with atheris, for long runs outside CI.

CI runs the Hypothesis properties in ``tests/property/test_fuzz.py``; this harness is for
hours-long runs on a developer's machine::

    pip install atheris
    python tests/fuzz/atheris_harness.py -max_total_time=3600 corpus/

The first input byte picks the reader (framework TOML/JSON, assessment JSON/CSV/xlsx,
COINr iMeta, evidence path, zipped bag); the rest is its input.  Seed ``corpus/`` with
``tests/data/broken`` and the bundled data.  Any exception other than a
``KotaCerdasError`` is a crash, and atheris keeps the input that caused it.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import atheris  # type: ignore[import-untyped, unused-ignore]

with atheris.instrument_imports():
    from kotacerdas import assessment, evidence, frameworks
    from kotacerdas.coinr import read_coinr
    from kotacerdas.errors import KotaCerdasError

_FOLDER = Path(tempfile.mkdtemp(prefix="kotacerdas-fuzz-"))


def _file(name: str, data: bytes) -> Path:
    path = _FOLDER / name
    path.write_bytes(data)
    return path


def _coinr(data: bytes) -> Any:
    meta = _file("iMeta.csv", data)
    rows = _file("iData.csv", b"uCode,i1\nAAA,1\n")
    return read_coinr(rows, meta)


def _evidence_path(data: bytes) -> Any:
    path = data.decode("utf-8", "replace")
    a = assessment.Assessment(
        "63.09", 2023, "gm100sc", "2023", evidence=(assessment.Evidence("e", path=path),)
    )
    evidence.verify(a, _FOLDER)
    return evidence.resolve(_FOLDER, path)


def _bag(data: bytes) -> Any:
    import shutil

    from kotacerdas import bag

    shutil.rmtree(_FOLDER / "out", ignore_errors=True)
    return bag.unpack(_file("b.zip", data), _FOLDER / "out")


READERS: list[Callable[[bytes], Any]] = [
    lambda d: frameworks.read(_file("f.toml", d)),
    lambda d: frameworks.read(_file("f.json", d)),
    lambda d: assessment.read(_file("a.json", d)),
    lambda d: assessment.read(_file("a.csv", d)),
    lambda d: assessment.read(_file("a.xlsx", d)),
    _coinr,
    _evidence_path,
    _bag,
]


def one_input(data: bytes) -> None:
    if not data:
        return
    reader = READERS[data[0] % len(READERS)]
    with contextlib.suppress(KotaCerdasError):
        reader(data[1:])


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
