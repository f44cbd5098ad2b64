"""State derived from published updates: two voices, as-at dates, corrections, overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from recovery_tracker.progress import services
from recovery_tracker.progress.selectors import recommendation_history, recommendation_state_as_at

pytestmark = pytest.mark.django_db


def _authority(state, people):
    return next(b for b in state.bodies if b.body == people.authority)


def test_nothing_published_means_not_assessed_and_no_response(people, rec, update_data):
    services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                 voice="self_report", data=update_data(body=people.authority, status="delivered"))
    body = _authority(recommendation_state_as_at(rec), people)
    # Drafts never count; "not assessed" is not "not started".
    assert body.self_report.status == "not_assessed" and body.self_report.progress is None
    assert body.self_report.response == "no_response"
    assert body.self_report.status_label == "Not assessed"


def test_two_voices_are_kept_apart(people, rec, update_data, make_published):
    make_published(status="delivered", response="accepted", response_url="https://example.org/cabinet")
    draft = services.update_create_draft(actor=people.assessor, recommendation=rec, organisation=people.union,
                                         voice="independent_assessment",
                                         data=update_data(body=people.authority, status="planned"))
    services.update_submit(actor=people.assessor, update=draft)
    services.update_publish(actor=people.moderator, update=draft)
    body = _authority(recommendation_state_as_at(rec), people)
    assert body.self_report.status == "delivered" and body.self_report.progress == 1.0
    assert body.self_report.response == "accepted"
    assert body.assessment.status == "planned" and body.assessment.response == "no_response"


def test_state_as_at_a_past_date(people, rec, make_published):
    make_published(date=dt.date(2022, 1, 10), status="planned")
    make_published(date=dt.date(2023, 6, 1), status="in_progress")
    make_published(date=dt.date(2024, 2, 1), status="stalled")
    at = lambda day: _authority(recommendation_state_as_at(rec, day), people).self_report.status  # noqa: E731
    assert at(dt.date(2021, 12, 31)) == "not_assessed"
    assert at(dt.date(2022, 12, 31)) == "planned"
    assert at(dt.date(2023, 6, 1)) == "in_progress"
    assert at(dt.date(2025, 1, 1)) == "stalled"


def test_a_published_correction_replaces_the_original(people, make_published):
    original = make_published(status="delivered")
    correction = services.update_correct(actor=people.member, update=original)
    services.update_edit_draft(actor=people.member, update=correction, lock_version=correction.lock_version,
                               data=services.UpdateData(date=original.date, body=people.authority,
                                                        status="partly_delivered", narrative="Only half."))
    rec = original.recommendation
    # Until the correction is published, the original stands.
    assert _authority(recommendation_state_as_at(rec), people).self_report.status == "delivered"
    services.update_submit(actor=people.member, update=correction)
    services.update_publish(actor=people.moderator, update=correction)
    assert _authority(recommendation_state_as_at(rec), people).self_report.status == "partly_delivered"


def test_overdue_when_the_target_date_passes_without_delivery(people, rec, make_published):
    make_published(date=dt.date(2022, 1, 1), status="in_progress", target_date=dt.date(2023, 3, 31))
    before = _authority(recommendation_state_as_at(rec, dt.date(2023, 3, 31)), people).self_report
    after = _authority(recommendation_state_as_at(rec, dt.date(2023, 4, 1)), people).self_report
    assert not before.overdue and after.overdue
    make_published(date=dt.date(2023, 5, 1), status="delivered")
    assert not _authority(recommendation_state_as_at(rec, dt.date(2024, 1, 1)), people).self_report.overdue


def test_target_date_revisions_are_kept_with_their_reasons(people, rec, make_published):
    make_published(date=dt.date(2022, 1, 1), target_date=dt.date(2023, 3, 31), status="planned")
    make_published(date=dt.date(2023, 1, 1), target_date=dt.date(2024, 3, 31), status="in_progress",
                   target_date_reason="Funding came a year late")
    history = _authority(recommendation_state_as_at(rec), people).self_report.target_history
    assert [(r.target_date, r.reason) for r in history] == [
        (dt.date(2023, 3, 31), ""), (dt.date(2024, 3, 31), "Funding came a year late")]


def test_history_shows_every_version_and_status_change(people, make_published):
    first = make_published(date=dt.date(2022, 1, 1), status="planned")
    make_published(date=dt.date(2023, 1, 1), status="in_progress")
    correction = services.update_correct(actor=people.member, update=first)
    services.update_submit(actor=people.member, update=correction)
    services.update_publish(actor=people.moderator, update=correction)
    entries = recommendation_history(first.recommendation)
    assert len(entries) == 3
    by_id = {e.update.pk: e for e in entries}
    assert by_id[first.pk].corrected_by == [correction]
    assert by_id[correction.pk].corrects == first
    changes = [(e.previous_status_label, e.status_label) for e in reversed(entries) if e.status_changed]
    assert ("Not assessed", "Planned") in changes and ("Planned", "In progress") in changes
