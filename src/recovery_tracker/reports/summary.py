"""The answer first (issue 12): one summary of where the plan stands, as at a date.

``plan_summary`` is the ONE function behind the plan home's summary, the report's opening and the
API's ``/plans/{slug}/summary``, so the three always give the same counts and the same verdict words
(``tests/reports/test_summary.py`` checks that they agree).

Rules it keeps:
- coverage comes before any percentage: how many recommendations have been assessed for every body
  they address, how many have evidence of action, how many have a body's formal response;
- a percentage is never given without the number of recommendations it averages and the total;
- statuses are counted per answering body (each council separately), "no public evidence found"
  included and shown on its own;
- targets: on track out of ALL the plan's targets (a target with no statistics counts, as "no
  verdict");
- a trend is offered for a chart only with at least two dated points (no chart of one point).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from recovery_tracker.catalogue.models import Plan, Recommendation, Target

__all__ = ["ON_TRACK", "OFF_TRACK", "ActionItem", "ChangeItem", "PlanSummary", "StatusCount", "TargetItem",
           "plan_summary"]

ON_TRACK = frozenset({"substantial_progress", "target_achieved"})
OFF_TRACK = frozenset({"moderate_progress", "limited_progress", "deterioration"})
NOT_ASSESSED = "not_assessed"
NO_PUBLIC_EVIDENCE = "no_public_evidence"


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class TargetItem:
    recommendation: str
    description: str
    verdict: str  # the indicator verdict key, or "not_available"
    label: str


@dataclass(frozen=True)
class ActionItem:
    recommendation: str
    title: str
    worst: str
    flags: int
    first_flag: str


@dataclass(frozen=True)
class ChangeItem:
    """Published updates with the same date, writer and title, counted together (a baseline of 442
    assessments is one change, not 442)."""

    date: dt.date
    date_display: str
    writer: str
    voice: str
    title: str
    count: int
    recommendations: int
    recommendation: str  # the recommendation, when the change is about one
    recommendation_title: str
    update_id: int  # the first update of the change, for a link
    statuses: tuple[StatusCount, ...] = ()


@dataclass(frozen=True)
class TrendItem:
    date: dt.date
    percent: float | None
    assessed: int


@dataclass(frozen=True)
class PlanSummary:
    plan: str
    as_at: dt.date
    recommendations: int
    # Coverage, per recommendation.
    fully_assessed: int
    partly_assessed: int
    not_assessed: int
    with_evidence: int  # recommendations with a status that counts in progress
    no_public_evidence: int  # assessed, and every assessed body "no public evidence found"
    responded: int  # recommendations where at least one body has given a formal response
    # Per answering body (each member of a group separately).
    bodies: int
    bodies_assessed: int
    bodies_responded: int
    status_counts: tuple[StatusCount, ...]
    progress_percent: int | None
    targets: tuple[TargetItem, ...]
    most_action: tuple[ActionItem, ...]
    flagged: int
    latest_changes: tuple[ChangeItem, ...]
    trend: tuple[TrendItem, ...] = field(default=())

    @property
    def targets_total(self) -> int:
        return len(self.targets)

    @property
    def targets_on_track(self) -> int:
        return sum(1 for t in self.targets if t.verdict in ON_TRACK)

    @property
    def targets_off_track(self) -> int:
        return sum(1 for t in self.targets if t.verdict in OFF_TRACK)

    @property
    def targets_no_verdict(self) -> int:
        return self.targets_total - self.targets_on_track - self.targets_off_track

    @property
    def not_averaged(self) -> int:
        return self.recommendations - self.with_evidence

    @property
    def chartable(self) -> bool:
        """Rule: "no chart of one point": at least two dates with a progress value."""
        return sum(1 for p in self.trend if p.percent is not None) >= 2

    @property
    def coverage_text(self) -> str:
        return (f"{self.fully_assessed} of {self.recommendations} recommendations assessed for every body they "
                f"address ({self.bodies_assessed} of {self.bodies} body–recommendation pairs); {self.responded} with a "
                f"formal response from at least one body ({self.bodies_responded} of {self.bodies} pairs).")

    @property
    def progress_text(self) -> str:
        """The percentage with its coverage beside it, always."""
        if self.progress_percent is None:
            return (f"No average progress: none of the {self.recommendations} recommendations has a status that "
                    "counts in progress yet.")
        return (f"{self.progress_percent}% average progress across the {self.with_evidence} recommendations with "
                f"evidence of action (of {self.recommendations}); the other "
                f"{self.not_averaged} are not averaged, never counted as 0% "
                f"({self.no_public_evidence} with no public evidence found).")

    @property
    def targets_text(self) -> str:
        return (f"{self.targets_on_track} of {self.targets_total} targets on track ({self.targets_off_track} off "
                f"track, {self.targets_no_verdict} with no verdict).")

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_at"] = self.as_at.isoformat()
        for item in data["latest_changes"]:
            item["date"] = item["date"].isoformat()
        for item in data["trend"]:
            item["date"] = item["date"].isoformat()
        data.update(targets_total=self.targets_total, targets_on_track=self.targets_on_track,
                    targets_off_track=self.targets_off_track, targets_no_verdict=self.targets_no_verdict,
                    coverage_text=self.coverage_text, progress_text=self.progress_text,
                    targets_text=self.targets_text, not_averaged=self.not_averaged)
        return data


def _targets(plan: Plan, as_at: dt.date) -> tuple[TargetItem, ...]:
    from recovery_tracker.indicators.selectors import STATUS_LABELS, target_verdict

    items = []
    for target in (Target.objects.filter(recommendation__plan=plan, recommendation__retired=False)
                   .select_related("recommendation", "indicator_target__indicator")
                   .order_by("recommendation__order", "slug")):
        indicator_target = getattr(target, "indicator_target", None)
        verdict = target_verdict(indicator_target, as_at).status if indicator_target else "not_available"
        items.append(TargetItem(target.recommendation.slug, target.description, verdict,
                                STATUS_LABELS.get(verdict, verdict)))
    return tuple(items)


def _effective(body: Any) -> str:
    """The status that counts for one answering body: the independent assessment, else its own account."""
    if body.assessment.status != NOT_ASSESSED:
        return str(body.assessment.status)
    return str(body.self_report.status)


def _latest_changes(plan: Plan, as_at: dt.date, limit: int) -> tuple[ChangeItem, ...]:
    """The latest published updates dated on or before ``as_at``, grouped by date, writer and title."""
    from recovery_tracker.progress.models import State, Update

    groups: dict[tuple[dt.date, int, str], list[Any]] = {}
    query = (Update.objects.filter(recommendation__plan=plan, state=State.PUBLISHED, date__lte=as_at)
             .select_related("recommendation__plan", "organisation").order_by("-date", "-published_at", "-id"))
    for update in query.iterator():
        key = (update.date, update.organisation_id, update.title)
        if key not in groups and len(groups) == limit:
            break
        groups.setdefault(key, []).append(update)
    items = []
    for updates in groups.values():
        first = updates[0]
        recs = {u.recommendation.slug for u in updates}
        statuses = Counter(u.status_label for u in updates if u.status)
        items.append(ChangeItem(
            date=first.date, date_display=first.date_display, writer=first.organisation.label,
            voice=first.get_voice_display(), title=first.title or "Update", count=len(updates),
            recommendations=len(recs), recommendation=first.recommendation.slug if len(recs) == 1 else "",
            recommendation_title=first.recommendation.title if len(recs) == 1 else "", update_id=first.pk,
            statuses=tuple(StatusCount(label, label, n) for label, n in statuses.most_common()),
        ))
    return tuple(items)


def plan_summary(plan: Plan, as_at: dt.date | None = None, *, changes: int = 5, places: int = 5) -> PlanSummary:
    """Where the plan stands as at ``as_at`` (today by default): coverage, statuses, progress with its
    base, targets, the places most needing action and the latest published changes."""
    from recovery_tracker.progress import rollup_data
    from recovery_tracker.progress.models import Response
    from recovery_tracker.progress.selectors import recommendation_states_as_at
    from recovery_tracker.progress.vocabulary import status_vocabulary

    as_at = as_at or dt.date.today()
    recs = list(Recommendation.objects.filter(plan=plan, retired=False).select_related("plan", "section")
                .order_by("order"))
    states = recommendation_states_as_at(recs, as_at)
    fully = partly = none = no_evidence = responded = bodies = bodies_assessed = bodies_responded = 0
    for state in states.values():
        answering = state.answering_bodies
        statuses = [_effective(b) for b in answering]
        if not answering and state.whole is not None:
            # Addressed to nobody: the assessment of the recommendation as a whole is its status.
            statuses = [str(state.whole.status)]
        assessed = [s for s in statuses if s != NOT_ASSESSED]
        bodies += len(answering)
        bodies_assessed += sum(1 for b in answering if _effective(b) != NOT_ASSESSED)
        if assessed and len(assessed) == len(statuses):
            fully += 1
        elif assessed:
            partly += 1
        else:
            none += 1
        if assessed and all(s == NO_PUBLIC_EVIDENCE for s in assessed):
            no_evidence += 1
        answered = [b for b in answering if b.self_report.response != Response.NO_RESPONSE]
        bodies_responded += len(answered)
        responded += bool(answered)
    result = rollup_data.plan_progress(plan, as_at)
    counts = result.status_counts
    status_counts = tuple(StatusCount(term["key"], term["label"], counts.get(term["key"], 0))
                          for term in status_vocabulary(plan) if counts.get(term["key"], 0) or term["key"] in (
                              NOT_ASSESSED, NO_PUBLIC_EVIDENCE))
    flagged = rollup_data.plan_flagged(plan, as_at=as_at, recommendations=recs)
    most_action = tuple(
        ActionItem(rec.slug, rec.title, item.worst.label, len(item.flags), item.flags[0].title)
        for rec, item in flagged[:places]
    )
    latest_changes = _latest_changes(plan, as_at, changes)
    trend = tuple(TrendItem(p.date, p.percent, p.assessed)
                  for p in rollup_data.plan_progress_over_time(plan, today=as_at))
    return PlanSummary(
        plan=plan.slug, as_at=as_at, recommendations=len(recs), fully_assessed=fully, partly_assessed=partly,
        not_assessed=none, with_evidence=result.plan.assessed, no_public_evidence=no_evidence,
        responded=responded, bodies=bodies, bodies_assessed=bodies_assessed, bodies_responded=bodies_responded,
        status_counts=status_counts, progress_percent=result.plan.percent, targets=_targets(plan, as_at),
        most_action=most_action, flagged=len(flagged), latest_changes=latest_changes, trend=trend,
    )
