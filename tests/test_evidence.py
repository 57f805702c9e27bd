from __future__ import annotations

import hashlib
import os
from pathlib import Path

import attrs
import pytest

from kotacerdas import evidence
from kotacerdas.assessment import Assessment, Evidence
from kotacerdas.errors import EvidencePathError, FileReadError


def _a(*items: Evidence) -> Assessment:
    return Assessment("63.09", 2023, "gm100sc", "2023", evidence=items)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "eviden"
    (root / "sub").mkdir(parents=True)
    (root / "a.pdf").write_bytes(b"perbup")
    (root / "sub" / "b.pdf").write_bytes(b"laporan")
    (tmp_path / "secret.txt").write_text("rahasia")
    return root


def test_sha256_file(base: Path) -> None:
    assert evidence.sha256_file(base / "a.pdf") == hashlib.sha256(b"perbup").hexdigest()
    with pytest.raises(FileReadError):
        evidence.sha256_file(base / "nope.pdf")


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("../secret.txt", "evidence.path-parent"),
        ("sub/../../secret.txt", "evidence.path-parent"),
        ("/etc/passwd", "evidence.path-absolute"),
        ("C:\\Windows\\win.ini", "evidence.path-absolute"),
        ("\\\\server\\share\\x", "evidence.path-absolute"),
        ("", "evidence.path-absolute"),
    ],
)
def test_paths_that_escape_are_refused(base: Path, path: str, code: str) -> None:
    with pytest.raises(EvidencePathError) as info:
        evidence.resolve(base, path)
    assert info.value.code == code
    assert isinstance(info.value, ValueError)


def test_symlink_pointing_out_is_refused(base: Path) -> None:
    link = base / "link.txt"
    try:
        os.symlink(base.parent / "secret.txt", link)
    except OSError:  # pragma: no cover - platforms without symlinks
        pytest.skip("no symlinks here")
    with pytest.raises(EvidencePathError) as info:
        evidence.resolve(base, "link.txt")
    assert info.value.code == "evidence.path-outside"
    inside = base / "inside.pdf"
    os.symlink(base / "a.pdf", inside)
    assert evidence.resolve(base, "inside.pdf") == (base / "a.pdf").resolve()


def test_verify_reports_missing_changed_and_escaping(base: Path) -> None:
    good = hashlib.sha256(b"perbup").hexdigest()
    a = _a(
        Evidence("ok", path="a.pdf", sha256=good),
        Evidence("changed", path="sub/b.pdf", sha256="0" * 64),
        Evidence("missing", path="gone.pdf", sha256=good),
        Evidence("escape", path="../secret.txt"),
        Evidence("unhashed", path="a.pdf"),
        Evidence("online", url="https://example.org/x.pdf"),
    )
    got = [(f.code, f.severity, f.path) for f in evidence.verify(a, base)]
    assert got == [
        ("evidence.changed", "error", "evidence[1].sha256"),
        ("evidence.missing", "error", "evidence[2].path"),
        ("evidence.path-parent", "error", "evidence[3].path"),
        ("evidence.unhashed", "warning", "evidence[4].sha256"),
    ]


def test_attach_hashes(base: Path) -> None:
    a = evidence.attach_hashes(
        _a(Evidence("x", path="sub/b.pdf"), Evidence("y", url="https://e.org")), base
    )
    assert a.evidence[0].sha256 == hashlib.sha256(b"laporan").hexdigest()
    assert a.evidence[1].sha256 is None
    assert evidence.verify(a, base) == ()
    with pytest.raises(EvidencePathError):
        evidence.attach_hashes(_a(Evidence("x", path="../secret.txt")), base)
    assert attrs.evolve(a) == a
