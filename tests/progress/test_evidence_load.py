"""The shipped public evidence: every row matched, published, sourced, and no status set."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from recovery_tracker.progress.models import DatePrecision, State, Update, Voice
from recovery_tracker.progress.selectors import plan_states_as_at
from recovery_tracker.progress.setup import (
    EVIDENCE_PATH,
    evidence_date,
    evidence_load,
    evidence_match,
    evidence_rows,
)

pytestmark = pytest.mark.django_db


def _rows_in_the_file() -> int:
    with open(EVIDENCE_PATH, encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def test_every_row_matches_one_recommendation(west_midlands):
    rows = evidence_rows()
    assert len(rows) == _rows_in_the_file() >= 80
    evidence_match(rows, west_midlands)
    unmatched = [(row.number, row.values["recommendation_hint"]) for row in rows if row.recommendation is None]
    assert unmatched == [], f"Rows whose hint matches no recommendation quote: {unmatched}"
    # Where a phrase appears in several quotes, the row's own section decides.
    for row in rows:
        if len(row.candidates) > 1 and any(c.section.number == row.values["section"] for c in row.candidates):
            assert row.recommendation.section.number == row.values["section"], row.number


def test_loading_publishes_every_row_once_and_sets_no_status(west_midlands):
    shipped = _rows_in_the_file()
    result = evidence_load()
    assert result.created == shipped and result.unmatched == []
    again = evidence_load()
    assert again.created == 0 and again.already_loaded == shipped
    entries = Update.objects.filter(source="shipped")
    assert entries.count() == shipped
    assert set(entries.values_list("state", flat=True)) == {State.PUBLISHED}
    assert set(entries.values_list("voice", flat=True)) == {Voice.EVIDENCE}
    assert set(entries.values_list("organisation__slug", flat=True)) == {"recovery-tracker-editorial"}
    assert not entries.exclude(status="").exists() and not entries.exclude(response="").exists()
    assert all(entry.links.count() == 1 for entry in entries)
    states = plan_states_as_at(west_midlands)
    for state in states.values():
        for body in state.bodies:
            assert body.self_report.status == "not_assessed" and body.assessment.status == "not_assessed"


def test_month_only_dates_keep_their_precision(west_midlands, client):
    evidence_load()
    assert evidence_date("2021-03") == (dt.date(2021, 3, 1), DatePrecision.MONTH)
    assert evidence_date("2026 (spring start planned)") == (dt.date(2026, 1, 1), DatePrecision.YEAR)
    entry = Update.objects.filter(date_precision=DatePrecision.MONTH, title__startswith="WMCA adopts first").get()
    assert entry.date_display == "March 2021"
    page = client.get(entry.recommendation.get_absolute_url()).content.decode()
    assert "March 2021" in page and "Recovery Tracker editorial" in page


def test_evidence_is_tied_to_a_named_addressed_body_when_there_is_one(west_midlands):
    evidence_load()
    entry = Update.objects.get(title__startswith="WMCA adopts first")
    assert entry.body is not None and entry.body.slug == "wmca"
