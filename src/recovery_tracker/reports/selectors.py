"""Assemble the progress report: one typed ``ReportData`` for a plan as at a date.

Each chapter comes from one function here that calls the selectors and engines of the app that
owns the data (catalogue, progress, indicators). The renderers (HTML, PDF, Markdown) only format
what this module returns, so the three documents always say the same thing.

Nothing here reads the clock except ``generated_at``: the same data and as-at date give the
same ``ReportData`` apart from that one field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Max, Q
from django.utils import timezone

from recovery_tracker.catalogue.models import Addressee, Fact, Plan, Recommendation, Section, Target
from recovery_tracker.engine import more_action, rollup
from recovery_tracker.engine.safe_text import plain_text, safe_url
from recovery_tracker.indicators.charts import chart_from_verdict, number
from recovery_tracker.indicators.models import Indicator, IndicatorTarget, Observation
from recovery_tracker.indicators.selectors import target_verdict
from recovery_tracker.progress import rollup_data
from recovery_tracker.progress import selectors as progress_selectors
from recovery_tracker.progress.models import Response, Source, State, Update
from recovery_tracker.progress.more_action_views import progress_chart_svg
from recovery_tracker.progress.vocabulary import status_term, status_vocabulary
from recovery_tracker.reports.models import Publication
from recovery_tracker.reports.options import ReportOptions, as_at_check
from recovery_tracker.reports.summary import PlanSummary, plan_summary

NO_STATISTICS = "No statistics recorded yet."
NO_RECOMMENDATIONS = (
    "This section makes no recommendations of its own; the figures it states are in “The figures the plan stated”."
)

ON_TRACK = frozenset({"substantial_progress", "target_achieved"})
OFF_TRACK = frozenset({"moderate_progress", "limited_progress", "deterioration"})


# ── the typed report ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Link:
    url: str
    title: str


@dataclass(frozen=True)
class EvidenceItem:
    date: dt.date
    date_display: str
    recommendation: str
    title: str
    organisation: str
    voice: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class VoiceView:
    status: str
    response: str
    since: dt.date | None = None
    response_url: str = ""
    target_date: dt.date | None = None
    overdue: bool = False
    assessed: bool = False


@dataclass(frozen=True)
class BodyRow:
    name: str
    role: str
    own: VoiceView
    independent: VoiceView


@dataclass(frozen=True)
class ChartView:
    svg: str
    alt: str


@dataclass(frozen=True)
class TargetView:
    description: str
    value: float
    unit: str
    deadline: dt.date | None
    verdict: str = ""
    verdict_label: str = ""
    current: str = ""
    projection: str = ""
    required: str = ""
    chart: ChartView | None = None
    table: tuple[tuple[str, str], ...] = ()
    note: str = ""
    # Which release the figures came from: only figures published by the as-at date are used.
    release: str = ""


@dataclass(frozen=True)
class FlagView:
    title: str
    reason: str
    severity: str
    organisation: str = ""


@dataclass(frozen=True)
class RecommendationEntry:
    slug: str
    title: str
    quote: str
    kind: str
    modality: str
    who_must_act: tuple[str, ...]
    bodies: tuple[BodyRow, ...] = ()
    progress_percent: int | None = None
    evidence: tuple[EvidenceItem, ...] = ()
    evidence_count: int = 0
    targets: tuple[TargetView, ...] = ()
    flags: tuple[FlagView, ...] = ()
    # The recommendation's page on the tracker, when the report knows the site's address.
    url: str = ""

    @property
    def anchor(self) -> str:
        return "rec-" + self.slug.replace(".", "-")


@dataclass(frozen=True)
class SectionChapter:
    number: str
    title: str
    progress_percent: int | None
    entries: tuple[RecommendationEntry, ...]

    @property
    def anchor(self) -> str:
        return "section-" + self.number.replace(".", "-")


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class TrendPoint:
    date: dt.date
    percent: float | None
    assessed: int
    not_assessed: int


@dataclass(frozen=True)
class Summary:
    recommendation_count: int
    section_count: int
    status_counts: tuple[Count, ...] = ()
    response_counts: tuple[Count, ...] = ()
    pair_count: int = 0
    progress_percent: int | None = None
    assessed: int = 0
    not_assessed: int = 0
    trend: tuple[TrendPoint, ...] = ()
    trend_text: str = ""
    trend_chart: ChartView | None = None
    targets_total: int = 0
    targets_on_track: int = 0
    targets_off_track: int = 0
    targets_no_verdict: int = 0
    flagged_count: int = 0


@dataclass(frozen=True)
class FlaggedEntry:
    slug: str
    title: str
    section: str
    worst: str
    flags: tuple[FlagView, ...]
    who_must_act: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "rec-" + self.slug.replace(".", "-")


@dataclass(frozen=True)
class CheckView:
    outcome: str
    label: str
    message: str


@dataclass(frozen=True)
class FigureRow:
    slug: str
    section: str
    statement: str
    value: str
    geography: str
    as_of: str
    source: str
    note: str
    checks: tuple[CheckView, ...]


@dataclass(frozen=True)
class StatusChange:
    date: dt.date
    recommendation: str
    body: str
    voice: str
    before: str
    after: str


@dataclass(frozen=True)
class NewStatistic:
    indicator: str
    period: str
    geography: str
    value: str
    release_date: dt.date | None
    source: str
    source_url: str


@dataclass(frozen=True)
class FlagChange:
    recommendation: str
    title: str
    body: str


@dataclass(frozen=True)
class Changes:
    since: dt.date
    as_at: dt.date
    status_changes: tuple[StatusChange, ...] = ()
    new_evidence: tuple[EvidenceItem, ...] = ()
    new_statistics: tuple[NewStatistic, ...] = ()
    response_changes: tuple[StatusChange, ...] = ()
    new_flags: tuple[FlagChange, ...] = ()
    cleared_flags: tuple[FlagChange, ...] = ()
    # True when ``since`` is the as-at date of the last published report (the default).
    since_last_publication: bool = False


@dataclass(frozen=True)
class Rule:
    title: str
    description: str


@dataclass(frozen=True)
class DataSource:
    title: str
    url: str
    released: str
    used_for: str


@dataclass(frozen=True)
class Methods:
    rollup_text: str
    rules: tuple[Rule, ...]
    progress_measure_text: str
    sources: tuple[DataSource, ...]
    # Every indicator's caveat (and each target's), so the document carries them wherever it goes.
    caveats: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ReportData:
    plan_slug: str
    plan_title: str
    publisher: str
    published: dt.date
    plan_url: str
    data_version: str
    as_at: dt.date
    since: dt.date
    generated_at: dt.datetime
    summary: Summary
    flagged: tuple[FlaggedEntry, ...]
    flagged_note: str
    sections: tuple[SectionChapter, ...]
    figures: tuple[FigureRow, ...]
    changes: Changes
    methods: Methods
    site_url: str = ""
    # The answer first: the same ``plan_summary`` the plan home and the API show (issue 12).
    answer: PlanSummary | None = None

    @property
    def recommendation_slugs(self) -> list[str]:
        return [entry.slug for chapter in self.sections for entry in chapter.entries]


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    if abs(value) >= 100 or float(value).is_integer():
        text = f"{value:,.0f}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit in ("%", "percent"):
        return f"{text}%"
    return f"{text} {unit}".strip()


def _day(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


# ── progress: states, roll-up, flags ───────────────────────────────────────────────────────


@dataclass
class _Progress:
    """What the progress app says as at the date, in the shapes the chapters need."""

    states: dict[int, Any]
    rollup: rollup.PlanRollup
    flags: dict[str, list[more_action.Flag]]
    flagged_order: list[str]
    trend: list[TrendPoint]
    trend_svg: str
    vocabulary: list[dict[str, Any]]


def _progress(plan: Plan, recs: list[Recommendation], as_at: dt.date) -> _Progress:
    """The progress app's own as-at state, roll-up, flags and series: the report adds no rule of its own."""
    states = progress_selectors.recommendation_states_as_at(recs, as_at)
    flagged = rollup_data.plan_flagged(plan, as_at=as_at, recommendations=recs)
    series = rollup_data.plan_progress_over_time(plan, today=as_at)
    trend = [TrendPoint(p.date, p.percent, p.assessed, p.not_assessed) for p in series]
    return _Progress(
        states=states, rollup=rollup_data.plan_progress(plan, as_at),
        flags={item.recommendation.key: list(item.flags) for _rec, item in flagged},
        flagged_order=[item.recommendation.key for _rec, item in flagged],
        trend=trend, trend_svg=_trend_svg(plan, series), vocabulary=status_vocabulary(plan),
    )


