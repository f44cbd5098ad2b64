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
- A "stalled" status keeps the share of delivery that voice last reached (0% if none was reached
  before), unless the update states its own percentage.
- A recommendation addressed to a group whose members are named ("local authorities": the seven
  councils) is tracked per member, each from the updates about that member. A member with no status
  of its own in either voice takes the status and response given to the group as a whole.
- An item is overdue when its target date has passed by the as-at date and it is not delivered.
- Public-record evidence never sets a status or a response.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from recovery_tracker.catalogue.models import Addressee, Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import by_label
from recovery_tracker.engine.rollup import progress_by_status, progress_reached
from recovery_tracker.progress.models import EvidenceDocument, EvidenceLink, Response, State, Update, Voice
from recovery_tracker.progress.vocabulary import NOT_ASSESSED, status_term, status_vocabulary

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
    response_date: dt.date | None = None
    target_date: dt.date | None = None
    target_history: tuple[TargetRevision, ...] = ()
    overdue: bool = False
    latest: Update | None = None
    update_count: int = 0
    # True when the status and response are the group's, standing in for a member with none of its own.
    from_group: bool = False

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
    # For a group addressee: each member's own state, in name order; ``group`` is set on a member.
    members: tuple[BodyState, ...] = ()
    group: Organisation | None = None

    @property
    def answering(self) -> tuple[BodyState, ...]:
        """The bodies that answer for themselves: a group's members, or the body itself."""
        return self.members or (self,)

    @property
    def current(self) -> VoiceState:
        """The voice whose status counts (the roll-up's order): the independent assessment where
        there is one, otherwise the body's own account."""
        return self.assessment if self.assessment.assessed else self.self_report


