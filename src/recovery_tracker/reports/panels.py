"""The "Download the progress report" panel on the plan home."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.reports.options import FORMATS


def report_panel(request: HttpRequest, plan: Any) -> Panel:
    links = [(label, reverse("report-download", args=[plan.slug, key])) for key, label in FORMATS.items()]
    return Panel(template="reports/_panel.html", context={"plan": plan, "links": links})


def summary_panel(request: HttpRequest, plan: Any) -> Panel:
    """The answer first: the plan home opens with ``plan_summary`` (the report and the API use it too)."""
    from recovery_tracker.reports.summary import plan_summary

    return Panel(template="reports/_summary_panel.html", context={"plan": plan, "summary": plan_summary(plan)})
