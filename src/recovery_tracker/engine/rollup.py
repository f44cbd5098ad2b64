"""The published roll-up rule: progress of a responsible body, a recommendation, a section and the plan.

One rule, stated in ``RULE_TEXT`` and shown on the site, applied the same way at every level:

* every item carries a weight; the weights of the items that count are **normalised to sum to
  one**, so the result is always a weighted mean between 0 and 1 whatever numbers are used
  (Decidim's unnormalised sum, flaw 1 in ``tracker-features.md`` §4);
* there is no mode switch: weights always apply (flaw 2);
* an item whose status is "not assessed" has **no** progress value: it is left out of the average
  and counted separately, never treated as 0 % (flaw 3); with nothing assessed the result is
  "not assessed", not 0 %;
* an item is excluded only with a stated reason, and the exclusion is listed with the result
  (flaw 4); a zero or negative weight is refused instead of silently dropping an item;
* results are computed from inputs on demand, never stored on a parent, so the same function
  works at any depth and "as at" any date (flaws 4 and 5).

Levels:

* a **body** (one organisation a recommendation addresses) takes the independent assessment of
  its delivery where there is one, else the independent assessment of the whole recommendation,
  else the body's own report, else "not assessed";
* a **group** addressee whose members are named ("local authorities across the region": the
  seven metropolitan councils) is tracked per member: each member takes its status by the body rule,
  a status given to the group as a whole stands for each member that has none of its own, and the
  group's share is the plain mean of its members' shares (``GROUP_RULE_TEXT``); the group then
  counts as one body of the recommendation, with the group's role;
* a **stalled** status keeps the share of delivery last reached (``progress_reached``) instead of a
  fixed value: stalling neither adds nor takes away progress;
* a **recommendation** is the weighted mean of its bodies: a lead body weighs ``ROLE_WEIGHTS["lead"]``
  (2), a supporting body ``ROLE_WEIGHTS["support"]`` (1);
* a **section** and the **plan** are weighted means of their recommendations, using each
  recommendation's weight from the plan file (default 1). The plan is computed from the
  recommendations directly, not as a mean of section means, so a short section does not count
  for more than a long one.

No Django here: callers pass plain values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

__all__ = [
    "GROUP_MIXED",
    "GROUP_RULE_TEXT",
    "NOT_ASSESSED",
    "NO_PUBLIC_EVIDENCE",
    "STALLED",
    "PlanRollup",
    "ROLE_WEIGHTS",
    "RULE_TEXT",
    "BodyInput",
    "BodyResult",
    "Contribution",
    "Item",
    "RecommendationInput",
    "RecommendationResult",
    "Rollup",
    "RollupError",
    "SeriesPoint",
    "StatusEvent",
    "body_effective_status",
    "plan_progress_series",
    "plan_rollup",
    "plan_state_at",
    "group_rollup",
    "member_with_group_defaults",
    "progress_by_status",
    "progress_reached",
    "recommendation_rollup",
    "rollup",
    "section_rollups",
]

NOT_ASSESSED = "not_assessed"
# An assessor searched and the public record holds nothing: counted and shown, never averaged.
NO_PUBLIC_EVIDENCE = "no_public_evidence"
STALLED = "stalled"
# A group whose assessed members do not all share one status.
GROUP_MIXED = "mixed"

# Lead bodies carry the main duty the recommendation names; supporting bodies help. Twice the weight
# keeps a supporting body's delay visible without letting it outweigh the body that must act.
ROLE_WEIGHTS: Mapping[str, float] = {"lead": 2.0, "support": 1.0}

Voice = Literal["self_report", "independent_assessment"]
Inclusion = Literal["included", "not_assessed", "no_public_evidence", "excluded"]

RULE_TEXT = (
    "How progress is added up. Each organisation a recommendation is addressed to has a delivery status. "
    "We use the independent assessment of that organisation's delivery where there is one, then an independent "
    "assessment of the whole recommendation, and otherwise the organisation's own report. Each status stands for "
    "a share of delivery (for example in progress 40%, delivered 100%), unless the update that gave the status "
    "states its own percentage, which is then used. "
    "A recommendation's progress is the weighted average of its organisations' shares: an organisation that leads "
    "counts twice as much as one that supports. A section's progress and the plan's progress are weighted "
    "averages of their recommendations' progress, using each recommendation's weight in the plan (1 unless the "
    "plan says otherwise); the plan is averaged over all its recommendations, not over section averages. "
    "Weights are always scaled so that the weights used add up to one, so the result is a true average between "
    "0% and 100%. "
    "Anything not yet assessed is left out of the average and counted separately: it is never counted as 0%. "
    "So is anything assessed as \"no public evidence found\" (an assessor searched the named sources and found "
    "nothing): it is counted and shown on its own, never as 0% and never as not started. "
    "If nothing in a group has been assessed, the group is shown as not assessed. "
    "An item is left out only for a reason we state next to the result, and every result lists each item, "
    "the weight it was given and whether it was counted."
)


GROUP_RULE_TEXT = (
    "How a group is added up. Some recommendations are addressed to a group whose members are named, such as "
    "local authorities across the region (the seven metropolitan councils). Each member answers for itself: it "
    "has its own response, status and history, and its status is found by the rule above. A status or response "
    "given to the group as a whole stands for every member that has none of its own. The group's share of "
    "delivery is the plain average of its members' shares, each member counting equally; members not yet "
    "assessed are left out and counted separately, and if no member is assessed the group is not assessed. "
    "The group then counts as one organisation of the recommendation, with the group's role, so the seven "
    "councils together weigh as much as one lead organisation, not seven. The group's status is its members' "
    "status when every assessed member has the same one, and mixed otherwise."
)

STALLED_RULE_TEXT = (
    "A stalled item keeps the share of delivery it last reached: stalling neither adds nor takes away progress. "
    "With no earlier status on record nothing has been reached, so it counts as 0%. An update that states its own "
    "percentage is used as stated."
)


def progress_reached(status: str, stated: float | None, previous: float | None,
                     progress: Mapping[str, float | None]) -> float | None:
    """The share of delivery a newly given status stands for, knowing the share reached before it.

    Rule: "A stalled item keeps the share of delivery it last reached: stalling neither adds nor takes
    away progress. With no earlier status on record nothing has been reached, so it counts as 0%. An
    update that states its own percentage is used as stated."
    """
    if status == STALLED:
        if stated is not None:
            return stated
        return previous if previous is not None else 0.0
    if progress.get(status) is None:
        return None
    return stated if stated is not None else progress[status]


class RollupError(ValueError):
    """Bad roll-up input: an unknown status, a weight that is not a positive number, a progress out of range."""


@dataclass(frozen=True)
class Item:
    """One thing to average: a body, a recommendation. ``progress`` None means not assessed."""

    key: str
    weight: float
    progress: float | None
    label: str = ""
    status: str | None = None
    excluded_reason: str = ""


@dataclass(frozen=True)
class Contribution:
    """How one item entered the result: its weight as given, the share of the total it got, and why."""

    key: str
    label: str
    status: str | None
    progress: float | None
    weight: float
    normalised_weight: float
    inclusion: Inclusion
    reason: str = ""


@dataclass(frozen=True)
class Rollup:
    """A weighted mean with every input, weight used and exclusion recorded."""

    progress: float | None
    assessed: int
    not_assessed: int
    excluded: int
    total_weight: float
    contributions: tuple[Contribution, ...]
    no_evidence: int = 0

    @property
    def percent(self) -> int | None:
        """Progress as a whole percentage for display, or None when nothing is assessed."""
        return None if self.progress is None else round(self.progress * 100)

    @property
    def exclusions(self) -> tuple[Contribution, ...]:
        return tuple(c for c in self.contributions if c.inclusion == "excluded")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the result and every contribution."""
        return {
            "progress": self.progress,
            "percent": self.percent,
            "assessed": self.assessed,
            "not_assessed": self.not_assessed,
            "excluded": self.excluded,
            "no_public_evidence": self.no_evidence,
            "total_weight": self.total_weight,
            "contributions": [c.__dict__.copy() for c in self.contributions],
        }


