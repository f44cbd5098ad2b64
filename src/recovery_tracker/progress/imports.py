"""CSV import of updates: all or nothing.

Every row is checked before anything is written: the recommendation, the organisation writing,
the body it is about, the importing person's right to draft it, and every field the web form
checks (``services.update_validate``). If any row is wrong the whole file is refused and the error
lists every bad row with its row number (the header is row 1, as a spreadsheet counts) and column.
If all rows are good they are written in one transaction, each through ``update_create_draft``
(and ``update_submit`` when the row asks), so the same permission rules apply as on the web. An
import never publishes: a moderator publishes each update after review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import plan_default
from recovery_tracker.engine.problems import Problem, ProblemsFound
from recovery_tracker.engine.safe_text import csv_uncell
from recovery_tracker.engine.tables import TableUnreadable, table_from_text
from recovery_tracker.progress import permissions
from recovery_tracker.progress.models import DatePrecision, Source, State, Update, Voice
from recovery_tracker.progress.services import UpdateData, update_create_draft, update_submit, update_validate

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "ImportRejected",
    "ImportResult",
    "updates_import",
    "updates_import_text",
]

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED_COLUMNS = ("recommendation", "organisation", "body", "voice", "date")
COLUMNS = REQUIRED_COLUMNS + (
    "state", "title", "status", "progress", "response", "response_url", "response_reason",
    "target_date", "target_date_reason", "narrative", "links", "ref",
)
# Columns of our own export (``progress export --format csv``) that describe a published record
# (its id, who published it, when): read and ignored, so an export can be edited and imported
# back. An import always makes new drafts or submissions by the importer; a faithful copy of the
# whole instance is ``recovery-tracker backup``/``restore`` (docs/operations.md).
EXPORT_ONLY_COLUMNS = ("id", "plan", "section", "status_label", "date_precision", "documents", "author",
                       "published_at", "corrects", "corrected_by", "in_force", "source", "url")
# Voices a person may import: public-record evidence is written only by the shipped loader.
IMPORT_VOICES = (Voice.SELF_REPORT.value, Voice.INDEPENDENT_ASSESSMENT.value)
IMPORT_STATES = (State.DRAFT.value, State.SUBMITTED.value)
# Fields of the service's error dictionary that are named differently in the file.
FIELD_TO_COLUMN = {"date_precision": "date"}


class ImportRejected(ProblemsFound):
    """The file was refused; nothing was stored. ``problems`` lists every problem found (row, column)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems, message=f"{len(problems)} problem(s): "
                         + "; ".join(str(problem) for problem in problems[:20]))

    @property
    def bad_rows(self) -> list[int]:
        return sorted({problem.row for problem in self.problems if problem.row})


@dataclass
class ImportResult:
    created: list[Update] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for u in self.created if u.state == State.SUBMITTED)

    def summary(self) -> str:
        return (f"Imported {len(self.created)} update(s): {self.submitted} submitted for moderation, "
                f"{len(self.created) - self.submitted} kept as drafts.")


@dataclass
class _Row:
    number: int
    recommendation: Recommendation
    organisation: Organisation
    voice: str
    state: str
    data: UpdateData
    ref: str


def _parse_date(text: str) -> tuple[dt.date, str]:
    """YYYY-MM-DD, or YYYY-MM for a month (stored as the 1st, shown as the month)."""
    text = text.strip()
    if len(text) == 7:
        return dt.date.fromisoformat(text + "-01"), DatePrecision.MONTH.value
    return dt.date.fromisoformat(text), DatePrecision.DAY.value


def _parse_links(text: str) -> list[tuple[str, str]]:
    """Links separated by new lines or " ; "; each ``URL`` or ``Title | URL``."""
    links = []
    for part in text.replace(" ; ", "\n").replace(";\n", "\n").splitlines():
        part = part.strip()
        if not part:
            continue
        if "|" in part:
            title, url = (p.strip() for p in part.rsplit("|", 1))
        else:
            title, url = "", part
        links.append((url, title))
    return links


