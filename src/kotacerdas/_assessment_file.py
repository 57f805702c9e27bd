"""Assessment files: the JSON document format, the long CSV layout, and their conversions.

JSON: one assessment document, a list of them, or ``{"assessments": [...]}``; each
says its ``kind`` (a ``submission``, the default, or ``published`` results).
CSV (long): ``region,year,framework,edition,node,value`` and an optional ``stage``,
one row per score; a table carries no evidence, so it holds published results.  Both
keep decimal values exactly as written.  Both refuse an input with no assessment, a
year outside :data:`~kotacerdas.assessment.YEAR_MIN` … :data:`~kotacerdas.assessment.YEAR_MAX`
and two assessments of one region, year, framework and stage.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from kotacerdas import _compiled, _csv
from kotacerdas._boundary import number_in_bounds, problems_from
from kotacerdas._files import escape_cell, unescape_cell
from kotacerdas.assessment import (
    FINAL,
    YEAR_MAX,
    YEAR_MIN,
    Assessment,
    Assessor,
    Decision,
    Evidence,
    Location,
    Programme,
    Score,
    Session,
    SurveyResponse,
)
from kotacerdas.errors import AssessmentError, Problem
from kotacerdas.i18n import Phrase
from kotacerdas.limits import MAX_CELL_CHARS, MAX_ROWS

FORMAT_VERSION: Final = 1
MAX_ITEMS: Final = MAX_ROWS
CSV_COLUMNS: Final = ("region", "year", "framework", "edition", "node", "value")
CSV_OPTIONAL: Final = ("stage",)


def from_json_data(data: Any, source: str, resolve: Resolver) -> tuple[Assessment, ...]:
    """Validate parsed JSON *data* and build the assessments it holds."""
    if data == [] or (isinstance(data, dict) and data.get("assessments") == []):
        raise AssessmentError(source, [Problem("assessment.none", "", {"path": source})])
    from pydantic_core import ValidationError  # not needed by the CSV layout

    validators = _compiled.assessment_validators()  # compiled from _assessment_models
    try:
        if isinstance(data, list):
            documents = validators["many"].validate_python(data)
        elif isinstance(data, dict) and "assessments" in data:
            documents = validators["wrapped"].validate_python(data)["assessments"]
        else:
            documents = [validators["one"].validate_python(data)]
    except ValidationError as exc:
        raise AssessmentError(source, problems_from(exc)) from None
    items = tuple(_build(d, resolve) for d in documents)
    prefix = "assessments" if isinstance(data, dict) and "assessments" in data else ""
    _refuse_duplicates(items, [f"{prefix}[{i}]" for i in range(len(items))], source)
    return items


def _refuse_duplicates(items: Sequence[Assessment], where: Sequence[str], source: str) -> None:
    """Refuse two assessments of one region, year, framework and stage (both places named)."""
    first: dict[tuple[str, int, str, str], int] = {}
    problems: list[Problem] = []
    for i, a in enumerate(items):
        clash: tuple[int, str] | None = None
        for stage in a.stages() or (FINAL,):
            key = (a.region, a.year, a.framework, stage)
            if key in first and clash is None:
                clash = (first[key], stage)
            first.setdefault(key, i)
        if clash is not None:
            j, stage = clash
            params = {
                "first": where[j],
                "region": a.region,
                "year": a.year,
                "framework": a.framework,
                "stage": stage,
            }
            problems.append(Problem("assessment.duplicate", where[i], params))
    if problems:
        raise AssessmentError(source, problems)


Resolver = Any  # Callable[[str], str]: region text → code (or the text, when unresolved)


def _build(d: dict[str, Any], resolve: Resolver) -> Assessment:
    """The assessment of one validated document (a dict from the compiled validator)."""
    survey = d["survey"]
    return Assessment(
        region=resolve(d["region"]),
        year=d["year"],
        framework=d["framework"].lower(),
        edition=d["edition"].lower(),
        scores=tuple(
            Score(s["node"], s["value"], s["stage"], s["illustrative"], s["source"])
            for s in d["scores"]
        ),
        programmes=tuple(
            Programme(
                p["name"],
                p["node"],
                p["opd"],
                p["quick_win"],
                p["horizon"],
                p["status"],
                p["masterplan"],
                p["code"],
                p["illustrative"],
                p["source"],
            )
            for p in d["programmes"]
        ),
        evidence=tuple(
            Evidence(
                e["title"],
                e["kind"],
                e["path"],
                e["url"],
                e["sha256"],
                e["submitted_at"],
                e["stage"],
                e["node"],
                e["level"],
                e["programme"],
                Decision(e["decision"]["status"]) if e["decision"] else None,
                e["decision"]["reason"] if e["decision"] else None,
                e["code"],
                e["illustrative"],
            )
            for e in d["evidence"]
        ),
        sessions=tuple(
            Session(
                s["stage"],
                s["start"],
                s["end"],
                s["mode"],
                s["place"],
                s["illustrative"],
                s["source"],
            )
            for s in d["sessions"]
        ),
        assessors=tuple(
            Assessor(a["name"], a["affiliation"], a["role"], a["illustrative"], a["source"])
            for a in d["assessors"]
        ),
        survey_mode=survey["mode"] if survey else None,
        survey=tuple(
            SurveyResponse(r["respondent"], r["programme"], tuple(r["answers"]), r["form"])
            for r in (survey["responses"] if survey else [])
        ),
        notes=tuple(d["notes"]),
        meta=d["meta"],
        kind=d["kind"],
    )


# -- back to JSON -----------------------------------------------------------------------------


def _drop(d: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in d.items()
        if v is not None and v != [] and v != {} and not (k == "illustrative" and v is False)
    }


def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def to_json_data(a: Assessment) -> dict[str, Any]:
    """The JSON document of an assessment (decimals stay :class:`~decimal.Decimal`)."""
    return _drop(
        {
            "format": FORMAT_VERSION,
            "region": a.region,
            "year": a.year,
            "framework": a.framework,
            "edition": a.edition,
            "kind": a.kind,
            "scores": [
                _drop(
                    {
                        "node": s.node,
                        "stage": s.stage,
                        "value": s.value,
                        "illustrative": s.illustrative,
                        "source": s.source,
                    }
                )
                for s in a.scores
            ],
            "programmes": [
                _drop(
                    {
                        "code": p.code,
                        "name": p.name,
                        "node": p.node,
                        "opd": p.opd,
                        "quick_win": p.quick_win or None,
                        "horizon": p.horizon,
                        "status": p.status,
                        "masterplan": None if p.masterplan else False,
                        "illustrative": p.illustrative,
                        "source": p.source,
                    }
                )
                for p in a.programmes
            ],
            "evidence": [
                _drop(
                    {
                        "code": e.code,
                        "title": e.title,
                        "kind": e.kind,
                        "path": e.path,
                        "url": e.url,
                        "sha256": e.sha256,
                        "submitted_at": _time(e.submitted_at),
                        "stage": e.stage,
                        "node": e.node,
                        "level": e.level,
                        "programme": e.programme,
                        "decision": None
                        if e.decision is None
                        else _drop({"status": e.decision.value, "reason": e.reason}),
                        "illustrative": e.illustrative,
                    }
                )
                for e in a.evidence
            ],
            "sessions": [
                _drop(
                    {
                        "stage": s.stage,
                        "start": _time(s.start),
                        "end": _time(s.end),
                        "mode": s.mode,
                        "place": s.place,
                        "illustrative": s.illustrative,
                        "source": s.source,
                    }
                )
                for s in a.sessions
            ],
            "assessors": [
                _drop(
                    {
                        "name": x.name,
                        "affiliation": x.affiliation,
                        "role": x.role,
                        "illustrative": x.illustrative,
                        "source": x.source,
                    }
                )
                for x in a.assessors
            ],
            "survey": None
            if a.survey_mode is None and not a.survey
            else {
                "mode": a.survey_mode or "single",
                "responses": [
                    _drop(
                        {
                            "respondent": r.respondent,
                            "programme": r.programme,
                            "answers": list(r.answers),
                            "form": r.form,
                        }
                    )
                    for r in a.survey
                ],
            },
            "notes": list(a.notes),
            "meta": dict(a.meta),
        }
    )


# -- CSV ----------------------------------------------------------------------------------------


def from_csv_text(
    text: str, source: str, resolve: Resolver, *, sheet: bool = False
) -> tuple[Assessment, ...]:
    """Read the long CSV layout; every problem is reported with its row and column.

    A file whose header is separated by ``;`` (what a spreadsheet writes under an
    Indonesian locale) is read with ``;``, and its values may then use a decimal comma
    (``3,60``), though not mixed with decimal points.  Each assessment records the
    :class:`~kotacerdas.assessment.Location` of its cells: the file's line for CSV
    text, the worksheet's row when *sheet* is true.
    """
    problems: list[Problem] = []
    delimiter = _delimiter(text)
    try:
        rows, lines = _csv.read(
            text,
            delimiter=delimiter,
            max_rows=MAX_ITEMS,
            max_chars=MAX_CELL_CHARS + 1 if sheet else MAX_CELL_CHARS,  # + a "'" escape
        )
    except _csv.CsvLimitError as exc:
        problem = (
            Problem(
                "csv.cell-too-long",
                exc.where("row" if sheet else "line"),
                {"limit": MAX_CELL_CHARS},
            )
            if exc.column
            else Problem("csv.too-many-rows", "", {"limit": MAX_ITEMS})
        )
        raise AssessmentError(source, [problem]) from None
    except _csv.CsvSyntaxError as exc:
        syntax = Problem("csv.syntax", _row(exc.line), {"reason": exc.reason})
        raise AssessmentError(source, [syntax]) from None
    if sheet:  # a worksheet's rows are its lines
        lines = list(range(1, len(rows) + 1))
    top = _header_index(rows)
    if top is None:
        raise AssessmentError(source, [Problem("file.empty", "", {"path": source})])
    header = [h.strip() for h in rows[top]]
    named = [h for h in header if h]  # a column without a name (a spreadsheet's margin) is left out
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [c for c in named if c not in CSV_COLUMNS + CSV_OPTIONAL]
    dupes = sorted({c for c in named if named.count(c) > 1})
    at = _row(lines[top])
    if missing:
        problems.append(Problem("csv.missing-column", at, {"columns": ", ".join(missing)}))
    if unknown:
        problems.append(Problem("csv.unknown-column", at, {"columns": ", ".join(unknown)}))
    if dupes:
        problems.append(Problem("csv.duplicate-column", at, {"columns": ", ".join(dupes)}))
    if problems:
        raise AssessmentError(source, problems)
    col = {name: i for i, name in enumerate(header) if name}
    if len(rows) - 1 - top > MAX_ITEMS:
        raise AssessmentError(source, [Problem("csv.too-many-rows", "", {"limit": MAX_ITEMS})])
    resolved: dict[str, str] = {}
    decimal_mark: tuple[str, int] | None = None  # in a ";" file: the mark and its first row
    groups: dict[tuple[str, int, str, str], list[Score]] = {}
    starts: dict[tuple[str, int, str, str], str] = {}
    places: dict[tuple[str, int, str, str], list[int]] = {}
    seen: dict[tuple[str, int, str, str, str, str], int] = {}
    for index in range(top + 1, len(rows)):
        row, number = rows[index], lines[index]  # the file's line, or the worksheet's row
        if not any(cell.strip() for cell in row):
            continue
        where = _row(number)
        if len(row) != len(header):
            problems.append(
                Problem("csv.row-length", where, {"found": len(row), "expected": len(header)})
            )
            continue
        cells = {name: unescape_cell(row[i].strip()) for name, i in col.items()}
        bad = [n for n in CSV_COLUMNS if not cells[n]]
        if bad:
            problems.extend(Problem("csv.empty-cell", _cell(number, n)) for n in bad)
            continue
        year = _year(cells["year"])
        if year is None:
            params = {"value": cells["year"], "minimum": YEAR_MIN, "maximum": YEAR_MAX}
            problems.append(Problem("assessment.year", _cell(number, "year"), params))
            continue
        written = cells["value"]
        if delimiter == ";":  # a decimal comma, or a point, but one of them throughout
            mark = "," if _DECIMAL_COMMA.match(written) else "." if "." in written else None
            if mark is not None:
                decimal_mark = decimal_mark or (mark, number)
                if mark != decimal_mark[0]:
                    first = {"first": _row(decimal_mark[1])}
                    problems.append(Problem("csv.decimal-mixed", _cell(number, "value"), first))
                    continue
                written = written.replace(",", ".")
        value = _decimal(written)
        if value is None:
            problems.append(
                Problem("csv.not-number", _cell(number, "value"), {"value": cells["value"]})
            )
            continue
        stage = cells.get("stage") or FINAL
        # Resolve the region first, so "Kota Kediri" and "35.71" are the same group.
        region = resolved.get(cells["region"])
        if region is None:
            region = resolved[cells["region"]] = resolve(cells["region"])
        key = (region, year, cells["framework"].lower(), cells["edition"].lower())
        dup = (*key, cells["node"], stage)
        if dup in seen:
            problems.append(Problem("csv.duplicate-row", where, {"first": _row(seen[dup])}))
            continue
        seen[dup] = number
        groups.setdefault(key, []).append(Score(cells["node"], value, stage))
        places.setdefault(key, []).append(number)
        starts.setdefault(key, where)
    if problems:
        raise AssessmentError(source, problems)
    if not groups:
        raise AssessmentError(source, [Problem("assessment.none", "", {"path": source})])
    items = tuple(
        Assessment(
            *key,
            scores=tuple(scores),
            kind="published",
            locations=_locations(source, places[key], "stage" in col, sheet),
        )
        for key, scores in groups.items()
    )
    _refuse_duplicates(items, list(starts.values()), source)
    return items


def _row(number: int) -> Phrase:
    """``row N``: the file's line or the worksheet's row, in the message's language."""
    return Phrase(("where.row", {"row": number}))


