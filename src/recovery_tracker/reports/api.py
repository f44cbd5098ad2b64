"""Read-only API: where a plan stands, from the same ``plan_summary`` as the plan home and the report."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.reports.options import ReportOptionError, as_at_check, parse_date
from recovery_tracker.reports.summary import plan_summary

router = Router(tags=["reports"])


@router.get("/plans/{plan_slug}/summary", summary="Where the plan stands: coverage, statuses, progress, targets")
def summary_get(request: HttpRequest, plan_slug: str, as_at: str | None = None) -> dict[str, Any]:
    """Coverage first (recommendations and bodies assessed, responses), statuses counted per body,
    average progress with the number of recommendations it averages, targets on track out of all,
    the places most needing action and the latest published changes, as at ``as_at`` (today)."""
    plan = Plan.objects.filter(slug=plan_slug).first()
    if plan is None:
        raise HttpError(404, f"No plan {plan_slug!r}.")
    try:
        day = parse_date(as_at, "as_at")
        if day is not None:
            as_at_check(day, plan.published)
    except ReportOptionError as error:
        raise HttpError(400, str(error)) from error
    return plan_summary(plan, day).to_dict()
