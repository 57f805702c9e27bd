"""The ``migrate`` command: carry assessments to another edition and say what stayed behind."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kotacerdas.i18n import message, resolve_language
from kotacerdas.model import Framework

__all__ = ["run"]


def run(args: argparse.Namespace, target: Framework) -> int:
    """Migrate every assessment of ``args.file`` to *target*; write ``args.output`` if named."""
    from kotacerdas import assessment, crosswalks, migrations
    from kotacerdas._files import dump_json

    lang = resolve_language(args.lang)
    chosen = None
    if args.crosswalk:
        is_file = args.crosswalk.endswith((".toml", ".json")) or Path(args.crosswalk).exists()
        chosen = crosswalks.read(args.crosswalk) if is_file else crosswalks.load(args.crosswalk)
    done = [
        migrations.migrate(item, target, crosswalk=chosen) for item in assessment.read(args.file)
    ]
    if args.output:
        assessment.write([m.assessment for m in done], args.output)
    if args.format == "json":
        sys.stdout.write(dump_json([_json(m, lang) for m in done]))
    else:
        for m in done:
            _table(m, lang)
    lost = any(m.not_carried for m in done)
    return 1 if args.strict and lost else 0


def _table(m: Any, lang: str) -> None:
    from kotacerdas.cli import printable

    a = m.assessment
    out = sys.stdout
    out.write(
        printable(f"{a.region} {a.year}: {m.source} → {m.target} ({m.crosswalk.id}, {m.status})")
        + "\n"
    )
    total = len(m.carried) + sum(p.path.startswith("scores[") for p in m.not_carried)
    out.write(
        printable(message("migration.carried", lang, carried=len(m.carried), total=total)) + "\n"
    )
    for c in m.carried:
        arrow = c.source if c.source == c.target else f"{c.source} → {c.target}"
        out.write(printable(f"  {arrow:<14} {c.stage:<14} {c.value}") + "\n")
    if m.not_carried:
        out.write(printable(message("migration.lost", lang, count=len(m.not_carried))) + "\n")
        for p in m.not_carried:
            out.write(printable(f"  {p.message(lang)}") + "\n")
    for note in m.notes:
        out.write(printable(f"  * {note.message(lang)}") + "\n")


def _json(m: Any, lang: str) -> dict[str, Any]:
    a = m.assessment
    return {
        "region": a.region,
        "year": a.year,
        "source": m.source,
        "target": m.target,
        "crosswalk": m.crosswalk.id,
        "status": m.status,
        "carried": [
            {
                "path": c.path,
                "source": c.source,
                "target": c.target,
                "stage": c.stage,
                "value": c.value,
            }
            for c in m.carried
        ],
        "not_carried": [
            {"path": p.path, "code": p.code, "message": p.message(lang)} for p in m.not_carried
        ],
        "notes": [{"code": p.code, "message": p.message(lang)} for p in m.notes],
    }
