"""Moderation belongs to the editorial team, and every state change checks the version seen."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from recovery_tracker.accounts.models import Membership
from recovery_tracker.progress import services
from recovery_tracker.progress.models import State, Update


@pytest.fixture
def submitted(people, rec, update_data):
    update = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                          voice="self_report", data=update_data(body=people.authority))
    return services.update_submit(actor=people.member, update=update)


def test_an_organisation_admin_cannot_publish_another_organisations_update(client, people, submitted):
    # The union's admin: before, an "admin" membership anywhere made a site-wide moderator.
    Membership.objects.filter(user=people.assessor).update(role=Membership.Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.update_publish(actor=people.assessor, update=submitted)
    client.force_login(people.assessor)
    response = client.post(f"/updates/{submitted.pk}/publish/", {"lock_version": submitted.lock_version})
    assert response.status_code == 403
    assert client.get("/updates/moderation/").status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_an_organisation_admin_cannot_publish_its_own_organisations_update_either(people, submitted):
    Membership.objects.filter(user=people.colleague).update(role=Membership.Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.update_publish(actor=people.colleague, update=submitted)


def test_a_stale_submit_is_refused_with_a_clear_message(client, people, rec, update_data):
    draft = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                         voice="self_report", data=update_data(body=people.authority))
    seen = draft.lock_version  # the member opens the draft's page
    # ...meanwhile a colleague rewrites it.
    services.update_edit_draft(actor=people.colleague, update=Update.objects.get(pk=draft.pk), lock_version=seen,
                               data=update_data(body=people.authority, narrative="Colleague's newer text"))
    client.force_login(people.member)
    response = client.post(f"/updates/{draft.pk}/submit/", {"lock_version": seen}, follow=True)
    assert "Someone changed this update after you opened it" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.narrative == "Colleague's newer text"
    # A form that does not say which version it saw is refused too.
    response = client.post(f"/updates/{draft.pk}/submit/", follow=True)
    assert "did not say which version" in response.content.decode()
    assert Update.objects.get(pk=draft.pk).state == State.DRAFT
    # With the current version it goes through.
    client.post(f"/updates/{draft.pk}/submit/", {"lock_version": draft.lock_version})
    assert Update.objects.get(pk=draft.pk).state == State.SUBMITTED


def test_stale_publish_and_return_are_refused(people, submitted):
    old = Update.objects.get(pk=submitted.pk)
    stale_version = old.lock_version
    services.update_return(actor=people.moderator, update=submitted, reason="Add a link", lock_version=stale_version)
    services.update_submit(actor=people.member, update=Update.objects.get(pk=submitted.pk))
    with pytest.raises(services.StaleEdit):
        services.update_publish(actor=people.moderator, update=old, lock_version=stale_version)
    with pytest.raises(services.StaleEdit):
        services.update_return(actor=people.moderator, update=old, reason="x", lock_version=stale_version)
    assert Update.objects.get(pk=submitted.pk).state == State.SUBMITTED


def test_a_stale_discard_is_refused(client, people, rec, update_data):
    draft = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                         voice="self_report", data=update_data(body=people.authority))
    seen = draft.lock_version
    services.update_edit_draft(actor=people.colleague, update=Update.objects.get(pk=draft.pk), lock_version=seen,
                               data=update_data(body=people.authority, narrative="Colleague's work"))
    client.force_login(people.member)
    response = client.post(f"/updates/{draft.pk}/discard/", {"lock_version": seen}, follow=True)
    assert "Someone changed this update after you opened it" in response.content.decode()
    assert Update.objects.filter(pk=draft.pk).exists()
    client.post(f"/updates/{draft.pk}/discard/", {"lock_version": Update.objects.get(pk=draft.pk).lock_version})
    assert not Update.objects.filter(pk=draft.pk).exists()
