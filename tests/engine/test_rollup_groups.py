"""Group addressees tracked per member, and stalled keeping the progress last reached.

The first test is the worked example in docs/methodology/rollup-and-flags.md ("Groups: each council
answers for itself"); if this test changes, change the page with it.
"""

from datetime import date

import pytest

from recovery_tracker.engine.plan import DEFAULT_STATUS_VOCABULARY
from recovery_tracker.engine.rollup import (
    GROUP_MIXED,
    NOT_ASSESSED,
    BodyInput,
    RecommendationInput,
    StatusEvent,
    group_rollup,
    member_with_group_defaults,
    plan_progress_series,
    plan_rollup,
    plan_state_at,
    progress_by_status,
    progress_reached,
    recommendation_rollup,
)

PROGRESS = progress_by_status(DEFAULT_STATUS_VOCABULARY)


def _councils(**statuses):
    """The seven councils, each with the (voice, status, stated progress) given for it."""
    names = ("birmingham", "coventry", "dudley", "sandwell", "solihull", "walsall", "wolverhampton")
    members = []
    for name in names:
        voice, status, stated = statuses.get(name, (None, None, None))
        members.append(BodyInput(
            organisation=name, label=name.capitalize(),
            self_report=status if voice == "own" else None,
            self_report_progress=stated if voice == "own" else None,
            assessment=status if voice == "assessment" else None,
            assessment_progress=stated if voice == "assessment" else None,
        ))
    return tuple(members)


WORKED_EXAMPLE = dict(
    birmingham=("assessment", "delivered", None),
    coventry=("own", "in_progress", None),
    # Dudley reported in progress (40%) and later stalled: it keeps the 40% it reached.
    dudley=("own", "stalled", 0.4),
    sandwell=("assessment", "not_started", None),
    solihull=("own", "partly_delivered", None),
)


def _worked_example(group_assessment=None):
    group = BodyInput(organisation="local-authorities", role="lead", label="Local authorities",
                      assessment=group_assessment, members=_councils(**WORKED_EXAMPLE))
    wmca = BodyInput(organisation="wmca", role="lead", label="WMCA", self_report="in_progress")
    return RecommendationInput(key="x-TEST", bodies=(wmca, group))


def test_worked_example_from_the_methodology_page():
    result = recommendation_rollup(_worked_example(), PROGRESS)
    wmca, group = result.bodies
    # Five councils assessed: (100 + 40 + 40 + 0 + 70) / 5 = 50%; Walsall and Wolverhampton left out.
    assert group.group.progress == pytest.approx(0.5)
    assert (group.group.assessed, group.group.not_assessed) == (5, 2)
    assert [c.normalised_weight for c in group.group.contributions] == pytest.approx([0.2] * 5 + [0, 0])
    assert group.status == GROUP_MIXED
    # The group counts once, as one lead body: (2 × 40% + 2 × 50%) / 4 = 45%.
    assert result.rollup.progress == pytest.approx(0.45)
    assert result.rollup.percent == 45
    assert [c.weight for c in result.rollup.contributions] == [2.0, 2.0]


def test_worked_example_a_group_assessment_stands_for_the_silent_members_only():
    result = recommendation_rollup(_worked_example(group_assessment="planned"), PROGRESS)
    group = result.bodies[1]
    by_member = {m.organisation: m.status for m in group.members}
    # Walsall and Wolverhampton had nothing of their own; the others keep their own statuses.
    assert by_member["walsall"] == by_member["wolverhampton"] == "planned"
    assert by_member["coventry"] == "in_progress" and by_member["birmingham"] == "delivered"
    # (250 + 10 + 10) / 7 = 38.6%; the recommendation (2 × 40 + 2 × 38.6) / 4 = 39.3%.
    assert group.group.progress == pytest.approx(270 / 700)
    assert result.rollup.percent == 39


def test_a_group_with_no_member_assessed_is_not_assessed_not_zero():
    group = BodyInput(organisation="la", members=_councils())
    result = group_rollup(group, PROGRESS)
    assert result.status == NOT_ASSESSED and result.group.progress is None
    rec = recommendation_rollup(RecommendationInput(key="r", bodies=(group,)), PROGRESS)
    assert rec.rollup.progress is None and rec.rollup.not_assessed == 1


def test_members_who_agree_give_the_group_their_status():
    group = BodyInput(organisation="la", members=_councils(birmingham=("own", "planned", None),
                                                              coventry=("assessment", "planned", None)))
    assert group_rollup(group, PROGRESS).status == "planned"


def test_a_member_with_its_own_status_ignores_the_group_status():
    member = BodyInput(organisation="birmingham", self_report="in_progress")
    group = BodyInput(organisation="la", role="support", assessment="delivered")
    kept = member_with_group_defaults(member, group)
    assert kept.self_report == "in_progress" and kept.assessment is None and kept.role == "support"


def test_status_counts_count_each_member():
    result = plan_rollup([_worked_example()], PROGRESS)
    assert sum(result.status_counts.values()) == 8  # the WMCA and seven councils
    assert result.status_counts[NOT_ASSESSED] == 2


def test_series_follow_each_member():
    rec = _worked_example()
    bare = RecommendationInput(key=rec.key, bodies=tuple(
        BodyInput(organisation=b.organisation, role=b.role, members=tuple(
            BodyInput(organisation=m.organisation) for m in b.members)) for b in rec.bodies))
    events = [StatusEvent(date(2022, 1, 1), "x-TEST", "birmingham", "self_report", "delivered")]
    at = plan_state_at([bare], events, date(2023, 1, 1))
    assert at[0].bodies[1].members[0].self_report == "delivered"
    points = plan_progress_series([bare], events, [date(2021, 1, 1), date(2023, 1, 1)], PROGRESS)
    assert points[0].progress is None and points[1].progress == pytest.approx(1.0)


# ── stalled keeps the progress last reached ─────────────────────────────────────────────────────


def test_stalled_keeps_the_progress_last_reached():
    assert progress_reached("stalled", None, 0.7, PROGRESS) == pytest.approx(0.7)


def test_stalled_with_nothing_reached_before_counts_as_nothing():
    assert progress_reached("stalled", None, None, PROGRESS) == 0.0


def test_a_stated_percentage_is_used_as_stated():
    assert progress_reached("stalled", 0.25, 0.7, PROGRESS) == pytest.approx(0.25)
    assert progress_reached("in_progress", 0.55, None, PROGRESS) == pytest.approx(0.55)
    assert progress_reached("in_progress", None, None, PROGRESS) == pytest.approx(0.4)


def test_not_assessed_has_no_progress_whatever_came_before():
    assert progress_reached(NOT_ASSESSED, None, 0.7, PROGRESS) is None


def test_series_keep_the_progress_reached_before_stalling():
    rec = RecommendationInput(key="r", bodies=(BodyInput(organisation="a"),))
    events = [
        StatusEvent(date(2021, 1, 1), "r", "a", "self_report", "partly_delivered"),
        StatusEvent(date(2022, 1, 1), "r", "a", "self_report", "stalled"),
    ]
    points = plan_progress_series([rec], events, [date(2021, 6, 1), date(2022, 6, 1)], PROGRESS)
    assert [p.percent for p in points] == [70.0, 70.0]


def test_a_group_result_is_json_ready_with_its_members():
    import json

    data = plan_rollup([_worked_example()], PROGRESS).to_dict()
    group = data["recommendations"]["x-TEST"]["bodies"][1]
    assert [m["organisation"] for m in group["members"]][:2] == ["birmingham", "coventry"]
    assert group["group"]["progress"] == pytest.approx(0.5)
    json.dumps(data)
