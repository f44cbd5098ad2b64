"""Panels on the recommendation and organisation pages: saved check results, and the check to run."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.measures import selectors
from recovery_tracker.measures.services import CHECKS


def recommendation_panel(request: HttpRequest, recommendation: Any) -> Panel | None:
    checks = [check for check in CHECKS.values() if check.recommendation == recommendation.slug]
    results = list(selectors.results_for_recommendation(recommendation)[:20])
    if not checks and not results:
        return None
    return Panel("measures/_panel.html", {"checks": checks, "results": results, "show_organisation": True})


def organisation_panel(request: HttpRequest, organisation: Any) -> Panel | None:
    results = list(selectors.results_for_organisation(organisation)[:20])
    if not results:
        return None
    return Panel("measures/_panel.html", {"checks": [], "results": results, "show_organisation": False})
