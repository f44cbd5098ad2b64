"""Saving a check's aggregate result as evidence: members only, on the recommendation it serves."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from measures_fixtures import EXAMPLES, PASSWORD, PAYROLL_TEST, signed_result

from recovery_tracker.audit.models import AuditEntry
from recovery_tracker.measures.models import MeasureResult

pytestmark = pytest.mark.django_db


def _job_guarantee_token(client) -> str:
    page = client.post("/checks/job-guarantee/", {
        "file": SimpleUploadedFile("p.csv", (EXAMPLES / "placements-DEMO.csv").read_bytes())}).content.decode()
    return signed_result(page)


def test_anonymous_people_see_how_to_save_but_cannot(client, people, upload_tmp):
    page = client.post("/checks/job-guarantee/", {
        "file": SimpleUploadedFile("p.csv", (EXAMPLES / "placements-DEMO.csv").read_bytes())}).content.decode()
    assert "Sign in</a> as a member of an organisation" in page and 'name="result"' not in page
    # Even with a genuine result (made while signed in), saving needs a signed-in member.
    client.login(username="test-member", password=PASSWORD)
    token = _job_guarantee_token(client)
    client.logout()
    response = client.post("/checks/save/", {"result": token, "organisation": people.organisation.pk})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert MeasureResult.objects.count() == 0


def test_non_members_are_refused(client, people, upload_tmp):
    client.login(username="test-outsider", password=PASSWORD)
    token = _job_guarantee_token(client)
    response = client.post("/checks/save/", {"result": token, "organisation": people.organisation.pk})
    assert response.status_code == 403
    assert MeasureResult.objects.count() == 0


def test_a_member_saves_the_aggregate_as_evidence_shown_on_both_pages(client, people, upload_tmp,
                                                                      publish_results):
    client.login(username="test-member", password=PASSWORD)
    token = _job_guarantee_token(client)
    response = client.post("/checks/save/", {"result": token, "organisation": people.organisation.pk,
                                             "title": "TEST scheme 2026"})
    assert response.status_code == 302 and response.url == people.organisation.get_absolute_url()
    result = MeasureResult.objects.get()
    assert result.recommendation.slug == "5-i" and result.created_by == people.member
    assert "placements" not in result.summary  # aggregate only
    assert result.summary["summary"]["total"] > 0
    assert AuditEntry.objects.filter(action="measures.result.save", object_id=str(result.pk)).exists()
    rec_page = "/plans/west-midlands-2020/recommendations/5-i/"
    assert "TEST scheme 2026" not in client.get(rec_page).content.decode()  # not public until published
    publish_results()
    page = client.get(response.url).content.decode()
    assert "Saved check results" in page and "placements meet all six conditions" in page
    rec = client.get("/plans/west-midlands-2020/recommendations/5-i/").content.decode()
    assert "TEST scheme 2026" in rec and "Job guarantee placements" in rec


def test_a_member_saves_pay_gap_figures_without_any_rows(client, people, upload_tmp):
    client.login(username="test-member", password=PASSWORD)
    page = client.post("/checks/pay-gaps/", {"snapshot_day": "5", "snapshot_month": "4", "snapshot_year": "2025",
                                             "file": SimpleUploadedFile("p.csv", PAYROLL_TEST.encode())}
                       ).content.decode()
    assert "Save as evidence" in page and people.organisation.name in page
    client.post("/checks/save/", {"result": signed_result(page), "organisation": people.organisation.pk})
    result = MeasureResult.objects.get()
    assert result.recommendation.slug == "4.3-c"
    assert "Median hourly gender pay gap 20.0%" in result.headline
    assert "employee_id" not in str(result.summary) and "White British,no" not in str(result.summary)
    assert list(upload_tmp.iterdir()) == []


def test_a_tampered_result_is_refused(client, people, upload_tmp):
    client.login(username="test-member", password=PASSWORD)
    token = _job_guarantee_token(client)
    response = client.post("/checks/save/", {"result": token[:-3] + "abc", "organisation": people.organisation.pk})
    assert response.status_code == 400
    assert MeasureResult.objects.count() == 0


def test_no_organisation_chosen_is_an_error_at_the_field(client, people, upload_tmp):
    client.login(username="test-member", password=PASSWORD)
    token = _job_guarantee_token(client)
    page = client.post("/checks/save/", {"result": token}).content.decode()
    assert page.count("Select the organisation this result is evidence for") == 2
    assert MeasureResult.objects.count() == 0


def test_saved_public_interest_decision_enters_the_review_register(client, people, publish_results):
    from test_public_interest_pages import _complete

    client.login(username="test-member", password=PASSWORD)
    _complete(client)
    client.post("/checks/public-interest/check-answers/")
    page = client.get("/checks/public-interest/decision/").content.decode()
    client.post("/checks/save/", {"result": signed_result(page), "organisation": people.organisation.pk})
    assert MeasureResult.objects.get().recommendation.slug == "6-d"
    publish_results()
    register = client.get("/checks/public-interest/review-register/").content.decode()
    assert "TEST-001" in register and "Terminate" in register and people.organisation.name in register


def test_get_is_not_allowed_on_save(client):
    assert client.get("/checks/save/").status_code == 405


def test_an_addressed_organisation_gets_a_draft_update_to_submit(client, people, upload_tmp):
    from recovery_tracker.progress.models import Update

    client.login(username="test-member", password=PASSWORD)
    response = client.post("/checks/save/", {"result": _job_guarantee_token(client),
                                             "organisation": people.organisation.pk}, follow=True)
    assert "A draft update with these figures is in your drafts" in response.content.decode()
    update = Update.objects.get()
    assert update.state == "draft" and update.voice == "self_report" and update.author == people.member
    assert update.recommendation.slug == "5-i" and update.organisation == people.organisation
    assert "placements meet all six conditions" in update.narrative
    assert MeasureResult.objects.get().progress_update == update


def test_an_organisation_not_addressed_keeps_the_result_without_a_draft(client, people, upload_tmp):
    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.progress.models import Update

    Membership.objects.create(user=people.member, organisation=people.other_organisation)
    client.login(username="test-member", password=PASSWORD)
    client.post("/checks/save/", {"result": _job_guarantee_token(client),
                                  "organisation": people.other_organisation.pk})
    assert MeasureResult.objects.get().organisation == people.other_organisation
    assert not Update.objects.exists()


def test_a_result_made_by_one_person_cannot_be_saved_by_another_organisation(client, people, upload_tmp):
    client.login(username="test-outsider", password=PASSWORD)
    token = _job_guarantee_token(client)  # the outsider's own, genuinely signed, result
    client.logout()
    client.login(username="test-member", password=PASSWORD)
    response = client.post("/checks/save/", {"result": token, "organisation": people.organisation.pk})
    assert response.status_code == 400 and b"made by someone else" in response.content
    assert MeasureResult.objects.count() == 0


def test_saved_results_wait_for_a_moderator_who_is_not_the_saver(client, people, upload_tmp):
    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.indicators.models import Observation
    from recovery_tracker.measures import services

    client.login(username="test-member", password=PASSWORD)
    client.post("/checks/save/", {"result": _job_guarantee_token(client), "organisation": people.organisation.pk})
    result = MeasureResult.objects.get()
    assert result.state == "submitted" and not Observation.objects.exists()
    # Neither the saver nor an organisation admin may publish it.
    Membership.objects.filter(user=people.member).update(role=Membership.Role.ADMIN)
    assert client.get("/checks/moderation/").status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.measure_result_publish(actor=people.member, result=result)
    client.force_login(people.moderator)
    page = client.get("/checks/moderation/").content.decode()
    assert result.headline in page
    stale = client.post("/checks/moderation/", {"result": result.pk, "action": "publish",
                                                "lock_version": result.lock_version + 5})
    assert stale.status_code == 400 and "Reload" in stale.content.decode()
    client.post("/checks/moderation/", {"result": result.pk, "action": "publish",
                                        "lock_version": result.lock_version})
    result.refresh_from_db()
    assert result.state == "published" and result.moderated_by == people.moderator
    assert Observation.objects.filter(indicator__slug="measures-job-guarantee-share-meeting-all").exists()
    assert AuditEntry.objects.filter(action="measures.result.publish", object_id=str(result.pk)).exists()
