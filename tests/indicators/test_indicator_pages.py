"""Indicator pages, panels on plan pages, the API, and the staff-only import page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile

from recovery_tracker.indicators.models import Observation

pytestmark = pytest.mark.django_db


def test_indicator_page_shows_chart_table_verdict_and_working(client, shipped):
    response = client.get("/indicators/housing-deal-completions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'id="chart-data"' in html
    assert "Limited progress" in html and "How this was worked out" in html
    assert "Rate needed from now on" in html and "Revised figures" in html


def test_indicator_list_and_nav(client, shipped):
    html = client.get("/indicators/").content.decode()
    assert "215,000 new homes by 2031" in html and 'href="/indicators/"' in html


def test_plan_home_summarises_every_target(client, shipped):
    html = client.get("/plans/west-midlands-2020/").content.decode()
    assert 'id="targets-summary"' in html
    assert "50 per cent of energy" in html and "215,000 new homes" in html and "Not available" in html


def test_recommendation_page_shows_its_target_verdict(client, shipped):
    html = client.get("/plans/west-midlands-2020/recommendations/3.2-c/").content.decode()
    assert 'id="targets"' in html and "Limited progress" in html


def test_api_lists_indicators_observations_and_verdicts(client, shipped):
    assert any(i["id"] == "renewable-share" for i in client.get("/api/indicators").json())
    rows = client.get("/api/indicators/housing-deal-completions/observations?include_revised=true").json()
    assert sorted((r["value"], r["current"]) for r in rows if r["period"] == "2021/22") == [
        (16730, False), (17276, True)]
    verdicts = client.get("/api/plans/west-midlands-2020/targets").json()
    homes = next(v for v in verdicts if v["indicator"] == "housing-deal-completions")
    assert homes["status"] == "limited_progress" and homes["result"]["components"]["method"] == "linear"


def _upload(client, DATA):
    return client.post("/indicators/import/", {
        "files": SimpleUploadedFile("test-demo-jobs.csv", (DATA / "test-demo-jobs.csv").read_bytes(), "text/csv"),
        "metadata": SimpleUploadedFile("test-demo-jobs.yaml", (DATA / "test-demo-jobs.yaml").read_bytes()),
    })


def test_import_page_refuses_anonymous_and_ordinary_users(client, data_dir):
    assert _upload(client, data_dir).status_code == 302
    user = User.objects.create_user("reader", password="x")
    client.force_login(user)
    assert client.get("/indicators/import/").status_code == 403
    assert _upload(client, data_dir).status_code == 403
    assert Observation.objects.count() == 0


def test_staff_and_moderators_can_import(client, data_dir):
    staff = User.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    response = _upload(client, data_dir)
    assert response.status_code == 200 and "added 6 observations" in response.content.decode()
    moderator = User.objects.create_user("mod", password="x")
    moderator.groups.add(Group.objects.create(name="Moderators"))
    client.force_login(moderator)
    assert "nothing changed" in _upload(client, data_dir).content.decode()


def test_import_page_lists_every_problem_and_stores_nothing(client, data_dir):
    client.force_login(User.objects.create_user("staff", password="x", is_staff=True))
    bad = b"Year,GeoCode,Value\n2015,E47000007,abc\n20x6,E47000007,1\n"
    response = client.post("/indicators/import/", {
        "files": SimpleUploadedFile("test-demo-jobs.csv", bad, "text/csv"),
        "metadata": SimpleUploadedFile("test-demo-jobs.yaml", (data_dir / "test-demo-jobs.yaml").read_bytes()),
    })
    html = response.content.decode()
    assert response.status_code == 400 and "Nothing was imported: 2 problems" in html
    assert "Row 2" in html and "Row 3" in html
    assert Observation.objects.count() == 0


def test_import_page_refuses_wrong_file_types(client):
    client.force_login(User.objects.create_user("staff", password="x", is_staff=True))
    response = client.post("/indicators/import/", {"files": SimpleUploadedFile("data.xlsx", b"PK", "application/zip")})
    assert response.status_code == 400 and "must be a .csv file" in response.content.decode()
