"""``kotacerdas score`` of a table: the batch path prints byte for byte what scoring one
assessment at a time prints, in every format and language, or steps aside for it."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kotacerdas
from kotacerdas import assessment, cli, frameworks, scoring
from kotacerdas._batch_scoring import score_table
from kotacerdas.cli import main

HEADER = ("region", "year", "framework", "edition", "node", "value")
COMPONENTS = ("BASE", "OUT", "OUTC", "IMP", "QW")
REGIONS = ("63.09", "63.71", "35.71", "11", "31.71", "63.01")


def write(path: Path, rows: Sequence[Sequence[object]], header: tuple[str, ...] = HEADER) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def outputs(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    path: Path,
    *options: str,
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    """(exit code, stdout, stderr) of the command as it is, and scored one by one."""
    argv = ["score", str(path), *options]
    batch = (main(argv), *capsys.readouterr())
    with monkeypatch.context() as m:
        m.setattr(cli, "_batch_score", lambda *_: None)
        one_by_one = (main(argv), *capsys.readouterr())
    return batch, one_by_one


def assert_same(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    for options in (
        (),
        ("--lang", "en"),
        ("--format", "json"),
        ("--format", "csv"),
        ("--format", "csv", "--lang", "en"),
        ("--levels", "evidence"),
    ):
        batch, one_by_one = outputs(capsys, monkeypatch, path, *options)
        assert batch == one_by_one, options


def gm100sc_rows(
    rng: random.Random, editions: tuple[str, ...], years: range
) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for region in REGIONS:
        for year in years:
            edition = editions[year % len(editions)]
            for node in rng.sample(COMPONENTS, len(COMPONENTS)):  # any order of rows
                places = rng.choice((0, 1, 2, 2, 2))
                value = Decimal(rng.randint(0, 400)).scaleb(-2).quantize(Decimal(1).scaleb(-places))
                rows.append((region, year, "gm100sc", edition, node, str(min(value, Decimal(4)))))
    return rows


def scored_one_by_one(path: Path) -> list[scoring.Result]:
    return [scoring.score(a) for a in assessment.read(path)]


@pytest.mark.parametrize(
    "editions", [("2024",), ("2022", "2023", "2024"), ("pre2021", "2021", "2023")]
)
def test_gm100sc_panel_identical(
    editions: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = write(
        tmp_path / "panel.csv", gm100sc_rows(random.Random(12), editions, range(2019, 2025))
    )
    batch = score_table(str(path), "claimed")
    assert batch is not None  # it took the batch path
    assert [r for r, _ in batch] == scored_one_by_one(path)
    assert {fw.ref for _, fw in batch} == {f"gm100sc@{e}" for e in editions}
    assert_same(capsys, monkeypatch, path)


def test_whole_numbers_and_extremes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Indices of 0, 4 and whole numbers are written as scoring writes them (``3``)."""
    rows = [
        (region, 2023, "gm100sc", "2023", node, value)
        for region, value in (("63.09", "0"), ("63.71", "4"), ("35.71", "3"), ("11", "4.00"))
        for node in COMPONENTS
    ]
    path = write(tmp_path / "whole.csv", rows)
    batch = score_table(str(path), "claimed")
    assert batch is not None
    assert [r for r, _ in batch] == scored_one_by_one(path)
    assert_same(capsys, monkeypatch, path)


def test_stage_column_and_excel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [(*row, "final") for row in gm100sc_rows(random.Random(3), ("2024",), range(2023, 2025))]
    path = write(tmp_path / "staged.csv", rows, (*HEADER, "stage"))
    assert score_table(str(path), "claimed") is not None
    assert_same(capsys, monkeypatch, path)
    pytest.importorskip("openpyxl")
    from kotacerdas._excel import write_xlsx

    book = tmp_path / "panel.xlsx"
    write_xlsx(book, path.read_text(encoding="utf-8"))
    assert score_table(str(book), "claimed") is not None
    assert_same(capsys, monkeypatch, book)


