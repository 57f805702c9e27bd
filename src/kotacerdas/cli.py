"""The ``kotacerdas`` command line: a thin layer over the public API.

Data goes to standard output, messages to standard error.  Exit codes
(:class:`ExitCode`): 0 success, 1 findings of severity error, 2 usage error (including
a framework or file that does not exist), 3 a file that cannot be read or parsed.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn

from kotacerdas import __version__
from kotacerdas._decimal import terminating, to_decimal
from kotacerdas.i18n import LANGUAGES, Lang, message, resolve_language

if TYPE_CHECKING:
    from kotacerdas.errors import KotaCerdasError
    from kotacerdas.model import Framework, Node, Provenance

__all__ = ["ExitCode", "main"]


class ExitCode(enum.IntEnum):
    """Exit statuses of the command line."""

    OK = 0
    """Success."""
    FINDINGS = 1
    """The input has findings of severity error."""
    USAGE = 2
    """Wrong arguments, or a framework, edition or file that does not exist."""
    INPUT = 3
    """A file exists but cannot be read or parsed, or describes nothing valid."""


class _UsageError(Exception):
    pass


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, told the terminal's width without :mod:`shutil`.

    argparse asks ``shutil.get_terminal_size`` in every formatter it makes (over a hundred
    while the parser is built, one per argument checked): importing :mod:`shutil` (and with
    it ``bz2``, ``lzma``, ``fnmatch``) cost every command, ``--help`` or not.  The width is
    the one shutil would give: ``COLUMNS``, else the terminal's, else 80; less 2, as
    argparse takes it.
    """

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        width = _columns() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, width)