def _check_weight(item: Item) -> None:
    if not isinstance(item.weight, int | float) or not math.isfinite(item.weight) or item.weight <= 0:
        raise RollupError(
            f"{item.key}: weight must be a positive number, not {item.weight!r}. "
            "To leave an item out, exclude it with a reason instead."
        )


def rollup(items: Iterable[Item]) -> Rollup:
    """Weighted mean of the assessed, non-excluded items, with weights normalised to sum to one.

    Rule: "Weights are always scaled so that the weights used add up to one ... Anything not yet
    assessed is left out of the average and counted separately ... An item is left out only for a
    reason we state."
    """
    items = list(items)
    for item in items:
        _check_weight(item)
        if item.progress is not None and not (0.0 <= item.progress <= 1.0):
            raise RollupError(f"{item.key}: progress must be between 0 and 1, not {item.progress!r}.")
    counted = [i for i in items if not i.excluded_reason and i.progress is not None]
    total = math.fsum(i.weight for i in counted)
    progress = math.fsum(i.weight * i.progress for i in counted) / total if counted else None  # type: ignore[operator]
    contributions = []
    for item in items:
        if item.excluded_reason:
            inclusion: Inclusion = "excluded"
        elif item.progress is None and item.status == NO_PUBLIC_EVIDENCE:
            inclusion = "no_public_evidence"
        elif item.progress is None:
            inclusion = "not_assessed"
        else:
            inclusion = "included"
        contributions.append(Contribution(
            key=item.key, label=item.label or item.key, status=item.status, progress=item.progress,
            weight=item.weight, normalised_weight=item.weight / total if inclusion == "included" else 0.0,
            inclusion=inclusion, reason=item.excluded_reason,
        ))
    return Rollup(
        progress=progress,
        assessed=len(counted),
        not_assessed=sum(1 for c in contributions if c.inclusion == "not_assessed"),
        excluded=sum(1 for c in contributions if c.inclusion == "excluded"),
        total_weight=total,
        contributions=tuple(contributions),
        no_evidence=sum(1 for c in contributions if c.inclusion == "no_public_evidence"),
    )


