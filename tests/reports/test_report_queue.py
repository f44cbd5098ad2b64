"""Reports off the request path: answered at once while the worker builds them, limits for anonymous readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import override_settings

from recovery_tracker.reports.limits import ANONYMOUS_BUILDS_PER_WINDOW, is_month_end


def _queued_tasks(name: str) -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY", task_path__endswith=name).count()


def _month_ends(count: int) -> list[dt.date]:
    day, ends = dt.date(2024, 1, 31), []
    while len(ends) < count:
        ends.append(day)
        day = (day.replace(day=1) - dt.timedelta(days=1))
    return ends


def test_anonymous_pdfs_with_new_dates_are_queued_and_the_site_keeps_answering(test_plan, client):
    dates = _month_ends(4)
    for day in dates:
        response = client.get(f"/plans/test-plan/report.pdf?as_at={day}")
        # The answer is the "being prepared" page, not a PDF built in the request.
        assert response.status_code == 202
        assert response["Content-Type"].startswith("text/html")
        assert b'<meta http-equiv="refresh" content="5">' in response.content
        assert b"Your report is being prepared" in response.content
        assert response["Retry-After"] == "5"
    assert _queued_tasks("report_build_task") == len(dates)
    # Another page answers meanwhile, and asking again queues nothing more.
    assert client.get("/plans/test-plan/").status_code == 200
    client.get(f"/plans/test-plan/report.pdf?as_at={dates[0]}")
    assert _queued_tasks("report_build_task") == len(dates)


def test_the_prepared_report_is_served_once_the_worker_has_run(test_plan, client, run_tasks):
    url = "/plans/test-plan/report.md?as_at=2021-06-30"
    assert client.get(url).status_code == 202
    run_tasks()
    ready = client.get(url)
    assert ready.status_code == 200 and ready["X-Report-Cache"] == "hit"
    assert ready["Content-Type"] == "text/markdown; charset=utf-8"
    assert _queued_tasks("report_build_task") == 0


@pytest.mark.parametrize("query, words", [
    ("as_at=2021-06-15", b"as_at (2021-06-15) must be the last day of a month (for example 2021-05-31)"),
    ("as_at=2999-12-31", b"is in the future"),
    ("as_at=2021-06-30&since=2021-01-15", b"since (2021-01-15) must be the last day of a month"),
    ("as_at=30/06/2021", b"as_at must be a date written YYYY-MM-DD"),
])
def test_anonymous_readers_get_month_ends_only(test_plan, client, query, words):
    response = client.get(f"/plans/test-plan/report.pdf?{query}")
    assert response.status_code == 400 and words in response.content
    assert _queued_tasks("report_build_task") == 0


def test_signed_in_users_may_ask_for_any_date(test_plan, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader-TEST", password="sample-password-TEST"))
    assert client.get("/plans/test-plan/report.md?as_at=2021-06-15").status_code == 202
    assert _queued_tasks("report_build_task") == 1


def test_anonymous_new_builds_are_rate_limited_per_address(test_plan, client):
    dates = _month_ends(ANONYMOUS_BUILDS_PER_WINDOW + 1)
    for day in dates[:-1]:
        assert client.get(f"/plans/test-plan/report.md?as_at={day}").status_code == 202
    refused = client.get(f"/plans/test-plan/report.md?as_at={dates[-1]}")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    assert b"Too many new reports" in refused.content
    assert _queued_tasks("report_build_task") == ANONYMOUS_BUILDS_PER_WINDOW
    # Another address is not affected, and reports already asked for still answer.
    assert client.get(f"/plans/test-plan/report.md?as_at={dates[-1]}", REMOTE_ADDR="10.0.0.9").status_code == 202
    assert client.get(f"/plans/test-plan/report.md?as_at={dates[0]}").status_code == 202


def test_month_end_rule():
    assert is_month_end(dt.date(2024, 2, 29)) and not is_month_end(dt.date(2023, 2, 28 - 1))
    assert is_month_end(dt.date(2023, 2, 28)) and is_month_end(dt.date(2023, 12, 31))


@pytest.mark.django_db(transaction=True)
@override_settings(SITE_URL="http://testserver/")
def test_a_data_change_builds_todays_report_before_anyone_asks(client, run_tasks):
    from recovery_tracker.catalogue.services import plan_load

    plan_load(path=Path(__file__).parents[1] / "data" / "plan-TEST-minimal.yaml")  # commits: the refresh is queued
    assert _queued_tasks("reports_refresh_task") == 1
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(run_after=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # no waiting for the delay
    run_tasks()
    for fmt in ("html", "md", "pdf"):
        response = client.get(f"/plans/test-plan/report.{fmt}")
        assert response.status_code == 200 and response["X-Report-Cache"] == "hit"
