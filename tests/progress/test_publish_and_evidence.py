"""Publishing asks for confirmation; an assessment of "delivered" needs published evidence."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery_tracker.progress import services
from recovery_tracker.progress.models import State, Update


@pytest.fixture
def submitted(people, rec, update_data):
    update = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                          voice="self_report", data=update_data(body=people.authority,
                                                                                status="in_progress"))
    return services.update_submit(actor=people.member, update=update)


def test_publish_button_leads_to_a_confirmation_page_that_changes_nothing(client, people, submitted):
    client.force_login(people.moderator)
    detail = client.get(f"/updates/{submitted.pk}/").content.decode()
    assert f'href="/updates/{submitted.pk}/publish/?v={submitted.lock_version}"' in detail
    page = client.get(f"/updates/{submitted.pk}/publish/")
    html = page.content.decode()
    assert page.status_code == 200 and "Publish this update?" in html
    assert "cannot be edited or withdrawn" in html and 'name="confirm" value="yes"' in html
    assert "In progress" in html and "Test Authority" in html
    # A POST without the confirmation (an old form, a stray request) only shows the question again.
    assert "Publish this update?" in client.post(f"/updates/{submitted.pk}/publish/").content.decode()
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_confirming_publishes(client, people, submitted):
    client.force_login(people.moderator)
    page = client.get(f"/updates/{submitted.pk}/publish/?v={submitted.lock_version}").content.decode()
    assert f'name="lock_version" value="{submitted.lock_version}"' in page  # the version read travels on
    response = client.post(f"/updates/{submitted.pk}/publish/", {"confirm": "yes",
                                                                 "lock_version": submitted.lock_version})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.PUBLISHED


@pytest.mark.parametrize("who", ["anonymous", "member", "assessor", "other"])
def test_the_confirmation_page_refuses_non_moderators(client, people, submitted, who):
    if who != "anonymous":
        client.force_login(getattr(people, who))
    response = client.get(f"/updates/{submitted.pk}/publish/")
    assert response.status_code == (302 if who == "anonymous" else 403)
    response = client.post(f"/updates/{submitted.pk}/publish/", {"confirm": "yes"})
    assert response.status_code == (302 if who == "anonymous" else 403)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_an_assessment_of_delivered_without_evidence_is_refused(people, rec, update_data):
    with pytest.raises(services.UpdateInvalid) as caught:
        services.update_create_draft(actor=people.assessor, recommendation=rec, organisation=people.union,
                                     voice="independent_assessment",
                                     data=update_data(body=people.authority, status="delivered"))
    assert caught.value.errors["status"].startswith("An independent assessment of “delivered” needs published "
                                                    "evidence: add a link")
    assert not Update.objects.exists()


def test_an_assessment_of_delivered_with_a_link_or_a_document_is_accepted(people, rec, update_data):
    linked = services.update_create_draft(
        actor=people.assessor, recommendation=rec, organisation=people.union, voice="independent_assessment",
        data=update_data(body=people.authority, status="delivered",
                         links=[("https://example.org/TEST-report", "Report (TEST)")]))
    assert linked.status == "delivered"
    document = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n% made-up test document\n", "application/pdf")
    attached = services.update_create_draft(
        actor=people.assessor, recommendation=rec, organisation=people.union, voice="independent_assessment",
        data=update_data(body=people.authority, status="delivered"), documents=[document])
    assert attached.documents.count() == 1


def test_removing_the_last_evidence_from_a_delivered_draft_is_refused(people, rec, update_data):
    draft = services.update_create_draft(
        actor=people.assessor, recommendation=rec, organisation=people.union, voice="independent_assessment",
        data=update_data(body=people.authority, status="delivered", links=[("https://example.org/TEST", "")]))
    with pytest.raises(services.UpdateInvalid) as caught:
        services.update_edit_draft(actor=people.assessor, update=draft, lock_version=draft.lock_version,
                                   data=update_data(body=people.authority, status="delivered"))
    assert "needs published evidence" in caught.value.errors["status"]
    draft.refresh_from_db()
    assert draft.links.count() == 1


def test_the_evidence_form_shows_the_message_at_the_status_field(client, people):
    client.force_login(people.assessor)
    response = client.post("/plans/test-plan/recommendations/1-a/updates/new/", {
        "writer": f"{people.union.pk}:independent_assessment:{people.authority.pk}",
        "date_day": "1", "date_month": "5", "date_year": "2024", "status": "delivered", "narrative": "Done (TEST).",
    })
    html = response.content.decode()
    assert response.status_code == 400 and "needs published evidence" in html
    assert not Update.objects.exists()
