"""The roll-up rule: normalised weights, "not assessed" left out, exclusions with reasons, as-at series."""

from __future__ import annotations

from datetime import date

import pytest

from recovery_tracker.engine.plan import DEFAULT_STATUS_VOCABULARY
from recovery_tracker.engine.rollup import (
    NOT_ASSESSED,
    RULE_TEXT,
    BodyInput,
    Item,
    RecommendationInput,
    RollupError,
    StatusEvent,
    body_effective_status,
    plan_progress_series,
    plan_rollup,
    plan_state_at,
    progress_by_status,
    recommendation_rollup,
    rollup,
    section_rollups,
)

PROGRESS = progress_by_status(DEFAULT_STATUS_VOCABULARY)


def test_weights_are_normalised_to_sum_to_one():
    result = rollup([Item("a", 3, 1.0), Item("b", 1, 0.0)])
    assert result.progress == pytest.approx(0.75)
    assert sum(c.normalised_weight for c in result.contributions) == pytest.approx(1.0)
    # Weights as percentages give the same answer as fractions: never a sum above 100 % (Decidim flaw 1).
    assert rollup([Item("a", 75, 1.0), Item("b", 25, 0.0)]).progress == pytest.approx(0.75)


def test_one_default_weight_does_not_switch_weights_off():
    """Decidim flaw 2: one sibling at weight 1.0 dropped all weights. Here weights always apply."""
    result = rollup([Item("a", 1.0, 1.0), Item("b", 3.0, 0.0)])
    assert result.progress == pytest.approx(0.25)


def test_not_assessed_is_left_out_and_counted_separately():
    result = rollup([Item("a", 1, 1.0), Item("b", 1, None, status=NOT_ASSESSED)])
    assert result.progress == 1.0
    assert (result.assessed, result.not_assessed, result.excluded) == (1, 1, 0)
    b = result.contributions[1]
    assert b.inclusion == "not_assessed" and b.normalised_weight == 0


def test_nothing_assessed_is_not_assessed_not_zero():
    result = rollup([Item("a", 1, None), Item("b", 2, None)])
    assert result.progress is None and result.percent is None
    assert result.not_assessed == 2


def test_an_exclusion_needs_a_reason_and_is_recorded():
    result = rollup([Item("a", 1, 0.0, excluded_reason="Superseded by national policy"), Item("b", 1, 0.5)])
    assert result.progress == 0.5
    assert result.excluded == 1
    assert result.exclusions[0].reason == "Superseded by national policy"


@pytest.mark.parametrize("weight", [0, -1, float("nan"), float("inf")])
def test_weight_must_be_a_positive_number(weight):
    with pytest.raises(RollupError, match="weight must be a positive number"):
        rollup([Item("a", weight, 0.5)])


def test_progress_out_of_range_is_refused():
    with pytest.raises(RollupError, match="between 0 and 1"):
        rollup([Item("a", 1, 1.5)])


def test_every_input_is_recorded():
    result = rollup([Item("a", 2, 0.4, label="A", status="in_progress"), Item("b", 1, None)])
    first = result.contributions[0]
    assert (first.key, first.label, first.status, first.progress, first.weight) == ("a", "A", "in_progress", 0.4, 2)
    assert result.to_dict()["contributions"][1]["inclusion"] == "not_assessed"


def test_independent_assessment_wins_over_self_report():
    body = BodyInput("council", self_report="delivered", assessment="in_progress")
    assert body_effective_status(body).status == "in_progress"
    assert body_effective_status(body).voice == "independent_assessment"


def test_recommendation_assessment_applies_to_bodies_without_their_own():
    body = BodyInput("council", self_report="delivered")
    result = body_effective_status(body, recommendation_assessment="planned")
    assert (result.status, result.voice) == ("planned", "independent_assessment")


def test_self_report_used_when_no_assessment():
    result = body_effective_status(BodyInput("council", self_report="planned", assessment=NOT_ASSESSED))
    assert (result.status, result.voice) == ("planned", "self_report")


def test_lead_bodies_weigh_twice_support():
    rec = RecommendationInput("r1", bodies=(
        BodyInput("lead", role="lead", self_report="delivered"),
        BodyInput("helper", role="support", self_report="not_started"),
    ))
    assert recommendation_rollup(rec, PROGRESS).progress == pytest.approx(2 / 3)


def test_not_started_counts_as_zero_but_not_assessed_does_not():
    started = RecommendationInput("r", bodies=(BodyInput("a", self_report="delivered"),
                                               BodyInput("b", self_report="not_started")))
    unknown = RecommendationInput("r", bodies=(BodyInput("a", self_report="delivered"), BodyInput("b")))
    assert recommendation_rollup(started, PROGRESS).progress == pytest.approx(0.5)
    assert recommendation_rollup(unknown, PROGRESS).progress == pytest.approx(1.0)


def test_unknown_status_is_refused_with_where():
    rec = RecommendationInput("r1", bodies=(BodyInput("council", self_report="done"),))
    with pytest.raises(RollupError, match="r1/council: status 'done'"):
        recommendation_rollup(rec, PROGRESS)


def test_recommendation_without_bodies_uses_its_assessment():
    rec = RecommendationInput("r1", assessment="partly_delivered")
    assert recommendation_rollup(rec, PROGRESS).progress == pytest.approx(0.7)
    assert recommendation_rollup(RecommendationInput("r2"), PROGRESS).progress is None


