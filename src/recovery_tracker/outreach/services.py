"""Writes for outreach: contacts, requests for a response, reminders and replies.

Each service checks permission (or, for a reply, the signed single-use link), runs in one
transaction and writes an audit row. Emails are sent inside the transaction: if the message cannot
be handed to the mail server, the exception rolls everything back, so a request is never recorded
as "asked" when nobody was asked.

Errors: ``PermissionDenied``; ``OutreachInvalid`` (``.errors`` maps field → message);
``links.LinkInvalid`` for a bad, expired or used link.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import recommendation_addresses
from recovery_tracker.engine.reminders import deadline_default, reminder_due
from recovery_tracker.outreach import links, mail, permissions, throttle
from recovery_tracker.outreach.models import (
    CommunityReport,
    Contact,
    Follow,
    Reminder,
    ReportReply,
    ReportState,
    ResponseRequest,
)
from recovery_tracker.progress.models import Source, State, Update, Voice
from recovery_tracker.progress.services import UpdateData, UpdateInvalid, update_validate, upload_check

logger = logging.getLogger(__name__)


class OutreachInvalid(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


# ── contacts ────────────────────────────────────────────────────────────────────────────────


def contact_add(*, actor: Any, organisation: Organisation, name: str, email: str, job_title: str = "") -> Contact:
    """Record a named contact for a body. Moderators only: contacts are never shown publicly."""
    if not permissions.can_manage_contacts(actor):
        raise PermissionDenied("Only moderators can add contacts.")
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Enter the contact's name"
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["email"] = "Enter an email address in the correct format, like name@example.org"
    if errors:
        raise OutreachInvalid(errors)
    with transaction.atomic():
        contact = Contact.objects.create(organisation=organisation, name=name.strip(), email=email.strip(),
                                         job_title=job_title.strip(), created_by=actor)
        audit_record(actor=actor, action="contact.add", object_type="outreach.contact", object_id=contact.pk,
                     summary=f"Contact added for {organisation.slug}", data={"organisation": organisation.slug})
    return contact


def contact_deactivate(*, actor: Any, contact: Contact) -> Contact:
    """Stop using a contact for new requests; past requests keep naming them (for moderators)."""
    if not permissions.can_manage_contacts(actor):
        raise PermissionDenied("Only moderators can change contacts.")
    with transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(active=False)
        audit_record(actor=actor, action="contact.deactivate", object_type="outreach.contact", object_id=contact.pk,
                     summary=f"Contact for {contact.organisation.slug} no longer used")
    contact.refresh_from_db()
    return contact


def _send(**kwargs: Any) -> None:
    # Inside the caller's transaction: a message the server refuses undoes the whole write.
    try:
        mail.message_send(**kwargs)
    except mail.MailNotSent as error:
        raise OutreachInvalid({"email": str(error)}) from error


# ── requests and reminders ──────────────────────────────────────────────────────────────────


def _reply_url(signed: str) -> str:
    return mail.absolute_url(reverse("outreach-respond", args=[signed]))


def _request_email(request: ResponseRequest, *, reminder: bool) -> None:
    rec = request.recommendation
    signed = links.reply_link_issue(request)
    _send(
        to=request.contact.email,
        subject=(("Reminder: " if reminder else "") + f"Your response to recommendation {rec.slug}: {rec.title}"),
        template="outreach/email/request.txt",
        context={"request": request, "rec": rec, "reminder": reminder, "reply_url": _reply_url(signed),
                 "rec_url": mail.absolute_url(rec.get_absolute_url()), "link_days": links.REPLY_LINK_DAYS},
    )


def response_request_send(*, actor: Any, recommendation: Recommendation, body: Organisation, contact: Contact,
                          deadline: dt.date | None = None, message: str = "",
                          today: dt.date | None = None) -> ResponseRequest:
    """Ask ``body``'s contact for the body's response to ``recommendation`` and email them a reply link.

    The deadline defaults to 28 days from today. Refused unless the actor is a moderator or an
    independent assessor."""
    if not permissions.can_request_response(actor):
        raise PermissionDenied("Only moderators and independent assessors can ask a body for its response.")
    today = today or timezone.localdate()
    deadline = deadline or deadline_default(today)
    errors: dict[str, str] = {}
    if not recommendation_addresses(recommendation, body):
        errors["body"] = "Choose a body this recommendation is addressed to (or a member of a group it addresses)"
    if contact.organisation_id != body.pk or not contact.active:
        errors["contact"] = f"Choose one of {body.label}'s current contacts"
    if deadline <= today:
        errors["deadline"] = "The deadline must be after today"
    if errors:
        raise OutreachInvalid(errors)
    with transaction.atomic():
        request = ResponseRequest.objects.create(recommendation=recommendation, body=body, contact=contact,
                                                 message=message.strip(), asked_by=actor, asked_on=today,
                                                 deadline=deadline)
        audit_record(actor=actor, action="response_request.send", object_type="outreach.responserequest",
                     object_id=request.pk,
                     summary=f"Asked {body.slug} for its response to {recommendation.slug}, by {deadline}",
                     data={"recommendation": recommendation.slug, "body": body.slug, "deadline": str(deadline)})
        _request_email(request, reminder=False)
    return request


def response_request_remind(*, actor: Any | None, request: ResponseRequest,
                            today: dt.date | None = None) -> Reminder:
    """Send a reminder with a fresh reply link. ``actor`` None is the scheduled job."""
    if actor is not None and not permissions.can_request_response(actor):
        raise PermissionDenied("Only moderators and independent assessors can send reminders.")
    today = today or timezone.localdate()
    with transaction.atomic():
        request = ResponseRequest.objects.select_for_update().select_related(
            "recommendation__plan", "body", "contact").get(pk=request.pk)
        if request.reply_id is not None:
            raise OutreachInvalid({"request": "This request has been answered, so no reminder was sent"})
        if not request.contact.active:
            raise OutreachInvalid({"contact": f"{request.contact.name} is no longer a contact for "
                                              f"{request.body.label}: ask the body again with a current contact"})
        reminder = Reminder.objects.create(request=request, sent_on=today, sent_by=actor)
        audit_record(actor=actor, action="response_request.remind", object_type="outreach.responserequest",
                     object_id=request.pk, actor_label="" if actor else "scheduled reminders",
                     summary=f"Reminded {request.body.slug} about {request.recommendation.slug}")
        _request_email(request, reminder=True)
    return reminder


def reminders_send(*, today: dt.date | None = None) -> list[Reminder]:
    """The scheduled job: remind every unanswered request whose reminder is due (see
    ``engine.reminders.reminder_due``). A failure for one request does not stop the others."""
    today = today or timezone.localdate()
    sent: list[Reminder] = []
    pending = ResponseRequest.objects.filter(reply__isnull=True, deadline__lt=today, contact__active=True)
    for request in pending.prefetch_related("reminders"):
        dates = [r.sent_on for r in request.reminders.all()]
        if not reminder_due(deadline=request.deadline, reminders=dates, today=today, answered=False):
            continue
        try:
            sent.append(response_request_remind(actor=None, request=request, today=today))
        except OutreachInvalid as error:
            # Nothing was recorded for this one; the next run tries again.
            logger.warning("Reminder for request %s not sent: %s", request.pk, error)
    return sent


# ── replies through the emailed link ────────────────────────────────────────────────────────


def response_reply(*, signed: str, data: UpdateData) -> Update:
    """Record the body's reply from its contact's link: an update in the body's own voice,
    submitted for moderation. The link is used up, and so is every other link for the request.

    Raises ``links.LinkInvalid`` (bad, expired, used) or ``OutreachInvalid`` (fields), and then
    stores nothing."""
    with transaction.atomic():
        link = links.reply_link_get(signed, for_update=True)
        request = link.request
        data.body = request.body
        errors = update_validate(recommendation=request.recommendation, voice="self_report", data=data)
        if not data.response:
            errors.setdefault("response", "Choose the body's response to the recommendation")
        if errors:
            raise OutreachInvalid(errors)
        now = timezone.now()
        contact = request.contact
        update = Update.objects.create(
            recommendation=request.recommendation, organisation=request.body, body=request.body,
            voice=Voice.SELF_REPORT, author=None,
            author_label=f"{contact.name}{', ' + contact.job_title if contact.job_title else ''} "
                         f"(replying for {request.body.name} by emailed link)",
            date=data.date, title=data.title.strip(), status=data.status, response=data.response,
            response_reason=data.response_reason.strip(), narrative=data.narrative.strip(),
            source=Source.WEB, state=State.SUBMITTED, submitted_at=now,
        )
        for order, (url, title) in enumerate(data.links):
            update.links.create(url=url.strip(), title=title.strip(), order=order)
        request.links.filter(used_at__isnull=True).update(used_at=now)
        ResponseRequest.objects.filter(pk=request.pk).update(reply=update, replied_at=now)
        audit_record(actor=None, actor_label=f"contact {contact.pk} of {request.body.slug}",
                     action="response_request.reply", object_type="outreach.responserequest", object_id=request.pk,
                     summary=f"{request.body.slug} replied about {request.recommendation.slug}; in moderation",
                     data={"update": update.pk})
    return update


# ── community and workforce reports ─────────────────────────────────────────────────────────

REPORT_MAX_CHARS = 10_000
REPORT_MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class ReportData:
    """What a member of the public gives. ``website`` is the honeypot: people never see it."""

    name: str
    email: str
    text: str
    show_name: bool = False
    link: str = ""
    recommendation: Recommendation | None = None
    organisation: Organisation | None = None
    website: str = ""


def report_validate(*, data: ReportData, upload: UploadedFile | None) -> dict[str, str]:
    """Every field error at once, keyed by the form's field names."""
    errors: dict[str, str] = {}
    if data.recommendation is None and data.organisation is None:
        errors["organisation"] = "Choose the recommendation or body your report is about"
    if data.organisation is not None and data.recommendation is not None and not \
            recommendation_addresses(data.recommendation, data.organisation):
        errors["organisation"] = "Choose a body this recommendation is addressed to, or none"
    if not data.text.strip():
        errors["text"] = "Say what you have seen"
    elif len(data.text) > REPORT_MAX_CHARS:
        errors["text"] = f"Your report must be {REPORT_MAX_CHARS:,} characters or fewer; it has {len(data.text):,}"
    if data.link.strip():
        try:
            URLValidator(schemes=["http", "https"])(data.link.strip())
        except ValidationError:
            errors["link"] = "Enter the link as a full web address starting with https://"
    if not data.name.strip():
        errors["name"] = "Enter your name: moderators need it, even if the public will not see it"
    try:
        validate_email(data.email.strip())
    except ValidationError:
        errors["email"] = "Enter an email address in the correct format, like name@example.org"
    if upload is not None:
        if (upload.size or 0) > REPORT_MAX_FILE_BYTES:
            errors["file"] = f"“{upload.name}” must be smaller than 5 MB; it is {(upload.size or 0) / 1048576:.1f} MB"
        else:
            try:
                upload_check(upload)
            except UpdateInvalid as error:
                errors["file"] = error.errors.get("documents", str(error))
    return errors


