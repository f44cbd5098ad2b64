"""Several plans side by side: the plans page, the API's plan list and each organisation's part in
every plan. Reads only (selectors); the plans page view is ``plans_list`` below."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recovery_tracker.catalogue.models import Addressee, Organisation, Plan
from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.catalogue.selectors import organisation_with_predecessors
from recovery_tracker.progress.models import State, Update

__all__ = ["OrganisationPlanPart", "PlanSummary", "organisation_plans_panel", "organisation_plan_parts",
           "plans_list", "plans_summary"]


@dataclass(frozen=True)
class PlanSummary:
    slug: str
    title: str
    publisher: str
    published: dt.date
    url: str
    recommendations: int
    assessed: int  # recommendations with at least one published update
    last_activity: dt.datetime | None  # the latest publication of an update on the plan
    version: str
    data_version: str

    @property
    def coverage_percent(self) -> int:
        """Rule: coverage is the share of current recommendations with any published update, rounded down."""
        return (100 * self.assessed) // self.recommendations if self.recommendations else 0

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.slug, "title": self.title, "publisher": self.publisher, "published": self.published.isoformat(),
            "recommendations": self.recommendations, "assessed": self.assessed,
            "coverage_percent": self.coverage_percent,
            "last_activity": self.last_activity.isoformat() if self.last_activity else None,
            "version": self.version, "data_version": self.data_version,
        }


def plans_summary() -> list[PlanSummary]:
    """Every loaded plan with its publisher, date, size, assessment coverage and last activity."""
    published = Q(recommendations__updates__state=State.PUBLISHED)
    plans = Plan.objects.annotate(
        n_recs=Count("recommendations", filter=Q(recommendations__retired=False), distinct=True),
        n_assessed=Count("recommendations", filter=published & Q(recommendations__retired=False), distinct=True),
        last=Max("recommendations__updates__published_at", filter=published),
    ).order_by("-published", "title")
    return [
        PlanSummary(slug=p.slug, title=p.title, publisher=p.publisher, published=p.published,
                    url=p.get_absolute_url(), recommendations=p.n_recs, assessed=p.n_assessed, last_activity=p.last,
                    version=p.version, data_version=p.data_version)
        for p in plans
    ]


def plans_list(request: HttpRequest) -> HttpResponse:
    return render(request, "progress/plans.html", {"plans": plans_summary()})


@dataclass(frozen=True)
class OrganisationPlanPart:
    plan: Plan
    lead: int
    support: int
    updates: int  # published updates about this organisation (or written by it) on the plan


def organisation_plan_parts(organisation: Organisation) -> list[OrganisationPlanPart]:
    """The organisation's part in every plan: how many current recommendations it (or a body it
    succeeded) leads or supports, and how many published updates concern it there."""
    bodies = organisation_with_predecessors(organisation)
    rows = (Addressee.objects.filter(organisation__in=bodies, recommendation__retired=False)
            .values("recommendation__plan", "role").annotate(n=Count("recommendation", distinct=True)))
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["recommendation__plan"], {})[row["role"]] = row["n"]
    updates = dict(
        Update.objects.filter(Q(body__in=bodies) | Q(organisation=organisation), state=State.PUBLISHED)
        .values_list("recommendation__plan").annotate(n=Count("id")).values_list("recommendation__plan", "n"))
    plans = Plan.objects.filter(pk__in=set(counts) | set(updates)).order_by("-published", "title")
    return [OrganisationPlanPart(plan=p, lead=counts.get(p.pk, {}).get("lead", 0),
                                 support=counts.get(p.pk, {}).get("support", 0), updates=updates.get(p.pk, 0))
            for p in plans]


def organisation_plans_panel(request: HttpRequest, organisation: Organisation) -> Panel | None:
    parts = organisation_plan_parts(organisation)
    if not parts:
        return None
    return Panel("progress/_organisation_plans_panel.html", {"parts": parts, "organisation": organisation})
