"""Progress API: read published updates and the roll-up (public); submit updates (token).

Writes need ``Authorization: Bearer <token>`` (a token from an account page or the admin). They
go through the same services as the web form, so the same permission rules apply: a member drafts
for recommendations addressed to their organisation, an assessor drafts assessments, and nothing
is ever published through the API.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from recovery_tracker.accounts.services import api_token_user
from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import plan_default
from recovery_tracker.engine.rollup import RULE_TEXT
from recovery_tracker.progress import exports, services
from recovery_tracker.progress.models import DatePrecision, Source, State, Update

router = Router(tags=["progress"])


class TokenAuth(HttpBearer):
    """A bearer token that belongs to an active user, unexpired and unrevoked, with the scope the
    endpoint needs (write endpoints refuse a read token); the user becomes ``request.auth``."""

    def __init__(self, scope: str = "write") -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return api_token_user(token, scope=self.scope)


class LinkOut(Schema):
    url: str
    title: str


class UpdateOut(Schema):
    id: int
    plan: str
    recommendation: str
    section: str
    organisation: str
    body: str | None
    voice: str
    date: str
    date_precision: str
    title: str
    status: str | None
    status_label: str | None
    progress: float | None
    response: str | None
    target_date: str | None
    narrative: str
    narrative_html: str = ""
    links: list[LinkOut]
    author: str
    published_at: str | None
    corrects: int | None
    corrected_by: list[int]
    in_force: bool
    url: str


class UpdateFilters(Schema):
    plan: str | None = Field(None, description="Plan id; default: every plan.")
    recommendation: str | None = Field(None, description="Recommendation id (with plan).")
    organisation: str | None = Field(None, description="Organisation id: updates written by or about it.")
    since: dt.date | None = Field(None, description="Only updates dated on or after this date.")
    limit: int = Field(100, ge=1, le=1000)
    offset: int = Field(0, ge=0)


class UpdatePage(Schema):
    count: int
    updates: list[UpdateOut]


@router.get("/progress/updates", response=UpdatePage, summary="Published updates, oldest first")
def progress_updates_list(request: HttpRequest, filters: Query[UpdateFilters]) -> dict[str, Any]:
    queryset = Update.objects.filter(state=State.PUBLISHED).select_related(
        "recommendation__plan", "recommendation__section", "organisation", "body", "author",
    ).prefetch_related("links", "documents", "corrections").order_by("date", "published_at", "id")
    if filters.plan:
        queryset = queryset.filter(recommendation__plan__slug=filters.plan)
    if filters.recommendation:
        queryset = queryset.filter(recommendation__slug=filters.recommendation)
    if filters.organisation:
        from django.db.models import Q

        queryset = queryset.filter(Q(organisation__slug=filters.organisation) | Q(body__slug=filters.organisation))
    if filters.since:
        queryset = queryset.filter(date__gte=filters.since)
    page = list(queryset[filters.offset:filters.offset + filters.limit])
    return {"count": queryset.count(), "updates": [exports.update_row(u) for u in page]}


class ProgressOut(Schema):
    plan: str
    as_at: str
    rule: str
    rollup: dict[str, Any]


class PlanOverviewOut(Schema):
    id: str
    title: str
    publisher: str
    published: str
    recommendations: int
    assessed: int = Field(description="Recommendations with at least one published update.")
    coverage_percent: int
    last_activity: str | None = Field(description="When an update on the plan was last published.")
    version: str
    data_version: str


@router.get("/plans-overview", response=list[PlanOverviewOut], summary="Every plan: size, coverage, last activity")
def plans_overview(request: HttpRequest) -> list[dict[str, Any]]:
    """The plans page as data: publisher, date, recommendations, assessment coverage and last activity."""
    from recovery_tracker.progress.plans_overview import plans_summary

    return [summary.to_dict() for summary in plans_summary()]


@router.get("/plans/{plan_id}/progress", response=ProgressOut, summary="Roll-up of a plan as at a date")
def progress_plan_rollup(request: HttpRequest, plan_id: str, as_at: dt.date | None = None) -> dict[str, Any]:
    from recovery_tracker.progress.rollup_data import plan_progress

    plan = get_object_or_404(Plan, slug=plan_id)
    day = as_at or dt.date.today()
    return {"plan": plan.slug, "as_at": day.isoformat(), "rule": RULE_TEXT,
            "rollup": plan_progress(plan, day).to_dict()}


# Lengths as the columns hold them: a longer value is a 422 naming the field, on every database.
class LinkIn(Schema):
    url: str = Field(max_length=500)
    title: str = Field("", max_length=300)


class UpdateIn(Schema):
    plan: str | None = Field(None, description="Plan id; default: the site's default plan.")
    recommendation: str
    organisation: str = Field(description="The organisation writing; you must be a member.")
    body: str = Field(description="The addressed body the update is about.")
    voice: Literal["self_report", "independent_assessment"]
    date: dt.date
    date_precision: Literal["day", "month"] = "day"
    title: str = Field("", max_length=300)
    status: str = Field("", max_length=40)
    progress: float | None = Field(None, description="0 to 1; empty uses the status's share.")
    response: str = Field("", max_length=20)
    response_url: str = Field("", max_length=500)
    response_reason: str = ""
    target_date: dt.date | None = None
    target_date_reason: str = ""
    narrative: str = ""
    links: list[LinkIn] = []
    submit: bool = Field(False, description="Submit for moderation at once; otherwise kept as a draft.")


class UpdateCreated(Schema):
    id: int
    state: str
    url: str


class ApiProblem(Schema):
    """The API's one problem shape (``api/api.py`` answers bad requests in it too): ``detail`` in words,
    ``errors`` mapping each field to what is wrong with it, as the web form shows them."""

    detail: str
    errors: dict[str, str] = {}


@router.post("/progress/updates", auth=TokenAuth(), response={201: UpdateCreated, 403: ApiProblem, 404: ApiProblem,
                                                               422: ApiProblem},
             summary="Draft or submit an update (token); never publishes")
def progress_update_create(request: HttpRequest, payload: UpdateIn) -> Status:
    user = request.auth  # type: ignore[attr-defined]
    plan = Plan.objects.filter(slug=payload.plan).first() if payload.plan else plan_default()
    recommendation = Recommendation.objects.filter(plan=plan, slug=payload.recommendation, retired=False).first()
    organisation = Organisation.objects.filter(slug=payload.organisation).first()
    body = Organisation.objects.filter(slug=payload.body).first()
    missing = {name: f"No {name} {value!r}" for name, value, found in (
        ("plan", payload.plan, plan), ("recommendation", payload.recommendation, recommendation),
        ("organisation", payload.organisation, organisation), ("body", payload.body, body)) if found is None}
    if missing:
        return Status(404, {"detail": "; ".join(missing.values()), "errors": missing})
    data = services.UpdateData(
        date=payload.date, date_precision=DatePrecision(payload.date_precision).value, body=body,
        title=payload.title, status=payload.status, progress=payload.progress, response=payload.response,
        response_url=payload.response_url, response_reason=payload.response_reason,
        target_date=payload.target_date, target_date_reason=payload.target_date_reason,
        narrative=payload.narrative, links=[(link.url, link.title) for link in payload.links],
    )
    try:
        update = services.update_create_draft(actor=user, recommendation=recommendation, organisation=organisation,
                                              voice=payload.voice, data=data, source=Source.API)
        if payload.submit:
            update = services.update_submit(actor=user, update=update)
    except PermissionDenied as error:
        return Status(403, {"detail": str(error) or "You may not draft this update."})
    except services.UpdateInvalid as error:
        return Status(422, {"detail": "The update has errors.", "errors": error.errors})
    except services.WorkflowError as error:  # pragma: no cover - a fresh draft can always be submitted
        raise HttpError(409, str(error)) from error
    return Status(201, {"id": update.pk, "state": update.state, "url": exports.update_url(update)})