def report_submit(*, data: ReportData, upload: UploadedFile | None, address: str) -> CommunityReport | None:
    """Take a community or workforce report into moderation.

    Returns None, saving nothing, if the honeypot was filled in (a bot). Raises
    ``OutreachInvalid`` for wrong fields and ``throttle.Limited`` when this address or network has
    sent too many; in both cases nothing is stored."""
    if data.website.strip():
        return None
    errors = report_validate(data=data, upload=upload)
    if errors:
        raise OutreachInvalid(errors)
    throttle.submission_check(form="report", email=data.email, address=address)
    with transaction.atomic():
        report = CommunityReport(
            recommendation=data.recommendation, organisation=data.organisation, name=data.name.strip(),
            email=data.email.strip(), show_name=data.show_name, text=data.text.strip(), link=data.link.strip(),
        )
        if upload is not None:
            ext = PurePath(upload.name or "").suffix.lower()
            report.file_name = PurePath(upload.name or "file").name[:255]
            report.file_type = upload_check(upload)[1]
            report.file_size = upload.size or 0
            report.file.save(secrets.token_hex(16) + ext, upload, save=False)
        report.save()
        audit_record(actor=None, actor_label="member of the public", action="report.submit",
                     object_type="outreach.communityreport", object_id=report.pk,
                     summary="Community report submitted for moderation",
                     data={"recommendation": data.recommendation.slug if data.recommendation else None,
                           "organisation": data.organisation.slug if data.organisation else None})
    return report