def progress_by_status(vocabulary: Iterable[Any]) -> dict[str, float | None]:
    """Map status keys to their share of delivery from a vocabulary of terms or dicts (key, progress)."""
    out: dict[str, float | None] = {}
    for term in vocabulary:
        if isinstance(term, Mapping):
            out[str(term["key"])] = term.get("progress")
        else:
            out[str(term.key)] = term.progress
    return out


@dataclass(frozen=True)
class BodyInput:
    """One organisation a recommendation addresses, with the latest status each voice gave it."""

    organisation: str
    role: str = "lead"
    self_report: str | None = None
    assessment: str | None = None
    label: str = ""
    excluded_reason: str = ""
    self_report_progress: float | None = None
    assessment_progress: float | None = None
    # The named members of a group addressee, each with its own statuses (see GROUP_RULE_TEXT).
    members: tuple[BodyInput, ...] = ()


@dataclass(frozen=True)
class RecommendationInput:
    """A recommendation: its weight, its bodies and any assessment of the recommendation as a whole."""

    key: str
    bodies: tuple[BodyInput, ...] = ()
    weight: float = 1.0
    section: str = ""
    label: str = ""
    assessment: str | None = None
    excluded_reason: str = ""
    assessment_progress: float | None = None


@dataclass(frozen=True)
class BodyResult:
    """The status that counts for a body, the voice that gave it and any percentage that voice stated."""

    organisation: str
    role: str
    status: str
    voice: Voice | None
    stated_progress: float | None = None
    # For a group: each member's result and how the members were averaged.
    members: tuple[BodyResult, ...] = ()
    group: Rollup | None = None

    @property
    def answering(self) -> tuple[BodyResult, ...]:
        """The bodies that answer for themselves: the members of a group, or the body itself."""
        return self.members or (self,)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready record; a group adds its members and how they were averaged."""
        out: dict[str, Any] = {"organisation": self.organisation, "role": self.role, "status": self.status,
                               "voice": self.voice, "stated_progress": self.stated_progress}
        if self.members:
            out["members"] = [m.to_dict() for m in self.members]
            out["group"] = self.group.to_dict() if self.group is not None else None
        return out


@dataclass(frozen=True)
class RecommendationResult:
    key: str
    section: str
    bodies: tuple[BodyResult, ...]
    rollup: Rollup

    @property
    def progress(self) -> float | None:
        return self.rollup.progress


def body_effective_status(body: BodyInput, recommendation_assessment: str | None = None,
                          recommendation_assessment_progress: float | None = None) -> BodyResult:
    """The status that counts for a body, and which voice gave it.

    Rule: "We use the independent assessment of that organisation's delivery where there is one,
    then an independent assessment of the whole recommendation, and otherwise the organisation's
    own report."
    """
    for status, voice, stated in (
        (body.assessment, "independent_assessment", body.assessment_progress),
        (recommendation_assessment, "independent_assessment", recommendation_assessment_progress),
        (body.self_report, "self_report", body.self_report_progress),
    ):
        if status and status != NOT_ASSESSED:
            return BodyResult(body.organisation, body.role, status, voice, stated)  # type: ignore[arg-type]
    return BodyResult(body.organisation, body.role, NOT_ASSESSED, None)


def member_with_group_defaults(member: BodyInput, group: BodyInput) -> BodyInput:
    """A member's statuses, or the group's where the member has given none in either voice.

    Rule: "A status or response given to the group as a whole stands for every member that has none
    of its own." A member with any status of its own keeps its own: each council answers for itself.
    """
    def given(status: str | None) -> bool:
        return bool(status) and status != NOT_ASSESSED

    if given(member.self_report) or given(member.assessment):
        return replace(member, role=group.role)
    return replace(member, role=group.role, self_report=group.self_report,
                   self_report_progress=group.self_report_progress, assessment=group.assessment,
                   assessment_progress=group.assessment_progress)


def group_rollup(group: BodyInput, progress: Mapping[str, float | None], *, where: str = "",
                 recommendation_assessment: str | None = None,
                 recommendation_assessment_progress: float | None = None) -> BodyResult:
    """The result for a group addressee: each member's status and the plain mean of their shares.

    Rule: "The group's share of delivery is the plain average of its members' shares, each member
    counting equally; members not yet assessed are left out and counted separately ... The group's
    status is its members' status when every assessed member has the same one, and mixed otherwise."
    """
    where = where or group.organisation
    members = tuple(
        body_effective_status(member_with_group_defaults(m, group), recommendation_assessment,
                              recommendation_assessment_progress)
        for m in group.members
    )
    result = rollup(
        Item(key=m.organisation, label=src.label or m.organisation, status=m.status, weight=1.0,
             progress=_progress_of(m.status, progress, f"{where}/{m.organisation}", m.stated_progress))
        for m, src in zip(members, group.members, strict=True)
    )
    assessed = {c.status for c in result.contributions if c.inclusion == "included"}
    if not assessed:
        # Every member searched and nothing found counts as "no public evidence found" for the group.
        status = NO_PUBLIC_EVIDENCE if result.no_evidence else NOT_ASSESSED
    elif len(assessed) == 1:
        status = next(iter(assessed))  # type: ignore[assignment]
    else:
        status = GROUP_MIXED
    return BodyResult(group.organisation, group.role, status, None, result.progress, members=members, group=result)


def _progress_of(status: str, progress: Mapping[str, float | None], where: str,
                 stated: float | None = None) -> float | None:
    if status not in progress:
        raise RollupError(f"{where}: status {status!r} is not in the plan's vocabulary ({', '.join(progress)}).")
    # A stated percentage replaces the status's share, but never turns "not assessed" into a number.
    if progress[status] is None:
        return None
    return stated if stated is not None else progress[status]


def _role_weight(role: str, where: str) -> float:
    if role not in ROLE_WEIGHTS:
        raise RollupError(f"{where}: role {role!r} is not one of {', '.join(ROLE_WEIGHTS)}.")
    return ROLE_WEIGHTS[role]


def recommendation_rollup(rec: RecommendationInput, progress: Mapping[str, float | None]) -> RecommendationResult:
    """Progress of one recommendation from the statuses of its bodies.

    Rule: "A recommendation's progress is the weighted average of its organisations' shares: an
    organisation that leads counts twice as much as one that supports." A recommendation addressed
    to nobody takes its own independent assessment, if any.
    """
    bodies = tuple(
        group_rollup(b, progress, where=f"{rec.key}/{b.organisation}", recommendation_assessment=rec.assessment,
                     recommendation_assessment_progress=rec.assessment_progress)
        if b.members else body_effective_status(b, rec.assessment, rec.assessment_progress)
        for b in rec.bodies
    )
    if rec.bodies:
        items = [
            Item(key=b.organisation, label=src.label or b.organisation, status=b.status,
                 weight=_role_weight(b.role, f"{rec.key}/{b.organisation}"),
                 # A group's share is already its members' mean (None when none is assessed).
                 progress=(b.group.progress if b.group is not None
                           else _progress_of(b.status, progress, f"{rec.key}/{b.organisation}", b.stated_progress)),
                 excluded_reason=src.excluded_reason)
            for b, src in zip(bodies, rec.bodies, strict=True)
        ]
    else:
        status = rec.assessment or NOT_ASSESSED
        items = [Item(key=rec.key, label="the recommendation as a whole", status=status, weight=1.0,
                      progress=_progress_of(status, progress, rec.key, rec.assessment_progress))]
    return RecommendationResult(key=rec.key, section=rec.section, bodies=bodies, rollup=rollup(items))


def _recommendation_items(results: Sequence[tuple[RecommendationInput, RecommendationResult]]) -> list[Item]:
    return [
        Item(key=rec.key, label=rec.label or rec.key, weight=rec.weight, progress=result.progress,
             status=_recommendation_status(result), excluded_reason=rec.excluded_reason)
        for rec, result in results
    ]


def _recommendation_status(result: RecommendationResult) -> str | None:
    """A recommendation with nothing averaged but at least one body assessed as "no public evidence
    found" is counted as such one level up, not as "not assessed"."""
    if result.rollup.assessed == 0 and result.rollup.no_evidence:
        return NO_PUBLIC_EVIDENCE
    return None