def _columns() -> int:
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stdout = sys.__stdout__
    try:
        return 80 if stdout is None else os.get_terminal_size(stdout.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


# argparse's own texts (its gettext message ids) and their codes in the catalogue.
_ARGPARSE_TEXTS: dict[str, str] = {
    "usage: ": "cli.argparse-usage",
    "positional arguments": "cli.argparse-positionals",
    "options": "cli.argparse-options",
    "show this help message and exit": "cli.argparse-help",
    "argument %(argument_name)s: %(message)s": "cli.argparse-argument",
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse-ambiguous",
    "expected %s argument": "cli.argparse-nargs-one",
    "expected %s arguments": "cli.argparse-nargs",
    "expected at least one argument": "cli.argparse-at-least-one",
    "expected at most one argument": "cli.argparse-at-most-one",
    "expected one argument": "cli.arg-value",
    "ignored explicit argument %r": "cli.argparse-ignored",
    "invalid %(type)s value: %(value)r": "cli.argparse-type",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.arg-choice",
    "not allowed with argument %s": "cli.argparse-not-allowed",
    "one of the arguments %s is required": "cli.argparse-one-of",
    "the following arguments are required: %s": "cli.arg-missing",
    "unrecognized arguments: %s": "cli.arg-unknown",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "cli.argparse-unknown-parser",
    "can't open '%(filename)s': %(error)s": "cli.argparse-open",
}


@contextlib.contextmanager
def _argparse_speaking(lang: Lang) -> Iterator[None]:
    """Speak *lang* in argparse's own words (usage, headings, its errors), from the catalogue.

    argparse translates through :mod:`gettext`, looking its module's ``_`` and
    ``ngettext`` up at each call; pointing them at the catalogue while the command line
    builds and parses is the one hook it offers short of compiled ``.mo`` files.
    """

    def gettext(text: str) -> str:
        code = _ARGPARSE_TEXTS.get(text)
        return text if code is None else message(code, lang)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    saved = vars(argparse)["_"], vars(argparse)["ngettext"]
    setattr(argparse, "_", gettext)  # noqa: B010 - a module global, not an attribute name
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


class _Words:
    """The command line's texts in one language: help, placeholders, value checks."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, code: str, **params: object) -> str:
        return message(code, self.lang, **params)

    def integer(self, text: str) -> int:
        """A whole number (``--year``, ``--samples``), refused in the command line's words."""
        try:
            return int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(self("cli.arg-integer", value=text)) from None

    def integers(self, text: str) -> tuple[int, ...]:
        """Whole numbers separated by commas (``--noise-levels 2,3``)."""
        return tuple(self.integer(part) for part in text.split(","))

    def number(self, text: str) -> float:
        """A finite number (``--noise``)."""
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(self("cli.arg-number", value=text))
        return value

    def pair(self, text: str) -> tuple[float, float]:
        """Two increasing finite numbers ``LOW,HIGH`` (``--range``, ``--quantiles``)."""
        try:
            low, high = (float(v) for v in text.split(","))
        except ValueError:
            low = high = math.nan
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise argparse.ArgumentTypeError(self("cli.arg-pair", value=text))
        return low, high

    def option_lang(self, p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=LANGUAGES, default=None, help=self("cli-help.lang"))

    def option_format(self, p: argparse.ArgumentParser, *choices: str) -> None:
        p.add_argument(
            "--format", choices=choices, default=choices[0], help=self("cli-help.format")
        )


def _build_parser(lang: Lang | None = None) -> argparse.ArgumentParser:
    """The command line's parser, every text in *lang* (build it in :func:`_argparse_speaking`)."""
    w = _Words(resolve_language(lang))
    parser = _Parser(
        prog="kotacerdas",
        description=w("cli-help.program"),
        epilog=w("cli-help.example", example="kotacerdas score examples/tabalong-2023.json"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"kotacerdas {__version__}",
        help=w("cli.argparse-version"),
    )
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        parser_class=_Parser,
        title=w("cli.argparse-commands"),
    )

    def command(name: str, code: str, example: str) -> argparse.ArgumentParser:
        text = w(code)
        return sub.add_parser(
            name,
            help=text,
            description=text[0].upper() + text[1:] + ".",
            epilog=w("cli-help.example", example=example),
        )

    file_ = w("cli-help.metavar-file")
    framework = w("cli-help.metavar-framework")
    folder = w("cli-help.metavar-folder")

    p = command("frameworks", "cli-help.frameworks", "kotacerdas frameworks --lang en")
    w.option_format(p, "table", "json")
    w.option_lang(p)
    p.set_defaults(run=_cmd_frameworks)

    p = command("show", "cli-help.show", "kotacerdas show gm100sc@2024 --lang en")
    p.add_argument("framework", metavar=framework, help=w("cli-help.show-framework"))
    w.option_format(p, "table", "json")
    w.option_lang(p)
    p.set_defaults(run=_cmd_show)

    p = command("validate", "cli-help.validate", "kotacerdas validate penilaian.csv --lang en")
    p.add_argument("file", metavar=file_, help=w("cli-help.file"))
    p.add_argument("--framework", metavar=framework, help=w("cli-help.framework"))
    p.add_argument("--evidence-dir", metavar=folder, help=w("cli-help.evidence-dir"))
    w.option_format(p, "table", "json")
    w.option_lang(p)
    p.set_defaults(run=_cmd_validate)

    p = command(
        "score", "cli-help.score", "kotacerdas score examples/tabalong-2023.json --format csv"
    )
    p.add_argument("file", metavar=file_, help=w("cli-help.file"))
    p.add_argument("--framework", metavar=framework, help=w("cli-help.framework"))
    w.option_format(p, "table", "json", "csv")
    w.option_lang(p)
    p.add_argument(
        "--levels",
        choices=("claimed", "evidence"),
        default="claimed",
        help=w("cli-help.levels"),
    )
    p.set_defaults(run=_cmd_score)

    p = command(
        "report",
        "cli-help.report",
        "kotacerdas report examples/tabalong-2023.json -o laporan.html --pdf",
    )
    p.add_argument("file", metavar=file_, help=w("cli-help.file"))
    p.add_argument("-o", "--output", metavar=file_, help=w("cli-help.report-output"))
    w.option_lang(p)
    p.add_argument(
        "--region", metavar=w("cli-help.metavar-region"), help=w("cli-help.report-region")
    )
    p.add_argument(
        "--year",
        type=w.integer,
        metavar=w("cli-help.metavar-year"),
        help=w("cli-help.report-year"),
    )
    p.add_argument("--evidence-dir", metavar=folder, help=w("cli-help.evidence-dir"))
    p.add_argument("--pdf", action="store_true", help=w("cli-help.report-pdf"))
    p.set_defaults(run=_cmd_report)

    p = command(
        "map", "cli-help.map", "kotacerdas map examples/tabalong-2023.json --to gm100sc@2024"
    )
    p.add_argument("file", metavar=file_, help=w("cli-help.file"))
    p.add_argument(
        "--to", required=True, metavar=w("cli-help.metavar-edition"), help=w("cli-help.map-to")
    )
    p.add_argument(
        "--crosswalk",
        metavar=w("cli-help.metavar-crosswalk"),
        help=w("cli-help.map-crosswalk"),
    )
    p.add_argument(
        "--stage",
        default="final",
        metavar=w("cli-help.metavar-stage"),
        help=w("cli-help.map-stage"),
    )
    p.add_argument(
        "--partial-coverage",
        metavar=w("cli-help.metavar-share"),
        type=lambda text: _coverage_share(text, w.lang),
        help=w("cli-help.partial-coverage"),
    )
    w.option_format(p, "table", "json")
    w.option_lang(p)
    p.set_defaults(run=_cmd_map)

    p = command(
        "migrate",
        "cli-help.migrate",
        "kotacerdas migrate examples/tabalong-2023.json --to gm100sc@2024 -o tabalong-2024.json",
    )
    p.add_argument("file", metavar=file_, help=w("cli-help.file"))
    p.add_argument(
        "--to",
        required=True,
        metavar=w("cli-help.metavar-edition"),
        help=w("cli-help.migrate-to"),
    )
    p.add_argument("-o", "--output", metavar=file_, help=w("cli-help.migrate-output"))
    p.add_argument(
        "--crosswalk",
        metavar=w("cli-help.metavar-crosswalk"),
        help=w("cli-help.migrate-crosswalk"),
    )
    p.add_argument("--strict", action="store_true", help=w("cli-help.migrate-strict"))
    w.option_format(p, "table", "json")
    w.option_lang(p)
    p.set_defaults(run=_cmd_migrate)

    p = command("schema", "cli-help.schema", "kotacerdas schema framework > framework.schema.json")
    p.add_argument(
        "kind", choices=("framework", "assessment", "crosswalk"), help=w("cli-help.schema-kind")
    )
    p.set_defaults(run=_cmd_schema)

    from kotacerdas._analysis_cli import add_commands  # uncertainty, sensitivity

    add_commands(sub, w)

    from kotacerdas._evidence_cli import add_commands as add_evidence_commands

    add_evidence_commands(sub, _Parser, w)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv == ["--version"]:  # answered before the parser imports every command's module
        sys.stdout.write(f"kotacerdas {__version__}\n")
        return ExitCode.OK
    # Help and usage errors come before `--lang` is parsed, so it is looked for first.
    lang = _lang_of(argv) or resolve_language(None)
    with _argparse_speaking(lang):
        parser = _build_parser(lang)
        if not argv:  # bare `kotacerdas`: what it can do, not an error about a missing word
            sys.stderr.write(parser.format_help())
            return ExitCode.USAGE
        try:
            args = parser.parse_args(argv)
        except _UsageError as exc:
            _error(message("cli.usage", lang, detail=str(exc)))
            return ExitCode.USAGE
    run: Callable[[argparse.Namespace], int] = args.run
    # Imported after parsing: `kotacerdas --version` and `--help` start without them.
    from kotacerdas.errors import (
        FileFormatError,
        FileReadError,
        FrameworkNotFoundError,
        InvalidInputError,
        KotaCerdasError,
        MissingExtraError,
        ReportError,
    )

    try:
        code = run(args)
        sys.stdout.flush()  # so a full disk is reported here, not at exit
        return code
    except (FrameworkNotFoundError, FileReadError, ReportError, MissingExtraError) as exc:
        _error(exc.message(getattr(args, "lang", None)))
        return ExitCode.USAGE if _is_missing(exc) else ExitCode.INPUT
    except (FileFormatError, InvalidInputError, KotaCerdasError) as exc:
        _error(exc.message(getattr(args, "lang", None)))
        return ExitCode.USAGE if _is_missing(exc) else ExitCode.INPUT
    except BrokenPipeError:  # e.g. `kotacerdas show … | head`: the reader has had enough
        _silence_stdout()
        return ExitCode.OK
    except OSError as exc:  # standard output failed: a full disk, a closed file
        _silence_stdout()
        _error(message("cli.output", getattr(args, "lang", None), reason=exc.strerror or exc))
        return ExitCode.INPUT


def _silence_stdout() -> None:
    """Point standard output at the null device, so the exit flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a file
        pass


def _lang_of(argv: Sequence[str]) -> Lang | None:
    """The ``--lang`` of a command line not yet parsed, if it names a language."""
    for i, word in enumerate(argv):
        value = word.partition("=")[2] if word.startswith("--lang=") else None
        if word == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value == "id":
            return "id"
        if value == "en":
            return "en"
    return None


def _is_missing(exc: KotaCerdasError) -> bool:
    codes = {exc.code, *(p.code for p in getattr(exc, "problems", ()))}
    return not codes.isdisjoint(_MISSING)


_MISSING: Final = frozenset(
    {
        "file.not-found",
        "framework.unknown",
        "framework.ref",
        "file.format",
        "file.format-assessment",
        "evidence.dir-missing",
        "bag.exists",
        "extra.missing",
        "report.region",
        "report.year",
        "report.no-browser",
        "migration.none",
    }
)
"""Codes that mean something named does not exist: a usage error (exit 2), not a bad file."""


def _error(text: str) -> None:
    print(f"kotacerdas: {printable(text)}", file=sys.stderr)


def printable(text: str) -> str:
    r"""*text* safe for a terminal: control characters are shown as escapes.

    ``ESC``, ``NUL``, bidirectional overrides and other unprintable characters become
    ``\x1b``, ``\x00``, ``\u202e`` …; line breaks stay.
    A region name carrying ``ESC[8m`` could otherwise hide the verdict that follows it.
    """
    if text.isprintable() or text.replace("\n", "").isprintable():  # (all its lines are)
        return text
    lines = text.split("\n")  # line by line: the long output of `show` stays fast
    return "\n".join(
        line if line.isprintable() else "".join(map(_printable_char, line)) for line in lines
    )


def _printable_char(ch: str) -> str:
    return ch if ch.isprintable() else _escape(ch)


def _escape(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _print(*lines: str) -> None:
    for line in lines:
        sys.stdout.write(printable(line) + "\n")


def _load(ref: str, lang: str | None = None) -> Framework:
    from kotacerdas import frameworks

    if ref.endswith((".toml", ".json")) or Path(ref).exists():
        return frameworks.read(ref)
    editions = [r for r in frameworks.available() if r.id == ref.strip().lower()]
    if "@" not in ref and editions:  # an id alone: its latest edition, and say so
        latest = max(editions, key=lambda r: (frameworks.load(r).year or 0, r.edition))
        _error(message("cli.latest-edition", lang, id=latest.id, ref=str(latest)))
        return frameworks.load(latest)
    return frameworks.load(ref)


# -- commands -----------------------------------------------------------------------------------


def _cmd_frameworks(args: argparse.Namespace) -> int:
    from kotacerdas import frameworks
    from kotacerdas._files import dump_json
    from kotacerdas.model import Confidence

    lang = resolve_language(args.lang)
    rows = [frameworks.load(ref) for ref in frameworks.available()]
    if args.format == "json":
        out = [
            {
                "ref": fw.ref,
                "id": fw.id,
                "edition": fw.edition,
                "year": fw.year,
                "status": fw.status,
                "title": {"id": fw.title.id, "en": fw.title.en},
                "data_by_confidence": _confidence_counts(fw),
            }
            for fw in rows
        ]
        sys.stdout.write(dump_json(out))
        return ExitCode.OK
    width = max(len(fw.ref) for fw in rows)
    short = {c: c.value[0].upper() for c in Confidence}
    legend = ", ".join(f"{short[c]} = {_confidence_word(c.value, lang)}" for c in Confidence)
    shares_of = message("cli.frameworks-shares", lang)
    _print(f"{'':<{width}}  {'':>4}  {'':<12}  {shares_of} ({legend})")
    for fw in rows:
        year = str(fw.year) if fw.year else "—"
        shares = " ".join(
            f"{short[c]}{_whole_percent(share):>4}" for c, share in fw.confidence_shares().items()
        )
        _print(f"{fw.ref:<{width}}  {year:>4}  {fw.status:<12}  {shares}  {fw.title.get(lang)}")
    return ExitCode.OK


def _confidence_counts(fw: Framework) -> dict[str, int]:
    from kotacerdas.model import Confidence

    counts = dict.fromkeys((c.value for c in Confidence), 0)
    for _, _, prov in fw.data_provenance():
        counts[prov.confidence.value] += 1
    return counts


def _coverage_share(text: str, lang: Lang | None = None) -> Fraction:
    """``--partial-coverage``: a share in (0, 1], else a usage error (in *lang*)."""
    try:
        share = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        share = None
    if share is None or not 0 < share <= 1:
        raise argparse.ArgumentTypeError(message("crosswalk.partial-coverage", lang, value=text))
    return share


def _whole_percent(share: Fraction) -> str:
    """A share as a whole percentage, rounded half up (``"47%"``)."""
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def _cmd_show(args: argparse.Namespace) -> int:
    from kotacerdas._files import dump_json

    fw = _load(args.framework, args.lang)
    lang = resolve_language(args.lang)
    if args.format == "json":
        sys.stdout.write(dump_json(framework_json(fw)))
    else:
        sys.stdout.write(printable(framework_table(fw, lang)))
    return ExitCode.OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from kotacerdas import frameworks

    if args.kind == "crosswalk":
        from kotacerdas import crosswalks

        schema = crosswalks.json_schema()
    elif args.kind == "assessment":
        from kotacerdas import assessment

        schema = assessment.json_schema()
    else:
        schema = frameworks.json_schema()
    print(json.dumps(schema, indent=2, ensure_ascii=False))
    return ExitCode.OK


def _framework_for(args: argparse.Namespace, ref: str) -> Framework:
    from kotacerdas import frameworks

    return _load(args.framework, args.lang) if args.framework else frameworks.load(ref)


def _cmd_validate(args: argparse.Namespace) -> int:
    from kotacerdas import assessment, evidence, validation
    from kotacerdas._files import dump_json

    lang = resolve_language(args.lang)
    items = assessment.read(args.file)
    reports = []
    for a in items:
        report = validation.validate(
            a, _framework_for(args, a.framework_ref), check_edition=not args.framework
        )
        if args.evidence_dir:
            extra = evidence.verify(a, args.evidence_dir)
            report = validation.Report(report.assessment, report.framework, report.findings + extra)
        reports.append(report)
    valid = all(r.valid for r in reports)
    if args.format == "json":
        doc = {
            "valid": valid,
            "regions": [r.assessment.region for r in reports],
            "findings": [
                {
                    **f.to_dict(lang),
                    "region": r.assessment.region,
                    "region_name": _region_name(r.assessment.region),
                    "year": r.assessment.year,
                }
                for r in reports
                for f in r.findings
            ],
        }
        sys.stdout.write(dump_json(doc))
    else:
        for r in reports:
            a = r.assessment
            head = f"{_region(a.region)} {a.year} {a.framework_ref}: "
            if r.findings:
                verdict = (
                    "cli.verdict-invalid"
                    if not r.valid
                    else "cli.verdict-warnings"
                    if r.warnings
                    else "cli.verdict-notes"
                )
                _print(head + message(verdict, lang))
                _print(*("  " + line for line in r.text(lang).splitlines()))
            else:
                _print(head + message("cli.verdict-clean", lang))
    return ExitCode.OK if valid else ExitCode.FINDINGS


def _cmd_score(args: argparse.Namespace) -> int:
    from kotacerdas._files import gc_paused

    with gc_paused():  # thousands of results and their lines, no cycles: see gc_paused
        return _score_and_print(args)


def _score_and_print(args: argparse.Namespace) -> int:
    from kotacerdas import assessment, scoring, validation
    from kotacerdas._files import dump_json, escape_cell

    lang = resolve_language(args.lang)
    failed = False
    # A long table of many region-years: all at once (None: one by one).
    batch = None if args.framework else _batch_score(args.file, args.levels)
    results = batch or []
    for a in () if batch is not None else assessment.read(args.file):
        fw = _framework_for(args, a.framework_ref)
        try:
            result = scoring.score(a, fw, levels=args.levels, check_edition=not args.framework)
        except validation.ValidationError as exc:
            failed = True
            _error(f"{_region(a.region)} {a.year}: " + exc.report.text(lang).replace("\n", "\n  "))
            continue
        results.append((result, fw))
    if args.format == "json":
        sys.stdout.write(dump_json([r.to_json() for r, _ in results]))
    elif args.format == "csv":
        import csv
        import io

        out = io.StringIO()  # one write: an unbuffered stdout would take one per row
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "region",
                "region_name",
                "year",
                "framework",
                "edition",
                "node",
                "value",
                "exact",
                "low",
                "high",
                "missing",
            ]
        )
        for r, _ in results:
            for row in r.to_long(lang):
                writer.writerow(
                    [
                        escape_cell(row["region"]),
                        escape_cell(_text(row["region_name"])),
                        row["year"],
                        escape_cell(row["framework"]),
                        escape_cell(row["edition"]),
                        escape_cell(row["node"]),
                        _text(row["value"]),
                        _text(row["exact"]),
                        _text(row["low"]),
                        _text(row["high"]),
                        row["missing"],
                    ]
                )
        sys.stdout.write(out.getvalue())
    elif results:
        # Printable piece by piece: no need to scan megabytes again.
        sys.stdout.write(_ScoreTables(lang).text(results) + "\n")
    return ExitCode.FINDINGS if failed else ExitCode.OK


def _batch_score(path: str, levels: str) -> list[tuple[Any, Framework]] | None:
    from kotacerdas._batch_scoring import score_table

    return score_table(path, levels)


def _cmd_report(args: argparse.Namespace) -> int:
    from kotacerdas import assessment, reports, validation

    items = assessment.read(args.file)
    page = reports.html(
        items, region=args.region, year=args.year, lang=args.lang, evidence_dir=args.evidence_dir
    )
    if args.output == "-" and not args.pdf:
        sys.stdout.write(page)
    else:
        out = Path(args.output or f"{Path(args.file).stem}-report.html")
        reports.write(page, out)
        _error(str(out))
        if args.pdf:
            _error(str(reports.pdf(out, out.with_suffix(".pdf"))))
    invalid = any(not validation.validate(a).valid for a in items)
    return ExitCode.FINDINGS if invalid else ExitCode.OK


def _text(value: object) -> str:
    return "" if value is None else str(value)


def score_table(result: Any, lang: Lang, fw: Framework | None = None) -> str:
    """The ``score`` table of one result: the index with its bounds, then each input.

    *fw* is the edition scored with (default: the bundled one the result names), so a
    framework file of one's own labels its table too.
    """
    return _ScoreTables(lang)(result, fw)


class _ScoreTables:
    """The ``score`` tables of many results in one language (:func:`score_table`).

    What results share is built once, not once per row: the headings, each region's name,
    which rows a result's table has (its shape: the tree, which nodes it holds, their
    parents) and each node score's line — the batch path shares one score object between
    every region-year that gives an input the same value.  Each piece is made
    :func:`printable` when it is built, so the tables are printable as they are.
    """

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.exactly = message("cli.score-exactly", lang)
        self.index = message("cli.score-index", lang)
        heads = message("cli.score-value", lang), message("cli.score-contribution", lang)
        self.heads = printable(f"    {'':<6} {'':<28} {heads[0]:>6}  → {heads[1]}")
        self.rounded = printable("  " + message("cli.score-rounded", lang))
        self.regions: dict[str, str] = {}
        self.refs: dict[str, str] = {}
        # Caches keyed by identity hold the object too: an id is only unique while it lives.
        self.indices: dict[int, tuple[Any, str, bool]] = {}
        self.shapes: dict[tuple[int, int, tuple[str, ...]], _Shape] = {}

    def __call__(self, result: Any, fw: Framework | None = None) -> str:
        return "\n".join(self.lines(result, fw, []))

    def text(self, scored: Iterable[tuple[Any, Framework]]) -> str:
        """The tables of many results, one after another: their lines joined once."""
        lines: list[str] = []
        for result, fw in scored:
            self.lines(result, fw, lines)
        return "\n".join(lines)

    def lines(self, result: Any, fw: Framework | None, lines: list[str]) -> list[str]:
        """*lines* with the lines of *result*'s table added."""
        if fw is None:
            from kotacerdas import frameworks

            fw = frameworks.load(result.framework_ref)
        region = self.regions.get(result.region)
        if region is None:
            region = self.regions[result.region] = printable(_region(result.region))
        ref = self.refs.get(result.framework_ref)
        if ref is None:
            ref = self.refs[result.framework_ref] = printable(result.framework_ref)
        idx = self.indices.get(id(result.index))
        if idx is None or idx[0] is not result.index:
            idx = self.indices[id(result.index)] = self._index(result.index)
        lines.append(f"{region} {result.year} {ref}")
        lines.append(idx[1])
        if result.consistency is not None:
            lines.append(printable("  " + result.consistency.message(self.lang)))
        nodes = result.nodes
        shape = self._shape(result, fw)
        # The heading of the contributions, when the index has any (Result.contributions).
        if any(nodes[code].contribution is not None for code in shape.children):
            lines.append(self.heads)
        rounded = idx[2]  # some value shown as ≈
        shown = shape.lines
        for code, prefix, share in shape.rows:
            s = nodes[code]
            line = shown.get(id(s))
            if line is None or line[0] is not s:
                line = shown[id(s)] = self._line(s, prefix, share)
            lines.append(line[1])
            rounded = rounded or line[2]
        if rounded or any(nodes[code].display_only for code in shape.hidden):
            lines.append(self.rounded)
        return lines

    def _index(self, idx: Any) -> tuple[Any, str, bool]:
        """The index's line (and its band's), and whether it is shown as ≈."""
        value = _shown(idx)
        bounds = "" if idx.bounds is None else f"  [{idx.bounds[0]} – {idx.bounds[1]}]"
        plain = idx.exact is None or (idx.exact == idx.value and not value.startswith("≈"))
        exact = "" if plain else f"  {self.exactly} {idx.exact}"
        text = f"  {self.index}: {value}{exact}{bounds}"
        if idx.predicate is not None:
            text += f"\n  {idx.predicate.label.get(self.lang)}"
        return idx, printable(text), idx.display_only

    def _line(self, s: Any, prefix: str, share: bool) -> tuple[Any, str, bool]:
        """A node's line: its value right-aligned, its contribution; whether it shows ≈."""
        line = f"{prefix}{printable(f'{_shown(s):>6}')}"
        if share and s.contribution is not None:
            line += printable(f"  → {s.contribution}")
        return s, line, s.display_only

    def _shape(self, result: Any, fw: Framework) -> _Shape:
        tree = fw.node(result.index_code)
        parents = result.parents
        key = id(tree), id(parents), tuple(result.nodes)
        shape = self.shapes.get(key)
        if shape is None or shape.tree is not tree or shape.parents is not parents:
            shape = self.shapes[key] = _Shape(tree, result, self.lang)
        return shape


class _Shape:
    """Which rows a ``score`` table has, from the tree, the nodes scored and their parents.

    A node below the index is shown at the first level, or when it is an aggregate the
    result computed; below a node not shown, nothing is.  Results of one edition scored
    by the batch path all share one shape.
    """

    def __init__(self, tree: Node, result: Any, lang: Lang) -> None:
        self.tree = tree
        self.parents = result.parents
        nodes, parents, index_code = result.nodes, result.parents, result.index_code
        aggregates = set(parents.values())
        self.children = [code for code in nodes if parents.get(code) == index_code]
        self.rows: list[tuple[str, str, bool]] = []  # code, start of line, with contribution
        self.lines: dict[int, tuple[Any, str, bool]] = {}  # score → (score, its line, ≈)

        def walk(node: Node, depth: int) -> None:
            for child in node.children:
                aggregate = bool(child.children) and child.code in aggregates
                if child.code not in nodes or not (depth == 1 or aggregate):
                    continue
                label = child.label.get(lang)
                pad = "  " * depth
                share = depth == 1 and parents.get(child.code) == index_code
                prefix = printable(f"  {pad}{child.code:<6} {label:<28} ")
                self.rows.append((child.code, prefix, share))
                walk(child, depth + 1)

        walk(tree, 1)
        shown = {code for code, _, _ in self.rows}
        self.hidden = [code for code in nodes if code not in shown and code != index_code]


def _shown(s: Any) -> str:
    """A node's value for a person: as published, else exact.

    A long exact value of an edition that states no rounding (SPBE) is shown to two
    decimals and marked ``≈``, never as if the rounding were official.
    """
    if s.display is None:
        return "—"
    return ("≈" if s.display_only else "") + str(s.display)


def _region_name(code: str) -> str | None:
    from kotacerdas import regions  # (not `from regions import`: that asks it for __path__)

    return regions.name_of(code)


def _region(code: str) -> str:
    """A region as a person reads it: ``63.09 Kabupaten Tabalong`` (a unit: its code)."""
    name = _region_name(code)
    return code if name is None else f"{code} {name}"


# -- renderings ---------------------------------------------------------------------------------


def _number(value: Fraction | None) -> Decimal | float | None:
    """An exact decimal when the fraction terminates, else a float."""
    if value is None:
        return None
    return to_decimal(value) if terminating(value.denominator) else float(value)


def _provenance_json(p: Provenance) -> dict[str, Any]:
    return {
        "confidence": p.confidence.value,
        "sources": [s.url or s.title or s.key for s in p.sources],
        "note": None if p.note is None else {"id": p.note.id, "en": p.note.en},
    }


def framework_json(fw: Framework) -> dict[str, Any]:
    """The ``show --format json`` document: metadata and a flat list of nodes."""
    nodes = []
    for node in fw:
        nodes.append(
            {
                "code": node.code,
                "parent": node.parent,
                "kind": node.kind,
                "label": {"id": node.label.id, "en": node.label.en},
                "aliases": list(node.aliases),
                "weight": _number(fw.share(node.code)),
                "global_weight": _number(fw.global_share(node.code)),
                "weight_as_written": node.weight,
                "aggregation": node.aggregation,
                "provenance": _provenance_json(node.provenance),
                "field_provenance": {
                    k: _provenance_json(v) for k, v in node.field_provenance.items()
                },
            }
        )
    return {
        "id": fw.id,
        "edition": fw.edition,
        "title": {"id": fw.title.id, "en": fw.title.en},
        "issuer": {"id": fw.issuer.id, "en": fw.issuer.en},
        "legal_basis": None
        if fw.legal_basis is None
        else {"id": fw.legal_basis.id, "en": fw.legal_basis.en},
        "year": fw.year,
        "status": fw.status,
        "index": fw.index,
        "sources": [s.url or s.title for s in fw.sources],
        "provenance": _provenance_json(fw.provenance),
        "nodes": nodes,
    }


# The word of each confidence, as a message code (codes are the catalogue's literals).
_CONFIDENCE_WORDS: dict[str, str] = {
    "confirmed": "cli.confidence-confirmed",
    "inferred": "cli.confidence-inferred",
    "uncertain": "cli.confidence-uncertain",
    "assumed": "cli.confidence-assumed",
    "not_published": "cli.confidence-not-published",
}


def _confidence_word(confidence: str, lang: Lang) -> str:
    return message(_CONFIDENCE_WORDS[confidence], lang)


def framework_table(fw: Framework, lang: Lang) -> str:
    """The ``show`` tree: one line per node with its share of the parent and of the whole."""
    lines = [f"{fw.ref}  {fw.title.get(lang)}"]
    if fw.legal_basis is not None:
        lines.append(f"  {fw.legal_basis.get(lang)}")
    lines.append("")

    # Global shares are carried down the walk (the parent's times the node's), so the
    # table of a large framework costs one share per node.
    stack: list[tuple[Node, int, Fraction | None]] = [
        (r, 0, Fraction(1)) for r in reversed(fw.roots)
    ]
    # Siblings of equal weight have equal shares: computed once per parent and weight.
    known: dict[tuple[str | None, Decimal | None], tuple[str, Fraction | None]] = {}
    while stack:
        node, depth, above = stack.pop()
        key = (node.parent, node.weight)
        if key in known:
            weight, glob = known[key]
        else:
            share = fw.share(node.code)
            glob = None if share is None or above is None else above * share
            weight = ""
            if share is not None and glob is not None:
                weight = f"  {_percent(share)} ({_percent(glob)})"
            known[key] = weight, glob
        confidence = node.provenance_of("weight").confidence.value
        mark = f" [{_confidence_word(confidence, lang)}]" if weight else ""
        mark = "" if confidence == "confirmed" else mark
        lines.append(f"{'  ' * depth}{node.code:<6} {node.label.get(lang)}{weight}{mark}")
        below = glob if node.parent is not None else Fraction(1)
        stack.extend((c, depth + 1, below) for c in reversed(node.children))
    return "\n".join(lines) + "\n"


def _percent(value: Fraction) -> str:
    pct = value.numerator * 100 / value.denominator  # correctly rounded, as float(value * 100)
    text = f"{pct:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _cmd_map(args: argparse.Namespace) -> int:
    from kotacerdas import assessment, crosswalks, frameworks
    from kotacerdas._files import dump_json

    lang = resolve_language(args.lang)
    target = _load(args.to)
    chosen = None
    if args.crosswalk:
        is_file = args.crosswalk.endswith((".toml", ".json")) or Path(args.crosswalk).exists()
        chosen = crosswalks.read(args.crosswalk) if is_file else crosswalks.load(args.crosswalk)
    out: list[dict[str, Any]] = []
    for item in assessment.read(args.file):
        source = frameworks.load(item.framework_ref)
        result = crosswalks.view(
            item.scores_at(args.stage),
            source,
            target,
            chosen,
            partial_coverage=args.partial_coverage,
        )
        if args.format == "json":
            out.append(_view_json(item.region, item.year, result))
            continue
        _print(
            f"{_region(item.region)} {item.year}: {result.source} → {result.target} "
            f"({result.crosswalk}, {result.status})"
        )
        for code, mapped in result.nodes.items():
            if mapped.value is None:
                continue
            low, high = mapped.coverage_bounds
            coverage = (
                f">{_whole_percent(low)} ≤{_whole_percent(high)}"
                if mapped.coverage is None
                else _whole_percent(mapped.coverage)
            )
            _print(
                f"  {code:<14} {target.label(code, lang)[:40]:<40} {mapped.value!s:>10}"
                + "  "
                + message("cli.map-informed", lang, share=f"{_whole_percent(mapped.informed):>4}")
                + "  "
                + message("cli.map-coverage", lang, share=f"{coverage:>4}")
                + (f"  ← {', '.join(mapped.sources)}" if mapped.sources else "")
            )
        if result.not_carried:
            shown = ", ".join(result.not_carried[:12])
            more = len(result.not_carried) - 12
            if more > 0:
                shown += ", " + message("cli.map-more", lang, count=more)
            count, total = len(result.not_carried), len(result.nodes)
            _print(
                "  " + message("cli.map-not-carried", lang, count=count, total=total, codes=shown)
            )
        if result.unmapped:
            _print("  " + message("cli.map-unmapped", lang, codes=", ".join(result.unmapped)))
    if args.format == "json":
        sys.stdout.write(dump_json(out))
    return ExitCode.OK


def _view_json(region: str, year: int, result: Any) -> dict[str, Any]:
    def share(value: Fraction | None) -> str | None:
        return None if value is None else f"{value.numerator}/{value.denominator}"

    return {
        "region": region,
        "year": year,
        "source": result.source,
        "target": result.target,
        "crosswalk": result.crosswalk,
        "status": result.status,
        "nodes": [
            {
                "code": m.code,
                "value": m.value,
                "informed": share(m.informed),
                "coverage": share(m.coverage),
                "coverage_bounds": [share(b) for b in m.coverage_bounds],
                "sources": list(m.sources),
                "relations": [link.relation for link in m.links],
            }
            for m in result.nodes.values()
        ],
        "not_carried": list(result.not_carried),
        "unmapped": list(result.unmapped),
        "assumptions": list(result.assumptions),
    }


def _cmd_migrate(args: argparse.Namespace) -> int:
    from kotacerdas._migrate_cli import run

    return run(args, _load(args.to))
