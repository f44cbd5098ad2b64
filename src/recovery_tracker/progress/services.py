"""Writes to progress: the update workflow. Each service checks permission, runs in one
transaction and writes one audit row.

Errors:
- ``PermissionDenied`` (django.core.exceptions): the actor may not do this.
- ``UpdateInvalid``: the fields are wrong; ``.errors`` maps field name → message for the form.
- ``StaleEdit``: someone saved the draft since this form was opened (``lock_version`` mismatch).
- ``WorkflowError``: the update is not in a state that allows this step.

Shared by the web pages, the CSV import and the API: build an ``UpdateData`` and call these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.selectors import recommendation_addresses
from recovery_tracker.engine.filetypes import TEXT, content_matches
from recovery_tracker.engine.formatting import day
from recovery_tracker.progress import permissions
from recovery_tracker.progress.models import (
    DatePrecision,
    EvidenceDocument,
    EvidenceLink,
    Response,
    Source,
    State,
    Update,
    Voice,
)
from recovery_tracker.progress.vocabulary import status_keys

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
}


class UpdateInvalid(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class StaleEdit(Exception):
    """The draft changed since the form was opened; the user's text must be kept and shown again."""


class WorkflowError(Exception):
    pass


@dataclass
class UpdateData:
    """The fields a writer chooses. Dates are ``datetime.date``; links are (url, title) pairs."""

    date: dt.date
    body: Organisation | None = None
    date_precision: str = DatePrecision.DAY
    title: str = ""
    status: str = ""
    progress: float | None = None
    response: str = ""
    response_url: str = ""
    response_reason: str = ""
    target_date: dt.date | None = None
    target_date_reason: str = ""
    narrative: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


# ── validation ──────────────────────────────────────────────────────────────────────────────


def previous_target_date(*, recommendation: Recommendation, body: Organisation | None, voice: str,
                         exclude: Update | None = None) -> dt.date | None:
    """The target date most recently published for this recommendation, body and voice."""
    qs = Update.objects.filter(recommendation=recommendation, body=body, voice=voice, state=State.PUBLISHED,
                               target_date__isnull=False)
    if exclude is not None and exclude.corrects_id:
        qs = qs.exclude(pk=exclude.corrects_id)
    latest = qs.order_by("-date", "-published_at", "-id").first()
    return latest.target_date if latest else None


DELIVERED_NEEDS_EVIDENCE = (
    "An independent assessment of “delivered” needs published evidence: add a link to where it is published "
    "(a report, minutes, a web page) or attach a document, or choose another status"
)


def delivered_needs_evidence(*, voice: str, status: str, links: Sequence[tuple[str, str]],
                             document_count: int) -> str | None:
    """Rule: "an assessment of 'delivered' without published evidence is refused with a clear message".

    An independent assessment that says delivered must carry at least one evidence link or document."""
    if voice == Voice.INDEPENDENT_ASSESSMENT and status == "delivered" and not links and document_count == 0:
        return DELIVERED_NEEDS_EVIDENCE
    return None


