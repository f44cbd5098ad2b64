"""Each target as the report shows it: the indicator's verdict as at the date, its figures and chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from recovery_tracker.catalogue.models import Target
from recovery_tracker.engine.formatting import day, number
from recovery_tracker.indicators.charts import chart_from_verdict
from recovery_tracker.indicators.charts import number as indicator_number
from recovery_tracker.indicators.selectors import target_verdict
from recovery_tracker.reports.data import (
    NO_STATISTICS,
    ChartView,
    TargetView,
)


def target_view(target: Target, as_at: dt.date) -> TargetView:
    base = TargetView(description=target.description, value=target.value, unit=target.unit, deadline=target.deadline)
    indicator_target = getattr(target, "indicator_target", None)
    if indicator_target is None:
        why = f" (indicator {target.indicator_slug!r} has no statistics loaded)" if target.indicator_slug else ""
        return replace(base, note=f"No official statistics measure this target yet{why}.")
    verdict = target_verdict(indicator_target, as_at)
    unit = indicator_target.indicator.unit
    result = verdict.result
    view = replace(
        base, verdict=verdict.status, verdict_label=verdict.label,
        table=tuple((p.period, indicator_number(p.value, unit)) for p in verdict.points),
        note=f"{NO_STATISTICS} ({verdict.reason})" if not verdict.points else (
            f"No verdict: {verdict.reason}." if verdict.reason else ""),
    )
    if result is not None and result.current_year is not None:
        view = replace(view, current=f"{indicator_number(result.current_value, unit)} in {result.current_year}")
    if result is not None and result.projection is not None:
        view = replace(view, projection=f"{indicator_number(result.projection, unit)} by {result.target_year}")
    if result is not None:
        view = replace(view, required=_rate(result.required_rate, result.method, unit))
    view = replace(view, release=release_used(verdict.points, as_at))
    if verdict.points:
        chart = chart_from_verdict(verdict)
        view = replace(view, chart=ChartView(svg=chart.svg, alt=chart.alt_text))
    return view


def release_used(points: list[Any], as_at: dt.date) -> str:
    """Say which release the figures came from: the latest-published figure used, its source and day."""
    used = [p.observation for p in points if p.observation is not None]
    if not used:
        return f"No figure had been published by {day(as_at)}."
    latest = max(used, key=lambda o: (o.release_date or dt.date.min, o.id))
    when = day(latest.release_date) if latest.release_date else "date not recorded"
    return (f"Figures as published by {day(as_at)}; the latest used: {latest.period} from {latest.source}, "
            f"released {when} ({latest.release_basis or 'release date not recorded'}).")


def _rate(rate: float | None, method: str, unit: str) -> str:
    if rate is None:
        return ""
    return f"{rate * 100:.1f}% a year" if method == "cagr" else f"{number(rate, unit)} a year"
