"""Issue 16 (4): a home for several plans (test data: the minimal TEST plan and the second TEST plan)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from recovery_tracker.catalogue.models import Organisation, Plan
from recovery_tracker.catalogue.selectors import plan_default
from recovery_tracker.catalogue.services import plan_load
from recovery_tracker.cli import app

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def two_plans(db):
    plan_load(path=DATA / "plan-TEST-minimal.yaml")
    plan_load(path=DATA / "plan-TEST-second.yaml")
    return Plan.objects.get(slug="test-plan"), Plan.objects.get(slug="test-second-plan")


def _publish_evidence(plan: Plan, rec_slug: str, when: dt.datetime):
    from recovery_tracker.progress.models import Source, State, Update, Voice

    editorial = Organisation.objects.get(slug="recovery-tracker-editorial")
    return Update.objects.create(
        recommendation=plan.recommendations.get(slug=rec_slug), organisation=editorial, voice=Voice.EVIDENCE,
        author_label="TEST", date=when.date(), title="TEST evidence", narrative="TEST evidence.",
        state=State.PUBLISHED, source=Source.SHIPPED, published_at=when, submitted_at=when)


def test_the_plans_page_lists_every_plan_with_coverage_and_last_activity(client, two_plans):
    first, _second = two_plans
    _publish_evidence(first, "1-a", timezone.make_aware(dt.datetime(2024, 6, 3, 12)))
    page = client.get("/plans/").content.decode()
    assert "A Test Plan" in page and "A Second Test Plan (TEST)" in page
    assert "Test Publisher" in page and "1 March 2021" in page
    assert "50% <span class=\"govuk-body-s\">(1 of 2)</span>" in page
    assert "3 June 2024" in page
    assert "No published updates yet" in page


def test_the_api_gives_the_same_overview(client, two_plans):
    first, _second = two_plans
    _publish_evidence(first, "2-a", timezone.make_aware(dt.datetime(2024, 6, 3, 12)))
    rows = {row["id"]: row for row in client.get("/api/plans-overview").json()}
    assert rows["test-plan"]["coverage_percent"] == 50 and rows["test-plan"]["assessed"] == 1
    assert rows["test-second-plan"]["last_activity"] is None
    assert rows["test-second-plan"]["recommendations"] == 2


def test_an_organisation_page_shows_its_part_in_every_plan(client, two_plans):
    page = client.get("/organisations/wmca/").content.decode()
    assert "Its part in every plan" in page
    assert "A Second Test Plan (TEST)" in page
    assert "A Test Plan" not in page, "the WMCA is not addressed by the minimal test plan"
    authority = client.get("/organisations/test-authority/").content.decode()
    assert "A Test Plan" in authority


def test_with_several_plans_and_no_default_the_home_is_the_plans_page(client, two_plans, settings):
    settings.RECOVERY_TRACKER = {**settings.RECOVERY_TRACKER, "DEFAULT_PLAN": "not-loaded-TEST"}
    assert plan_default() is None
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/plans/"


def test_with_one_plan_it_is_the_default_whatever_its_id(db, settings):
    settings.RECOVERY_TRACKER = {**settings.RECOVERY_TRACKER, "DEFAULT_PLAN": "not-loaded-TEST"}
    plan_load(path=DATA / "plan-TEST-second.yaml")
    assert plan_default().slug == "test-second-plan"


def test_commands_ask_which_plan_when_they_cannot_tell(two_plans, settings, tmp_path):
    settings.RECOVERY_TRACKER = {**settings.RECOVERY_TRACKER, "DEFAULT_PLAN": "not-loaded-TEST"}
    result = CliRunner().invoke(app, ["plan", "export", "--format", "json"])
    assert result.exit_code == 2
    assert "Several plans are loaded; name one with --plan (test-plan, test-second-plan)." in result.output
    named = CliRunner().invoke(app, ["plan", "export", "--plan", "test-second-plan", "-o", str(tmp_path / "x.json")])
    assert named.exit_code == 0, named.output


def test_an_item_naming_no_body_shows_why_and_what_would_show_it_met(client, db, tmp_path):
    import shutil

    import yaml

    data = yaml.safe_load((DATA / "plan-TEST-second.yaml").read_text(encoding="utf-8"))
    rec = data["recommendations"][1]
    rec["addressees"] = []
    rec["note"] = "TEST note: the text names no body for the skills map."
    rec["kind"] = "target"
    rec["targets"] = [{"id": "map-TEST", "description": "A test skills map", "value": 1, "unit": "map",
                       "met_when": "TEST: a skills map is published."}]
    shutil.copy(DATA / "plan-TEST-second.source.txt", tmp_path / "plan-TEST-second.source.txt")
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    plan_load(path=tmp_path / "plan.yaml")
    page = client.get("/plans/test-second-plan/recommendations/1-b/").content.decode()
    assert "TEST note: the text names no body for the skills map." in page
    assert "the text names no body for this" in page
    assert "TEST: a skills map is published." in page
    assert client.get("/plans/test-second-plan/").status_code == 200
    assert client.get("/plans/test-second-plan/report.html").status_code in (200, 202)