def report_publish(*, actor: Any, report: CommunityReport, public_text: str, public_link: str = "",
                   publish_file: bool = False) -> CommunityReport:
    """Publish a report as the moderator edited it (personal data redacted). The original text,
    link and the reporter's details stay on the record, for moderators only."""
    if not permissions.can_moderate_reports(actor):
        raise PermissionDenied("Only moderators can publish community reports.")
    errors: dict[str, str] = {}
    if not public_text.strip():
        errors["public_text"] = "Enter the text to publish (the report with any personal data taken out)"
    if public_link.strip():
        try:
            URLValidator(schemes=["http", "https"])(public_link.strip())
        except ValidationError:
            errors["public_link"] = "Enter the link as a full web address starting with https://, or leave it empty"
    if errors:
        raise OutreachInvalid(errors)
    with transaction.atomic():
        now = timezone.now()
        changed = CommunityReport.objects.filter(pk=report.pk, state=ReportState.SUBMITTED).update(
            state=ReportState.PUBLISHED, public_text=public_text.strip(), public_link=public_link.strip(),
            publish_file=publish_file and bool(report.file), moderated_by=actor, moderated_at=now, published_at=now)
        if changed != 1:
            raise OutreachInvalid({"report": "This report has already been moderated"})
        report.refresh_from_db()
        audit_record(actor=actor, action="report.publish", object_type="outreach.communityreport",
                     object_id=report.pk, summary="Community report published"
                     + (" with personal data redacted" if report.redacted else ""),
                     data={"redacted": report.redacted, "publish_file": report.publish_file})
        if report.organisation_id is not None:
            # Routed to the body concerned: its contacts are told, by the worker, once this commits.
            from recovery_tracker.outreach.tasks import report_route_task

            report_id = report.pk
            transaction.on_commit(lambda: report_route_task.enqueue(report_id=report_id))
    return report


