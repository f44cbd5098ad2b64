"""Read-only API for the plan catalogue."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from recovery_tracker.catalogue import selectors
from recovery_tracker.catalogue.exports import plan_export_data
from recovery_tracker.catalogue.models import Organisation, Plan

router = Router(tags=["catalogue"])


class PlanSummary(Schema):
    id: str
    title: str
    publisher: str
    published: str
    recommendations: int


class AddresseeOut(Schema):
    organisation: str
    role: str


class RecommendationOut(Schema):
    id: str
    section: str
    title: str
    quote: str
    kind: str
    modality: str
    themes: list[str]
    addressees: list[AddresseeOut]
    url: str


class OrganisationOut(Schema):
    id: str
    name: str
    kind: str
    successor: str | None
    ended: str | None


@router.get("/plans", response=list[PlanSummary])
def plans(request: HttpRequest) -> list[dict]:
    return [
        {"id": p.slug, "title": p.title, "publisher": p.publisher, "published": p.published.isoformat(),
         "recommendations": p.recommendations.filter(retired=False).count()}
        for p in Plan.objects.all()
    ]


@router.get("/plans/{plan_id}", response=dict)
def plan_detail(request: HttpRequest, plan_id: str) -> dict:
    """The whole plan in the same shape as ``recovery-tracker plan export --format json``."""
    return plan_export_data(get_object_or_404(Plan, slug=plan_id))


@router.get("/plans/{plan_id}/recommendations", response=list[RecommendationOut])
def recommendations(
    request: HttpRequest, plan_id: str, theme: str = "", kind: str = "", organisation: str = "", section: str = ""
) -> list[dict]:
    plan = get_object_or_404(Plan, slug=plan_id)
    filters = selectors.RecommendationFilters(theme=theme, kind=kind, organisation=organisation, section=section)
    return [
        {
            "id": rec.slug, "section": rec.section.number, "title": rec.title, "quote": rec.quote,
            "kind": rec.kind, "modality": rec.modality, "themes": [t.slug for t in rec.themes.all()],
            "addressees": [{"organisation": a.organisation.slug, "role": a.role} for a in rec.addressees.all()],
            "url": request.build_absolute_uri(rec.get_absolute_url()),
        }
        for rec in filters.apply(selectors.recommendations_for_plan(plan))
    ]


@router.get("/organisations", response=list[OrganisationOut])
def organisations(request: HttpRequest) -> list[dict]:
    return [
        {"id": o.slug, "name": o.name, "kind": o.kind, "successor": o.successor.slug if o.successor else None,
         "ended": o.ended.isoformat() if o.ended else None}
        for o in Organisation.objects.select_related("successor")
    ]
