"""Reading the standards checks' input tables (CSV or XLSX) with errors that name row and column.

Every check reads its file the same way: all cells as text, the header on row 1 and data from row 2,
so the row numbers in an error are the ones a user sees when the file is opened in a spreadsheet.
Parsing helpers collect problems into a list rather than stopping at the first, so one run reports
every bad cell and the user can fix the file in one pass.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from recovery_tracker.engine.yes_no import yes_no

__all__ = [
    "CellError",
    "Row",
    "StandardsInputError",
    "Table",
    "parse_date",
    "parse_decimal",
    "parse_yes_no",
    "read_table",
    "require_columns",
]



@dataclass(frozen=True)
class CellError:
    """One problem in the input: where it is and how to fix it."""

    message: str
    row: int | None = None
    column: str | None = None
    file: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "column": self.column, "message": self.message}


class StandardsInputError(ValueError):
    """Raised when input cannot be checked; carries every problem found, not just the first."""

    def __init__(self, errors: Sequence[CellError]):
        self.errors = list(errors)
        count = len(self.errors)
        lines = "\n".join(f"  - {error}" for error in self.errors)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the input:\n{lines}")


@dataclass(frozen=True)
class Row:
    """A data row: ``number`` is the spreadsheet row (the header is row 1)."""

    number: int
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()


@dataclass
class Table:
    file: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


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


def _normalise_header(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def read_table(path: Path | str) -> Table:
    """Read a CSV or XLSX file into text cells; headers are lower-cased with spaces as underscores.

    Raises ``StandardsInputError`` if the file is missing, empty or of an unknown type.
    """
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise StandardsInputError([CellError(f"file not found: {name}. Check the path.", file=name)])
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm", ".xls"}:
        raw_columns, raw_rows = _read_excel(path)
    elif suffix in {".csv", ".txt"}:
        raw_columns, raw_rows = _read_csv(path)
    else:
        raise StandardsInputError(
            [CellError(f"unknown file type '{suffix}'. Save the file as .csv or .xlsx.", file=name)]
        )
    if not raw_columns:
        raise StandardsInputError([CellError("the file is empty; row 1 must hold the column names.", file=name)])
    columns = [_normalise_header(column) for column in raw_columns]
    table = Table(file=name, columns=columns)
    for offset, cells in enumerate(raw_rows):
        texts = [_cell_text(cell) for cell in cells]
        if not any(text.strip() for text in texts):
            continue  # blank lines at the end of a sheet are not data
        values = {column: (texts[index] if index < len(texts) else "") for index, column in enumerate(columns)}
        table.rows.append(Row(number=offset + 2, values=values))
    return table


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    # utf-8-sig because spreadsheet programs often save CSV with a byte-order mark.
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            rows = list(reader)
        except csv.Error as error:
            # e.g. a field over the csv module's limit (131,072 characters), or a NUL byte.
            raise StandardsInputError([CellError(
                f"line {reader.line_num} cannot be read as CSV ({error}). Check that quotes are paired and no "
                "cell holds a whole document, then save the file again as CSV UTF-8.", row=reader.line_num,
                file=str(path))]) from None
    if not rows:
        return [], []
    return rows[0], rows[1:]


def _read_excel(path: Path) -> tuple[list[str], list[list[Any]]]:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheet = reader.load_sheet(0, header_row=None, dtypes="string")
        frame = sheet.to_polars()
    except Exception as error:  # fastexcel raises its own hierarchy; report it as a file problem
        raise StandardsInputError(
            [CellError(f"could not read the spreadsheet ({error}). Save it again as .xlsx.", file=str(path))]
        ) from error
    records = [list(record) for record in frame.iter_rows()]
    if not records:
        return [], []
    header = [_cell_text(cell) for cell in records[0]]
    return header, records[1:]


def require_columns(table: Table, required: Iterable[str]) -> list[CellError]:
    """Errors for each required column missing from the header (row 1)."""
    missing = [column for column in required if column not in table.columns]
    return [
        CellError(
            f"required column '{column}' is missing from the header. "
            f"Add a column named '{column}' (the file has: {', '.join(table.columns)}).",
            row=1,
            column=column,
            file=table.file,
        )
        for column in missing
    ]


def parse_yes_no(text: str, *, row: int, column: str, file: str | None, errors: list[CellError]) -> bool | None:
    """``True``/``False`` for the usual spellings (yes/no, y/n, true/false, 1/0); records an error otherwise."""
    answer = yes_no(text)
    if answer is not None:
        return answer
    shown = f"'{text}'" if text.strip() else "an empty cell"
    errors.append(CellError(f"{shown} is not yes or no. Write yes or no (y/n, true/false, 1/0 also work).",
                            row=row, column=column, file=file))
    return None


def parse_date(text: str, *, row: int, column: str, file: str | None, errors: list[CellError],
               required: bool = True) -> date | None:
    """A date written as YYYY-MM-DD (or DD/MM/YYYY); records an error otherwise."""
    value = text.strip()
    if not value:
        if required:
            errors.append(CellError("is empty. Enter a date as YYYY-MM-DD.", row=row, column=column, file=file))
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    errors.append(CellError(f"'{value}' is not a date. Enter it as YYYY-MM-DD, for example 2026-05-01.",
                            row=row, column=column, file=file))
    return None


def parse_decimal(text: str, *, row: int, column: str, file: str | None, errors: list[CellError],
                  minimum: Decimal | None = None, maximum: Decimal | None = None,
                  required: bool = True) -> Decimal | None:
    """A number (a leading £ and thousands commas are allowed) within optional bounds."""
    value = text.strip().replace(",", "").lstrip("£").rstrip("%").strip()
    if not value:
        if required:
            errors.append(CellError("is empty. Enter a number.", row=row, column=column, file=file))
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(CellError(f"'{text.strip()}' is not a number. Enter digits only, for example 13.45.",
                                row=row, column=column, file=file))
        return None
    if not number.is_finite():
        errors.append(CellError(f"'{text.strip()}' is not a number.", row=row, column=column, file=file))
        return None
    if minimum is not None and number < minimum:
        errors.append(CellError(f"{number} is below the smallest allowed value, {minimum}.",
                                row=row, column=column, file=file))
        return None
    if maximum is not None and number > maximum:
        errors.append(CellError(f"{number} is above the largest allowed value, {maximum}.",
                                row=row, column=column, file=file))
        return None
    return number
