"""The one-sort cell route against the plain group-by route, on random payrolls with many ties."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recovery_tracker.engine.paygap import normalise_payroll, paygap_report, report_to_dict
from recovery_tracker.engine.paygap import report as report_module
from recovery_tracker.engine.paygap.cells import PackingOverflow

ETHNICITIES = ["White British", "white british", "Indian", "Pakistani", "Black African", "Mixed", "Prefer not to say",
               "", None, "Chinese", "White Irish"]
employee = st.tuples(
    st.sampled_from(["M", "F", "f", "unknown"]),
    st.sampled_from(["0", "9.50", "10.00", "10.00", "12.25", "20.10"]),
    st.sampled_from(["0", "0", "100", "250.50", "1000"]),
    st.sampled_from(["yes", "yes", "no"]),
    st.sampled_from(ETHNICITIES),
    st.sampled_from(["Yes", "No", "no", "Prefer not to say", "", None]),
)
options = st.fixed_dictionaries(
    {
        "by": st.sampled_from([("sex",), ("sex", "ethnicity", "disability"), ("ethnicity",), ("disability", "sex")]),
        "min_group_size": st.sampled_from([1, 3, 10]),
        "small_groups": st.sampled_from(["suppress", "merge"]),
        "low_pay_amount": st.sampled_from([Decimal("10"), Decimal("12.25")]),
        "ethnicity_reference": st.sampled_from(["White British", "Indian"]),
    }
)


def frame_of(rows) -> pl.DataFrame:
    names = ["sex", "hourly_pay", "bonus_pay", "full_pay", "ethnicity", "disability"]
    columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
    return pl.DataFrame(
        {"employee_id": [f"MADEUP-{i}" for i in range(len(rows))], **columns},
        schema={name: pl.String for name in ["employee_id", *names]},
    )


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(employee, max_size=120), chosen=options)
def test_cells_route_matches_group_by_route(rows, chosen):
    payroll = normalise_payroll(frame_of(rows))
    fast = report_to_dict(paygap_report(payroll, date(2025, 4, 5), **chosen))
    with pytest.MonkeyPatch.context() as patch:
        def overflow(*_args, **_kwargs):
            raise PackingOverflow("forced: use the group-by route")

        patch.setattr(report_module, "build_cells", overflow)
        plain = report_to_dict(paygap_report(payroll, date(2025, 4, 5), **chosen))
    assert fast == plain


def test_pay_too_large_to_pack_falls_back_to_the_group_by_route(monkeypatch):
    # £2tn an hour is absurd, but must still give exact figures rather than a wrapped packed key.
    routes = []
    plain_route = report_module._by_group_by
    monkeypatch.setattr(report_module, "_by_group_by", lambda *a, **k: routes.append(1) or plain_route(*a, **k))
    frame = frame_of([("M", "2000000000000", "0", "yes", None, None), ("F", "10", "5", "yes", None, None)])
    report = paygap_report(normalise_payroll(frame), date(2025, 4, 5), low_pay=False)
    assert routes == [1]
    assert report.sex is not None
    assert report.sex.unrounded["MaleUpperMiddleQuartile"] == 100
    assert report.sex.unrounded["FemaleLowerQuartile"] == 100


def test_run_totals_stay_exact_when_64_bits_would_overflow():
    # 300 people at the largest packable pay: their total passes 2**63, so cells are summed in 128 bits.
    from recovery_tracker.engine.paygap.cells import Dimension, build_cells

    shift = 60  # three cells: 62 - 2 bits
    pay = (1 << shift) - 1
    frame = pl.DataFrame(
        {"sex": [0] * 300 + [1] * 2, "hourly": [pay] * 300 + [5, None], "bonus": [pay] * 299 + [0, 7, 0]}
    )
    table = build_cells(frame, [Dimension("sex", pl.col("sex"), ("male", "female", None))])
    assert table.shift == shift
    assert table.hourly.sums == (300 * pay, 5, 0)
    assert table.bonus.sums == (299 * pay, 7, 0)
    assert table.relevant.tolist() == [300, 2, 0]
    assert table.hourly.bounds.tolist() == [[0, 300, 301, 301]]  # one sorted part
    assert (table.hourly.largest, table.bonus.largest) == (pay, pay)
