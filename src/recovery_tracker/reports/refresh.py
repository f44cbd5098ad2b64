"""Reports built when the data changes, so that readers find them ready.

When any data a report shows changes (a write service's audit entry, an update, an observation, a
plan reload), ``reports_refresh_soon`` queues one refresh a few seconds later (a burst of writes,
such as an import, gives one refresh). The refresh builds every report that each provider in
``REPORT_TARGETS`` names: today the latest report in every format; a provider for published
reports joins the list the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.reports.cache import report_file
from recovery_tracker.reports.options import FORMATS, ReportOptions

# Gather a burst of writes (an import, a moderation session) into one refresh.
REFRESH_DELAY_SECONDS = 5
_QUEUED_KEY = "reports-refresh-queued"
SITE_URLS_KEY = "reports-site-urls"
MAX_SITE_URLS = 3


def latest_reports(plan: Plan, today: dt.date) -> list[ReportOptions]:
    """The latest report (as at today, with the default "what changed" year) in every format."""
    return [ReportOptions.build(format=fmt, today=today) for fmt in FORMATS]


ReportTargets = Callable[[Plan, dt.date], list[ReportOptions]]
# Every kind of report to have ready, in one list.
REPORT_TARGETS: list[ReportTargets] = [latest_reports]


def report_site_urls() -> list[str]:
    """The site addresses reports link to: the configured one, else those readers used lately."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return [configured]
    return cache.get(SITE_URLS_KEY) or []


def report_site_url_seen(site_url: str) -> None:
    """Remember an address readers use, so that refreshed reports link to it."""
    seen = cache.get(SITE_URLS_KEY) or []
    if site_url not in seen:
        cache.set(SITE_URLS_KEY, [site_url, *seen][:MAX_SITE_URLS], None)


def reports_refresh(*, today: dt.date | None = None) -> int:
    """Build every report in ``REPORT_TARGETS`` for every plan; returns how many were built."""
    # Changes from now on queue another refresh.
    cache.delete(_QUEUED_KEY)
    today = today or dt.date.today()
    built = 0
    for plan in Plan.objects.order_by("slug"):
        for targets in REPORT_TARGETS:
            for options in targets(plan, today):
                for site_url in report_site_urls():
                    if not report_file(plan, options, site_url=site_url).cached:
                        built += 1
    return built


def reports_refresh_soon() -> None:
    """Queue one refresh after the current transaction commits (once for a burst of changes)."""
    transaction.on_commit(_queue_refresh)


def _queue_refresh() -> None:
    if not cache.add(_QUEUED_KEY, 1, 10 * 60):
        return
    from recovery_tracker.reports.tasks import reports_refresh_task

    run_after = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=REFRESH_DELAY_SECONDS)
    task = reports_refresh_task
    if task.get_backend().supports_defer:
        task = task.using(run_after=run_after)
    task.enqueue()