def update_validate(*, recommendation: Recommendation, voice: str, data: UpdateData,
                    current: Update | None = None, document_count: int = 0) -> dict[str, str]:
    """Every field error at once, keyed by field name (the same names as the web form and CSV).

    ``document_count`` is how many documents the update will carry once saved (for the evidence rule).
    """
    errors: dict[str, str] = {}
    if voice not in Voice.values:
        errors["voice"] = "Choose whose voice this is: own account or independent assessment"
    if data.date is None:
        errors["date"] = "Enter the date this update describes"
    elif data.date > timezone.localdate():
        errors["date"] = "The date of an update cannot be in the future"
    if data.date_precision not in DatePrecision.values:
        errors["date_precision"] = "Date precision must be day or month"
    if data.status and data.status not in status_keys(recommendation.plan):
        errors["status"] = "Choose a status from the list: " + ", ".join(status_keys(recommendation.plan))
    if voice == Voice.EVIDENCE and data.status:
        errors["status"] = "Public-record evidence does not set a status"
    if data.progress is not None and not 0 <= data.progress <= 1:
        errors["progress"] = "Progress must be between 0% and 100%"
    if data.response and data.response not in Response.values:
        errors["response"] = "Choose a response from the list"
    if data.response and voice != Voice.SELF_REPORT:
        errors["response"] = "Only the body's own account records its response"
    url_check = URLValidator(schemes=["http", "https"])
    if data.response_url:
        try:
            url_check(data.response_url)
        except ValidationError:
            errors["response_url"] = "Enter the response link as a full web address starting with https://"
    for index, (url, _title) in enumerate(data.links):
        try:
            url_check(url)
        except ValidationError:
            errors["links"] = f"Evidence link {index + 1} is not a web address starting with http:// or https://"
            break
    if voice != Voice.EVIDENCE and data.body is not None and not recommendation_addresses(recommendation, data.body):
        errors["body"] = "Choose a body this recommendation is addressed to (or a member of a group it addresses)"
    if voice in (Voice.SELF_REPORT, Voice.INDEPENDENT_ASSESSMENT) and data.body is None:
        errors["body"] = "Choose which addressed body this update is about"
    if data.target_date is not None and "body" not in errors:
        previous = previous_target_date(recommendation=recommendation, body=data.body, voice=voice,
                                        exclude=current)
        if previous is not None and previous != data.target_date and not data.target_date_reason.strip():
            errors["target_date_reason"] = (
                f"Give the reason the target date changed from {day(previous)}"
            )
    if "status" not in errors and (problem := delivered_needs_evidence(
            voice=voice, status=data.status, links=data.links, document_count=document_count)):
        errors["status"] = problem
    if not (data.narrative.strip() or data.status or data.response or data.links or data.title.strip()):
        errors["narrative"] = "Say what has happened: write a narrative, or set a status, response or evidence"
    return errors


def upload_check(upload: UploadedFile) -> tuple[str, str]:
    """Check size, extension and content. Returns (extension, content type) or raises UpdateInvalid.

    The extension alone is not trusted: the first bytes must match the type it claims.
    """
    name = upload.name or ""
    ext = PurePath(name).suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise UpdateInvalid({"documents": f"“{name}” must be a PDF, DOCX, XLSX, CSV, PNG, JPEG or TXT file"})
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise UpdateInvalid({"documents": f"“{name}” must be smaller than 10 MB"})
    if upload.size == 0:
        raise UpdateInvalid({"documents": f"“{name}” is empty"})
    if not content_matches(ext, upload):
        if ext in TEXT:
            raise UpdateInvalid({"documents": f"“{name}” must be saved as UTF-8 text (Save as, then choose UTF-8)"})
        raise UpdateInvalid({"documents": f"“{name}” does not contain what its name says ({ext[1:].upper()})"})
    return ext, ALLOWED_EXTENSIONS[ext]


# ── helpers ─────────────────────────────────────────────────────────────────────────────────


def _apply(update: Update, data: UpdateData) -> None:
    for name, value in asdict(data).items():
        if name in ("links", "body"):
            continue
        setattr(update, name, value.strip() if isinstance(value, str) else value)
    update.body = data.body


def _links_replace(update: Update, links: Sequence[tuple[str, str]]) -> None:
    update.links.all().delete()
    EvidenceLink.objects.bulk_create(
        EvidenceLink(update=update, url=url.strip(), title=title.strip(), order=i)
        for i, (url, title) in enumerate(links)
    )


def _documents_add(update: Update, uploads: Sequence[UploadedFile]) -> None:
    for upload in uploads:
        ext, content_type = upload_check(upload)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        document = EvidenceDocument(
            update=update, original_name=PurePath(upload.name or "document").name[:255],
            content_type=content_type, size=upload.size or 0, sha256=digest.hexdigest(),
        )
        document.file.save(secrets.token_hex(16) + ext, upload, save=False)
        document.save()


def _uploads_check(uploads: Sequence[UploadedFile]) -> None:
    for upload in uploads:
        upload_check(upload)


def _summary(update: Update) -> dict[str, Any]:
    return {"recommendation": update.recommendation.slug, "organisation": update.organisation.slug,
            "body": update.body.slug if update.body else None, "voice": update.voice, "status": update.status,
            "state": update.state, "lock_version": update.lock_version}


