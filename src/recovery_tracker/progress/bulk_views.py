"""Pages for bulk and open data: the CSV upload form and the published-data downloads.

Thin: parse the request, check permission, call ``imports`` or ``exports``, render.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from recovery_tracker.accounts.permissions import user_organisations
from recovery_tracker.catalogue.models import Plan
from recovery_tracker.catalogue.selectors import plan_default
from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.safe_text import json_dumps
from recovery_tracker.progress import exports, imports

TEMPLATE = "progress/more_action/import.html"


def _plan_from(request: HttpRequest) -> Plan | None:
    slug = request.GET.get("plan") or request.POST.get("plan") or ""
    return Plan.objects.filter(slug=slug).first() if slug else plan_default()


@login_required
@require_http_methods(["GET", "POST"])
def import_updates(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of updates; every row is checked before any is stored."""
    if not user_organisations(request.user):
        raise PermissionDenied("Only members of an organisation can import updates.")
    context = {"columns": imports.COLUMNS, "required": imports.REQUIRED_COLUMNS, "max_rows": imports.MAX_ROWS,
               "max_mb": imports.MAX_BYTES // (1024 * 1024), "plans": Plan.objects.all(),
               "plan": _plan_from(request)}
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, TEMPLATE, {**context, "file_error": "Choose a CSV file to upload"})
    if upload.size and upload.size > imports.MAX_BYTES:
        return render(request, TEMPLATE, {**context, "file_error": f"The file must be smaller than "
                                                                   f"{context['max_mb']} MB"})
    content = upload.read()
    try:
        if content.count(b"\n") > IMPORT_IN_REQUEST_MAX_ROWS:
            return _import_queue(request, content, context["plan"], upload.name or "")
        result = imports.updates_import(actor=request.user, content=content, plan=context["plan"],
                                        filename=upload.name or "")
    except imports.ImportRejected as rejected:
        return render(request, TEMPLATE, {**context, "errors": rejected.problems, "filename": upload.name,
                                          "bad_rows": rejected.bad_rows})
    messages.success(request, result.summary())
    return redirect("progress-import")


# A file longer than this is imported by the task worker: the request answers at once.
IMPORT_IN_REQUEST_MAX_ROWS = 200
_SESSION_KEY = "progress-imports"


def _import_queue(request: HttpRequest, content: bytes, plan: Plan | None, filename: str) -> HttpResponse:
    from recovery_tracker.progress.tasks import updates_import_task

    text = imports.updates_import_text_of(content, filename)
    queued = updates_import_task.enqueue(actor_id=request.user.pk, text=text, plan_slug=plan.slug if plan else None,
                                         filename=filename)
    # Only the person who uploaded the file may see how it went.
    request.session[_SESSION_KEY] = [*request.session.get(_SESSION_KEY, [])[-9:], str(queued.id)]
    return redirect("progress-import-status", result_id=queued.id)


@login_required
def import_status(request: HttpRequest, result_id: UUID) -> HttpResponse:
    """How a queued import went: refreshes itself until the worker has finished."""
    from recovery_tracker.progress.tasks import updates_import_task

    result_id = str(result_id)
    if result_id not in request.session.get(_SESSION_KEY, []):
        raise Http404("No import of yours has that number.")
    result = updates_import_task.get_result(result_id)
    if result.status in ("READY", "RUNNING"):
        response = render(request, "progress/more_action/import_status.html", {"refresh_seconds": 3})
        response["Cache-Control"] = "no-store"
        return response
    if result.status != "SUCCESSFUL":
        messages.error(request, "The import could not be finished and nothing was stored. Try again, or ask the "
                                "site's operators to look at the task worker's log.")
        return redirect("progress-import")
    outcome = result.return_value
    if outcome["ok"]:
        messages.success(request, outcome["summary"])
        return redirect("progress-import")
    errors = [Problem(message, row=row, column=column) for row, column, message in outcome["errors"]]
    context = {"columns": imports.COLUMNS, "required": imports.REQUIRED_COLUMNS, "max_rows": imports.MAX_ROWS,
               "max_mb": imports.MAX_BYTES // (1024 * 1024), "plans": Plan.objects.all(), "plan": _plan_from(request),
               "errors": errors, "filename": outcome["filename"], "bad_rows": imports.ImportRejected(errors).bad_rows}
    return render(request, TEMPLATE, context)


def export_csv(request: HttpRequest) -> HttpResponse:
    """Every published update as CSV (formula-safe). ``?plan=`` limits it to one plan."""
    plan = Plan.objects.filter(slug=request.GET["plan"]).first() if request.GET.get("plan") else None
    response = HttpResponse(exports.published_export_csv(plan), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{plan.slug if plan else "all-plans"}-updates.csv"'
    return response


def export_json(request: HttpRequest) -> HttpResponse:
    """Every published update, with each plan's roll-up, as one JSON document."""
    plan = Plan.objects.filter(slug=request.GET["plan"]).first() if request.GET.get("plan") else None
    return HttpResponse(json_dumps(exports.published_export_data(plan)),
                        content_type="application/json; charset=utf-8")
