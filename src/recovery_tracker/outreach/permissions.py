"""Who may do what in outreach. Each write path asks one of these, and the service asks again."""

from __future__ import annotations

from typing import Any

from recovery_tracker.accounts import permissions as accounts
from recovery_tracker.accounts.models import Membership
from recovery_tracker.catalogue.models import Organisation
from recovery_tracker.catalogue.selectors import organisation_accountable


def can_manage_contacts(user: Any) -> bool:
    """Contacts are personal data: only moderators enter, change or see them."""
    return accounts.is_moderator(user)


def can_request_response(user: Any) -> bool:
    """A moderator, or a member of an independent assessor (a union, the TUC), may ask a body for
    its response and send reminders."""
    if accounts.is_moderator(user):
        return True
    return bool(accounts.is_signed_in(user) and Membership.objects.filter(
        user=user, organisation__independent_assessor=True).exists())


def can_moderate_reports(user: Any) -> bool:
    """Community reports and the bodies' replies are published (or not) by moderators, who alone
    see reporters' names, addresses and the unredacted original."""
    return accounts.is_moderator(user)


def can_reply_to_report(user: Any, organisation: Organisation | None) -> bool:
    """A member of the body a report concerns, or of the successor that now answers for it, may
    reply, as its own account."""
    if organisation is None:
        return False
    return accounts.is_member(user, organisation) or accounts.is_member(user, organisation_accountable(organisation))
