"""The figure cross-checks flag what does not add up and never correct it."""

from recovery_tracker.engine.figures import StatedFigure, check_same_population, check_sum, rounding_unit


def test_scheme_totals_add_up():
    result = check_sum("jrs-seiss", [StatedFigure("jrs", 122_800), StatedFigure("seiss", 32_500)],
                       StatedFigure("total", 155_300))
    assert result.outcome == "holds"
    assert result.computed == 155_300


def test_further_education_parts_differ_from_total_by_rounding():
    parts = [StatedFigure("estate", 471), StatedFigure("facilities", 89), StatedFigure("digital", 75)]
    result = check_sum("fe", parts, StatedFigure("total", 636))
    assert result.outcome == "rounding_difference"
    assert result.computed == 635
    assert "635" in result.message and "636" in result.message


def test_a_gap_larger_than_rounding_is_inconsistent():
    result = check_sum("x", [StatedFigure("a", 400), StatedFigure("b", 100)], StatedFigure("t", 636))
    assert result.outcome == "inconsistent"


def test_college_groups_fall_short_of_over_250000():
    parts = [StatedFigure("young", 74_000), StatedFigure("adults", 145_000), StatedFigure("apprentices", 27_000)]
    result = check_sum("students", parts, StatedFigure("students", 250_000, qualifier="over"))
    assert result.outcome == "may_overlap_or_be_incomplete"
    assert result.computed == 246_000


def test_sum_above_an_over_total_holds():
    result = check_sum("s", [StatedFigure("a", 200_000), StatedFigure("b", 60_000)],
                       StatedFigure("t", 250_000, qualifier="over"))
    assert result.outcome == "holds"


def test_two_counts_at_32_percent_cannot_be_one_population():
    result = check_same_population(
        "scheme-share",
        [StatedFigure("workers", 882_100), StatedFigure("total", 155_300)],
        StatedFigure("share", 32, unit="percent"),
    )
    assert result.outcome == "different_populations"
    assert "cannot describe the same population" in result.message


def test_counts_consistent_with_one_share_hold():
    result = check_same_population(
        "ok", [StatedFigure("a", 32_000), StatedFigure("b", 32_100)], StatedFigure("share", 32, unit="percent")
    )
    assert result.outcome == "holds"


def test_rounding_unit_reads_the_precision_a_figure_shows():
    assert rounding_unit(122_800) == 100
    assert rounding_unit(471) == 1
    assert rounding_unit(0.32) == 0.01
