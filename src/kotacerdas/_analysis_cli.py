"""The ``uncertainty`` and ``sensitivity`` commands of the command line.

Input is one of:

* indicator data, a CSV file with a unit column and one column per indicator, over
  the framework ``--framework`` names (a bundled edition or a framework file);
* COINr's tables: the ``iData`` CSV as FILE and ``--imeta`` the ``iMeta`` CSV;
* official assessments (a ``.json`` or ``.xlsx`` assessment file, or a CSV with the
  columns ``region, year, node, value``): the official GM100SC or SPBE index, with
  exact nominal values (:func:`kotacerdas.uncertainty.official`).

What varies comes from the options (``--noise``, ``--aggregate``, ``--normalise``,
``--drop-level``, ``--provenance``); with none of them, the provenance preset.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kotacerdas.i18n import Lang, Phrase, message, resolve_language

if TYPE_CHECKING:  # the commands import the analysis (and numpy) only when they run
    from kotacerdas.cli import _Words
    from kotacerdas.engine import Build, Dataset
    from kotacerdas.model import Framework
    from kotacerdas.sensitivity import SensitivityResult
    from kotacerdas.uncertainty import Assumption, UncertaintyResult

__all__ = ["add_commands"]

_OFFICIAL_COLUMNS = frozenset({"region", "node", "value"})


def add_commands(sub: Any, w: _Words) -> None:
    """Add the ``uncertainty`` and ``sensitivity`` sub-commands to *sub*, texts from *w*."""
    p = sub.add_parser(
        "uncertainty",
        help=w("cli-help.uncertainty"),
        epilog=w(
            "cli-help.example",
            example="kotacerdas uncertainty data.csv --framework my.toml --seed 1",
        ),
    )
    _common(p, w)
    p.add_argument(
        "--quantiles",
        type=w.pair,
        default=(0.05, 0.95),
        metavar=w("cli-help.metavar-range"),
        help=w("cli-help.quantiles"),
    )
    p.set_defaults(run=_cmd_uncertainty)

    p = sub.add_parser(
        "sensitivity",
        help=w("cli-help.sensitivity"),
        epilog=w(
            "cli-help.example",
            example="kotacerdas sensitivity data.csv --framework my.toml --seed 1",
        ),
    )
    _common(p, w)
    p.add_argument(
        "--output",
        choices=("rank_shift", "rank", "score"),
        default="rank_shift",
        help=w("cli-help.output-what"),
    )
    p.add_argument("--unit", metavar=w("cli-help.metavar-unit"), help=w("cli-help.unit"))
    p.add_argument(
        "--bootstrap", type=w.integer, default=1000, metavar="N", help=w("cli-help.bootstrap")
    )
    p.set_defaults(run=_cmd_sensitivity)


def _common(p: argparse.ArgumentParser, w: _Words) -> None:
    p.add_argument("file", metavar=w("cli-help.metavar-file"), help=w("cli-help.analysis-file"))
    p.add_argument(
        "--framework",
        metavar=w("cli-help.metavar-framework"),
        help=w("cli-help.analysis-framework"),
    )
    p.add_argument("--imeta", metavar=w("cli-help.metavar-file"), help=w("cli-help.imeta"))
    p.add_argument(
        "--unit-column",
        default="unit",
        metavar=w("cli-help.metavar-column"),
        help=w("cli-help.unit-column"),
    )
    p.add_argument(
        "--samples", type=w.integer, default=1000, metavar="N", help=w("cli-help.samples")
    )
    p.add_argument("--seed", type=w.integer, default=None, metavar="N", help=w("cli-help.seed"))
    p.add_argument("--node", metavar=w("cli-help.metavar-node"), help=w("cli-help.node"))
    p.add_argument(
        "--year", type=w.integer, metavar=w("cli-help.metavar-year"), help=w("cli-help.year")
    )
    p.add_argument(
        "--range",
        type=w.pair,
        default=(0.0, 100.0),
        metavar=w("cli-help.metavar-range"),
        help=w("cli-help.range"),
    )
    p.add_argument(
        "--missing",
        choices=("fail", "omit", "keep"),
        default="fail",
        help=w("cli-help.missing"),
    )
    p.add_argument("--noise", type=w.number, metavar="X", help=w("cli-help.noise"))
    p.add_argument(
        "--noise-levels",
        type=w.integers,
        metavar=w("cli-help.metavar-levels"),
        help=w("cli-help.noise-levels"),
    )
    p.add_argument(
        "--aggregate", metavar=w("cli-help.metavar-methods"), help=w("cli-help.aggregate")
    )
    p.add_argument(
        "--aggregate-node",
        metavar=w("cli-help.metavar-node"),
        help=w("cli-help.aggregate-node"),
    )
    p.add_argument(
        "--normalise", metavar=w("cli-help.metavar-methods"), help=w("cli-help.normalise")
    )
    p.add_argument(
        "--drop-level",
        type=w.integer,
        metavar=w("cli-help.metavar-level"),
        help=w("cli-help.drop-level"),
    )
    p.add_argument("--provenance", action="store_true", help=w("cli-help.provenance"))
    w.option_format(p, "table", "json", "csv")
    w.option_lang(p)
    p.add_argument("--no-progress", action="store_true", help=w("cli-help.no-progress"))


# -- input ------------------------------------------------------------------------------------


class _Input:
    """What the command analyses: a framework and data, or official assessments."""

    def __init__(self, args: argparse.Namespace) -> None:
        from kotacerdas import _csv, _files, cli
        from kotacerdas.engine import Dataset
        from kotacerdas.errors import EngineError, TableError

        path = Path(args.file)
        self.official: Any = None
        self.framework: Framework | None = None
        self.data: Dataset | None = None
        if args.imeta:
            from kotacerdas.coinr import read_coinr

            self.framework, self.data = read_coinr(path, args.imeta)
            return
        if path.suffix.lower() in (".json", ".xlsx"):
            from kotacerdas import assessment

            self.official = assessment.read(path)
        else:
            text = _files.read_text(path)
            table, lines = _csv.table(text, str(path))
            header = table[0] if table else []
            rows: list[dict[str, str]] = []
            for line, row in zip(lines[1:], table[1:], strict=True):
                if row and len(row) != len(header):
                    params = {"got": len(row), "expected": len(header)}
                    raise TableError("coinr.row-length", path=str(path), row=line, **params)
                if row:
                    rows.append(dict(zip(header, row, strict=True)))
            if {h.strip() for h in header} >= _OFFICIAL_COLUMNS:
                self.official = rows
            else:
                self.data = Dataset.from_rows(rows, unit=args.unit_column)
        if self.official is None:
            if not args.framework:
                raise EngineError(
                    "build.param-value",
                    method="kotacerdas",
                    param="--framework",
                    value=None,
                    expected="ID@EDITION or a framework file for indicator data",
                )
            self.framework = cli._load(args.framework)
        elif args.framework:
            self.framework = cli._load(args.framework)

    def model(self, args: argparse.Namespace) -> tuple[Framework, Dataset, list[Assumption], Build]:
        """The framework, data, assumptions and nominal build of indicator data."""
        assert self.framework is not None
        assert self.data is not None
        return self.framework, self.data, _assumptions(args, self.framework) or [], self.build(args)

    def build(self, args: argparse.Namespace) -> Build:
        from kotacerdas.engine import Build, MinMax

        low, high = args.range
        return Build(normalise=MinMax(low, high), missing=args.missing)


def _assumptions(args: argparse.Namespace, framework: Framework | None) -> list[Assumption] | None:
    from kotacerdas import uncertainty

    out: list[Assumption] = []
    if args.noise is not None:
        levels = args.noise_levels or ()
        out.append(uncertainty.WeightNoise(args.noise, levels=levels))
    if args.aggregate:
        node = args.aggregate_node or _root(framework)
        out.append(uncertainty.AggregationChoice(tuple(args.aggregate.split(",")), nodes=node))
    if args.normalise:
        out.append(uncertainty.NormalisationChoice(tuple(args.normalise.split(","))))
    if args.drop_level is not None:
        out.append(uncertainty.Exclusion(levels=args.drop_level))
    if args.provenance or not out:
        if framework is None:
            return out or None  # official: the preset over the index's inputs
        out.extend(uncertainty.from_provenance(framework))
    return out


def _root(framework: Framework | None) -> str:
    if framework is None:
        return "INDEX"
    if framework.index is not None:
        return framework.index
    return framework.roots[0].code


def _progress(args: argparse.Namespace) -> bool:
    if args.no_progress or not sys.stderr.isatty():
        return False
    from importlib.util import find_spec

    return find_spec("tqdm") is not None


# -- the commands -----------------------------------------------------------------------------


def _cmd_uncertainty(args: argparse.Namespace) -> int:
    from kotacerdas import uncertainty

    lang = resolve_language(args.lang)
    source = _Input(args)
    quantiles = args.quantiles
    common: dict[str, Any] = {
        "samples": args.samples,
        "seed": args.seed,
        "quantiles": quantiles,
        "progress": _progress(args),
    }
    if source.official is not None:
        assumptions = _assumptions(args, None)
        result = uncertainty.official(
            source.official, source.framework, assumptions, year=args.year, **common
        )
    else:
        result = uncertainty.analyse(*source.model(args), node=args.node, **common)
    _write_uncertainty(result, args.format, lang)
    return 0


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from kotacerdas import sensitivity

    lang = resolve_language(args.lang)
    source = _Input(args)
    common: dict[str, Any] = {
        "samples": args.samples,
        "output": args.output,
        "unit": args.unit,
        "seed": args.seed,
        "bootstrap": args.bootstrap,
        "progress": _progress(args),
    }
    if source.official is not None:
        result = sensitivity.official(
            source.official, source.framework, _assumptions(args, None), year=args.year, **common
        )
    else:
        result = sensitivity.analyse(*source.model(args), node=args.node, **common)
    _write_sensitivity(result, args.format, lang)
    return 0


# -- output -----------------------------------------------------------------------------------


def _head(lang: Lang, quantiles: Sequence[float]) -> tuple[str, ...]:
    """The uncertainty table's column names, from the catalogue, with the run's quantiles."""
    low, high = (f"{100 * q:g}" for q in quantiles)
    return tuple(message("cli.uncertainty-columns", lang, low=low, high=high).split("|"))


def _said(name: object, lang: Lang) -> str:
    """An assumption's name for the reader: a derived name in *lang*, a given one as given."""
    return name.text(lang) if isinstance(name, Phrase) else str(name)


