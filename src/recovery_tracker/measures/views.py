"""Pages of the checks: upload a file or answer a form, see the result, save it as evidence.

Views parse, check permission, call one service and render. Uploads go through a private
temporary directory that is deleted in ``finally`` (see ``uploads``), so no input file survives
the request that brought it, whatever happens in between.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from recovery_tracker.accounts.permissions import moderated_organisation_ids, user_organisations
from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.standards._data import default_data_path
from recovery_tracker.engine.standards.public_interest import (
    decision_rule_text,
    load_public_interest_test,
)
from recovery_tracker.measures import selectors, services
from recovery_tracker.measures.forms import (
    DECISION_LABELS,
    PayrollUploadForm,
    PublicInterestAboutForm,
    PublicInterestContractsForm,
    PublicInterestCriterionForm,
    SaveResultForm,
    StandardsUploadForm,
)
from recovery_tracker.measures.limited import LimitExceeded, run_limited
from recovery_tracker.measures.models import MeasureKind, MeasureResult
from recovery_tracker.measures.permissions import can_moderate_result
from recovery_tracker.measures.public_interest_flow import PublicInterestFlow
from recovery_tracker.measures.records import decision_record_html, decision_record_pdf
from recovery_tracker.measures.uploads import (
    PAYROLL_UPLOAD,
    STANDARDS_UPLOAD,
    PrivateDirectoryUploadHandler,
    UploadRule,
    install_private_upload_handler,
    upload_problem,
)

RESULT_SALT = "recovery_tracker.measures.result"
RESULT_MAX_AGE = 24 * 60 * 60
MAX_PROBLEMS_SHOWN = 200


# --- landing page and criteria data ----------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "measures/index.html", {"checks": selectors.check_catalogue()})


def criteria_data(request: HttpRequest, name: str) -> HttpResponse:
    """The shipped criteria files, as plain text, so anyone can read exactly what is checked."""
    if name not in selectors.CRITERIA_FILES:
        raise Http404("No such criteria file")
    path = (default_data_path(name) if name.endswith(".yaml")
            else default_data_path("").parent / "rates" / name)
    return HttpResponse(path.read_text(encoding="utf-8"), content_type="text/plain; charset=utf-8")


# --- saving a result as evidence -------------------------------------------------------------------


def _save_context(request: HttpRequest, kind: str, summary: dict[str, Any]) -> dict[str, Any]:
    organisations = user_organisations(request.user)
    # The signed result names who ran the check: only that person can save it, for one of their
    # own organisations (a result copied from someone else's page is refused).
    token = signing.dumps({"kind": kind, "summary": summary, "user": request.user.pk}, salt=RESULT_SALT,
                          compress=True)
    return {
        "save_form": SaveResultForm(initial={"result": token}, organisations=organisations),
        "save_check": services.CHECKS[kind],
        "save_recommendation": services.recommendation_for(kind),
    }


def result_save(request: HttpRequest) -> HttpResponse:
    """Keep a check's aggregate result as evidence of one of the person's organisations."""
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("measures:index"))
    form = SaveResultForm(request.POST, organisations=user_organisations(request.user))
    try:
        payload = signing.loads(request.POST.get("result", ""), salt=RESULT_SALT, max_age=RESULT_MAX_AGE)
    except signing.SignatureExpired:
        return HttpResponseBadRequest("This result is more than a day old. Run the check again to save it.")
    except signing.BadSignature:
        return HttpResponseBadRequest("This result could not be verified. Run the check again to save it.")
    kind, summary = payload["kind"], payload["summary"]
    if payload.get("user") is None or payload.get("user") != request.user.pk:
        return HttpResponseBadRequest("This result was made by someone else, or before you signed in. Run the check "
                                      "again while signed in to save it.")
    if not form.is_valid():
        return render(request, "measures/save.html", {
            "form": form, "check": services.CHECKS[kind], "headline": services.headline_for(kind, summary),
        })
    organisation = form.cleaned_data["organisation"]
    try:
        result = services.measure_result_save(actor=request.user, kind=kind, organisation=organisation,
                                              summary=summary, title=form.cleaned_data["title"])
    except PermissionDenied:
        raise PermissionDenied("You can only save results for an organisation you are a member of.") from None
    message = (f"Saved for {organisation.name}: {result.headline}. It becomes public evidence once a moderator "
               "has published it")
    if result.progress_update_id:
        message += ". A draft update with these figures is in your drafts, ready to edit and submit"
    messages.success(request, message)
    return redirect(organisation.get_absolute_url())


# --- file uploads ----------------------------------------------------------------------------------


def _with_private_uploads(request: HttpRequest, rule: UploadRule,
                          page: Callable[[HttpRequest, PrivateDirectoryUploadHandler], HttpResponse]) -> HttpResponse:
    # The handler must be in place before anything reads the body, so CSRF is checked inside.
    handler = install_private_upload_handler(request, max_bytes=rule.limit_for(request))
    try:
        return csrf_protect(page)(request, handler)
    finally:
        handler.cleanup()


def _file_problems(form: Any, upload: Any, rule: UploadRule, handler: PrivateDirectoryUploadHandler) -> None:
    problem = upload_problem(upload, rule, too_large=handler.too_large, limit_bytes=handler.max_bytes)
    if problem:
        form.add_error("file", problem)


def _limit_message(name: str, exceeded: LimitExceeded) -> str:
    if exceeded.reason == "time":
        return (f"{name} took too long to read. Nothing was saved: remove rows or columns you do not need, "
                "or split it into smaller files, and upload it again")
    return (f"{name} needs more memory to read than an upload may use. Nothing was saved: save it as CSV, "
            "or split it into smaller files, and upload it again")


def _failed(form: Any, name: str, failed: services.CheckFailed) -> dict[str, Any]:
    count = "1 problem" if failed.total == 1 else f"{failed.total} problems"
    form.add_error("file", f"{name} has {count}. Nothing was saved: fix them and upload the file again")
    return {"problems": failed.problems[:MAX_PROBLEMS_SHOWN], "problems_total": failed.total,
            "problems_hidden": max(0, failed.total - MAX_PROBLEMS_SHOWN)}


@csrf_exempt
def paygap_upload(request: HttpRequest) -> HttpResponse:
    return _with_private_uploads(request, PAYROLL_UPLOAD, _paygap_page)


def _paygap_page(request: HttpRequest, handler: PrivateDirectoryUploadHandler) -> HttpResponse:
    context: dict[str, Any] = {"rule": PAYROLL_UPLOAD}
    if request.method != "POST":
        return render(request, "measures/paygap_form.html", {**context, "form": PayrollUploadForm()})
    form = PayrollUploadForm(request.POST, request.FILES)
    form.is_valid()
    upload = request.FILES.get("file")
    _file_problems(form, upload, PAYROLL_UPLOAD, handler)
    if not form.errors:
        name = PurePath(upload.name).name
        try:
            # In a child process with memory and time limits: a hostile file cannot take this worker down.
            report = run_limited(services.paygap_check, path=Path(upload.temporary_file_path()), name=name,
                                 snapshot_date=form.cleaned_data["snapshot_date"],
                                 low_pay_amount=form.cleaned_data.get("low_pay_amount"))
        except services.CheckFailed as failed:
            context.update(_failed(form, name, failed))
        except LimitExceeded as exceeded:
            form.add_error("file", _limit_message(name, exceeded))
        else:
            return render(request, "measures/paygap_report.html", {
                "report": report, "file_name": name, **selectors.paygap_view(report),
                **_save_context(request, MeasureKind.PAYGAP, report),
            })
    return render(request, "measures/paygap_form.html", {**context, "form": form})


def _standards_upload(kind: str, check: Callable[..., dict[str, Any]], template: str,
                      view_data: Callable[[dict[str, Any]], dict[str, Any]]) -> Callable[[HttpRequest], HttpResponse]:
    def page(request: HttpRequest, handler: PrivateDirectoryUploadHandler) -> HttpResponse:
        context: dict[str, Any] = {"rule": STANDARDS_UPLOAD, "check": services.CHECKS[kind], "kind": kind,
                                   "example": selectors.EXAMPLES[kind]}
        if request.method != "POST":
            return render(request, "measures/upload_form.html", {**context, "form": StandardsUploadForm()})
        form = StandardsUploadForm(request.POST, request.FILES)
        form.is_valid()
        upload = request.FILES.get("file")
        _file_problems(form, upload, STANDARDS_UPLOAD, handler)
        if not form.errors:
            name = PurePath(upload.name).name
            try:
                report = run_limited(check, path=Path(upload.temporary_file_path()), name=name)
            except services.CheckFailed as failed:
                context.update(_failed(form, name, failed))
            except LimitExceeded as exceeded:
                form.add_error("file", _limit_message(name, exceeded))
            else:
                return render(request, template, {
                    "report": report, "file_name": name, **view_data(report), **_save_context(request, kind, report),
                })
        return render(request, "measures/upload_form.html", {**context, "form": form})

    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        return _with_private_uploads(request, STANDARDS_UPLOAD, page)

    return view


job_guarantee_upload = _standards_upload(MeasureKind.JOB_GUARANTEE, services.job_guarantee_check,
                                         "measures/job_guarantee_report.html", selectors.job_guarantee_view)
procurement_upload = _standards_upload(MeasureKind.PROCUREMENT, services.procurement_check,
                                       "measures/procurement_report.html", selectors.procurement_view)
employers_upload = _standards_upload(MeasureKind.EMPLOYERS, services.employers_check,
                                     "measures/employers_report.html", selectors.employers_view)


def example_file(request: HttpRequest, kind: str) -> HttpResponse:
    """The made-up DEMO file of a check, to download and copy."""
    name = selectors.EXAMPLES.get(kind)
    if name is None:
        raise Http404("No example for this check")
    path = default_data_path("examples") / name
    return HttpResponse(path.read_bytes(), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- the public interest test: one question group a page (the flow: public_interest_flow.py) -------


def _step_url(step: str | None) -> str:
    """The page of a step; None is check-your-answers."""
    if step is None:
        return reverse("measures:public-interest-check")
    if step in ("about", "contracts"):
        return reverse(f"measures:public-interest-{step}")
    return reverse("measures:public-interest-criterion", args=[step])


def _after(request: HttpRequest, flow: PublicInterestFlow, step: str) -> HttpResponse:
    """Next unanswered page, or the check-your-answers page when changing an answer or done."""
    return redirect(_step_url(flow.next_step(step, changing=request.GET.get("change") == "1")))


def _back(step: str) -> str:
    previous = PublicInterestFlow.previous_step(step)
    return reverse("measures:public-interest-start") if previous is None else _step_url(previous)


def public_interest_start(request: HttpRequest) -> HttpResponse:
    test = load_public_interest_test()
    return render(request, "measures/pi_start.html", {
        "test": test, "rule": decision_rule_text(test), "started": PublicInterestFlow(request.session).started,
    })


@require_POST
def public_interest_restart(request: HttpRequest) -> HttpResponse:
    PublicInterestFlow(request.session).restart()
    return redirect("measures:public-interest-about")


def public_interest_about(request: HttpRequest) -> HttpResponse:
    flow = PublicInterestFlow(request.session)
    if request.method == "POST":
        form = PublicInterestAboutForm(request.POST)
        if form.is_valid():
            flow.about_save(form.cleaned_data)
            return _after(request, flow, "about")
    else:
        form = PublicInterestAboutForm(initial=flow.about())
    return render(request, "measures/pi_about.html", {
        "form": form, "decision_labels": DECISION_LABELS, "back": _back("about"),
    })


def public_interest_criterion(request: HttpRequest, criterion_id: str) -> HttpResponse:
    test = load_public_interest_test()
    ids = [criterion.id for criterion in test.criteria]
    if criterion_id not in ids:
        raise Http404("No such criterion")
    criterion = test.criterion(criterion_id)
    flow = PublicInterestFlow(request.session)
    form_kwargs = {"test": test, "title": criterion.title}
    if request.method == "POST":
        form = PublicInterestCriterionForm(request.POST, **form_kwargs)
        if form.is_valid():
            flow.criterion_save(criterion_id, evidence=form.cleaned_data["evidence"],
                                in_house=form.cleaned_data["in_house"], outsourced=form.cleaned_data["outsourced"])
            return _after(request, flow, criterion_id)
    else:
        saved = flow.criterion(criterion_id)
        form = PublicInterestCriterionForm(initial={key: str(value) for key, value in saved.items()}, **form_kwargs)
    return render(request, "measures/pi_criterion.html", {
        "form": form, "criterion": criterion, "number": ids.index(criterion_id) + 1, "count": len(ids),
        "back": _back(criterion_id), "is_veto": criterion_id == test.veto_criterion, "test": test,
    })


def public_interest_contracts(request: HttpRequest) -> HttpResponse:
    flow = PublicInterestFlow(request.session)
    if request.method == "POST":
        form = PublicInterestContractsForm(request.POST)
        if form.is_valid():
            flow.contracts_save(in_house_improvement_plan=form.cleaned_data["in_house_improvement_plan"],
                                existing_contracts=form.cleaned_data["existing_contracts"],
                                as_typed=request.POST.get("existing_contracts", ""))
            return _after(request, flow, "contracts")
    else:
        saved = flow.contracts()
        form = PublicInterestContractsForm(initial={
            "in_house_improvement_plan": saved.get("in_house_improvement_plan", ""),
            "existing_contracts": saved.get("existing_contracts_text", ""),
        })
    return render(request, "measures/pi_contracts.html", {"form": form, "back": _back("contracts")})


def public_interest_check(request: HttpRequest) -> HttpResponse:
    flow = PublicInterestFlow(request.session)
    missing = flow.first_missing()
    if missing is not None:
        return redirect(_step_url(missing))
    test = load_public_interest_test()
    problems: list[Problem] = []
    if request.method == "POST":
        problems = flow.confirm()
        if not problems:
            return redirect("measures:public-interest-decision")
    answers = flow.answers()
    rows = [(criterion, answers["criteria"][criterion.id]) for criterion in test.criteria]
    return render(request, "measures/pi_check.html", {
        "answers": answers, "rows": rows, "decision_label": DECISION_LABELS.get(answers["decision"], ""),
        "problems": problems,
        # For the error summary: (anchor, message) pairs; nothing on this page to link them to.
        "errors": [("", f"{problem.column}: {problem.message}") for problem in problems],
    })


def public_interest_decision(request: HttpRequest) -> HttpResponse:
    found = PublicInterestFlow(request.session).confirmed_decision()
    if found is None:
        return redirect("measures:public-interest-check")
    decision, answers = found
    summary = {"answers": answers, "decision": decision.to_dict()}
    return render(request, "measures/pi_decision.html", {
        "decision": decision, "rule": decision_rule_text(decision.test),
        "decision_label": DECISION_LABELS.get(decision.decision_type, ""),
        **_save_context(request, MeasureKind.PUBLIC_INTEREST, summary),
    })


def public_interest_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The decision record as a file, from its template (HTML, or PDF from the same HTML)."""
    if fmt not in ("html", "pdf"):
        raise Http404("The decision record comes as .html or .pdf")
    found = PublicInterestFlow(request.session).confirmed_decision()
    if found is None:
        return redirect("measures:public-interest-check")
    decision, _answers_given = found
    if fmt == "pdf":
        return HttpResponse(decision_record_pdf(decision), content_type="application/pdf", headers={
            "Content-Disposition": 'attachment; filename="public-interest-decision.pdf"'})
    return HttpResponse(decision_record_html(decision), content_type="text/html; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="public-interest-decision.html"'})


def review_register(request: HttpRequest) -> HttpResponse:
    """The contract review register: entries from every saved public interest decision."""
    return render(request, "measures/review_register.html", {"entries": selectors.review_register_entries()})


# --- moderation of saved results ---------------------------------------------------------------------


@login_required
def results_moderation(request: HttpRequest) -> HttpResponse:
    """Saved results waiting for a moderator; publish one, or decline it with a reason."""
    if not can_moderate_result(request.user, None):
        raise PermissionDenied("Only moderators can see saved results waiting for moderation.")
    error = ""
    if request.method == "POST":
        result = get_object_or_404(MeasureResult, pk=request.POST.get("result", "0") or 0)
        version = request.POST.get("lock_version", "")
        try:
            if not version.isdigit():
                raise services.ResultStale("This form did not say which version of the result you saw. Reload it.")
            if request.POST.get("action") == "publish":
                services.measure_result_publish(actor=request.user, result=result, lock_version=int(version))
                messages.success(request, f"Published: {result.headline}")
            else:
                services.measure_result_return(actor=request.user, result=result,
                                               reason=request.POST.get("reason", ""), lock_version=int(version))
                messages.success(request, f"Not published: {result.headline}")
            return redirect("measures:moderation")
        except (services.ResultStale, ValueError) as problem:
            error = str(problem)
    return render(request, "measures/moderation.html", {
        "results": selectors.results_for_moderation(moderated_organisation_ids(request.user)), "error": error,
    }, status=400 if error else 200)
