"""Who may import statistics."""

from __future__ import annotations

from typing import Any

from recovery_tracker.accounts.permissions import can_moderate


def can_import_statistics(user: Any) -> bool:
    """Staff and moderators import statistics: published figures change what every verdict says."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(getattr(user, "is_staff", False) or can_moderate(user))
