"""The one-pass scan route (``scan.py``, ``_scan.c``) against the Polars route, on the same files.

``read_payroll`` takes the scan route for a good CSV or Parquet file when the C extension is built;
with ``scan._scan`` set to None it takes the Polars route (``normalise_payroll``, ``build_cells``).
Both must give the same report for a good file and the same problems for a bad one. All data here is
made up (ids say so).
"""

from __future__ import annotations

import sys
import uuid
from datetime import date
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import recovery_tracker.engine.paygap.scan as scan_module
from recovery_tracker.engine.paygap import Payroll, PayrollFileError, paygap_report, read_payroll, report_to_dict

from .test_reader import GOOD

SNAPSHOT = date(2025, 4, 5)  # low-pay threshold: the Real Living Wage in force then, £12.00
ALL = ("sex", "ethnicity", "disability")
NUMBERS = ("hourly_pay", "ordinary_pay", "weekly_hours", "pay_period_days", "period_bonus_pay", "bonus_pay")
CATEGORIES = ("sex", "full_pay", "ethnicity", "disability")

needs_scan = pytest.mark.skipif(not scan_module.available(), reason="the C extension _scan is not built")


# --- helpers -------------------------------------------------------------------------------------


@needs_scan
def test_the_scan_is_built_for_this_machines_byte_order():
    # _scan.c picks its byte order at build time and says which; a build for the other order is
    # not used (scan.py), so a copied build can never compare ids wrongly.
    assert sys.byteorder == scan_module._scan.BYTE_ORDER


def polars_route(path: Path) -> Payroll:
    """``read_payroll`` with the C extension switched off."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scan_module, "_scan", None)
        assert not scan_module.available()
        payroll = read_payroll(path)
    assert payroll.scanned is None
    return payroll


def scan_route(path: Path) -> Payroll:
    payroll = read_payroll(path)
    assert payroll.scanned is not None, "a good file should take the one-pass route"
    return payroll


def problems_of(path: Path, *, scan: bool) -> list[tuple]:
    with pytest.MonkeyPatch.context() as patch:
        if not scan:
            patch.setattr(scan_module, "_scan", None)
        with pytest.raises(PayrollFileError) as caught:
            read_payroll(path)
    return [(p.row, p.line, p.column, p.value, p.message) for p in caught.value.problems]


def report(payroll: Payroll, **options) -> dict:
    return report_to_dict(paygap_report(payroll, SNAPSHOT, **options))


def assert_same_reports(scanned: Payroll, plain: Payroll, **options) -> dict:
    """The two payrolls' reports are equal, as published (``report_to_dict``) and exactly (Fractions)."""
    fast = paygap_report(scanned, SNAPSHOT, **options)
    slow = paygap_report(plain, SNAPSHOT, **options)
    assert report_to_dict(fast) == report_to_dict(slow)
    assert fast == slow  # unrounded Fractions, band counts, composition: all exact
    return report_to_dict(fast)