@dataclass(frozen=True)
class RecommendationState:
    recommendation: Recommendation
    as_at: dt.date
    bodies: list[BodyState]
    # Published updates (all voices) counted as at the date, newest first.
    updates: list[Update] = field(default_factory=list)
    # The independent assessment of the recommendation as a whole (about no one body): what counts for a
    # recommendation the plan addresses to nobody, and for a body with no assessment of its own.
    whole: VoiceState | None = None

    @property
    def answering_bodies(self) -> list[BodyState]:
        """Every body that answers for itself: each addressee, with a group replaced by its members."""
        return [answering for body in self.bodies for answering in body.answering]

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
    response_date: dt.date | None = None
    target_date: dt.date | None = None
    history: list[TargetRevision] = []
    shares = progress_by_status(status_vocabulary(plan))
    for update in _chronological(updates):
        if update.status:
            if update.status != status:
                status_since = update.date
            status = update.status
            # The engine's rule: a stalled status keeps the share reached before it.
            progress = progress_reached(status, update.progress, progress, shares)
        if update.response:
            if update.response != response:
                response_date = update.date
            response, response_url, response_reason = update.response, update.response_url, update.response_reason
        if update.target_date is not None:
            if target_date != update.target_date:
                history.append(TargetRevision(update.target_date, update.target_date_reason, update.date, update.pk))
            target_date = update.target_date
    term = status_term(plan, status)
    return VoiceState(
        voice=voice, status=status, status_label=term["label"], progress=progress, status_since=status_since,
        response=response, response_label=Response(response).label, response_url=response_url,
        response_reason=response_reason, response_date=response_date, target_date=target_date,
        target_history=tuple(history),
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
    # Successors are fetched too: closed bodies are shown with who answers for them now; and the
    # members of group addressees, who are tracked one by one.
    with_successors = Addressee.objects.select_related("organisation__successor__successor").prefetch_related(
        Prefetch("organisation__members", queryset=by_label(Organisation.objects.all())))
    for addressee in with_successors.filter(recommendation__in=recs):
        addressees[addressee.recommendation_id].append(addressee)
    states: dict[int, RecommendationState] = {}
    for rec in recs:
        counting = _counting(by_rec[rec.pk], as_at)
        bodies = []
        for addressee in addressees[rec.pk]:
            group = _body_state(rec, addressee.organisation, addressee.role, counting, as_at)
            members = tuple(
                _member_with_group_defaults(
                    _body_state(rec, member, addressee.role, counting, as_at, group=addressee.organisation), group)
                for member in addressee.organisation.members.all()
            )
            bodies.append(replace(group, members=members))
        whole = voice_state(rec.plan, Voice.INDEPENDENT_ASSESSMENT,
                            [u for u in counting if u.body_id is None and u.voice == Voice.INDEPENDENT_ASSESSMENT],
                            as_at)
        states[rec.pk] = RecommendationState(
            recommendation=rec, as_at=as_at, bodies=bodies, updates=list(reversed(_chronological(counting))),
            whole=whole,
        )
    return states


def _body_state(rec: Recommendation, body: Organisation, role: str, counting: list[Update], as_at: dt.date,
                group: Organisation | None = None) -> BodyState:
    mine = [u for u in counting if u.body_id == body.pk]
    return BodyState(
        body=body, role=role, group=group,
        self_report=voice_state(rec.plan, Voice.SELF_REPORT, [u for u in mine if u.voice == Voice.SELF_REPORT], as_at),
        assessment=voice_state(rec.plan, Voice.INDEPENDENT_ASSESSMENT,
                               [u for u in mine if u.voice == Voice.INDEPENDENT_ASSESSMENT], as_at),
        latest_update=_chronological(mine)[-1] if mine else None,
    )


def _member_with_group_defaults(member: BodyState, group: BodyState) -> BodyState:
    """The engine's group rule (``engine.rollup.member_with_group_defaults``): a member with no status of
    its own in either voice takes the group's statuses, and one with no response takes the group's
    response. What came from the group is marked ``from_group`` so pages can say so."""
    own, other = member.self_report, member.assessment
    if not (own.assessed or other.assessed) and (group.self_report.assessed or group.assessment.assessed):
        status_fields = ("status", "status_label", "progress", "status_since")
        own = replace(own, from_group=True, **{f: getattr(group.self_report, f) for f in status_fields})
        other = replace(other, from_group=True, **{f: getattr(group.assessment, f) for f in status_fields})
    if own.response == Response.NO_RESPONSE and group.self_report.response != Response.NO_RESPONSE:
        response_fields = ("response", "response_label", "response_url", "response_reason", "response_date")
        own = replace(own, from_group=True, **{f: getattr(group.self_report, f) for f in response_fields})
    return replace(member, self_report=own, assessment=other)


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


def updates_by_publication() -> QuerySet[Update]:
    """Every published update, newest publication day first; within a day (a bulk load publishes
    many at once), the newest date described first."""
    return _published().order_by(TruncDate("published_at").desc(nulls_last=True), "-date", "-published_at", "-id")


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


@dataclass(frozen=True)
class OrganisationRecommendation:
    """One recommendation an organisation answers for, listed once, with every part it plays.

    ``bodies`` are the addressed bodies it answers for: itself, a predecessor (the LEPs for the WMCA),
    or itself as a member of a group addressee (a council in "local authorities"). For a group's own
    page, ``bodies`` holds the group, whose ``members`` carry each member's state.
    """

    recommendation: Recommendation
    bodies: tuple[BodyState, ...]
    organisation: Organisation

    @property
    def primary(self) -> BodyState:
        """The organisation's own state where it is addressed directly, else the first part it plays."""
        return next((b for b in self.bodies if b.body.pk == self.organisation.pk), self.bodies[0])

    @property
    def others(self) -> tuple[BodyState, ...]:
        return tuple(b for b in self.bodies if b is not self.primary)

    @property
    def labels(self) -> list[str]:
        """Each part it plays, in words: "Lead", "Member of local authorities (lead)", "Successor of ..."."""
        labels = []
        for b in self.bodies:
            role = "Lead" if b.role == "lead" else "Support"
            if b.group is not None:
                labels.append(f"Member of {b.group.label} ({role.lower()})")
            elif b.body.pk != self.organisation.pk:
                labels.append(f"Successor of {b.body.label} ({role.lower()})")
            else:
                labels.append(role)
        return list(dict.fromkeys(labels))


def organisation_recommendations(organisation: Organisation,
                                 as_at: dt.date | None = None) -> list[OrganisationRecommendation]:
    """Each current recommendation the organisation answers for, once, in plan order, with the state of
    every body it answers for there: itself, its predecessors, and itself as a member of a group."""
    from recovery_tracker.catalogue.selectors import organisation_with_predecessors

    bodies = {o.pk for o in organisation_with_predecessors(organisation)}
    recs = list(Recommendation.objects.filter(
        Q(addressees__organisation__in=bodies) | Q(addressees__organisation__members__in=bodies), retired=False,
    ).select_related("plan", "section").distinct().order_by("plan__slug", "order"))
    states = recommendation_states_as_at(recs, as_at)
    rows = []
    for rec in recs:
        mine: list[BodyState] = []
        for body_state in states[rec.pk].bodies:
            if body_state.body.pk in bodies:
                mine.append(body_state)
            mine.extend(m for m in body_state.members if m.body.pk in bodies)
        if mine:
            rows.append(OrganisationRecommendation(rec, tuple(mine), organisation))
    return rows


def latest_activity(organisation: Organisation) -> Update | None:
    """The most recently published update written by the organisation or about it (or, for a group,
    about any of its members)."""
    about = [organisation.pk, *organisation.members.values_list("pk", flat=True)]
    return (_published().filter(Q(organisation=organisation) | Q(body__in=about))
            .order_by("-published_at", "-id").first())


@dataclass(frozen=True)
class OrganisationSummary:
    """The top of an organisation's page: how many recommendations, responses, statuses, last activity.

    For a group the responses and statuses are counted over its members (each answers for itself).
    """

    recommendation_count: int
    roles: list[tuple[str, int]]
    responses: list[tuple[str, str, int]]
    statuses: list[tuple[str, str, int]]
    answering_count: int
    latest: Update | None


def organisation_summary(organisation: Organisation, rows: list[OrganisationRecommendation]) -> OrganisationSummary:
    """Counts over the recommendations listed on the organisation's page (``organisation_recommendations``)."""
    answering = [a for row in rows for a in row.primary.answering]
    roles: dict[str, int] = defaultdict(int)
    for row in rows:
        for label in row.labels:
            roles[label] += 1
    responses: dict[str, int] = defaultdict(int)
    statuses: dict[str, tuple[str, int]] = {}
    for a in answering:
        responses[a.self_report.response] += 1
        label, count = statuses.get(a.current.status, (a.current.status_label, 0))
        statuses[a.current.status] = (label, count + 1)
    return OrganisationSummary(
        recommendation_count=len(rows),
        roles=sorted(roles.items(), key=lambda item: -item[1]),
        responses=[(choice.value, choice.label, responses[choice.value]) for choice in Response
                   if responses.get(choice.value)],
        statuses=sorted(((key, label, n) for key, (label, n) in statuses.items()), key=lambda t: (t[0] == NOT_ASSESSED,
                                                                                             -t[2])),
        answering_count=len(answering),
        latest=latest_activity(organisation),
    )