def _plan() -> list[RecommendationInput]:
    return [
        RecommendationInput("1-a", section="1", weight=1, bodies=(BodyInput("x", self_report="delivered"),)),
        RecommendationInput("1-b", section="1", weight=1, bodies=(BodyInput("x", self_report="not_started"),)),
        RecommendationInput("1-c", section="1", weight=1, bodies=(BodyInput("x"),)),
        RecommendationInput("2-a", section="2", weight=1, bodies=(BodyInput("y", self_report="in_progress"),)),
    ]


def test_plan_is_averaged_over_recommendations_not_section_means():
    result = plan_rollup(_plan(), PROGRESS)
    # Recommendations: 1.0, 0.0, (not assessed), 0.4 -> (1.0 + 0.0 + 0.4) / 3.
    assert result.plan.progress == pytest.approx(1.4 / 3)
    assert result.plan.not_assessed == 1
    # A mean of section means would give (0.5 + 0.4) / 2 = 0.45.
    assert result.sections["1"].progress == pytest.approx(0.5)
    assert result.sections["2"].progress == pytest.approx(0.4)
    assert result.status_counts == {"delivered": 1, "not_started": 1, NOT_ASSESSED: 1, "in_progress": 1}


def test_section_rollups_match_plan_sections():
    assert section_rollups(_plan(), PROGRESS)["1"].progress == pytest.approx(0.5)


def test_recommendation_weights_apply_in_plan():
    recs = _plan()[:2]
    recs[0] = RecommendationInput("1-a", section="1", weight=3, bodies=recs[0].bodies)
    assert plan_rollup(recs, PROGRESS).plan.progress == pytest.approx(0.75)


def test_excluded_recommendation_is_listed_with_reason():
    recs = _plan()
    recs[1] = RecommendationInput("1-b", section="1", bodies=recs[1].bodies, excluded_reason="Withdrawn by the TUC")
    result = plan_rollup(recs, PROGRESS)
    assert result.plan.progress == pytest.approx(0.7)
    assert [c.key for c in result.plan.exclusions] == ["1-b"]


def test_state_as_at_a_date_uses_latest_status_on_or_before():
    recs = [RecommendationInput("r", bodies=(BodyInput("x"),))]
    events = [
        StatusEvent(date(2021, 1, 1), "r", "x", "self_report", "planned"),
        StatusEvent(date(2022, 1, 1), "r", "x", "self_report", "delivered"),
        StatusEvent(date(2021, 6, 1), "r", "x", "independent_assessment", "in_progress"),
        StatusEvent(date(2021, 3, 1), "r", None, "independent_assessment", "stalled"),
    ]
    at = plan_state_at(recs, events, date(2021, 12, 31))[0]
    assert at.bodies[0].self_report == "planned"
    assert at.bodies[0].assessment == "in_progress"
    assert at.assessment == "stalled"
    before = plan_state_at(recs, events, date(2020, 12, 31))[0]
    assert before.bodies[0].self_report is None and before.assessment is None


def test_same_day_events_later_one_wins():
    recs = [RecommendationInput("r", bodies=(BodyInput("x"),))]
    events = [StatusEvent(date(2021, 1, 1), "r", "x", "self_report", "planned"),
              StatusEvent(date(2021, 1, 1), "r", "x", "self_report", "delivered")]
    assert plan_state_at(recs, events, date(2021, 1, 1))[0].bodies[0].self_report == "delivered"


def test_plan_progress_series_over_dates():
    recs = [RecommendationInput("r1", bodies=(BodyInput("x"),)), RecommendationInput("r2", bodies=(BodyInput("y"),))]
    events = [
        StatusEvent(date(2021, 1, 1), "r1", "x", "self_report", "in_progress"),
        StatusEvent(date(2022, 1, 1), "r2", "y", "self_report", "delivered"),
        StatusEvent(date(2023, 1, 1), "r1", "x", "independent_assessment", "delivered"),
    ]
    dates = [date(2020, 12, 31), date(2021, 6, 30), date(2022, 6, 30), date(2023, 6, 30)]
    series = plan_progress_series(recs, events, dates, PROGRESS)
    assert [p.progress for p in series] == [None, pytest.approx(0.4), pytest.approx(0.7), pytest.approx(1.0)]
    assert [p.not_assessed for p in series] == [2, 1, 0, 0]
    assert series[1].percent == 40.0


def test_rule_text_states_the_rule():
    for phrase in ("add up to one", "never counted as 0%", "counted separately", "reason", "twice"):
        assert phrase in RULE_TEXT


def test_a_stated_percentage_replaces_the_status_share():
    rec = RecommendationInput("r", bodies=(BodyInput("x", self_report="in_progress", self_report_progress=0.9),))
    assert recommendation_rollup(rec, PROGRESS).progress == pytest.approx(0.9)


def test_a_stated_percentage_never_makes_not_assessed_a_number():
    rec = RecommendationInput("r", assessment=NOT_ASSESSED, assessment_progress=0.5)
    assert recommendation_rollup(rec, PROGRESS).progress is None


def test_events_carry_stated_percentages_into_the_state():
    recs = [RecommendationInput("r", bodies=(BodyInput("x"),))]
    events = [StatusEvent(date(2021, 1, 1), "r", "x", "self_report", "in_progress", progress=0.6)]
    state = plan_state_at(recs, events, date(2021, 1, 1))
    assert plan_rollup(state, PROGRESS).plan.progress == pytest.approx(0.6)
