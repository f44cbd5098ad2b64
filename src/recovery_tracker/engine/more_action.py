"""Where more action is needed: the rules that flag a recommendation, each with a name and a reason.

The seed asks for an update "to help see where more action and stronger policies are needed".
Each rule below is a small named function whose docstring quotes the rule; ``RULES`` lists them in
the order a reader meets them. A rule returns zero or more ``Flag`` values, each with a plain
reason naming the organisation, the dates and the statuses that triggered it.

Decisions a reader may want to check (see ``docs/methodology/rollup-and-flags.md``):

* **Ordinal scale** for "the two voices disagree": not started (0) < planned (1) < in progress (2)
  < partly delivered (3) < delivered (4). *Stalled* sits at 1, level with planned: something was
  begun but is not moving. *Reversed* sits at 0, level with not started: what was done has been
  undone. "Not assessed" and statuses outside the scale are never compared.
* **No response**: a body that has recorded no response (accepted, partly accepted, rejected,
  noted) once ``response_grace_days`` (default 90) have passed since the plan was published. The UK
  Government's convention is to answer a select committee report within two months; three months
  allows for bodies the plan did not formally ask.
* **Overdue**: a body's current target date is before today and its status is not delivered. On
  the target date itself it is not yet overdue.
* **No recent evidence**: the latest published evidence is more than ``evidence_max_age_days``
  (default 365) days old. Exactly 365 days old is not flagged. A recommendation with no evidence at
  all gets the "no evidence at all" flag instead, so the two never both appear.
* **Stronger policy needed**: a body that rejected or only noted a recommendation, or whose status
  is still "not started" more than ``not_started_after_days`` (default 730, two years) after the
  plan was published. These are the places the plan asks to see, "where ... stronger policies are
  needed"; each flag names the body (``STRONGER_POLICY_RULES``).
* **Groups**: a recommendation addressed to a group whose members are named (the seven councils
  for "local authorities") is judged per member: callers pass one ``BodyFacts`` per member, with
  ``group`` naming the group.

To add a rule: write a ``rule_...`` function ``(rec, today, config) -> list[Flag]`` whose docstring
quotes the rule, give it one focused test, and add it to ``RULES`` (and to ``__all__``).

No Django here: callers pass plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

from recovery_tracker.engine.formatting import day

__all__ = [
    "DEFAULT_CONFIG",
    "ORDINAL_SCALE",
    "RULES",
    "STRONGER_POLICY",
    "STRONGER_POLICY_RULES",
    "BodyFacts",
    "BodyFlags",
    "Config",
    "Flag",
    "FlaggedRecommendation",
    "RecommendationFacts",
    "Rule",
    "Severity",
    "assess",
    "assess_all",
    "by_body",
    "effective_status",
    "flags_for_reading",
    "flags_worst_first",
    "rule_no_evidence_at_all",
    "rule_no_recent_evidence",
    "rule_no_response",
    "rule_noted",
    "rule_not_started_long_after",
    "rule_overdue",
    "rule_rejected",
    "rule_request_overdue",
    "rule_stalled_or_reversed",
    "rule_voices_disagree",
    "worst_first",
]

NOT_ASSESSED = "not_assessed"
DELIVERED = "delivered"
# A response that counts as an answer; anything else (blank, "no_response") is no answer.
ANSWERED_RESPONSES = frozenset({"accepted", "partly_accepted", "rejected", "noted"})

ORDINAL_SCALE: Mapping[str, int] = {
    "reversed": 0,
    "not_started": 0,
    "planned": 1,
    "stalled": 1,
    "in_progress": 2,
    "partly_delivered": 3,
    "delivered": 4,
}


class Severity(IntEnum):
    """How urgent a flag is; a higher number is worse."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Config:
    """The thresholds the rules use; each can be changed in settings."""

    evidence_max_age_days: int = 365
    response_grace_days: int = 90
    disagreement_steps: int = 2
    not_started_after_days: int = 730


DEFAULT_CONFIG = Config()


@dataclass(frozen=True)
class BodyFacts:
    """What is published about one organisation's part in a recommendation."""

    organisation: str
    name: str = ""
    role: str = "lead"
    response: str | None = None
    response_date: date | None = None
    response_reason: str = ""
    self_report: str | None = None
    self_report_date: date | None = None
    assessment: str | None = None
    assessment_date: date | None = None
    target_date: date | None = None
    # The group addressee this body answers as a member of ("local authorities"), if any.
    group: str = ""
    # The oldest request for a response still unanswered: when it was sent and its reply deadline.
    request_asked: date | None = None
    request_deadline: date | None = None

    @property
    def label(self) -> str:
        return self.name or self.organisation