def _fmt(value: object, places: int = 2, *, strip: bool = False) -> str:
    """A number for a table: *places* decimals (trailing zeros dropped when *strip*)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = f"{value:.{places}f}"
        return text.rstrip("0").rstrip(".") if strip and "." in text else text
    return str(value)


def _write_data(result: Any, fmt: str) -> list[dict[str, object]] | None:
    """Write *result* as JSON or CSV and return ``None``; for a table, return its rows."""
    rows: list[dict[str, object]] = result.to_rows()
    if fmt == "json":
        from kotacerdas._files import dump_json

        sys.stdout.write(dump_json(result.to_json()))
        return None
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
        return None
    return rows


def _write_uncertainty(result: UncertaintyResult, fmt: str, lang: Lang) -> None:
    rows = _write_data(result, fmt)
    if rows is None:
        return
    record = result.record()
    print(
        f"{record['framework']} {record['node']}"
        + (f" [{record['period']}]" if record["period"] is not None else "")
        + ": "
        + message("cli.analysis-samples", lang, samples=record["samples"], seed=record["seed"])
    )
    for a in record["assumptions"]:
        print(f"  · {_said(a['name'], lang)}")
    table = [_head(lang, record["quantiles"])]
    for r in rows:
        score = r["nominal_exact"] if r["nominal_exact"] is not None else _fmt(r["nominal_score"])
        table.append(
            (
                _fmt(r["nominal_rank"], 0, strip=True),
                str(r["unit"]),
                str(r["name"] or ""),
                str(score),
                _fmt(r["median_rank"], 1, strip=True),
                f"{_fmt(r['rank_low'], 1, strip=True)}–{_fmt(r['rank_high'], 1, strip=True)}",
                f"{_fmt(100 * r['keeps_rank'], 0) if r['keeps_rank'] is not None else '—'} %",  # type: ignore[operator]
                _fmt(r["mean_shift"]),
            )
        )
    _print_table(table, right=(0, 3, 4, 5, 6, 7))


def _write_sensitivity(result: SensitivityResult, fmt: str, lang: Lang) -> None:
    rows = _write_data(result, fmt)
    if rows is None:
        return
    what = message("cli.sensitivity-assumption", lang)
    unit = " ".join(str(part) for part in (result.unit, result.unit_name) if part)
    target = f"{result.output} {unit}" if unit else result.output
    print(
        f"{result.framework} {result.node}: {target}, N = {result.samples}, "
        + message("cli.analysis-runs", lang, runs=result.runs, seed=result.seed)
    )
    conf = f"{100 * result.indices.confidence:g} %"
    table = [(what, "S_i", conf, "S_Ti", conf)]
    for r, a in zip(rows, result.assumptions, strict=True):
        table.append(
            (
                _said(a["name"], lang),
                _fmt(r["first"], 3),
                f"{_fmt(r['first_low'], 3)} – {_fmt(r['first_high'], 3)}",
                _fmt(r["total"], 3),
                f"{_fmt(r['total_low'], 3)} – {_fmt(r['total_high'], 3)}",
            )
        )
    _print_table(table, right=(1, 2, 3, 4))


def _print_table(rows: Sequence[tuple[str, ...]], right: tuple[int, ...]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        cells = [c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(r)]
        print("  ".join(cells).rstrip())
