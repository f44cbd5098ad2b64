"""The report as a download from the plan home: parse the options, send the file or say it is on its way."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from recovery_tracker.catalogue.selectors import plan_get
from recovery_tracker.reports.cache import report_request
from recovery_tracker.reports.limits import (
    anonymous_build_take,
    anonymous_build_would_exceed,
    anonymous_options_problem,
)
from recovery_tracker.reports.options import FORMATS, ReportOptionError, ReportOptions, parse_date
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
        options = ReportOptions.build(format=fmt, as_at=parse_date(as_at_text, "as_at"),
                                      since=parse_date(since_text, "since"), published=plan.published)
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
