"""Reads that feed the pure roll-up and "more action" engines from published updates.

The state of each body comes from ``progress.selectors`` (the one as-at rule); this module only
turns it into the engines' typed inputs, and builds the dated status changes the progress-over-time
chart needs. Evidence, for the "no recent evidence" rules, is any published update: an account, an
assessment or public-record evidence, dated by the date it describes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings

from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import RecommendationFilters, organisation_accountable
from recovery_tracker.catalogue.versions import once_per_data_version
from recovery_tracker.engine import more_action, rollup
from recovery_tracker.progress.models import State, Update, Voice
from recovery_tracker.progress.selectors import BodyState, RecommendationState, recommendation_states_as_at
from recovery_tracker.progress.vocabulary import status_vocabulary

__all__ = [
    "RETIRED_REASON",
    "more_action_config",
    "plan_flagged",
    "plan_progress",
    "plan_progress_over_time",
    "recommendation_progress",
    "organisation_flags",
    "recommendation_flags",
    "rollup_input",
    "series_dates",
    "status_events",
]

RETIRED_REASON = "Retired: no longer in the current plan file (its history is kept)."

# Requests for a response are outreach's (a layer above); outreach/apps.py sets its reader here:
# (recommendation id, body id) -> (asked on, reply deadline) of the oldest request still unanswered.
UnansweredRequests = Callable[[Iterable[int]], dict[tuple[int, int], tuple[dt.date, dt.date]]]


def _no_requests(recommendation_ids: Iterable[int]) -> dict[tuple[int, int], tuple[dt.date, dt.date]]:
    return {}


unanswered_requests_reader: UnansweredRequests = _no_requests


def _unanswered(recommendation_ids: Iterable[int]) -> dict[tuple[int, int], tuple[dt.date, dt.date]]:
    return unanswered_requests_reader(list(recommendation_ids))


def more_action_config() -> more_action.Config:
    """Thresholds from ``settings.RECOVERY_TRACKER["MORE_ACTION"]`` (keys as in ``more_action.Config``)."""
    overrides = settings.RECOVERY_TRACKER.get("MORE_ACTION", {})
    return more_action.Config(**overrides)


def _progress_map(plan: Plan) -> dict[str, float | None]:
    return rollup.progress_by_status(status_vocabulary(plan))


def _body_input(b: BodyState) -> rollup.BodyInput:
    return rollup.BodyInput(
        organisation=b.body.slug, role=b.role, label=b.body.label,
        self_report=b.self_report.status, self_report_progress=b.self_report.progress,
        assessment=b.assessment.status, assessment_progress=b.assessment.progress,
        members=tuple(_body_input(m) for m in b.members),
    )


def rollup_input(state: RecommendationState) -> rollup.RecommendationInput:
    rec = state.recommendation
    return rollup.RecommendationInput(
        key=rec.slug, section=rec.section.number, weight=rec.weight, label=f"{rec.slug} {rec.title}",
        bodies=tuple(_body_input(b) for b in state.bodies),
        excluded_reason=RETIRED_REASON if rec.retired else "",
        assessment=state.whole.status if state.whole and state.whole.assessed else None,
        assessment_progress=state.whole.progress if state.whole and state.whole.assessed else None,
    )


def _plan_recommendations(plan: Plan) -> list[Recommendation]:
    # Retired items stay in the roll-up as stated exclusions rather than vanishing.
    return list(Recommendation.objects.filter(plan=plan).select_related("plan", "section").order_by("order"))


def plan_progress(plan: Plan, as_at: dt.date | None = None) -> rollup.PlanRollup:
    """Plan, section and recommendation progress as at a date (today by default)."""
    states = recommendation_states_as_at(_plan_recommendations(plan), as_at)
    return rollup.plan_rollup([rollup_input(s) for s in states.values()], _progress_map(plan))


def recommendation_progress(recommendation: Recommendation,
                            as_at: dt.date | None = None) -> rollup.RecommendationResult:
    """One recommendation's progress and how it was added up, as at a date (today by default)."""
    state = recommendation_states_as_at([recommendation], as_at)[recommendation.pk]
    return rollup.recommendation_rollup(rollup_input(state), _progress_map(recommendation.plan))


def status_events(plan: Plan) -> list[rollup.StatusEvent]:
    """Every status given in a published update still in force (corrections replace what they correct),
    in the order the as-at rule applies them: by date, then by when published."""
    updates = list(
        Update.objects.filter(recommendation__plan=plan, state=State.PUBLISHED)
        .select_related("recommendation", "body")
    )
    corrected = {u.corrects_id for u in updates if u.corrects_id}
    # An assessment of the recommendation as a whole has no body (organisation None in the event).
    counting = [u for u in updates if u.pk not in corrected and u.status
                and (u.body_id or u.voice == Voice.INDEPENDENT_ASSESSMENT)
                and u.voice in (Voice.SELF_REPORT, Voice.INDEPENDENT_ASSESSMENT)]
    counting.sort(key=lambda u: (u.date, u.published_at or dt.datetime.min.replace(tzinfo=dt.UTC), u.pk))
    return [
        rollup.StatusEvent(date=u.date, recommendation=u.recommendation.slug,
                           organisation=u.body.slug if u.body_id else None,
                           voice=u.voice, status=u.status, progress=u.progress)
        for u in counting
    ]


