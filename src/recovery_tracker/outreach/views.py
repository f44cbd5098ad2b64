"""Outreach pages. Thin: parse, check permission (or the signed link), call one service or selector, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from recovery_tracker.catalogue import selectors as catalogue_selectors
from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.outreach import links, permissions, selectors, services, throttle
from recovery_tracker.outreach.models import CommunityReport, Contact, ReportReply, ReportState, ResponseRequest
from recovery_tracker.progress.forms import _date_parts, _links
from recovery_tracker.progress.models import Response
from recovery_tracker.progress.services import UpdateData
from recovery_tracker.progress.vocabulary import status_vocabulary


def _recommendation(plan_slug: str, rec_slug: str) -> Recommendation:
    plan = catalogue_selectors.plan_get(plan_slug)
    return get_object_or_404(catalogue_selectors.recommendations_for_plan(plan), slug=rec_slug)


@dataclass
class _Posted:
    """A form page's state: the values sent (shown again), the errors by field, the status to answer with."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    status: int = 200

    @classmethod
    def of(cls, request: HttpRequest) -> _Posted:
        if request.method != "POST":
            return cls()
        return cls(values={key: request.POST.get(key, "") for key in request.POST})

    def refused(self, error: services.OutreachInvalid) -> None:
        self.errors.update(error.errors)
        self.status = 400


# ── contacts (moderators only) ──────────────────────────────────────────────────────────────


@login_required
def contacts(request: HttpRequest, slug: str) -> HttpResponse:
    if not permissions.can_manage_contacts(request.user):
        raise PermissionDenied("Only moderators can see or change a body's contacts.")
    organisation = get_object_or_404(Organisation, slug=slug)
    form = _Posted.of(request)
    values, errors = form.values, form.errors
    if request.method == "POST":
        try:
            services.contact_add(actor=request.user, organisation=organisation, name=values.get("name", ""),
                                 email=values.get("email", ""), job_title=values.get("job_title", ""))
        except services.OutreachInvalid as error:
            form.refused(error)
        else:
            messages.success(request, "Contact added.")
            return redirect("outreach-contacts", slug=organisation.slug)
    return render(request, "outreach/contacts.html", {
        "organisation": organisation, "contacts": selectors.contacts_for(organisation), "errors": errors,
        "values": values,
    }, status=form.status)


@require_POST
@login_required
def contact_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk)
    services.contact_deactivate(actor=request.user, contact=contact)
    messages.success(request, f"{contact.name} will not be sent new requests.")
    return redirect("outreach-contacts", slug=contact.organisation.slug)


# ── requests for a response ─────────────────────────────────────────────────────────────────


@login_required
def request_new(request: HttpRequest, plan_slug: str, rec_slug: str) -> HttpResponse:
    if not permissions.can_request_response(request.user):
        raise PermissionDenied("Only moderators and independent assessors can ask a body for its response.")
    rec = _recommendation(plan_slug, rec_slug)
    contacts = selectors.active_contacts_for_recommendation(rec)
    form = _Posted.of(request)
    values, errors = form.values, form.errors
    if request.method == "POST":
        contact = next((c for c in contacts if str(c.pk) == values.get("contact", "")), None)
        deadline, _precision, deadline_error = _date_parts(request.POST, "deadline", "the deadline", required=False,
                                                           allow_month=False)
        if contact is None:
            errors["contact"] = "Choose who to ask"
        if deadline_error:
            errors["deadline"] = deadline_error
        if contact is not None and not errors:
            try:
                asked = services.response_request_send(actor=request.user, recommendation=rec,
                                                       body=contact.organisation, contact=contact,
                                                       deadline=deadline, message=values.get("message", ""))
            except services.OutreachInvalid as error:
                form.refused(error)
            else:
                messages.success(request, f"Request sent to {contact.organisation.name}, reply due by "
                                          f"{asked.deadline.day} {asked.deadline:%B %Y}.")
                return redirect(rec)
        form.status = 400
    return render(request, "outreach/request_new.html", {"rec": rec, "contacts": contacts, "errors": errors,
                                                         "values": values, "bodies": selectors.bodies_for(rec)},
                  status=form.status)


def requests_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can_request_response(request.user):
        raise PermissionDenied("Only moderators and independent assessors see every request.")
    return render(request, "outreach/requests.html", {"views": selectors.requests_all()})


@require_POST
@login_required
def request_remind(request: HttpRequest, pk: int) -> HttpResponse:
    response_request = get_object_or_404(ResponseRequest, pk=pk)
    try:
        services.response_request_remind(actor=request.user, request=response_request)
    except services.OutreachInvalid as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, "Reminder sent.")
    return redirect("outreach-requests")