# ── the workflow ────────────────────────────────────────────────────────────────────────────


def update_create_draft(*, actor: Any, recommendation: Recommendation, organisation: Organisation, voice: str,
                        data: UpdateData, documents: Sequence[UploadedFile] = (),
                        source: str = Source.WEB) -> Update:
    """Start a draft in ``organisation``'s name. Refused unless the actor may draft in that voice."""
    if not permissions.can_draft(actor, recommendation, organisation, voice, data.body):
        raise PermissionDenied("You cannot draft this kind of update for this recommendation.")
    errors = update_validate(recommendation=recommendation, voice=voice, data=data, document_count=len(documents))
    if errors:
        raise UpdateInvalid(errors)
    _uploads_check(documents)
    with transaction.atomic():
        update = Update(recommendation=recommendation, organisation=organisation, voice=voice, author=actor,
                        source=source, state=State.DRAFT)
        _apply(update, data)
        update.save()
        _links_replace(update, data.links)
        _documents_add(update, documents)
        audit_record(actor=actor, action="update.create_draft", object_type="progress.update", object_id=update.pk,
                     summary=f"Draft update on {recommendation.slug} by {organisation.label}", data=_summary(update))
    return update


def update_edit_draft(*, actor: Any, update: Update, lock_version: int, data: UpdateData,
                      documents: Sequence[UploadedFile] = (), documents_remove: Sequence[int] = ()) -> Update:
    """Save a draft or returned update. ``lock_version`` is the one the form was opened with: if
    the draft has been saved since, raise ``StaleEdit`` and change nothing."""
    if not permissions.can_edit_update(actor, update):
        raise PermissionDenied("You cannot edit this update.")
    kept = update.documents.exclude(pk__in=list(documents_remove)).count()
    errors = update_validate(recommendation=update.recommendation, voice=update.voice, data=data, current=update,
                             document_count=kept + len(documents))
    if errors:
        raise UpdateInvalid(errors)
    _uploads_check(documents)
    with transaction.atomic():
        # Compare-and-set in one statement so two saves racing cannot both win.
        claimed = Update.objects.filter(pk=update.pk, lock_version=lock_version,
                                        state__in=[State.DRAFT, State.RETURNED]).update(
            lock_version=lock_version + 1)
        if claimed != 1:
            raise StaleEdit("Someone else saved this draft after you opened it.")
        update.refresh_from_db()
        _apply(update, data)
        update.save()
        _links_replace(update, data.links)
        update.documents.filter(pk__in=list(documents_remove)).delete()
        _documents_add(update, documents)
        audit_record(actor=actor, action="update.edit_draft", object_type="progress.update", object_id=update.pk,
                     summary=f"Edited draft update on {update.recommendation.slug}", data=_summary(update))
    return update


STALE_MESSAGE = ("Someone changed this update after you opened it. Nothing was done: reload the page, "
                 "read their changes, then try again.")


def _transition(update: Update, *, from_states: Sequence[str], lock_version: int | None = None,
                **fields: Any) -> None:
    """Move ``update`` to a new state if it is still the version the actor saw.

    "Every state change checks lock_version": ``lock_version`` is the version the actor's page
    showed (None: the version of the ``update`` object the caller holds), so a colleague's newer
    text is never submitted, published or returned unseen."""
    expected = update.lock_version if lock_version is None else lock_version
    query = Update.objects.filter(pk=update.pk, state__in=list(from_states), lock_version=expected)
    # F() so a concurrent save in between still leaves every open form stale.
    changed = query.update(lock_version=F("lock_version") + 1, updated_at=timezone.now(), **fields)
    if changed != 1:
        update.refresh_from_db()
        if update.lock_version != expected:
            raise StaleEdit(STALE_MESSAGE)
        raise WorkflowError(f"This update is {update.get_state_display().lower()}, so it cannot be changed that way.")
    update.refresh_from_db()


