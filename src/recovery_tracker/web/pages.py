"""The catalogue's shared pages (plan home, recommendation, organisation, and the site home) with
the panels other apps fill on them: one explicit, ordered list per page, here and nowhere else
(docs/decisions/0006-one-ordered-panel-list-per-page.md).

These views sit in ``web`` because they show every app's parts; each app only provides panel
functions ``(request, obj) -> Panel | None`` (``catalogue/panels.py``), and returns None when it has
nothing to show.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from recovery_tracker.catalogue import selectors
from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.panels import Panel, PanelProvider
from recovery_tracker.indicators import panels as indicators
from recovery_tracker.measures import panels as measures
from recovery_tracker.outreach import panels as outreach
from recovery_tracker.progress import more_action_views as more_action
from recovery_tracker.progress import panels as progress
from recovery_tracker.progress import plans_overview
from recovery_tracker.reports import panels as reports

# The plan home opens with where the plan stands (the answer first), straight after its title.
PLAN_LEAD_PANELS: tuple[PanelProvider, ...] = (reports.summary_panel,)
# Then, after the plan's description: progress now and over time, then the targets' verdicts, then
# the report downloads, then following it by email.
PLAN_PANELS: tuple[PanelProvider, ...] = (
    more_action.plan_progress_panel,
    indicators.plan_targets_panel,
    reports.report_panel,
    outreach.plan_follow_panel,
)
# A recommendation: each body's account and the evidence, the requests for a response and the
# community reports (the fourth voice), its targets, its flags, the checks, then following it.
RECOMMENDATION_PANELS: tuple[PanelProvider, ...] = (
    progress.recommendation_panel,
    outreach.recommendation_requests_panel,
    outreach.recommendation_reports_panel,
    indicators.recommendation_targets_panel,
    indicators.recommendation_indicators_panel,
    more_action.recommendation_flags_panel,
    measures.recommendation_panel,
    outreach.recommendation_follow_panel,
)
# An organisation: its recommendations with their states, the requests it was sent and the community
# reports about it, its part in every plan, its saved check results, then following it.
ORGANISATION_PANELS: tuple[PanelProvider, ...] = (
    progress.organisation_panel,
    outreach.organisation_requests_panel,
    outreach.organisation_reports_panel,
    plans_overview.organisation_plans_panel,
    measures.organisation_panel,
    outreach.organisation_follow_panel,
)


def panels(providers: tuple[PanelProvider, ...], request: HttpRequest, obj: Any) -> list[Panel]:
    """The page's panels in the listed order, leaving out those with nothing to show."""
    return [panel for provider in providers if (panel := provider(request, obj)) is not None]


def home(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_default()
    if plan is None:
        if selectors.plan_ids():
            # Several plans and no default among them: the plans page is the home.
            return redirect("plan-list")
        return render(request, "catalogue/no_plan.html", status=200)
    return plan_home(request, plan.slug)


def plan_home(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = selectors.plan_get(plan_slug)
    return render(request, "catalogue/plan.html", {
        "plan": plan,
        "lead_panels": panels(PLAN_LEAD_PANELS, request, plan),
        "panels": panels(PLAN_PANELS, request, plan),
        **selectors.plan_overview(plan),
    })


def recommendation_detail(request: HttpRequest, plan_slug: str, rec_slug: str) -> HttpResponse:
    plan = selectors.plan_get(plan_slug)
    recommendation = get_object_or_404(selectors.recommendations_for_plan(plan), slug=rec_slug)
    addressees = [
        (addressee, selectors.organisation_accountable(addressee.organisation))
        for addressee in recommendation.addressees.all()
    ]
    return render(request, "catalogue/recommendation.html", {
        "plan": plan,
        "rec": recommendation,
        "addressees": addressees,
        "addressee_lines": selectors.addressee_lines(recommendation),
        # Only the figures its own words state; the section page has the rest.
        **dict(zip(("facts", "other_facts"), selectors.recommendation_facts(recommendation), strict=True)),
        "criteria": recommendation.criteria.all(),
        "schemes": recommendation.schemes.prefetch_related("states"),
        "panels": panels(RECOMMENDATION_PANELS, request, recommendation),
    })


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    bodies = selectors.organisation_with_predecessors(organisation)
    recommendations = (
        selectors.recommendations_with_addressees(Recommendation.objects.filter(retired=False))
        .filter(Q(addressees__organisation__in=bodies) | Q(addressees__organisation__members__in=bodies)).distinct()
    )
    shown = panels(ORGANISATION_PANELS, request, organisation)
    return render(request, "catalogue/organisation.html", {
        "organisation": organisation,
        "predecessors": bodies[1:],
        "accountable": selectors.organisation_accountable(organisation),
        "groups": organisation.groups.order_by("name"),
        "members": selectors.group_members(organisation),
        "recommendations": recommendations,
        "states": organisation.states.all(),
        "panels": shown,
        # A panel that lists the recommendations (with their state) replaces the plain list: each once.
        "listed": any(panel.context.get("lists_recommendations") for panel in shown),
    })
