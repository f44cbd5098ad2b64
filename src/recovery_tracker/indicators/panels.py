"""Panels and navigation this app adds to shared pages: target verdicts on the plan home and on
recommendation pages, and the "Indicators" navigation item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from recovery_tracker.web.extensions import Panel, nav_item_add, panel_add


def plan_targets_panel(request: HttpRequest, plan: Any) -> Panel | None:
    from recovery_tracker.indicators.selectors import target_verdicts

    verdicts = target_verdicts(plan)
    if not verdicts:
        return None
    return Panel("indicators/panel_plan.html", {"verdicts": verdicts, "plan": plan}, order=20)


def recommendation_targets_panel(request: HttpRequest, recommendation: Any) -> Panel | None:
    from recovery_tracker.indicators.selectors import targets_for_recommendation

    verdicts = targets_for_recommendation(recommendation)
    if not verdicts:
        return None
    return Panel("indicators/panel_recommendation.html", {"verdicts": verdicts}, order=20)


def recommendation_indicators_panel(request: HttpRequest, recommendation: Any) -> Panel | None:
    from recovery_tracker.indicators.selectors import indicators_for_recommendation

    rows = indicators_for_recommendation(recommendation)
    if not rows:
        return None
    return Panel("indicators/panel_recommendation_indicators.html", {"rows": rows}, order=21)


def register() -> None:
    nav_item_add("Indicators", "indicator-list")
    panel_add("plan", plan_targets_panel)
    panel_add("recommendation", recommendation_targets_panel)
    panel_add("recommendation", recommendation_indicators_panel)
