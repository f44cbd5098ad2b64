"""Indicator charts: a Vega-Lite spec made with Altair, rendered to SVG on the server.

The same SVG serves the web page and the PDF report, with a text alternative and the rows of a
data table, so the chart is never the only way to read the figures. No JavaScript is needed.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import vl_convert

from recovery_tracker.engine import formatting
from recovery_tracker.indicators.models import Indicator, IndicatorTarget
from recovery_tracker.indicators.selectors import Verdict, indicator_verdict, target_verdict

__all__ = ["Chart", "chart_from_verdict", "chart_spec", "indicator_chart_svg", "number"]

SERIES = ["Observed", "Projection to the deadline", "Target"]
COLOURS = ["#1d70b8", "#1d70b8", "#d4351c"]  # GOV.UK blue for data, red for the target
DASHES = [[1, 0], [6, 4], [2, 2]]


@dataclass(frozen=True)
class Chart:
    svg: str
    alt_text: str
    table_rows: list[dict[str, Any]] = field(default_factory=list)
    spec: dict[str, Any] = field(default_factory=dict)
    verdict: Verdict | None = None
    # The same chart drawn for a phone's width (web pages show it below 641 px instead of ``svg``).
    svg_narrow: str = ""


# Text in a chart is drawn at 14 px or more at the size the chart is shown (issue 13: phone
# readers got 7 px text when a wide chart was shrunk to fit).
FONT_SIZE = 14
NARROW = {"width": 160, "height": 220}  # plot area; with axes and legend under 290 px wide


def number(value: float | None, unit: str = "") -> str:
    """A figure beside a chart or in a verdict: the unit's qualifier is in the indicator's name, so a
    share's unit ("% of employees") shows as its sign alone."""
    shown = "%" if unit.strip().startswith("%") else unit
    return formatting.number(value, shown, missing="not available")


def _target_period(target: IndicatorTarget) -> str:
    if target.deadline is not None and target.target_year != target.deadline.year:
        return f"{target.target_year}/{str(target.target_year + 1)[2:]}"
    return str(target.target_year)


def _chart_rows(verdict: Verdict) -> list[dict[str, Any]]:
    rows = [{"year": p.year, "value": p.value, "series": "Observed", "period": p.period} for p in verdict.points]
    target, result = verdict.target, verdict.result
    if result is not None and result.projection is not None and result.current_year is not None and target:
        rows += [
            {"year": result.current_year, "value": result.current_value, "series": SERIES[1], "period": "latest"},
            {"year": target.target_year, "value": result.projection, "series": SERIES[1],
             "period": _target_period(target)},
        ]
    if target is not None:
        start = min([p.year for p in verdict.points] + [target.target_year])
        rows += [
            {"year": start, "value": target.value, "series": SERIES[2], "period": ""},
            {"year": target.target_year, "value": target.value, "series": SERIES[2], "period": _target_period(target)},
        ]
    return rows


def chart_spec(verdict: Verdict, *, width: int = 560, height: int = 300) -> dict[str, Any]:
    """The Vega-Lite spec (a dict) for one verdict: observations, the target line, the projection."""
    indicator = verdict.indicator
    rows = _chart_rows(verdict)
    unit = indicator.unit
    title = f"{indicator.name}" + (", running total" if verdict.cumulative else "")
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=verdict.cumulative)),
        color=alt.Color("series:N", scale=alt.Scale(domain=SERIES, range=COLOURS),
                        legend=alt.Legend(title=None, orient="bottom")),
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=SERIES, range=DASHES), legend=None),
    )
    lines = base.mark_line(strokeWidth=2.5)
    points = base.transform_filter(alt.datum.series == "Observed").mark_point(filled=True, size=50)
    layers = [lines, points]
    if verdict.target is not None:
        label = f"Target {number(verdict.target.value, unit)} by {_target_period(verdict.target)}"
        layers.append(
            alt.Chart(alt.Data(values=[{"year": verdict.target.target_year, "value": verdict.target.value}]))
            .mark_text(align="right", dy=-8, color=COLOURS[2], fontWeight="bold")
            .encode(x="year:Q", y="value:Q", text=alt.value(label))
        )
    chart = alt.layer(*layers).properties(width=width, height=height, title=alt.TitleParams(
        title, fontSize=FONT_SIZE + 2, limit=width + 60, lineHeight=18)).configure_axis(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=width // 2,
    ).configure_legend(labelFontSize=FONT_SIZE, labelLimit=width + 40, columns=1 if width < 400 else 0,
    ).configure_text(fontSize=FONT_SIZE)
    spec = chart.to_dict()
    spec["description"] = chart_alt_text(verdict)
    return spec


