"""Evidence packages as BagIt bags: pack, verify, unpack; zip-slip and bombs refused."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("bagit", reason="bags need the 'bag' extra (bagit)")

from kotacerdas import bag
from kotacerdas.assessment import Assessment, Evidence
from kotacerdas.cli import ExitCode, main
from kotacerdas.errors import FileReadError


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    ev = tmp_path / "eviden"
    (ev / "G").mkdir(parents=True)
    (ev / "G" / "perbup.pdf").write_bytes(b"%PDF-1.4 perbup")
    (ev / "foto.jpg").write_bytes(b"\xff\xd8 foto")
    return ev


@pytest.fixture
def assessed() -> Assessment:
    return Assessment(
        "63.09",
        2023,
        "gm100sc",
        "2023",
        evidence=(Evidence("Perbup", path="G/perbup.pdf"), Evidence("Foto", path="foto.jpg")),
    )


def test_pack_and_verify_a_folder_bag(folder: Path, assessed: Assessment, tmp_path: Path) -> None:
    out = bag.pack(assessed, folder, tmp_path / "tabalong-2023")
    assert (out / "bagit.txt").read_text().startswith("BagIt-Version: 1.0")
    assert (out / "manifest-sha256.txt").is_file()
    assert "kotacerdas-assessment.json" in (out / "tagmanifest-sha256.txt").read_text()
    report = bag.verify(out)
    assert report.valid
    assert report.findings == ()
    assert report.info["KotaCerdas-Region"] == "63.09"
    assert report.assessment is not None
    assert all(e.sha256 for e in report.assessment.evidence)  # hashes filled in


def test_every_missing_extra_or_changed_file_by_name(
    folder: Path, assessed: Assessment, tmp_path: Path
) -> None:
    out = bag.pack(assessed, folder, tmp_path / "b")
    (out / "data" / "G" / "perbup.pdf").write_bytes(b"tampered")
    (out / "data" / "foto.jpg").unlink()
    (out / "data" / "new.txt").write_text("added")
    report = bag.verify(out)
    assert not report.valid
    assert report.missing == ("data/foto.jpg",)
    assert report.extra == ("data/new.txt",)
    assert report.changed == ("data/G/perbup.pdf",)
    codes = {f.code for f in report.findings}
    assert {"evidence.changed", "evidence.missing"} <= codes  # the assessment's own view
    assert "data/G/perbup.pdf" in report.text("en")


def test_a_changed_assessment_is_a_changed_tag_file(
    folder: Path, assessed: Assessment, tmp_path: Path
) -> None:
    out = bag.pack(assessed, folder, tmp_path / "b")
    doc = out / "kotacerdas-assessment.json"
    doc.write_text(doc.read_text().replace('"63.09"', '"63.10"'))
    assert bag.verify(out).changed == ("kotacerdas-assessment.json",)


def test_zipped_bag_round_trip(folder: Path, assessed: Assessment, tmp_path: Path) -> None:
    out = bag.pack(assessed, folder, tmp_path / "b.zip")
    assert zipfile.is_zipfile(out)
    assert bag.verify(out).valid
    report = bag.unpack(out, tmp_path / "unpacked")
    assert report.valid
    assert (tmp_path / "unpacked" / "data" / "G" / "perbup.pdf").read_bytes() == b"%PDF-1.4 perbup"


def test_pack_refuses_missing_evidence_and_existing_folders(
    folder: Path, assessed: Assessment, tmp_path: Path
) -> None:
    (folder / "foto.jpg").unlink()
    with pytest.raises(bag.BagError) as info:
        bag.pack(assessed, folder, tmp_path / "b")
    assert [p.code for p in info.value.problems] == ["evidence.missing"]
    assert not (tmp_path / "b").exists()
    (tmp_path / "taken").mkdir()
    (folder / "foto.jpg").write_bytes(b"x")
    with pytest.raises(FileReadError) as err:
        bag.pack(assessed, folder, tmp_path / "taken")
    assert err.value.code == "bag.exists"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need POSIX")
def test_pack_does_not_follow_links_out_of_the_folder(
    folder: Path, assessed: Assessment, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("secret")
    (folder / "leak.txt").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(Exception) as info:  # noqa: PT011
        bag.pack(assessed, folder, tmp_path / "b")
    assert info.value.__class__.__name__ == "EvidencePathError"


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in entries:
            z.writestr(info, data)
    return path


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(
    "entry",
    ["../evil.txt", "/etc/evil", "C:/evil.txt", "a/../../evil", "a\\..\\evil"],
)
def test_zip_slip_is_refused(tmp_path: Path, entry: str) -> None:
    archive = _zip(tmp_path / "b.zip", [("bag/bagit.txt", b"BagIt-Version: 1.0\n"), (entry, b"x")])
    with pytest.raises(FileReadError) as info:
        bag.unpack(archive, tmp_path / "out")
    assert info.value.code == "zip.unsafe-entry"
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.txt").exists()


def test_links_and_duplicates_are_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "l.zip", [(_link("bag/data/passwd"), b"/etc/passwd")])
    with pytest.raises(FileReadError) as info:
        bag.verify(archive)
    assert info.value.params["reason"] == "symbolic link"
    archive = _zip(tmp_path / "d.zip", [("bag/data/a", b"1"), ("bag/data/A", b"2")])
    with pytest.raises(FileReadError) as info:
        bag.verify(archive)
    assert info.value.params["reason"] == "duplicate"


def test_zipped_bomb_is_refused(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "bomb.zip", [("bag/data/zeros", b"\0" * (4 << 20))])
    with pytest.raises(FileReadError) as info:
        bag.unpack(archive, tmp_path / "out")
    assert info.value.code == "zip.ratio"


def test_hostile_manifest_is_unreadable_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "b"
    (root / "data").mkdir(parents=True)
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    (root / "manifest-sha256.txt").write_text("0" * 64 + " data/../../../etc/passwd\n")
    with pytest.raises(FileReadError) as info:
        bag.verify(root)
    assert info.value.code == "bag.unreadable"
    with pytest.raises(FileReadError):
        bag.verify(tmp_path / "nothing")


def test_cli_evidence_commands(
    folder: Path, assessed: Assessment, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kotacerdas import assessment

    doc = tmp_path / "a.json"
    assessment.write(assessed, doc)
    out = tmp_path / "b.zip"
    argv = ["evidence", "pack", str(doc), "--evidence-dir", str(folder), "-o", str(out)]
    assert main(argv) == ExitCode.OK
    assert main(["evidence", "verify", str(out), "--format", "json"]) == ExitCode.OK
    capsys.readouterr()
    assert main(["evidence", "unpack", str(out), str(tmp_path / "u")]) == ExitCode.OK
    capsys.readouterr()
    (tmp_path / "u" / "data" / "foto.jpg").write_bytes(b"changed")
    assert main(["evidence", "verify", str(tmp_path / "u"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["changed"] == ["data/foto.jpg"]
    assert main(["evidence", "unpack", str(out), str(tmp_path / "u")]) == ExitCode.USAGE
    assert main(["evidence", "verify", str(tmp_path / "nope.zip")]) == ExitCode.USAGE
    (folder / "foto.jpg").unlink()
    assert main([*argv[:-1], str(tmp_path / "c.zip")]) == ExitCode.FINDINGS


def test_pack_leaves_the_working_folder_alone(
    folder: Path, assessed: Assessment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bagit.make_bag`` changes the process's working folder; packing must not."""
    seen: list[str] = []
    real_chdir = os.chdir

    def spy(path: str | os.PathLike[str]) -> None:
        seen.append(os.fspath(path))
        real_chdir(path)

    monkeypatch.setattr(os, "chdir", spy)
    before = Path.cwd()
    out = bag.pack(assessed, folder, tmp_path / "b", info={"Contact-Name": "Diskominfo\nTabalong"})
    assert seen == []
    assert Path.cwd() == before
    report = bag.verify(out)
    assert report.valid, report.text("en")
    assert report.info["Contact-Name"] == "DiskominfoTabalong"
    assert report.info["Payload-Oxum"] == "22.2"  # 15 + 7 bytes in 2 files


def test_pack_from_two_threads(folder: Path, assessed: Assessment, tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    targets = [tmp_path / f"bag-{n}" for n in range(4)] + [tmp_path / "bag.zip"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outs = list(pool.map(lambda t: bag.pack(assessed, folder, t), targets))
    assert all(bag.verify(out).valid for out in outs)


def test_a_payload_name_with_a_newline_round_trips(
    folder: Path, assessed: Assessment, tmp_path: Path
) -> None:
    (folder / "baris\nbaru.txt").write_text("x")
    report = bag.verify(bag.pack(assessed, folder, tmp_path / "b"))
    assert report.valid, report.text("en")