def _read(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]], list[Problem]]:
    try:
        table = table_from_text(text, name="", column_name=lambda name: name.strip().lower())
    except TableUnreadable as unreadable:
        return [], [], unreadable.problems
    header = table.columns
    errors: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        errors.append(Problem("Missing column(s). The first row must include: " + ", ".join(REQUIRED_COLUMNS) + ".",
                              row=1, column=", ".join(missing)))
    unknown = [c for c in header if c and c not in COLUMNS and c not in EXPORT_ONLY_COLUMNS]
    if unknown:
        errors.append(Problem("Unknown column(s). Allowed: " + ", ".join(COLUMNS) + ".", row=1,
                              column=", ".join(unknown)))
    rows = []
    for row in table.rows:
        if len(row.cells) > len(header):
            errors.append(Problem(f"This row has more cells than the header ({len(header)}).", row=row.number))
            continue
        # csv_uncell: a quote our own export put before a formula prefix is not part of the text.
        rows.append((row.number, {column: csv_uncell(row.get(column)) for column in header}))
        if len(rows) > MAX_ROWS:
            errors.append(Problem(f"Files may hold at most {MAX_ROWS} rows; split the file.", row=row.number))
            break
    return header, rows, errors


def _check_row(number: int, values: dict[str, str], *, actor: Any, plan: Plan,
               recommendations: dict[str, Recommendation],
               organisations: dict[str, Organisation]) -> tuple[_Row | None, list[Problem]]:
    errors: list[Problem] = []

    def bad(column: str, message: str) -> None:
        errors.append(Problem(message, row=number, column=column))

    rec = recommendations.get(values.get("recommendation", ""))
    if rec is None:
        bad("recommendation", f"No current recommendation {values.get('recommendation', '')!r} in {plan.title}.")
    organisation = organisations.get(values.get("organisation", ""))
    if organisation is None:
        bad("organisation", f"No organisation with id {values.get('organisation', '')!r}.")
    body = None
    if values.get("body"):
        body = organisations.get(values["body"])
        if body is None:
            bad("body", f"No organisation with id {values['body']!r}.")
    voice = values.get("voice", "")
    if voice not in IMPORT_VOICES:
        bad("voice", "Voice must be self_report (the body's own account) or independent_assessment.")
    state = values.get("state") or State.DRAFT.value
    if state not in IMPORT_STATES:
        bad("state", "State must be draft or submitted. An import never publishes: a moderator publishes "
                     "each update after review.")
    date, precision = None, DatePrecision.DAY.value
    try:
        date, precision = _parse_date(values.get("date", ""))
    except ValueError:
        bad("date", "Enter the date as YYYY-MM-DD, or YYYY-MM for a month.")
    progress = None
    if values.get("progress"):
        try:
            progress = float(values["progress"].rstrip("%")) / 100
        except ValueError:
            bad("progress", "Progress must be a number from 0 to 100 (per cent).")
    target_date = None
    if values.get("target_date"):
        try:
            target_date = dt.date.fromisoformat(values["target_date"])
        except ValueError:
            bad("target_date", "Enter the target date as YYYY-MM-DD.")
    if errors and (rec is None or organisation is None or date is None):
        return None, errors
    if rec is None or organisation is None or date is None:  # pragma: no cover - narrowed above
        return None, errors
    if voice in IMPORT_VOICES and (body is not None or not values.get("body")) and not permissions.can_draft(
            actor, rec, organisation, voice, body):
        bad("organisation", f"You may not draft a {voice.replace('_', ' ')} for {organisation.label} on "
                            f"recommendation {rec.slug}" + (f" about {body.label}." if body else "."))
    data = UpdateData(
        date=date, date_precision=precision, body=body, title=values.get("title", ""),
        status=values.get("status", ""), progress=progress, response=values.get("response", ""),
        response_url=values.get("response_url", ""), response_reason=values.get("response_reason", ""),
        target_date=target_date, target_date_reason=values.get("target_date_reason", ""),
        narrative=values.get("narrative", ""), links=_parse_links(values.get("links", "")),
    )
    if voice in IMPORT_VOICES:
        already = {e.column for e in errors}
        for name, message in update_validate(recommendation=rec, voice=voice, data=data).items():
            column = FIELD_TO_COLUMN.get(name, name)
            if column not in already:
                bad(column, message)
    if values.get("ref") and Update.objects.filter(external_key=_external_key(organisation, values["ref"])).exists():
        bad("ref", f"An update with ref {values['ref']!r} from {organisation.label} was already imported.")
    if errors:
        return None, errors
    return _Row(number, rec, organisation, voice, state, data, values.get("ref", "")), []


