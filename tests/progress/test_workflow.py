"""The update workflow: draft → submitted → published, or returned with a reason; corrections."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from recovery_tracker.audit.models import AuditEntry
from recovery_tracker.progress import services
from recovery_tracker.progress.models import State, Update

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(people, rec, update_data):
    return services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                        voice="self_report", data=update_data(body=people.authority,
                                                                              status="in_progress"))


def test_draft_submit_publish(people, draft):
    assert draft.state == State.DRAFT
    services.update_submit(actor=people.member, update=draft)
    assert draft.state == State.SUBMITTED and draft.submitted_at
    services.update_publish(actor=people.moderator, update=draft)
    assert draft.state == State.PUBLISHED and draft.published_by == people.moderator and draft.published_at
    actions = list(AuditEntry.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert set(actions) == {"update.create_draft", "update.submit", "update.publish"}


def test_return_needs_a_reason_and_makes_the_draft_editable_again(people, draft, update_data):
    services.update_submit(actor=people.member, update=draft)
    with pytest.raises(services.UpdateInvalid) as error:
        services.update_return(actor=people.moderator, update=draft, reason="  ")
    assert "reason" in error.value.errors
    services.update_return(actor=people.moderator, update=draft, reason="Add the cabinet report link.")
    assert draft.state == State.RETURNED and draft.return_reason == "Add the cabinet report link."
    services.update_edit_draft(actor=people.member, update=draft, lock_version=draft.lock_version,
                               data=update_data(body=people.authority, links=[("https://example.org/r", "Report")]))
    services.update_submit(actor=people.member, update=draft)
    services.update_publish(actor=people.moderator, update=draft)
    draft.refresh_from_db()
    assert draft.state == State.PUBLISHED and draft.return_reason == ""


def test_a_draft_cannot_be_published_before_it_is_submitted(people, draft):
    with pytest.raises(services.WorkflowError):
        services.update_publish(actor=people.moderator, update=draft)


def test_a_published_update_cannot_be_returned_edited_or_resubmitted(people, draft, update_data):
    services.update_submit(actor=people.member, update=draft)
    services.update_publish(actor=people.moderator, update=draft)
    with pytest.raises(services.WorkflowError):
        services.update_return(actor=people.moderator, update=draft, reason="late")
    with pytest.raises(PermissionDenied):
        services.update_edit_draft(actor=people.member, update=draft, lock_version=draft.lock_version,
                                   data=update_data(body=people.authority))
    with pytest.raises(PermissionDenied):
        services.update_submit(actor=people.member, update=draft)


def test_an_assessor_cannot_publish(people, draft):
    services.update_submit(actor=people.member, update=draft)
    with pytest.raises(PermissionDenied):
        services.update_publish(actor=people.assessor, update=draft)
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED


def test_a_member_of_another_council_cannot_touch_the_draft(people, draft, update_data):
    with pytest.raises(PermissionDenied):
        services.update_edit_draft(actor=people.other, update=draft, lock_version=draft.lock_version,
                                   data=update_data(body=people.authority, narrative="Hijacked"))
    with pytest.raises(PermissionDenied):
        services.update_submit(actor=people.other, update=draft)
    with pytest.raises(PermissionDenied):
        services.update_delete_draft(actor=people.other, update=draft)
    draft.refresh_from_db()
    assert "Hijacked" not in draft.narrative and draft.state == State.DRAFT


def test_a_member_cannot_draft_in_another_council_name(people, rec, update_data):
    with pytest.raises(PermissionDenied):
        services.update_create_draft(actor=people.other, recommendation=rec, organisation=people.authority,
                                     voice="self_report", data=update_data(body=people.authority))
    assert not Update.objects.exists()


def test_corrections_are_new_versions_and_the_original_stays(people, make_published):
    original = make_published(status="in_progress", narrative="Started 50 homes.")
    correction = services.update_correct(actor=people.member, update=original)
    assert correction.pk != original.pk and correction.corrects == original and correction.state == State.DRAFT
    services.update_edit_draft(actor=people.member, update=correction, lock_version=correction.lock_version,
                               data=services.UpdateData(date=original.date, body=people.authority,
                                                        status="in_progress", narrative="Started 40 homes."))
    services.update_submit(actor=people.member, update=correction)
    services.update_publish(actor=people.moderator, update=correction)
    original.refresh_from_db()
    assert original.narrative == "Started 50 homes." and original.state == State.PUBLISHED
    assert Update.objects.filter(state=State.PUBLISHED).count() == 2


def test_published_updates_cannot_be_discarded(people, make_published):
    update = make_published()
    with pytest.raises(PermissionDenied):
        services.update_delete_draft(actor=people.member, update=update)
    assert Update.objects.filter(pk=update.pk).exists()


def test_concurrent_edit_is_detected_not_overwritten(people, draft, update_data):
    opened_by_member = draft.lock_version
    opened_by_colleague = draft.lock_version
    services.update_edit_draft(actor=people.colleague, update=Update.objects.get(pk=draft.pk),
                               lock_version=opened_by_colleague,
                               data=update_data(body=people.authority, narrative="Colleague's text"))
    with pytest.raises(services.StaleEdit):
        services.update_edit_draft(actor=people.member, update=Update.objects.get(pk=draft.pk),
                                   lock_version=opened_by_member,
                                   data=update_data(body=people.authority, narrative="Member's text"))
    assert Update.objects.get(pk=draft.pk).narrative == "Colleague's text"


def test_validation_lists_every_problem(people, rec, update_data):
    with pytest.raises(services.UpdateInvalid) as error:
        services.update_create_draft(
            actor=people.assessor, recommendation=rec, organisation=people.union, voice="independent_assessment",
            data=update_data(body=people.authority, status="nearly_done", response="accepted", progress=1.5,
                             links=[("javascript:alert(1)", "x")]),
        )
    assert set(error.value.errors) == {"status", "response", "progress", "links"}


def test_a_changed_target_date_needs_a_reason(people, rec, update_data, make_published):
    import datetime as dt

    make_published(target_date=dt.date(2025, 3, 31))
    with pytest.raises(services.UpdateInvalid) as error:
        services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                     voice="self_report",
                                     data=update_data(body=people.authority, target_date=dt.date(2026, 3, 31)))
    assert "target_date_reason" in error.value.errors
    services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                 voice="self_report",
                                 data=update_data(body=people.authority, target_date=dt.date(2026, 3, 31),
                                                  target_date_reason="Contractor went into administration"))