def text_frame(columns: dict[str, list[str | None]]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_csv(path)
    return path


def write_parquet(
    frame: pl.DataFrame, path: Path, *, text: str = "categorical", numbers: pl.DataType | None = pl.Float64,
    row_group_size: int | None = None,
) -> Path:
    """``frame`` (all text) as Parquet: numbers as ``numbers`` (None: left as text), the four text
    columns as "categorical", "enum" (an Enum of the column's values) or "string"."""
    casts = []
    for name in frame.columns:
        if name in NUMBERS and numbers is not None:
            casts.append(pl.col(name).cast(numbers))
        elif name in CATEGORIES and text == "enum":
            values = sorted(frame[name].drop_nulls().unique().to_list())
            casts.append(pl.col(name).cast(pl.Enum(values)))
        elif name in CATEGORIES and text == "categorical":
            casts.append(pl.col(name).cast(pl.Categorical))
    frame.with_columns(casts).write_parquet(path, row_group_size=row_group_size)
    return path


# --- 1. random payrolls, both routes, CSV and Parquet ---------------------------------------------

SEXES = ["M", "F", "female", "Woman", " f ", "male", "MAN", "unknown", "", None, "FEMALE\u00a0"]
FULL_PAY = ["yes", "yes", "No", "0", "", None, "TRUE", "n", " Yes ", " no "]
NOT_FULL_PAY = {"no", "0", "n"}
ETHNICITIES = ["White British", "white british", "Indian", "Pakistani", "Black African", "Mixed White and Asian",
               "Prefer not to say", "", None, "Chinese", "White Irish", "Arab", "Black, Black British, Caribbean",
               "Asian \u2013 Indian", "White Turkish", "White English"]
DISABILITIES = ["Yes", "No", "", None]
# Few distinct values, so ties (across band edges, at medians, at the £12.00 low-pay line) are common;
# "10.0000005", "0.0000025" and "0.0000015" land on half a millionth of a pound (rounded half to even).
HOURLY = ["9.50", "12.00", "12.00", "11.99", "12.01", "15.00", "20.10", "0", "10.0000005"]
ORDINARY = ["1560", "1560", "2000", "2333.33", "0"]  # 1560 × 7 ÷ 28 ÷ 32.5 = £12.00 an hour exactly
HOURS = ["32.5", "37.5", "16", "0.5"]
DAYS = ["28", "30", "31", "30.44"]
PERIOD_BONUS = [None, None, "0", "100", "55.55"]
BONUS = ["0", "0", None, "100", "250.50", "1000", "0.0000025", "0.0000015"]

employee = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(SEXES),
        "full_pay": st.sampled_from(FULL_PAY),
        "ethnicity": st.sampled_from(ETHNICITIES),
        "disability": st.sampled_from(DISABILITIES),
        "hourly_pay": st.sampled_from(HOURLY),
        "ordinary_pay": st.sampled_from(ORDINARY),
        "weekly_hours": st.sampled_from(HOURS),
        "pay_period_days": st.sampled_from(DAYS),
        "period_bonus_pay": st.sampled_from(PERIOD_BONUS),
        "bonus_pay": st.sampled_from(BONUS),
        # Which pay is left blank: for a full-pay employee at most one of the two ways to a rate.
        "blank": st.sampled_from(["none", "none", "hourly", "derived", "both"]),
    }
)


@st.composite
def payrolls(draw) -> tuple[str, pl.DataFrame]:
    layout = draw(st.sampled_from(["hourly", "derived", "both"]))
    rows = draw(st.lists(employee, max_size=70))
    id_format = draw(st.sampled_from(["MADEUP-{}", "MADEUP-{:05d}", "MADEUP-LONGER-THAN-12-BYTES-{:05d}"]))
    numbers = draw(st.permutations(range(len(rows)))) if draw(st.booleans()) else range(len(rows))
    columns: dict[str, list[str | None]] = {name: [] for name in ("employee_id", *CATEGORIES)}
    pay_columns = {"hourly": ["hourly_pay"], "derived": ["ordinary_pay", "weekly_hours", "pay_period_days",
                                                         "period_bonus_pay"]}
    pay_columns["both"] = pay_columns["hourly"] + pay_columns["derived"]
    for name in [*pay_columns[layout], "bonus_pay"]:
        columns[name] = []
    for number, row in zip(numbers, rows, strict=True):
        full_pay = row["full_pay"] is None or row["full_pay"].strip().lower() not in NOT_FULL_PAY
        blank = row["blank"]
        if full_pay:  # a full-pay employee keeps a way to an hourly rate: the only one, or one of the two
            blank = "none" if layout != "both" else "hourly" if blank == "both" else blank
        columns["employee_id"].append(id_format.format(number + 1))
        for name in CATEGORIES:
            columns[name].append(row[name])
        for name in pay_columns[layout]:
            blanked = (name == "hourly_pay" and blank in ("hourly", "both")) or (
                name in ("ordinary_pay", "weekly_hours", "pay_period_days") and blank in ("derived", "both")
            )
            columns[name].append(None if blanked else row[name])
        columns["bonus_pay"].append(row["bonus_pay"])
    return layout, text_frame(columns)


