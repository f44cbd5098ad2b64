"""The one table reader: a CSV or XLSX file as rows of text cells, numbered as a spreadsheet shows
them (the header is row 1, data from row 2), for every table the tracker reads (indicator figures,
progress imports, the standards checks' inputs, Year,Value series).

Cells stay as written (spaces and all) so a reader can say "has spaces around it"; ``Row.get`` gives
the trimmed text. Entirely blank rows (a spreadsheet's trailing lines) are not data and are left out.
A file that cannot be read as a table raises :class:`TableUnreadable` naming the file (and line) and
how to fix it. Pay-gap payrolls keep their own streaming reader for speed (engine/paygap/reader.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from recovery_tracker.engine.problems import Problem, ProblemsFound

__all__ = ["Row", "Table", "TableUnreadable", "column_key", "table_parse", "table_read", "table_from_text"]

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
TEXT_SUFFIXES = frozenset({".csv", ".txt"})


class TableUnreadable(ProblemsFound):
    """The file is not a table we can read (missing, empty, not UTF-8, broken CSV, unknown type)."""


def column_key(name: str) -> str:
    """A header as a key: trimmed, lower case, spaces and hyphens as underscores ("Start date" → start_date)."""
    return name.strip().lower().replace(" ", "_").replace("-", "_")


@dataclass(frozen=True)
class Row:
    """A data row: ``number`` is the spreadsheet row (the header is row 1)."""

    number: int
    cells: tuple[str, ...]
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


@dataclass
class Table:
    file: str
    header: list[str]  # as written
    columns: list[str]  # the names rows are keyed by
    rows: list[Row] = field(default_factory=list)


def table_read(path: Path | str, *, name: str | None = None,
               column_name: Callable[[str], str] = column_key) -> Table:
    """Read a CSV or XLSX file (by its suffix). ``name`` is how problems name the file (default: the path)."""
    path = Path(path)
    shown = name or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TableUnreadable([Problem(f"file not found: {shown}. Check the path.", file=shown)]) from None
    except OSError as error:
        raise TableUnreadable([Problem(f"cannot be read ({error.strerror}).", file=shown)]) from None
    return table_parse(data, name=shown, suffix=path.suffix, column_name=column_name)


def table_parse(data: bytes, *, name: str, suffix: str | None = None,
                column_name: Callable[[str], str] = column_key) -> Table:
    """A table from a file's bytes; its type from ``suffix`` (default: the suffix of ``name``)."""
    kind = (suffix if suffix is not None else Path(name).suffix).lower()
    if kind in SPREADSHEET_SUFFIXES:
        header, records = _spreadsheet_records(data, name)
    elif kind in TEXT_SUFFIXES:
        try:
            text = data.decode("utf-8-sig")  # spreadsheet programs often save CSV with a byte-order mark
        except UnicodeDecodeError as error:
            raise TableUnreadable([Problem(f"is not UTF-8 text (byte {error.start}); save it as CSV UTF-8 and "
                                           "try again", file=name)]) from None
        return table_from_text(text, name=name, column_name=column_name)
    else:
        raise TableUnreadable([Problem(f"unknown file type '{kind}'. Save the file as .csv or .xlsx.", file=name)])
    return _table(name, header, records, column_name)


def table_from_text(text: str, *, name: str, column_name: Callable[[str], str] = column_key) -> Table:
    """A table from CSV text already decoded."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        records = list(reader)
    except csv.Error as error:
        # e.g. a field over the csv module's limit (131,072 characters), or a NUL byte.
        raise TableUnreadable([Problem(
            f"line {reader.line_num} cannot be read as CSV ({error}). Check that quotes are paired and no "
            "cell holds a whole document, then save the file again as CSV UTF-8.", file=name,
            line=reader.line_num)]) from None
    if not records:
        return _table(name, [], [], column_name)
    return _table(name, records[0], records[1:], column_name)


def _table(name: str, header: list[str], records: list[list[str]], column_name: Callable[[str], str]) -> Table:
    if not any(cell.strip() for cell in header):
        raise TableUnreadable([Problem("the file is empty: row 1 must name the columns.", file=name)])
    columns = [column_name(cell) for cell in header]
    table = Table(file=name, header=list(header), columns=columns)
    for offset, cells in enumerate(records):
        if not any(cell.strip() for cell in cells):
            continue
        values = {column: (cells[index] if index < len(cells) else "") for index, column in enumerate(columns)}
        table.rows.append(Row(number=offset + 2, cells=tuple(cells), values=values))
    return table


def _spreadsheet_records(data: bytes, name: str) -> tuple[list[str], list[list[str]]]:
    import fastexcel

    try:
        sheet = fastexcel.read_excel(data).load_sheet(0, header_row=None, dtypes="string")
        frame = sheet.to_polars()
    except Exception as error:  # fastexcel raises its own hierarchy; report it as a file problem
        raise TableUnreadable([Problem(f"could not read the spreadsheet ({error}). Save it again as .xlsx.",
                                       file=name)]) from error
    records = [[_cell_text(cell) for cell in record] for record in frame.iter_rows()]
    if not records:
        return [], []
    return records[0], records[1:]


def _cell_text(value: Any) -> str:
    # Spreadsheets hand back typed cells; turn them into the text a CSV would hold.
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