def spbe_rows() -> list[tuple[object, ...]]:
    fw = frameworks.load("spbe@2020")
    leaves = [n.code for n in fw if n.is_leaf and n.rubric is not None]
    rng = random.Random(5)
    return [
        ("63.09", year, "spbe", "2020", code, rng.randint(1, 5))
        for year in (2021, 2022)
        for code in leaves
    ]


def test_spbe_is_scored_one_by_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPBE's weights do not terminate in decimals (and it has rubric levels): one by one."""
    path = write(tmp_path / "spbe.csv", spbe_rows())
    assert score_table(str(path), "claimed") is None
    assert_same(capsys, monkeypatch, path)


def test_mixed_frameworks_fall_back_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = gm100sc_rows(random.Random(8), ("2024",), range(2021, 2023)) + spbe_rows()
    path = write(tmp_path / "mixed.csv", rows)
    assert score_table(str(path), "claimed") is None
    assert_same(capsys, monkeypatch, path)


def _break(
    rows: list[tuple[object, ...]], how: str
) -> tuple[list[tuple[object, ...]], tuple[str, ...]]:
    header: tuple[str, ...] = HEADER
    if how == "missing input":
        rows = rows[1:]
    elif how == "off scale":
        rows[2] = (*rows[2][:5], "4.5")
    elif how == "too many decimals":
        rows[3] = (*rows[3][:5], "3.125")
    elif how == "region name":
        rows = [("Kabupaten Tabalong", *r[1:]) if r[0] == "63.09" else r for r in rows]
    elif how == "unknown region":
        rows = [("99.99", *r[1:]) if r[0] == "63.09" else r for r in rows]
    elif how == "node alias":
        rows = [(*r[:4], "Baseline", r[5]) if r[4] == "BASE" else r for r in rows]
    elif how == "index given":
        rows = [*rows, ("63.09", 2023, "gm100sc", "2024", "INDEX", "2.50")]
    elif how == "dimension given":
        rows = [*rows, ("63.09", 2023, "gm100sc", "2024", "G", "2.50")]
    elif how == "duplicate":
        rows = [*rows, rows[0]]
    elif how == "repeated run":  # a region-year's five rows twice, one run after the other
        rows = [*rows[:5], *rows[:5], *rows[5:]]
    elif how == "two editions":
        rows = [(*r[:3], "2023", *r[4:]) if r[0] == "63.09" and r[4] == "QW" else r for r in rows]
    elif how == "other stage":
        rows = [(*r, "final") for r in rows] + [
            ("63.09", 2023, "gm100sc", "2024", "BASE", "1", "verified")
        ]
        header = (*HEADER, "stage")
    elif how == "future year":
        rows = [(r[0], 2199, *r[2:]) if r[0] == "63.09" else r for r in rows]
    elif how == "unknown edition":
        rows = [(*r[:3], "1999", *r[4:]) for r in rows]
    elif how == "decimal comma":
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\n").writerows(
            [HEADER, *[(*r[:5], str(r[5]).replace(".", ",")) for r in rows]]
        )
        return [("text", out.getvalue())], header
    elif how == "negative zero":  # -0 is on the scale; scoring publishes it as 0.00
        rows[4] = (*rows[4][:5], "-0")
    elif how == "escaped cell":
        rows = [("'63.09", *r[1:]) if r[0] == "63.09" else r for r in rows]
    return rows, header