def report_route(*, report: CommunityReport) -> int:
    """Tell the body a published report concerns (each of its active contacts) that it can read
    and answer it. Returns the number of messages sent; a body with no contact gets none."""
    if report.state != ReportState.PUBLISHED or report.organisation is None:
        return 0
    sent = 0
    for contact in Contact.objects.filter(organisation=report.organisation, active=True):
        mail.message_send(
            to=contact.email, subject=f"A community and workforce report about {report.organisation.name}",
            template="outreach/email/report_routed.txt",
            context={"report": report, "contact": contact,
                     "report_url": mail.absolute_url(report.get_absolute_url())})
        sent += 1
    return sent


def report_reject(*, actor: Any, report: CommunityReport, note: str) -> CommunityReport:
    """Decide not to publish a report; the note (for moderators) says why."""
    if not permissions.can_moderate_reports(actor):
        raise PermissionDenied("Only moderators can moderate community reports.")
    if not note.strip():
        raise OutreachInvalid({"moderation_note": "Say why the report is not published (moderators only see this)"})
    with transaction.atomic():
        changed = CommunityReport.objects.filter(pk=report.pk, state=ReportState.SUBMITTED).update(
            state=ReportState.REJECTED, moderation_note=note.strip(), moderated_by=actor,
            moderated_at=timezone.now())
        if changed != 1:
            raise OutreachInvalid({"report": "This report has already been moderated"})
        audit_record(actor=actor, action="report.reject", object_type="outreach.communityreport",
                     object_id=report.pk, summary="Community report not published")
    report.refresh_from_db()
    return report


