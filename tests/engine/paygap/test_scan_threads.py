"""The one-pass scan splits batches of 100,000 rows or more between two threads; smaller files never do.

These payrolls are large enough to take that path, batch after batch, and must give exactly the
report the Polars route gives on the same file.
"""

from datetime import date

import numpy as np
import polars as pl
import pytest

import recovery_tracker.engine.paygap.scan as scan_module
from recovery_tracker.engine.paygap import paygap_report, read_payroll, report_to_dict

pytestmark = pytest.mark.skipif(not scan_module.available(), reason="the C scan is not built")

ROWS = 250_000


def made_up_payroll(rows: int, seed: int) -> pl.DataFrame:
    """Random, made-up rows with many ties (pay on 25p points) and every grouping mixed in."""
    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "employee_id": [f"MADEUP-{i:07d}" for i in range(rows)],
            "sex": rng.choice(["M", "female", "Woman", " f ", "unknown"], rows),
            "full_pay": rng.choice(["yes", "yes", "yes", "No"], rows),
            "ordinary_pay": rng.integers(200, 4000, rows) * 0.25 * 7,
            "weekly_hours": rng.choice([20.0, 35.0, 37.5, 40.0], rows),
            "pay_period_days": rng.choice([7.0, 30.44], rows),
            "period_bonus_pay": rng.choice([0.0, 0.0, 55.5], rows),
            "bonus_pay": rng.choice([0.0, 0.0, 120.0, 999.99], rows),
            "ethnicity": rng.choice(["White British", "Indian", "Black African", "", "Prefer not to say"], rows),
            "disability": rng.choice(["Yes", "No", "No", ""], rows),
        }
    ).with_columns(pl.col(c).cast(pl.Categorical) for c in ("sex", "full_pay", "ethnicity", "disability"))


def both_routes(path, monkeypatch) -> tuple[dict, dict]:
    def report(payroll):
        return report_to_dict(paygap_report(payroll, date(2025, 4, 5), by=("sex", "ethnicity", "disability")))

    scanned = read_payroll(path)
    assert scanned.scanned is not None, "expected the one-pass route"
    fast = report(scanned)
    monkeypatch.setattr(scan_module, "_scan", None)
    plain = read_payroll(path)
    assert plain.scanned is None
    return fast, report(plain)


def test_two_threads_over_several_large_batches_match_the_polars_route(tmp_path, monkeypatch):
    path = tmp_path / "payroll-MADEUP.parquet"
    # Row groups of 120,000: batches of 120,000, 120,000 and 10,000 rows (two threads, then one).
    made_up_payroll(ROWS, seed=7).write_parquet(path, row_group_size=120_000)
    fast, plain = both_routes(path, monkeypatch)
    assert fast == plain
    assert fast["reports"][0]["counts"]["relevant_employees"] == ROWS


def test_two_threads_in_one_batch_match_the_polars_route(tmp_path, monkeypatch):
    path = tmp_path / "payroll-MADEUP.parquet"
    made_up_payroll(ROWS, seed=11).write_parquet(path, row_group_size=ROWS)
    fast, plain = both_routes(path, monkeypatch)
    assert fast == plain


def test_a_text_column_with_a_hundred_values_is_classified_over_several_passes(tmp_path, monkeypatch):
    frame = made_up_payroll(2_000, seed=9).with_columns(
        pl.format("Mixed background {}", pl.int_range(pl.len()) % 100).alias("ethnicity")
    )
    path = tmp_path / "payroll-MADEUP.parquet"
    frame.write_parquet(path)
    fast, plain = both_routes(path, monkeypatch)
    assert fast == plain


@pytest.mark.parametrize("text_type", [pl.String, pl.Categorical], ids=["plain text", "categories"])
def test_values_first_seen_in_the_last_batch_match_the_polars_route(tmp_path, monkeypatch, text_type):
    # Spellings that first appear in the last batch: the scan classifies each new text (or builds its
    # tables again for the new categories) when it meets it, and scans that batch again.
    frame = made_up_payroll(ROWS, seed=3).with_columns(
        pl.col(c).cast(pl.String) for c in ("sex", "full_pay", "ethnicity", "disability")
    )
    late = pl.DataFrame({"sex": ["Man", "girl"], "ethnicity": ["Any other Asian background", "Irish Traveller"],
                         "full_pay": ["Y", "false"], "disability": ["Disabled", "not disabled"]})
    tail = frame.tail(2).with_columns(late.get_column(c).alias(c) for c in late.columns)
    path = tmp_path / "payroll-MADEUP.parquet"
    texts = ("sex", "full_pay", "ethnicity", "disability")
    pl.concat([frame.head(ROWS - 2), tail]).with_columns(pl.col(c).cast(text_type) for c in texts).write_parquet(
        path, row_group_size=120_000
    )
    fast, plain = both_routes(path, monkeypatch)
    assert fast == plain


def test_a_text_column_with_very_many_values_still_gives_the_polars_route_report(tmp_path, monkeypatch):
    # Hundreds of distinct spellings in one column: the scan leaves the file to the Polars route.
    frame = made_up_payroll(2_000, seed=5).with_columns(
        pl.format("Other ethnic group {}", pl.int_range(pl.len()) % 1000).alias("ethnicity"),
        pl.col("sex").cast(pl.String),
    )
    path = tmp_path / "payroll-MADEUP.parquet"
    frame.write_parquet(path)
    monkeypatch_free = read_payroll(path)
    assert monkeypatch_free.scanned is None
    report = report_to_dict(paygap_report(monkeypatch_free, date(2025, 4, 5), by=("sex", "ethnicity")))
    monkeypatch.setattr(scan_module, "_scan", None)
    assert report == report_to_dict(paygap_report(read_payroll(path), date(2025, 4, 5), by=("sex", "ethnicity")))


def test_categories_first_registered_after_the_tables_were_built_are_classified():
    # A later batch can carry categories the process had not seen when the scan built its tables by
    # category id (a streamed file's next row group): the scan rebuilds them and scans that batch again.
    from recovery_tracker.engine.paygap.groups import default_codings

    first = made_up_payroll(1_000, seed=1)
    late_sex = f"Woman-{np.random.default_rng().integers(1 << 62)}"  # unseen by this process until now

    def batches():
        yield first
        yield made_up_payroll(1_000, seed=2).with_columns(
            pl.Series("sex", [late_sex] * 1_000).cast(pl.Categorical),
            pl.format("MADEUP-late-{}", pl.int_range(pl.len())).alias("employee_id"),
        )

    codings = default_codings(has_ethnicity=True, has_disability=True)
    streamed = scan_module.scan_batches(batches(), codings, capacity=2_000)
    assert streamed is not None and streamed.cells is not None
    # The unseen spelling is not a recognised sex: those 1,000 people are in the "not recorded" cells.
    not_recorded = streamed.cells.codes("sex") == 2
    assert int(streamed.cells.relevant[not_recorded].sum()) == 1_000 + int((first["sex"] == "unknown").sum())
    assert int(streamed.cells.relevant.sum()) == 2_000


def test_a_csv_with_a_byte_order_mark_takes_the_scan_route(tmp_path, monkeypatch):
    # Spreadsheets' "CSV UTF-8" starts the file with a byte order mark, which the first column name keeps.
    path = tmp_path / "payroll-MADEUP.csv"
    made_up_payroll(500, seed=4).write_csv(path)
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    fast, plain = both_routes(path, monkeypatch)
    assert fast == plain
