"""Employer commitments by size band, and charters as data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from recovery_tracker.engine.standards import StandardsInputError
from recovery_tracker.engine.standards.charters import (
    check_employers_file,
    load_charters,
    load_commitments_standard,
    size_band_for,
)

COLUMNS = ("employer,employees,gender_pay_gap_report,disability_pay_gap_report,ethnicity_pay_gap_report,"
           "pay_gap_action_plan,time_bound_action_plan,pay_audits,zero_tolerance_harassment,"
           "lgbt_inclusive_equality_policy,reasonable_adjustments_passport,charters\n")
STANDARD = load_commitments_standard()


def employers(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "employers-DEMO.csv"
    path.write_text(COLUMNS + rows, encoding="utf-8")
    return path


@pytest.mark.parametrize(("employees", "band"), [(0, "under_50"), (49, "under_50"), (50, "50_to_249"),
                                                 (249, "50_to_249"), (250, "250_plus")])
def test_size_bands_break_at_50_and_250_employees(employees: int, band: str) -> None:
    assert size_band_for(employees, STANDARD).id == band


def test_pay_gap_reports_are_not_asked_of_employers_under_50(tmp_path: Path) -> None:
    report = check_employers_file(employers(tmp_path, "Small DEMO,49,,,,,,yes,yes,yes,yes,\n"))
    [small] = report.employers
    assert small.meets_all
    assert "gender_pay_gap_report" in small.not_applicable


def test_employer_of_50_must_report_all_three_pay_gaps_and_plan_action(tmp_path: Path) -> None:
    report = check_employers_file(employers(tmp_path, "Mid DEMO,50,yes,no,no,yes,,yes,yes,yes,yes,\n"))
    [middle] = report.employers
    assert middle.missing == ("disability_pay_gap_report", "ethnicity_pay_gap_report")
    assert "time_bound_action_plan" in middle.not_applicable


def test_time_bound_action_plan_is_asked_from_250_employees(tmp_path: Path) -> None:
    report = check_employers_file(employers(tmp_path, "Big DEMO,250,yes,yes,yes,yes,no,yes,yes,yes,yes,\n"))
    assert report.employers[0].missing == ("time_bound_action_plan",)


def test_commitments_for_all_employers(tmp_path: Path) -> None:
    report = check_employers_file(employers(tmp_path, "Small DEMO,10,,,,,,no,no,no,no,\n"))
    assert report.employers[0].missing == ("pay_audits", "zero_tolerance_harassment",
                                           "lgbt_inclusive_equality_policy", "reasonable_adjustments_passport")


def test_charters_signed_are_read_with_their_dates_and_counted(tmp_path: Path) -> None:
    report = check_employers_file(employers(
        tmp_path, "Small DEMO,10,,,,,,yes,yes,yes,yes,dying-to-work-charter=2019-05-01; "
                  "tuc-apprenticeship-charter=2020-09-01\n"))
    signed = {item.charter.id: item.signed for item in report.employers[0].employer.charters}
    assert signed == {"dying-to-work-charter": date(2019, 5, 1), "tuc-apprenticeship-charter": date(2020, 9, 1)}
    assert report.summary()["charter_signatories"]["dying-to-work-charter"] == 1


def test_shipped_charters_carry_sources_and_any_wmca_charter_is_hypothetical() -> None:
    charters = load_charters()
    assert len(charters["gm-good-employment-charter"].requirements) == 7
    assert all(charter.source for charter in charters.values())
    wmca = [charter for charter in charters.values() if "wmca" in charter.id]
    assert wmca and all(charter.hypothetical and "HYPOTHETICAL" in charter.name for charter in wmca)


def test_bad_rows_name_row_and_column(tmp_path: Path) -> None:
    path = employers(
        tmp_path,
        "Good DEMO,10,,,,,,yes,yes,yes,yes,\n"
        "Bad DEMO,many,,,,,,yes,yes,yes,yes,\n"
        "Bad too DEMO,60,,,,,,yes,yes,yes,yes,made-up-charter=2020-01-01; dying-to-work-charter\n",
    )
    with pytest.raises(StandardsInputError) as raised:
        check_employers_file(path)
    where = {(error.row, error.column) for error in raised.value.problems}
    assert (3, "employees") in where
    assert {(4, "gender_pay_gap_report"), (4, "pay_gap_action_plan"), (4, "charters")} <= where
    assert sum(1 for error in raised.value.problems if error.row == 4 and error.column == "charters") == 2


def test_charter_signed_after_the_as_at_date_is_an_error(tmp_path: Path) -> None:
    path = employers(tmp_path, "Small DEMO,10,,,,,,yes,yes,yes,yes,dying-to-work-charter=2030-01-01\n")
    with pytest.raises(StandardsInputError):
        check_employers_file(path, as_at=date(2026, 1, 1))


def test_yaml_employers_are_read_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "employers-DEMO.yaml"
    path.write_text(
        "employers:\n"
        "  - employer: Big DEMO\n    employees: 300\n    gender_pay_gap_report: yes\n"
        "    disability_pay_gap_report: yes\n    ethnicity_pay_gap_report: yes\n    pay_gap_action_plan: yes\n"
        "    time_bound_action_plan: yes\n    pay_audits: yes\n    zero_tolerance_harassment: yes\n"
        "    lgbt_inclusive_equality_policy: yes\n    reasonable_adjustments_passport: no\n"
        "    charters:\n      gm-good-employment-charter: 2021-03-15\n",
        encoding="utf-8",
    )
    [big] = check_employers_file(path).employers
    assert big.missing == ("reasonable_adjustments_passport",)
    assert big.employer.charters[0].signed == date(2021, 3, 15)