@needs_scan
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    drawn=payrolls(),
    min_group_size=st.integers(1, 6),
    row_group_size=st.sampled_from([None, 1, 7, 16]),
    other_text=st.sampled_from(["string", "enum"]),
)
def test_scan_route_gives_the_polars_routes_report_on_random_payrolls(tmp_path, drawn, min_group_size,
                                                                      row_group_size, other_text):
    _layout, frame = drawn
    files = {
        "csv": write_csv(frame, tmp_path / "made-up-payroll.csv"),
        # Text as categories (dictionary-encoded); small row groups make the file arrive in several batches.
        "parquet": write_parquet(frame, tmp_path / "made-up-payroll.parquet", row_group_size=row_group_size),
        "parquet-other": write_parquet(frame, tmp_path / "made-up-payroll-other.parquet", text=other_text,
                                       row_group_size=row_group_size),
    }
    published = {}
    for kind, path in files.items():
        scanned, plain = scan_route(path), polars_route(path)
        for options in ({}, {"small_groups": "merge", "min_group_size": min_group_size}):
            published[kind, str(options)] = assert_same_reports(scanned, plain, by=ALL, **options)
        # Groupings asked for one at a time use the same scanned table.
        assert_same_reports(scanned, plain, by=("disability",))
    # The same payroll as CSV or as Parquet: the same figures.
    for key, value in published.items():
        assert value == published["csv", key[1]]


# --- 2. bad files: the problems the Polars route names ---------------------------------------------


def made_up_rows() -> dict[str, list[str | None]]:
    """Five good rows with both ways to an hourly rate: given (rows 1, 4) and derived (rows 2, 5)."""
    return {
        "employee_id": ["MADEUP-1", "MADEUP-2", "MADEUP-3", "MADEUP-4", "MADEUP-5"],
        "sex": ["M", "F", "female", "M", " f "],
        "full_pay": ["yes", "yes", "No", "", "yes"],
        "hourly_pay": ["12.00", None, None, "15.50", None],
        "ordinary_pay": [None, "2000", None, None, "1500"],
        "weekly_hours": [None, "37.5", None, None, "20"],
        "pay_period_days": [None, "30", None, None, "31"],
        "period_bonus_pay": [None, "100", None, None, None],
        "bonus_pay": ["100", "0", "50", None, "0"],
        "ethnicity": ["White British", "Indian", None, "Prefer not to say", "Black African"],
        "disability": ["No", "Yes", "", None, "No"],
    }


BAD_CELLS = {
    # kind: ((row, column, value), ...), columns dropped, the problem (row, column) expected
    "blank employee_id": (((3, "employee_id", None),), (), (3, "employee_id")),
    "empty employee_id": (((3, "employee_id", ""),), (), (3, "employee_id")),
    "duplicate employee_id": (((4, "employee_id", "MADEUP-2"),), (), (4, "employee_id")),
    "negative hourly_pay": (((1, "hourly_pay", "-12.00"),), (), (1, "hourly_pay")),
    "negative ordinary_pay": (((2, "ordinary_pay", "-2000"),), (), (2, "ordinary_pay")),
    "negative period_bonus_pay": (((2, "period_bonus_pay", "-0.01"),), (), (2, "period_bonus_pay")),
    "negative bonus_pay": (((3, "bonus_pay", "-50"),), (), (3, "bonus_pay")),  # not full pay: still checked
    "zero weekly_hours": (((5, "weekly_hours", "0"),), (), (5, "weekly_hours")),
    "zero pay_period_days": (((2, "pay_period_days", "0"),), (), (2, "pay_period_days")),
    "full_pay not yes/no": (((4, "full_pay", "maybe"),), (), (4, "full_pay")),
    "full pay, no ordinary_pay": (((5, "ordinary_pay", None),), (), (5, "ordinary_pay")),
    "full pay, no weekly_hours": (((2, "weekly_hours", None),), (), (2, "weekly_hours")),
    "hourly_pay not a number": (((1, "hourly_pay", "£12.00"),), (), (1, "hourly_pay")),  # Parquet: numbers as text
    "full pay, no hourly_pay (blank full_pay)": (
        ((2, "hourly_pay", "11.00"), (5, "hourly_pay", "9.00"), (4, "hourly_pay", None)),
        ("ordinary_pay", "weekly_hours", "pay_period_days", "period_bonus_pay"),
        (4, "hourly_pay"),
    ),
}


