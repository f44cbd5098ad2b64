"""Assemble the progress report: one typed ``ReportData`` for a plan as at a date.

Each chapter comes from one function here that calls the selectors and engines of the app that
owns the data (catalogue, progress, indicators). The renderers (HTML, PDF, Markdown) only format
what this module returns, so the three documents always say the same thing.

Nothing here reads the clock except ``generated_at``: the same data and as-at date give the
same ``ReportData`` apart from that one field.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

from django.utils import timezone

from recovery_tracker.catalogue.models import Plan, Recommendation, Target
from recovery_tracker.reports.chapters import (
    changes_chapter,
    figures_chapter,
    flagged_chapter,
    section_chapters,
    summary_chapter,
)
from recovery_tracker.reports.data import (
    Count,
    ReportData,
    TargetView,
)
from recovery_tracker.reports.methods import methods_chapter
from recovery_tracker.reports.models import Publication
from recovery_tracker.reports.options import ReportOptions, as_at_check
from recovery_tracker.reports.progress_part import progress_as_at
from recovery_tracker.reports.summary import plan_summary
from recovery_tracker.reports.targets import target_view


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
    progress = progress_as_at(plan, recs, as_at)
    target_rows = (Target.objects.filter(recommendation__in=recs).order_by("recommendation__order", "slug")
                   .select_related("indicator_target__indicator"))
    targets: dict[int, list[TargetView]] = defaultdict(list)
    for target in target_rows:
        targets[target.recommendation_id].append(target_view(target, as_at))
    sections = section_chapters(plan, recs, progress, targets, names, site_url)
    flagged = flagged_chapter(recs, progress, names)
    answer = plan_summary(plan, as_at)
    # Counts the home page and the API also show come from the one summary, so all three agree.
    summary = replace(
        summary_chapter(plan, recs, progress, targets, len(sections)),
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
        figures=tuple(figures_chapter(plan)),
        changes=changes_chapter(recs, progress, options.since, as_at, names,
                                since_last_publication=Publication.objects.filter(plan=plan,
                                                                                  as_at=options.since).exists()),
        methods=methods_chapter(plan, as_at),
        site_url=site_url,
    )
