"""What the progress app says as at the date (states, roll-up, flags, the trend), in the shapes the
chapters need: the report adds no rule of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from recovery_tracker.catalogue.models import Plan, Recommendation
from recovery_tracker.engine import more_action, rollup
from recovery_tracker.engine.formatting import day
from recovery_tracker.progress import rollup_data
from recovery_tracker.progress import selectors as progress_selectors
from recovery_tracker.progress.more_action_views import progress_chart_svg
from recovery_tracker.progress.vocabulary import status_vocabulary
from recovery_tracker.reports.data import (
    TrendPoint,
)


@dataclass
class ProgressAsAt:
    """What the progress app says as at the date, in the shapes the chapters need."""

    states: dict[int, Any]
    rollup: rollup.PlanRollup
    flags: dict[str, list[more_action.Flag]]
    flagged_order: list[str]
    trend: list[TrendPoint]
    trend_svg: str
    vocabulary: list[dict[str, Any]]


def progress_as_at(plan: Plan, recs: list[Recommendation], as_at: dt.date) -> ProgressAsAt:
    """The progress app's own as-at state, roll-up, flags and series: the report adds no rule of its own."""
    states = progress_selectors.recommendation_states_as_at(recs, as_at)
    flagged = rollup_data.plan_flagged(plan, as_at=as_at, recommendations=recs)
    series = rollup_data.plan_progress_over_time(plan, today=as_at)
    trend = [TrendPoint(p.date, p.percent, p.assessed, p.not_assessed) for p in series]
    return ProgressAsAt(
        states=states, rollup=rollup_data.plan_progress(plan, as_at),
        flags={item.recommendation.key: list(item.flags) for _rec, item in flagged},
        flagged_order=[item.recommendation.key for _rec, item in flagged],
        trend=trend, trend_svg=_trend_svg(plan, series), vocabulary=status_vocabulary(plan),
    )


def _trend_svg(plan: Plan, series: list[Any]) -> str:
    """The progress app's own chart of plan-wide progress over time (empty before anything is assessed)."""
    return str(progress_chart_svg(series, f"Progress of {plan.title}"))


def trend_table(trend: list[TrendPoint]) -> list[TrendPoint]:
    """The series has a point per quarter; the table shows each year end and the as-at date."""
    return [p for i, p in enumerate(trend) if (p.date.month, p.date.day) == (12, 31) or i == len(trend) - 1]


def trend_text(trend: list[TrendPoint]) -> str:
    known = [p for p in trend if p.percent is not None]
    if not known:
        return "No recommendation had been assessed on any of these dates."
    if len(known) == 1:
        return f"Assessed progress first appears on {day(known[0].date)}: {known[0].percent:g}%."
    first, last = known[0], known[-1]
    change = round(last.percent - first.percent, 1)  # type: ignore[operator]
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    amount = f" {abs(change):g} percentage points" if change else ""
    return f"Plan-wide progress is {direction}{amount} between {day(first.date)} and {day(last.date)}."
