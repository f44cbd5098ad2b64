"""Panels outreach fills on the shared pages (plan, recommendation, organisation), listed in ``web/pages.py``."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.outreach import permissions, selectors


def recommendation_requests_panel(request: HttpRequest, recommendation: Recommendation) -> Panel:
    views = selectors.requests_for_recommendation(recommendation)
    return Panel("outreach/_requests_panel.html", {
        "views": views, "rec": recommendation,
        "can_request": permissions.can_request_response(request.user),
    })


def organisation_requests_panel(request: HttpRequest, organisation: Organisation) -> Panel | None:
    views = selectors.requests_for_organisation(organisation)
    if not views and not permissions.can_manage_contacts(request.user):
        return None
    return Panel("outreach/_requests_panel.html", {
        "views": views, "show_recommendation": True,
        "organisation": organisation, "can_manage_contacts": permissions.can_manage_contacts(request.user),
    })


def recommendation_reports_panel(request: HttpRequest, recommendation: Recommendation) -> Panel:
    return Panel("outreach/_reports_panel.html", {
        "reports": selectors.reports_published(recommendation=recommendation),
        "new_url": reverse("outreach-report-new", args=[recommendation.plan.slug, recommendation.slug]),
    })


def organisation_reports_panel(request: HttpRequest, organisation: Organisation) -> Panel:
    return Panel("outreach/_reports_panel.html", {
        "reports": selectors.reports_published(organisation=organisation),
        "new_url": reverse("outreach-report-new-org", args=[organisation.slug]),
    })


def plan_follow_panel(request: HttpRequest, plan: Plan) -> Panel:
    return Panel("outreach/_follow_panel.html", {"url": reverse("outreach-follow-plan", args=[plan.slug]),
                                                 "noun": "this plan"})


def recommendation_follow_panel(request: HttpRequest, recommendation: Recommendation) -> Panel:
    return Panel("outreach/_follow_panel.html", {
        "url": reverse("outreach-follow-recommendation", args=[recommendation.plan.slug, recommendation.slug]),
        "noun": "this recommendation"})


def organisation_follow_panel(request: HttpRequest, organisation: Organisation) -> Panel:
    return Panel("outreach/_follow_panel.html", {
        "url": reverse("outreach-follow-organisation", args=[organisation.slug]), "noun": organisation.label})