def _external_key(organisation: Organisation, ref: str) -> str:
    return f"csv:{organisation.slug}:{ref}"


def updates_import_text(*, actor: Any, text: str, plan: Plan | None = None, filename: str = "") -> ImportResult:
    """Import updates from CSV text. Raises ``ImportRejected`` (nothing stored) listing every bad row."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("Sign in to import updates.")
    plan = plan or plan_default()
    if plan is None:
        raise ImportRejected([Problem("No plan is loaded.")])
    header, raw_rows, errors = _read(text)
    if not raw_rows and not errors:
        errors.append(Problem("The file has a header but no rows to import."))
    recommendations = {r.slug: r for r in Recommendation.objects.filter(plan=plan, retired=False)
                       .select_related("plan")}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    rows: list[_Row] = []
    refs: dict[tuple[str, str], int] = {}
    if not any(e.row == 1 for e in errors):
        for number, values in raw_rows:
            row, row_errors = _check_row(number, values, actor=actor, plan=plan, recommendations=recommendations,
                                         organisations=organisations)
            errors.extend(row_errors)
            if row and row.ref:
                key = (row.organisation.slug, row.ref)
                if key in refs:
                    errors.append(Problem(f"Ref {row.ref!r} is also used on row {refs[key]}.", row=number,
                                          column="ref"))
                refs[key] = number
            if row:
                rows.append(row)
    if errors:
        raise ImportRejected(errors)
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            update = update_create_draft(actor=actor, recommendation=row.recommendation, organisation=row.organisation,
                                         voice=row.voice, data=row.data, source=Source.CSV)
            if row.ref:
                Update.objects.filter(pk=update.pk).update(external_key=_external_key(row.organisation, row.ref))
            if row.state == State.SUBMITTED:
                update = update_submit(actor=actor, update=update)
            result.created.append(update)
        audit_record(actor=actor, action="updates.import", object_type="progress.update",
                     object_id=",".join(str(u.pk) for u in result.created)[:200],
                     summary=f"Imported {len(result.created)} update(s) from {filename or 'a CSV file'}",
                     data={"plan": plan.slug, "rows": len(rows), "filename": filename,
                           "updates": [u.pk for u in result.created]})
    return result


def updates_import_text_of(content: bytes, filename: str = "") -> str:
    """The text of an uploaded CSV, or ``ImportRejected`` saying why it is not one (nothing stored)."""
    if len(content) > MAX_BYTES:
        raise ImportRejected([Problem(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB.")])
    if filename and not filename.lower().endswith(".csv"):
        raise ImportRejected([Problem("The file must be a CSV file (.csv).")])
    if b"\x00" in content[:8192]:
        raise ImportRejected([Problem("The file is not a CSV text file.")])
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRejected([Problem(f"The file must be saved as UTF-8 text (byte {error.start} is not). "
                                      "In Excel choose “CSV UTF-8”.")]) from error


def updates_import(*, actor: Any, content: bytes, plan: Plan | None = None, filename: str = "") -> ImportResult:
    """Import updates from the bytes of a CSV file (UTF-8, with or without a byte-order mark)."""
    text = updates_import_text_of(content, filename)
    return updates_import_text(actor=actor, text=text, plan=plan, filename=filename)
