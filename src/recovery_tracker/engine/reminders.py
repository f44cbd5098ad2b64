"""When to chase a request for a response. Pure Python, no Django: callers pass plain dates."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

__all__ = ["DEFAULT_DEADLINE_DAYS", "MAX_REMINDERS", "REMINDER_INTERVAL_DAYS", "deadline_default", "reminder_due"]

DEFAULT_DEADLINE_DAYS = 28
REMINDER_INTERVAL_DAYS = 14
MAX_REMINDERS = 3


def deadline_default(asked_on: date) -> date:
    """The reply deadline unless the person asking sets another: "28 days from the day asked"."""
    return asked_on + timedelta(days=DEFAULT_DEADLINE_DAYS)


def reminder_due(*, deadline: date, reminders: Sequence[date], today: date, answered: bool,
                 interval_days: int = REMINDER_INTERVAL_DAYS, max_reminders: int = MAX_REMINDERS) -> bool:
    """Chase an unanswered request: "the first reminder the day after the deadline, then one every
    14 days after the last, three at most". Nothing is sent once a reply has arrived."""
    if answered or today <= deadline or len(reminders) >= max_reminders:
        return False
    return not reminders or today >= max(reminders) + timedelta(days=interval_days)
