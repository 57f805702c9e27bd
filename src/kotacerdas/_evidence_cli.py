"""The ``evidence`` command of the command line: evidence packages as BagIt bags.

``kotacerdas evidence pack`` makes a bag of an assessment and its evidence folder,
``verify`` checks a bag's completeness and fixity (and the assessment's evidence against
it), ``unpack`` unpacks a zipped bag safely into a new folder and checks it.  Findings
(a missing, extra or changed file) exit with status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kotacerdas._files import dump_json
from kotacerdas.i18n import LANGUAGES, message, resolve_language

__all__ = ["add_commands"]


def add_commands(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add the ``evidence`` command, with ``pack``, ``verify`` and ``unpack``, to *sub*."""
    p = sub.add_parser(
        "evidence",
        help="evidence packages as BagIt bags: pack, verify, unpack",
        description="Evidence packages as BagIt bags (RFC 8493): pack, verify, unpack.",
        epilog="example: kotacerdas evidence pack tabalong-2023.json --evidence-dir eviden "
        "--output tabalong-2023.zip",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=parser_class)

    q = actions.add_parser("pack", help="make a bag (a folder, or a .zip) of an assessment")
    q.add_argument("assessment", help="an assessment file holding one assessment")
    q.add_argument("--evidence-dir", required=True, help="the folder of evidence files")
    q.add_argument("--output", "-o", required=True, help="the new bag: a folder or NAME.zip")
    q.add_argument("--lang", choices=LANGUAGES, default=None)
    q.set_defaults(run=_cmd_pack)

    q = actions.add_parser("verify", help="check a bag: every missing, extra or changed file")
    q.add_argument("bag", help="a bag folder or a zipped bag")
    q.add_argument("--format", choices=("table", "json"), default="table")
    q.add_argument("--lang", choices=LANGUAGES, default=None)
    q.set_defaults(run=_cmd_verify)

    q = actions.add_parser("unpack", help="unpack a zipped bag safely into a new folder")
    q.add_argument("bag", help="a zipped bag (.zip)")
    q.add_argument("dest", help="the new folder")
    q.add_argument("--lang", choices=LANGUAGES, default=None)
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