@pytest.mark.parametrize(
    "how",
    [
        "missing input",
        "off scale",
        "too many decimals",
        "region name",
        "unknown region",
        "node alias",
        "index given",
        "dimension given",
        "duplicate",
        "repeated run",
        "two editions",
        "other stage",
        "future year",
        "unknown edition",
        "decimal comma",
        "escaped cell",
        "negative zero",
    ],
)
def test_findings_step_aside(
    how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Anything with a finding, a note or an unusual cell is scored one by one, as before."""
    rows, header = _break(gm100sc_rows(random.Random(1), ("2024",), range(2022, 2024)), how)
    path = tmp_path / "broken.csv"
    if rows and rows[0][0] == "text":
        path.write_text(str(rows[0][1]), encoding="utf-8")
    else:
        write(path, rows, header)
    assert score_table(str(path), "claimed") is None
    assert_same(capsys, monkeypatch, path)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32),
    editions=st.lists(
        st.sampled_from(["pre2021", "2021", "2022", "2023", "2024"]), min_size=1, max_size=3
    ),
)
def test_any_gm100sc_table_identical(
    seed: int,
    editions: list[str],
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = gm100sc_rows(random.Random(seed), tuple(editions), range(2020, 2023))
    path = write(tmp_path_factory.mktemp("any") / "panel.csv", rows)
    batch = score_table(str(path), "claimed")
    assert batch is not None
    assert [r for r, _ in batch] == scored_one_by_one(path)
    for options in ((), ("--format", "json"), ("--format", "csv")):
        first, second = outputs(capsys, monkeypatch, path, *options)
        assert first == second


# -- reading a table fast, reading it alike --------------------------------------------------


def test_rows_in_any_order_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows of one region-year apart from each other are gathered as when they are together."""
    rows = gm100sc_rows(random.Random(21), ("2023", "2024"), range(2019, 2024))
    random.Random(22).shuffle(rows)
    path = write(tmp_path / "shuffled.csv", rows)
    batch = score_table(str(path), "claimed")
    assert batch is not None
    assert [r for r, _ in batch] == scored_one_by_one(path)
    assert_same(capsys, monkeypatch, path)


def test_quoted_and_crlf_tables_read_alike(tmp_path: Path) -> None:
    """A table with quotes or Windows line ends (read by :mod:`csv`) scores as a plain one."""
    rows = gm100sc_rows(random.Random(23), ("2024",), range(2021, 2024))
    plain = write(tmp_path / "plain.csv", rows)
    text = plain.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    quoted = tmp_path / "quoted.csv"
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([HEADER, *rows])
    quoted.write_text(out.getvalue(), encoding="utf-8")
    blank = tmp_path / "blank-lines.csv"
    blank.write_text("\n" + text.replace("\n", "\n\n"), encoding="utf-8")
    expected = score_table(str(plain), "claimed")
    assert expected is not None
    for path in (crlf, quoted, blank):
        assert score_table(str(path), "claimed") == expected, path.name


_CELLS = st.text(alphabet="ab1.,\n \t'", max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=_CELLS)
def test_columns_as_csv_reads_them(text: str) -> None:
    """The direct split of a table without quotes or carriage returns is csv's reading."""
    from kotacerdas._batch_scoring import _columns
    from kotacerdas.limits import MAX_ROWS

    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if row]
    usable = 2 <= len(rows) <= MAX_ROWS + 1 and len({len(row) for row in rows}) == 1
    expected = (rows[0], list(zip(*rows[1:], strict=True))) if usable else None
    assert _columns(text) == expected


