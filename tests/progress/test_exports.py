"""Open data exports: everything published, nothing unpublished, safe against formula injection."""

from __future__ import annotations

import csv
import io
import json

from django.urls import reverse

from recovery_tracker.progress import services
from recovery_tracker.progress.exports import UPDATE_FIELDS, published_export_csv, published_export_data


def _draft(people, rec, update_data):
    return services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                        voice="self_report", data=update_data(body=people.authority))


def test_csv_has_published_updates_only(people, rec, make_published, update_data):
    published = make_published(status="planned", title="Published title")
    _draft(people, rec, update_data)
    rows = list(csv.DictReader(io.StringIO(published_export_csv())))
    assert [int(r["id"]) for r in rows] == [published.pk]
    assert list(rows[0]) == UPDATE_FIELDS
    assert rows[0]["status"] == "planned" and rows[0]["in_force"] == "true"


def test_csv_neutralises_formulas(people, make_published):
    make_published(title="=HYPERLINK(\"http://evil.example\")", narrative="+SUM(A1:A9)", status="planned")
    row = next(csv.DictReader(io.StringIO(published_export_csv())))
    assert row["title"].startswith("'=") and row["narrative"].startswith("'+")


def test_json_lists_corrections_and_the_rollup(people, make_published):
    original = make_published(status="planned")
    correction = services.update_correct(actor=people.member, update=original)
    services.update_submit(actor=people.member, update=correction)
    services.update_publish(actor=people.moderator, update=correction)
    data = published_export_data()
    by_id = {u["id"]: u for u in data["updates"]}
    assert by_id[original.pk]["corrected_by"] == [correction.pk] and not by_id[original.pk]["in_force"]
    assert by_id[correction.pk]["corrects"] == original.pk
    assert data["plans"][0]["progress"]["assessed"] == 1
    assert "add up to one" in data["rollup_rule"]


def test_export_urls(client, people, make_published):
    make_published(status="planned")
    response = client.get(reverse("progress-export-csv"), {"plan": "test-plan"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = json.loads(client.get(reverse("progress-export-json")).content)
    assert len(body["updates"]) == 1


def test_export_command(people, make_published, tmp_path):
    from typer.testing import CliRunner

    from recovery_tracker.cli import app

    make_published(status="planned")
    out = tmp_path / "updates.json"
    result = CliRunner().invoke(app, ["progress", "export", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["updates"]) == 1
    result = CliRunner().invoke(app, ["progress", "export", "--format", "csv"])
    assert result.exit_code == 0 and result.output.startswith("id,plan,recommendation")
