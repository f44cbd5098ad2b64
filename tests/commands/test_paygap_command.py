"""``recovery-tracker paygap`` and ``paygap-batch`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from recovery_tracker.cli import app

runner = CliRunner()

MADEUP = (
    "employee_id,sex,full_pay,hourly_pay,bonus_pay,ethnicity,disability\n"
    + "".join(f"MADEUP-M{i},M,yes,{12 + i % 3}.00,{100 if i % 2 else 0},White British,No\n" for i in range(12))
    + "".join(f"MADEUP-F{i},F,yes,{10 + i % 3}.00,{80 if i % 3 else 0},Indian,{'Yes' if i < 10 else 'No'}\n"
              for i in range(12))
    + "MADEUP-X1,not recorded,yes,9.00,0,,\n"
)


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_for_sex_has_the_agreed_shape(tmp_path):
    path = write(tmp_path, "made-up-payroll.csv", MADEUP)
    result = runner.invoke(app, ["paygap", str(path), "--snapshot-date", "2025-04-05"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["snapshot_date"] == "2025-04-05" and data["group"] == "sex"
    assert list(data["figures"])[0] == "DiffMeanHourlyPercent" and list(data["figures"])[-1] == "FemaleTopQuartile"
    assert len(data["figures"]) == 14 and list(data["unrounded"]) == list(data["figures"])
    assert data["counts"] == {
        "relevant_employees": 25,
        "full_pay_relevant_employees": 25,
        "male": 12,
        "female": 12,
        "excluded": {"sex_not_recorded": 1},
    }
    # Men's mean £13, women's £11: gap 15.4%.
    assert data["figures"]["DiffMeanHourlyPercent"] == 15.4
    assert data["low_pay"]["threshold"] == 12.0


def test_low_pay_threshold_and_output_file(tmp_path):
    path = write(tmp_path, "made-up-payroll.csv", MADEUP)
    out = tmp_path / "out.json"
    result = runner.invoke(
        app, ["paygap", str(path), "--snapshot-date", "2025-04-05", "--low-pay-threshold", "10", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    low = json.loads(out.read_text())["low_pay"]
    assert (low["threshold"], low["below"]) == (10.0, 1)


def test_ethnicity_and_disability(tmp_path):
    path = write(tmp_path, "made-up-payroll.csv", MADEUP)
    result = runner.invoke(app, ["paygap", str(path), "--snapshot-date", "2025-04-05", "--by", "ethnicity"])
    data = json.loads(result.stdout)
    assert data["group"] == "ethnicity" and data["reference"] == "White British"
    assert data["comparisons"]["broad"][0]["group"] == "Asian or Asian British"
    result = runner.invoke(app, ["paygap", str(path), "--snapshot-date", "2025-04-05", "--by", "all"])
    assert [p["group"] for p in json.loads(result.stdout)["reports"]] == ["sex", "ethnicity", "disability"]


def test_table_and_html_formats(tmp_path):
    path = write(tmp_path, "made-up-payroll.csv", MADEUP)
    table = runner.invoke(app, ["paygap", str(path), "--snapshot-date", "2025-04-05", "--format", "table"])
    assert "DiffMeanHourlyPercent" in table.stdout and "15.4" in table.stdout
    page = runner.invoke(app, ["paygap", str(path), "--snapshot-date", "2025-04-05", "--format", "html"])
    assert page.stdout.startswith("<!doctype html>") and "<td>15.4</td>" in page.stdout


def test_bad_file_lists_problems_and_gives_no_figures(tmp_path):
    path = write(tmp_path, "made-up-bad.csv", "employee_id,sex,hourly_pay,bonus_pay\nA,M,ten,0\nA,F,-3,0\n")
    result = runner.invoke(app, ["paygap", str(path), "--snapshot-date", "2025-04-05"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "row 1 (line 2), column hourly_pay" in result.stderr
    assert "row 2 (line 3), column employee_id" in result.stderr
    assert "negative pay" in result.stderr


def test_bad_snapshot_date(tmp_path):
    path = write(tmp_path, "made-up-payroll.csv", MADEUP)
    result = runner.invoke(app, ["paygap", str(path), "--snapshot-date", "5/4/2025"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_batch_writes_the_govuk_layout_sorted_by_employer(tmp_path):
    folder = tmp_path / "employers"
    folder.mkdir()
    write(folder, "zeta-MADEUP.csv", MADEUP)
    write(folder, "alpha-MADEUP.csv", MADEUP)
    write(folder, "=cmd-MADEUP.csv", MADEUP)
    out = tmp_path / "gpg.csv"
    result = runner.invoke(app, ["paygap-batch", str(folder), "--snapshot-date", "2025-04-05", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert len(rows[0]) == 27 and rows[0][6] == "DiffMeanHourlyPercent"
    assert [r[0] for r in rows[1:]] == ["'=cmd-MADEUP", "alpha-MADEUP", "zeta-MADEUP"]
    assert rows[1][6] == "15.4"


def test_batch_with_a_bad_file_writes_nothing(tmp_path):
    folder = tmp_path / "employers"
    folder.mkdir()
    write(folder, "good-MADEUP.csv", MADEUP)
    write(folder, "bad-MADEUP.csv", "employee_id,sex,hourly_pay,bonus_pay\nA,M,x,0\n")
    out = tmp_path / "gpg.csv"
    result = runner.invoke(app, ["paygap-batch", str(folder), "--snapshot-date", "2025-04-05", "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()
    assert "bad-MADEUP.csv" in result.stderr
