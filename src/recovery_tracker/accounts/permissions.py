"""Who someone is: signed in, a member of an organisation, a moderator, an administrator.

These are the rules every app builds its own on (each app keeps its rules in its own
``permissions.py``: progress, indicators, measures). Small named rules, each with a focused test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from recovery_tracker.accounts.models import Membership

if TYPE_CHECKING:  # Membership points at the catalogue's organisations; only the type is needed here.
    from recovery_tracker.catalogue.models import Organisation

User = AbstractBaseUser | AnonymousUser | Any

MODERATOR_GROUP = "Moderators"


def is_signed_in(user: User) -> bool:
    """A signed-in, active account (not anonymous, not deactivated)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_member(user: User, organisation: Organisation) -> bool:
    """A person belongs to the organisation (any role)."""
    return is_signed_in(user) and Membership.objects.filter(user=user, organisation=organisation).exists()


def user_organisations(user: User) -> list[Organisation]:
    if not is_signed_in(user):
        return []
    return [m.organisation for m in Membership.objects.filter(user=user).select_related("organisation")]


def editorial_organisation_slug() -> str:
    """The tracker's editorial team (settings ``RECOVERY_TRACKER["EDITORIAL_ORGANISATION"]``)."""
    from django.conf import settings

    return str(settings.RECOVERY_TRACKER.get("EDITORIAL_ORGANISATION", "recovery-tracker-editorial"))


def organisation_moderation_enabled() -> bool:
    """Whether an organisation's moderators may also moderate their own organisation's updates
    (``RECOVERY_TRACKER_ORGANISATION_MODERATION=1``); off by default."""
    from django.conf import settings

    return bool(settings.RECOVERY_TRACKER.get("ORGANISATION_MODERATION", False))


def is_moderator(user: User) -> bool:
    """"Moderation is a role of the tracker's editorial team": a moderator membership of the
    editorial organisation, the "Moderators" group, or a superuser. An organisation's "admin"
    role never implies it (an admin manages its own people, nothing more)."""
    if not is_signed_in(user):
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or user.groups.filter(name=MODERATOR_GROUP).exists()
        or Membership.objects.filter(user=user, role=Membership.Role.MODERATOR,
                                     organisation__slug=editorial_organisation_slug()).exists()
    )


def moderated_organisation_ids(user: User) -> list[int] | None:
    """The organisations whose updates and results ``user`` moderates: None means every one (the
    editorial team); a list (possibly empty) means only those, through organisation moderation."""
    if is_moderator(user):
        return None
    if not is_signed_in(user) or not organisation_moderation_enabled():
        return []
    return list(Membership.objects.filter(user=user, role=Membership.Role.MODERATOR)
                .values_list("organisation_id", flat=True))


def can_manage_people(user: User) -> bool:
    """Administrators (staff) manage organisations and people, in the Django admin."""
    return is_signed_in(user) and bool(getattr(user, "is_staff", False))


def requires_second_factor(user: User) -> bool:
    """"TOTP second factor required for moderators and staff (admin too)": staff, superusers, the
    editorial team's moderators and any organisation moderator sign in with a code as well."""
    if not is_signed_in(user):
        return False
    return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False) or is_moderator(user)
                or Membership.objects.filter(user=user, role=Membership.Role.MODERATOR).exists())