def _trend_svg(plan: Plan, series: list[Any]) -> str:
    """The progress app's own chart of plan-wide progress over time (empty before anything is assessed)."""
    return str(progress_chart_svg(series, f"Progress of {plan.title}"))


def _trend_table(trend: list[TrendPoint]) -> list[TrendPoint]:
    """The series has a point per quarter; the table shows each year end and the as-at date."""
    return [p for i, p in enumerate(trend) if (p.date.month, p.date.day) == (12, 31) or i == len(trend) - 1]


def _trend_text(trend: list[TrendPoint]) -> str:
    known = [p for p in trend if p.percent is not None]
    if not known:
        return "No recommendation had been assessed on any of these dates."
    if len(known) == 1:
        return f"Assessed progress first appears on {_day(known[0].date)}: {known[0].percent:g}%."
    first, last = known[0], known[-1]
    change = round(last.percent - first.percent, 1)  # type: ignore[operator]
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    amount = f" {abs(change):g} percentage points" if change else ""
    return f"Plan-wide progress is {direction}{amount} between {_day(first.date)} and {_day(last.date)}."


# ── indicators: target verdicts and charts ─────────────────────────────────────────────────


def _target_view(target: Target, as_at: dt.date) -> TargetView:
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
        table=tuple((p.period, number(p.value, unit)) for p in verdict.points),
        note=f"{NO_STATISTICS} ({verdict.reason})" if not verdict.points else (
            f"No verdict: {verdict.reason}." if verdict.reason else ""),
    )
    if result is not None and result.current_year is not None:
        view = replace(view, current=f"{number(result.current_value, unit)} in {result.current_year}")
    if result is not None and result.projection is not None:
        view = replace(view, projection=f"{number(result.projection, unit)} by {result.target_year}")
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
        return f"No figure had been published by {_day(as_at)}."
    latest = max(used, key=lambda o: (o.release_date or dt.date.min, o.id))
    when = _day(latest.release_date) if latest.release_date else "date not recorded"
    return (f"Figures as published by {_day(as_at)}; the latest used: {latest.period} from {latest.source}, "
            f"released {when} ({latest.release_basis or 'release date not recorded'}).")