def update_submit(*, actor: Any, update: Update, lock_version: int | None = None) -> Update:
    """Send a draft (or a returned update) to the moderators."""
    if not permissions.can_submit_update(actor, update):
        raise PermissionDenied("You cannot submit this update.")
    with transaction.atomic():
        _transition(update, from_states=[State.DRAFT, State.RETURNED], lock_version=lock_version,
                    state=State.SUBMITTED, submitted_at=timezone.now())
        audit_record(actor=actor, action="update.submit", object_type="progress.update", object_id=update.pk,
                     summary=f"Submitted update on {update.recommendation.slug}", data=_summary(update))
    return update


def update_publish(*, actor: Any, update: Update, lock_version: int | None = None) -> Update:
    """Publish a submitted update. From now on it is public and never changes."""
    if not permissions.can_moderate(actor, update):
        raise PermissionDenied("Only a moderator other than the author can publish this update.")
    with transaction.atomic():
        _transition(update, from_states=[State.SUBMITTED], lock_version=lock_version, state=State.PUBLISHED,
                    published_at=timezone.now(), published_by=actor, return_reason="")
        audit_record(actor=actor, action="update.publish", object_type="progress.update", object_id=update.pk,
                     summary=f"Published update on {update.recommendation.slug}", data=_summary(update))
    return update


def update_return(*, actor: Any, update: Update, reason: str, lock_version: int | None = None) -> Update:
    """Send a submitted update back to its writers with the reason; they can edit it again."""
    if not permissions.can_moderate(actor, update):
        raise PermissionDenied("Only a moderator other than the author can return this update.")
    if not reason.strip():
        raise UpdateInvalid({"reason": "Give the reason for returning the update, so its writers can fix it"})
    with transaction.atomic():
        _transition(update, from_states=[State.SUBMITTED], lock_version=lock_version, state=State.RETURNED,
                    returned_at=timezone.now(), returned_by=actor, return_reason=reason.strip())
        audit_record(actor=actor, action="update.return", object_type="progress.update", object_id=update.pk,
                     summary=f"Returned update on {update.recommendation.slug}: {reason.strip()}",
                     data=_summary(update))
    return update


def update_correct(*, actor: Any, update: Update) -> Update:
    """Start a correction of a published update: a new draft, linked to it, with its fields copied.

    The published update stays as it was; once the correction is published, the history shows
    both and the state uses the correction.
    """
    if not permissions.can_correct_update(actor, update):
        raise PermissionDenied("You cannot correct this update.")
    with transaction.atomic():
        correction = Update.objects.create(
            recommendation=update.recommendation, organisation=update.organisation, body=update.body,
            voice=update.voice, author=actor, date=update.date, date_precision=update.date_precision,
            title=update.title, status=update.status, progress=update.progress, response=update.response,
            response_url=update.response_url, response_reason=update.response_reason,
            target_date=update.target_date, target_date_reason=update.target_date_reason,
            narrative=update.narrative, corrects=update, source=Source.WEB, state=State.DRAFT,
        )
        _links_replace(correction, [(link.url, link.title) for link in update.links.all()])
        audit_record(actor=actor, action="update.correct", object_type="progress.update", object_id=correction.pk,
                     summary=f"Started a correction of update {update.pk} on {update.recommendation.slug}",
                     data={**_summary(correction), "corrects": update.pk})
    return correction


def update_delete_draft(*, actor: Any, update: Update, lock_version: int | None = None) -> None:
    """Discard a draft that was never submitted. Anything submitted or published stays; a draft a
    colleague saved after ``lock_version`` (the version the actor saw) is not discarded unseen."""
    if not (permissions.can_edit_update(actor, update) and update.state == State.DRAFT):
        raise PermissionDenied("Only an unsubmitted draft can be discarded, by its organisation.")
    expected = update.lock_version if lock_version is None else lock_version
    with transaction.atomic():
        # Claim the row at the version seen, so a save racing this discard makes it stale.
        if Update.objects.filter(pk=update.pk, state=State.DRAFT, lock_version=expected).update(
                lock_version=F("lock_version") + 1) != 1:
            raise StaleEdit(STALE_MESSAGE)
        audit_record(actor=actor, action="update.delete_draft", object_type="progress.update", object_id=update.pk,
                     summary=f"Discarded draft update on {update.recommendation.slug}", data=_summary(update))
        for document in update.documents.all():
            document.file.delete(save=False)
        update.delete()