def report_reply_submit(*, actor: Any, report: CommunityReport, text: str) -> ReportReply:
    """The body concerned replies to a published report, as its own account; a moderator checks it."""
    if report.state != ReportState.PUBLISHED or not permissions.can_reply_to_report(actor, report.organisation):
        raise PermissionDenied("Only the body a published report is about can reply to it.")
    if not text.strip():
        raise OutreachInvalid({"text": "Enter your reply"})
    if len(text) > REPORT_MAX_CHARS:
        raise OutreachInvalid({"text": f"Your reply must be {REPORT_MAX_CHARS:,} characters or fewer"})
    assert report.organisation is not None
    with transaction.atomic():
        reply = ReportReply.objects.create(report=report, organisation=report.organisation, author=actor,
                                           text=text.strip())
        audit_record(actor=actor, action="report_reply.submit", object_type="outreach.reportreply",
                     object_id=reply.pk, summary=f"{report.organisation.slug} replied to report {report.pk}")
    return reply


def report_reply_publish(*, actor: Any, reply: ReportReply) -> ReportReply:
    if not permissions.can_moderate_reports(actor) or reply.author_id == actor.pk:
        raise PermissionDenied("Only a moderator other than its author can publish a reply.")
    with transaction.atomic():
        changed = ReportReply.objects.filter(pk=reply.pk, state=ReportState.SUBMITTED).update(
            state=ReportState.PUBLISHED, published_at=timezone.now(), published_by=actor)
        if changed != 1:
            raise OutreachInvalid({"reply": "This reply has already been moderated"})
        audit_record(actor=actor, action="report_reply.publish", object_type="outreach.reportreply",
                     object_id=reply.pk, summary=f"Reply to report {reply.report_id} published")
    reply.refresh_from_db()
    return reply


# ── follows and digests ─────────────────────────────────────────────────────────────────────

FollowTarget = Plan | Recommendation | Organisation


def follow_target_key(target: FollowTarget) -> str:
    kind = {Plan: "plan", Recommendation: "recommendation", Organisation: "organisation"}[type(target)]
    return f"{kind}:{target.pk}"


def _follow_links(follow: Follow) -> tuple[str, str]:
    confirm = mail.absolute_url(reverse("outreach-follow-confirm", args=[links.follow_confirm_token(follow)]))
    unsubscribe = mail.absolute_url(reverse("outreach-unsubscribe", args=[links.follow_unsubscribe_token(follow)]))
    return confirm, unsubscribe


def _target_name(target: FollowTarget) -> str:
    if isinstance(target, Recommendation):
        return f"recommendation {target.slug}: {target.title}"
    if isinstance(target, Plan):
        return f"the plan “{target.title}”"
    return target.name