@needs_scan
@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("case", list(BAD_CELLS))
def test_bad_file_gives_the_polars_routes_problems(tmp_path, case, kind):
    changes, dropped, expected = BAD_CELLS[case]
    columns = made_up_rows()
    for row, column, value in changes:
        columns[column][row - 1] = value
    frame = text_frame(columns).drop(dropped)
    numbers = None if "not a number" in case else pl.Float64
    path = (write_csv(frame, tmp_path / "made-up-bad-payroll.csv") if kind == "csv"
            else write_parquet(frame, tmp_path / "made-up-bad-payroll.parquet", numbers=numbers))
    found = problems_of(path, scan=True)
    assert found == problems_of(path, scan=False)
    assert [(row, column) for row, _line, column, _value, _message in found] == [expected]
    assert found[0][1] == (expected[0] + 1 if kind == "csv" else None)  # the line the user sees in a CSV


@needs_scan
def test_every_problem_in_a_file_is_named_whichever_route(tmp_path):
    columns = made_up_rows()
    columns["full_pay"][0] = "maybe"
    columns["bonus_pay"][1] = "-1"
    columns["employee_id"][4] = "MADEUP-1"
    columns["weekly_hours"][1] = "0"
    path = write_csv(text_frame(columns), tmp_path / "made-up-bad-payroll.csv")
    found = problems_of(path, scan=True)
    assert found == problems_of(path, scan=False)
    assert [(row, column) for row, _line, column, *_ in found] == [
        (1, "full_pay"), (2, "weekly_hours"), (2, "bonus_pay"), (5, "employee_id")
    ]


@needs_scan
def test_the_good_rows_used_for_bad_files_take_the_scan_route(tmp_path):
    # So that each bad-file case above differs from a file the scan accepts by its one bad cell.
    for kind in ("csv", "parquet"):
        frame = text_frame(made_up_rows())
        path = (write_csv(frame, tmp_path / "made-up-payroll.csv") if kind == "csv"
                else write_parquet(frame, tmp_path / "made-up-payroll.parquet"))
        assert_same_reports(scan_route(path), polars_route(path), by=ALL)


# --- 3. ids out of order ---------------------------------------------------------------------------


def payroll_with_ids(ids: list[str]) -> pl.DataFrame:
    count = len(ids)
    return text_frame(
        {
            "employee_id": ids,
            "sex": (["M", "F", "female"] * count)[:count],
            "hourly_pay": [str(10 + i % 3) for i in range(count)],
            "bonus_pay": [str(i % 2 * 100) for i in range(count)],
            "ethnicity": (["Indian", "White British"] * count)[:count],
        }
    )


OUT_OF_ORDER = {
    "short": ["MADEUP-9", "MADEUP-10", "MADEUP-2"],
    "long": ["MADEUP-EMPLOYEE-9", "MADEUP-EMPLOYEE-10", "MADEUP-EMPLOYEE-2"],
    "descending": [f"MADEUP-{i:03d}" for i in range(30, 0, -1)],
    "prefixes": ["MADEUP-12", "MADEUP-1", "MADEUP-123", "MADEUP-12 "],
}


@needs_scan
@pytest.mark.parametrize("ids", list(OUT_OF_ORDER.values()), ids=list(OUT_OF_ORDER))
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_distinct_ids_out_of_order_take_the_scan_route(tmp_path, ids, kind):
    frame = payroll_with_ids(ids)
    path = (write_csv(frame, tmp_path / "made-up-payroll.csv") if kind == "csv"
            else write_parquet(frame, tmp_path / "made-up-payroll.parquet", row_group_size=2))
    scanned = scan_route(path)
    assert_same_reports(scanned, polars_route(path), by=("sex", "ethnicity"))
    assert paygap_report(scanned, SNAPSHOT).relevant_employees == len(ids)


REPEATED = {
    # ids, (row repeating, row first used)
    "later": (["MADEUP-9", "MADEUP-10", "MADEUP-2", "MADEUP-10"], (4, 2)),
    "long": (["MADEUP-EMPLOYEE-9", "MADEUP-EMPLOYEE-10", "MADEUP-EMPLOYEE-10", "MADEUP-EMPLOYEE-2"], (3, 2)),
    "first and last": (["MADEUP-5", "MADEUP-4", "MADEUP-3", "MADEUP-5"], (4, 1)),
    "each batch in order": (["MADEUP-1", "MADEUP-3", "MADEUP-3", "MADEUP-4"], (3, 2)),
    # Short ids are compared as big-endian numbers, long ones byte by byte. Read in the wrong byte
    # order, "BA-MADEUP" would sort before "AZ-MADEUP", every step would look increasing and the
    # repeat would go unseen: this case fails unless the byte-order guard in _scan.c is right.
    "byte order": (["BA-MADEUP", "AZ-MADEUP", "AZ-MADEUP-LONG-ID", "BA-MADEUP"], (4, 1)),
}


