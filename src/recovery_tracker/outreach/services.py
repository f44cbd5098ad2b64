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
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from recovery_tracker.accounts.services import audit_record
from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.engine.reminders import deadline_default, reminder_due
from recovery_tracker.outreach import links, mail, permissions
from recovery_tracker.outreach.models import Contact, Reminder, ResponseRequest
from recovery_tracker.progress.models import Source, State, Update, Voice
from recovery_tracker.progress.services import UpdateData, update_validate

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
    if not recommendation.addressees.filter(organisation=body).exists():
        errors["body"] = "Choose a body this recommendation is addressed to"
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
        errors = update_validate(recommendation=request.recommendation, voice=Voice.SELF_REPORT, data=data)
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