def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The contact's reply page, reached from the emailed link: no account needed."""
    try:
        link = links.reply_link_get(token)
    except links.LinkInvalid as error:
        return render(request, "outreach/link_invalid.html", {"message": str(error)}, status=410)
    asked = link.request
    rec = asked.recommendation
    form = _Posted.of(request)
    values, errors = form.values, form.errors
    if request.method == "POST":
        link_list, _ = _links(values.get("links", ""))
        data = UpdateData(date=timezone.localdate(), body=asked.body, status=values.get("status", ""),
                          response=values.get("response", ""), narrative=values.get("narrative", ""),
                          links=link_list)
        try:
            services.response_reply(signed=token, data=data)
        except links.LinkInvalid as error:
            return render(request, "outreach/link_invalid.html", {"message": str(error)}, status=410)
        except services.OutreachInvalid as error:
            form.refused(error)
        else:
            return render(request, "outreach/respond_done.html", {"body": asked.body})
    return render(request, "outreach/respond.html", {
        "request": asked, "rec": rec, "errors": errors, "values": values,
        "responses": [c for c in Response.choices if c[0] != Response.NO_RESPONSE],
        "statuses": status_vocabulary(rec.plan),
    }, status=form.status)


# ── community and workforce reports ─────────────────────────────────────────────────────────


