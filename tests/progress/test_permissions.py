"""Each permission rule, one focused test each (the web tests check the pages enforce them)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from recovery_tracker.accounts.models import Membership
from recovery_tracker.accounts.permissions import can_manage_people
from recovery_tracker.progress import permissions, services

pytestmark = pytest.mark.django_db


def test_member_may_draft_for_a_recommendation_addressed_to_their_organisation(people, rec):
    assert permissions.can_draft_update(people.member, rec, people.authority, people.authority)


def test_member_may_draft_for_a_predecessor_body(people, test_plan):
    # 2-a is addressed only to the closed body whose work passed to the test authority.
    rec = test_plan.recommendations.get(slug="2-a")
    assert permissions.can_draft_update(people.member, rec, people.authority, people.old_body)


def test_member_of_another_council_may_not_draft(people, rec):
    assert not permissions.can_draft_update(people.other, rec, people.other_council)
    # Nor in the name of an organisation they do not belong to.
    assert not permissions.can_draft_update(people.other, rec, people.authority, people.authority)


def test_anonymous_visitor_may_not_draft(people, rec):
    assert not permissions.can_draft(AnonymousUser(), rec, people.authority, "self_report", people.authority)


def test_inactive_member_may_not_draft(people, rec):
    people.member.is_active = False
    people.member.save()
    assert not permissions.can_draft_update(people.member, rec, people.authority)


def test_assessor_may_assess_any_recommendation(people, test_plan):
    for rec in test_plan.recommendations.all():
        assert permissions.can_assess(people.assessor, rec, people.union)


def test_council_member_may_not_assess(people, rec):
    assert not permissions.can_assess(people.member, rec, people.authority)


def test_assessor_may_not_write_a_council_own_account(people, rec):
    assert not permissions.can_draft(people.assessor, rec, people.union, "self_report", people.authority)


def test_nobody_drafts_public_record_evidence_by_hand(people, rec):
    assert not permissions.can_draft(people.moderator, rec, people.union, "evidence")


def test_moderator_may_moderate_but_not_their_own_update(people, rec, update_data):
    Membership.objects.create(user=people.moderator, organisation=people.union)
    own = services.update_create_draft(actor=people.moderator, recommendation=rec, organisation=people.union,
                                       voice="independent_assessment", data=update_data(body=people.authority))
    assert permissions.can_moderate(people.moderator)
    assert not permissions.can_moderate(people.moderator, own)


def test_moderator_role_in_the_editorial_team_grants_moderation(people):
    from recovery_tracker.catalogue.models import Organisation

    # The registry may already hold the editorial organisation (shared by every plan).
    editorial, _ = Organisation.objects.get_or_create(slug="recovery-tracker-editorial",
                                                      defaults={"name": "Editorial (TEST)"})
    Membership.objects.create(user=people.assessor, organisation=editorial, role=Membership.Role.MODERATOR)
    assert permissions.can_moderate(people.assessor)


def test_an_organisation_admin_or_moderator_role_is_not_site_moderation(people):
    Membership.objects.filter(user=people.assessor).update(role=Membership.Role.ADMIN)
    assert not permissions.can_moderate(people.assessor)
    Membership.objects.filter(user=people.assessor).update(role=Membership.Role.MODERATOR)
    assert not permissions.can_moderate(people.assessor)  # organisation moderation is off by default


def test_organisation_moderation_when_configured_covers_only_its_own_members(people, rec, update_data, settings):
    settings.RECOVERY_TRACKER = {**settings.RECOVERY_TRACKER, "ORGANISATION_MODERATION": True}
    Membership.objects.filter(user=people.colleague).update(role=Membership.Role.MODERATOR)
    ours = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                        voice="self_report", data=update_data(body=people.authority))
    theirs = services.update_create_draft(actor=people.assessor, recommendation=rec, organisation=people.union,
                                          voice="independent_assessment", data=update_data(body=people.authority))
    assert permissions.can_moderate(people.colleague, ours)
    assert not permissions.can_moderate(people.colleague, theirs)


def test_assessor_and_member_may_not_moderate(people):
    assert not permissions.can_moderate(people.assessor)
    assert not permissions.can_moderate(people.member)
    assert not permissions.can_moderate(AnonymousUser())


def test_colleague_may_edit_the_organisation_draft_but_another_council_may_not(people, rec, update_data):
    draft = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                         voice="self_report", data=update_data(body=people.authority))
    assert permissions.can_edit_update(people.colleague, draft)
    assert not permissions.can_edit_update(people.other, draft)
    assert not permissions.can_edit_update(people.assessor, draft)


def test_published_update_is_not_editable_but_correctable(people, make_published):
    update = make_published()
    assert not permissions.can_edit_update(people.member, update)
    assert permissions.can_correct_update(people.member, update)
    assert not permissions.can_correct_update(people.other, update)


def test_drafts_are_private_published_updates_public(people, rec, update_data, make_published):
    draft = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                         voice="self_report", data=update_data(body=people.authority))
    assert permissions.can_view_update(people.colleague, draft)
    assert not permissions.can_view_update(AnonymousUser(), draft)
    assert not permissions.can_view_update(people.other, draft)
    # Moderators see it only once it is submitted.
    assert not permissions.can_view_update(people.moderator, draft)
    services.update_submit(actor=people.member, update=draft)
    assert permissions.can_view_update(people.moderator, draft)
    assert permissions.can_view_update(AnonymousUser(), make_published())


def test_only_staff_manage_people(people, django_user_model):
    staff = django_user_model.objects.create_user(username="admin-test", is_staff=True)
    assert can_manage_people(staff)
    assert not can_manage_people(people.moderator)
