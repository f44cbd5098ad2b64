"""Reads of progress. The state of a recommendation is derived from its published updates, never
stored, so it can be computed "as at" any date.

The rule (shown on the "How progress is measured" page):
- Only PUBLISHED updates count, and only those dated on or before the as-at date.
- A published update that has a published correction is replaced by the correction.
- Per addressed body and voice (own account, independent assessment), the latest update that
  states a status sets the status; the latest that states a response sets the response; the
  latest that states a target date sets the target date. Ties on date go to the later published.
- With no status stated the body is "not assessed" (never "not started"); with no response stated
  it is "no response yet".
- An item is overdue when its target date has passed by the as-at date and it is not delivered.
- Public-record evidence never sets a status or a response.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from recovery_tracker.catalogue.models import Addressee, Organisation, Plan, Recommendation
from recovery_tracker.progress.models import EvidenceDocument, EvidenceLink, Response, State, Update, Voice
from recovery_tracker.progress.vocabulary import NOT_ASSESSED, status_term

DELIVERED = "delivered"


@dataclass(frozen=True)
class TargetRevision:
    """One target date as stated in one published update, with the reason it changed."""

    target_date: dt.date
    reason: str
    stated_on: dt.date
    update_id: int


@dataclass(frozen=True)
class VoiceState:
    """Where one body stands on one recommendation in one voice, as at a date."""

    voice: str
    status: str = NOT_ASSESSED
    status_label: str = "Not assessed"
    progress: float | None = None
    status_since: dt.date | None = None
    response: str = Response.NO_RESPONSE
    response_label: str = Response.NO_RESPONSE.label
    response_url: str = ""
    response_reason: str = ""
    target_date: dt.date | None = None
    target_history: tuple[TargetRevision, ...] = ()
    overdue: bool = False
    latest: Update | None = None
    update_count: int = 0

    @property
    def assessed(self) -> bool:
        return self.status != NOT_ASSESSED


@dataclass(frozen=True)
class BodyState:
    body: Organisation
    role: str
    self_report: VoiceState
    assessment: VoiceState
    latest_update: Update | None = None


@dataclass(frozen=True)
class RecommendationState:
    recommendation: Recommendation
    as_at: dt.date
    bodies: list[BodyState]
    # Published updates (all voices) counted as at the date, newest first.
    updates: list[Update] = field(default_factory=list)

    @property
    def last_evidence_date(self) -> dt.date | None:
        return self.updates[0].date if self.updates else None

    @property
    def latest_evidence(self) -> Update | None:
        return self.updates[0] if self.updates else None


def _published() -> QuerySet[Update]:
    return Update.objects.filter(state=State.PUBLISHED).select_related(
        "organisation", "body", "author", "published_by", "recommendation__plan"
    ).prefetch_related(
        Prefetch("links", queryset=EvidenceLink.objects.all()),
        Prefetch("documents", queryset=EvidenceDocument.objects.all()),
    )


def _chronological(updates: Iterable[Update]) -> list[Update]:
    return sorted(updates, key=lambda u: (u.date, u.published_at or dt.datetime.min.replace(tzinfo=dt.UTC), u.pk))


def voice_state(plan: Plan, voice: str, updates: list[Update], as_at: dt.date) -> VoiceState:
    """Fold one body's published updates in one voice (already filtered to those that count)."""
    status = NOT_ASSESSED
    progress: float | None = None
    status_since: dt.date | None = None
    response, response_url, response_reason = Response.NO_RESPONSE.value, "", ""
    target_date: dt.date | None = None
    history: list[TargetRevision] = []
    for update in _chronological(updates):
        if update.status:
            if update.status != status:
                status_since = update.date
            status = update.status
            term = status_term(plan, status)
            progress = update.progress if update.progress is not None else term.get("progress")
        if update.response:
            response, response_url, response_reason = update.response, update.response_url, update.response_reason
        if update.target_date is not None:
            if target_date != update.target_date:
                history.append(TargetRevision(update.target_date, update.target_date_reason, update.date, update.pk))
            target_date = update.target_date
    term = status_term(plan, status)
    return VoiceState(
        voice=voice, status=status, status_label=term["label"], progress=progress, status_since=status_since,
        response=response, response_label=Response(response).label, response_url=response_url,
        response_reason=response_reason, target_date=target_date, target_history=tuple(history),
        overdue=target_date is not None and target_date < as_at and status != DELIVERED,
        latest=_chronological(updates)[-1] if updates else None, update_count=len(updates),
    )


def _counting(updates: list[Update], as_at: dt.date) -> list[Update]:
    corrected = {u.corrects_id for u in updates if u.corrects_id}
    return [u for u in updates if u.date <= as_at and u.pk not in corrected]


