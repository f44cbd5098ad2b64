"""Who may do what. Small named rules, each with a focused test in tests/accounts/test_permissions.py.

Every write path (web pages, API, CSV import) asks one of these before calling a service, and the
services ask again, so no path can skip a rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from recovery_tracker.accounts.models import Membership
from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.selectors import organisation_with_predecessors

if TYPE_CHECKING:
    from recovery_tracker.progress.models import Update

User = AbstractBaseUser | AnonymousUser | Any

MODERATOR_GROUP = "Moderators"


def _active(user: User) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_member(user: User, organisation: Organisation) -> bool:
    """A person belongs to the organisation (any role)."""
    return _active(user) and Membership.objects.filter(user=user, organisation=organisation).exists()


def user_organisations(user: User) -> list[Organisation]:
    if not _active(user):
        return []
    return [m.organisation for m in Membership.objects.filter(user=user).select_related("organisation")]


def bodies_answered_for(organisation: Organisation, recommendation: Recommendation) -> list[Organisation]:
    """The addressed bodies of ``recommendation`` that ``organisation`` answers for: itself, or a
    predecessor whose responsibilities passed to it (the LEPs' to the WMCA)."""
    accountable = {o.pk for o in organisation_with_predecessors(organisation)}
    return [a.organisation for a in recommendation.addressees.select_related("organisation")
            if a.organisation_id in accountable]


def can_draft_update(user: User, recommendation: Recommendation, organisation: Organisation,
                     body: Organisation | None = None) -> bool:
    """A member may draft its organisation's own account of a recommendation addressed to it or to
    a predecessor; if ``body`` is given, it must be one of those addressed bodies."""
    if not is_member(user, organisation) or recommendation.retired:
        return False
    bodies = bodies_answered_for(organisation, recommendation)
    if body is None:
        return bool(bodies)
    return any(b.pk == body.pk for b in bodies)


def can_assess(user: User, recommendation: Recommendation, organisation: Organisation) -> bool:
    """Members of an independent assessor (a union, the TUC, researchers) may draft an assessment
    of any recommendation."""
    return organisation.independent_assessor and is_member(user, organisation) and not recommendation.retired


def can_draft(user: User, recommendation: Recommendation, organisation: Organisation, voice: str,
              body: Organisation | None = None) -> bool:
    """The rule for the voice asked for. Shipped public-record evidence is written only by loaders."""
    if voice == "self_report":
        return can_draft_update(user, recommendation, organisation, body)
    if voice == "independent_assessment":
        if body is not None and not recommendation.addressees.filter(organisation=body).exists():
            return False
        return can_assess(user, recommendation, organisation)
    return False


def can_edit_update(user: User, update: Update) -> bool:
    """Any member of the writing organisation may edit its draft or returned update; nobody edits
    a submitted or published one (a published one is corrected by a new version)."""
    return update.is_editable and is_member(user, update.organisation)


def can_submit_update(user: User, update: Update) -> bool:
    return can_edit_update(user, update)


def editorial_organisation_slug() -> str:
    """The tracker's editorial team (settings ``RECOVERY_TRACKER["EDITORIAL_ORGANISATION"]``)."""
    from django.conf import settings

    return str(settings.RECOVERY_TRACKER.get("EDITORIAL_ORGANISATION", "recovery-tracker-editorial"))


def organisation_moderation_enabled() -> bool:
    """Whether an organisation's moderators may also moderate their own organisation's updates
    (``RECOVERY_TRACKER_ORGANISATION_MODERATION=1``); off by default."""
    from django.conf import settings

    return bool(settings.RECOVERY_TRACKER.get("ORGANISATION_MODERATION", False))


def is_editorial_moderator(user: User) -> bool:
    """"Moderation is a role of the tracker's editorial team": a moderator membership of the
    editorial organisation, the "Moderators" group, or a superuser. An organisation's "admin"
    role never implies it (an admin manages its own people, nothing more)."""
    if not _active(user):
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or user.groups.filter(name=MODERATOR_GROUP).exists()
        or Membership.objects.filter(user=user, role=Membership.Role.MODERATOR,
                                     organisation__slug=editorial_organisation_slug()).exists()
    )


def moderated_organisation_ids(user: User) -> list[int] | None:
    """The organisations whose updates ``user`` moderates: None means every one (the editorial
    team); a list (possibly empty) means only those, through organisation moderation."""
    if is_editorial_moderator(user):
        return None
    if not _active(user) or not organisation_moderation_enabled():
        return []
    return list(Membership.objects.filter(user=user, role=Membership.Role.MODERATOR)
                .values_list("organisation_id", flat=True))


def can_moderate(user: User, update: Update | None = None) -> bool:
    """Moderators publish or return submitted updates (and saved check results), but never their
    own: four eyes on every published word. The editorial team moderates everything; with
    organisation moderation on, an organisation's moderators moderate their own organisation's."""
    scope = moderated_organisation_ids(user)
    if scope is not None and not scope:
        return False
    if update is None:
        return True
    if update.author_id == user.pk:
        return False
    return scope is None or update.organisation_id in scope


def can_correct_update(user: User, update: Update) -> bool:
    """A published update is corrected by its own organisation or by a moderator, as a new version."""
    return update.is_published and (is_member(user, update.organisation) or can_moderate(user))


def can_view_update(user: User, update: Update) -> bool:
    """Published updates are public. Unpublished ones: the writing organisation's members, and
    moderators once it is submitted (or returned, to follow up)."""
    if update.is_published:
        return True
    if is_member(user, update.organisation):
        return True
    return update.state != "draft" and can_moderate(user)


def can_manage_people(user: User) -> bool:
    """Administrators (staff) manage organisations and people, in the Django admin."""
    return _active(user) and bool(getattr(user, "is_staff", False))