@needs_scan
@pytest.mark.parametrize(("ids", "rows"), list(REPEATED.values()), ids=list(REPEATED))
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_repeated_ids_out_of_order_name_the_later_row(tmp_path, ids, rows, kind):
    frame = payroll_with_ids(ids)
    path = (write_csv(frame, tmp_path / "made-up-bad-payroll.csv") if kind == "csv"
            else write_parquet(frame, tmp_path / "made-up-bad-payroll.parquet", row_group_size=2))
    found = problems_of(path, scan=True)
    assert found == problems_of(path, scan=False)
    repeating, first = rows
    assert [(row, column, value) for row, _line, column, value, _message in found] == [
        (repeating, "employee_id", ids[repeating - 1])
    ]
    assert f"first used on row {first}" in found[0][4]


# --- 4. a non-default ethnicity reference group ----------------------------------------------------


@needs_scan
@pytest.mark.parametrize("by", [ALL, ("ethnicity",), ("sex", "ethnicity")])
def test_non_default_ethnicity_reference_on_a_scanned_payroll(tmp_path, by):
    frame = _made_up_payroll(600)
    for path in (write_csv(frame, tmp_path / "made-up-payroll.csv"),
                 write_parquet(frame, tmp_path / "made-up-payroll.parquet", row_group_size=100)):
        scanned, plain = scan_route(path), polars_route(path)
        for reference in ("Indian", "Black African"):
            published = assert_same_reports(scanned, plain, by=by, ethnicity_reference=reference,
                                            min_group_size=3)
            ethnicity = published if by == ("ethnicity",) else published["reports"][by.index("ethnicity")]
            assert ethnicity["reference"] == reference
            assert ethnicity["composition"][reference]["count"] > 0
        # The default reference still gives the table built while reading.
        assert_same_reports(scanned, plain, by=by)


# --- 5. Parquet column types ------------------------------------------------------------------------


def _made_up_payroll(rows: int, *, whole_pounds: bool = False) -> pl.DataFrame:
    """Made-up rows with every kind of text value and ties in pay (all text, as a CSV holds it)."""
    sexes = ["M", "F", " female ", "Male", "woman", "Not recorded", "", None]
    ethnicities = ["White British", "Indian", "White Other", "Black African", "Prefer not to say", "", None, "Arab",
                   "Mixed"]
    disabilities = ["No", "Yes", "Prefer not to say", "", None, "not disabled"]
    full_pay = ["yes", "no", "", None, "TRUE", "0"]
    hourly = [str(9 + i * 37 % 11) if whole_pounds else f"{9.5 + (i * 37 % 23) * 0.25:.2f}" for i in range(rows)]
    return text_frame(
        {
            "employee_id": [f"MADEUP-{i:04d}" for i in range(rows)],
            "sex": [sexes[(i * 7) % len(sexes)] for i in range(rows)],
            "full_pay": [full_pay[(i * 5) % len(full_pay)] for i in range(rows)],
            "hourly_pay": hourly,
            "bonus_pay": [str(i * 13 % 5 * 40) for i in range(rows)],
            "ethnicity": [ethnicities[(i * 5) % len(ethnicities)] for i in range(rows)],
            "disability": [disabilities[(i * 11) % len(disabilities)] for i in range(rows)],
        }
    )


@needs_scan
@pytest.mark.parametrize(
    ("text", "numbers"),
    [("categorical", pl.Float64), ("enum", pl.Float64), ("string", pl.Float64), ("categorical", pl.Int64),
     ("enum", pl.Int32), ("string", pl.Int64)],
    ids=["categorical", "enum", "string", "categorical-int64", "enum-int32", "string-int64"],
)
def test_parquet_column_types_give_the_polars_routes_report(tmp_path, text, numbers):
    frame = _made_up_payroll(400, whole_pounds=True)
    path = write_parquet(frame, tmp_path / "made-up-payroll.parquet", text=text, numbers=numbers)
    scanned = scan_route(path)
    published = assert_same_reports(scanned, polars_route(path), by=ALL)
    # Whatever the column types, the same payroll gives the same figures as its CSV.
    csv = write_csv(frame, tmp_path / "made-up-payroll.csv")
    assert published == report(scan_route(csv), by=ALL)


