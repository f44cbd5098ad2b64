"""The progress pages, as people use them: permissions enforced by the web pages, GOV.UK errors."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery_tracker.progress import services
from recovery_tracker.progress.models import EvidenceDocument, State, Update

pytestmark = pytest.mark.django_db

NEW = "/plans/test-plan/recommendations/1-a/updates/new/"


def _seen(update):
    """What the update page's buttons send: the version of the update the page showed."""
    return {"lock_version": Update.objects.get(pk=update.pk).lock_version}


def _form(people, **overrides):
    values = {
        "writer": f"{people.authority.pk}:self_report:{people.authority.pk}",
        "date_day": "1", "date_month": "5", "date_year": "2024",
        "status": "in_progress", "narrative": "Work has **started**.", "links": "https://example.org/report Report",
        "action": "save",
    }
    values.update(overrides)
    return values


def test_anonymous_visitor_cannot_write(client, people, make_published):
    published = make_published()
    response = client.post(NEW, _form(people))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for url in (f"/updates/{published.pk}/correct/", f"/updates/{published.pk}/publish/",
                f"/updates/{published.pk}/return/", f"/updates/{published.pk}/edit/"):
        assert client.post(url, {"reason": "x"}).status_code == 302
    assert Update.objects.count() == 1


def test_member_drafts_and_submits_through_the_page(client, people):
    client.force_login(people.member)
    form_page = client.get(NEW).content.decode()
    assert "Test Authority: own account" in form_page
    response = client.post(NEW, _form(people, action="submit"))
    update = Update.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/updates/{update.pk}/"
    assert update.state == State.SUBMITTED and update.author == people.member
    assert update.links.get().title == "Report"


def test_member_of_another_council_cannot_draft_edit_or_submit(client, people, rec, update_data):
    draft = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                         voice="self_report", data=update_data(body=people.authority))
    client.force_login(people.other)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, _form(people)).status_code == 403
    assert client.post(f"/updates/{draft.pk}/edit/", _form(people, narrative="Hijack",
                                                           lock_version=draft.lock_version)).status_code == 403
    assert client.post(f"/updates/{draft.pk}/submit/").status_code == 403
    assert client.get(f"/updates/{draft.pk}/").status_code == 404
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and "Hijack" not in draft.narrative


def test_a_forged_writer_choice_is_refused(client, people):
    client.force_login(people.member)
    response = client.post(NEW, _form(people, writer=f"{people.other_council.pk}:self_report:{people.authority.pk}"))
    assert response.status_code == 400
    assert "Choose who is writing" in response.content.decode()
    assert not Update.objects.exists()


def test_assessor_cannot_publish_through_the_page(client, people, rec, update_data):
    update = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                          voice="self_report", data=update_data(body=people.authority))
    services.update_submit(actor=people.member, update=update)
    client.force_login(people.assessor)
    assert client.post(f"/updates/{update.pk}/publish/", {"confirm": "yes"}).status_code == 403
    assert client.get("/updates/moderation/").status_code == 403
    assert client.post(f"/updates/{update.pk}/return/", {"reason": "no"}).status_code == 403
    update.refresh_from_db()
    assert update.state == State.SUBMITTED


def test_moderator_publishes_and_the_public_sees_the_status(client, people, rec, update_data):
    update = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                          voice="self_report", data=update_data(body=people.authority,
                                                                                status="delivered"))
    services.update_submit(actor=people.member, update=update)
    client.force_login(people.moderator)
    assert f"/updates/{update.pk}/" in client.get("/updates/moderation/").content.decode()
    client.post(f"/updates/{update.pk}/publish/", {"confirm": "yes", **_seen(update)})
    client.logout()
    page = client.get("/plans/test-plan/recommendations/1-a/").content.decode()
    assert "Own account" in page and "Independent assessment" in page
    assert "Delivered" in page
    assert "/plans/test-plan/recommendations/1-a/history/" in page
    assert f"/updates/{update.pk}/" in client.get("/updates/").content.decode()


def test_return_page_needs_a_reason_and_keeps_it(client, people, rec, update_data):
    update = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                          voice="self_report", data=update_data(body=people.authority))
    services.update_submit(actor=people.member, update=update)
    client.force_login(people.moderator)
    response = client.post(f"/updates/{update.pk}/return/", {"reason": "", **_seen(update)})
    assert response.status_code == 400 and "Give the reason" in response.content.decode()
    client.post(f"/updates/{update.pk}/return/", {"reason": "Please add the <b>link</b>", **_seen(update)})
    update.refresh_from_db()
    assert update.state == State.RETURNED
    client.force_login(people.member)
    page = client.get(f"/updates/{update.pk}/edit/").content.decode()
    assert "Please add the &lt;b&gt;link&lt;/b&gt;" in page


