"""Property tests: the engine against a slow, obviously correct reference on random payrolls with many ties."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_tracker.engine.paygap import normalise_payroll, paygap_report

# Few distinct rates and bonuses, so ties across band edges are common.
employee = st.tuples(
    st.sampled_from(["M", "F", "F", "unknown"]),
    st.sampled_from(["9.50", "10.00", "10.00", "12.25", "15.00", "20.10"]),
    st.sampled_from(["0", "0", "100", "250.50", "1000"]),
    st.sampled_from(["yes", "yes", "yes", "no"]),
)


def reference_bands(ranked: list[tuple[Fraction, str]]) -> tuple[list[int], list[int]]:
    """Men and women per band, straight from the guidance table and the project tie rule."""
    n = len(ranked)
    q, r = divmod(n, 4)
    sizes = {0: [q, q, q, q], 1: [q + 1, q, q, q], 2: [q + 1, q, q + 1, q], 3: [q + 1, q + 1, q + 1, q]}[r]
    starts = [sum(sizes[:k]) for k in range(4)]
    men, women = [0] * 4, [0] * 4
    rates = sorted({rate for rate, _ in ranked})
    ordered = sorted(ranked)
    for rate in rates:
        positions = [i for i, (value, _) in enumerate(ordered) if value == rate]
        lo, hi = positions[0], positions[-1] + 1
        overlap = [max(0, min(hi, starts[k] + sizes[k]) - max(lo, starts[k])) for k in range(4)]
        tie_men = sum(1 for value, sex in ordered if value == rate and sex == "M")
        size = hi - lo
        quotas = [Fraction(overlap[k] * tie_men, size) for k in range(4)]
        given_men = [int(x) for x in quotas]
        spare = tie_men - sum(given_men)
        for k in sorted(range(4), key=lambda k: (-(quotas[k] - int(quotas[k])), k))[:spare]:
            given_men[k] += 1
        for k in range(4):
            men[k] += given_men[k]
            women[k] += overlap[k] - given_men[k]
    return men, women


def median(values: list[Fraction]) -> Fraction:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def reference_figures(rows) -> dict[str, Fraction | None]:
    known = [
        (sex, Fraction(hourly), Fraction(bonus), fp == "yes") for sex, hourly, bonus, fp in rows if sex != "unknown"
    ]
    result: dict[str, Fraction | None] = {}
    hourly = {s: [h for sex, h, _, fp in known if sex == s and fp] for s in "MF"}
    bonus = {s: [b for sex, _, b, _ in known if sex == s and b > 0] for s in "MF"}
    everyone = {s: [1 for sex, *_ in known if sex == s] for s in "MF"}

    def gap(a, b):
        return None if a is None or b is None or a == 0 else (a - b) / a * 100

    mean = {s: (sum(hourly[s]) / len(hourly[s]) if hourly[s] else None) for s in "MF"}
    mid = {s: (median(hourly[s]) if hourly[s] else None) for s in "MF"}
    result["DiffMeanHourlyPercent"] = gap(mean["M"], mean["F"])
    result["DiffMedianHourlyPercent"] = gap(mid["M"], mid["F"])
    if not bonus["M"]:
        result["DiffMeanBonusPercent"] = result["DiffMedianBonusPercent"] = None
    else:
        women_mean = sum(bonus["F"]) / len(bonus["F"]) if bonus["F"] else Fraction(0)
        women_median = median(bonus["F"]) if bonus["F"] else Fraction(0)
        result["DiffMeanBonusPercent"] = gap(sum(bonus["M"]) / len(bonus["M"]), women_mean)
        result["DiffMedianBonusPercent"] = gap(median(bonus["M"]), women_median)
    for s, name in (("M", "Male"), ("F", "Female")):
        result[f"{name}BonusPercent"] = Fraction(len(bonus[s]) * 100, len(everyone[s])) if everyone[s] else None
    ranked = [(h, sex) for sex, h, _, fp in known if fp]
    men, women = reference_bands(ranked) if ranked else ([0] * 4, [0] * 4)
    sizes = [m + w for m, w in zip(men, women, strict=True)]
    for k, band in enumerate(("Lower", "LowerMiddle", "UpperMiddle", "Top")):
        result[f"Male{band}Quartile"] = Fraction(men[k] * 100, sizes[k]) if sizes[k] else None
        result[f"Female{band}Quartile"] = Fraction(women[k] * 100, sizes[k]) if sizes[k] else None
    return result


@settings(max_examples=150, deadline=None)
@given(st.lists(employee, min_size=1, max_size=60))
def test_engine_matches_the_reference(rows):
    frame = pl.DataFrame(
        {
            "employee_id": [f"MADEUP-{i}" for i in range(len(rows))],
            "sex": [r[0] for r in rows],
            "hourly_pay": [r[1] for r in rows],
            "bonus_pay": [r[2] for r in rows],
            "full_pay": [r[3] for r in rows],
        }
    )
    report = paygap_report(normalise_payroll(frame), date(2024, 4, 5), low_pay=False)
    expected = reference_figures(rows)
    assert dict(report.sex.unrounded) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(employee, min_size=1, max_size=60))
def test_published_band_pairs_always_add_up_to_100(rows):
    frame = pl.DataFrame(
        {
            "employee_id": [f"MADEUP-{i}" for i in range(len(rows))],
            "sex": [r[0] for r in rows],
            "hourly_pay": [r[1] for r in rows],
            "bonus_pay": [r[2] for r in rows],
        }
    )
    figures = paygap_report(normalise_payroll(frame), date(2024, 4, 5), low_pay=False).sex.figures
    for band in ("Lower", "LowerMiddle", "UpperMiddle", "Top"):
        male, female = figures[f"Male{band}Quartile"], figures[f"Female{band}Quartile"]
        if male is not None:
            assert male + female == 100
