"""Each target as the report shows it: the indicator's verdict as at the date, its figures and chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from recovery_tracker.catalogue.models import Target
from recovery_tracker.engine.formatting import number
from recovery_tracker.indicators.charts import chart_from_verdict
from recovery_tracker.indicators.charts import number as indicator_number
from recovery_tracker.indicators.selectors import target_verdict
from recovery_tracker.reports.data import NO_STATISTICS, ChartView, TargetView


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
    if verdict.points:
        chart = chart_from_verdict(verdict)
        view = replace(view, chart=ChartView(svg=chart.svg, alt=chart.alt_text))
    return view


def _rate(rate: float | None, method: str, unit: str) -> str:
    if rate is None:
        return ""
    return f"{rate * 100:.1f}% a year" if method == "cagr" else f"{number(rate, unit)} a year"