def _rate(rate: float | None, method: str, unit: str) -> str:
    if rate is None:
        return ""
    return f"{rate * 100:.1f}% a year" if method == "cagr" else f"{_number(rate, unit)} a year"


# ── chapters ───────────────────────────────────────────────────────────────────────────────


def _who_must_act(addressees: list[Addressee]) -> tuple[str, ...]:
    return tuple(f"{a.organisation.label} ({a.get_role_display().lower()})" for a in addressees)


def _voice_view(voice: Any) -> VoiceView:
    return VoiceView(
        status=voice.status_label, response=voice.response_label, since=voice.status_since,
        response_url=voice.response_url, target_date=voice.target_date, overdue=voice.overdue,
        assessed=voice.assessed,
    )


def _evidence_item(update: Any) -> EvidenceItem:
    # Only http(s)/mailto addresses become links, whatever path the row came in by.
    links = tuple(Link(url=url, title=link.title or url) for link in update.links.all()
                  if (url := safe_url(link.url)))
    return EvidenceItem(
        date=update.date, date_display=update.date_display, recommendation=update.recommendation.slug,
        title=update.title or plain_text(update.narrative, limit=140) or "Update",
        organisation=update.organisation.label, voice=update.get_voice_display(), links=links,
    )


def _flag_view(flag: more_action.Flag, names: dict[str, str]) -> FlagView:
    return FlagView(title=flag.title, reason=flag.reason, severity=flag.severity.label,
                    organisation=names.get(flag.organisation or "", flag.subject or flag.organisation or ""))


