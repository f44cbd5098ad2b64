"""The report as a download from the plan home: parse the options, send the file or say it is on its way."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from recovery_tracker.catalogue.selectors import plan_get
from recovery_tracker.engine.formatting import day
from recovery_tracker.reports.cache import report_request
from recovery_tracker.reports.limits import (
    anonymous_build_take,
    anonymous_build_would_exceed,
    anonymous_options_problem,
)
from recovery_tracker.reports.options import FORMATS, ReportOptionError, parse_date
from recovery_tracker.reports.publications import report_options_default_since
from recovery_tracker.reports.refresh import report_site_url_seen

# The "being prepared" page asks the browser to try again after this many seconds.
REFRESH_SECONDS = 5


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _plain(status: int, message: str, **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def report_download(request: HttpRequest, plan_slug: str, fmt: str) -> HttpResponse:
    plan = plan_get(plan_slug)
    as_at_text, since_text = request.GET.get("as_at"), request.GET.get("since")
    try:
        # Without ``since``, "What changed" runs from the last published report.
        options = report_options_default_since(plan, format=fmt, as_at=parse_date(as_at_text, "as_at"),
                                               since=parse_date(since_text, "since"))
    except ReportOptionError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    anonymous = not request.user.is_authenticated
    if anonymous:
        problem = anonymous_options_problem(options, as_at_given=bool(as_at_text and as_at_text.strip()),
                                            since_given=bool(since_text and since_text.strip()),
                                            today=dt.date.today())
        if problem:
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
    # Links to the recommendation pages use the configured address, else the one the reader used.
    site_url = settings.SITE_URL or request.build_absolute_uri("/")
    report_site_url_seen(site_url)
    address = _client_address(request)
    may_queue = not anonymous or anonymous_build_would_exceed(address).allowed
    asked = report_request(plan, options, site_url=site_url, may_queue=may_queue)
    if asked.file is not None:
        document = asked.file
        response = HttpResponse(document.content, content_type=document.content_type)
        # The HTML opens in the browser; the PDF and Markdown download as files named for the date.
        disposition = "inline" if fmt == "html" else "attachment"
        response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
        response["X-Report-Cache"] = "hit"
        return response
    if asked.failed is not None:
        return _plain(503, "The report could not be made just now; it will be tried again in a few minutes.",
                      Retry_After=str(5 * 60))
    if asked.newly_queued and anonymous:
        anonymous_build_take(address)
    elif not asked.queued:
        allowance = anonymous_build_would_exceed(address)
        return _plain(429, "Too many new reports asked for from your address: try again later, ask for a report "
                      "already made (today's or a recent month end), or sign in.",
                      Retry_After=str(allowance.retry_after_seconds or 60))
    response = render(request, "reports/preparing.html", {
        "plan": plan, "options": options, "format_label": FORMATS[fmt], "refresh_seconds": REFRESH_SECONDS,
    }, status=202)
    response["Retry-After"] = str(REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    response["X-Report-Cache"] = "preparing"
    return response


# ── publications ──────────────────────────────────────────────────────────────────────────────


def publications(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """The plan's published reports with their dates; moderators can publish a new one here."""
    from django.contrib import messages
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect

    from recovery_tracker.accounts.permissions import is_moderator
    from recovery_tracker.reports.publications import publication_check, publications_for_plan
    from recovery_tracker.reports.tasks import report_publish_task

    plan = plan_get(plan_slug)
    moderator = is_moderator(request.user)
    error = ""
    status = 200
    if request.method == "POST":
        if not moderator:
            raise PermissionDenied("Only moderators may publish a report.")
        try:
            as_at = publication_check(actor=request.user, plan=plan,
                                      as_at=parse_date(request.POST.get("as_at"), "as_at"))
        except ReportOptionError as problem:
            error, status = str(problem), 400
        else:
            # Building three formats takes the worker seconds: never in the request.
            report_publish_task.enqueue(plan_slug=plan.slug, as_at=as_at.isoformat(), user_id=request.user.pk,
                                        site_url=settings.SITE_URL or request.build_absolute_uri("/"))
            messages.success(request, f"The report as at {day(as_at)} is being published; it is listed here "
                                      "once it is ready.")
            return redirect("report-publications", plan_slug=plan.slug)
    return render(request, "reports/publications.html", {
        "plan": plan, "publications": publications_for_plan(plan), "can_publish": moderator, "error": error,
        "as_at_text": request.POST.get("as_at", "") if request.method == "POST" else "",
    }, status=status)


def publication_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """One file of a published report, exactly as published."""
    from django.shortcuts import get_object_or_404

    from recovery_tracker.reports.models import PublicationFile
    from recovery_tracker.reports.options import CONTENT_TYPES

    record = get_object_or_404(PublicationFile.objects.select_related("publication__plan"), publication_id=pk,
                               format=fmt)
    with record.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=CONTENT_TYPES[fmt])
    name = f"{record.publication.plan.slug}-published-as-at-{record.publication.as_at.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'{"inline" if fmt == "html" else "attachment"}; filename="{name}"'
    return response
