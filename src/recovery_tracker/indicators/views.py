"""Indicator pages: the list, one indicator with its chart and verdict, and the staff import page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from recovery_tracker.indicators import charts, selectors
from recovery_tracker.indicators.models import Indicator, Observation
from recovery_tracker.indicators.permissions import can_import_statistics
from recovery_tracker.indicators.services import ImportRejected, InputFile, observations_import

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_FILES = 20
DATA_TYPES = (".csv",)
METADATA_TYPES = (".yaml", ".yml")


def _as_at(request: HttpRequest) -> tuple[dt.date | None, str]:
    text = request.GET.get("as_at", "").strip()
    if not text:
        return None, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return None, "Enter the date as year-month-day, for example 2023-03-31"


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = list(selectors.indicators_list().prefetch_related("targets"))
    verdicts = {}
    for indicator in indicators:
        for target in indicator.targets.all():
            verdicts.setdefault(indicator.pk, []).append(selectors.target_verdict(target))
    rows = [(i, verdicts.get(i.pk, [])) for i in indicators]
    with_targets = [row for row in rows if row[1]]
    others = [row for row in rows if not row[1]]
    return render(request, "indicators/list.html", {
        "with_targets": with_targets, "others": others, "can_import": can_import_statistics(request.user),
    })


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = get_object_or_404(Indicator, slug=slug)
    as_at, as_at_error = _as_at(request)
    geographies = list(
        Observation.objects.filter(indicator=indicator).order_by("geography_key")
        .values_list("geography_key", "geography_name").distinct()
    )
    names = {}
    for key, name in geographies:
        names.setdefault(key, name or key)
    chosen = request.GET.get("geography", "")
    if chosen not in names:
        chosen = ""
    targets = list(indicator.targets.prefetch_related("recommendations__plan"))
    target_verdicts = [selectors.target_verdict(t, as_at) for t in targets]
    if chosen and not any((t.geography_key or selectors.headline_geography(indicator)) == chosen for t in targets):
        chart = charts.indicator_chart_svg(indicator, as_at, geography_key=chosen, narrow=True)
    else:
        chart = charts.indicator_chart_svg(indicator, as_at, narrow=True)
        chosen = chart.verdict.geography_key if chart.verdict else chosen
    observations = selectors.observations_as_at(indicator, as_at, geography_key=chosen or None)
    superseded = Observation.objects.filter(indicator=indicator).exclude(replaced_by=None).select_related("replaced_by")
    return render(request, "indicators/detail.html", {
        "indicator": indicator, "chart": chart, "verdict": chart.verdict, "target_verdicts": target_verdicts,
        "geographies": sorted(names.items(), key=lambda kv: kv[1]), "chosen": chosen,
        "chosen_name": names.get(chosen, chosen), "observations": observations, "superseded": superseded,
        "as_at": as_at, "as_at_text": request.GET.get("as_at", ""), "as_at_error": as_at_error,
    })


def indicator_chart(request: HttpRequest, slug: str) -> HttpResponse:
    """The chart alone, as an SVG file (for downloads and for the report)."""
    indicator = get_object_or_404(Indicator, slug=slug)
    as_at, _ = _as_at(request)
    chart = charts.indicator_chart_svg(indicator, as_at)
    return HttpResponse(chart.svg, content_type="image/svg+xml")


def _upload_problems(files: list, metadata: list) -> list[str]:
    problems = []
    if not files:
        problems.append("Choose at least one CSV file")
    if len(files) + len(metadata) > MAX_FILES:
        problems.append(f"Upload at most {MAX_FILES} files at once")
    for upload, allowed in [(f, DATA_TYPES) for f in files] + [(m, METADATA_TYPES) for m in metadata]:
        if Path(upload.name).suffix.lower() not in allowed:
            problems.append(f"{upload.name} must be a {' or '.join(allowed)} file")
        if upload.size > MAX_UPLOAD_BYTES:
            problems.append(f"{upload.name} must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    return problems


def indicator_import(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_import_statistics(request.user):
        raise PermissionDenied("Only staff and moderators can import statistics.")
    context: dict = {"max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "max_files": MAX_FILES}
    if request.method == "POST":
        files = request.FILES.getlist("files")
        metadata = request.FILES.getlist("metadata")
        upload_problems = _upload_problems(files, metadata)
        if upload_problems:
            context["upload_problems"] = upload_problems
            return render(request, "indicators/import.html", context, status=400)
        try:
            result = observations_import(
                files=[InputFile(name=f.name, data=f.read()) for f in files],
                metadata_files=[InputFile(name=m.name, data=m.read()) for m in metadata],
                actor=request.user,
            )
        except ImportRejected as rejected:
            context["problems"] = rejected.problems
            context["filenames"] = ", ".join(f.name for f in files)
            return render(request, "indicators/import.html", context, status=400)
        context["result"] = result
    return render(request, "indicators/import.html", context)
