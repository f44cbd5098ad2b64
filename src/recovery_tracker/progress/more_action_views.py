"""The "where more action is needed" page, and its panels on the plan home and recommendation pages
(listed in ``web/pages.py``)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString, mark_safe

from recovery_tracker.catalogue import selectors as catalogue
from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.engine import more_action
from recovery_tracker.engine.formatting import day
from recovery_tracker.engine.rollup import RULE_TEXT, SeriesPoint
from recovery_tracker.progress import rollup_data

__all__ = ["more_action_page", "plan_progress_panel", "progress_chart_svg", "recommendation_flags_panel"]


def more_action_page(request: HttpRequest, plan_slug: str | None = None) -> HttpResponse:
    """Every flagged recommendation with its reasons, worst first, filtered by a GET form."""
    plan = catalogue.plan_get(plan_slug) if plan_slug else catalogue.plan_default()
    if plan is None:
        return render(request, "catalogue/no_plan.html")
    filters = catalogue.RecommendationFilters(
        organisation=request.GET.get("organisation", ""), section=request.GET.get("section", ""),
        theme=request.GET.get("theme", ""),
    )
    flagged = rollup_data.plan_flagged(plan, filters=filters)
    rule_counts: dict[str, int] = {}
    for _rec, item in flagged:
        for flag in item.flags:
            rule_counts[flag.rule] = rule_counts.get(flag.rule, 0) + 1
    config = rollup_data.more_action_config()
    reading = [
        (rec, more_action.flags_for_reading(item.flags, plan_published=plan.published)) for rec, item in flagged
    ]
    filtered = any((filters.organisation, filters.section, filters.theme))
    # Unfiltered, the page picks out the bodies most in need of action; the one-by-one list is a
    # filter (or "view=all") away, so a reader is not handed every flagged recommendation at once.
    listing = filtered or request.GET.get("view") == "all"
    return render(request, "progress/more_action/page.html", {
        "plan": plan, "flagged": reading, "filters": filters, "filtered": filtered, "listing": listing,
        **({} if listing else _by_body(flagged)),
        "rules": [(rule, rule_counts.get(rule.name, 0)) for rule in more_action.RULES],
        "config": config, "today": dt.date.today(), **catalogue.filter_choices(plan),
    })


BODY_ITEMS_SHOWN = 3
# Bodies shown as cards with their worst items; the rest are one line each in a table.
BODIES_SHOWN = 8


def _by_body(flagged: list[tuple[Recommendation, more_action.FlaggedRecommendation]]) -> dict[str, object]:
    """The page's grouped view: stronger-policy flags, then bodies ranked (``more_action.by_body``) with
    their worst few recommendations, then what is flagged about recommendations as a whole."""
    recs = {rec.slug: rec for rec, _item in flagged}
    groups = more_action.by_body(item for _rec, item in flagged)
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=[g.organisation for g in groups])}
    bodies = []
    for group in groups:
        items: dict[str, list[more_action.Flag]] = {}
        for flag in group.flags:
            items.setdefault(flag.recommendation, []).append(flag)
        bodies.append({
            "group": group, "organisation": organisations.get(group.organisation),
            "items": [(recs[key], found) for key, found in list(items.items())[:BODY_ITEMS_SHOWN]],
            "more": max(0, len(items) - BODY_ITEMS_SHOWN), "count": len(items),
        })
    whole: dict[str, list[Recommendation]] = {}
    for rec, item in flagged:
        for flag in item.flags:
            if flag.organisation is None:
                whole.setdefault(flag.title, []).append(rec)
    return {
        "bodies": bodies[:BODIES_SHOWN], "other_bodies": bodies[BODIES_SHOWN:],
        "stronger": [(recs[f.recommendation], f, organisations.get(g.organisation))
                     for g in groups for f in g.stronger_policy],
        "whole": sorted(whole.items(), key=lambda item: -len(item[1])),
    }


_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*>\s*")


def progress_chart_svg(points: list[SeriesPoint], title: str) -> SafeString:
    """Plan-wide progress over time as an inline SVG (Vega-Lite via Altair, rendered by vl-convert)."""
    values = tuple((p.date.isoformat(), p.percent) for p in points if p.percent is not None)
    # No chart of one point (issue 12): a single dot says nothing about a trend; the text and table do.
    if len(values) < 2:
        return mark_safe("")
    return mark_safe(_chart_svg(values, title))  # noqa: S308 - SVG produced by vl-convert from numbers and our title


@lru_cache(maxsize=32)
def _chart_svg(points: tuple[tuple[str, float], ...], title: str) -> str:
    # Rendering takes a noticeable fraction of a second; the same numbers give the same drawing.
    import altair as alt
    import vl_convert

    values = [{"date": day, "progress": percent} for day, percent in points]
    chart = alt.Chart(alt.Data(values=values), title=title).mark_line(point=True).encode(
        x=alt.X("date:T", title="Date"),
        y=alt.Y("progress:Q", title="Plan-wide progress (%)", scale=alt.Scale(domain=[0, 100])),
        tooltip=["date:T", "progress:Q"],
    ).properties(width=520, height=240)
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    svg = _XML_PROLOG.sub("", svg)
    # The chart is described by the caption and the table beside it; screen readers skip the drawing.
    return svg.replace("<svg ", '<svg role="img" aria-labelledby="progress-chart-caption" focusable="false" ', 1)


def _text_alternative(points: list[SeriesPoint]) -> str:
    assessed = [p for p in points if p.percent is not None]
    if not assessed:
        return "No recommendation has been assessed yet, so there is no progress to chart."
    first, last = assessed[0], assessed[-1]
    return (f"Plan-wide progress was {first.percent:g}% on {day(first.date)} and {last.percent:g}% on "
            f"{day(last.date)}, counting the recommendations assessed at each date "
            f"({last.assessed} assessed, {last.not_assessed} not assessed on the latest date).")


def plan_progress_panel(request: HttpRequest, plan: Plan) -> Panel | None:
    """Plan home: progress now, a chart of progress over time with its data table, and the rule."""
    result = rollup_data.plan_progress(plan)
    points = rollup_data.plan_progress_over_time(plan)
    flagged = rollup_data.plan_flagged(plan)
    return Panel("progress/more_action/_plan_panel.html", {
        "plan": plan, "rollup": result.plan, "sections": result.sections, "rule_text": RULE_TEXT,
        "points": points, "chart": progress_chart_svg(points, f"Progress of {plan.title}"),
        "text_alternative": _text_alternative(points), "flagged_count": len(flagged),
    })


def recommendation_flags_panel(request: HttpRequest, rec: Recommendation) -> Panel | None:
    """Recommendation page: its flags with reasons, and how its progress was added up."""
    result = rollup_data.recommendation_progress(rec)
    return Panel("progress/more_action/_recommendation_panel.html", {
        "rec": rec, "result": result, "rule_text": RULE_TEXT,
        "flags": more_action.flags_for_reading(rollup_data.recommendation_flags(rec),
                                               plan_published=rec.plan.published),
    })