def chart_alt_text(verdict: Verdict) -> str:
    """A text alternative that says what the chart shows, in words."""
    indicator, points = verdict.indicator, verdict.points
    unit = indicator.unit
    what = indicator.name + (" (running total of annual figures)" if verdict.cumulative else "")
    parts = [f"Line chart of {what} for {verdict.geography_key or 'the headline area'}."]
    if points:
        first, last = points[0], points[-1]
        if len(points) == 1:
            parts.append(f"One figure: {number(last.value, unit)} in {last.period}.")
        else:
            parts.append(f"From {number(first.value, unit)} in {first.period} to {number(last.value, unit)} "
                         f"in {last.period}, {len(points)} points.")
    else:
        parts.append("No figures yet.")
    if verdict.target is not None:
        parts.append(f"Target line at {number(verdict.target.value, unit)} by {_target_period(verdict.target)}.")
        if verdict.projection is not None:
            parts.append(f"Dashed projection from the latest figure reaches {number(verdict.projection, unit)} "
                         f"by {_target_period(verdict.target)}.")
        else:
            parts.append("No projection: " + (verdict.reason or "not enough data") + ".")
    parts.append(f"Verdict: {verdict.label}.")
    return " ".join(parts)


def table_rows(verdict: Verdict) -> list[dict[str, Any]]:
    """The chart's figures as table rows: period, area, value, source and notes."""
    rows = []
    unit = verdict.indicator.unit
    for point in verdict.points:
        obs = point.observation
        rows.append({
            "period": point.period,
            "year": point.year,
            "geography": (obs.geography_name or obs.geography_code) if obs else verdict.geography_key,
            "geography_code": obs.geography_code if obs else "",
            "value": point.value,
            "value_text": number(point.value, unit),
            "annual": point.annual,
            "annual_text": number(point.annual, unit) if point.annual is not None else "",
            "source": obs.source if obs else "",
            "source_url": obs.source_url if obs else "",
            "notes": obs.notes if obs else point.constructed,
        })
    return rows


def _accessible(svg: str, alt_text: str) -> str:
    """Name the picture for screen readers and let it shrink to fit narrow screens."""
    label = html.escape(alt_text, quote=True)
    head, rest = svg.split(">", 1)
    head = head.replace("<svg ", f'<svg role="img" aria-label="{label}" style="max-width:100%;height:auto" ', 1)
    return f"{head}><title>{label}</title>{rest}"


def chart_from_verdict(verdict: Verdict, *, width: int = 560, height: int = 300) -> Chart:
    spec = chart_spec(verdict, width=width, height=height)
    svg = _accessible(vl_convert.vegalite_to_svg(json.dumps(spec)), chart_alt_text(verdict))
    return Chart(svg=svg, alt_text=chart_alt_text(verdict), table_rows=table_rows(verdict), spec=spec,
                 verdict=verdict)


def indicator_chart_svg(
    indicator: Indicator,
    as_at: dt.date | None = None,
    *,
    target: IndicatorTarget | None = None,
    geography_key: str | None = None,
    width: int = 500,
    height: int = 300,
    narrow: bool = False,
) -> Chart:
    """The chart for an indicator: its first target's series (or the headline series), as SVG text,
    a text alternative and table rows. The PDF report calls this too; web pages ask for the
    ``narrow`` drawing as well, for phones."""
    if target is None and geography_key is None:
        target = indicator.targets.order_by("deadline", "slug").first()
    verdict = target_verdict(target, as_at) if target else indicator_verdict(indicator, as_at,
                                                                           geography_key=geography_key)
    chart = chart_from_verdict(verdict, width=width, height=height)
    if not narrow:
        return chart
    small = chart_from_verdict(verdict, **NARROW)
    return Chart(svg=chart.svg, alt_text=chart.alt_text, table_rows=chart.table_rows, spec=chart.spec,
                 verdict=verdict, svg_narrow=small.svg)
