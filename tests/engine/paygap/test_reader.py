"""Reading payroll files: formats, column names, mapping files and every problem with row and column."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from recovery_tracker.engine.paygap import PayrollFileError, load_mapping, paygap_report, read_payroll

GOOD = (
    "employee_id,Sex,full_pay,hourly_pay,bonus_pay\n"
    "MADEUP-1,M,yes,12.00,100\n"
    "MADEUP-2,F,yes,10.00,0\n"
    "MADEUP-3,Female,no,,50\n"
    "MADEUP-4,male,,15.00,0\n"
)


def write(tmp_path, text: str, name: str = "made-up-payroll.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path, **options) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(PayrollFileError) as caught:
        read_payroll(path, **options)
    return [(p.row, p.column, p.message) for p in caught.value.problems]


def test_good_csv_reads_with_case_insensitive_names(tmp_path):
    payroll = read_payroll(write(tmp_path, GOOD))
    frame = payroll.frame
    assert frame.height == 4
    assert frame["fpre"].to_list() == [True, True, False, True]
    assert frame["hourly"].to_list() == [12_000_000, 10_000_000, None, 15_000_000]


def test_every_problem_is_reported_with_row_and_column(tmp_path):
    text = (
        "employee_id,sex,full_pay,hourly_pay,bonus_pay\n"
        "MADEUP-1,M,yes,£12.00,100\n"      # row 1: not a number
        "MADEUP-2,F,maybe,10.00,-5\n"      # row 2: bad yes/no, negative bonus
        "MADEUP-1,F,yes,-1,0\n"            # row 3: duplicate id, negative pay
        ",F,yes,,0\n"                      # row 4: missing id, missing hourly pay
    )
    path = write(tmp_path, text)
    found = problems_of(path)
    where = {(row, column) for row, column, _ in found}
    assert len(found) == 7  # one problem per bad cell: "£12.00" is not a number, not also "missing"
    assert where == {
        (1, "hourly_pay"),
        (2, "full_pay"),
        (2, "bonus_pay"),
        (3, "hourly_pay"),
        (3, "employee_id"),
        (4, "employee_id"),
        (4, "hourly_pay"),
    }
    with pytest.raises(PayrollFileError) as caught:
        read_payroll(path)
    message = str(caught.value)
    assert "no figures were produced" in message
    assert "row 1 (line 2), column hourly_pay" in message
    assert "first used on row 1" in message


def test_missing_columns_are_named(tmp_path):
    path = write(tmp_path, "id,gender,pay\nMADEUP-1,M,10\n")
    columns = {column for _, column, _ in problems_of(path)}
    assert columns == {"employee_id", "sex", "bonus_pay", "ordinary_pay"}


def test_zero_hours_and_zero_period_days(tmp_path):
    text = (
        "employee_id,sex,ordinary_pay,weekly_hours,pay_period_days,bonus_pay\n"
        "MADEUP-1,M,1000,0,30.44,0\n"
        "MADEUP-2,F,1000,37.5,0,0\n"
    )
    found = problems_of(write(tmp_path, text))
    assert [(r, c) for r, c, _ in found] == [(1, "weekly_hours"), (2, "pay_period_days")]


def test_mapping_file_yaml_and_csv(tmp_path):
    text = "Staff No,Gender,Hourly Rate,Bonus 12m\nMADEUP-1,M,12,0\nMADEUP-2,F,10,0\n"
    path = write(tmp_path, text)
    yaml_map = write(
        tmp_path,
        "employee_id: Staff No\nsex: gender\nhourly_pay: Hourly Rate\nbonus_pay: Bonus 12m\n",
        "map.yaml",
    )
    csv_map = write(
        tmp_path,
        "our_name,their_name\nemployee_id,Staff No\nsex,Gender\nhourly_pay,Hourly Rate\nbonus_pay,Bonus 12m\n",
        "map.csv",
    )
    for mapping_path in (yaml_map, csv_map):
        payroll = read_payroll(path, mapping=load_mapping(mapping_path))
        report = paygap_report(payroll, date(2024, 4, 5), low_pay=False)
        assert str(report.sex.figures["DiffMeanHourlyPercent"]) == "16.7"


def test_mapping_file_with_an_unknown_name(tmp_path):
    with pytest.raises(PayrollFileError) as caught:
        load_mapping(write(tmp_path, "our_name,their_name\nsalary,Pay\n", "map.csv"))
    assert caught.value.problems[0].row == 2


def made_up_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Employee_ID": ["MADEUP-1", "MADEUP-2", "MADEUP-3", "MADEUP-4"],
            "SEX": ["M", "F", "F", "M"],
            "hourly_pay": [12.0, 10.0, 11.0, 15.0],
            "bonus_pay": [100.0, 0.0, 20.0, 0.0],
        }
    )


def test_parquet_input(tmp_path):
    path = tmp_path / "made-up-payroll.parquet"
    made_up_frame().write_parquet(path)
    report = paygap_report(read_payroll(path), date(2024, 4, 5), low_pay=False)
    assert report.sex.counts["male"] == 2
    assert str(report.sex.figures["DiffMeanHourlyPercent"]) == "22.2"


def test_xlsx_input_and_spreadsheet_row_numbers(tmp_path):
    path = tmp_path / "made-up-payroll.xlsx"
    made_up_frame().write_excel(path)
    report = paygap_report(read_payroll(path), date(2024, 4, 5), low_pay=False)
    assert str(report.sex.figures["DiffMeanHourlyPercent"]) == "22.2"
    bad = made_up_frame().with_columns(pl.Series("hourly_pay", ["12", "ten", "11", "15"]))
    bad_path = tmp_path / "made-up-bad-payroll.xlsx"
    bad.write_excel(bad_path)
    with pytest.raises(PayrollFileError) as caught:
        read_payroll(bad_path)
    problem = caught.value.problems[0]
    assert (problem.row, problem.line, problem.column, problem.value) == (2, 3, "hourly_pay", "ten")


def test_unsupported_file_type(tmp_path):
    path = write(tmp_path, "x", "payroll.docx")
    assert "CSV, XLSX or Parquet" in problems_of(path)[0][2]


@pytest.mark.parametrize(
    ("ids", "repeated_rows"),
    [
        (["MADEUP-1", "MADEUP-2", "MADEUP-3"], []),  # in order: the neighbour check alone clears them
        (["1", "2", "10"], []),  # in number order, though not in text order
        (["MADEUP-2", "MADEUP-1", "MADEUP-3"], []),  # out of order: hashed, all distinct
        (["MADEUP-1", "MADEUP-1", "MADEUP-2"], [2]),  # adjacent repeat
        (["MADEUP-2", "MADEUP-1", "MADEUP-2"], [3]),  # repeat out of order
        (["1", "01", "2"], []),  # same number, different text: distinct ids
        (["10", "2", "2"], [3]),
    ],
)
def test_duplicate_ids_are_found_whatever_the_order(tmp_path, ids, repeated_rows):
    rows = "".join(f"{i},F,yes,10.00,0\n" for i in ids)
    path = write(tmp_path, "employee_id,sex,full_pay,hourly_pay,bonus_pay\n" + rows)
    if not repeated_rows:
        assert read_payroll(path).frame.height == len(ids)
        return
    found = problems_of(path)
    assert [(row, column) for row, column, _ in found] == [(r, "employee_id") for r in repeated_rows]


def _text_payroll(rows: int = 400) -> pl.DataFrame:
    """Made-up rows with every kind of text value: spellings, blanks, nulls, padding, unknowns."""
    sexes = ["M", "F", " female ", "Male", "woman", "Not recorded", "", None]
    ethnicities = ["White British", "Indian", "White Other", "Black African", "Prefer not to say", "", None, "Arab"]
    disabilities = ["No", "Yes", "Prefer not to say", "", None, "not disabled"]
    full_pay = ["yes", "no", "", None, "TRUE"]
    return pl.DataFrame(
        {
            "employee_id": [f"MADEUP-{i:04d}" for i in range(rows)],
            "sex": [sexes[(i * 7) % len(sexes)] for i in range(rows)],
            "full_pay": [full_pay[(i * 3) % len(full_pay)] for i in range(rows)],
            "hourly_pay": [9.5 + (i * 37 % 23) * 0.25 for i in range(rows)],
            "bonus_pay": [float(i * 13 % 5) * 40 for i in range(rows)],
            "ethnicity": [ethnicities[(i * 5) % len(ethnicities)] for i in range(rows)],
            "disability": [disabilities[(i * 11) % len(disabilities)] for i in range(rows)],
        }
    )


TEXT_COLUMNS = ("sex", "full_pay", "ethnicity", "disability")


def _as(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    if kind == "categorical":
        return frame.with_columns(pl.col(*TEXT_COLUMNS).cast(pl.Categorical))
    if kind == "enum":
        return frame.with_columns(
            pl.col(c).cast(pl.Enum(sorted(frame[c].drop_nulls().unique().to_list()))) for c in TEXT_COLUMNS
        )
    return frame


@pytest.mark.parametrize("kind", ["categorical", "enum"])
def test_parquet_text_as_categories_gives_the_same_report_as_plain_strings(tmp_path, kind):
    """Dictionary-encoded text (read back as categories, no cast) and plain strings: the same report."""
    from recovery_tracker.engine.paygap import report_to_dict

    frame = _text_payroll()
    reports = {}
    for name in ("string", kind):
        path = tmp_path / f"made-up-payroll-{name}.parquet"
        _as(frame, name).write_parquet(path)
        payroll = read_payroll(path)
        if name != "string":
            assert isinstance(pl.read_parquet_schema(path)["sex"], pl.Categorical | pl.Enum)
        report = paygap_report(payroll, date(2025, 4, 5), by=("sex", "ethnicity", "disability"))
        reports[name] = report_to_dict(report)
    assert reports[kind] == reports["string"]
    # The same problems, named the same way, in a bad file.
    bad = frame.with_columns(pl.when(pl.int_range(pl.len()) % 50 == 7).then(pl.lit("maybe"))
                             .otherwise(pl.col("full_pay")).alias("full_pay"))
    found = {}
    for name in ("string", kind):
        path = tmp_path / f"made-up-bad-payroll-{name}.parquet"
        _as(bad, name).write_parquet(path)
        with pytest.raises(PayrollFileError) as caught:
            read_payroll(path)
        found[name] = [(p.row, p.line, p.column, p.value, p.message) for p in caught.value.problems]
    assert found[kind] == found["string"] and len(found["string"]) == 8
