"""Saved check results become observations of indicators, with their source."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from measures_fixtures import EXAMPLES, PASSWORD, PAYROLL_TEST, signed_result

from recovery_tracker.indicators.models import Observation

pytestmark = pytest.mark.django_db


@pytest.fixture
def _save(client, people, publish_results):
    """Save a check's result as the member; a moderator publishes it (only then is it a figure)."""
    def save(client_, people_, url: str, data: dict) -> None:
        client.login(username="test-member", password=PASSWORD)
        page = client.post(url, data).content.decode()
        client.post("/checks/save/", {"result": signed_result(page), "organisation": people.organisation.pk})
        assert not Observation.objects.exists()  # waiting for moderation: no public figure yet
        publish_results()

    return save


def test_procurement_share_of_spend_becomes_an_observation(client, people, upload_tmp, _save):
    _save(client, people, "/checks/procurement/",
          {"file": SimpleUploadedFile("c.csv", (EXAMPLES / "contracts-DEMO.csv").read_bytes())})
    observation = Observation.objects.get(indicator__slug="measures-procurement-share-of-spend-fair-work")
    assert observation.indicator.name == "Share of spend under fair-work terms"
    assert observation.geography_name == people.organisation.name
    assert 0 <= observation.value <= 100 and observation.unit == "%"
    assert "saved by test-member" in observation.source


def test_job_guarantee_share_becomes_an_observation(client, people, upload_tmp, _save):
    _save(client, people, "/checks/job-guarantee/",
          {"file": SimpleUploadedFile("p.csv", (EXAMPLES / "placements-DEMO.csv").read_bytes())})
    observation = Observation.objects.get(indicator__slug="measures-job-guarantee-share-meeting-all")
    assert observation.indicator.name == "Share of guarantee placements meeting all six conditions"
    assert observation.indicator.direction == "increase"


def test_median_gender_pay_gap_becomes_an_observation_for_the_snapshot(client, people, upload_tmp, _save):
    _save(client, people, "/checks/pay-gaps/", {"snapshot_day": "5", "snapshot_month": "4", "snapshot_year": "2025",
                                                "file": SimpleUploadedFile("p.csv", PAYROLL_TEST.encode())})
    observation = Observation.objects.get(indicator__slug="measures-gender-pay-gap-median")
    assert observation.value == 20.0 and observation.period == "2025-04-05" and observation.year == 2025
    assert observation.indicator.direction == "decrease"


def test_refused_saves_record_no_observation(client, people, upload_tmp):
    client.login(username="test-outsider", password=PASSWORD)
    page = client.post("/checks/procurement/", {
        "file": SimpleUploadedFile("c.csv", (EXAMPLES / "contracts-DEMO.csv").read_bytes())}).content.decode()
    response = client.post("/checks/save/", {"result": signed_result(page), "organisation": people.organisation.pk})
    assert response.status_code == 403
    assert not Observation.objects.exists()
