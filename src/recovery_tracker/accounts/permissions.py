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


def is_moderator(user: User) -> bool:
    """Moderators: a membership with role moderator or admin, the "Moderators" group, or a superuser.
    Moderation is the tracker's editorial job, so the role counts site-wide."""
    if not is_signed_in(user):
        return False
    return bool(
        getattr(user, "is_superuser", False)
        or user.groups.filter(name=MODERATOR_GROUP).exists()
        or Membership.objects.filter(user=user, role__in=[Membership.Role.MODERATOR, Membership.Role.ADMIN]).exists()
    )


def can_manage_people(user: User) -> bool:
    """Administrators (staff) manage organisations and people, in the Django admin."""
    return is_signed_in(user) and bool(getattr(user, "is_staff", False))
