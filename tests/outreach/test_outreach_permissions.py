"""Every outreach service refuses, by itself, a user without the right (the pages ask first, and
the services ask again, so no path can skip a rule)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from recovery_tracker.outreach import services
from recovery_tracker.outreach.models import CommunityReport, Contact, ReportReply, ResponseRequest


@pytest.fixture
def contact(people):
    return Contact.objects.create(organisation=people.authority, name="Pat TEST", email="pat@example.test")


@pytest.fixture
def published_report(people, rec):
    return CommunityReport.objects.create(recommendation=rec, organisation=people.authority, name="TEST",
                                          email="t@example.test", text="Seen (TEST).", public_text="Seen (TEST).",
                                          state="published")


def _outsiders(people):
    return [AnonymousUser(), people.member, people.other]


def test_contacts_refuse_everyone_but_moderators(people, contact):
    for user in [*_outsiders(people), people.assessor]:
        with pytest.raises(PermissionDenied):
            services.contact_add(actor=user, organisation=people.authority, name="X", email="x@example.test")
        with pytest.raises(PermissionDenied):
            services.contact_deactivate(actor=user, contact=contact)
    assert Contact.objects.count() == 1 and Contact.objects.get().active


def test_requests_and_reminders_refuse_everyone_but_moderators_and_assessors(people, contact, rec, smtp_server):
    for user in _outsiders(people):
        with pytest.raises(PermissionDenied):
            services.response_request_send(actor=user, recommendation=rec, body=people.authority, contact=contact)
    assert not ResponseRequest.objects.exists()
    request = services.response_request_send(actor=people.assessor, recommendation=rec, body=people.authority,
                                             contact=contact)
    for user in _outsiders(people):
        with pytest.raises(PermissionDenied):
            services.response_request_remind(actor=user, request=request)
    assert not request.reminders.exists()


def test_report_moderation_refuses_everyone_but_moderators(people, rec):
    report = CommunityReport.objects.create(recommendation=rec, name="TEST", email="t@example.test", text="x")
    for user in [*_outsiders(people), people.assessor]:
        with pytest.raises(PermissionDenied):
            services.report_publish(actor=user, report=report, public_text="x")
        with pytest.raises(PermissionDenied):
            services.report_reject(actor=user, report=report, note="x")
    report.refresh_from_db()
    assert report.state == "submitted"


def test_replies_to_reports_refuse_other_organisations_and_unpublished_reports(people, published_report, rec):
    for user in (AnonymousUser(), people.other, people.assessor, people.moderator):
        with pytest.raises(PermissionDenied):
            services.report_reply_submit(actor=user, report=published_report, text="x")
    waiting = CommunityReport.objects.create(recommendation=rec, organisation=people.authority, name="TEST",
                                             email="t@example.test", text="x")
    with pytest.raises(PermissionDenied):
        services.report_reply_submit(actor=people.member, report=waiting, text="x")
    assert not ReportReply.objects.exists()
    reply = services.report_reply_submit(actor=people.member, report=published_report, text="Our answer (TEST).")
    for user in (AnonymousUser(), people.member, people.colleague, people.other):
        with pytest.raises(PermissionDenied):
            services.report_reply_publish(actor=user, reply=reply)
    reply.refresh_from_db()
    assert reply.state == "submitted"