def series_dates(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of each quarter from ``start`` to ``end``, and ``end`` itself."""
    dates = []
    year, quarter = start.year, (start.month - 1) // 3
    while True:
        month = quarter * 3 + 3
        last = (dt.date(year + (month // 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        if last > end:
            break
        dates.append(last)
        quarter += 1
        if quarter == 4:
            year, quarter = year + 1, 0
    if not dates or dates[-1] != end:
        dates.append(end)
    return dates


@once_per_data_version("plan_progress_over_time")
def plan_progress_over_time(plan: Plan, today: dt.date | None = None) -> list[rollup.SeriesPoint]:
    """Plan-wide progress at each quarter end since the plan was published, and today."""
    today = today or dt.date.today()
    states = recommendation_states_as_at(_plan_recommendations(plan), today)
    recs = [rollup_input(s) for s in states.values()]
    return rollup.plan_progress_series(recs, status_events(plan), series_dates(plan.published, today),
                                       _progress_map(plan))


def _facts(state: RecommendationState,
           unanswered: dict[tuple[int, int], tuple[dt.date, dt.date]]) -> more_action.RecommendationFacts:
    rec = state.recommendation
    bodies = []
    # Each member of a group answers for itself, so the rules look at the members, not the group.
    for b in state.answering_bodies:
        accountable = organisation_accountable(b.body)
        name = b.body.name if accountable.pk == b.body.pk else f"{b.body.name} (now {accountable.label})"
        asked, deadline = unanswered.get((rec.pk, b.body.pk), (None, None))
        bodies.append(more_action.BodyFacts(
            organisation=b.body.slug, name=name, role=b.role,
            response=b.self_report.response, response_date=b.self_report.response_date,
            response_reason=b.self_report.response_reason, self_report=b.self_report.status,
            self_report_date=b.self_report.status_since, assessment=b.assessment.status,
            assessment_date=b.assessment.status_since,
            target_date=b.self_report.target_date or b.assessment.target_date,
            group=b.group.label if b.group is not None else "",
            request_asked=asked, request_deadline=deadline,
        ))
    return more_action.RecommendationFacts(
        key=rec.slug, title=rec.title, plan_published=rec.plan.published, bodies=tuple(bodies),
        evidence_dates=tuple(u.date for u in state.updates), order=rec.order,
    )


@once_per_data_version("plan_flagged")
def plan_flagged(plan: Plan, *, filters: RecommendationFilters | None = None, as_at: dt.date | None = None,
                 recommendations: Iterable[Recommendation] | None = None) -> list[tuple[
                     Recommendation, more_action.FlaggedRecommendation]]:
    """Every flagged current recommendation of the plan (filtered), worst first, with its model."""
    from recovery_tracker.catalogue.selectors import recommendations_for_plan

    as_at = as_at or dt.date.today()
    if recommendations is None:
        queryset = recommendations_for_plan(plan)
        recommendations = (filters.apply(queryset) if filters else queryset).order_by("order")
    recs = {r.slug: r for r in recommendations}
    states = recommendation_states_as_at(recs.values(), as_at)
    unanswered = _unanswered(r.pk for r in recs.values())
    found = more_action.assess_all((_facts(s, unanswered) for s in states.values()), today=as_at,
                                   config=more_action_config())
    if filters and filters.organisation:
        # Keep the chosen organisation's flags and those about the recommendation as a whole.
        from recovery_tracker.catalogue.models import Organisation
        from recovery_tracker.catalogue.selectors import organisation_with_predecessors

        org = Organisation.objects.filter(slug=filters.organisation).first()
        keep = {o.slug for o in organisation_with_predecessors(org)} if org else set()
        found = more_action.worst_first(
            more_action.FlaggedRecommendation(
                item.recommendation,
                tuple(f for f in item.flags if f.organisation is None or f.organisation in keep))
            for item in found
        )
    return [(recs[item.recommendation.key], item) for item in found]


def recommendation_flags(recommendation: Recommendation, as_at: dt.date | None = None) -> list[more_action.Flag]:
    """The flags on one recommendation, worst first."""
    as_at = as_at or dt.date.today()
    state = recommendation_states_as_at([recommendation], as_at)[recommendation.pk]
    return more_action.assess(_facts(state, _unanswered([recommendation.pk])), today=as_at,
                              config=more_action_config())


def organisation_flags(organisation: Organisation, recommendations: Iterable[Recommendation],
                       as_at: dt.date | None = None) -> dict[int, list[more_action.Flag]]:
    """The flags naming the organisation (itself, a predecessor it answers for, or, for a group, any
    member) on each of ``recommendations``, worst first, keyed by recommendation id."""
    from recovery_tracker.catalogue.selectors import organisation_with_predecessors

    as_at = as_at or dt.date.today()
    keep = {o.slug for o in organisation_with_predecessors(organisation)}
    keep |= set(organisation.members.values_list("slug", flat=True))
    recs = {r.slug: r for r in recommendations}
    states = recommendation_states_as_at(recs.values(), as_at)
    unanswered = _unanswered(r.pk for r in recs.values())
    found: dict[int, list[more_action.Flag]] = {}
    for state in states.values():
        flags = [f for f in more_action.assess(_facts(state, unanswered), today=as_at, config=more_action_config())
                 if f.organisation in keep]
        if flags:
            found[state.recommendation.pk] = flags
    return found
