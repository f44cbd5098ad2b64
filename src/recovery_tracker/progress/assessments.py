"""The editorial baseline assessment (issue 12): shipped as data, loaded by ``recovery-tracker setup``.

Each assessment in ``data/assessments/<plan>.yaml`` becomes one published independent-assessment
update written by the editorial organisation, about one body, dated as at its assessment date, with
its reasons, the sources searched (for "no public evidence found") and the evidence rows it cites.
The file is checked against the engine's rules first (``engine.assessments``); a file that breaks
any rule loads nothing and the error names the file, recommendation, body, date and field.

Loading again changes nothing. An entry whose wording or status changed in the file is published as
a correction of the earlier assessment (a published update is never edited), so the history shows
both.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import recommendation_bodies
from recovery_tracker.engine import assessments as engine
from recovery_tracker.engine.formatting import day
from recovery_tracker.progress.models import DatePrecision, Source, State, Update, Voice
from recovery_tracker.progress.setup import EVIDENCE_PATH, evidence_rows, external_key
from recovery_tracker.progress.vocabulary import status_keys

__all__ = [
    "AUTHOR_LABEL",
    "AssessmentLoadResult",
    "assessment_evidence_facts",
    "assessment_file_check",
    "assessments_load",
    "assessments_load_shipped",
    "shipped_assessment_paths",
]

AUTHOR_LABEL = "Recovery Tracker editorial (independent assessment from the public record)"
KEY_PREFIX = "assessment:"


def shipped_assessment_paths() -> list[Path]:
    return sorted(Path(str(resources.files("recovery_tracker") / "data" / "assessments")).glob("*.yaml"))


@dataclass
class AssessmentLoadResult:
    created: int = 0
    corrected: int = 0
    already_loaded: int = 0
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"Editorial assessments: {self.created} published, {self.corrected} corrected, "
                f"{self.already_loaded} already there")


def assessment_evidence_facts(path: Path = EVIDENCE_PATH) -> dict[str, engine.EvidenceFact]:
    """The evidence file's rows by id, as the engine's rules read them."""
    return {row.values["id"]: engine.EvidenceFact(id=row.values["id"], date_text=row.values["date"],
                                                  title=row.values["title"], summary=row.values["summary"])
            for row in evidence_rows(path)}


def _plan_bodies(plan: Plan) -> dict[str, list[str]]:
    """Each current recommendation's bodies: addressees, and each member of a group addressee."""
    out: dict[str, list[str]] = {}
    for rec in Recommendation.objects.filter(plan=plan, retired=False).order_by("order"):
        out[rec.slug] = list(dict.fromkeys(b.organisation.slug for b in recommendation_bodies(rec)))
    return out


def assessment_file_check(file: engine.AssessmentFile, plan: Plan) -> list[str]:
    """Every broken rule, including assessments missing for a body at the file's latest date."""
    bodies = _plan_bodies(plan)
    problems = engine.assessments_check(file, evidence=assessment_evidence_facts(), bodies=bodies,
                                        statuses=status_keys(plan))
    latest = file.latest_date()
    if latest is not None:
        # A group addressee is assessed through its members, so it needs no assessment of its own.
        groups = set(Organisation.objects.filter(members__isnull=False).values_list("slug", flat=True))
        missing = [(r, b) for r, b in engine.assessments_coverage(file, bodies=bodies, as_at=latest)
                   if b not in groups]
        problems += [f"{file.path}: recommendation {r}, body {b}: no assessment as at {latest.isoformat()}; "
                     "add one (no_public_evidence with the sources searched where the record holds nothing)"
                     for r, b in missing]
    return problems


def _narrative(a: engine.Assessment) -> str:
    text = a.reasons
    if a.status == engine.NO_PUBLIC_EVIDENCE and a.sources_searched:
        text += "\n\nSources searched: " + "; ".join(a.sources_searched) + "."
    return text


def _content_hash(a: engine.Assessment) -> str:
    raw = "|".join([a.status, a.reasons, ",".join(a.evidence), a.shows_delivery, ";".join(a.sources_searched)])
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def assessments_load(*, path: Path, actor: Any = None) -> AssessmentLoadResult:
    """Check one assessment file and publish its assessments; all or nothing.

    Raises ``engine.AssessmentFileError`` listing every problem when the file breaks a rule.
    """
    file = engine.assessments_read(path)
    plan = Plan.objects.filter(slug=file.plan).first()
    if plan is None:
        raise engine.AssessmentFileError(file.path, [f"plan {file.plan!r} is not loaded; run `recovery-tracker setup`"])
    assessor = Organisation.objects.filter(slug=file.assessor).first()
    if assessor is None:
        raise engine.AssessmentFileError(file.path, [f"assessor {file.assessor!r} is not an organisation of the plan"])
    problems = assessment_file_check(file, plan)
    if problems:
        raise engine.AssessmentFileError(file.path, problems)

    recs = {r.slug: r for r in Recommendation.objects.filter(plan=plan)}
    orgs = {o.slug: o for o in Organisation.objects.all()}
    evidence_keys = {row.values["id"]: external_key(row.values) for row in evidence_rows()}
    evidence_updates = {u.external_key: u for u in Update.objects.filter(external_key__in=evidence_keys.values())}
    existing = {u.external_key: u for u in Update.objects.filter(external_key__startswith=f"{KEY_PREFIX}{plan.slug}:")}
    result = AssessmentLoadResult(files=[file.path])
    now = timezone.now()
    with transaction.atomic():
        for a in file.assessments:
            stem = f"{KEY_PREFIX}{plan.slug}:{a.recommendation}:{a.body}:{a.as_at.isoformat()}"
            key = f"{stem}:{_content_hash(a)}"
            if key in existing:
                result.already_loaded += 1
                continue
            # The assessment in force for this body and date, if the file said something else before.
            earlier = [u for k, u in existing.items() if k.startswith(stem + ":") and not u.corrections.exists()]
            update = Update.objects.create(
                recommendation=recs[a.recommendation], organisation=assessor,
                body=None if a.body == engine.WHOLE else orgs[a.body],
                voice=Voice.INDEPENDENT_ASSESSMENT, author_label=AUTHOR_LABEL, date=a.as_at,
                date_precision=DatePrecision.DAY, title=f"Editorial assessment as at {day(a.as_at)}",
                status=a.status, narrative=_narrative(a), state=State.PUBLISHED, source=Source.SHIPPED,
                external_key=key, published_at=now, submitted_at=now, corrects=earlier[0] if earlier else None,
            )
            cited = [evidence_updates[evidence_keys[e]] for e in a.evidence if evidence_keys[e] in evidence_updates]
            update.cites.set(cited)
            existing[key] = update
            if earlier:
                result.corrected += 1
            else:
                result.created += 1
        if result.created or result.corrected:
            audit_record(actor=actor, actor_label="" if actor else "setup", action="assessments.load",
                         object_type="progress.update", object_id=file.path, summary=result.summary(),
                         data={"created": result.created, "corrected": result.corrected})
    return result


def assessments_load_shipped(console: Any = None) -> AssessmentLoadResult:
    """Called by ``recovery-tracker setup`` after the evidence: every shipped assessment file."""
    total = AssessmentLoadResult()
    for path in shipped_assessment_paths():
        if not Plan.objects.filter(slug=path.stem).exists():
            continue
        result = assessments_load(path=path)
        total.created += result.created
        total.corrected += result.corrected
        total.already_loaded += result.already_loaded
        total.files += result.files
    if console is not None:
        console.print(total.summary())
    return total