def _flag_views(flags: list[more_action.Flag], names: dict[str, str], published: dt.date) -> tuple[FlagView, ...]:
    """The flags as shown, worst first, with one "No response" line per recommendation."""
    return tuple(_flag_view(flag, names) for flag in more_action.flags_for_reading(flags, plan_published=published))


EVIDENCE_SHOWN = 3


def _section_chapters(plan: Plan, recs: list[Recommendation], progress: _Progress,
                      targets: dict[int, list[TargetView]], names: dict[str, str],
                      site_url: str = "") -> list[SectionChapter]:
    chapters = []
    for section in Section.objects.filter(plan=plan).order_by("order"):
        entries = []
        for rec in (r for r in recs if r.section_id == section.pk):
            addressees = list(rec.addressees.all())
            entry = RecommendationEntry(
                slug=rec.slug, title=rec.title, quote=rec.quote, kind=rec.get_kind_display(),
                url=site_url + rec.get_absolute_url() if site_url else "",
                modality=rec.modality, who_must_act=_who_must_act(addressees), targets=tuple(targets.get(rec.pk, [])),
            )
            state = progress.states[rec.pk]
            result = progress.rollup.recommendations[rec.slug]
            entry = replace(entry,
                            bodies=tuple(BodyRow(name=b.body.label, role=b.role, own=_voice_view(b.self_report),
                                                 independent=_voice_view(b.assessment))
                                         for b in state.bodies),
                            progress_percent=result.rollup.percent,
                            evidence=tuple(_evidence_item(u) for u in state.updates[:EVIDENCE_SHOWN]),
                            evidence_count=len(state.updates),
                            flags=_flag_views(progress.flags.get(rec.slug, []), names, plan.published))
            entries.append(entry)
        percent = None
        if section.number in progress.rollup.sections:
            percent = progress.rollup.sections[section.number].percent
        chapters.append(SectionChapter(number=section.number, title=section.title, progress_percent=percent,
                                       entries=tuple(entries)))
    return chapters


def _summary(plan: Plan, recs: list[Recommendation], progress: _Progress,
             targets: dict[int, list[TargetView]], section_count: int) -> Summary:
    all_targets = [t for views in targets.values() for t in views]
    target_counts = {
        "targets_total": len(all_targets),
        "targets_on_track": sum(1 for t in all_targets if t.verdict in ON_TRACK),
        "targets_off_track": sum(1 for t in all_targets if t.verdict in OFF_TRACK),
        "targets_no_verdict": sum(1 for t in all_targets if t.verdict not in ON_TRACK | OFF_TRACK),
    }
    status_counts = progress.rollup.status_counts
    statuses = tuple(Count(term["key"], term["label"], status_counts.get(term["key"], 0))
                     for term in progress.vocabulary)
    responses: Counter[str] = Counter(
        body.self_report.response for state in progress.states.values() for body in state.answering_bodies)
    response_counts = tuple(Count(choice.value, choice.label, responses.get(choice.value, 0)) for choice in Response)
    plan_result = progress.rollup.plan
    return Summary(
        recommendation_count=len(recs), section_count=section_count,
        status_counts=statuses, response_counts=response_counts, pair_count=sum(status_counts.values()),
        progress_percent=plan_result.percent, assessed=plan_result.assessed,
        not_assessed=plan_result.not_assessed + plan_result.no_evidence,
        trend=tuple(_trend_table(progress.trend)), trend_text=_trend_text(progress.trend),
        trend_chart=ChartView(svg=progress.trend_svg, alt=_trend_text(progress.trend)) if progress.trend_svg else None,
        flagged_count=len(progress.flagged_order), **target_counts,
    )


