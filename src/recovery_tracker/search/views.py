"""The search page: one GET form, results grouped by kind. Works without JavaScript."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from recovery_tracker.catalogue import selectors as catalogue_selectors
from recovery_tracker.catalogue.models import Organisation, Theme
from recovery_tracker.progress.models import Voice
from recovery_tracker.progress.vocabulary import status_vocabulary
from recovery_tracker.search import selectors, services
from recovery_tracker.search.models import Kind

PER_KIND = 10
MAX_QUERY = 200


def _date(request: HttpRequest, name: str, label: str, errors: dict[str, str]) -> dt.date | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = f"{label} must be a real date, like 2022-03-31"
        return None


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    errors: dict[str, str] = {}
    filters = selectors.SearchFilters(
        kind=request.GET.get("kind", "") if request.GET.get("kind", "") in Kind.values else "",
        section=request.GET.get("section", ""), theme=request.GET.get("theme", ""),
        body=request.GET.get("body", ""), status=request.GET.get("status", ""),
        voice=request.GET.get("voice", ""),
        date_from=_date(request, "from", "The start date", errors),
        date_to=_date(request, "to", "The end date", errors),
    )
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["to"] = "The end date must be the same as or after the start date"
    results = None
    if query and not errors:
        services.search_index_refresh()
        results = selectors.search(query, filters, per_kind=None if filters.kind else PER_KIND)
    plan = catalogue_selectors.plan_default()
    addressed = Organisation.objects.filter(addressed__isnull=False).distinct()
    return render(request, "search/search.html", {
        "query": query, "filters": filters, "results": results, "errors": errors, "per_kind": PER_KIND,
        "sections": plan.sections.all() if plan else [],
        "themes": Theme.objects.filter(recommendations__isnull=False).distinct(),
        "bodies": addressed, "statuses": status_vocabulary(plan) if plan else [],
        "voices": Voice.choices, "kinds": Kind.choices,
        "params": request.GET.urlencode(),
    }, status=400 if errors else 200)