@dataclass(frozen=True)
class RecommendationFacts:
    """What is published about one recommendation, as at ``today``."""

    key: str
    title: str = ""
    plan_published: date | None = None
    bodies: tuple[BodyFacts, ...] = ()
    evidence_dates: tuple[date, ...] = ()
    assessment: str | None = None
    assessment_date: date | None = None
    order: int = 0


@dataclass(frozen=True)
class Flag:
    """One reason a recommendation needs more action, shown to the reader."""

    rule: str
    title: str
    reason: str
    severity: Severity
    organisation: str | None = None
    recommendation: str = ""
    # The body's name as shown to readers, where the flag is about one body.
    subject: str = ""

    @property
    def stronger_policy(self) -> bool:
        """One of the flags that says stronger policy is needed from the body it names."""
        return self.rule in STRONGER_POLICY_RULES


STRONGER_POLICY = "Stronger policy needed"


def _label(status: str) -> str:
    return status.replace("_", " ")


def effective_status(body: BodyFacts, rec: RecommendationFacts) -> tuple[str | None, str]:
    """The status that counts for a body and who gave it: the same order as the roll-up rule."""
    if body.assessment and body.assessment != NOT_ASSESSED:
        return body.assessment, "the independent assessment"
    if rec.assessment and rec.assessment != NOT_ASSESSED:
        return rec.assessment, "the independent assessment of the recommendation"
    if body.self_report and body.self_report != NOT_ASSESSED:
        return body.self_report, f"{body.label}'s own report"
    return None, ""


