"""The ``evidence`` command of the command line: evidence packages as BagIt bags.

``kotacerdas evidence pack`` makes a bag of an assessment and its evidence folder,
``verify`` checks a bag's completeness and fixity (and the assessment's evidence against
it), ``unpack`` unpacks a zipped bag safely into a new folder and checks it.  Findings
(a missing, extra or changed file) exit with status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from kotacerdas._files import dump_json
from kotacerdas.i18n import message, resolve_language

if TYPE_CHECKING:
    from kotacerdas.cli import _Words

__all__ = ["add_commands"]


def add_commands(sub: Any, parser_class: type[argparse.ArgumentParser], w: _Words) -> None:
    """Add the ``evidence`` command, with ``pack``, ``verify`` and ``unpack``, to *sub*."""
    p = sub.add_parser(
        "evidence",
        help=w("cli-help.evidence"),
        description=w("cli-help.evidence-description"),
        epilog=w(
            "cli-help.example",
            example="kotacerdas evidence pack tabalong-2023.json --evidence-dir eviden "
            "--output tabalong-2023.zip",
        ),
    )
    actions = p.add_subparsers(
        dest="action",
        required=True,
        parser_class=parser_class,
        title=w("cli.argparse-commands"),
    )
    file_ = w("cli-help.metavar-file")
    bag_ = w("cli-help.metavar-bag")
    folder = w("cli-help.metavar-folder")

    q = actions.add_parser("pack", help=w("cli-help.pack"))
    q.add_argument("assessment", metavar=file_, help=w("cli-help.pack-assessment"))
    q.add_argument(
        "--evidence-dir", required=True, metavar=folder, help=w("cli-help.pack-evidence-dir")
    )
    q.add_argument("--output", "-o", required=True, metavar=bag_, help=w("cli-help.pack-output"))
    w.option_lang(q)
    q.set_defaults(run=_cmd_pack)

    q = actions.add_parser("verify", help=w("cli-help.verify"))
    q.add_argument("bag", metavar=bag_, help=w("cli-help.verify-bag"))
    w.option_format(q, "table", "json")
    w.option_lang(q)
    q.set_defaults(run=_cmd_verify)

    q = actions.add_parser("unpack", help=w("cli-help.unpack"))
    q.add_argument("bag", metavar=bag_, help=w("cli-help.unpack-bag"))
    q.add_argument("dest", metavar=folder, help=w("cli-help.unpack-dest"))
    w.option_lang(q)
    q.set_defaults(run=_cmd_unpack)


def _cmd_pack(args: argparse.Namespace) -> int:
    from kotacerdas import bag
    from kotacerdas.cli import ExitCode, _error, _print

    lang = resolve_language(args.lang)
    try:
        out = bag.pack(args.assessment, args.evidence_dir, args.output)
    except bag.BagError as exc:
        _error(exc.message(lang))
        return ExitCode.FINDINGS
    _print(message("bag.ok", lang, path=str(out)))
    return ExitCode.OK


def _report(report: Any, fmt: str, lang: str) -> int:
    from kotacerdas.cli import ExitCode, _print

    if fmt == "json":
        doc = {
            "bag": report.path,
            "valid": report.valid,
            "missing": list(report.missing),
            "extra": list(report.extra),
            "changed": list(report.changed),
            "info": dict(report.info),
            "findings": [f.to_dict(lang) for f in report.findings],
        }
        sys.stdout.write(dump_json(doc))
    else:
        _print(*report.text(lang).splitlines())
    return ExitCode.OK if report.valid else ExitCode.FINDINGS


def _cmd_verify(args: argparse.Namespace) -> int:
    from kotacerdas import bag

    return _report(bag.verify(args.bag), args.format, resolve_language(args.lang))


def _cmd_unpack(args: argparse.Namespace) -> int:
    from kotacerdas import bag

    return _report(bag.unpack(args.bag, args.dest), "table", resolve_language(args.lang))