def _flagged(recs: list[Recommendation], progress: _Progress, names: dict[str, str]) -> list[FlaggedEntry]:
    by_slug = {rec.slug: rec for rec in recs}
    entries = []
    for slug in progress.flagged_order:
        rec = by_slug[slug]
        flags = progress.flags[slug]
        acting = sorted({names.get(f.organisation, f.organisation) for f in flags if f.organisation})
        entries.append(FlaggedEntry(
            slug=slug, title=rec.title, section=f"{rec.section.number} {rec.section.title}",
            worst=max(f.severity for f in flags).label, flags=_flag_views(flags, names, rec.plan.published),
            who_must_act=tuple(acting) or _who_must_act(list(rec.addressees.all())),
        ))
    return entries


def _figures(plan: Plan) -> list[FigureRow]:
    rows = []
    for fact in Fact.objects.filter(plan=plan).select_related("section").order_by("order"):
        value = _number(fact.value, fact.unit)
        if fact.qualifier and fact.qualifier != "exact":
            value = f"{fact.qualifier} {value}"
        rows.append(FigureRow(
            slug=fact.slug, section=fact.section.number, statement=fact.statement, value=value,
            geography=fact.geography or "not stated in the extract", as_of=fact.as_of, source=fact.source,
            note=fact.note,
            checks=tuple(CheckView(str(c.get("outcome", "")), str(c.get("label", "")), str(c.get("message", "")))
                         for c in fact.checks or []),
        ))
    return rows


def _changes(recs: list[Recommendation], progress: _Progress, since: dt.date, as_at: dt.date,
             names: dict[str, str], since_last_publication: bool = False) -> Changes:
    status_changes: list[StatusChange] = []
    response_changes: list[StatusChange] = []
    new_evidence: list[EvidenceItem] = []
    for rec in recs:
        state = progress.states[rec.pk]
        last: dict[tuple[int | None, str], str] = {}
        last_response: dict[int | None, str] = {}
        # Walk the versions in force as at the date, oldest first, so each change has its "before".
        for update in sorted(state.updates, key=lambda u: (u.date, u.published_at or u.created_at, u.pk)):
            key = (update.body_id, update.voice)
            before = last.get(key, "not_assessed")
            if update.status:
                last[key] = update.status
            response_before = last_response.get(update.body_id, Response.NO_RESPONSE.value)
            if update.response:
                last_response[update.body_id] = update.response
            if not (since < update.date <= as_at):
                continue
            if update.response and update.response != response_before:
                response_changes.append(StatusChange(
                    date=update.date, recommendation=rec.slug,
                    body=update.body.label if update.body_id else "the recommendation as a whole",
                    voice=update.get_voice_display(), before=Response(response_before).label,
                    after=Response(update.response).label,
                ))
            new_evidence.append(_evidence_item(update))
            if update.status and update.status != before:
                status_changes.append(StatusChange(
                    date=update.date, recommendation=rec.slug,
                    body=update.body.label if update.body_id else "the recommendation as a whole",
                    voice=update.get_voice_display(),
                    before=status_term(rec.plan, before)["label"],
                    after=status_term(rec.plan, update.status)["label"],
                ))
    new_statistics: list[NewStatistic] = []
    for row in Observation.objects.filter(release_date__gt=since, release_date__lte=as_at).select_related(
            "indicator").order_by("release_date", "indicator__name", "geography_key", "period", "revision"):
        new_statistics.append(NewStatistic(
            indicator=row.indicator.name, period=row.period, geography=row.geography_name or row.geography_key,
            value=_number(row.value, row.unit or row.indicator.unit) + (" (revised)" if row.revision > 1 else ""),
            release_date=row.release_date, source=row.source, source_url=row.source_url,
        ))
    status_changes.sort(key=lambda c: (c.date, c.recommendation, c.body, c.voice))
    new_evidence.sort(key=lambda e: (e.date, e.recommendation, e.title))
    # Flags raised and cleared: the flags as at ``since`` against those as at the as-at date.
    before = {(item.recommendation.key, f.rule, f.organisation): f
              for _rec, item in rollup_data.plan_flagged(recs[0].plan, as_at=since, recommendations=recs)
              for f in item.flags} if recs else {}
    now = {(slug, f.rule, f.organisation): f for slug, found in progress.flags.items() for f in found}

    def flag_change(key: tuple[str, str, str | None], flag: more_action.Flag) -> FlagChange:
        return FlagChange(recommendation=key[0], title=flag.title,
                          body=names.get(key[2], key[2]) if key[2] else "the recommendation as a whole")

    return Changes(since=since, as_at=as_at, status_changes=tuple(status_changes),
                   new_evidence=tuple(new_evidence), new_statistics=tuple(new_statistics),
                   response_changes=tuple(sorted(response_changes, key=lambda c: (c.date, c.recommendation, c.body))),
                   new_flags=tuple(sorted((flag_change(k, f) for k, f in now.items() if k not in before),
                                          key=lambda c: (c.recommendation, c.title, c.body))),
                   cleared_flags=tuple(sorted((flag_change(k, f) for k, f in before.items() if k not in now),
                                              key=lambda c: (c.recommendation, c.title, c.body))),
                   since_last_publication=since_last_publication)


