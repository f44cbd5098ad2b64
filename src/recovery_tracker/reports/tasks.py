"""Tasks of the reports app (see docs/tasks.md): reports are built by the worker, never in a request."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.reports.cache import report_file
from recovery_tracker.reports.options import ReportOptions


@task()
def report_build_task(*, plan_slug: str, format: str, as_at: str, since: str, site_url: str) -> int:
    """Build one report into the shared cache; returns its size in bytes."""
    plan = Plan.objects.get(slug=plan_slug)
    options = ReportOptions(format=format, as_at=dt.date.fromisoformat(as_at), since=dt.date.fromisoformat(since))
    return len(report_file(plan, options, site_url=site_url).content)


@task()
def reports_refresh_task() -> int:
    """The data changed: build every report that should be ready (see ``reports.refresh``)."""
    from recovery_tracker.reports.refresh import reports_refresh

    return reports_refresh()


@task()
def report_publish_task(*, plan_slug: str, as_at: str, user_id: int, site_url: str) -> int:
    """Build and record a published report (HTML, PDF, Markdown); returns the publication's id."""
    from django.contrib.auth import get_user_model

    from recovery_tracker.reports.publications import report_publish

    plan = Plan.objects.get(slug=plan_slug)
    user = get_user_model().objects.get(pk=user_id)
    return report_publish(actor=user, plan=plan, as_at=dt.date.fromisoformat(as_at), site_url=site_url).pk