def test_errors_are_listed_and_fields_keep_what_was_typed(client, people):
    client.force_login(people.member)
    response = client.post(NEW, _form(people, date_day="31", date_month="2", narrative="Kept text",
                                      links="not-a-url", progress="lots"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "must be a real date" in page and "Progress must be a number" in page
    assert "Kept text" in page and 'value="31"' in page


def test_stale_edit_shows_a_clear_error_and_keeps_the_text(client, people, rec, update_data):
    draft = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                         voice="self_report", data=update_data(body=people.authority))
    opened = draft.lock_version
    services.update_edit_draft(actor=people.colleague, update=draft, lock_version=opened,
                               data=update_data(body=people.authority, narrative="Colleague was first"))
    client.force_login(people.member)
    response = client.post(f"/updates/{draft.pk}/edit/", _form(people, narrative="My careful words",
                                                                lock_version=opened))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this draft" in page and "My careful words" in page
    assert Update.objects.get(pk=draft.pk).narrative == "Colleague was first"


def test_narrative_markdown_is_sanitised(client, people, make_published):
    update = make_published(narrative="**bold** <script>alert(1)</script> [x](javascript:alert(2))")
    page = client.get(f"/updates/{update.pk}/").content.decode()
    assert "<strong>bold</strong>" in page
    assert "<script>alert(1)" not in page and "javascript:alert(2)" not in page


def _pdf(size: int = 100) -> bytes:
    return b"%PDF-1.4\n" + b"0" * size


def test_upload_too_big_is_refused(client, people):
    client.force_login(people.member)
    big = SimpleUploadedFile("report.pdf", _pdf(10 * 1024 * 1024), content_type="application/pdf")
    response = client.post(NEW, {**_form(people), "documents": big})
    assert response.status_code == 400 and "smaller than 10 MB" in response.content.decode()
    assert not Update.objects.exists()


def test_upload_of_the_wrong_type_is_refused(client, people):
    client.force_login(people.member)
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(NEW, {**_form(people), "documents": exe})
    assert response.status_code == 400 and "must be a PDF, DOCX" in response.content.decode()
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(NEW, {**_form(people), "documents": disguised})
    assert response.status_code == 400 and "does not contain what its name says" in response.content.decode()
    assert not Update.objects.exists()


def test_accepted_documents_are_stored_with_random_names_and_served_by_permission(client, people, settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    client.force_login(people.member)
    client.post(NEW, {**_form(people, action="submit"), "documents": [
        SimpleUploadedFile("minutes.docx", buffer.getvalue()), SimpleUploadedFile("report.pdf", _pdf())]})
    update = Update.objects.get()
    docs = list(EvidenceDocument.objects.filter(update=update))
    assert sorted(d.original_name for d in docs) == ["minutes.docx", "report.pdf"]
    assert all("minutes" not in d.file.name and "report" not in d.file.name for d in docs)
    pdf = next(d for d in docs if d.original_name == "report.pdf")
    client.logout()
    assert client.get(f"/documents/{pdf.pk}/").status_code == 404  # not published yet
    client.force_login(people.moderator)
    client.post(f"/updates/{update.pk}/publish/", {"confirm": "yes", **_seen(update)})
    client.logout()
    response = client.get(f"/documents/{pdf.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_history_page_shows_versions_and_corrections(client, people, make_published):
    original = make_published(status="delivered", narrative="All done.")
    client.force_login(people.member)
    response = client.post(f"/updates/{original.pk}/correct/")
    correction = Update.objects.get(corrects=original)
    assert response["Location"] == f"/updates/{correction.pk}/edit/"
    client.post(f"/updates/{correction.pk}/edit/", _form(people, status="partly_delivered", narrative="Half done.",
                                                          lock_version=correction.lock_version, action="submit"))
    client.force_login(people.moderator)
    client.post(f"/updates/{correction.pk}/publish/", {"confirm": "yes", **_seen(correction)})
    client.logout()
    page = client.get("/plans/test-plan/recommendations/1-a/history/").content.decode()
    assert "All done." in page and "Half done." in page
    assert "Corrected" in page and "Correction" in page
    assert "Not assessed → Delivered" in page and "Delivered → Partly delivered" in page


def test_my_drafts_lists_only_my_organisations_drafts(client, people, rec, update_data):
    services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                 voice="self_report", data=update_data(body=people.authority, title="Ours"))
    client.force_login(people.colleague)
    assert "Ours" in client.get("/updates/mine/").content.decode()
    client.force_login(people.other)
    assert "Ours" not in client.get("/updates/mine/").content.decode()


def test_organisation_page_shows_per_body_statuses(client, people, make_published):
    make_published(status="stalled", response="accepted")
    page = client.get("/organisations/test-authority/").content.decode()
    assert "Recommendations addressed to Test Authority" in page and "Stalled" in page and "Accepted" in page


def test_method_page_states_the_rule(client, test_plan):
    page = client.get("/progress/method/").content.decode()
    assert "How progress is measured" in page and "never" in page and "Not assessed" in page


def test_another_council_cannot_correct_a_published_update(client, people, make_published):
    update = make_published()
    client.force_login(people.other)
    assert client.post(f"/updates/{update.pk}/correct/").status_code == 403
    assert Update.objects.count() == 1


def test_moderator_cannot_publish_their_own_update_through_the_page(client, people, rec, update_data):
    from recovery_tracker.accounts.models import Membership

    Membership.objects.create(user=people.moderator, organisation=people.union)
    own = services.update_create_draft(actor=people.moderator, recommendation=rec, organisation=people.union,
                                       voice="independent_assessment", data=update_data(body=people.authority))
    services.update_submit(actor=people.moderator, update=own)
    client.force_login(people.moderator)
    assert client.post(f"/updates/{own.pk}/publish/", {"confirm": "yes"}).status_code == 403
    own.refresh_from_db()
    assert own.state == State.SUBMITTED


def test_assessor_drafts_an_assessment_but_not_an_own_account(client, people):
    client.force_login(people.assessor)
    page = client.get(NEW).content.decode()
    assert "Test Union (TEST): independent assessment of Test Authority" in page
    assert ": own account" not in page and "Formal response" not in page
    forged = _form(people, writer=f"{people.union.pk}:self_report:{people.authority.pk}")
    assert client.post(NEW, forged).status_code == 400
    client.post(NEW, _form(people, writer=f"{people.union.pk}:independent_assessment:{people.authority.pk}",
                           response="accepted"))
    update = Update.objects.get()
    # A response belongs to the body's own account; the assessor's page ignores one.
    assert update.voice == "independent_assessment" and update.response == ""


def test_history_says_who_wrote_each_entry_once_in_plain_words(client, people, make_published):
    update = make_published(title="Homes started TEST", narrative="We started.")
    page = client.get("/plans/test-plan/recommendations/1-a/history/").content.decode()
    line = page.split(f'id="written-{update.pk}">')[1].split("</p>")[0]
    assert line.startswith("Test Authority’s own account")
    assert "written by member" in line and "after a moderator checked it" in line
    # Said once: no second "Written by" block, no moderator user name.
    assert page.count("Written by") == 0 and "moderator" not in line.replace("a moderator", "")
    assert page.count("Homes started TEST") == 1


def test_recommendation_page_one_table_alike_bodies_share_a_row_silent_ones_one_line(client, people, rec):
    """Issue 13: 5-i showed five identical "Not assessed / No response yet" cards."""
    from recovery_tracker.catalogue.models import Addressee, Organisation
    from recovery_tracker.progress import services

    second = Organisation.objects.create(slug="second-body-test", name="Second Body (TEST)")
    third = Organisation.objects.create(slug="third-body-test", name="Third Body (TEST)")
    Addressee.objects.create(recommendation=rec, organisation=second, role="lead")
    Addressee.objects.create(recommendation=rec, organisation=third, role="support")
    page = client.get("/plans/test-plan/recommendations/1-a/").content.decode()
    table = page.split('id="body-states"')[1].split("</table>")[0]
    assert table.count('class="govuk-table__row"') == 2  # the header and one "nothing published" line
    assert "Nothing published yet" in table and "Second Body (TEST)" in table and "Third Body (TEST)" in table
    # The same assessment of two bodies reads as one row.
    for body in (people.authority, second):
        update = services.update_create_draft(
            actor=people.assessor, recommendation=rec, organisation=people.union, voice="independent_assessment",
            data=update_data_for(body))
        services.update_submit(actor=people.assessor, update=update)
        services.update_publish(actor=people.moderator, update=update)
    page = client.get("/plans/test-plan/recommendations/1-a/").content.decode()
    table = page.split('id="body-states"')[1].split("</table>")[0]
    assert table.count('class="govuk-table__row"') == 3
    assert 'id="progress-test-authority"' in table and 'id="progress-second-body-test"' in table
    assert table.index("Stalled") < table.index("Nothing published yet")


def update_data_for(body):
    import datetime as dt

    from recovery_tracker.progress.services import UpdateData

    return UpdateData(date=dt.date(2024, 5, 1), narrative="Assessed TEST.", body=body, status="stalled")