PROGRESS_MEASURE_TEXT = (
    "Each target is measured against official statistics with one of two methods. Rates, shares and levels use "
    "the Open SDG 2.4 progress measure: the compound annual growth rate from the base year to the latest year is "
    "compared with the rate needed to reach the target by its deadline, giving one of substantial progress, "
    "moderate progress, limited progress, deterioration, target achieved, or not available (not enough data). "
    "This report counts substantial progress and target achieved as on track, and moderate progress, limited "
    "progress and deterioration as off track. Counts and "
    "cumulative targets (such as homes built) use a straight-line method: the average of the last five annual "
    "changes is extended to the deadline and the projected shortfall is compared with the distance still to go. "
    "Only figures released on or before the as-at date are used, and a revised figure replaces the one it revises "
    "from its release date. Every input and intermediate value is shown on each indicator's page."
)


def _rule_description(rule: more_action.Rule, config: more_action.Config) -> str:
    """The rule's docstring as a reader sees it: without the repeated name, with the thresholds in use."""
    text = " ".join(rule.description.split())
    name, _sep, rest = text.partition(": ")
    if rest and len(name) <= 50:
        text = rest[:1].upper() + rest[1:]
    return re.sub(r"``(\w+)``", lambda m: _threshold(config, m.group(1)), text)


def _threshold(config: more_action.Config, name: str) -> str:
    value = getattr(config, name, None)
    if value is None:
        return name.replace("_", " ")
    return f"{value} days" if name.endswith("_days") else str(value)