@needs_scan
def test_parquet_with_numbers_as_text_still_reads_and_names_a_bad_cell(tmp_path):
    frame = _made_up_payroll(200)
    typed = write_parquet(frame, tmp_path / "made-up-payroll.parquet")
    as_text = write_parquet(frame, tmp_path / "made-up-payroll-text-numbers.parquet", numbers=None)
    assert pl.read_parquet_schema(as_text)["hourly_pay"] == pl.String
    payroll = read_payroll(as_text)
    assert_same_reports(payroll, polars_route(as_text), by=ALL)
    assert report(payroll, by=ALL) == report(scan_route(typed), by=ALL)

    bad = frame.with_columns(pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("£12.00"))
                             .otherwise(pl.col("hourly_pay")).alias("hourly_pay"))
    path = write_parquet(bad, tmp_path / "made-up-bad-payroll.parquet", numbers=None)
    found = problems_of(path, scan=True)
    assert found == problems_of(path, scan=False)
    assert [(row, line, column, value) for row, line, column, value, _message in found] == [
        (3, None, "hourly_pay", "£12.00")
    ]
    assert found[0][4].startswith("not a number")


# --- 6. without the extension ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_without_the_extension_read_payroll_takes_the_polars_route(tmp_path, monkeypatch, kind):
    monkeypatch.setattr(scan_module, "_scan", None)
    assert not scan_module.available()
    path = tmp_path / "made-up-payroll.csv"
    path.write_text(GOOD, encoding="utf-8")
    if kind == "parquet":
        path = write_parquet(pl.read_csv(path, infer_schema=False), tmp_path / "made-up-payroll.parquet")
    payroll = read_payroll(path)
    assert payroll.scanned is None
    assert payroll.cells_for([]) is None
    figures = paygap_report(payroll, SNAPSHOT).sex
    assert figures.counts["male"] == 2 and figures.counts["female"] == 2
    # Men's mean £13.50, women's £10.00 (the woman not on full pay is left out): 25.9%.
    assert figures.unrounded["DiffMeanHourlyPercent"] == Fraction(350, 1350) * 100
    assert str(figures.figures["DiffMeanHourlyPercent"]) == "25.9"


# --- 7. pay too large to pack ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "parquet"])
@pytest.mark.parametrize("layout", ["hourly", "derived"])
def test_pay_too_large_to_pack_still_gives_exact_figures(tmp_path, kind, layout):
    # £2tn an hour (or a period's pay that makes it) is absurd, but must give exact figures, not wrapped keys.
    if layout == "hourly":
        columns = {"hourly_pay": ["2000000000000", "10"]}
    else:  # 2e12 × 7 ÷ 7 days ÷ 1 hour a week
        columns = {"ordinary_pay": ["2000000000000", "375"], "weekly_hours": ["1", "37.5"],
                   "pay_period_days": ["7", "7"]}
    frame = text_frame({"employee_id": ["MADEUP-1", "MADEUP-2"], "sex": ["M", "F"], **columns,
                        "bonus_pay": ["0", "5"]})
    path = (write_csv(frame, tmp_path / "made-up-payroll.csv") if kind == "csv"
            else write_parquet(frame, tmp_path / "made-up-payroll.parquet"))
    payroll = read_payroll(path)
    sex = paygap_report(payroll, SNAPSHOT).sex
    assert sex.unrounded["DiffMeanHourlyPercent"] == Fraction(2_000_000_000_000 - 10, 2_000_000_000_000) * 100
    assert sex.unrounded["DiffMedianHourlyPercent"] == sex.unrounded["DiffMeanHourlyPercent"]
    assert sex.unrounded["MaleUpperMiddleQuartile"] == 100
    assert sex.unrounded["FemaleLowerQuartile"] == 100
    assert sex.bands.sizes == (1, 0, 1, 0)
    if scan_module.available():
        assert_same_reports(payroll, polars_route(path))


