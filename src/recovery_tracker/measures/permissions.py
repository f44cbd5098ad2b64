"""Who may save a check's result as an organisation's evidence."""

from __future__ import annotations

from typing import Any

from recovery_tracker.accounts.permissions import is_member
from recovery_tracker.catalogue.models import Organisation


def can_save_result(user: Any, organisation: Organisation) -> bool:
    """Only a member of the organisation (any role) speaks for it: the result becomes its evidence.

    Running a check needs no account; keeping its result does.
    """
    return is_member(user, organisation)