def follow_request(*, email: str, target: FollowTarget, address: str, website: str = "") -> Follow | None:
    """Start following ``target``: email a confirmation link (double opt-in). Nothing else is sent
    until it is confirmed. An address already following gets nothing new, and the page says the
    same either way, so nobody can find out who follows what. A filled honeypot saves nothing."""
    if website.strip():
        return None
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise OutreachInvalid({"email": "Enter an email address in the correct format, like name@example.org"}) \
            from None
    if isinstance(target, Recommendation) and target.retired:
        raise OutreachInvalid({"email": "This recommendation is no longer part of the plan, so there is nothing "
                                        "to follow"})
    throttle.submission_check(form="follow", email=email, address=address)
    key = follow_target_key(target)
    with transaction.atomic():
        follow = Follow.objects.select_for_update().filter(email__iexact=email, target_key=key).first()
        if follow is not None and follow.active:
            return follow
        if follow is None:
            follow = Follow(email=email, target_key=key, token=secrets.token_urlsafe(32))
            setattr(follow, key.split(":")[0], target)
        follow.confirmed_at = follow.unsubscribed_at = None
        follow.save()
        audit_record(actor=None, actor_label="member of the public", action="follow.request",
                     object_type="outreach.follow", object_id=follow.pk, summary=f"Follow of {key} asked for")
        confirm, unsubscribe = _follow_links(follow)
        _send(to=email, subject=f"Confirm you want updates about {_target_name(target)}",
              template="outreach/email/follow_confirm.txt", unsubscribe_url=unsubscribe,
              context={"target": _target_name(target), "confirm_url": confirm,
                       "link_days": links.CONFIRM_LINK_DAYS})
    return follow


def follow_confirm(*, signed: str) -> Follow:
    """Confirm a follow from its emailed link. Confirming twice changes nothing."""
    with transaction.atomic():
        follow = links.follow_from_confirm(signed)
        if follow.unsubscribed_at is not None:
            raise links.LinkInvalid("You have unsubscribed from this item since this link was sent. Follow it "
                                    "again to get a new link.")
        if follow.confirmed_at is None:
            now = timezone.now()
            Follow.objects.filter(pk=follow.pk).update(confirmed_at=now, digest_from=now)
            audit_record(actor=None, actor_label="follower", action="follow.confirm", object_type="outreach.follow",
                         object_id=follow.pk, summary=f"Follow of {follow.target_key} confirmed")
        follow.refresh_from_db()
    return follow


def follow_unsubscribe(*, signed: str) -> Follow:
    """Stop a follow from the link in any message. Works however old the link is; twice is fine."""
    with transaction.atomic():
        follow = links.follow_from_unsubscribe(signed)
        if follow.unsubscribed_at is None:
            Follow.objects.filter(pk=follow.pk).update(unsubscribed_at=timezone.now())
            audit_record(actor=None, actor_label="follower", action="follow.unsubscribe",
                         object_type="outreach.follow", object_id=follow.pk,
                         summary=f"Unsubscribed from {follow.target_key}")
        follow.refresh_from_db()
    return follow


def digests_send(*, now: dt.datetime | None = None) -> int:
    """The scheduled job: send each confirmed follower one message listing what was published
    about their item since their last digest (nothing is sent when nothing changed). Returns the
    number sent; a follower whose message fails keeps their changes for the next run."""
    from recovery_tracker.outreach.selectors import follow_changes

    now = now or timezone.now()
    sent = 0
    active = Follow.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True).select_related(
        "plan", "recommendation__plan", "organisation")
    for follow in active:
        if follow.target is None:
            continue
        changes = follow_changes(follow, since=follow.digest_from or follow.confirmed_at, until=now)
        if not changes:
            continue
        _confirm, unsubscribe = _follow_links(follow)
        try:
            with transaction.atomic():
                Follow.objects.filter(pk=follow.pk).update(digest_from=now)
                _send(to=follow.email, subject=f"What changed: {_target_name(follow.target)}",
                      template="outreach/email/digest.txt", unsubscribe_url=unsubscribe,
                      context={"target": _target_name(follow.target), "changes": changes,
                               "base_url": mail.absolute_url(""),
                               "target_url": mail.absolute_url(follow.target.get_absolute_url())})
        except OutreachInvalid as error:
            logger.warning("Digest for follow %s not sent: %s", follow.pk, error)
            continue
        sent += 1
    return sent