@needs_scan
def test_pay_packable_for_sex_alone_but_not_with_every_grouping(tmp_path):
    # £100bn an hour fits a key beside 3 cells (sex) but not beside 72 (sex × ethnicity × disability).
    frame = text_frame(
        {
            "employee_id": ["MADEUP-1", "MADEUP-2", "MADEUP-3"],
            "sex": ["M", "F", "F"],
            "hourly_pay": ["100000000000", "10", "12"],
            "bonus_pay": ["0", "5", "0"],
            "ethnicity": ["Indian", "White British", None],
            "disability": ["No", "Yes", None],
        }
    )
    for path in (write_csv(frame, tmp_path / "made-up-payroll.csv"),
                 write_parquet(frame, tmp_path / "made-up-payroll.parquet")):
        payroll, plain = read_payroll(path), polars_route(path)
        for by in (("sex",), ALL, ("ethnicity",)):
            assert_same_reports(payroll, plain, by=by, min_group_size=1)
        sex = paygap_report(payroll, SNAPSHOT).sex
        assert sex.unrounded["DiffMeanHourlyPercent"] == Fraction(100_000_000_000 - 11, 100_000_000_000) * 100


# --- large files: two threads, many batches, categories first seen late ------------------------------


def _large_payroll(rows: int) -> pl.DataFrame:
    frame = _made_up_payroll(rows).with_columns(
        pl.format("MADEUP-{}", pl.int_range(pl.len()).cast(pl.String).str.zfill(7)).alias("employee_id")
    )
    # Values no file in this process has had before, only in the last rows: the scan's lookup tables
    # must take in categories that first appear in a late batch.
    late = uuid.uuid4().hex[:8]
    last = pl.int_range(pl.len()) >= rows - 3
    return frame.with_columns(
        pl.when(last).then(pl.lit(f"Indian (made-up spelling {late})")).otherwise(pl.col("ethnicity"))
        .alias("ethnicity"),
        pl.when(last).then(pl.lit(f"Yes (made-up spelling {late})")).otherwise(pl.col("disability"))
        .alias("disability"),
    )


@needs_scan
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_large_payroll_in_many_batches_gives_the_polars_routes_report(tmp_path, kind):
    frame = _large_payroll(120_001)
    path = (write_csv(frame, tmp_path / "made-up-payroll.csv") if kind == "csv"
            else write_parquet(frame, tmp_path / "made-up-payroll.parquet", row_group_size=7_000))
    scanned, plain = scan_route(path), polars_route(path)
    assert_same_reports(scanned, plain, by=ALL)
    # Another reference group: the scan runs again over the rows (on two threads at this size).
    assert_same_reports(scanned, plain, by=ALL, ethnicity_reference="Indian", small_groups="merge")


@needs_scan
@pytest.mark.parametrize("at", [7_000, 50_000, 99_999])  # a row-group edge, the threads' split, the last row
@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_repeated_id_anywhere_in_a_large_file(tmp_path, kind, at):
    frame = _large_payroll(100_000)
    ids = frame["employee_id"].to_list()
    ids[at] = ids[at - 1]
    frame = frame.with_columns(pl.Series("employee_id", ids))
    path = (write_csv(frame, tmp_path / "made-up-bad-payroll.csv") if kind == "csv"
            else write_parquet(frame, tmp_path / "made-up-bad-payroll.parquet", row_group_size=7_000))
    found = problems_of(path, scan=True)
    assert found == problems_of(path, scan=False)
    assert [(row, column) for row, _line, column, *_ in found] == [(at + 1, "employee_id")]
    assert f"first used on row {at}" in found[0][4]


@needs_scan
def test_bad_value_in_the_last_batch_of_a_large_file(tmp_path):
    frame = _large_payroll(100_000).with_columns(
        pl.when(pl.int_range(pl.len()) == 99_998).then(pl.lit("-0.01")).otherwise(pl.col("bonus_pay"))
        .alias("bonus_pay")
    )
    for path in (write_csv(frame, tmp_path / "made-up-bad-payroll.csv"),
                 write_parquet(frame, tmp_path / "made-up-bad-payroll.parquet", row_group_size=7_000)):
        found = problems_of(path, scan=True)
        assert found == problems_of(path, scan=False)
        assert [(row, column, value) for row, _line, column, value, _message in found] == [
            (99_999, "bonus_pay", "-0.01")
        ]


