"""Shipped evidence: dated events from public sources (2020–2026), loaded by ``recovery-tracker setup``.

Each row names a recommendation by a verbatim phrase of the plan (``recommendation_hint``). The
rows are published as public-record evidence written by the editorial organisation ("compiled from
public sources"), with their source links. They describe what happened and set NO status or
response: every recommendation stays "not assessed" until a body or an assessor says otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from recovery_tracker.accounts.models import Membership
from recovery_tracker.accounts.services import membership_add
from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.engine.plan import normalise_whitespace
from recovery_tracker.progress.models import DatePrecision, EvidenceLink, Source, State, Update, Voice

EVIDENCE_PATH = Path(__file__).resolve().parent.parent / "data" / "evidence" / "public-evidence-2020-2026.csv"
PLAN_SLUG = "west-midlands-2020"
EDITORIAL_SLUG = "recovery-tracker-editorial"
AUTHOR_LABEL = "Recovery Tracker editorial (compiled from public sources)"


@dataclass
class EvidenceRow:
    number: int  # the line in the CSV file, header = 1
    values: dict[str, str]
    recommendation: Recommendation | None = None
    candidates: list[Recommendation] = field(default_factory=list)


@dataclass
class EvidenceLoadResult:
    created: int = 0
    already_loaded: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = f"Public evidence: {self.created} entries loaded, {self.already_loaded} already there"
        if self.unmatched:
            text += f"; {len(self.unmatched)} rows matched no recommendation: " + ", ".join(
                f"line {n} ({hint!r})" for n, hint in self.unmatched)
        return text


def evidence_date(text: str) -> tuple[dt.date, str]:
    """'2022-07-14' → day; '2022-07' → month; '2022' or '2026 (spring start planned)' → year."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text), DatePrecision.DAY
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return dt.date(int(text[:4]), int(text[5:7]), 1), DatePrecision.MONTH
    match = re.match(r"(\d{4})\b", text)
    if match:
        return dt.date(int(match.group(1)), 1, 1), DatePrecision.YEAR
    raise ValueError(f"Cannot read the date {text!r}: use YYYY-MM-DD, YYYY-MM or YYYY")


def _norm(text: str) -> str:
    return normalise_whitespace(text).casefold()


def evidence_match(rows: list[EvidenceRow], plan: Plan) -> None:
    """Find each row's recommendation by its hint phrase in the quotes (or, failing that, in the
    criteria a recommendation lists, such as the public interest test's); prefer the row's section
    when the phrase appears in several."""
    recs = list(Recommendation.objects.filter(plan=plan, retired=False).select_related("section")
                .prefetch_related("criteria"))
    quotes = [(rec, _norm(rec.quote)) for rec in recs]
    criteria = [(rec, _norm(" | ".join(c.text for c in rec.criteria.all()))) for rec in recs]
    for row in rows:
        hint = _norm(row.values["recommendation_hint"])
        row.candidates = [rec for rec, quote in quotes if hint and hint in quote] or [
            rec for rec, texts in criteria if hint and hint in texts]
        if len(row.candidates) == 1:
            row.recommendation = row.candidates[0]
        elif row.candidates:
            in_section = [rec for rec in row.candidates if rec.section.number == row.values["section"].strip()]
            # Still ambiguous within the section: the first in plan order, the one the phrase opens.
            row.recommendation = (in_section or row.candidates)[0]


def _organisation_index() -> dict[str, Organisation]:
    index: dict[str, Organisation] = {}
    for org in Organisation.objects.all():
        for name in (org.name, org.short_name, org.slug):
            if name:
                index[_norm(name)] = org
    return index


def _bodies_named(text: str, index: dict[str, Organisation]) -> list[Organisation]:
    found = []
    for part in text.split(";"):
        part = part.strip()
        candidates = [part, re.sub(r"\s*\(.*?\)", "", part)] + re.findall(r"\((.*?)\)", part)
        for name in candidates:
            org = index.get(_norm(name))
            if org is not None and org not in found:
                found.append(org)
                break
    return found


def external_key(values: dict[str, str]) -> str:
    """The stable key of an evidence row (unchanged by adding columns such as ``id``)."""
    digest = hashlib.sha256(f"{values['date']}|{values['title']}|{values['source_url']}".encode()).hexdigest()
    return f"public-evidence:{digest[:32]}"


def evidence_rows(path: Path = EVIDENCE_PATH) -> list[EvidenceRow]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [EvidenceRow(number=i + 2, values=row) for i, row in enumerate(csv.DictReader(handle))]