@dataclass(frozen=True)
class PlanRollup:
    """The plan's progress, each section's and each recommendation's, and counts of statuses."""

    plan: Rollup
    sections: dict[str, Rollup]
    recommendations: dict[str, RecommendationResult]
    status_counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_dict(),
            "sections": {k: v.to_dict() for k, v in self.sections.items()},
            "recommendations": {
                k: {"progress": r.progress, "bodies": [b.to_dict() for b in r.bodies],
                    "rollup": r.rollup.to_dict()}
                for k, r in self.recommendations.items()
            },
            "status_counts": self.status_counts,
        }


def section_rollups(
    recs: Sequence[RecommendationInput], progress: Mapping[str, float | None]
) -> dict[str, Rollup]:
    """Progress of each section: the weighted mean of its recommendations, in first-seen order.

    Rule: "A section's progress ... [is a] weighted average of [its] recommendations' progress,
    using each recommendation's weight in the plan."
    """
    return plan_rollup(recs, progress).sections


def plan_rollup(recs: Sequence[RecommendationInput], progress: Mapping[str, float | None]) -> PlanRollup:
    """Progress of the plan over all its recommendations directly, plus sections and status counts.

    Rule: "the plan is averaged over all its recommendations, not over section averages."
    """
    results = [(rec, recommendation_rollup(rec, progress)) for rec in recs]
    sections: dict[str, list[tuple[RecommendationInput, RecommendationResult]]] = {}
    for rec, result in results:
        sections.setdefault(rec.section, []).append((rec, result))
    # Each member of a group is counted with its own status: every council answers for itself.
    counts: Counter[str] = Counter(
        answering.status for rec, result in results if not rec.excluded_reason
        for body in result.bodies for answering in body.answering
    )
    return PlanRollup(
        plan=rollup(_recommendation_items(results)),
        sections={key: rollup(_recommendation_items(group)) for key, group in sections.items()},
        recommendations={rec.key: result for rec, result in results},
        status_counts=dict(counts),
    )