def _methods(plan: Plan, as_at: dt.date) -> Methods:
    config = rollup_data.more_action_config()
    rules = tuple(Rule(title=rule.title, description=_rule_description(rule, config)) for rule in more_action.RULES)
    sources = [DataSource(title=f"{plan.title} ({plan.publisher})", url=plan.source_url,
                          released=_day(plan.published), used_for="The recommendations, quotes and stated figures")]
    shipped = Update.objects.filter(state=State.PUBLISHED, source=Source.SHIPPED, date__lte=as_at)
    if shipped.exists():
        latest = max(shipped.values_list("date", flat=True))
        sources.append(DataSource(
            title="Public evidence compiled from public sources", url="",
            released=f"events up to {_day(latest)}",
            used_for=f"{shipped.count()} dated events; each links to its own source"))
    grouped = (Observation.objects.filter(Q(release_date__isnull=True) | Q(release_date__lte=as_at))
               .values("source", "source_url").annotate(released=Max("release_date"))
               .order_by("source", "source_url"))
    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, url, name in Observation.objects.values_list("source", "source_url", "indicator__name"):
        used[(source, url)].add(name)
    for row in grouped:
        sources.append(DataSource(
            title=row["source"], url=row["source_url"],
            released=_day(row["released"]) if row["released"] else "release date not recorded",
            used_for=", ".join(sorted(used[(row["source"], row["source_url"])])),
        ))
    # The heading in the report already says "How progress is added up".
    rollup_text = rollup.RULE_TEXT.removeprefix("How progress is added up. ")
    caveats = [(indicator.name, " ".join(indicator.caveat.split()))
               for indicator in Indicator.objects.exclude(caveat="").order_by("name")]
    caveats += [(f"Target: {t.description}", " ".join(t.caveat.split()))
                for t in IndicatorTarget.objects.exclude(caveat="").order_by("slug")]
    return Methods(rollup_text=rollup_text, rules=rules, progress_measure_text=PROGRESS_MEASURE_TEXT,
                   sources=tuple(sources), caveats=tuple(caveats))


# ── the report ─────────────────────────────────────────────────────────────────────────────


def report_build(plan: Plan, options: ReportOptions, *, generated_at: dt.datetime | None = None,
                 site_url: str = "") -> ReportData:
    """Everything the report says about ``plan`` as at ``options.as_at``, chapter by chapter.

    ``site_url`` (e.g. ``https://tracker.example.org``) links each recommendation to its page on
    the site; without it the document links only within itself and to the evidence.
    """
    site_url = site_url.rstrip("/")
    as_at = options.as_at
    as_at_check(as_at, plan.published)
    recs = list(
        Recommendation.objects.filter(plan=plan, retired=False).select_related("section", "plan")
        .prefetch_related("addressees__organisation", "targets").order_by("section__order", "order")
    )
    names = {a.organisation.slug: a.organisation.label for rec in recs for a in rec.addressees.all()}
    progress = _progress(plan, recs, as_at)
    target_rows = (Target.objects.filter(recommendation__in=recs).order_by("recommendation__order", "slug")
                   .select_related("indicator_target__indicator"))
    targets: dict[int, list[TargetView]] = defaultdict(list)
    for target in target_rows:
        targets[target.recommendation_id].append(_target_view(target, as_at))
    sections = _section_chapters(plan, recs, progress, targets, names, site_url)
    flagged = _flagged(recs, progress, names)
    answer = plan_summary(plan, as_at)
    # Counts the home page and the API also show come from the one summary, so all three agree.
    summary = replace(
        _summary(plan, recs, progress, targets, len(sections)),
        targets_total=answer.targets_total, targets_on_track=answer.targets_on_track,
        targets_off_track=answer.targets_off_track, targets_no_verdict=answer.targets_no_verdict,
        status_counts=tuple(Count(c.key, c.label, c.count) for c in answer.status_counts),
        pair_count=answer.bodies,
    )
    return ReportData(
        plan_slug=plan.slug, plan_title=plan.title, publisher=plan.publisher, published=plan.published,
        plan_url=plan.source_url, data_version=plan.data_version or "not recorded",
        as_at=as_at, since=options.since,
        generated_at=generated_at or timezone.now(),
        summary=summary, answer=answer,
        flagged=tuple(flagged),
        flagged_note="" if flagged else "No recommendation is flagged as at this date.",
        sections=tuple(sections),
        figures=tuple(_figures(plan)),
        changes=_changes(recs, progress, options.since, as_at, names,
                         since_last_publication=Publication.objects.filter(plan=plan, as_at=options.since).exists()),
        methods=_methods(plan, as_at),
        site_url=site_url,
    )
