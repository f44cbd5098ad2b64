"""The chasing rules: when a reminder is due, and when an unanswered request is flagged."""

from datetime import date

from recovery_tracker.engine.more_action import DEFAULT_CONFIG, BodyFacts, RecommendationFacts, rule_request_overdue
from recovery_tracker.engine.reminders import deadline_default, reminder_due

DEADLINE = date(2026, 3, 31)


def test_the_default_deadline_is_28_days():
    assert deadline_default(date(2026, 3, 3)) == DEADLINE


def test_first_reminder_the_day_after_the_deadline():
    assert not reminder_due(deadline=DEADLINE, reminders=[], today=DEADLINE, answered=False)
    assert reminder_due(deadline=DEADLINE, reminders=[], today=date(2026, 4, 1), answered=False)


def test_then_every_14_days_and_three_at_most():
    first = [date(2026, 4, 1)]
    assert not reminder_due(deadline=DEADLINE, reminders=first, today=date(2026, 4, 14), answered=False)
    assert reminder_due(deadline=DEADLINE, reminders=first, today=date(2026, 4, 15), answered=False)
    three = [date(2026, 4, 1), date(2026, 4, 15), date(2026, 4, 29)]
    assert not reminder_due(deadline=DEADLINE, reminders=three, today=date(2026, 12, 1), answered=False)


def test_never_after_a_reply():
    assert not reminder_due(deadline=DEADLINE, reminders=[], today=date(2026, 5, 1), answered=True)


def _facts(asked, deadline):
    return RecommendationFacts(key="1-a", bodies=(BodyFacts(organisation="council", name="A Council (TEST)",
                                                            request_asked=asked, request_deadline=deadline),))


def test_request_overdue_from_the_day_after_the_deadline():
    facts = _facts(date(2026, 3, 3), DEADLINE)
    assert rule_request_overdue(facts, DEADLINE, DEFAULT_CONFIG) == []
    [flag] = rule_request_overdue(facts, date(2026, 4, 1), DEFAULT_CONFIG)
    assert flag.organisation == "council"
    assert flag.reason == ("A Council (TEST) was asked for its response on 3 March 2026 and has not replied by the "
                           "deadline of 31 March 2026.")


def test_no_request_no_flag():
    assert rule_request_overdue(_facts(None, None), date(2030, 1, 1), DEFAULT_CONFIG) == []