@dataclass(frozen=True)
class StatusEvent:
    """A dated status given by one voice. ``organisation`` None: an assessment of the whole recommendation."""

    date: date
    recommendation: str
    organisation: str | None
    voice: Voice
    status: str
    progress: float | None = None


def plan_state_at(recs: Sequence[RecommendationInput], events: Iterable[StatusEvent], at: date,
                  progress: Mapping[str, float | None] | None = None) -> list[RecommendationInput]:
    """The recommendations with each voice's latest status on or before ``at`` filled in.

    Statuses already on the inputs are replaced: the events are the whole history. Events on the same
    day apply in the order given, so the later one wins. Given the vocabulary's ``progress``, a
    stalled status keeps the share that voice last reached (``progress_reached``).
    """
    latest: dict[tuple[str, str | None, str], StatusEvent] = {}
    for event in sorted((e for e in events if e.date <= at), key=lambda e: e.date):
        key = (event.recommendation, event.organisation, event.voice)
        if progress is not None and event.status == STALLED and event.progress is None:
            before = latest.get(key)
            reached = None if before is None else progress_reached(before.status, before.progress, None, progress)
            event = replace(event, progress=reached if reached is not None else 0.0)
        latest[key] = event

    def pick(rec: str, organisation: str | None, voice: str) -> tuple[str | None, float | None]:
        event = latest.get((rec, organisation, voice))
        return (event.status, event.progress) if event else (None, None)

    def body_at(rec: str, body: BodyInput) -> BodyInput:
        own, own_progress = pick(rec, body.organisation, "self_report")
        other, other_progress = pick(rec, body.organisation, "independent_assessment")
        return replace(body, self_report=own, self_report_progress=own_progress, assessment=other,
                       assessment_progress=other_progress, members=tuple(body_at(rec, m) for m in body.members))

    out = []
    for rec in recs:
        bodies = [body_at(rec.key, body) for body in rec.bodies]
        whole, whole_progress = pick(rec.key, None, "independent_assessment")
        out.append(replace(rec, bodies=tuple(bodies), assessment=whole, assessment_progress=whole_progress))
    return out


@dataclass(frozen=True)
class SeriesPoint:
    date: date
    progress: float | None
    assessed: int
    not_assessed: int
    excluded: int
    no_evidence: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.progress is None else round(self.progress * 100, 1)


def plan_progress_series(
    recs: Sequence[RecommendationInput],
    events: Iterable[StatusEvent],
    dates: Iterable[date],
    progress: Mapping[str, float | None],
) -> list[SeriesPoint]:
    """Plan-wide progress on each of ``dates``, from the dated status changes (for the chart).

    Each point applies the same rule as ``plan_rollup`` to the state as at that date.
    """
    events = sorted(events, key=lambda e: e.date)
    points = []
    # The state on a day depends only on how many (date-sorted) events came before it, so days with
    # no change in between share one computation.
    known: dict[int, Rollup] = {}
    for day in sorted(set(dates)):
        seen = sum(1 for e in events if e.date <= day)
        if seen not in known:
            known[seen] = plan_rollup(plan_state_at(recs, events[:seen], day, progress), progress).plan
        result = known[seen]
        points.append(SeriesPoint(day, result.progress, result.assessed, result.not_assessed, result.excluded,
                                  result.no_evidence))
    return points
