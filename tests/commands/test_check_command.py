"""The ``check`` commands as a user runs them: JSON shape, output files, and errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from recovery_tracker.cli import app

EXAMPLES = Path(__file__).parents[2] / "src/recovery_tracker/data/standards/examples"
CONDITIONS = {"secure_contract", "living_wage", "training", "union_access", "community_benefit", "additionality"}
runner = CliRunner()


def test_job_guarantee_json_has_the_agreed_shape() -> None:
    result = runner.invoke(app, ["check", "job-guarantee", str(EXAMPLES / "placements-DEMO.csv"),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"placements", "summary"}
    first = data["placements"][0]
    assert {"row", "employer", "passes", "conditions"} <= set(first)
    assert set(first["conditions"]) == CONDITIONS
    for condition in first["conditions"].values():
        assert isinstance(condition["pass"], bool) and condition["reason"]
    summary = data["summary"]
    assert {"total", "meeting_all", "share_meeting_all", "failures"} <= set(summary)
    assert set(summary["failures"]) == CONDITIONS
    assert summary["total"] == 6 and summary["meeting_all"] == 3 and summary["share_meeting_all"] == 0.5
    rows = {placement["row"]: placement for placement in data["placements"]}
    assert rows[4]["conditions"]["living_wage"]["pass"] is False


def test_job_guarantee_html_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "placements.html"
    result = runner.invoke(app, ["check", "job-guarantee", str(EXAMPLES / "placements-DEMO.csv"),
                                 "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 of 6 placements meet all six conditions" in out.read_text(encoding="utf-8")


def test_job_guarantee_table_names_failures() -> None:
    result = runner.invoke(app, ["check", "job-guarantee", str(EXAMPLES / "placements-DEMO.csv")])
    assert result.exit_code == 0, result.output
    assert "3 of 6 placements meet all six" in result.stdout
    assert "DEMO Care Agency" in result.stdout


def test_malformed_placements_exit_non_zero_with_row_and_column_on_stderr_and_no_results(tmp_path: Path) -> None:
    bad = tmp_path / "placements-DEMO.csv"
    bad.write_text(
        "employer,start_date,end_date,contract_type,weekly_hours,hourly_pay,london,training,union_access,"
        "community_benefit,additional\nEmployer DEMO,2026-13-40,,permanent,35,14,no,yes,sometimes,yes,yes\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["check", "job-guarantee", str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "row 2, column start_date" in result.stderr
    assert "row 2, column union_access" in result.stderr


def test_procurement_json_gives_met_missing_and_share_of_spend_per_buyer() -> None:
    result = runner.invoke(app, ["check", "procurement", str(EXAMPLES / "contracts-DEMO.csv"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    care = next(item for item in data["contracts"] if item["supplier"] == "DEMO Care Partners")
    assert "social_value_weighting" in care["missing"] and "real_living_wage" in care["met"]
    borough = next(item for item in data["buyers"] if item["buyer"] == "DEMO Borough Council")
    assert borough["share_of_spend_meeting"] == round(3_700_000 / 4_500_000, 4)


def test_procurement_with_a_missing_standard_file_says_so() -> None:
    result = runner.invoke(app, ["check", "procurement", str(EXAMPLES / "contracts-DEMO.csv"),
                                 "--standard", "no-such-standard.yaml"])
    assert result.exit_code == 2
    assert "no-such-standard.yaml" in result.stderr


def test_public_interest_json_html_and_pdf(tmp_path: Path) -> None:
    demo = str(EXAMPLES / "public-interest-DEMO.yaml")
    result = runner.invoke(app, ["check", "public-interest", demo, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["recommendation"] == "in_house"
    assert data["review_register"][0]["action"] == "terminate"
    html_out, pdf_out = tmp_path / "decision.html", tmp_path / "decision.pdf"
    for format, out in (("html", html_out), ("pdf", pdf_out)):
        written = runner.invoke(app, ["check", "public-interest", demo, "--format", format, "-o", str(out)])
        assert written.exit_code == 0, written.output
    assert "Contract review register" in html_out.read_text(encoding="utf-8")
    assert pdf_out.read_bytes().startswith(b"%PDF")


def test_public_interest_pdf_without_an_output_file_is_refused() -> None:
    result = runner.invoke(app, ["check", "public-interest", str(EXAMPLES / "public-interest-DEMO.yaml"),
                                 "--format", "pdf"])
    assert result.exit_code == 2
    assert "-o" in result.stderr


def test_public_interest_missing_evidence_names_the_field(tmp_path: Path) -> None:
    text = (EXAMPLES / "public-interest-DEMO.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "assessment-DEMO.yaml"
    bad.write_text(text.replace("evidence: DEMO - cleansing shares fleet and depot with council highways.",
                                "evidence: ''"), encoding="utf-8")
    result = runner.invoke(app, ["check", "public-interest", str(bad)])
    assert result.exit_code == 2
    assert "criteria.integration.evidence" in result.stderr


def test_employer_json_lists_band_missing_commitments_and_charters() -> None:
    result = runner.invoke(app, ["check", "employer", str(EXAMPLES / "employers-DEMO.csv"), "--format", "json",
                                 "--as-at", "2026-01-01"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    foundry = data["employers"][0]
    assert foundry["size_band"] == "250_plus" and foundry["meets_all"]
    assert {charter["id"] for charter in foundry["charters"]} == {"dying-to-work-charter",
                                                                   "gm-good-employment-charter"}
    assert data["summary"]["total"] == 4


def test_employer_bad_as_at_date_is_explained() -> None:
    result = runner.invoke(app, ["check", "employer", str(EXAMPLES / "employers-DEMO.csv"), "--as-at", "soon"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.stderr
