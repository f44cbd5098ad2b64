"""The six figures: GOV.UK's Acme worked example, the remainder rule, ties and bonus edge cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import polars as pl
import pytest

from recovery_tracker.engine.paygap import normalise_payroll, paygap_report, report_to_dict
from recovery_tracker.engine.paygap.rules import allocate_tie, band_sizes, largest_remainder, round_published

from .acme import made_up_acme_payroll

SNAPSHOT = date(2024, 4, 5)


def report_for(frame: pl.DataFrame, **options):
    return paygap_report(normalise_payroll(frame), SNAPSHOT, low_pay=False, **options)


def payroll(rows: list[tuple[str, str | None, str]], full_pay: list[str] | None = None) -> pl.DataFrame:
    """Rows of (sex, hourly_pay, bonus_pay) as a made-up payroll frame."""
    return pl.DataFrame(
        {
            "employee_id": [f"MADEUP-{i}" for i in range(len(rows))],
            "sex": [r[0] for r in rows],
            "hourly_pay": [r[1] for r in rows],
            "bonus_pay": [r[2] for r in rows],
            "full_pay": full_pay or ["yes"] * len(rows),
        }
    )


@pytest.fixture(scope="module")
def acme():
    return report_for(made_up_acme_payroll())


def test_acme_counts(acme):
    counts = acme.sex.counts
    assert counts["relevant_employees"] == 4500
    assert counts["full_pay_relevant_employees"] == 4445
    assert (counts["male"], counts["female"]) == (1375, 3125)
    assert counts["excluded"] == {}


def test_acme_quarter_bands_match_the_guidance(acme):
    bands = acme.sex.bands
    assert bands.sizes == (1112, 1111, 1111, 1111)
    assert list(bands.counts["male"]) == [187, 110, 298, 750]
    assert list(bands.counts["female"]) == [925, 1001, 813, 361]


def test_acme_tie_split_is_nine_women_one_man_then_27_and_3():
    # The 40 on £10 (36 W, 4 M) straddle the lower / lower middle edge: 10 below, 30 above.
    assert allocate_tie([10, 30, 0, 0], {"male": 4, "female": 36}) == {
        "male": [1, 3, 0, 0],
        "female": [9, 27, 0, 0],
    }


def test_acme_unrounded_figures(acme):
    unrounded = acme.sex.unrounded
    expected = {
        "DiffMeanHourlyPercent": 13.5943,
        "DiffMedianHourlyPercent": 6.6667,
        "DiffMeanBonusPercent": 9.6970,
        "DiffMedianBonusPercent": 3.2609,
        "MaleBonusPercent": 94.5455,
        "FemaleBonusPercent": 64.0000,
        "MaleLowerQuartile": 16.8165,
        "FemaleLowerQuartile": 83.1835,
        "MaleLowerMiddleQuartile": 9.9010,
        "FemaleLowerMiddleQuartile": 90.0990,
        "MaleUpperMiddleQuartile": 26.8227,
        "FemaleUpperMiddleQuartile": 73.1773,
        "MaleTopQuartile": 67.5068,
        "FemaleTopQuartile": 32.4932,
    }
    for name, value in expected.items():
        assert float(unrounded[name]) == pytest.approx(value, abs=5e-5), name
    # Exact: mean hourly gap from the sums £23,550 / 1,345 and £46,900 / 3,100.
    men, women = Fraction(23550, 1345), Fraction(46900, 3100)
    assert unrounded["DiffMeanHourlyPercent"] == (men - women) / men * 100


def test_acme_published_figures(acme):
    assert {k: str(v) for k, v in acme.sex.figures.items()} == {
        "DiffMeanHourlyPercent": "13.6",
        "DiffMedianHourlyPercent": "6.7",
        "DiffMeanBonusPercent": "9.7",
        "DiffMedianBonusPercent": "3.3",
        "MaleBonusPercent": "94.5",
        "FemaleBonusPercent": "64.0",
        "MaleLowerQuartile": "16.8",
        "FemaleLowerQuartile": "83.2",
        "MaleLowerMiddleQuartile": "9.9",
        "FemaleLowerMiddleQuartile": "90.1",
        "MaleUpperMiddleQuartile": "26.8",
        "FemaleUpperMiddleQuartile": "73.2",
        "MaleTopQuartile": "67.5",
        "FemaleTopQuartile": "32.5",
    }
    assert acme.sex.govuk_problems == []


@pytest.mark.parametrize(
    ("n", "sizes"),
    [(8, (2, 2, 2, 2)), (9, (3, 2, 2, 2)), (10, (3, 2, 3, 2)), (11, (3, 3, 3, 2)), (4445, (1112, 1111, 1111, 1111))],
)
def test_remainder_rule(n, sizes):
    assert band_sizes(n) == sizes


@pytest.mark.parametrize("n", [8, 9, 10, 11])
def test_remainder_rule_applied_to_a_payroll(n):
    # Distinct rates, women on the lowest: each band's female count follows the band sizes.
    rows = [("F" if i < n // 2 else "M", f"{10 + i}.00", "0") for i in range(n)]
    bands = report_for(payroll(rows)).sex.bands
    assert bands.sizes == band_sizes(n)
    assert sum(bands.counts["female"]) == n // 2


def test_half_even_rounding_keeps_band_pairs_at_100():
    assert round_published(Fraction(1225, 100)) == Decimal("12.2")
    assert round_published(Fraction(8775, 100)) == Decimal("87.8")
    assert round_published(Fraction(1235, 100)) == Decimal("12.4")
    assert round_published(Fraction(-1225, 100)) == Decimal("-12.2")


def test_largest_remainder_adds_up_and_favours_lower_band_on_equal_remainders():
    assert largest_remainder(1, [1, 1]) == [1, 0]
    assert sum(largest_remainder(7, [3, 5, 2, 9])) == 7


def test_tie_with_three_categories_keeps_band_sizes_and_category_totals():
    result = allocate_tie([5, 7, 3, 0], {"a": 4, "b": 6, "c": 5})
    assert [sum(result[c][i] for c in result) for i in range(4)] == [5, 7, 3, 0]
    assert {c: sum(v) for c, v in result.items()} == {"a": 4, "b": 6, "c": 5}


def test_women_paid_more_gives_a_negative_gap():
    rows = [("M", "10.00", "0"), ("F", "11.00", "0"), ("M", "10.00", "0"), ("F", "11.00", "0")]
    figures = report_for(payroll(rows)).sex.figures
    assert figures["DiffMeanHourlyPercent"] == Decimal("-10.0")
    assert figures["DiffMedianHourlyPercent"] == Decimal("-10.0")


def test_no_men_paid_a_bonus_leaves_bonus_gaps_blank():
    rows = [("M", "10.00", "0"), ("F", "10.00", "100"), ("M", "12.00", "0"), ("F", "9.00", "0")]
    sex = report_for(payroll(rows)).sex
    assert sex.figures["DiffMeanBonusPercent"] is None
    assert sex.figures["DiffMedianBonusPercent"] is None
    assert sex.figures["MaleBonusPercent"] == Decimal("0.0")
    assert sex.figures["FemaleBonusPercent"] == Decimal("50.0")
    assert sex.govuk_problems == []


def test_men_but_no_women_paid_a_bonus_gives_gaps_of_100():
    rows = [("M", "10.00", "500"), ("F", "10.00", "0"), ("M", "12.00", "0"), ("F", "9.00", "0")]
    sex = report_for(payroll(rows)).sex
    assert sex.figures["DiffMeanBonusPercent"] == Decimal("100.0")
    assert sex.figures["DiffMedianBonusPercent"] == Decimal("100.0")
    assert sex.govuk_problems == []


def test_bonus_figures_count_employees_not_on_full_pay():
    rows = [("M", None, "100"), ("M", "10.00", "0"), ("F", "10.00", "50"), ("F", "10.00", "0")]
    sex = report_for(payroll(rows, full_pay=["no", "yes", "yes", "yes"])).sex
    assert sex.counts["full_pay_relevant_employees"] == 3
    assert sex.figures["MaleBonusPercent"] == Decimal("50.0")
    assert sex.figures["DiffMeanBonusPercent"] == Decimal("50.0")


def test_unrecorded_sex_is_excluded_and_counted():
    rows = [("M", "10.00", "0"), ("F", "8.00", "0"), ("prefer not to say", "1.00", "0"), ("", "1.00", "0")]
    sex = report_for(payroll(rows)).sex
    assert sex.counts["excluded"] == {"sex_not_recorded": 2}
    assert sex.figures["DiffMeanHourlyPercent"] == Decimal("20.0")
    assert sex.bands.sizes == (1, 0, 1, 0)


@pytest.mark.parametrize("spelling", ["M", "m", "Male", "MALE", "man", " male "])
def test_common_spellings_of_male(spelling):
    rows = [(spelling, "10.00", "0"), ("woman", "5.00", "0")]
    sex = report_for(payroll(rows)).sex
    assert (sex.counts["male"], sex.counts["female"]) == (1, 1)


def test_hourly_pay_follows_the_regulation_method():
    # (ordinary pay + period bonus) × 7 ÷ days in the period ÷ weekly hours.
    frame = pl.DataFrame(
        {
            "employee_id": ["MADEUP-1", "MADEUP-2"],
            "sex": ["M", "F"],
            "ordinary_pay": ["2000", "1000"],
            "period_bonus_pay": ["100", ""],
            "pay_period_days": ["30.44", "7"],
            "weekly_hours": ["37.5", "40"],
            "bonus_pay": ["0", "0"],
        }
    )
    stats = report_for(frame).sex
    men_hourly = Fraction(2100) * 7 / Fraction("30.44") / Fraction("37.5")
    women_hourly = Fraction(1000) * 7 / 7 / 40
    expected = (men_hourly - women_hourly) / men_hourly * 100
    assert float(stats.unrounded["DiffMeanHourlyPercent"]) == pytest.approx(float(expected), abs=1e-4)


def test_json_shape_for_sex(acme):
    data = report_to_dict(acme)
    assert list(data)[:5] == ["snapshot_date", "group", "figures", "unrounded", "counts"]
    assert data["group"] == "sex"
    assert data["figures"]["DiffMeanHourlyPercent"] == 13.6
    assert set(data["counts"]) == {"relevant_employees", "full_pay_relevant_employees", "male", "female", "excluded"}
