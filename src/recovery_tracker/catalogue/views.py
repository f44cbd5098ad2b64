"""Public, read-only pages of the plan."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from recovery_tracker.catalogue import selectors
from recovery_tracker.catalogue.models import Organisation, Recommendation, Section
from recovery_tracker.web.extensions import panels_for


def home(request: HttpRequest) -> HttpResponse:
    plan = selectors.plan_default()
    if plan is None:
        return render(request, "catalogue/no_plan.html", status=200)
    return plan_home(request, plan.slug)


def plan_home(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = selectors.plan_get(plan_slug)
    return render(request, "catalogue/plan.html", {
        "plan": plan, "panels": panels_for("plan", request, plan), **selectors.plan_overview(plan),
    })


def recommendation_list(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = selectors.plan_get(plan_slug)
    filters = selectors.RecommendationFilters(
        theme=request.GET.get("theme", ""),
        kind=request.GET.get("kind", ""),
        organisation=request.GET.get("organisation", ""),
        section=request.GET.get("section", ""),
    )
    recommendations = filters.apply(selectors.recommendations_for_plan(plan))
    return render(request, "catalogue/recommendation_list.html", {
        "plan": plan, "recommendations": recommendations, "filters": filters,
        **selectors.filter_choices(plan),
    })


def section_detail(request: HttpRequest, plan_slug: str, number: str) -> HttpResponse:
    plan = selectors.plan_get(plan_slug)
    section = get_object_or_404(Section, plan=plan, number=number)
    recommendations = selectors.recommendations_for_plan(plan).filter(section=section)
    return render(request, "catalogue/section.html", {
        "plan": plan, "section": section, "recommendations": recommendations, "facts": section.facts.all(),
        "panels": panels_for("section", request, section),
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
        # Only the figures its own words state; the section page has the rest.
        **dict(zip(("facts", "other_facts"), selectors.recommendation_facts(recommendation), strict=True)),
        "criteria": recommendation.criteria.all(),
        "schemes": recommendation.schemes.prefetch_related("states"),
        "panels": panels_for("recommendation", request, recommendation),
    })


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/organisation_list.html", {"organisations": Organisation.objects.all()})


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    bodies = selectors.organisation_with_predecessors(organisation)
    recommendations = (
        selectors.recommendations_with_addressees(Recommendation.objects.filter(retired=False))
        .filter(Q(addressees__organisation__in=bodies) | Q(addressees__organisation__members__in=bodies)).distinct()
    )
    panels = panels_for("organisation", request, organisation)
    return render(request, "catalogue/organisation.html", {
        "organisation": organisation,
        "predecessors": bodies[1:],
        "accountable": selectors.organisation_accountable(organisation),
        "groups": organisation.groups.order_by("name"),
        "members": selectors.group_members(organisation),
        "recommendations": recommendations,
        "states": organisation.states.all(),
        "panels": panels,
        # A panel that lists the recommendations (with their state) replaces the plain list: each once.
        "listed": any(panel.context.get("lists_recommendations") for panel in panels),
    })


def source_text(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = selectors.plan_get(plan_slug)
    return render(request, "catalogue/source.html", {"plan": plan, "source_html": selectors.source_text_html(plan)})


