"""Who may import statistics."""

from __future__ import annotations

from typing import Any

from recovery_tracker.accounts.permissions import is_moderator, is_signed_in


def can_import_statistics(user: Any) -> bool:
    """Staff and moderators import statistics: published figures change what every verdict says."""
    if not is_signed_in(user):
        return False
    return bool(getattr(user, "is_staff", False) or is_moderator(user))
