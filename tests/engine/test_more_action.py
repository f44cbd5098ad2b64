"""Each "where more action is needed" rule, at its boundary, and the worst-first ordering."""

from __future__ import annotations

from datetime import date, timedelta

from recovery_tracker.engine.more_action import (
    DEFAULT_CONFIG,
    ORDINAL_SCALE,
    RULES,
    BodyFacts,
    Config,
    FlaggedRecommendation,
    RecommendationFacts,
    Severity,
    assess,
    assess_all,
    rule_no_evidence_at_all,
    rule_no_recent_evidence,
    rule_no_response,
    rule_overdue,
    rule_stalled_or_reversed,
    rule_voices_disagree,
    worst_first,
)

TODAY = date(2024, 6, 1)
PLAN_DATE = date(2020, 7, 1)


def rec(**kwargs) -> RecommendationFacts:
    kwargs.setdefault("key", "r1")
    kwargs.setdefault("evidence_dates", (TODAY,))
    return RecommendationFacts(**kwargs)


def body(**kwargs) -> BodyFacts:
    kwargs.setdefault("organisation", "council")
    kwargs.setdefault("name", "Test Council")
    kwargs.setdefault("response", "accepted")
    return BodyFacts(**kwargs)


# no evidence at all

def test_no_evidence_at_all_is_a_finding():
    flags = rule_no_evidence_at_all(rec(evidence_dates=()), TODAY, DEFAULT_CONFIG)
    assert [f.rule for f in flags] == ["no_evidence_at_all"]
    assert rule_no_evidence_at_all(rec(), TODAY, DEFAULT_CONFIG) == []


# no recent evidence

def test_evidence_exactly_a_year_old_is_not_flagged():
    assert rule_no_recent_evidence(rec(evidence_dates=(TODAY - timedelta(days=365),)), TODAY, DEFAULT_CONFIG) == []


def test_evidence_a_year_and_a_day_old_is_flagged_with_its_date():
    old = TODAY - timedelta(days=366)
    flags = rule_no_recent_evidence(rec(evidence_dates=(old, old - timedelta(days=30))), TODAY, DEFAULT_CONFIG)
    assert [f.rule for f in flags] == ["no_recent_evidence"]
    assert "366 days ago" in flags[0].reason and "1 June 2023" in flags[0].reason


def test_evidence_age_is_configurable():
    recent = rec(evidence_dates=(TODAY - timedelta(days=31),))
    assert rule_no_recent_evidence(recent, TODAY, Config(evidence_max_age_days=30))
    assert not rule_no_recent_evidence(recent, TODAY, DEFAULT_CONFIG)


def test_no_evidence_gives_one_flag_not_two():
    rules = {f.rule for f in assess(rec(evidence_dates=()), today=TODAY)}
    assert "no_evidence_at_all" in rules and "no_recent_evidence" not in rules


# stalled or reversed

def test_stalled_body_is_flagged_with_the_organisation():
    flags = rule_stalled_or_reversed(rec(bodies=(body(self_report="stalled"),)), TODAY, DEFAULT_CONFIG)
    assert [(f.title, f.organisation, f.severity) for f in flags] == [("Stalled", "council", Severity.MEDIUM)]
    assert "Test Council" in flags[0].reason


def test_reversed_is_worse_than_stalled():
    flags = rule_stalled_or_reversed(rec(bodies=(body(assessment="reversed", self_report="delivered"),)),
                                     TODAY, DEFAULT_CONFIG)
    assert flags[0].severity == Severity.HIGH and "independent assessment" in flags[0].reason


def test_assessment_overrides_a_stalled_self_report():
    assert rule_stalled_or_reversed(rec(bodies=(body(self_report="stalled", assessment="in_progress"),)),
                                    TODAY, DEFAULT_CONFIG) == []


# overdue

def test_not_overdue_on_the_target_date():
    r = rec(bodies=(body(target_date=TODAY, self_report="in_progress"),))
    assert rule_overdue(r, TODAY, DEFAULT_CONFIG) == []


def test_overdue_the_day_after_the_target_date():
    r = rec(bodies=(body(target_date=TODAY - timedelta(days=1), self_report="in_progress"),))
    flags = rule_overdue(r, TODAY, DEFAULT_CONFIG)
    assert [f.rule for f in flags] == ["overdue"] and "31 May 2024" in flags[0].reason


def test_delivered_is_never_overdue():
    r = rec(bodies=(body(target_date=date(2021, 1, 1), self_report="delivered"),))
    assert rule_overdue(r, TODAY, DEFAULT_CONFIG) == []


# no response

