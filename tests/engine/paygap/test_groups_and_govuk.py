"""Ethnicity and disability pay gaps, low pay, and the GOV.UK service's rules and download layout."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from recovery_tracker.engine.paygap import (
    DOWNLOAD_COLUMNS,
    download_csv,
    govuk_download_row,
    normalise_payroll,
    paygap_report,
    report_to_dict,
    validate_govuk_figures,
)
from recovery_tracker.engine.paygap.groups import broad_ethnic_group, disability_group

SNAPSHOT = date(2024, 4, 5)


def made_up_group_payroll() -> pl.DataFrame:
    # 20 White British at £15, 12 Indian at £12, 3 Black African at £10, 5 not disclosed at £9.
    ethnicity = ["White British"] * 20 + ["Indian"] * 12 + ["Black African"] * 3 + ["Prefer not to say"] * 5
    hourly = ["15"] * 20 + ["12"] * 12 + ["10"] * 3 + ["9"] * 5
    disability = (["No"] * 15 + ["Yes"] * 5) + (["No"] * 10 + ["Yes"] * 2) + ["No"] * 3 + [""] * 5
    n = len(ethnicity)
    return pl.DataFrame(
        {
            "employee_id": [f"MADEUP-{i}" for i in range(n)],
            "sex": ["M", "F"] * (n // 2),
            "hourly_pay": hourly,
            "bonus_pay": ["100"] * 10 + ["0"] * (n - 10),
            "ethnicity": ethnicity,
            "disability": disability,
        }
    )


def test_ethnicity_binary_and_broad_with_small_groups_suppressed():
    payroll = normalise_payroll(made_up_group_payroll())
    report = paygap_report(payroll, SNAPSHOT, by=("ethnicity",), low_pay=False)
    eth = report.ethnicity
    binary = {row.group: row for row in eth.levels["binary"]}
    other = binary["All other disclosed groups"]
    assert other.relevant_employees == 15
    # Reference mean £15; others (12 × £12 + 3 × £10) / 15 = £11.60 → 22.7%.
    assert str(round(float(other.comparison.mean_hourly_gap), 4)) == "22.6667"
    broad = {row.group: row for row in eth.levels["broad"]}
    assert broad["Asian or Asian British"].suppressed is False
    assert broad["Asian or Asian British"].comparison.median_hourly_gap == 20
    assert broad["Black, Black British, Caribbean or African"].suppressed is True
    assert broad["Black, Black British, Caribbean or African"].comparison is None
    assert eth.not_disclosed == 5 and eth.not_disclosed_rate == 12.5


def test_not_disclosed_stays_in_the_quarter_ranking():
    eth = paygap_report(normalise_payroll(made_up_group_payroll()), SNAPSHOT, by=("ethnicity",)).ethnicity
    bands = eth.bands["broad"]
    assert sum(bands.sizes) == 40
    assert list(bands.counts["Not disclosed"]) == [5, 0, 0, 0]


def test_small_groups_can_be_merged_instead():
    payroll = normalise_payroll(made_up_group_payroll())
    eth = paygap_report(payroll, SNAPSHOT, by=("ethnicity",), small_groups="merge", low_pay=False).ethnicity
    assert eth.merged == ["Black, Black British, Caribbean or African"]
    assert "Other groups (merged: each under the minimum size)" in eth.composition


def test_configurable_reference_group():
    payroll = normalise_payroll(made_up_group_payroll())
    eth = paygap_report(payroll, SNAPSHOT, by=("ethnicity",), ethnicity_reference="Indian", low_pay=False).ethnicity
    assert eth.reference == "Indian"
    binary = {row.group: row for row in eth.levels["binary"]}
    assert binary["All other disclosed groups"].relevant_employees == 23


def test_disability_gap_and_composition():
    report = paygap_report(normalise_payroll(made_up_group_payroll()), SNAPSHOT, by=("disability",), low_pay=False)
    dis = report.disability
    assert dis.composition == {"Non-disabled": 28, "Disabled": 7, "Not disclosed": 5}
    (row,) = dis.levels["binary"]
    assert row.group == "Disabled" and row.suppressed is True  # 7 < 10
    data = report_to_dict(report)
    assert data["group"] == "disability" and data["not_disclosed"]["count"] == 5


@pytest.mark.parametrize(
    ("written", "group"),
    [
        ("White: English, Welsh, Scottish, Northern Irish or British", "White British"),
        ("white british", "White British"),
        ("White Irish", "White (other than White British)"),
        ("Mixed White and Black African", "Mixed or multiple ethnic groups"),
        ("Pakistani", "Asian or Asian British"),
        ("Black Caribbean", "Black, Black British, Caribbean or African"),
        ("Arab", "Other ethnic group"),
        ("Prefer not to say", "Not disclosed"),
        ("", "Not disclosed"),
    ],
)
def test_broad_ethnic_groups(written, group):
    assert broad_ethnic_group(written) == group


def test_disability_spellings():
    assert [disability_group(v) for v in ("Yes", "no", "Disabled", "prefer not to say")] == [
        "Disabled", "Non-disabled", "Disabled", "Not disclosed",
    ]


def test_low_pay_against_a_given_amount_and_the_real_living_wage():
    payroll = normalise_payroll(made_up_group_payroll())
    given = paygap_report(payroll, SNAPSHOT, low_pay_amount=Decimal("10")).low_pay
    assert (given.overall.below, given.overall.full_pay_relevant_employees) == (5, 40)  # £9 only; £10 is not below
    rlw = paygap_report(payroll, date(2024, 6, 1)).low_pay  # 2023 rate, £12.00, in force from 1 May 2024
    assert rlw.threshold == Decimal("12.00")
    assert rlw.overall.below == 8
    assert "Real Living Wage 2023" in rlw.basis
    assert rlw.by_group["sex"]["male"].below + rlw.by_group["sex"]["female"].below == 8


def good_figures(**changes):
    figures = {
        "DiffMeanHourlyPercent": Decimal("13.6"), "DiffMedianHourlyPercent": Decimal("6.7"),
        "DiffMeanBonusPercent": Decimal("9.7"), "DiffMedianBonusPercent": Decimal("3.3"),
        "MaleBonusPercent": Decimal("94.5"), "FemaleBonusPercent": Decimal("64.0"),
        "MaleLowerQuartile": Decimal("16.8"), "FemaleLowerQuartile": Decimal("83.2"),
        "MaleLowerMiddleQuartile": Decimal("9.9"), "FemaleLowerMiddleQuartile": Decimal("90.1"),
        "MaleUpperMiddleQuartile": Decimal("26.8"), "FemaleUpperMiddleQuartile": Decimal("73.2"),
        "MaleTopQuartile": Decimal("67.5"), "FemaleTopQuartile": Decimal("32.5"),
    }
    figures.update(changes)
    return figures


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"DiffMeanHourlyPercent": Decimal("13.59")}, "more than 1 decimal place"),
        ({"MaleLowerQuartile": Decimal("16.9")}, "not 100"),
        ({"MaleBonusPercent": Decimal("0.0")}, "must be blank"),
        ({"DiffMeanBonusPercent": None}, "both bonus gaps are required"),
        ({"DiffMeanBonusPercent": Decimal("100.0")}, "less than 100%"),
        ({"FemaleBonusPercent": Decimal("0.0")}, "must be 100"),
        ({"MaleBonusPercent": Decimal("-1.0")}, "below 0"),
        ({"DiffMeanHourlyPercent": Decimal("100.1")}, "more than 100"),
        ({"DiffMedianHourlyPercent": None}, "required"),
    ],
)
def test_govuk_validation(changes, problem):
    problems = validate_govuk_figures(good_figures(**changes))
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


def test_download_layout_sorted_and_formula_safe():
    payroll = normalise_payroll(made_up_group_payroll())
    report = paygap_report(payroll, SNAPSHOT, low_pay=False)
    text = download_csv([govuk_download_row("zeta-MADEUP", report), govuk_download_row("=HYPERLINK(1)", report)])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(DOWNLOAD_COLUMNS) and len(rows[0]) == 27
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(1)", "zeta-MADEUP"]
    assert rows[1][DOWNLOAD_COLUMNS.index("EmployerSize")] == "Less than 250"
    assert rows[1][DOWNLOAD_COLUMNS.index("DiffMeanHourlyPercent")] == str(report.sex.figures["DiffMeanHourlyPercent"])
