"""Read-only API: indicators, their observations, and target verdicts with their components."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.indicators import selectors
from recovery_tracker.indicators.models import Indicator, IndicatorTarget

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    id: str
    name: str
    unit: str
    direction: str
    method: str
    definition: str
    source: str
    source_url: str
    geography_level: str
    caveat: str
    url: str


class ObservationOut(Schema):
    period: str
    year: int | None
    geography_code: str
    geography_name: str
    value: float
    unit: str
    disaggregations: dict[str, str]
    source: str
    source_url: str
    release_date: str | None
    notes: str
    revision: int
    current: bool


def _indicator(i: Indicator) -> dict[str, Any]:
    return {"id": i.slug, "name": i.name, "unit": i.unit, "direction": i.direction, "method": i.method,
            "definition": i.definition, "source": i.source, "source_url": i.source_url,
            "geography_level": i.geography_level, "caveat": i.caveat, "url": i.get_absolute_url()}


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HttpError(400, f"as_at must be a date written YYYY-MM-DD, for example 2024-03-31; got {text!r}.") \
            from None


@router.get("/indicators", response=list[IndicatorOut])
def indicators(request: HttpRequest) -> list[dict[str, Any]]:
    return [_indicator(i) for i in selectors.indicators_list()]


@router.get("/indicators/{indicator_id}", response=IndicatorOut)
def indicator(request: HttpRequest, indicator_id: str) -> dict[str, Any]:
    return _indicator(get_object_or_404(Indicator, slug=indicator_id))


@router.get("/indicators/{indicator_id}/observations", response=list[ObservationOut])
def observations(
    request: HttpRequest, indicator_id: str, geography: str | None = None, as_at: str | None = None,
    include_revised: bool = False,
) -> list[dict[str, Any]]:
    """Current figures (as at a date if given); ``include_revised`` adds superseded figures too."""
    item = get_object_or_404(Indicator, slug=indicator_id)
    if include_revised:
        rows = list(item.observations.all())
        if geography:
            rows = [o for o in rows if o.geography_key == geography]
    else:
        rows = selectors.observations_as_at(item, _date(as_at), geography_key=geography)
    return [{
        "period": o.period, "year": o.year, "geography_code": o.geography_code, "geography_name": o.geography_name,
        "value": o.value, "unit": o.unit, "disaggregations": o.disaggregations, "source": o.source,
        "source_url": o.source_url, "release_date": o.release_date.isoformat() if o.release_date else None,
        "notes": o.notes, "revision": o.revision, "current": o.replaced_by_id is None,
    } for o in rows]


@router.get("/targets", response=list[dict])
def targets(request: HttpRequest, as_at: str | None = None) -> list[dict[str, Any]]:
    """Every target's verdict, with the engine's full components record."""
    day = _date(as_at)  # checked even when there are no targets to assess
    return [selectors.target_verdict(t, day).to_dict()
            for t in IndicatorTarget.objects.select_related("indicator")]


@router.get("/plans/{plan_id}/targets", response=list[dict])
def plan_targets(request: HttpRequest, plan_id: str, as_at: str | None = None) -> list[dict[str, Any]]:
    plan = get_object_or_404(Plan, slug=plan_id)
    return [v.to_dict() for v in selectors.target_verdicts(plan, _date(as_at))]
