"""What anonymous readers may ask a report for, and how often they may make the worker build one.

Every new date is a new report: seconds of CPU for a PDF. Anonymous readers get the dates a
reader of a progress report needs (today's, and any month end) and a few new builds per address
in a window; signed-in users may ask for any date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass

from django.core.cache import cache

from recovery_tracker.reports.options import ReportOptions

ANONYMOUS_BUILDS_PER_WINDOW = 5
WINDOW_SECONDS = 10 * 60


def is_month_end(day: dt.date) -> bool:
    """Rule: "anonymous readers may ask for the report as at the last day of any month"."""
    return day.day == calendar.monthrange(day.year, day.month)[1]


def anonymous_options_problem(options: ReportOptions, *, as_at_given: bool, since_given: bool,
                              today: dt.date) -> str | None:
    """Why an anonymous reader may not have this report (how to fix it), or None.

    Rule: "without signing in, a report is as at today or at a month end, never in the future,
    and covers changes since the default year or since a month end".
    """
    if as_at_given and options.as_at != today:
        if options.as_at > today:
            return f"as_at ({options.as_at}) is in the future: ask for today's report or a past month end."
        if not is_month_end(options.as_at):
            return (f"as_at ({options.as_at}) must be the last day of a month (for example "
                    f"{_month_end_before(options.as_at)}) or today; sign in to ask for any date.")
    if since_given and not is_month_end(options.since):
        return (f"since ({options.since}) must be the last day of a month (for example "
                f"{_month_end_before(options.since)}); sign in to ask for any date.")
    return None


def _month_end_before(day: dt.date) -> dt.date:
    return day.replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class BuildAllowance:
    allowed: bool
    retry_after_seconds: int = 0


def anonymous_build_take(address: str, *, now: float | None = None) -> BuildAllowance:
    """Count one new build for ``address``; refused past ``ANONYMOUS_BUILDS_PER_WINDOW`` per window.

    Counted in the shared cache, so the limit holds across every app server.
    """
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"report-builds:{address}:{window}"
    retry_after = WINDOW_SECONDS - int(now % WINDOW_SECONDS)
    if cache.add(key, 1, WINDOW_SECONDS):
        return BuildAllowance(True)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    if count > ANONYMOUS_BUILDS_PER_WINDOW:
        return BuildAllowance(False, retry_after)
    return BuildAllowance(True)


def anonymous_build_would_exceed(address: str, *, now: float | None = None) -> BuildAllowance:
    """Whether ``address`` has used its builds for this window (without counting one)."""
    now = time.time() if now is None else now
    count = cache.get(f"report-builds:{address}:{int(now // WINDOW_SECONDS)}", 0)
    if count >= ANONYMOUS_BUILDS_PER_WINDOW:
        return BuildAllowance(False, WINDOW_SECONDS - int(now % WINDOW_SECONDS))
    return BuildAllowance(True)
