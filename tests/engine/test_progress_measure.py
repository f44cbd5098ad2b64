"""The on-track engine: Open SDG 2.4 acceptance vectors (reference §9), each rule, the linear method."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_tracker.engine.progress_measure import (
    SeriesDataError,
    Status,
    Thresholds,
    assess,
    assess_cagr,
    assess_linear,
    indicator_progress,
    limit_coefficient,
    linear_score,
    method2_score,
    normalise_observations,
    parse_direction,
    read_year_value_csv,
    status_from_score,
)

TOLERANCE = 1e-9

# Reference §9, Statistics Canada production output:
# (series, y0, t0, yi, ti, target, direction, limit, progress value, status, score)
# fmt: off
STATCAN_ROWS = [
    ("1-2-1", 14.5, 2015, 10.2, 2023, 7.25, -1, None, 0.9525901792032172, "substantial_progress", 2.5185563910306596),
    ("1-3-1 children", 90.0, 2015, 93.2, 2021, None, 1, 100, 0.005839995229728112, "substantial_progress",
     2.815386645395768),
    ("1-3-1 pension", 93.4, 2017, 92.7, 2021, None, 1, 100, -0.0018789507235312808, "deterioration",
     -2.7348688404414103),
    ("1-3-1 disabled", 59.9, 2021, 59.9, 2021, None, 1, 100, None, "not_available", None),
    ("1-4-1 water", 98.82, 2015, 99.04, 2022, 100, 1, None, 0.4013545340426752, "limited_progress",
     -0.8276760630043856),
    ("1-4-1 grade 4", 92.0, 2015, 92.0, 2019, 100, 1, None, 0.0, "limited_progress", -2.5),
    ("1-4-1 HSPA", 99.47, 2016, 99.57, 2022, None, 1, 100, 0.00016748456325199612, "moderate_progress",
     0.5456262610658811),
    ("1-4-1 fuels", 100.0, 2015, 100.0, 2022, 100, 1, None, None, "target_achieved", 5.0),
    ("1-5-1", 50.6770883601276, 2015, 35.3786007271678, 2020, None, -1, None, 0.06935124763452605,
     "substantial_progress", 5.0),
    ("1-a-1", 0.0301738416160583, 2015, 0.0273307155637678, 2023, None, 1, None, -0.01229432402820596,
     "deterioration", -4.036790503525745),
    ("10-5-1 NPL/capital", 5.31, 2015, 5.27, 2024, None, -1, None, 0.0008398107947529265, "limited_progress",
     -2.0800946026235367),
    ("10-5-1 liquid assets", 45.36, 2015, 53.22, 2024, None, 1, None, 0.017914530382436622,
     "substantial_progress", 3.957265191218312),
    ("10-5-1 reg. capital", 4.55, 2015, 4.67, 2024, None, 1, None, 0.0028966136258032904, "limited_progress",
     -1.0516931870983548),
    ("11-1-1", 10.0, 2018, 10.4, 2022, 0.1, -1, None, -0.030916728428577435, "deterioration",
     -2.6288207323433537),
    ("12-b-1", 9.0, 2015, 6.0, 2021, None, 1, 11, -0.06534473481593284, "deterioration", -5.0),
    ("14-4-1", 95.5974842767296, 2015, 97.4874371859297, 2023, 100, 1, None, 0.8150538567318096,
     "moderate_progress", 1.5361481932496428),
    ("14-5-1", 0.9, 2015, 14.7, 2023, 10, 1, None, 2.3996836108900683, "target_achieved", 5.0),
    ("15-2-1 protected", 8.5, 2015, 8.5, 2020, None, 1, 100, 0.0, "limited_progress", -2.5),
]
# fmt: on


def _close(actual: float | None, expected: float | None) -> bool:
    if expected is None:
        return actual is None
    return actual is not None and abs(actual - expected) <= TOLERANCE


@pytest.mark.parametrize("row", STATCAN_ROWS, ids=[row[0] for row in STATCAN_ROWS])
def test_statistics_canada_vectors_reproduce(row: tuple) -> None:
    _, y0, t0, yi, ti, target, direction, limit, value, status, score = row
    result = assess_cagr({t0: y0, ti: yi}, direction=direction, target=target, base_year=t0, limit=limit)
    assert result.status == status
    assert _close(result.progress_value, value), result.progress_value
    assert _close(result.score, score), result.score


def test_legacy_l1_falls_back_to_first_later_year_and_deteriorates() -> None:
    # Indicator 1-1-1 headline: no 2015 data, so base year 2015 falls back to 2020.
    result = assess_cagr({2020: 100, 2021: 120}, direction="negative")
    assert result.base_year == 2020
    assert result.components.cagr_current == pytest.approx(0.2, abs=TOLERANCE)
    assert result.progress_value == pytest.approx(-0.2, abs=TOLERANCE)
    assert result.status == Status.DETERIORATION
    assert result.score == -5
    assert any("2015 has no data" in warning for warning in result.warnings)


def test_legacy_l2_zero_target_becomes_a_thousandth() -> None:
    data = {2015: 1.55, 2019: 1.82}
    result = assess_cagr(data, direction="negative", target=0)
    assert _close(result.components.cagr_current, 0.04096211131524741)
    assert _close(result.components.cagr_target, -0.38721063409482137)
    assert _close(result.progress_value, -0.1057876713820222)
    assert result.status == Status.DETERIORATION
    assert _close(result.score, -2.940785490347472)
    assert result.target == 0.001 and result.components.target_given == 0
    assert any("target is 0" in warning for warning in result.warnings)


@dataclass(frozen=True)
class _Scored:
    score: float | None
    target_achieved: bool = False


def test_aggregate_2_5_1_mean_of_minus_five_and_five_is_moderate() -> None:
    verdict = indicator_progress([_Scored(-5.0), _Scored(5.0, True)])
    assert verdict.score == 0.0
    assert verdict.status == Status.MODERATE_PROGRESS
    assert not verdict.target_achieved


def test_aggregate_1_3_1_skips_null_series_and_is_limited() -> None:
    expected_mean = -0.9229165765750275
    children, pension = 2.815386645395768, -2.7348688404414103
    third = 3 * expected_mean - children - pension
    assert third == pytest.approx(-2.849, abs=1e-3)  # the reference prints "-2.849…"
    series = [_Scored(children), _Scored(pension), _Scored(third)] + [_Scored(None)] * 4
    verdict = indicator_progress(series)
    assert _close(verdict.score, expected_mean)
    assert verdict.status == Status.LIMITED_PROGRESS
    assert (verdict.scored_series, verdict.series) == (3, 7)


def test_aggregate_target_achieved_only_when_every_scored_series_achieved() -> None:
    assert indicator_progress([_Scored(5.0, True), _Scored(None)]).status == Status.TARGET_ACHIEVED
    assert indicator_progress([_Scored(5.0, True), _Scored(5.0, False)]).status == Status.SUBSTANTIAL_PROGRESS
    assert indicator_progress([_Scored(None), _Scored(None)]).status == Status.NOT_AVAILABLE


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (5, "substantial_progress"),
        (2.5, "substantial_progress"),
        (2.4999, "moderate_progress"),
        (0, "moderate_progress"),
        (-0.0001, "limited_progress"),
        (-2.5, "limited_progress"),
        (-2.5001, "deterioration"),
        (-5, "deterioration"),
        (None, "not_available"),
    ],
)
def test_status_from_score_bands(score: float | None, status: str) -> None:
    assert status_from_score(score) == status


# --- data selection rules ----------------------------------------------------------------------


def test_year_strings_are_cut_to_four_characters() -> None:
    result = assess_cagr({"2015-16": 10.0, "2020-21": 12.0}, direction="increase")
    assert (result.base_year, result.current_year) == (2015, 2020)


def test_repeated_year_is_an_error_naming_the_year() -> None:
    with pytest.raises(SeriesDataError, match="2015"):
        normalise_observations([("2015", 1.0), ("2015-16", 2.0)])


def test_missing_values_are_dropped_before_choosing_years() -> None:
    result = assess_cagr({2015: None, 2016: 10.0, 2019: 11.0, 2020: None}, direction="increase")
    assert (result.base_year, result.current_year) == (2016, 2019)


def test_base_year_later_than_all_data_is_not_available() -> None:
    result = assess_cagr({2015: 10.0, 2018: 12.0}, direction="increase", base_year=2020)
    assert result.status == Status.NOT_AVAILABLE and result.score is None
    assert any("later than the latest year" in warning for warning in result.warnings)


def test_single_point_is_not_available() -> None:
    result = assess_cagr({2018: 10.0}, direction="increase")
    assert result.status == Status.NOT_AVAILABLE and result.score is None and result.progress_value is None


def test_no_data_is_not_available() -> None:
    assert assess_cagr({}, direction="increase").status == Status.NOT_AVAILABLE


def test_opposite_signs_are_not_available() -> None:
    result = assess_cagr({2015: 5.0, 2020: -1.0}, direction="increase")
    assert result.status == Status.NOT_AVAILABLE
    assert any("opposite signs" in warning for warning in result.warnings)


def test_zero_base_becomes_a_thousandth_with_a_warning() -> None:
    result = assess_cagr({2015: 0.0, 2016: 0.002}, direction="increase")
    assert result.base_value == 0.001 and result.components.base_value_observed == 0.0
    assert result.progress_value == pytest.approx(1.0)
    assert any("base value is 0" in warning for warning in result.warnings)


def test_negative_values_use_the_sign_so_falling_losses_count_as_progress() -> None:
    # Both negative: moving from -10 to -5 is an increase, which is what "increase" wants.
    result = assess_cagr({2015: -10.0, 2020: -5.0}, direction="increase")
    assert result.components.sign == -1
    assert result.progress_value is not None and result.progress_value > 0.015
    assert result.status == Status.SUBSTANTIAL_PROGRESS


# --- direction ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"), [("increase", 1), ("positive", 1), ("Decrease", -1), ("negative", -1), (1, 1), (-1, -1)]
)
def test_direction_words_and_synonyms(word: str | int, expected: int) -> None:
    assert parse_direction(word) == expected


@pytest.mark.parametrize("word", ["", "up", None, 0, True])
def test_direction_is_never_guessed(word: object) -> None:
    with pytest.raises(ValueError, match="direction"):
        parse_direction(word)  # type: ignore[arg-type]


# --- natural limit -----------------------------------------------------------------------------


def test_limit_coefficient_in_each_region() -> None:
    assert limit_coefficient(200, 100) == 1.0
    assert limit_coefficient(90, 100) == pytest.approx(1 - 0.9**4.44)
    assert limit_coefficient(150, 100) == pytest.approx(1 - 0.5**4.44)
    assert limit_coefficient(100, 100) == 0.0
    assert limit_coefficient(0, 0) == 1.0


def test_limit_scales_thresholds_and_is_recorded() -> None:
    result = assess_cagr({2015: 90.0, 2021: 93.2}, direction="increase", limit=100)
    c = 1 - 0.9**4.44
    assert result.components.coefficient == pytest.approx(c)
    assert result.components.thresholds == Thresholds(0.015 * c, 0.005 * c, 0.0)
    # Without the limit the same growth is only moderate: the limit is what makes it substantial.
    assert assess_cagr({2015: 90.0, 2021: 93.2}, direction="increase").status == Status.MODERATE_PROGRESS


def test_base_at_the_limit_holding_steady_is_substantial() -> None:
    result = assess_cagr({2015: 100.0, 2020: 100.0}, direction="increase", limit=100)
    assert result.components.coefficient == 0
    assert result.status == Status.SUBSTANTIAL_PROGRESS and result.score == 5.0


def test_limit_is_ignored_with_a_warning_when_a_target_is_set() -> None:
    data = {2015: 90.0, 2021: 93.2}
    with_limit = assess_cagr(data, direction="increase", target=99, limit=100)
    without = assess_cagr(data, direction="increase", target=99)
    assert with_limit.components.limit is None and with_limit.components.coefficient is None
    assert (with_limit.progress_value, with_limit.score) == (without.progress_value, without.score)
    assert any("limit 100 ignored" in warning for warning in with_limit.warnings)


# --- target achieved, projection and required rate ----------------------------------------------


def test_target_achieved_with_zero_over_zero_scores_five() -> None:
    result = assess_cagr({2015: 100.0, 2022: 100.0}, direction="increase", target=100)
    assert result.progress_value is None
    assert result.status == Status.TARGET_ACHIEVED and result.score == 5.0 and result.target_achieved


def test_base_equal_to_target_then_moving_away_is_deterioration() -> None:
    result = assess_cagr({2015: 100.0, 2022: 90.0}, direction="increase", target=100)
    assert result.status == Status.DETERIORATION and result.score == -5.0
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["progress_value"] is None


def test_projection_and_required_rate_for_a_target() -> None:
    result = assess_cagr({2015: 100.0, 2020: 110.0}, direction="increase", target=150, target_year=2030)
    growth = 1.1 ** (1 / 5) - 1
    assert result.projection == pytest.approx(110.0 * (1 + growth) ** 10)
    assert result.projection == pytest.approx(133.1)  # = 100 · 1.1^3, as reference §7 says
    assert result.required_rate == pytest.approx((150 / 110) ** (1 / 10) - 1)
    # Reference §7: R ≥ 1 exactly when the projection reaches the target; here it falls short.
    assert result.progress_value is not None and result.progress_value < 1


def test_projection_without_target_goes_to_default_2030() -> None:
    result = assess_cagr({2015: 100.0, 2020: 110.0}, direction="increase")
    assert result.target_year == 2030 and result.required_rate is None
    assert result.projection == pytest.approx(133.1)  # = 100 · 1.1^3, as reference §7 says


def test_no_projection_when_target_year_is_before_latest_data() -> None:
    result = assess_cagr({2015: 100.0, 2024: 110.0}, direction="increase", target=150, target_year=2020)
    assert result.projection is None and result.required_rate is None


def test_components_record_every_input_and_is_json() -> None:
    result = assess_cagr({2015: 14.5, 2023: 10.2}, direction="decrease", target=7.25)
    record = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    components = record["components"]
    for key in (
        "base_year",
        "base_value",
        "current_year",
        "current_value",
        "target",
        "target_year",
        "cagr_current",
        "cagr_target",
        "thresholds",
        "sign",
        "direction",
        "warnings",
        "projection",
        "required_rate",
        "progress_value",
        "status",
        "score",
    ):
        assert key in components
    assert components["thresholds"] == {"high": 0.95, "med": 0.6, "low": 0.0}
    assert components["calculation"] == "method 2 (target)"
    assert record["status"] == "substantial_progress"


def test_method2_uses_the_printed_coefficients() -> None:
    # 50/7 and 30/7 would give 2.51850... here; only 7.1429/4.2857 reproduce Statistics Canada.
    assert _close(method2_score(0.9525901792032172), 2.5185563910306596)
    assert abs(50 / 7 * 0.9525901792032172 - 30 / 7 - 2.5185563910306596) > 1e-5


# --- properties ---------------------------------------------------------------------------------

values = st.one_of(
    st.just(0.0),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False),
    st.sampled_from([-1.0, 1.0, 100.0, 0.001, -0.001]),
)
series = st.dictionaries(st.integers(min_value=2005, max_value=2035), st.one_of(st.none(), values), max_size=8)
directions = st.sampled_from(["increase", "decrease", "positive", "negative"])

SCORE_BANDS = {
    Status.SUBSTANTIAL_PROGRESS: (2.5, 5.0),
    Status.MODERATE_PROGRESS: (0.0, 2.5),
    Status.LIMITED_PROGRESS: (-2.5, 0.0),
    Status.DETERIORATION: (-5.0, -2.5),
    Status.TARGET_ACHIEVED: (5.0, 5.0),
}
# The printed method-2 coefficients put v just under 0.6 a hair (< 1e-4) above 0; see method2_score.
BAND_SLACK = 1e-4


def _check_consistent(result) -> None:  # type: ignore[no-untyped-def]
    if result.status == Status.NOT_AVAILABLE:
        assert result.score is None
        return
    assert result.score is not None and -5.0 <= result.score <= 5.0
    low, high = SCORE_BANDS[result.status]
    assert low - BAND_SLACK <= result.score <= high + BAND_SLACK, (result.status, result.score)
    assert json.dumps(result.to_dict(), allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    data=series,
    direction=directions,
    target=st.one_of(st.none(), values),
    target_year=st.integers(min_value=2000, max_value=2060),
    base_year=st.integers(min_value=2000, max_value=2040),
    limit=st.one_of(st.none(), values),
)
def test_cagr_never_crashes_and_status_matches_score(
    data: dict, direction: str, target: float | None, target_year: int, base_year: int, limit: float | None
) -> None:
    result = assess_cagr(
        data, direction=direction, target=target, target_year=target_year, base_year=base_year, limit=limit
    )
    _check_consistent(result)
    if result.target_achieved:
        assert result.status == Status.TARGET_ACHIEVED and result.score == 5.0


@settings(max_examples=300, deadline=None)
@given(
    data=series,
    direction=directions,
    target=values,
    target_year=st.integers(min_value=2000, max_value=2060),
    base_year=st.integers(min_value=2000, max_value=2040),
)
def test_linear_never_crashes_and_status_matches_score(
    data: dict, direction: str, target: float, target_year: int, base_year: int
) -> None:
    _check_consistent(
        assess_linear(data, direction=direction, target=target, target_year=target_year, base_year=base_year)
    )


@given(current=values, target=values, direction=directions)
def test_target_already_met_is_always_target_achieved(current: float, target: float, direction: str) -> None:
    d = parse_direction(direction)
    if d * (current - target) < 0:
        current = target
    for result in (
        assess_cagr({2015: 1.0, 2020: current}, direction=direction, target=target),
        assess_linear({2015: 1.0, 2020: current}, direction=direction, target=target),
    ):
        assert result.status == Status.TARGET_ACHIEVED and result.score == 5.0


# --- linear method ------------------------------------------------------------------------------

# Made-up cumulative counts, for tests only: homes completed since a 2020 baseline of 0.
MADE_UP_HOMES = {2020: 0, 2021: 15_000, 2022: 30_000, 2023: 45_000, 2024: 60_000, 2025: 75_000}


def test_linear_made_up_homes_projection_and_required_rate() -> None:
    result = assess_linear(MADE_UP_HOMES, direction="increase", target=215_000, target_year=2031, base_year=2020)
    assert result.components.trend_per_year == 15_000
    assert result.projection == 75_000 + 15_000 * 6
    assert result.required_rate == pytest.approx((215_000 - 75_000) / 6)
    # Projected 165,000: misses the remaining 140,000 by 50,000 (36 %), moving the right way → limited.
    assert result.progress_value == pytest.approx(90_000 / 140_000)
    assert result.status == Status.LIMITED_PROGRESS
    assert -2.5 <= result.score < 0  # type: ignore[operator]
    assert result.base_value == 0 and not any("0.001" in warning for warning in result.warnings)


def test_linear_delivered_against_the_straight_line_path() -> None:
    result = assess_linear(MADE_UP_HOMES, direction="increase", target=215_000, target_year=2031, base_year=2020)
    assert result.components.path_value_now == pytest.approx(215_000 * 5 / 11)
    assert result.components.delivered == 75_000
    assert result.components.path_share == pytest.approx(75_000 / (215_000 * 5 / 11))


@pytest.mark.parametrize(
    ("target", "status"),
    [
        (160_000, "substantial_progress"),  # projected 165,000 passes the target
        (168_000, "substantial_progress"),  # miss 3,000 of 93,000 remaining: < 5 %
        (180_000, "moderate_progress"),  # miss 15,000 of 105,000: 14 %
        (250_000, "limited_progress"),  # miss 85,000 of 175,000: 49 %
    ],
)
def test_linear_status_follows_the_projected_miss(target: float, status: str) -> None:
    result = assess_linear(MADE_UP_HOMES, direction="increase", target=target, target_year=2031, base_year=2020)
    assert result.status == status


def test_linear_moving_away_is_deterioration() -> None:
    result = assess_linear({2019: 50.0, 2024: 40.0}, direction="increase", target=80, target_year=2030, base_year=2019)
    assert result.status == Status.DETERIORATION and result.score < -2.5  # type: ignore[operator]


def test_linear_stagnation_is_limited_as_zero_growth_is_in_open_sdg() -> None:
    result = assess_linear({2019: 50.0, 2024: 50.0}, direction="decrease", target=20, target_year=2030, base_year=2019)
    assert result.progress_value == 0 and result.status == Status.LIMITED_PROGRESS and result.score == -2.5


def test_linear_trend_uses_only_the_last_six_points() -> None:
    data = {2010: 0, 2011: 1000, **{year: 1000 + 10 * (year - 2011) for year in range(2012, 2024)}}
    result = assess_linear(data, direction="increase", target=5000, target_year=2030, base_year=2010)
    assert result.components.trend_years == (2018, 2019, 2020, 2021, 2022, 2023)
    assert result.components.trend_per_year == pytest.approx(10.0)


def test_linear_target_met_and_deadline_passed() -> None:
    met = assess_linear({2015: 10, 2020: 30}, direction="increase", target=25, target_year=2030)
    assert met.status == Status.TARGET_ACHIEVED and met.score == 5.0
    missed = assess_linear({2015: 10, 2024: 20}, direction="increase", target=25, target_year=2020)
    assert missed.status == Status.NOT_AVAILABLE
    assert any("has passed" in warning for warning in missed.warnings)


@pytest.mark.parametrize(("value", "score"), [(1.3, 5.0), (0.95, 2.5), (0.8, 0.0), (0.0, -2.5), (-1.0, -5.0)])
def test_linear_score_band_edges(value: float, score: float) -> None:
    assert linear_score(value) == pytest.approx(score)


def test_assess_dispatch_rejects_linear_without_target_and_unknown_method() -> None:
    with pytest.raises(ValueError, match="needs a target"):
        assess({2015: 1, 2020: 2}, direction="increase", method="linear")
    with pytest.raises(ValueError, match="limit"):
        assess({2015: 1, 2020: 2}, direction="increase", method="linear", target=3, limit=5)
    with pytest.raises(ValueError, match="not known"):
        assess({2015: 1, 2020: 2}, direction="increase", method="spline")  # type: ignore[arg-type]
    assert assess({2015: 1, 2020: 2}, direction="increase", method="linear", target=3).method == "linear"


# --- CSV reader ---------------------------------------------------------------------------------


def test_csv_reader_cuts_years_and_skips_blank_values(tmp_path: Path) -> None:
    path = tmp_path / "made-up-series.csv"
    path.write_text("Year,Value\n2015-16,10\n2016-17,\n2017-18,12.5\n", encoding="utf-8")
    assert [(obs.year, obs.value) for obs in read_year_value_csv(path)] == [(2015, 10.0), (2017, 12.5)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Year,Amount\n2015,1\n", "'Value' not found"),
        ("Year,Value\n2015,1\n2016,ten\n", "row 3, column Value: 'ten' is not a number"),
        ("Year,Value\n2015,1\n2015-16,2\n", "row 3, column Year: year 2015 already appears in row 2"),
        ("Year,Value\nlast year,1\n", "row 2, column Year"),
        ("", "empty"),
    ],
)
def test_csv_reader_names_the_bad_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "made-up-bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeriesDataError, match=message.replace("(", r"\(")):
        read_year_value_csv(path)


def test_to_dict_turns_infinities_into_null() -> None:
    result = assess_cagr({2015: 1e-300, 2016: 1e300}, direction="increase")
    assert math.isinf(result.progress_value or 0.0) or result.progress_value is None
    json.dumps(result.to_dict(), allow_nan=False)


def test_zero_target_is_met_by_zero_although_the_growth_rate_uses_a_thousandth() -> None:
    result = assess_cagr({2015: 4.0, 2020: 0.0}, direction="decrease", target=0)
    assert result.status == Status.TARGET_ACHIEVED and result.target == 0.001
    not_yet = assess_cagr({2015: 4.0, 2020: 0.0005}, direction="decrease", target=0)
    assert not_yet.status != Status.TARGET_ACHIEVED