def _client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _too_many(request: HttpRequest, limited: throttle.Limited) -> HttpResponse:
    response = render(request, "outreach/too_many.html", {"reason": limited.reason,
                                                           "minutes": max(1, limited.retry_after // 60)}, status=429)
    response["Retry-After"] = str(limited.retry_after)
    return response


def _report_form(request: HttpRequest, *, recommendation: Recommendation | None,
                 organisation: Organisation | None) -> HttpResponse:
    bodies = selectors.bodies_for(recommendation) if recommendation is not None else []
    form = _Posted.of(request)
    values, errors = form.values, form.errors
    if request.method == "POST":
        body = organisation
        if recommendation is not None and values.get("organisation"):
            body = next((b for b in bodies if b.slug == values["organisation"]), None)
            if body is None:
                errors["organisation"] = "Choose a body this recommendation is addressed to, or none"
        data = services.ReportData(
            name=values.get("name", ""), email=values.get("email", ""), text=values.get("text", ""),
            show_name=values.get("show_name") == "yes", link=values.get("link", ""),
            recommendation=recommendation, organisation=body, website=values.get("website", ""))
        upload = request.FILES.get("file")
        try:
            errors.update(services.report_validate(data=data, upload=upload))
            if errors:
                raise services.OutreachInvalid(errors)
            services.report_submit(data=data, upload=upload, address=_client_address(request))
        except services.OutreachInvalid as error:
            form.refused(error)
        except throttle.Limited as limited:
            return _too_many(request, limited)
        else:
            return render(request, "outreach/report_done.html", {"recommendation": recommendation,
                                                                 "organisation": organisation})
    return render(request, "outreach/report_new.html", {
        "rec": recommendation, "organisation": organisation, "bodies": bodies, "errors": errors, "values": values,
        "max_mb": services.REPORT_MAX_FILE_BYTES // (1024 * 1024),
    }, status=form.status)


def report_new_for_recommendation(request: HttpRequest, plan_slug: str, rec_slug: str) -> HttpResponse:
    return _report_form(request, recommendation=_recommendation(plan_slug, rec_slug), organisation=None)


def report_new_for_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    return _report_form(request, recommendation=None, organisation=get_object_or_404(Organisation, slug=slug))


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(CommunityReport.objects.select_related("recommendation__plan", "organisation"), pk=pk)
    moderator = permissions.can_moderate_reports(request.user)
    if report.state != ReportState.PUBLISHED and not moderator:
        raise Http404("No such report.")
    form = _Posted.of(request)
    values, errors = form.values, form.errors
    if request.method == "POST":
        try:
            if values.get("action") == "publish":
                services.report_publish(actor=request.user, report=report, public_text=values.get("public_text", ""),
                                        public_link=values.get("public_link", ""),
                                        publish_file=values.get("publish_file") == "yes")
                messages.success(request, "Report published.")
            elif values.get("action") == "reject":
                services.report_reject(actor=request.user, report=report, note=values.get("moderation_note", ""))
                messages.success(request, "Report not published.")
            elif values.get("action") == "reply":
                services.report_reply_submit(actor=request.user, report=report, text=values.get("text", ""))
                messages.success(request, "Reply sent to the moderators.")
            else:
                raise services.OutreachInvalid({"action": "Choose what to do"})
        except services.OutreachInvalid as error:
            form.refused(error)
        else:
            return redirect(report)
    return render(request, "outreach/report_detail.html", {
        "report": report, "moderator": moderator, "errors": errors, "values": values,
        "replies": selectors.replies_published(report),
        "can_reply": report.state == ReportState.PUBLISHED
        and permissions.can_reply_to_report(request.user, report.organisation),
    }, status=form.status)


def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(CommunityReport, pk=pk)
    public = report.state == ReportState.PUBLISHED and report.publish_file
    if not report.file or not (public or permissions.can_moderate_reports(request.user)):
        raise Http404("No such file.")
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.file_name,
                        content_type=report.file_type)


@login_required
def reports_moderation(request: HttpRequest) -> HttpResponse:
    if not permissions.can_moderate_reports(request.user):
        raise PermissionDenied("Only moderators can see reports waiting for moderation.")
    return render(request, "outreach/reports_moderation.html", {
        "reports": selectors.reports_for_moderation(), "replies": selectors.replies_for_moderation()})


@require_POST
@login_required
def report_reply_publish(request: HttpRequest, pk: int) -> HttpResponse:
    reply = get_object_or_404(ReportReply.objects.select_related("report"), pk=pk)
    try:
        services.report_reply_publish(actor=request.user, reply=reply)
    except services.OutreachInvalid as error:
        messages.error(request, " ".join(error.errors.values()))
    else:
        messages.success(request, "Reply published.")
    return redirect(reply.report)


# ── follows ─────────────────────────────────────────────────────────────────────────────────


def _follow(request: HttpRequest, target: Plan | Recommendation | Organisation) -> HttpResponse:
    target_name = services._target_name(target)
    form = _Posted.of(request)
    values, errors = form.values, form.errors
    if request.method == "POST":
        try:
            services.follow_request(email=values.get("email", ""), target=target, address=_client_address(request),
                                    website=values.get("website", ""))
        except services.OutreachInvalid as error:
            form.refused(error)
        except throttle.Limited as limited:
            return _too_many(request, limited)
        else:
            return render(request, "outreach/follow_sent.html", {"target": target, "target_name": target_name})
    return render(request, "outreach/follow_form.html", {"target": target, "target_name": target_name,
                                                         "errors": errors, "values": values}, status=form.status)


def _nothing_to_follow(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "outreach/link_invalid.html", {"heading": "Nothing to follow", "message": message},
                  status=404)


def follow_plan(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = Plan.objects.filter(slug=plan_slug).first()
    if plan is None:
        return _nothing_to_follow(request, f"There is no plan “{plan_slug}”, so it cannot be followed.")
    return _follow(request, plan)


def follow_recommendation(request: HttpRequest, plan_slug: str, rec_slug: str) -> HttpResponse:
    rec = Recommendation.objects.filter(plan__slug=plan_slug, slug=rec_slug).select_related("plan").first()
    if rec is None:
        return _nothing_to_follow(request, f"There is no recommendation “{rec_slug}” in the plan “{plan_slug}”, "
                                           "so it cannot be followed.")
    return _follow(request, rec)


def follow_organisation(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        return _nothing_to_follow(request, f"There is no organisation “{slug}”, so it cannot be followed.")
    return _follow(request, organisation)


def _follow_link(request: HttpRequest, token: str, *, read: Callable[[str], Any], act: Callable[..., Any],
                 page: Callable[[str], dict[str, Any]], done: dict[str, str]) -> HttpResponse:
    """A link from an email about a follow: GET asks (a mail scanner opening every link changes
    nothing), POST does it. ``page`` gives the question's wording for the followed item's name."""
    try:
        follow = read(token)
        if request.method == "POST":
            follow = act(signed=token)
    except links.LinkInvalid as error:
        return render(request, "outreach/link_invalid.html", {"message": str(error)}, status=410)
    target = follow.target
    assert target is not None  # links refuse a follow whose item is gone
    name = services._target_name(target)
    context = {"target": target, "target_name": name, **page(name)}
    if request.method == "POST":
        context.update(done)
    return render(request, "outreach/follow_link.html", context)


def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _follow_link(
        request, token, read=links.follow_from_confirm, act=services.follow_confirm,
        page=lambda name: {"heading": "Confirm you want updates", "button": "Yes, send me updates",
                           "question": f"Send a digest of what is published about {name} to the address this "
                                       "link was sent to?"},
        done={"heading": "You are following", "done": "You will get a digest when something is published."})


@csrf_exempt  # RFC 8058 one-click: mail programs POST without a session or a CSRF token
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _follow_link(
        request, token, read=links.follow_from_unsubscribe, act=services.follow_unsubscribe,
        page=lambda name: {"heading": "Unsubscribe", "question": f"Stop all email about {name}?",
                           "button": "Unsubscribe", "warning": True},
        done={"heading": "Unsubscribed", "done": "Nothing more will be sent about it."})