def test_no_response_within_the_grace_period_is_not_flagged():
    r = rec(plan_published=PLAN_DATE, bodies=(body(response=None),))
    grace_end = PLAN_DATE + timedelta(days=DEFAULT_CONFIG.response_grace_days)
    assert rule_no_response(r, grace_end, DEFAULT_CONFIG) == []


def test_no_response_after_the_grace_period_is_flagged_per_body():
    r = rec(plan_published=PLAN_DATE, bodies=(body(response=None), body(organisation="wmca", response="noted"),
                                              body(organisation="lep", response="no_response")))
    day_after = PLAN_DATE + timedelta(days=DEFAULT_CONFIG.response_grace_days + 1)
    assert [f.organisation for f in rule_no_response(r, day_after, DEFAULT_CONFIG)] == ["council", "lep"]


# voices disagree

def test_one_step_apart_is_not_flagged():
    r = rec(bodies=(body(self_report="partly_delivered", assessment="in_progress"),))
    assert rule_voices_disagree(r, TODAY, DEFAULT_CONFIG) == []


def test_two_steps_apart_is_flagged():
    r = rec(bodies=(body(self_report="delivered", assessment="in_progress"),))
    flags = rule_voices_disagree(r, TODAY, DEFAULT_CONFIG)
    assert len(flags) == 1 and "2 steps" in flags[0].reason


def test_stalled_ranks_with_planned_and_reversed_with_not_started():
    assert ORDINAL_SCALE["stalled"] == ORDINAL_SCALE["planned"]
    assert ORDINAL_SCALE["reversed"] == ORDINAL_SCALE["not_started"]
    r = rec(bodies=(body(self_report="in_progress", assessment="stalled"),))
    assert rule_voices_disagree(r, TODAY, DEFAULT_CONFIG) == []
    r = rec(bodies=(body(self_report="planned", assessment="reversed"),))
    assert rule_voices_disagree(r, TODAY, DEFAULT_CONFIG) == []


def test_not_assessed_is_never_compared():
    r = rec(bodies=(body(self_report="delivered", assessment="not_assessed"),))
    assert rule_voices_disagree(r, TODAY, DEFAULT_CONFIG) == []


def test_recommendation_assessment_is_compared_with_each_self_report():
    r = rec(assessment="not_started", bodies=(body(self_report="in_progress"),))
    assert len(rule_voices_disagree(r, TODAY, DEFAULT_CONFIG)) == 1


# ordering

def test_every_rule_has_a_name_title_and_quoted_rule():
    assert len({r.name for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.title and rule.description


def test_flags_are_worst_first():
    r = rec(evidence_dates=(date(2020, 1, 1),), bodies=(body(self_report="reversed"),))
    flags = assess(r, today=TODAY)
    assert flags[0].rule == "stalled_or_reversed" and flags[-1].rule == "no_recent_evidence"


def test_recommendations_worst_first_then_plan_order():
    low = FlaggedRecommendation(rec(key="a", order=1), tuple(assess(rec(evidence_dates=(date(2020, 1, 1),)),
                                                                    today=TODAY)))
    high = FlaggedRecommendation(rec(key="b", order=2), tuple(assess(rec(bodies=(body(self_report="reversed"),)),
                                                                     today=TODAY)))
    clean = FlaggedRecommendation(rec(key="c", order=0), ())
    assert [i.recommendation.key for i in worst_first([low, high, clean])] == ["b", "a"]


def test_assess_all_skips_clean_recommendations():
    clean = rec(key="ok", plan_published=PLAN_DATE, bodies=(body(self_report="delivered"),))
    bad = rec(key="bad", evidence_dates=())
    assert [i.recommendation.key for i in assess_all([clean, bad], today=TODAY)] == ["bad"]


def test_readers_see_one_no_response_line_naming_every_silent_body():
    from recovery_tracker.engine.more_action import Flag, Severity, flags_for_reading

    def silent(slug, name):
        return Flag(rule="no_response", title="No response", reason=f"{name} has not recorded a response.",
                    severity=Severity.MEDIUM, organisation=slug, recommendation="1-a", subject=name)

    stalled = Flag(rule="stalled_or_reversed", title="Stalled", reason="x", severity=Severity.HIGH,
                   organisation="a", recommendation="1-a", subject="A")
    flags = [stalled, silent("a", "A"), silent("b", "B"), silent("c", "C")]
    reading = flags_for_reading(flags, plan_published=date(2020, 7, 6))
    assert reading[0] == stalled
    assert len(reading) == 2
    assert reading[1].reason == ("A, B and C have not recorded a response (accepted, partly accepted, rejected or "
                                 "noted) since the plan was published on 6 July 2020.")
    assert flags_for_reading(flags[:2], plan_published=None) == flags[:2]
