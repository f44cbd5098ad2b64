"""`recovery-tracker plan check|load|export` as a user runs them."""

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from recovery_tracker.cli import app

TEST_DATA = Path(__file__).resolve().parent.parent / "data"
runner = CliRunner()


def test_check_reports_a_valid_file():
    result = runner.invoke(app, ["plan", "check", str(TEST_DATA / "plan-TEST-minimal.yaml")])
    assert result.exit_code == 0
    assert "valid. 2 sections, 2 recommendations" in result.output


def test_check_names_the_recommendation_and_field(tmp_path):
    data = yaml.safe_load((TEST_DATA / "plan-TEST-minimal.yaml").read_text())
    data["recommendations"][0]["modality"] = "ought to"
    bad = tmp_path / "bad-plan.yaml"
    bad.write_text(yaml.safe_dump(data))
    result = runner.invoke(app, ["plan", "check", str(bad)])
    assert result.exit_code == 2
    assert "bad-plan.yaml" in result.output
    assert "recommendation 1-a, field modality" in result.output


@pytest.mark.django_db
def test_load_twice_then_export_json(tmp_path):
    first = runner.invoke(app, ["plan", "load", str(TEST_DATA / "plan-TEST-minimal.yaml")])
    second = runner.invoke(app, ["plan", "load", str(TEST_DATA / "plan-TEST-minimal.yaml")])
    assert first.exit_code == 0 and "created 2 recommendations" in first.output
    assert "nothing changed" in second.output
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["plan", "export", "--plan", "test-plan", "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert set(data) == {"plan", "sections", "recommendations", "facts", "organisations"}
    rec = data["recommendations"][0]
    assert {"id", "section", "title", "quote", "kind", "modality", "themes", "addressees", "targets",
            "criteria"} <= set(rec)
    assert rec["targets"][0]["value"] == 100
    assert data["facts"][0]["checks"][0]["outcome"] == "holds"


@pytest.mark.django_db
def test_export_csv_neutralises_formulas(tmp_path):
    data = yaml.safe_load((TEST_DATA / "plan-TEST-minimal.yaml").read_text())
    data["recommendations"][0]["title"] = "=HYPERLINK(\"http://evil\")"
    (tmp_path / "plan-TEST-minimal.source.txt").write_text((TEST_DATA / "plan-TEST-minimal.source.txt").read_text())
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data))
    runner.invoke(app, ["plan", "load", str(path)])
    result = runner.invoke(app, ["plan", "export", "--plan", "test-plan", "--format", "csv"])
    assert "'=HYPERLINK" in result.output
    assert ",=HYPERLINK" not in result.output


def test_check_names_a_quote_with_one_word_changed_and_the_closest_passage(tmp_path):
    """Issue 16 (2): a paraphrase in a copy of the shipped plan is refused, naming the item and field."""
    plans = Path(__file__).resolve().parents[2] / "src" / "recovery_tracker" / "data" / "plans"
    text = (plans / "west-midlands-2020.yaml").read_text(encoding="utf-8")
    original = "All local authorities across the region should come together"
    assert text.count(original) == 1
    (tmp_path / "west-midlands-2020.yaml").write_text(
        text.replace(original, "All local authorities across the region must come together"), encoding="utf-8")
    (tmp_path / "west-midlands-2020.source.txt").write_text(
        (plans / "west-midlands-2020.source.txt").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["plan", "check", str(tmp_path / "west-midlands-2020.yaml")])
    assert result.exit_code == 2
    assert "recommendation 3.2-h, field quote: not verbatim in the source text" in result.output
    assert f"“{original}" in result.output


def test_draft_writes_a_plan_file_every_quote_verbatim(tmp_path):
    source = tmp_path / "plan-TEST-draft.source.txt"
    source.write_text("A Draft TEST Plan\n\n1 Test homes\n\nThe WMCA should build 100 test homes by 2030. "
                      "Nothing else is asked here.\n", encoding="utf-8")
    out = tmp_path / "plan-TEST-draft.yaml"
    result = runner.invoke(app, ["plan", "draft", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 candidate recommendations" in result.output
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["plan"]["source_text"] == "plan-TEST-draft.source.txt"
    assert data["recommendations"][0]["quote"] == "The WMCA should build 100 test homes by 2030."
    assert data["recommendations"][0]["addressees"] == [{"organisation": "wmca", "role": "lead"}]
    checked = runner.invoke(app, ["plan", "check", str(out)])
    assert checked.exit_code == 0, checked.output


def test_draft_refuses_a_source_that_is_not_utf8(tmp_path):
    source = tmp_path / "plan-TEST-latin1.txt"
    source.write_bytes("Caf\u00e9 should open.".encode("latin-1"))
    result = runner.invoke(app, ["plan", "draft", str(source), "-o", str(tmp_path / "x.yaml")])
    assert result.exit_code == 2
    assert "not UTF-8" in result.output
    assert not (tmp_path / "x.yaml").exists()