def rule_no_evidence_at_all(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """No evidence at all: "Every recommendation with no evidence at all is itself a finding"."""
    if rec.evidence_dates:
        return []
    return [Flag(
        rule="no_evidence_at_all", title="No evidence at all", severity=Severity.MEDIUM, recommendation=rec.key,
        reason="Nothing has been published about what has been done on this recommendation.",
    )]


def rule_no_recent_evidence(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """No published evidence for a year: the latest evidence is more than ``evidence_max_age_days`` old."""
    past = [d for d in rec.evidence_dates if d <= today]
    if not past:
        return []
    latest = max(past)
    age = (today - latest).days
    if age <= config.evidence_max_age_days:
        return []
    return [Flag(
        rule="no_recent_evidence", title="No recent evidence", severity=Severity.LOW, recommendation=rec.key,
        reason=(f"The latest published evidence is dated {day(latest)}, {age} days ago; "
                f"we flag anything older than {config.evidence_max_age_days} days."),
    )]


def rule_stalled_or_reversed(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """Stalled or reversed: a body's current status is "stalled" or "reversed"."""
    flags = []
    for body in rec.bodies:
        status, source = effective_status(body, rec)
        if status in ("stalled", "reversed"):
            flags.append(Flag(
                rule="stalled_or_reversed", title="Reversed" if status == "reversed" else "Stalled",
                severity=Severity.HIGH if status == "reversed" else Severity.MEDIUM,
                organisation=body.organisation, recommendation=rec.key, subject=body.label,
                reason=f"{body.label}: delivery is {_label(status)}, according to {source}.",
            ))
    if not rec.bodies and rec.assessment in ("stalled", "reversed"):
        flags.append(Flag(
            rule="stalled_or_reversed", title=_label(rec.assessment).capitalize(), recommendation=rec.key,
            severity=Severity.HIGH if rec.assessment == "reversed" else Severity.MEDIUM,
            reason=f"Delivery is {_label(rec.assessment)}, according to the independent assessment.",
        ))
    return flags


def rule_overdue(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """Overdue: "a date that passes without delivery makes the item overdue" (the day after the target date)."""
    flags = []
    for body in rec.bodies:
        if body.target_date is None or body.target_date >= today:
            continue
        status, _source = effective_status(body, rec)
        if status == DELIVERED:
            continue
        flags.append(Flag(
            rule="overdue", title="Overdue", severity=Severity.HIGH, organisation=body.organisation,
            recommendation=rec.key, subject=body.label,
            reason=(f"{body.label} set a target date of {day(body.target_date)}; it has passed and delivery "
                    f"is {_label(status) if status else 'not assessed'}."),
        ))
    return flags


def rule_no_response(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """No response from a body: no recorded response ``response_grace_days`` after the plan was published."""
    if rec.plan_published is None or today <= rec.plan_published + timedelta(days=config.response_grace_days):
        return []
    return [
        Flag(
            rule="no_response", title="No response", severity=Severity.MEDIUM, organisation=body.organisation,
            recommendation=rec.key, subject=body.label,
            reason=(f"{body.label} has not recorded a response (accepted, partly accepted, rejected or noted) "
                    f"since the plan was published on {day(rec.plan_published)}."),
        )
        for body in rec.bodies
        if body.response not in ANSWERED_RESPONSES
    ]


def rule_request_overdue(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """Request for a response overdue: the body was asked for its response and has not replied by
    the deadline (28 days unless the request says otherwise); overdue from the day after it."""
    return [
        Flag(
            rule="request_overdue", title="Asked and not answered", severity=Severity.MEDIUM,
            organisation=body.organisation, recommendation=rec.key, subject=body.label,
            reason=(f"{body.label} was asked for its response on {day(body.request_asked)} and has not "
                    f"replied by the deadline of {day(body.request_deadline)}."),
        )
        for body in rec.bodies
        if body.request_asked is not None and body.request_deadline is not None and body.request_deadline < today
    ]


def rule_voices_disagree(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """Voices disagree: "self-report and independent assessment disagree by two steps or more"."""
    flags = []
    for body in rec.bodies:
        own = body.self_report
        other = body.assessment if body.assessment and body.assessment != NOT_ASSESSED else rec.assessment
        if own not in ORDINAL_SCALE or other not in ORDINAL_SCALE:
            continue
        steps = abs(ORDINAL_SCALE[own] - ORDINAL_SCALE[other])  # type: ignore[index]
        if steps < config.disagreement_steps:
            continue
        flags.append(Flag(
            rule="voices_disagree", title="Own report and independent assessment disagree",
            severity=Severity.MEDIUM, organisation=body.organisation, recommendation=rec.key, subject=body.label,
            reason=(f"{body.label} reports {_label(own)}; the independent assessment says "  # type: ignore[arg-type]
                    f"{_label(other)} ({steps} steps apart on the scale not started, planned, in progress, "  # type: ignore[arg-type]
                    "partly delivered, delivered)."),
        ))
    return flags


def _response_flag(rec: RecommendationFacts, body: BodyFacts, rule: str, verb: str, severity: Severity) -> Flag:
    when = f" (recorded for {day(body.response_date)})" if body.response_date else ""
    why = f" Their reason: “{body.response_reason.strip()}”" if body.response_reason.strip() else ""
    return Flag(
        rule=rule, title=STRONGER_POLICY, severity=severity, organisation=body.organisation,
        recommendation=rec.key, subject=body.label,
        reason=f"{body.label} {verb} this recommendation{when}.{why}".rstrip(),
    )


def rule_rejected(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """Rejected: a body that formally rejects a recommendation is where "stronger policies are needed"."""
    return [_response_flag(rec, body, "rejected", "rejected", Severity.HIGH)
            for body in rec.bodies if body.response == "rejected"]


def rule_noted(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """Noted: a body that only "noted" a recommendation has not committed to it, so stronger policy is needed."""
    return [_response_flag(rec, body, "noted", "only noted", Severity.MEDIUM)
            for body in rec.bodies if body.response == "noted"]


def rule_not_started_long_after(rec: RecommendationFacts, today: date, config: Config) -> list[Flag]:
    """Not started long after the plan: a body's status is "not started" more than ``not_started_after_days``
    (default 730, two years) after the plan was published."""
    if rec.plan_published is None:
        return []
    years = config.not_started_after_days / 365
    if today <= rec.plan_published + timedelta(days=config.not_started_after_days):
        return []
    flags = []
    for body in rec.bodies:
        status, source = effective_status(body, rec)
        if status != "not_started":
            continue
        flags.append(Flag(
            rule="not_started_long_after", title=STRONGER_POLICY, severity=Severity.MEDIUM,
            organisation=body.organisation, recommendation=rec.key, subject=body.label,
            reason=(f"{body.label}: not started, according to {source}, more than {years:g} years after the "
                    f"plan was published on {day(rec.plan_published)}."),
        ))
    return flags


RuleFunction = Callable[[RecommendationFacts, date, Config], list[Flag]]


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    check: RuleFunction = field(repr=False)

    @property
    def description(self) -> str:
        return (self.check.__doc__ or "").strip()


RULES: tuple[Rule, ...] = (
    Rule("rejected", "Stronger policy needed: rejected", rule_rejected),
    Rule("not_started_long_after", "Stronger policy needed: not started long after the plan",
         rule_not_started_long_after),
    Rule("noted", "Stronger policy needed: only noted", rule_noted),
    Rule("stalled_or_reversed", "Stalled or reversed", rule_stalled_or_reversed),
    Rule("overdue", "Overdue", rule_overdue),
    Rule("no_response", "No response", rule_no_response),
    Rule("request_overdue", "Asked and not answered", rule_request_overdue),
    Rule("voices_disagree", "Own report and independent assessment disagree", rule_voices_disagree),
    Rule("no_evidence_at_all", "No evidence at all", rule_no_evidence_at_all),
    Rule("no_recent_evidence", "No recent evidence", rule_no_recent_evidence),
)


# The rules whose flags say stronger policy is needed from the body named (see the module docstring).
STRONGER_POLICY_RULES = frozenset({"rejected", "noted", "not_started_long_after"})


def _join_names(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def flags_for_reading(flags: Sequence[Flag], *, plan_published: date | None) -> list[Flag]:
    """The flags as a reader sees them: one "No response" line naming every body that has not answered.

    Most body–recommendation pairs have no recorded response yet; the same sentence once per body
    turned the page and the printed report into walls of repeats. Other flags pass through unchanged,
    in their order; the merged line takes the place of the first "No response" flag.
    """
    silent = [flag for flag in flags if flag.rule == "no_response" and flag.subject]
    if len(silent) < 2:
        return list(flags)
    since = f" since the plan was published on {day(plan_published)}" if plan_published else ""
    merged = Flag(
        rule="no_response", title=silent[0].title, severity=silent[0].severity, organisation=None,
        recommendation=silent[0].recommendation, subject=_join_names([flag.subject for flag in silent]),
        reason=(f"{_join_names([flag.subject for flag in silent])} have not recorded a response "
                f"(accepted, partly accepted, rejected or noted){since}."),
    )
    reading: list[Flag] = []
    for flag in flags:
        if flag not in silent:
            reading.append(flag)
        elif merged not in reading:
            reading.append(merged)
    return reading


def flags_worst_first(flags: Iterable[Flag]) -> list[Flag]:
    """Flags ordered by severity (worst first), then by the order of ``RULES``, then organisation."""
    rank = {rule.name: i for i, rule in enumerate(RULES)}
    return sorted(flags, key=lambda f: (-f.severity, rank.get(f.rule, len(rank)), f.organisation or ""))


def assess(rec: RecommendationFacts, *, today: date, config: Config = DEFAULT_CONFIG,
           rules: Sequence[Rule] = RULES) -> list[Flag]:
    """Every flag the rules raise for one recommendation, worst first."""
    return flags_worst_first(flag for rule in rules for flag in rule.check(rec, today, config))


@dataclass(frozen=True)
class FlaggedRecommendation:
    recommendation: RecommendationFacts
    flags: tuple[Flag, ...]

    @property
    def worst(self) -> Severity:
        return max(f.severity for f in self.flags)


def worst_first(items: Iterable[FlaggedRecommendation]) -> list[FlaggedRecommendation]:
    """Recommendations with flags, worst first: highest severity, then most serious flags, then plan order."""
    return sorted(
        (i for i in items if i.flags),
        key=lambda i: (-i.worst, -sum(int(f.severity) for f in i.flags), i.recommendation.order,
                       i.recommendation.key),
    )


def assess_all(recs: Iterable[RecommendationFacts], *, today: date,
               config: Config = DEFAULT_CONFIG) -> list[FlaggedRecommendation]:
    """Assess every recommendation and return those with flags, worst first."""
    return worst_first(FlaggedRecommendation(rec, tuple(assess(rec, today=today, config=config))) for rec in recs)


@dataclass(frozen=True)
class BodyFlags:
    """Every flag that names one body, across recommendations, worst first."""

    organisation: str
    name: str
    flags: tuple[Flag, ...]

    @property
    def worst(self) -> Severity:
        return max(f.severity for f in self.flags)

    @property
    def stronger_policy(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.stronger_policy)

    @property
    def recommendations(self) -> tuple[str, ...]:
        """The recommendations flagged for this body, in the order of their worst flag."""
        return tuple(dict.fromkeys(f.recommendation for f in self.flags))

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many flags of each title, in the order of ``RULES``."""
        titles = [f.title for f in self.flags]
        return [(title, titles.count(title)) for title in dict.fromkeys(titles)]


def by_body(items: Iterable[FlaggedRecommendation]) -> list[BodyFlags]:
    """The flags grouped by the body they name, the bodies most in need of action first.

    Rule: "Bodies are ranked by their most serious flag, then by how many stronger-policy flags they
    have, then by the total severity of all their flags, then by name." Flags about a recommendation
    as a whole (no evidence at all, no recent evidence) name no body and are left out here.
    """
    grouped: dict[str, list[Flag]] = {}
    names: dict[str, str] = {}
    for item in items:
        for flag in item.flags:
            if flag.organisation is None:
                continue
            grouped.setdefault(flag.organisation, []).append(flag)
            names.setdefault(flag.organisation, flag.subject or flag.organisation)
    bodies = [BodyFlags(org, names[org], tuple(flags_worst_first(flags))) for org, flags in grouped.items()]
    return sorted(bodies, key=lambda b: (-b.worst, -len(b.stronger_policy),
                                         -sum(int(f.severity) for f in b.flags), b.name))
