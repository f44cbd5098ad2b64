"""Reads for outreach: what the public sees of requests, follows and community reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.selectors import recommendation_bodies
from recovery_tracker.engine.formatting import day
from recovery_tracker.outreach.models import (
    CommunityReport,
    Contact,
    Follow,
    ReportReply,
    ReportState,
    ResponseRequest,
)
from recovery_tracker.progress.models import State, Update


@dataclass(frozen=True)
class RequestView:
    """One request as the public sees it: no contact, only dates and whether it was answered."""

    request: ResponseRequest
    reminders: tuple[dt.date, ...]
    answered_on: dt.date | None  # the reply is published
    reply_in_moderation: bool
    overdue: bool

    @property
    def summary(self) -> str:
        """"Asked on 3 March 2026; reminded on 1 April 2026; no reply"."""
        parts = [f"Asked on {day(self.request.asked_on)} (reply due by {day(self.request.deadline)})"]
        if self.reminders:
            parts.append("reminded on " + ", ".join(day(d) for d in self.reminders))
        if self.answered_on:
            parts.append(f"answered on {day(self.answered_on)}")
        elif self.reply_in_moderation:
            parts.append("reply received, being checked by moderators")
        else:
            parts.append("no reply" + (" by the deadline" if self.overdue else " yet"))
        return "; ".join(parts)


def _views(requests: QuerySet[ResponseRequest], today: dt.date) -> list[RequestView]:
    views = []
    for request in requests.select_related("body", "reply", "recommendation__plan").prefetch_related("reminders"):
        reply = request.reply
        published = reply is not None and reply.state == State.PUBLISHED
        views.append(RequestView(
            request=request, reminders=tuple(r.sent_on for r in request.reminders.all()),
            answered_on=timezone.localtime(request.replied_at).date() if published and request.replied_at else None,
            reply_in_moderation=reply is not None and not published,
            overdue=reply is None and request.deadline < today,
        ))
    return views


def requests_for_recommendation(recommendation: Recommendation, *, today: dt.date | None = None) -> list[RequestView]:
    return _views(ResponseRequest.objects.filter(recommendation=recommendation), today or timezone.localdate())


def requests_for_organisation(organisation: Organisation, *, today: dt.date | None = None) -> list[RequestView]:
    return _views(ResponseRequest.objects.filter(body=organisation), today or timezone.localdate())


def requests_all(*, today: dt.date | None = None) -> list[RequestView]:
    """Every request, unanswered and overdue first (for moderators and assessors)."""
    views = _views(ResponseRequest.objects.all(), today or timezone.localdate())
    return sorted(views, key=lambda v: (v.answered_on is not None, not v.overdue, v.request.deadline))


def unanswered_requests(recommendation_ids: Iterable[int]) -> dict[tuple[int, int], tuple[dt.date, dt.date]]:
    """For each (recommendation id, body id) with a request still unanswered: when the oldest such
    request was sent and its reply deadline. The "more action" rules read it (``rule_request_overdue``,
    through ``progress.rollup_data``)."""
    found: dict[tuple[int, int], tuple[dt.date, dt.date]] = {}
    unanswered = ResponseRequest.objects.filter(recommendation_id__in=list(recommendation_ids), reply__isnull=True)
    for rec_id, body_id, asked_on, deadline in unanswered.order_by("-asked_on").values_list(
            "recommendation_id", "body_id", "asked_on", "deadline"):
        found[(rec_id, body_id)] = (asked_on, deadline)  # oldest last, so oldest kept
    return found


def contacts_for(organisation: Organisation) -> QuerySet[Contact]:
    return Contact.objects.filter(organisation=organisation)


def bodies_for(recommendation: Recommendation) -> list[Organisation]:
    """The bodies that answer for a recommendation: its addressees and the members of a group
    addressee ("local authorities": each council is asked for its own response)."""
    seen: dict[int, Organisation] = {}
    for body in recommendation_bodies(recommendation):
        seen.setdefault(body.organisation.pk, body.organisation)
    return list(seen.values())


def active_contacts_for_recommendation(recommendation: Recommendation) -> list[Contact]:
    order = {body.pk: i for i, body in enumerate(bodies_for(recommendation))}
    contacts = Contact.objects.filter(organisation_id__in=order, active=True).select_related("organisation")
    return sorted(contacts, key=lambda c: (order[c.organisation_id], c.name))


# ── community reports ───────────────────────────────────────────────────────────────────────


def reports_published(*, recommendation: Recommendation | None = None,
                      organisation: Organisation | None = None) -> QuerySet[CommunityReport]:
    query = CommunityReport.objects.filter(state=ReportState.PUBLISHED).select_related(
        "recommendation__plan", "organisation")
    if recommendation is not None:
        query = query.filter(recommendation=recommendation)
    if organisation is not None:
        query = query.filter(organisation=organisation)
    return query.order_by("-published_at")


def replies_published(report: CommunityReport) -> QuerySet[ReportReply]:
    return report.replies.filter(state=ReportState.PUBLISHED).select_related("organisation")


def reports_for_moderation() -> QuerySet[CommunityReport]:
    return CommunityReport.objects.filter(state=ReportState.SUBMITTED).select_related(
        "recommendation__plan", "organisation").order_by("created_at")


def replies_for_moderation() -> QuerySet[ReportReply]:
    return ReportReply.objects.filter(state=ReportState.SUBMITTED).select_related(
        "report", "organisation", "author").order_by("created_at")


# ── follows ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Change:
    """One published change, as a digest lists it."""

    published_at: dt.datetime
    kind: str
    title: str
    path: str


def follow_changes(follow: Follow, *, since: dt.datetime | None, until: dt.datetime) -> list[Change]:
    """What was published about the followed item in (since, until]: updates in every voice and
    community reports, oldest first."""
    updates = Update.objects.filter(state=State.PUBLISHED, published_at__lte=until).select_related(
        "recommendation", "organisation")
    reports = CommunityReport.objects.filter(state=ReportState.PUBLISHED, published_at__lte=until).select_related(
        "recommendation", "organisation")
    if since is not None:
        updates, reports = updates.filter(published_at__gt=since), reports.filter(published_at__gt=since)
    if follow.plan_id:
        updates = updates.filter(recommendation__plan_id=follow.plan_id)
        reports = reports.filter(recommendation__plan_id=follow.plan_id)
    elif follow.recommendation_id:
        updates = updates.filter(recommendation_id=follow.recommendation_id)
        reports = reports.filter(recommendation_id=follow.recommendation_id)
    elif follow.organisation_id:
        updates = updates.filter(Q(body_id=follow.organisation_id) | Q(organisation_id=follow.organisation_id))
        reports = reports.filter(organisation_id=follow.organisation_id)
    else:
        return []
    changes = [
        Change(u.published_at, u.get_voice_display(),
               f"{u.recommendation.slug}: {u.title or Truncator(u.narrative).words(16)} ({u.organisation.label})",
               u.get_absolute_url())
        for u in updates
    ]
    changes.extend(
        Change(r.published_at, "Community and workforce report",
               f"{r.recommendation.slug + ': ' if r.recommendation else ''}{Truncator(r.public_text).words(16)}",
               r.get_absolute_url())
        for r in reports
    )
    return sorted(changes, key=lambda c: c.published_at)
