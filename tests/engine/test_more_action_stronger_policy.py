"""The "stronger policy needed" rules (one focused test each) and the grouping by body."""

from __future__ import annotations

from datetime import date, timedelta

from recovery_tracker.engine.more_action import (
    DEFAULT_CONFIG,
    STRONGER_POLICY,
    BodyFacts,
    Config,
    FlaggedRecommendation,
    RecommendationFacts,
    Severity,
    assess,
    assess_all,
    by_body,
    rule_not_started_long_after,
    rule_noted,
    rule_rejected,
)

TODAY = date(2024, 6, 1)
PLAN_DATE = date(2020, 7, 1)


def rec(*bodies: BodyFacts, key: str = "r1", published: date = PLAN_DATE) -> RecommendationFacts:
    return RecommendationFacts(key=key, plan_published=published, bodies=bodies, evidence_dates=(TODAY,))


def council(slug: str = "birmingham", **kwargs) -> BodyFacts:
    kwargs.setdefault("response", "accepted")
    return BodyFacts(organisation=slug, name=kwargs.pop("name", f"{slug.capitalize()} Council (TEST)"), **kwargs)


def test_a_rejection_raises_stronger_policy_needed_naming_the_body():
    flags = rule_rejected(rec(council(response="rejected", response_date=date(2023, 3, 3),
                                      response_reason="No budget")), TODAY, DEFAULT_CONFIG)
    assert len(flags) == 1
    flag = flags[0]
    assert flag.title == STRONGER_POLICY and flag.stronger_policy and flag.severity == Severity.HIGH
    assert flag.organisation == "birmingham" and flag.subject == "Birmingham Council (TEST)"
    assert flag.reason == ("Birmingham Council (TEST) rejected this recommendation (recorded for 3 March 2023). "
                           "Their reason: “No budget”")
    assert rule_rejected(rec(council(response="accepted")), TODAY, DEFAULT_CONFIG) == []


def test_a_rejected_recommendation_stays_in_where_more_action_is_needed():
    """The opposite of the old behaviour, where a formal answer silenced the only rule that looked at it."""
    found = assess_all([rec(council(response="rejected", self_report="in_progress"))], today=TODAY)
    assert [f.rule for f in found[0].flags] == ["rejected"]


def test_only_noting_raises_stronger_policy_needed():
    flags = rule_noted(rec(council(response="noted"), council("coventry")), TODAY, DEFAULT_CONFIG)
    assert [(f.organisation, f.title, f.severity) for f in flags] == [("birmingham", STRONGER_POLICY, Severity.MEDIUM)]
    assert "only noted this recommendation" in flags[0].reason


def test_not_started_long_after_the_plan_is_flagged_after_two_years_not_on_the_day():
    body = council(assessment="not_started")
    two_years = PLAN_DATE + timedelta(days=730)
    assert rule_not_started_long_after(rec(body), two_years, DEFAULT_CONFIG) == []
    flags = rule_not_started_long_after(rec(body), two_years + timedelta(days=1), DEFAULT_CONFIG)
    assert [f.title for f in flags] == [STRONGER_POLICY]
    assert "not started, according to the independent assessment, more than 2 years after" in flags[0].reason
    # Only "not started": a body in progress is not flagged, and the threshold is a setting.
    assert rule_not_started_long_after(rec(council(assessment="in_progress")), TODAY, DEFAULT_CONFIG) == []
    assert rule_not_started_long_after(rec(body), PLAN_DATE + timedelta(days=31), Config(not_started_after_days=30))


def test_stronger_policy_flags_come_first_among_equally_serious_flags():
    flags = assess(rec(council(response="noted", self_report="stalled")), today=TODAY)
    assert [f.rule for f in flags] == ["noted", "stalled_or_reversed"]


def test_by_body_ranks_bodies_and_leaves_out_flags_about_the_whole():
    items = assess_all([
        rec(council("birmingham", response="rejected"), council("coventry", response="noted"), key="a"),
        rec(council("coventry", response="noted"), council("dudley", self_report="stalled"), key="b"),
        RecommendationFacts(key="c", plan_published=PLAN_DATE, evidence_dates=()),
    ], today=TODAY)
    groups = by_body(items)
    assert [g.organisation for g in groups] == ["birmingham", "coventry", "dudley"]
    coventry = groups[1]
    assert coventry.recommendations == ("a", "b") and len(coventry.stronger_policy) == 2
    assert coventry.counts == [(STRONGER_POLICY, 2)]
    assert all(f.organisation for g in groups for f in g.flags)


def test_by_body_ranks_more_stronger_policy_flags_first_at_equal_severity():
    items = [FlaggedRecommendation(rec(key=k), tuple(assess(rec(*b, key=k), today=TODAY))) for k, b in (
        ("a", (council("walsall", response="noted"),)),
        ("b", (council("sandwell", response="noted"),)),
        ("c", (council("sandwell", response="noted"),)),
    )]
    assert [g.organisation for g in by_body(items)] == ["sandwell", "walsall"]