def recommendation_states_as_at(recommendations: Iterable[Recommendation],
                                as_at: dt.date | None = None) -> dict[int, RecommendationState]:
    """The state of many recommendations as at a date (today by default), in two queries."""
    as_at = as_at or dt.date.today()
    recs = list(recommendations)
    by_rec: dict[int, list[Update]] = defaultdict(list)
    for update in _published().filter(recommendation__in=recs):
        by_rec[update.recommendation_id].append(update)
    addressees: dict[int, list[Addressee]] = defaultdict(list)
    # Successors are fetched too: closed bodies are shown with who answers for them now.
    with_successors = Addressee.objects.select_related("organisation__successor__successor")
    for addressee in with_successors.filter(recommendation__in=recs):
        addressees[addressee.recommendation_id].append(addressee)
    states: dict[int, RecommendationState] = {}
    for rec in recs:
        counting = _counting(by_rec[rec.pk], as_at)
        bodies = []
        for addressee in addressees[rec.pk]:
            mine = [u for u in counting if u.body_id == addressee.organisation_id]
            bodies.append(BodyState(
                body=addressee.organisation, role=addressee.role,
                self_report=voice_state(rec.plan, Voice.SELF_REPORT,
                                        [u for u in mine if u.voice == Voice.SELF_REPORT], as_at),
                assessment=voice_state(rec.plan, Voice.INDEPENDENT_ASSESSMENT,
                                       [u for u in mine if u.voice == Voice.INDEPENDENT_ASSESSMENT], as_at),
                latest_update=_chronological(mine)[-1] if mine else None,
            ))
        states[rec.pk] = RecommendationState(
            recommendation=rec, as_at=as_at, bodies=bodies, updates=list(reversed(_chronological(counting))),
        )
    return states


def recommendation_state_as_at(recommendation: Recommendation, as_at: dt.date | None = None) -> RecommendationState:
    """Per addressed body and voice: status, response, target dates and overdue, as at ``as_at``."""
    return recommendation_states_as_at([recommendation], as_at)[recommendation.pk]


def plan_states_as_at(plan: Plan, as_at: dt.date | None = None) -> dict[int, RecommendationState]:
    """Every current recommendation of the plan, keyed by recommendation id."""
    recs = Recommendation.objects.filter(plan=plan, retired=False).select_related("plan", "section")
    return recommendation_states_as_at(recs, as_at)


# ── history ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class HistoryEntry:
    """One published version in the public history, with the status change it made."""

    update: Update
    previous_status_label: str | None
    status_label: str | None
    status_changed: bool
    corrected_by: list[Update]
    corrects: Update | None


def recommendation_history(recommendation: Recommendation) -> list[HistoryEntry]:
    """Every published version, corrected ones included, newest first, with status changes per
    body and voice (computed over the versions that were in force when each was published)."""
    updates = _chronological(_published().filter(recommendation=recommendation))
    by_id = {u.pk: u for u in updates}
    corrections: dict[int, list[Update]] = defaultdict(list)
    for u in updates:
        if u.corrects_id:
            corrections[u.corrects_id].append(u)
    last_status: dict[tuple[int | None, str], str] = {}
    entries = []
    plan = recommendation.plan
    for u in sorted(updates, key=lambda x: (x.published_at, x.pk)):
        key = (u.body_id, u.voice)
        before = last_status.get(key, NOT_ASSESSED)
        if u.status:
            last_status[key] = u.status
        entries.append(HistoryEntry(
            update=u,
            previous_status_label=status_term(plan, before)["label"] if u.status else None,
            status_label=status_term(plan, u.status)["label"] if u.status else None,
            status_changed=bool(u.status) and u.status != before,
            corrected_by=corrections.get(u.pk, []),
            corrects=by_id.get(u.corrects_id) if u.corrects_id else None,
        ))
    entries.sort(key=lambda e: (e.update.published_at, e.update.pk), reverse=True)
    return entries


def updates_recent(*, limit: int = 50, organisation: Organisation | None = None) -> QuerySet[Update]:
    """Published updates, most recently published first."""
    qs = _published().order_by("-published_at", "-id")
    if organisation is not None:
        qs = qs.filter(Q(organisation=organisation) | Q(body=organisation))
    return qs[:limit]


def updates_for_moderation(organisation_ids: list[int] | None = None) -> QuerySet[Update]:
    """Submitted updates, oldest first; ``organisation_ids`` limits them to those organisations'
    (an organisation moderator's queue), None is every organisation (the editorial team's)."""
    queryset = Update.objects.filter(state=State.SUBMITTED)
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=organisation_ids)
    return queryset.select_related(
        "recommendation__plan", "organisation", "body", "author").order_by("submitted_at", "id")


def updates_drafts_for(user: Any) -> QuerySet[Update]:
    """Unpublished updates of every organisation the user belongs to."""
    return Update.objects.filter(
        organisation__memberships__user=user, state__in=[State.DRAFT, State.RETURNED, State.SUBMITTED]
    ).select_related("recommendation__plan", "organisation", "body", "author").distinct().order_by("-updated_at")


def organisation_states(organisation: Organisation, as_at: dt.date | None = None) -> list[tuple[Recommendation,
                                                                                               BodyState]]:
    """Each recommendation addressed to the organisation or a predecessor, with that body's state."""
    from recovery_tracker.catalogue.selectors import organisation_with_predecessors

    bodies = {o.pk for o in organisation_with_predecessors(organisation)}
    recs = Recommendation.objects.filter(addressees__organisation__in=bodies, retired=False).select_related(
        "plan", "section").distinct()
    states = recommendation_states_as_at(recs, as_at)
    rows = []
    for rec in recs:
        for body_state in states[rec.pk].bodies:
            if body_state.body.pk in bodies:
                rows.append((rec, body_state))
    return rows
