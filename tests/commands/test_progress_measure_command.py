"""``recovery-tracker progress-measure``: JSON shape, readable table and errors a user would meet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from recovery_tracker.commands import progress_measure as command


def _app() -> typer.Typer:
    # Only this command's module is registered, so the test does not depend on other groups being
    # ready; the callback keeps "progress-measure" as a named sub-command as in the real CLI.
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Recovery Tracker (test shell)."""

    command.register(app)
    return app


def _run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(_app(), ["progress-measure", *args])


@pytest.fixture
def statcan_csv(tmp_path: Path) -> Path:
    # Statistics Canada 1-2-1 (reference §9): 14.5 in 2015, 10.2 in 2023, target 7.25, lower is better.
    path = tmp_path / "series-1-2-1.csv"
    path.write_text("Year,Value\n2015,14.5\n2019,\n2023,10.2\n", encoding="utf-8")
    return path


def test_json_has_every_documented_field_and_the_reference_verdict(statcan_csv: Path) -> None:
    result = _run("--csv", str(statcan_csv), "--direction", "decrease", "--target", "7.25", "--json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    for name in command.JSON_FIELDS:
        assert name in payload
    assert payload["status"] == "substantial_progress"
    assert payload["score"] == pytest.approx(2.5185563910306596, abs=1e-9)
    assert payload["progress_value"] == pytest.approx(0.9525901792032172, abs=1e-9)
    assert (payload["base_year"], payload["current_year"], payload["target_year"]) == (2015, 2023, 2030)
    assert payload["base_value"] == 14.5 and payload["current_value"] == 10.2 and payload["target"] == 7.25
    assert payload["projection"] == pytest.approx(10.2 * (10.2 / 14.5) ** (7 / 8))
    assert payload["required_rate"] == pytest.approx((7.25 / 10.2) ** (1 / 7) - 1)
    assert payload["components"]["cagr_target"] is not None


def test_missing_direction_is_an_error_not_a_guess(statcan_csv: Path) -> None:
    result = _run("--csv", str(statcan_csv), "--json")
    assert result.exit_code == 2
    assert "--direction is required" in result.stderr
    assert result.stdout == ""


def test_unknown_direction_is_an_error(statcan_csv: Path) -> None:
    result = _run("--csv", str(statcan_csv), "--direction", "up", "--json")
    assert result.exit_code == 2 and "increase" in result.stderr


def test_positive_is_accepted_as_increase(tmp_path: Path) -> None:
    path = tmp_path / "made-up-series.csv"
    path.write_text("Year,Value\n2015,100\n2020,110\n", encoding="utf-8")
    result = _run("--csv", str(path), "--direction", "positive", "--json")
    assert json.loads(result.stdout)["status"] == "substantial_progress"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Year,Value\n2015,14.5\n2016,n/a\n", "row 3, column Value: 'n/a' is not a number"),
        ("Year,Amount\n2015,14.5\n", "'Value' not found"),
        ("Year,Value\n2015,14.5\n2015-16,13\n", "row 3, column Year: year 2015 already appears in row 2"),
    ],
)
def test_bad_csv_names_the_row_or_column(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "made-up-bad.csv"
    path.write_text(text, encoding="utf-8")
    result = _run("--csv", str(path), "--direction", "increase", "--json")
    assert result.exit_code == 2
    assert expected in result.stderr and str(path) in result.stderr


def test_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    result = _run("--csv", str(missing), "--direction", "increase")
    assert result.exit_code == 2 and "nowhere.csv: file not found" in result.stderr


def test_linear_method_needs_a_target(statcan_csv: Path) -> None:
    result = _run("--csv", str(statcan_csv), "--direction", "increase", "--method", "linear")
    assert result.exit_code == 2 and "--target" in result.stderr


def test_linear_method_made_up_homes(tmp_path: Path) -> None:
    path = tmp_path / "made-up-homes-cumulative.csv"
    rows = "\n".join(f"{2020 + i},{15000 * i}" for i in range(6))
    path.write_text(f"Year,Value\n{rows}\n", encoding="utf-8")
    result = _run(
        "--csv", str(path), "--direction", "increase", "--method", "linear",
        "--target", "215000", "--target-year", "2031", "--base-year", "2020", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["projection"] == 165_000
    assert payload["required_rate"] == pytest.approx(140_000 / 6)
    assert payload["status"] == "limited_progress"


def test_not_available_for_a_single_point_is_reported_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "made-up-one-point.csv"
    path.write_text("Year,Value\n2021,59.9\n", encoding="utf-8")
    result = _run("--csv", str(path), "--direction", "increase", "--json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["status"] == "not_available" and payload["score"] is None
    assert payload["warnings"]


def test_table_output_is_readable(statcan_csv: Path) -> None:
    result = _run("--csv", str(statcan_csv), "--direction", "decrease", "--target", "7.25")
    assert result.exit_code == 0, result.stderr
    assert "substantial progress" in result.stdout
    assert "Projection for 2030" in result.stdout
    assert "14.5 in 2015" in result.stdout
    assert "-4.76% a year" in result.stdout


def test_limit_with_target_warns_on_the_table(tmp_path: Path) -> None:
    path = tmp_path / "made-up-series.csv"
    path.write_text("Year,Value\n2015,90\n2021,93.2\n", encoding="utf-8")
    result = _run("--csv", str(path), "--direction", "increase", "--target", "99", "--limit", "100")
    assert result.exit_code == 0
    assert "limit 100.0 ignored" in result.stderr