# --- column names through a mapping ----------------------------------------------------------------


@needs_scan
def test_renamed_columns_through_a_mapping_take_the_scan_route(tmp_path):
    names = {"employee_id": "Staff No", "sex": "GENDER", "hourly_pay": "Hourly Rate", "bonus_pay": "Bonus 12m",
             "full_pay": "Full pay?", "ethnicity": "Ethnic origin", "disability": "Disabled?"}
    frame = _made_up_payroll(300)
    typed = pl.read_parquet(write_parquet(frame, tmp_path / "made-up-payroll-our-names.parquet")).rename(names)
    typed.write_parquet(tmp_path / "made-up-payroll.parquet")
    for path in (write_csv(frame.rename(names), tmp_path / "made-up-payroll.csv"),
                 tmp_path / "made-up-payroll.parquet"):
        scanned = read_payroll(path, mapping=names)
        assert scanned.scanned is not None
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(scan_module, "_scan", None)
            plain = read_payroll(path, mapping=names)
        assert_same_reports(scanned, plain, by=ALL)
        # Another reference group reads the columns again, by their names in the file.
        assert_same_reports(scanned, plain, by=ALL, ethnicity_reference="Indian", min_group_size=2)


# --- files that change after reading; pay that is not a finite number or too large to count ----------


@needs_scan
@pytest.mark.parametrize("change", ["rewritten", "rewritten with problems", "removed"])
def test_a_report_never_uses_rows_the_file_gained_after_it_was_read(tmp_path, change):
    # A payroll read through the scan keeps its cell table, not its rows: figures the table covers
    # are those of the rows read; figures needing the rows again (another reference group) are refused
    # once the file has changed or gone, never computed from rows that were not checked.
    path = write_csv(_made_up_payroll(60), tmp_path / "made-up-payroll.csv")
    expected = report(polars_route(path), by=ALL)
    payroll = scan_route(path)
    if change == "removed":
        path.unlink()
    else:
        other = _made_up_payroll(20)
        if change == "rewritten with problems":  # a negative pay and a repeated id: never checked
            other = other.with_columns(pl.lit("-5").alias("hourly_pay"), pl.lit("MADEUP-1").alias("employee_id"))
        write_csv(other, path)
    assert report(payroll, by=ALL) == expected
    with pytest.raises(PayrollFileError) as caught:
        report(payroll, by=ALL, ethnicity_reference="Indian")
    assert "read it again" in caught.value.problems[0].message


@pytest.mark.parametrize(("column", "value"), [("hourly_pay", "NaN"), ("hourly_pay", "inf"), ("bonus_pay", "NaN"),
                                               ("ordinary_pay", "NaN")])
def test_pay_that_is_not_a_finite_number_is_named_as_a_problem(tmp_path, column, value):
    pay = ({"ordinary_pay": ["1560", "2000"], "weekly_hours": ["32.5", "37.5"], "pay_period_days": ["28", "30"]}
           if column == "ordinary_pay" else {"hourly_pay": ["12.00", "10.00"]})
    frame = text_frame({"employee_id": ["MADEUP-1", "MADEUP-2"], "sex": ["M", "F"], **pay, "bonus_pay": ["0", "5"]})
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(value)).otherwise(pl.col(column))
                               .alias(column))
    path = write_csv(frame, tmp_path / "made-up-bad-payroll.csv")
    with pytest.raises(PayrollFileError) as caught:
        paygap_report(read_payroll(path), SNAPSHOT)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, column)]


@pytest.mark.parametrize("column", ["hourly_pay", "bonus_pay"])
def test_pay_too_large_for_millionths_is_refused_or_reported(tmp_path, column):
    frame = text_frame({"employee_id": ["MADEUP-1", "MADEUP-2"], "sex": ["M", "F"], "hourly_pay": ["12.00", "10.00"],
                        "bonus_pay": ["0", "5"]})
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("10000000000000"))
                               .otherwise(pl.col(column)).alias(column))
    path = write_csv(frame, tmp_path / "made-up-payroll.csv")
    try:
        payroll = read_payroll(path)
    except PayrollFileError as error:  # refused, naming the cell: fine
        assert [(p.row, p.column) for p in error.problems] == [(1, column)]
        return
    assert paygap_report(payroll, SNAPSHOT).sex is not None  # or figures: fine too