def _cell(number: int, column: str) -> Phrase:
    """``row N, column NAME``, in the message's language."""
    return Phrase(("where.cell", {"row": number, "column": column}))


def _year(text: str) -> int | None:
    """A year written in plain digits within the accepted range, else ``None``."""
    if not (text.isascii() and text.isdigit()) or len(text) > 6:  # no 5,000-digit int()
        return None
    year = int(text)
    return year if YEAR_MIN <= year <= YEAR_MAX else None


_DECIMAL_COMMA: Final = re.compile(r"^-?\d+,\d+$")


def _delimiter(text: str) -> str:
    """``;`` when the header is separated by semicolons and has no comma, else ``,``."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if ";" in header and "," not in header else ","


def _header_index(rows: Sequence[Sequence[str]]) -> int | None:
    """The header's row: the first naming every required column, else the first not blank.

    Rows above it (a title, blank rows, what a spreadsheet template puts first) are not
    data; finding the header below them keeps every row number the file's own.
    """
    first = None
    for i, row in enumerate(rows):
        names = {cell.strip() for cell in row}
        if names >= _REQUIRED:
            return i
        if first is None and names - {""}:
            first = i
    return first


_REQUIRED: Final = frozenset(CSV_COLUMNS)


def _locations(source: str, lines: list[int], stage: bool, sheet: bool) -> dict[str, Location]:
    """The cell of each field of one assessment read from a table (its scores' rows)."""

    def cell(line: int, column: str | None) -> Location:
        return Location(source, line, column, sheet)

    found = {field: cell(lines[0], field) for field in ("region", "year", "framework", "edition")}
    for i, line in enumerate(lines):
        found[f"scores[{i}]"] = cell(line, None)
        for field in ("node", "value", *(("stage",) if stage else ())):
            found[f"scores[{i}].{field}"] = cell(line, field)
    return found


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    # Only plain decimal numbers: no NaN/Infinity, no exponent, no stray signs or spaces.
    if not value.is_finite() or any(ch in text for ch in "eE_ ") or text.startswith("+"):
        return None
    return value if number_in_bounds(value) else None


def to_csv_text(assessments: Iterable[Assessment], *, stage: bool | None = None) -> str:
    """Write the long CSV layout (the ``stage`` column when any score is not final).

    Text a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``) gets a
    leading ``'`` (:func:`~kotacerdas._files.escape_cell`); reading drops it again.
    """
    items: Sequence[Assessment] = list(assessments)
    with_stage = (
        stage if stage is not None else any(s.stage != FINAL for a in items for s in a.scores)
    )
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS + (CSV_OPTIONAL if with_stage else ()))
    for a in items:
        for s in a.scores:
            text = [a.region, str(a.year), a.framework, a.edition, s.node]
            row = [*map(escape_cell, text), format(s.value, "f")]
            writer.writerow([*row, escape_cell(s.stage)] if with_stage else row)
    return out.getvalue()
