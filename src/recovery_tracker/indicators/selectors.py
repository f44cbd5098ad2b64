"""Reads for indicators: observations "as at" a date, series, and target verdicts.

The report reuses ``target_verdicts(plan, as_at)`` and ``target_verdict(target, as_at)``; each
verdict carries the engine's full result and a readable components record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from recovery_tracker.catalogue.models import Plan, Recommendation
from recovery_tracker.catalogue.versions import once_per_data_version
from recovery_tracker.engine import progress_measure
from recovery_tracker.engine.formatting import day
from recovery_tracker.indicators.models import Indicator, IndicatorTarget, Observation

__all__ = [
    "STATUS_LABELS",
    "SeriesPoint",
    "Verdict",
    "headline_geography",
    "indicator_get",
    "indicator_verdict",
    "indicators_list",
    "observations_as_at",
    "series_points",
    "target_verdict",
    "target_verdicts",
    "targets_for_recommendation",
    "indicators_for_recommendation",
    "plan_indicator_links",
]

STATUS_LABELS = {
    "substantial_progress": "Substantial progress",
    "moderate_progress": "Moderate progress",
    "limited_progress": "Limited progress",
    "deterioration": "Deterioration",
    "target_achieved": "Target achieved",
    "not_available": "Not available",
}
STATUS_TAGS = {
    "substantial_progress": "govuk-tag--green",
    "moderate_progress": "govuk-tag--turquoise",
    "limited_progress": "govuk-tag--yellow",
    "deterioration": "govuk-tag--red",
    "target_achieved": "govuk-tag--blue",
    "not_available": "govuk-tag--grey",
}

# Readable names for the engine's components record, in the order a reader checks them.
COMPONENT_LABELS = [
    ("method", "Method"),
    ("calculation", "Calculation"),
    ("direction", "Direction (+1 increase is better, -1 decrease is better)"),
    ("base_year_requested", "Base year asked for"),
    ("base_year", "Base year used"),
    ("base_value_observed", "Value in the base year"),
    ("base_value", "Base value used"),
    ("current_year", "Latest year"),
    ("current_value", "Latest value"),
    ("target_given", "Target given"),
    ("target", "Target used"),
    ("target_year", "Target year"),
    ("sign", "Sign adjustment"),
    ("limit", "Natural limit"),
    ("coefficient", "Limit coefficient"),
    ("thresholds", "Thresholds (high, medium, low)"),
    ("cagr_current", "Growth rate so far (per year)"),
    ("cagr_target", "Growth rate needed from the base year (per year)"),
    ("trend_years", "Years in the trend"),
    ("trend_per_year", "Average change per year"),
    ("path_value_now", "Where the straight-line path to the target is now"),
    ("delivered", "Delivered since the base year"),
    ("path_share", "Share of the straight-line path delivered"),
    ("target_achieved", "Target achieved"),
    ("progress_value", "Progress value"),
    ("projection", "Projected value in the target year"),
    ("required_rate", "Rate needed from now on"),
    ("score", "Score (-5 to 5)"),
    ("status", "Status"),
]


@dataclass(frozen=True)
class SeriesPoint:
    """One point of an assessed series: the calculation year, the figure, and where it came from."""

    year: int
    value: float
    period: str
    annual: float | None = None  # the year's own figure when ``value`` is a running total
    observation: Observation | None = None
    constructed: str = ""  # why a point was added that is not an observation (the count's start)


@dataclass
class Verdict:
    """The on-track verdict for a target (or, without one, for an indicator's headline series)."""

    indicator: Indicator
    target: IndicatorTarget | None
    status: str
    geography_key: str
    points: list[SeriesPoint]
    result: progress_measure.ProgressResult | None = None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    as_at: dt.date | None = None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def tag_class(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def available(self) -> bool:
        return self.status != "not_available"

    @property
    def projection(self) -> float | None:
        return self.result.projection if self.result else None

    @property
    def required_rate(self) -> float | None:
        return self.result.required_rate if self.result else None

    @property
    def cumulative(self) -> bool:
        return bool(self.target and self.target.cumulative)

    def components_rows(self) -> list[tuple[str, Any]]:
        """Every input and intermediate value, labelled, for "how this was worked out"."""
        rows: list[tuple[str, Any]] = []
        if self.cumulative:
            rows.append(("Series assessed", "running total of the annual figures below"))
        if any(p.period[:4] == str(p.year) and p.period[4:5] in "/-" and len(p.period) > 4 for p in self.points):
            rows.append(("Years", "a period such as 2022/23 is counted as its first year, 2022"))
        if self.result is None:
            return rows
        data = self.result.to_dict()["components"]
        for key, label in COMPONENT_LABELS:
            value = data.get(key)
            if value is None or value == [] or key == "target_given" and value == data.get("target"):
                continue
            if isinstance(value, dict):
                value = ", ".join(f"{v:g}" for v in value.values())
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            elif key == "status":
                value = STATUS_LABELS.get(value, value)
            elif isinstance(value, float):
                value = _readable(value)
            rows.append((label, value))
        return rows

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the engine's result (with components) plus what was assessed."""
        return {
            "indicator": self.indicator.slug,
            "target": self.target.slug if self.target else None,
            "description": self.target.description if self.target else self.indicator.name,
            "status": self.status,
            "label": self.label,
            "reason": self.reason,
            "geography": self.geography_key,
            "cumulative": self.cumulative,
            "as_at": self.as_at.isoformat() if self.as_at else None,
            "series": [{"year": p.year, "period": p.period, "value": p.value, "annual": p.annual,
                        "constructed": p.constructed} for p in self.points],
            "warnings": self.warnings,
            "result": self.result.to_dict() if self.result else None,
        }


def _readable(value: float) -> str:
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:.6g}"


def indicators_list() -> QuerySet[Indicator]:
    return Indicator.objects.all()


def indicator_get(slug: str) -> Indicator:
    return Indicator.objects.get(slug=slug)


def _known(obs: Observation, as_at: dt.date) -> bool:
    """Rule (ours): a figure counts "as at" a date once released (its vintage, recorded at import from
    the file, the source's own date or ``engine.vintage.RULE_TEXT``). A figure with neither a release
    date nor a period to date it (a stated constant such as "per year") counts once its year has ended."""
    if obs.release_date is not None:
        return obs.release_date <= as_at
    return obs.year is None or obs.year < as_at.year


def observations_as_at(
    indicator: Indicator, as_at: dt.date | None = None, *, geography_key: str | None = None
) -> list[Observation]:
    """The figures that were current on ``as_at`` (today's when None): one per area, breakdown
    and period, the latest revision known then."""
    query = Observation.objects.filter(indicator=indicator)
    if geography_key is not None:
        query = query.filter(geography_key=geography_key)
    if as_at is None:
        return list(query.filter(replaced_by=None))
    latest: dict[tuple[str, str, str], Observation] = {}
    for obs in query.order_by("revision", "id"):
        if _known(obs, as_at):
            latest[(obs.geography_key, obs.disaggregation_key, obs.period)] = obs
    return sorted(latest.values(), key=lambda o: (o.geography_key, o.disaggregation_key, o.year or 0, o.period))


def headline_geography(indicator: Indicator) -> str:
    if indicator.headline_geography:
        return indicator.headline_geography
    counts = Counter(Observation.objects.filter(indicator=indicator).values_list("geography_key", flat=True))
    return counts.most_common(1)[0][0] if counts else ""


def series_points(
    indicator: Indicator, geography_key: str, as_at: dt.date | None = None
) -> tuple[list[SeriesPoint], list[str]]:
    """The headline ("all") series for one area, one point per calculation year, with warnings."""
    warnings: list[str] = []
    by_year: dict[int, Observation] = {}
    for obs in sorted(observations_as_at(indicator, as_at, geography_key=geography_key), key=lambda o: o.id):
        if obs.disaggregation_key or obs.year is None:
            continue
        if obs.year in by_year:
            warnings.append(f"more than one figure for {obs.year}; used {obs.period!r}, "
                            f"not {by_year[obs.year].period!r}")
        by_year[obs.year] = obs
    points = [SeriesPoint(year=y, value=o.value, period=o.period, observation=o) for y, o in sorted(by_year.items())]
    return points, warnings


def _running_total(points: list[SeriesPoint]) -> tuple[list[SeriesPoint], list[str]]:
    """Running total of annual figures, from the latest unbroken run of years.

    Rule (ours, for the homes target): a cumulative target is measured on the sum of annual
    delivery. A gap would make the sum wrong, so the count starts after the last gap, from zero
    at the start of the first counted year; years before it are named in a warning.
    """
    if not points:
        return [], []
    run = [points[-1]]
    for point in reversed(points[:-1]):
        if point.year != run[0].year - 1:
            break
        run.insert(0, point)
    warnings = []
    dropped = [p.period for p in points if p.year < run[0].year]
    if dropped:
        warnings.append("years before a gap in the data are not counted: " + ", ".join(dropped))
    total = 0.0
    out = [SeriesPoint(year=run[0].year - 1, value=0.0, period=f"start of {run[0].period}",
                       constructed="the count starts at zero before the first counted year")]
    for point in run:
        total += point.value
        out.append(SeriesPoint(year=point.year, value=total, period=point.period, annual=point.value,
                               observation=point.observation))
    return out, warnings


def _assess(
    indicator: Indicator, target: IndicatorTarget | None, geography_key: str, as_at: dt.date | None
) -> Verdict:
    points, warnings = series_points(indicator, geography_key, as_at)
    if target is not None and target.cumulative:
        points, more = _running_total(points)
        warnings += more
    verdict = Verdict(indicator=indicator, target=target, status="not_available", geography_key=geography_key,
                      points=points, warnings=warnings, as_at=as_at)
    if not points:
        verdict.reason = f"no figures for {geography_key or 'this indicator'}" + (
            f" published by {day(as_at)}" if as_at else "")
        return verdict
    kwargs: dict[str, Any] = {"direction": indicator.direction, "method": indicator.method}
    if target is not None:
        base_year = points[0].year if target.cumulative else target.base_year
        kwargs = {"direction": target.direction, "method": target.method, "target": target.value,
                  "target_year": target.target_year, "base_year": base_year}
    elif indicator.method == "linear":
        # The straight-line method needs a target; without one, use the growth-rate method.
        kwargs["method"] = "cagr"
    try:
        result = progress_measure.assess([(p.year, p.value) for p in points], **kwargs)
    except ValueError as error:
        verdict.reason = str(error)
        return verdict
    verdict.result = result
    verdict.status = str(result.status)
    verdict.warnings += list(result.warnings)
    if result.status == progress_measure.Status.NOT_AVAILABLE:
        verdict.reason = result.warnings[-1] if result.warnings else "not enough data"
    return verdict


def target_verdict(target: IndicatorTarget, as_at: dt.date | None = None) -> Verdict:
    """Assess one target on its indicator's series for its area, with the data known on ``as_at``."""
    geography = target.geography_key or headline_geography(target.indicator)
    return _assess(target.indicator, target, geography, as_at)


def indicator_verdict(
    indicator: Indicator, as_at: dt.date | None = None, *, geography_key: str | None = None
) -> Verdict:
    """Without a target: the Open SDG no-target assessment of the headline series."""
    return _assess(indicator, None, geography_key or headline_geography(indicator), as_at)


def _targets(query: Iterable[IndicatorTarget], as_at: dt.date | None) -> list[Verdict]:
    return [target_verdict(target, as_at) for target in query]


@once_per_data_version("target_verdicts")
def target_verdicts(plan: Plan, as_at: dt.date | None = None) -> list[Verdict]:
    """Every target of the plan that has an indicator, assessed as at ``as_at`` (default: now)."""
    query = (IndicatorTarget.objects.filter(catalogue_target__recommendation__plan=plan)
             .select_related("indicator", "catalogue_target__recommendation").distinct())
    return _targets(query, as_at)


def targets_for_recommendation(recommendation: Recommendation, as_at: dt.date | None = None) -> list[Verdict]:
    query = IndicatorTarget.objects.filter(recommendations=recommendation).select_related("indicator")
    return _targets(query, as_at)


# --- indicators each recommendation bears on (issue 12) ----------------------------------------


def plan_indicator_links(plan: Plan) -> dict[str, list[Indicator]]:
    """Recommendation id → the indicators whose metadata names it (``recommendations: {plan: [...]}``
    in the statistics metadata), by name. Recommendations with none are left out."""
    links: dict[str, list[Indicator]] = {}
    for indicator in Indicator.objects.order_by("name"):
        named = (indicator.metadata or {}).get("recommendations") or {}
        for rec in named.get(plan.slug, []) if isinstance(named, dict) else []:
            links.setdefault(str(rec), []).append(indicator)
    return links


def indicators_for_recommendation(recommendation: Recommendation, as_at: dt.date | None = None) -> list[
        tuple[Indicator, Observation | None]]:
    """The indicators a recommendation bears on, each with its latest headline figure known as at
    ``as_at`` (today when None), or None when no figure was published by then."""
    out = []
    for indicator in plan_indicator_links(recommendation.plan).get(recommendation.slug, []):
        geography = headline_geography(indicator)
        figures = [o for o in observations_as_at(indicator, as_at, geography_key=geography)
                   if not o.disaggregation_key]
        latest = max(figures, key=lambda o: (o.year or 0, o.period, o.revision), default=None)
        out.append((indicator, latest))
    return out