def evidence_load(*, path: Path = EVIDENCE_PATH, progress: Any = None) -> EvidenceLoadResult:
    """Load the shipped evidence as published public-record updates. Running it again adds only
    rows not loaded before. ``progress`` wraps the row iterator (a Rich progress bar on the CLI)."""
    result = EvidenceLoadResult()
    plan = Plan.objects.filter(slug=PLAN_SLUG).first()
    editorial = Organisation.objects.filter(slug=EDITORIAL_SLUG).first()
    if plan is None or editorial is None:
        return result
    rows = evidence_rows(path)
    evidence_match(rows, plan)
    index = _organisation_index()
    existing = set(Update.objects.filter(external_key__startswith="public-evidence:").values_list(
        "external_key", flat=True))
    now = timezone.now()
    with transaction.atomic():
        for row in (progress(rows) if progress else rows):
            values = row.values
            if row.recommendation is None:
                result.unmatched.append((row.number, values["recommendation_hint"]))
                continue
            key = external_key(values)
            if key in existing:
                result.already_loaded += 1
                continue
            date, precision = evidence_date(values["date"])
            addressed = {a.organisation_id for a in row.recommendation.addressees.all()}
            named = _bodies_named(values["organisation"], index)
            body = next((org for org in named if org.pk in addressed), None)
            note = f"\n\nOrganisations named by the source: {values['organisation']}."
            if precision == DatePrecision.YEAR and values["date"].strip() != str(date.year):
                note += f" Date as given: {values['date'].strip()}."
            update = Update.objects.create(
                recommendation=row.recommendation, organisation=editorial, body=body, voice=Voice.EVIDENCE,
                author_label=AUTHOR_LABEL, date=date, date_precision=precision, title=values["title"].strip(),
                narrative=values["summary"].strip() + note, state=State.PUBLISHED, source=Source.SHIPPED,
                external_key=key, published_at=now, submitted_at=now,
            )
            if values["source_url"].strip():
                EvidenceLink.objects.create(update=update, url=values["source_url"].strip(),
                                            title=values["source_title"].strip())
            existing.add(key)
            result.created += 1
        if result.created:
            audit_record(actor=None, actor_label="setup", action="evidence.load", object_type="progress.update",
                         object_id=path.name, summary=result.summary(),
                         data={"created": result.created, "unmatched": result.unmatched})
    return result


def load_shipped(console: Any) -> EvidenceLoadResult:
    """Called by ``recovery-tracker setup``: load the evidence with a progress bar, say loudly what
    did not match, and create the demo accounts when RECOVERY_TRACKER_DEMO_USERS=1."""
    import os

    from rich.progress import track

    def bar(rows: list[EvidenceRow]) -> Any:
        return track(rows, description="Loading public evidence", console=console)

    result = evidence_load(progress=bar)
    console.print(result.summary(), style="bold red" if result.unmatched else None)
    # The editorial baseline assessment rests on the evidence rows, so it loads after them.
    from recovery_tracker.progress.assessments import assessments_load_shipped

    assessments_load_shipped(console)
    if os.environ.get("RECOVERY_TRACKER_DEMO_USERS") == "1":
        demo_users_create(echo=console.print)
    return result


# ── demo accounts, to try the update workflow ─────────────────────────────────────────────

DEMO_PASSWORD = "demo-only-password-change-me"  # noqa: S105 - a documented demo credential, demo mode only
DEMO_USERS = (
    # (username, organisation slug, role)
    ("demo-council-member", "birmingham-city-council", Membership.Role.MEMBER),
    ("demo-union-assessor", "midlands-tuc", Membership.Role.MEMBER),
    ("demo-moderator", "recovery-tracker-editorial", Membership.Role.MODERATOR),
)


def demo_users_create(*, echo: Any = print) -> list[tuple[str, str, str]]:
    """Create the demo accounts (demo only: RECOVERY_TRACKER_DEMO_USERS=1) and print their
    credentials. Organisations missing from the loaded plan are skipped. Safe to run again."""
    User = get_user_model()
    created: list[tuple[str, str, str]] = []
    with transaction.atomic():
        for username, org_slug, role in DEMO_USERS:
            organisation = Organisation.objects.filter(slug=org_slug).first()
            if organisation is None:
                continue
            user, new = User.objects.get_or_create(username=username, defaults={"first_name": "Demo"})
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save()
            membership_add(actor=None, user=user, organisation=organisation, role=role)
            created.append((username, organisation.name, role))
    for username, org_name, role in created:
        echo(f"Demo account (demo only): {username} / {DEMO_PASSWORD} – {role} of {org_name}")
    return created
