"""Public, read-only pages of the plan that show the catalogue alone (the pages other apps add
panels to are in ``web/pages.py``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from recovery_tracker.catalogue import selectors
from recovery_tracker.catalogue.models import Organisation, Section


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
    })


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/organisation_list.html", {"organisations": Organisation.objects.all()})


def source_text(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = selectors.plan_get(plan_slug)
    return render(request, "catalogue/source.html", {"plan": plan, "source_html": selectors.source_text_html(plan)})


