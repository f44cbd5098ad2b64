"""Who may save a check's result as an organisation's evidence."""

from __future__ import annotations

from typing import Any

from recovery_tracker.accounts.permissions import is_member, moderated_organisation_ids
from recovery_tracker.catalogue.models import Organisation


def can_save_result(user: Any, organisation: Organisation) -> bool:
    """Only a member of the organisation (any role) speaks for it: the result becomes its evidence.

    Running a check needs no account; keeping its result does.
    """
    return is_member(user, organisation)


def can_moderate_result(user: Any, result: Any) -> bool:
    """A saved result becomes public evidence and an indicator figure only when a moderator (the
    editorial team, or the organisation's own moderators if configured) other than the person who
    saved it publishes it: four eyes on every published figure."""
    scope = moderated_organisation_ids(user)
    if scope is not None and not scope:
        return False
    if result is None:
        return True
    return result.created_by_id != user.pk and (scope is None or result.organisation_id in scope)
