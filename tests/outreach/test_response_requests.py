"""Asking a body for its response, chasing it, and its reply through the emailed link, with a real
SMTP server on loopback (the smtp_server fixture) and the real database."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse

from recovery_tracker.outreach import links, services
from recovery_tracker.outreach.models import Contact, ReplyLink, ResponseRequest
from recovery_tracker.progress import services as progress_services
from recovery_tracker.progress.models import Update

REC_URL = "/plans/test-plan/recommendations/1-a/"
CONTACT_EMAIL = "policy-officer@authority.example.test"


@pytest.fixture
def contact(people):
    return Contact.objects.create(organisation=people.authority, name="Pat TEST-Officer", email=CONTACT_EMAIL,
                                  job_title="Head of Policy")


def _reply_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/respond/[^\s]+/)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def _ask(client, people, contact, **fields):
    client.force_login(people.moderator)
    return client.post(REC_URL + "ask/", {"contact": contact.pk, **fields})


def test_a_moderator_asks_the_contact_is_emailed_and_the_public_sees_the_date(client, people, contact,
                                                                              smtp_server):
    response = _ask(client, people, contact, message="We would welcome your response.")
    assert response.status_code == 302
    [message] = smtp_server.wait_for(1)
    assert message["To"] == CONTACT_EMAIL
    assert "1-a: Build test homes" in message["Subject"]
    body = message.get_content()
    assert "We would welcome your response." in body and "/respond/" in body
    today = dt.date.today()
    due = today + dt.timedelta(days=28)
    assert f"Please reply by {due.day} {due:%B %Y}" in body

    client.logout()
    page = client.get(REC_URL).content.decode()
    assert f"Asked on {today.day} {today:%B %Y} (reply due by {due.day} {due:%B %Y}); no reply yet" in page
    # The contact is personal data: never on a public page.
    assert "Pat TEST-Officer" not in page and CONTACT_EMAIL not in page
    assert "Pat TEST-Officer" not in client.get("/organisations/test-authority/").content.decode()


def test_the_reply_enters_moderation_as_the_bodys_own_account_and_shows_as_answered(client, people, contact,
                                                                                    smtp_server):
    _ask(client, people, contact)
    path = _reply_path(smtp_server.wait_for(1)[0])
    client.logout()
    form = client.get(path)
    assert form.status_code == 200 and "Build test homes" in form.content.decode()
    done = client.post(path, {"response": "accepted", "status": "in_progress",
                              "narrative": "Cabinet agreed a TEST programme.",
                              "links": "https://example.org/cabinet TEST cabinet paper"})
    assert done.status_code == 200 and "Reply received" in done.content.decode()
    update = Update.objects.get()
    assert (update.organisation, update.body, update.voice, update.state) == (
        people.authority, people.authority, "self_report", "submitted")
    assert update.response == "accepted" and update.links.get().url == "https://example.org/cabinet"
    assert "Pat TEST-Officer" in update.author_label
    # In moderation: not yet public, and the public record says a reply is being checked.
    page = client.get(REC_URL).content.decode()
    assert "reply received, being checked by moderators" in page
    assert "Cabinet agreed a TEST programme." not in page

    progress_services.update_publish(actor=people.moderator, update=update)
    page = client.get(REC_URL).content.decode()
    today = dt.date.today()
    assert f"answered on {today.day} {today:%B %Y}" in page
    assert ResponseRequest.objects.get().reply == update


def test_a_reply_link_works_once(client, people, contact, smtp_server):
    _ask(client, people, contact)
    path = _reply_path(smtp_server.wait_for(1)[0])
    client.logout()
    assert client.post(path, {"response": "noted", "narrative": "Noted (TEST)."}).status_code == 200
    again = client.post(path, {"response": "rejected", "narrative": "A second reply (TEST)."})
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert client.get(path).status_code == 410
    assert Update.objects.count() == 1 and Update.objects.get().response == "noted"


def test_an_expired_link_is_refused_and_nothing_is_saved(client, people, contact, smtp_server, monkeypatch):
    client.force_login(people.moderator)
    long_ago = signing.b62_encode(int(dt.datetime.now().timestamp()) - (links.REPLY_LINK_DAYS + 1) * 86400)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: long_ago)
    _ask(client, people, contact)
    monkeypatch.undo()
    path = _reply_path(smtp_server.wait_for(1)[0])
    client.logout()
    response = client.post(path, {"response": "accepted", "narrative": "Too late (TEST)."})
    assert response.status_code == 410 and "has expired" in response.content.decode()
    assert not Update.objects.exists() and ResponseRequest.objects.get().reply is None


def test_a_link_past_its_stored_expiry_is_refused(client, people, contact, smtp_server):
    _ask(client, people, contact)
    path = _reply_path(smtp_server.wait_for(1)[0])
    ReplyLink.objects.update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    client.logout()
    assert client.get(path).status_code == 410


def test_a_tampered_link_is_refused(client, people, contact, smtp_server):
    _ask(client, people, contact)
    path = _reply_path(smtp_server.wait_for(1)[0])
    client.logout()
    forged = path.replace("/respond/", "/respond/x")
    response = client.post(forged, {"response": "accepted", "narrative": "Forged (TEST)."})
    assert response.status_code == 410 and "not valid" in response.content.decode()
    assert not Update.objects.exists()


def test_a_reply_with_missing_fields_names_them_saves_nothing_and_the_link_still_works(client, people, contact,
                                                                                      smtp_server):
    _ask(client, people, contact)
    path = _reply_path(smtp_server.wait_for(1)[0])
    client.logout()
    response = client.post(path, {"narrative": "Something (TEST).", "links": "not-a-web-address"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "<title>Error: " in text
    assert "Choose the body&#x27;s response to the recommendation" in text
    assert "Evidence link 1 is not a web address" in text
    assert not Update.objects.exists() and not ReplyLink.objects.filter(used_at__isnull=False).exists()
    assert client.post(path, {"response": "accepted", "narrative": "Fixed (TEST)."}).status_code == 200


def test_if_the_mail_server_refuses_nothing_is_recorded(client, people, contact, settings):
    import socket

    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", closed_port, False
    response = _ask(client, people, contact)
    assert response.status_code == 400
    assert "The email could not be sent" in response.content.decode()
    assert not ResponseRequest.objects.exists() and not ReplyLink.objects.exists()


def test_reminders_are_sent_after_the_deadline_and_shown_publicly(client, people, contact, smtp_server, rec):
    asked_on = dt.date(2026, 3, 3)
    request = services.response_request_send(actor=people.moderator, recommendation=rec, body=people.authority,
                                             contact=contact, today=asked_on)
    assert request.deadline == dt.date(2026, 3, 31)
    assert services.reminders_send(today=dt.date(2026, 3, 31)) == []  # on the deadline: not yet
    [reminder] = services.reminders_send(today=dt.date(2026, 4, 1))
    assert reminder.sent_on == dt.date(2026, 4, 1)
    assert services.reminders_send(today=dt.date(2026, 4, 2)) == []  # one per fortnight
    messages = smtp_server.wait_for(2)
    assert messages[1]["Subject"].startswith("Reminder: ")
    assert "A reminder: we asked Test Authority on 3 March 2026" in messages[1].get_content()
    page = client.get(REC_URL).content.decode()
    assert "Asked on 3 March 2026 (reply due by 31 March 2026); reminded on 1 April 2026; no reply by the deadline" \
        in page
    # Overdue: the flag names the body and the dates.
    assert "Asked and not answered" in page
    assert "Test Authority was asked for its response on 3 March 2026 and has not replied by the deadline of " \
           "31 March 2026." in page
    # The reminder's fresh link works too.
    path = _reply_path(messages[1])
    client.post(path, {"response": "accepted", "narrative": "Late, but here (TEST)."})
    assert ResponseRequest.objects.get().reply is not None
    assert services.reminders_send(today=dt.date(2026, 5, 1)) == []


# ── who may do it ───────────────────────────────────────────────────────────────────────────


def test_only_moderators_and_assessors_may_ask(client, people, contact, smtp_server):
    assert client.get(REC_URL + "ask/").status_code == 302  # anonymous: to the sign-in page
    assert client.post(REC_URL + "ask/", {"contact": contact.pk}).status_code == 302
    for outsider in (people.member, people.other):
        client.force_login(outsider)
        assert client.post(REC_URL + "ask/", {"contact": contact.pk}).status_code == 403
    assert not ResponseRequest.objects.exists() and smtp_server.messages == []
    client.force_login(people.assessor)
    assert client.post(REC_URL + "ask/", {"contact": contact.pk}).status_code == 302
    assert ResponseRequest.objects.count() == 1


def test_only_moderators_see_and_change_contacts(client, people, contact):
    url = reverse("outreach-contacts", args=["test-authority"])
    assert client.get(url).status_code == 302
    for outsider in (people.member, people.other, people.assessor):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "X", "email": "x@example.test"}).status_code == 403
        assert client.post(reverse("outreach-contact-deactivate", args=[contact.pk])).status_code == 403
    assert Contact.objects.count() == 1 and Contact.objects.get().active
    client.force_login(people.moderator)
    assert CONTACT_EMAIL in client.get(url).content.decode()
    bad = client.post(url, {"name": "", "email": "not an address"})
    assert bad.status_code == 400 and "Enter the contact&#x27;s name" in bad.content.decode()
    assert client.post(url, {"name": "Sam TEST", "email": "sam@example.test"}).status_code == 302
    assert Contact.objects.count() == 2


def test_only_moderators_and_assessors_may_send_reminders(client, people, contact, smtp_server, rec):
    request = services.response_request_send(actor=people.moderator, recommendation=rec, body=people.authority,
                                             contact=contact)
    url = reverse("outreach-request-remind", args=[request.pk])
    assert client.post(url).status_code == 302 and not request.reminders.exists()
    client.force_login(people.other)
    assert client.post(url).status_code == 403
    assert client.get(reverse("outreach-requests")).status_code == 403
    assert not request.reminders.exists()
    client.force_login(people.moderator)
    client.post(url)
    assert request.reminders.count() == 1 and len(smtp_server.wait_for(2)) == 2


def test_a_chosen_deadline_is_used_and_a_past_one_refused(client, people, contact, smtp_server):
    future = dt.date.today() + dt.timedelta(days=10)
    bad = _ask(client, people, contact, deadline_day="1", deadline_month="1", deadline_year="2021")
    assert bad.status_code == 400 and "The deadline must be after today" in bad.content.decode()
    nonsense = _ask(client, people, contact, deadline_day="31", deadline_month="2", deadline_year="2030")
    assert nonsense.status_code == 400 and "The deadline must be a real date" in nonsense.content.decode()
    assert not ResponseRequest.objects.exists() and smtp_server.messages == []
    _ask(client, people, contact, deadline_day=str(future.day), deadline_month=str(future.month),
         deadline_year=str(future.year))
    assert ResponseRequest.objects.get().deadline == future


def test_an_overdue_request_is_flagged_where_more_action_is_needed(client, people, contact, smtp_server, rec):
    services.response_request_send(actor=people.moderator, recommendation=rec, body=people.authority,
                                   contact=contact, today=dt.date(2026, 3, 3))
    listing = client.get(reverse("more-action-plan", args=["test-plan"]) + "?view=all").content.decode()
    assert "Asked and not answered" in listing
    assert "Test Authority was asked for its response on 3 March 2026 and has not replied" in listing
    # The body's own list of flags carries it too, and a reply clears it.
    own = client.get(reverse("more-action-plan", args=["test-plan"]) + "?organisation=test-authority")
    assert "Asked and not answered" in own.content.decode()
    ResponseRequest.objects.update(reply=Update.objects.create(
        recommendation=rec, organisation=people.authority, voice="self_report", state="published",
        date=dt.date(2026, 4, 1), published_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)))
    listing = client.get(reverse("more-action-plan", args=["test-plan"]) + "?view=all").content.decode()
    assert "was asked for its response on 3 March 2026" not in listing
