"""The report as a download from the plan home: parse the options, fetch or make the file, send it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

from recovery_tracker.catalogue.selectors import plan_get
from recovery_tracker.reports.cache import report_file
from recovery_tracker.reports.options import ReportOptionError, ReportOptions, parse_date


def report_download(request: HttpRequest, plan_slug: str, fmt: str) -> HttpResponse:
    plan = plan_get(plan_slug)
    try:
        options = ReportOptions.build(format=fmt, as_at=parse_date(request.GET.get("as_at"), "as_at"),
                                      since=parse_date(request.GET.get("since"), "since"))
    except ReportOptionError as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    # Links to the recommendation pages use the address the reader used to reach the site.
    document = report_file(plan, options, site_url=request.build_absolute_uri("/"))
    response = HttpResponse(document.content, content_type=document.content_type)
    # The HTML opens in the browser; the PDF and Markdown download as files named for the date.
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
    response["X-Report-Cache"] = "hit" if document.cached else "miss"
    return response
