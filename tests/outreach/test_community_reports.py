"""Community and workforce reports: submission with its anti-abuse limits, redaction and
publication by a moderator, and the body's reply. Real database, real files, real cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery_tracker.outreach.models import CommunityReport, ReportReply
from recovery_tracker.outreach.throttle import network_of

REC_URL = "/plans/test-plan/recommendations/1-a/"
REPORT_URL = REC_URL + "report/"
ORIGINAL = "Jo TEST-Bloggs at 1 Test Street was placed on a job guarantee at £7 an hour (TEST)."
REDACTED = "A person was placed on a job guarantee at £7 an hour (TEST)."


@pytest.fixture(autouse=True)
def fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def _fields(**overrides):
    fields = {"organisation": "test-authority", "text": ORIGINAL, "link": "https://example.org/TEST-advert",
              "name": "Alex TEST-Reporter", "email": "alex@example.test", "show_name": "no", "website": ""}
    fields.update(overrides)
    return fields


def test_a_report_waits_for_moderation_and_is_not_public(client, people):
    response = client.post(REPORT_URL, _fields())
    assert response.status_code == 200 and "Report received" in response.content.decode()
    report = CommunityReport.objects.get()
    assert (report.state, report.organisation, report.recommendation.slug) == ("submitted", people.authority, "1-a")
    assert report.name == "Alex TEST-Reporter" and report.email == "alex@example.test" and not report.show_name
    page = client.get(REC_URL).content.decode()
    assert "Community and workforce reports" in page and "No reports published yet." in page
    assert "£7 an hour" not in page
    assert client.get(report.get_absolute_url()).status_code == 404


def test_missing_fields_are_named_and_nothing_is_saved(client, people):
    response = client.post(REPORT_URL, _fields(text="", name="", email="nope", organisation="other-council-test"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "<title>Error: " in text
    for message in ("Say what you have seen", "Enter your name: moderators need it",
                    "Enter an email address in the correct format",
                    "Choose a body this recommendation is addressed to, or none"):
        assert message in text
    assert not CommunityReport.objects.exists()


def test_an_oversized_file_is_refused_and_nothing_is_saved(client, people, settings):
    big = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), "application/pdf")
    response = client.post(REPORT_URL, {**_fields(), "file": big})
    assert response.status_code == 400
    assert "“evidence.pdf” must be smaller than 5 MB" in response.content.decode()
    assert not CommunityReport.objects.exists()
    assert not (settings.MEDIA_ROOT / "reports").exists()


def test_a_file_of_the_wrong_type_is_refused(client, people):
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a picture", "image/png")
    response = client.post(REPORT_URL, {**_fields(), "file": fake})
    assert response.status_code == 400 and "does not contain what its name says" in response.content.decode()
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream")
    assert "must be a PDF, DOCX" in client.post(REPORT_URL, {**_fields(), "file": exe}).content.decode()
    assert not CommunityReport.objects.exists()


def test_a_filled_honeypot_is_thanked_and_ignored(client, people):
    response = client.post(REPORT_URL, _fields(website="http://spam.example"))
    assert response.status_code == 200 and "Report received" in response.content.decode()
    assert not CommunityReport.objects.exists()


def test_a_flood_from_one_address_gets_429_with_retry_after(client, people):
    for _ in range(5):
        assert client.post(REPORT_URL, _fields()).status_code == 200
    flood = client.post(REPORT_URL, _fields())
    assert flood.status_code == 429
    assert 0 < int(flood["Retry-After"]) <= 3600
    assert "Too many submissions from this email address" in flood.content.decode()
    assert CommunityReport.objects.count() == 5


def test_a_flood_from_one_network_gets_429_whatever_the_address(client, people):
    for i in range(20):
        assert client.post(REPORT_URL, _fields(email=f"p{i}@example.test"), REMOTE_ADDR=f"203.0.113.{i}"
                           ).status_code == 200
    flood = client.post(REPORT_URL, _fields(email="new@example.test"), REMOTE_ADDR="203.0.113.200")
    assert flood.status_code == 429 and "Retry-After" in flood
    assert "from your network" in flood.content.decode()
    # Another network is not held up.
    assert client.post(REPORT_URL, _fields(email="new@example.test"), REMOTE_ADDR="198.51.100.7").status_code == 200
    assert CommunityReport.objects.count() == 21


def test_networks_are_slash_24_and_slash_64():
    assert network_of("203.0.113.77") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert network_of("::ffff:203.0.113.9") == "203.0.113.0/24"


def test_a_moderator_redacts_and_publishes_and_the_original_stays_with_moderators(client, people):
    client.post(REPORT_URL, _fields())
    report = CommunityReport.objects.get()
    client.force_login(people.moderator)
    page = client.get(report.get_absolute_url()).content.decode()
    assert ORIGINAL.replace("£", "&pound;") in page or ORIGINAL in page
    assert "alex@example.test" in page
    response = client.post(report.get_absolute_url(), {"action": "publish", "public_text": REDACTED,
                                                       "public_link": "https://example.org/TEST-advert"})
    assert response.status_code == 302
    client.logout()
    for url in (REC_URL, "/organisations/test-authority/", report.get_absolute_url()):
        public = client.get(url).content.decode()
        assert REDACTED in public and "Community and workforce report" in public
        assert "Jo TEST-Bloggs" not in public and "Alex TEST-Reporter" not in public
        assert "alex@example.test" not in public
        assert "Name withheld at the reporter&#x27;s request" in public
        assert "personal details removed by a moderator" in public
    report.refresh_from_db()
    assert report.text == ORIGINAL and report.public_text == REDACTED


def test_a_reporter_may_choose_to_show_their_name(client, people):
    client.post(REPORT_URL, _fields(show_name="yes"))
    report = CommunityReport.objects.get()
    client.force_login(people.moderator)
    client.post(report.get_absolute_url(), {"action": "publish", "public_text": report.text})
    client.logout()
    assert "By Alex TEST-Reporter" in client.get(REC_URL).content.decode()


def test_only_moderators_publish_or_reject(client, people):
    client.post(REPORT_URL, _fields())
    report = CommunityReport.objects.get()
    url = report.get_absolute_url()
    assert client.post(url, {"action": "publish", "public_text": "x"}).status_code == 404  # anonymous
    for outsider in (people.member, people.other, people.assessor):
        client.force_login(outsider)
        assert client.post(url, {"action": "publish", "public_text": "x"}).status_code == 404
        assert client.post(url, {"action": "reject", "moderation_note": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.state == "submitted"
    client.force_login(people.moderator)
    empty = client.post(url, {"action": "reject", "moderation_note": ""})
    assert empty.status_code == 400 and "Say why the report is not published" in empty.content.decode()
    client.post(url, {"action": "reject", "moderation_note": "Duplicate (TEST)."})
    report.refresh_from_db()
    assert report.state == "rejected"
    client.logout()
    assert client.get(url).status_code == 404


def test_the_body_concerned_replies_as_its_own_account(client, people):
    client.post(REPORT_URL, _fields())
    report = CommunityReport.objects.get()
    client.force_login(people.moderator)
    client.post(report.get_absolute_url(), {"action": "publish", "public_text": REDACTED})
    url = report.get_absolute_url()
    # Anonymous, another council's member and the assessor cannot reply.
    client.logout()
    assert client.post(url, {"action": "reply", "text": "x"}).status_code == 403
    for outsider in (people.other, people.assessor):
        client.force_login(outsider)
        assert "Reply as" not in client.get(url).content.decode()
        assert client.post(url, {"action": "reply", "text": "x"}).status_code == 403
    assert not ReportReply.objects.exists()
    client.force_login(people.member)
    assert "Reply as Test Authority" in client.get(url).content.decode()
    assert client.post(url, {"action": "reply", "text": "We have raised the rate (TEST)."}).status_code == 302
    reply = ReportReply.objects.get()
    assert "We have raised the rate" not in client.get(url).content.decode()  # not yet published
    # Only a moderator (not the author) publishes it.
    assert client.post(f"/report-replies/{reply.pk}/publish/").status_code == 403
    client.force_login(people.moderator)
    assert "We have raised the rate" in client.get("/reports/moderation/").content.decode()
    client.post(f"/report-replies/{reply.pk}/publish/")
    client.logout()
    page = client.get(url).content.decode()
    assert "Test Authority's reply (own account)" in page and "We have raised the rate (TEST)." in page


def test_files_are_shown_only_when_a_moderator_publishes_them(client, people):
    pdf = SimpleUploadedFile("payslip.pdf", b"%PDF-1.4\n% made-up TEST payslip\n", "application/pdf")
    client.post(REPORT_URL, {**_fields(), "file": pdf})
    report = CommunityReport.objects.get()
    file_url = f"/reports/{report.pk}/file/"
    assert client.get(file_url).status_code == 404
    client.force_login(people.moderator)
    assert client.get(file_url).status_code == 200
    client.post(report.get_absolute_url(), {"action": "publish", "public_text": REDACTED})
    client.logout()
    assert client.get(file_url).status_code == 404  # published without the file
    assert "payslip.pdf" not in client.get(REC_URL).content.decode()
    assert client.get("/reports/moderation/").status_code == 302


def test_a_published_report_is_routed_to_the_body_concerned(client, people, smtp_server, settings,
                                                            django_capture_on_commit_callbacks):
    from recovery_tracker.outreach.models import Contact

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    Contact.objects.create(organisation=people.authority, name="Pat TEST", email="pat@authority.example.test")
    Contact.objects.create(organisation=people.other_council, name="Not TEST", email="no@other.example.test")
    client.post(REPORT_URL, _fields())
    report = CommunityReport.objects.get()
    client.force_login(people.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report.get_absolute_url(), {"action": "publish", "public_text": REDACTED})
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "pat@authority.example.test"
    assert "A community and workforce report about Test Authority" in message["Subject"]
    body = message.get_content()
    assert REDACTED in body and "Jo TEST-Bloggs" not in body and "Reply as Test Authority" in body
