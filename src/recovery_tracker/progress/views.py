"""Progress pages. Thin: parse, check permission, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from recovery_tracker.accounts.permissions import user_organisations
from recovery_tracker.catalogue import selectors as catalogue_selectors
from recovery_tracker.engine.rollup import GROUP_RULE_TEXT
from recovery_tracker.progress import permissions, selectors, services
from recovery_tracker.progress.forms import UpdateForm, WriterChoice, writer_choices
from recovery_tracker.progress.models import EvidenceDocument, Update, Voice
from recovery_tracker.progress.vocabulary import status_vocabulary


def _recommendation(plan_slug: str, rec_slug: str):  # noqa: ANN202 - a Recommendation
    plan = catalogue_selectors.plan_get(plan_slug)
    return get_object_or_404(catalogue_selectors.recommendations_for_plan(plan), slug=rec_slug)


def _form_page(request: HttpRequest, form: UpdateForm, *, update: Update | None = None,
               status: int = 200, stale: bool = False) -> HttpResponse:
    rec = form.recommendation
    return render(request, "progress/update_form.html", {
        "rec": rec, "plan": rec.plan, "form": form, "update": update, "stale": stale,
        "statuses": status_vocabulary(rec.plan), "self_report": Voice.SELF_REPORT,
    }, status=status)


@login_required
def update_new(request: HttpRequest, plan_slug: str, rec_slug: str) -> HttpResponse:
    rec = _recommendation(plan_slug, rec_slug)
    choices = writer_choices(request.user, rec)
    if not choices:
        raise PermissionDenied("You are not a member of an organisation that can write about this recommendation.")
    if request.method != "POST":
        form = UpdateForm(recommendation=rec, choices=choices)
        # "Update" links from "Recommendations you can update" say who writes about which body.
        if any(choice.value == request.GET.get("writer") for choice in choices):
            form.values["writer"] = request.GET["writer"]
        return _form_page(request, form)
    form = UpdateForm(recommendation=rec, choices=choices, post=request.POST, files=request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    try:
        update = services.update_create_draft(actor=request.user, recommendation=rec,
                                              organisation=form.writer.organisation, voice=form.writer.voice,
                                              data=form.data, documents=form.files)
        if request.POST.get("action") == "submit":
            services.update_submit(actor=request.user, update=update)
    except services.UpdateInvalid as error:
        form.add_errors(error.errors)
        return _form_page(request, form, status=400)
    messages.success(request, "Update submitted for moderation." if update.state == "submitted"
                     else "Draft saved. Only your organisation can see it until it is published.")
    return redirect(update)


@login_required
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("recommendation__plan", "organisation", "body"), pk=pk)
    if not permissions.can_edit_update(request.user, update):
        raise PermissionDenied("Only your organisation can edit its drafts, and only before they are published.")
    rec = update.recommendation
    if request.method != "POST":
        return _form_page(request, UpdateForm(recommendation=rec, choices=[], instance=update), update=update)
    form = UpdateForm(recommendation=rec, choices=[], post=request.POST, files=request.FILES, instance=update)
    if not form.is_valid():
        return _form_page(request, form, update=update, status=400)
    try:
        lock_version = int(request.POST.get("lock_version", "0"))
    except ValueError:
        lock_version = 0
    try:
        services.update_edit_draft(actor=request.user, update=update, lock_version=lock_version, data=form.data,
                                   documents=form.files,
                                   documents_remove=[int(x) for x in request.POST.getlist("remove") if x.isdigit()])
        if request.POST.get("action") == "submit":
            services.update_submit(actor=request.user, update=update)
    except services.UpdateInvalid as error:
        form.add_errors(error.errors)
        return _form_page(request, form, update=update, status=400)
    except services.StaleEdit:
        form.add_errors({"narrative": "Someone else saved this draft after you opened it, so your changes were "
                                      "not saved. Your text is still below: copy it, then open the draft again "
                                      "to see their changes and add yours."})
        return _form_page(request, form, update=update, status=409, stale=True)
    messages.success(request, "Update submitted for moderation." if update.state == "submitted" else "Draft saved.")
    return redirect(update)


def update_detail(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(
        Update.objects.select_related("recommendation__plan", "organisation", "body", "author", "corrects"), pk=pk)
    if not permissions.can_view_update(request.user, update):
        # Unpublished updates do not exist for anyone who may not see them.
        raise Http404("No such update.")
    user = request.user
    return render(request, "progress/update_detail.html", {
        "update": update, "rec": update.recommendation, "plan": update.recommendation.plan,
        "can_edit": permissions.can_edit_update(user, update),
        "can_moderate": update.state == "submitted" and permissions.can_moderate(user, update),
        "can_correct": permissions.can_correct_update(user, update),
        "corrections": update.corrections.filter(state="published"),
    })


def _posted_lock_version(request: HttpRequest) -> int | None:
    """The version of the update the page showed; None if the form did not send a number."""
    value = request.POST.get("lock_version", "")
    return int(value) if value.isdigit() else None


_NO_VERSION = "This form is out of date (it did not say which version of the update you saw). Reload the page."


@require_POST
@login_required
def update_submit(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(Update, pk=pk)
    if not permissions.can_submit_update(request.user, update):
        raise PermissionDenied("You cannot submit this update.")
    lock_version = _posted_lock_version(request)
    if lock_version is None:
        messages.error(request, _NO_VERSION)
        return redirect(update)
    try:
        services.update_submit(actor=request.user, update=update, lock_version=lock_version)
    except (services.WorkflowError, services.StaleEdit) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Update submitted for moderation.")
    return redirect(update)


@login_required
def update_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publishing asks for confirmation first (a page, so it works without JavaScript): a published
    update is public at once and never changes."""
    update = get_object_or_404(
        Update.objects.select_related("recommendation__plan", "organisation", "body", "author"), pk=pk)
    if not permissions.can_moderate(request.user, update):
        raise PermissionDenied("Only a moderator other than the author can publish this update.")
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        # The version the moderator read travels through the confirmation to the publish itself.
        seen = request.GET.get("v") or request.POST.get("lock_version") or str(update.lock_version)
        return render(request, "progress/update_publish_confirm.html", {
            "update": update, "rec": update.recommendation, "plan": update.recommendation.plan,
            "seen_version": seen if seen.isdigit() else "",
        })
    lock_version = _posted_lock_version(request)
    if lock_version is None:
        messages.error(request, _NO_VERSION)
        return redirect(update)
    try:
        services.update_publish(actor=request.user, update=update, lock_version=lock_version)
    except (services.WorkflowError, services.StaleEdit) as error:
        messages.error(request, str(error))
        return redirect(update)
    messages.success(request, "Update published.")
    return redirect("progress-moderation")


