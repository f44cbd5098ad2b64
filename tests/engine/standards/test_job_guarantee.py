"""The job guarantee's six conditions, one focused test per rule, with the boundaries."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recovery_tracker.engine.standards import StandardsInputError
from recovery_tracker.engine.standards.job_guarantee import (
    Placement,
    check_additionality,
    check_community_benefit,
    check_job_guarantee_file,
    check_living_wage,
    check_placements,
    check_secure_contract,
    check_training,
    check_union_access,
    load_job_guarantee_standard,
    minimum_end_date,
    read_placements,
)

HEADER = ("employer,start_date,end_date,contract_type,weekly_hours,hourly_pay,london,training,union_access,"
          "community_benefit,additional\n")
STANDARD = load_job_guarantee_standard()


def placement(**changes: object) -> Placement:
    values: dict[str, object] = {
        "row": 2,
        "employer": "Test Employer DEMO",
        "start_date": date(2026, 1, 15),
        "end_date": None,
        "contract_type": "permanent",
        "weekly_hours": Decimal("35"),
        "hourly_pay": Decimal("14.00"),
        "london": False,
        "training": True,
        "union_access": True,
        "community_benefit": True,
        "additional": True,
    }
    values.update(changes)
    return Placement(**values)  # type: ignore[arg-type]


def write(tmp_path: Path, rows: str, name: str = "placements-DEMO.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


# --- secure contract ---------------------------------------------------------------------------------


def test_contract_of_exactly_six_calendar_months_passes() -> None:
    result = check_secure_contract(placement(contract_type="fixed_term", end_date=date(2026, 7, 14)), STANDARD)
    assert result.passed


def test_contract_one_day_short_of_six_months_fails_and_says_the_date_needed() -> None:
    result = check_secure_contract(placement(contract_type="fixed_term", end_date=date(2026, 7, 13)), STANDARD)
    assert not result.passed
    assert "2026-07-14" in result.reason


@pytest.mark.parametrize(
    ("start", "needed"),
    [
        (date(2026, 1, 1), date(2026, 6, 30)),
        (date(2026, 3, 1), date(2026, 8, 31)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2025, 8, 28), date(2026, 2, 27)),
        (date(2025, 9, 10), date(2026, 3, 9)),
    ],
)
def test_minimum_end_date_is_the_day_before_the_same_day_six_months_on(start: date, needed: date) -> None:
    assert minimum_end_date(start, 6) == needed


def test_open_ended_contract_is_long_enough() -> None:
    assert check_secure_contract(placement(end_date=None), STANDARD).passed


@pytest.mark.parametrize("kind", ["zero_hours", "casual"])
def test_zero_hours_and_casual_contracts_are_not_secure_however_long(kind: str) -> None:
    result = check_secure_contract(placement(contract_type=kind, end_date=None), STANDARD)
    assert not result.passed
    assert "not secure" in result.reason


# --- living wage -------------------------------------------------------------------------------------


def test_pay_equal_to_the_real_living_wage_passes() -> None:
    result = check_living_wage(placement(start_date=date(2026, 5, 1), hourly_pay=Decimal("13.45")))
    assert result.passed


def test_pay_a_penny_below_the_real_living_wage_fails() -> None:
    result = check_living_wage(placement(start_date=date(2026, 5, 1), hourly_pay=Decimal("13.44")))
    assert not result.passed
    assert "13.45" in result.reason


def test_start_the_day_before_a_new_rate_applies_uses_the_old_rate_and_warns() -> None:
    result = check_living_wage(placement(start_date=date(2026, 4, 30), hourly_pay=Decimal("12.60")))
    assert result.passed
    assert "12.60" in result.reason
    assert any("13.45" in warning and "2026-05-01" in warning for warning in result.warnings)


def test_start_on_the_day_a_new_rate_applies_uses_the_new_rate() -> None:
    result = check_living_wage(placement(start_date=date(2026, 5, 1), hourly_pay=Decimal("12.60")))
    assert not result.passed
    assert not result.warnings


def test_london_placements_use_the_london_rate() -> None:
    assert not check_living_wage(placement(start_date=date(2026, 5, 1), hourly_pay=Decimal("14.00"),
                                           london=True)).passed
    assert check_living_wage(placement(start_date=date(2026, 5, 1), hourly_pay=Decimal("14.80"), london=True)).passed


# --- the yes/no conditions ---------------------------------------------------------------------------


def test_training_is_required() -> None:
    assert check_training(placement(training=True)).passed
    assert not check_training(placement(training=False)).passed


def test_union_access_is_required() -> None:
    assert check_union_access(placement(union_access=True)).passed
    assert not check_union_access(placement(union_access=False)).passed


def test_community_benefit_must_be_stated_and_a_description_counts() -> None:
    described = check_community_benefit(placement(community_benefit="Retrofitting council homes"))
    assert described.passed and "Retrofitting council homes" in described.reason
    assert not check_community_benefit(placement(community_benefit=False)).passed


def test_additionality_is_required() -> None:
    assert check_additionality(placement(additional=True)).passed
    assert not check_additionality(placement(additional=False)).passed


# --- summary -----------------------------------------------------------------------------------------


def test_summary_counts_placements_meeting_all_and_failures_per_condition() -> None:
    report = check_placements([
        placement(),
        placement(row=3, training=False, union_access=False),
        placement(row=4, union_access=False),
        placement(row=5),
    ])
    summary = report.summary
    assert (summary.total, summary.meeting_all, summary.share_meeting_all) == (4, 2, 0.5)
    assert summary.failures["union_access"] == 2
    assert summary.failures["training"] == 1
    assert summary.failures["living_wage"] == 0
    assert summary.commonest_failures[0] == ("union_access", 2)


def test_summary_share_is_none_without_placements() -> None:
    assert check_placements([]).summary.share_meeting_all is None


# --- reading files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("yes", "no"), [("yes", "no"), ("Y", "N"), ("TRUE", "false"), ("1", "0")])
def test_yes_no_columns_accept_the_usual_spellings(tmp_path: Path, yes: str, no: str) -> None:
    path = write(tmp_path, f"Employer DEMO,2026-01-15,,permanent,35,14,{no},{yes},{yes},{yes},{no}\n")
    [read] = read_placements(path)
    assert read.training and read.union_access and read.community_benefit is True
    assert not read.london and not read.additional


def test_empty_end_date_means_open_ended(tmp_path: Path) -> None:
    [read] = read_placements(write(tmp_path, "Employer DEMO,2026-01-15,,fixed_term,35,14,no,yes,yes,yes,yes\n"))
    assert read.end_date is None


def test_malformed_file_names_every_bad_row_and_column_and_gives_no_results(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Good DEMO,2026-01-15,,permanent,35,14,no,yes,yes,yes,yes\n"
        "Bad DEMO,15th Jan,,permanent,35,lots,no,yes,maybe,yes,yes\n"
        "Bad too DEMO,2026-01-15,2025-01-01,gig,35,14,no,yes,yes,yes,yes\n",
    )
    with pytest.raises(StandardsInputError) as raised:
        check_job_guarantee_file(path)
    where = {(error.row, error.column) for error in raised.value.problems}
    assert where == {(3, "start_date"), (3, "hourly_pay"), (3, "union_access"), (4, "end_date"),
                     (4, "contract_type")}
    assert "row 3, column hourly_pay" in str(raised.value)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "placements-DEMO.csv"
    path.write_text("employer,start_date\nEmployer DEMO,2026-01-15\n", encoding="utf-8")
    with pytest.raises(StandardsInputError) as raised:
        read_placements(path)
    assert {error.column for error in raised.value.problems} >= {"hourly_pay", "additional"}


def test_start_date_before_the_rate_table_is_an_error_not_a_pass(tmp_path: Path) -> None:
    path = write(tmp_path, "Employer DEMO,2001-01-15,,permanent,35,14,no,yes,yes,yes,yes\n")
    with pytest.raises(StandardsInputError) as raised:
        read_placements(path)
    assert [(error.row, error.column) for error in raised.value.problems] == [(2, "start_date")]


def test_xlsx_placements_are_read_like_csv(tmp_path: Path) -> None:
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "placements-DEMO.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER.strip().split(","))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(1, 0, "Employer DEMO")
    sheet.write_datetime(1, 1, dt.datetime(2026, 5, 1), date_format)
    sheet.write_blank(1, 2, None)
    sheet.write_row(1, 3, ["permanent", 35, 13.45, "no", "yes", "yes", "yes", "yes"])
    workbook.close()
    report = check_job_guarantee_file(path)
    assert report.summary.meeting_all == 1
    assert report.placements[0].placement.start_date == date(2026, 5, 1)


def test_demo_file_checks_cleanly() -> None:
    demo = Path(__file__).parents[3] / "src/recovery_tracker/data/standards/examples/placements-DEMO.csv"
    report = check_job_guarantee_file(demo)
    assert report.summary.total == 6
    assert report.summary.meeting_all < report.summary.total


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_six_calendar_months_is_always_180_to_183_days_and_never_shrinks_for_a_later_start(start: date) -> None:
    needed = minimum_end_date(start, 6)
    assert 180 <= (needed - start).days <= 183
    assert minimum_end_date(start + timedelta(days=1), 6) >= needed


def test_plain_python_values_from_a_form_are_accepted() -> None:
    from recovery_tracker.engine.standards.job_guarantee import placements_from_records

    form = {"employer": "Form Employer DEMO", "start_date": date(2026, 5, 1), "end_date": None,
            "contract_type": "Fixed term", "weekly_hours": 30, "hourly_pay": Decimal("13.45"), "london": False,
            "training": True, "union_access": True, "community_benefit": "Park upkeep", "additional": True}
    [read] = placements_from_records([(1, form)])
    assert check_placements([read]).placements[0].passes
    with pytest.raises(StandardsInputError) as raised:
        placements_from_records([(1, {**form, "hourly_pay": "", "training": None})])
    assert {(error.row, error.column) for error in raised.value.problems} == {(1, "hourly_pay"), (1, "training")}
