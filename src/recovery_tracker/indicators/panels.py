"""Panels this app fills on catalogue pages: target verdicts on the plan home and on recommendation
pages (listed in ``web/pages.py``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.indicators.selectors import target_verdicts, targets_for_recommendation


def plan_targets_panel(request: HttpRequest, plan: Any) -> Panel | None:
    verdicts = target_verdicts(plan)
    if not verdicts:
        return None
    return Panel("indicators/panel_plan.html", {"verdicts": verdicts, "plan": plan})


def recommendation_targets_panel(request: HttpRequest, recommendation: Any) -> Panel | None:
    verdicts = targets_for_recommendation(recommendation)
    if not verdicts:
        return None
    return Panel("indicators/panel_recommendation.html", {"verdicts": verdicts})



def recommendation_indicators_panel(request: HttpRequest, recommendation: Any) -> Panel | None:
    from recovery_tracker.indicators.selectors import indicators_for_recommendation

    rows = indicators_for_recommendation(recommendation)
    if not rows:
        return None
    return Panel("indicators/panel_recommendation_indicators.html", {"rows": rows})