@pytest.mark.parametrize(
    ("cell", "code"),
    [("4.50", 1), ("-1", 1), ("3.125", 1), ("abc", 3), ("", 3), ("3,5", 3)],
)
def test_bad_cell_in_a_big_table_reported_as_before(
    cell: str,
    code: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One bad cell among thousands: the same refusal, exit code and location as one by one."""
    from kotacerdas import regions

    codes = [r.code for r in regions.regions()][:120]
    rng = random.Random(24)
    rows = [
        (region, year, "gm100sc", "2024", node, f"{rng.randint(0, 400) / 100:.2f}")
        for region in codes
        for year in range(2020, 2025)
        for node in COMPONENTS
    ]
    at = 1234
    rows[at] = (*rows[at][:5], cell)
    path = write(tmp_path / "big.csv", rows)
    assert score_table(str(path), "claimed") is None
    for options in ((), ("--lang", "en"), ("--format", "json")):
        batch, one_by_one = outputs(capsys, monkeypatch, path, *options)
        assert batch == one_by_one
        assert batch[0] == code
        assert f"{at + 2}" in batch[2]  # the row (or line) of the bad cell


def test_tables_of_shared_scores_as_one_by_one() -> None:
    """One renderer for many results (caches of shared scores) writes each as alone."""
    batch = score_table(str(SNAPSHOTS / "gm100sc-editions.csv"), "claimed")
    assert batch is not None
    for lang in ("id", "en"):
        table = cli._ScoreTables(lang)
        assert [table(r, fw) for r, fw in batch] == [
            cli.score_table(r, lang, fw) for r, fw in batch
        ]


# -- the outputs of today, frozen ------------------------------------------------------------

SNAPSHOTS = Path(__file__).parent / "data" / "score-tables"


@pytest.mark.parametrize("name", ["mixed", "gm100sc-editions"])
@pytest.mark.parametrize(
    ("options", "suffix"),
    [
        ((), ".id.txt"),
        (("--lang", "en"), ".en.txt"),
        (("--format", "json"), ".json"),
        (("--format", "csv", "--lang", "en"), ".scores.csv"),
    ],
)
def test_outputs_as_recorded(
    name: str,
    options: tuple[str, ...],
    suffix: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Byte for byte the outputs recorded before the batch path was made fast.

    ``mixed`` (GM100SC and SPBE: nested rows, bands, values shown as ≈) is scored one by
    one; ``gm100sc-editions`` (four editions) through the batch path.
    """
    monkeypatch.delenv("KOTACERDAS_LANG", raising=False)
    path = SNAPSHOTS / f"{name}.csv"
    assert (score_table(str(path), "claimed") is None) == (name == "mixed")
    assert main(["score", str(path), *options]) == 0
    out = capsys.readouterr().out
    expected = (SNAPSHOTS / f"{name}{suffix}").read_text(encoding="utf-8")
    if suffix == ".json":  # the version that wrote the results is today's
        out = out.replace(f'"version": "{kotacerdas.__version__}"', '"version": "0.1.0"')
    assert out == expected


def test_control_characters_of_a_framework_file_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table is made printable piece by piece: a label's control characters are escaped."""
    toml = (Path(__file__).parent / "data" / "mini-framework.toml").read_text(encoding="utf-8")
    evil = tmp_path / "evil.toml"
    evil.write_text(
        toml.replace('label = "Komponen 1"', 'label = "Komponen\\u001b[8m 1"'), encoding="utf-8"
    )
    path = write(
        tmp_path / "mini.csv",
        [
            ("63.09", 2023, "mini", "1", node, value)
            for node, value in (("C1", "3.10"), ("C2", "2.00"), ("R", "3"))
        ],
    )
    assert main(["score", str(path), "--framework", str(evil)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "    C1     Komponen\\x1b[8m 1                 3.10  → 1.24\n" in out


BANDED = Path(__file__).parent / "data" / "banded-framework.toml"


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.integers(0, 4000), st.integers(0, 2)).map(
            lambda v: str(
                min(Decimal(v[0]).scaleb(-3), Decimal(4)).quantize(Decimal(1).scaleb(-v[1]))
            )
        ),
        min_size=3,
        max_size=3,
    )
)
def test_nested_weights_and_bands_as_scoring(values: list[str]) -> None:
    """Integer sums over nested aggregates (units of different sizes) and the index's band
    are what scoring computes: nodes, weights, parents and the table printed."""
    from decimal import Inexact, localcontext

    from kotacerdas._batch_scoring import _Plan
    from kotacerdas.assessment import Assessment, Score

    fw = frameworks.read(BANDED)
    plan = _Plan.of(fw)
    assert plan is not None
    given = dict(zip(("A1", "A2", "B"), values, strict=True))
    with localcontext() as ctx:
        ctx.prec = 200
        ctx.traps[Inexact] = True
        batch = plan.result(("63.09", 2023, "banded", "1"), given, "m")
    scores = tuple(Score(code, Decimal(v)) for code, v in given.items())
    expected = scoring.score(Assessment("63.09", 2023, "banded", "1", scores=scores), fw)
    assert batch.nodes == expected.nodes
    assert (batch.weights, batch.parents) == (expected.weights, expected.parents)
    assert batch.index.predicate is not None
    for lang in ("id", "en"):
        assert cli.score_table(batch, lang, fw) == cli.score_table(expected, lang, fw)
