"""The report's chapters: summary, where more action is needed, one per section, the figures the plan
stated, and what changed between two dates."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace
from typing import Any

from recovery_tracker.catalogue.models import Addressee, Fact, Plan, Recommendation, Section
from recovery_tracker.engine import more_action
from recovery_tracker.engine.formatting import number
from recovery_tracker.engine.safe_text import plain_text, safe_url
from recovery_tracker.indicators.models import Observation
from recovery_tracker.progress import rollup_data
from recovery_tracker.progress.models import Response
from recovery_tracker.progress.vocabulary import status_term
from recovery_tracker.reports.data import (
    OFF_TRACK,
    ON_TRACK,
    BodyRow,
    Changes,
    ChartView,
    CheckView,
    Count,
    EvidenceItem,
    FigureRow,
    FlagChange,
    FlaggedEntry,
    FlagView,
    Link,
    NewStatistic,
    RecommendationEntry,
    SectionChapter,
    StatusChange,
    Summary,
    TargetView,
    VoiceView,
)
from recovery_tracker.reports.progress_part import ProgressAsAt, trend_table, trend_text

# An item whose text names no body (an ambition for the region, a stated need) says so, rather than
# leaving "who must act" blank as if it were missing data; its note on the tracker says why.
NO_BODY_NAMED = "no body named in the text"


def who_must_act(addressees: list[Addressee]) -> tuple[str, ...]:
    return tuple(f"{a.organisation.label} ({a.get_role_display().lower()})" for a in addressees) or (NO_BODY_NAMED,)


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


def section_chapters(plan: Plan, recs: list[Recommendation], progress: ProgressAsAt,
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
                modality=rec.modality, who_must_act=who_must_act(addressees), targets=tuple(targets.get(rec.pk, [])),
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


def summary_chapter(plan: Plan, recs: list[Recommendation], progress: ProgressAsAt,
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
        trend=tuple(trend_table(progress.trend)), trend_text=trend_text(progress.trend),
        trend_chart=ChartView(svg=progress.trend_svg, alt=trend_text(progress.trend)) if progress.trend_svg else None,
        flagged_count=len(progress.flagged_order), **target_counts,
    )


def flagged_chapter(recs: list[Recommendation], progress: ProgressAsAt, names: dict[str, str]) -> list[FlaggedEntry]:
    by_slug = {rec.slug: rec for rec in recs}
    entries = []
    for slug in progress.flagged_order:
        rec = by_slug[slug]
        flags = progress.flags[slug]
        acting = sorted({names.get(f.organisation, f.organisation) for f in flags if f.organisation})
        entries.append(FlaggedEntry(
            slug=slug, title=rec.title, section=f"{rec.section.number} {rec.section.title}",
            worst=max(f.severity for f in flags).label, flags=_flag_views(flags, names, rec.plan.published),
            who_must_act=tuple(acting) or who_must_act(list(rec.addressees.all())),
        ))
    return entries


def figures_chapter(plan: Plan) -> list[FigureRow]:
    rows = []
    for fact in Fact.objects.filter(plan=plan).select_related("section").order_by("order"):
        value = number(fact.value, fact.unit)
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


def changes_chapter(recs: list[Recommendation], progress: ProgressAsAt, since: dt.date, as_at: dt.date,
                    names: dict[str, str], since_last_publication: bool = False) -> Changes:
    """What changed between ``since`` and ``as_at``: status and response changes, new evidence, new
    statistics (by release date), and the flags raised and cleared between the two dates."""
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
            value=number(row.value, row.unit or row.indicator.unit) + (" (revised)" if row.revision > 1 else ""),
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