@login_required
def update_return(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("recommendation__plan", "organisation"), pk=pk)
    if not permissions.can_moderate(request.user, update):
        raise PermissionDenied("Only a moderator other than the author can return an update.")
    error = ""
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        lock_version = _posted_lock_version(request)
        try:
            if lock_version is None:
                raise services.StaleEdit(_NO_VERSION)
            services.update_return(actor=request.user, update=update, reason=reason, lock_version=lock_version)
        except services.UpdateInvalid as invalid:
            error = invalid.errors["reason"]
        except (services.WorkflowError, services.StaleEdit) as workflow:
            error = str(workflow)
        else:
            messages.success(request, "Update returned to its writers with your reason.")
            return redirect("progress-moderation")
    seen = request.POST.get("lock_version") or request.GET.get("v") or str(update.lock_version)
    return render(request, "progress/update_return.html", {
        "update": update, "error": error, "reason": reason, "seen_version": seen if seen.isdigit() else "",
    }, status=400 if error else 200)


@require_POST
@login_required
def update_correct(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(Update, pk=pk)
    correction = services.update_correct(actor=request.user, update=update)
    messages.success(request, "Correction started. The published version stays in the history.")
    return redirect("progress-update-edit", correction.pk)


@require_POST
@login_required
def update_delete(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_object_or_404(Update.objects.select_related("recommendation__plan"), pk=pk)
    rec = update.recommendation
    if not permissions.can_edit_update(request.user, update):
        raise PermissionDenied("Only an unsubmitted draft can be discarded, by its organisation.")
    lock_version = _posted_lock_version(request)
    try:
        if lock_version is None:
            raise services.StaleEdit(_NO_VERSION)
        services.update_delete_draft(actor=request.user, update=update, lock_version=lock_version)
    except services.StaleEdit as error:
        messages.error(request, str(error))
        return redirect(update)
    messages.success(request, "Draft discarded.")
    return redirect(rec)


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_object_or_404(EvidenceDocument.objects.select_related("update"), pk=pk)
    if not permissions.can_view_update(request.user, document.update):
        raise Http404("No such document.")
    response = FileResponse(document.file.open("rb"), content_type=document.content_type, as_attachment=True,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    if not document.update.is_published:
        response["Cache-Control"] = "private, no-store"
    return response


def recommendation_history(request: HttpRequest, plan_slug: str, rec_slug: str) -> HttpResponse:
    rec = _recommendation(plan_slug, rec_slug)
    return render(request, "progress/history.html", {
        "rec": rec, "plan": rec.plan, "entries": selectors.recommendation_history(rec),
        "state": selectors.recommendation_state_as_at(rec),
    })


UPDATES_PER_PAGE = 50


def updates_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.updates_by_publication(), UPDATES_PER_PAGE).get_page(request.GET.get("page"))
    moderator = request.user.is_authenticated and permissions.can_moderate(request.user)
    return render(request, "progress/updates_list.html", {
        "updates": page.object_list, "page": page,
        "moderation_count": selectors.updates_for_moderation().count() if moderator else None,
    })


@login_required
def my_drafts(request: HttpRequest) -> HttpResponse:
    return render(request, "progress/my_drafts.html", {
        "updates": selectors.updates_drafts_for(request.user),
        "organisations": user_organisations(request.user),
    })


@login_required
def can_update(request: HttpRequest) -> HttpResponse:
    """The page after signing in: for each organisation the person writes for, the recommendations it
    answers for (its own, its predecessors', and its part of a group's), with the state now and an
    "Update" link that opens the form with the right writer chosen."""
    user = request.user
    sections = []
    for organisation in user_organisations(user):
        rows = [
            (row, [(b, WriterChoice(organisation, Voice.SELF_REPORT, b.body)) for b in row.bodies])
            for row in selectors.organisation_recommendations(organisation)
            if permissions.can_draft_update(user, row.recommendation, organisation)
        ]
        sections.append({"organisation": organisation, "rows": rows})
    return render(request, "progress/can_update.html", {
        "sections": sections,
        "drafts": selectors.updates_drafts_for(user).count(),
        "moderation": selectors.updates_for_moderation().count() if permissions.can_moderate(user) else None,
    })


@login_required
def moderation_queue(request: HttpRequest) -> HttpResponse:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied("Only moderators can see the moderation queue.")
    return render(request, "progress/moderation.html", {
        "updates": selectors.updates_for_moderation(permissions.moderated_organisation_ids(request.user)),
    })


def progress_method(request: HttpRequest) -> HttpResponse:
    plan = catalogue_selectors.plan_default()
    return render(request, "progress/method.html", {
        "plan": plan, "statuses": status_vocabulary(plan) if plan else [],
        "state_rule": selectors.__doc__, "rollup_rule": _rollup_rule_text(), "group_rule": GROUP_RULE_TEXT,
    })


def _rollup_rule_text() -> str:
    """The roll-up engine's own docstring, when that engine is installed, so the page and code agree."""
    try:
        from recovery_tracker.engine import rollup
    except ImportError:
        return ""
    return rollup.__doc__ or ""
