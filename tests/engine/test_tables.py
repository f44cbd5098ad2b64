"""The one table reader and the one problem type: what every file upload and command relies on."""

import io
import pickle

import polars as pl
import pytest

from recovery_tracker.engine.problems import Problem, ProblemsFound
from recovery_tracker.engine.tables import TableUnreadable, table_parse, table_read

CSV = "Employer,Start date,Hourly pay\nAcme Test Ltd,2021-03-01,10.50\n,,\nBeta Test plc,2021-04-01, 11 \n"


def test_csv_and_xlsx_with_the_same_cells_read_the_same(tmp_path):
    buffer = io.BytesIO()
    pl.read_csv(io.StringIO(CSV), infer_schema=False).write_excel(buffer)
    from_csv = table_parse(CSV.encode(), name="made-up-TEST.csv")
    from_xlsx = table_parse(buffer.getvalue(), name="made-up-TEST.xlsx")
    for table in (from_csv, from_xlsx):
        assert table.columns == ["employer", "start_date", "hourly_pay"]
        # Spreadsheet row numbers: the header is row 1; the blank row 3 is not data.
        assert [(row.number, row.get("employer"), row.get("hourly_pay")) for row in table.rows] == [
            (2, "Acme Test Ltd", "10.50"), (4, "Beta Test plc", "11")]
    assert from_csv.rows[1].cells[2] == " 11 "  # cells as written, so a reader can object to spaces


def test_a_byte_order_mark_is_not_part_of_the_first_column():
    table = table_parse("\ufeffYear,Value\n2020,1\n".encode(), name="made-up-TEST.csv", column_name=str.strip)
    assert table.columns == ["Year", "Value"]


@pytest.mark.parametrize(("data", "name", "says"), [
    (b"", "empty-TEST.csv", "the file is empty: row 1 must name the columns"),
    ("Name\nCaf\xe9\n".encode("cp1252"), "cp1252-TEST.csv", "is not UTF-8 text (byte 8)"),
    (b"a,b\n1,2\n", "notes-TEST.docx", "unknown file type '.docx'"),
    (b"PK\x03\x04 not really a spreadsheet", "broken-TEST.xlsx", "could not read the spreadsheet"),
])
def test_a_file_that_is_not_a_table_is_refused_naming_the_file(data, name, says):
    with pytest.raises(TableUnreadable) as refused:
        table_parse(data, name=name)
    assert str(refused.value.problems[0]).startswith(name + ": ")
    assert says in str(refused.value)


def test_broken_csv_names_the_line(tmp_path):
    path = tmp_path / "huge-cell-TEST.csv"
    path.write_bytes(b"a,b\n1,2\n3,\"" + b"x" * 200_000 + b"\"\n")  # over the csv module's cell limit
    with pytest.raises(TableUnreadable) as refused:
        table_read(path)
    problem = refused.value.problems[0]
    assert problem.line is not None and f"line {problem.line}" in str(problem)


def test_a_missing_file_says_check_the_path(tmp_path):
    with pytest.raises(ProblemsFound, match="file not found"):
        table_read(tmp_path / "nowhere-TEST.csv")


def test_a_problem_says_where_then_what():
    assert str(Problem("is not a number", file="pay-TEST.csv", row=3, column="hourly_pay")) == (
        "pay-TEST.csv, row 3, column hourly_pay: is not a number")
    assert str(Problem("must be cagr or linear", item="indicator jobs", field="method", value="log")) == (
        "indicator jobs, field method: must be cagr or linear (value 'log')")
    assert str(Problem("the file has changed; read it again")) == "the file has changed; read it again"


def test_a_refusal_survives_the_trip_back_from_a_child_process():
    refusal = TableUnreadable([Problem("broken", file="x-TEST.csv", line=4)], total=7)
    back = pickle.loads(pickle.dumps(refusal))
    assert type(back) is TableUnreadable and back.total == 7 and back.problems == refusal.problems
    assert str(back) == str(refusal)
