"""Reading the standards checks' input tables (CSV or XLSX) with errors that name row and column.

Every check reads its file the same way: all cells as text, the header on row 1 and data from row 2,
so the row numbers in an error are the ones a user sees when the file is opened in a spreadsheet.
Parsing helpers collect problems into a list rather than stopping at the first, so one run reports
every bad cell and the user can fix the file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from recovery_tracker.engine.problems import Problem, ProblemsFound
from recovery_tracker.engine.tables import Row, Table, TableUnreadable, table_read
from recovery_tracker.engine.yes_no import yes_no

__all__ = [
    "Row",
    "StandardsInputError",
    "Table",
    "parse_date",
    "parse_decimal",
    "parse_yes_no",
    "read_table",
    "require_columns",
]



class StandardsInputError(ProblemsFound):
    """Raised when input cannot be checked; carries every problem found, not just the first."""

    def __init__(self, problems: Sequence[Problem]):
        count = len(problems)
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(problems, message=f"{count} problem{'s' if count != 1 else ''} in the input:\n{lines}")


def read_table(path: Path | str) -> Table:
    """Read a CSV or XLSX file into text cells; headers are lower-cased with spaces as underscores.

    Raises ``StandardsInputError`` if the file is missing, empty or of an unknown type.
    """
    try:
        return table_read(path)
    except TableUnreadable as error:
        raise StandardsInputError(error.problems) from None


def require_columns(table: Table, required: Iterable[str]) -> list[Problem]:
    """Errors for each required column missing from the header (row 1)."""
    missing = [column for column in required if column not in table.columns]
    return [
        Problem(
            f"required column '{column}' is missing from the header. "
            f"Add a column named '{column}' (the file has: {', '.join(table.columns)}).",
            row=1,
            column=column,
            file=table.file,
        )
        for column in missing
    ]


def parse_yes_no(text: str, *, row: int, column: str, file: str | None, errors: list[Problem]) -> bool | None:
    """``True``/``False`` for the usual spellings (yes/no, y/n, true/false, 1/0); records an error otherwise."""
    answer = yes_no(text)
    if answer is not None:
        return answer
    shown = f"'{text}'" if text.strip() else "an empty cell"
    errors.append(Problem(f"{shown} is not yes or no. Write yes or no (y/n, true/false, 1/0 also work).",
                            row=row, column=column, file=file))
    return None


def parse_date(text: str, *, row: int, column: str, file: str | None, errors: list[Problem],
               required: bool = True) -> date | None:
    """A date written as YYYY-MM-DD (or DD/MM/YYYY); records an error otherwise."""
    value = text.strip()
    if not value:
        if required:
            errors.append(Problem("is empty. Enter a date as YYYY-MM-DD.", row=row, column=column, file=file))
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    errors.append(Problem(f"'{value}' is not a date. Enter it as YYYY-MM-DD, for example 2026-05-01.",
                            row=row, column=column, file=file))
    return None


def parse_decimal(text: str, *, row: int, column: str, file: str | None, errors: list[Problem],
                  minimum: Decimal | None = None, maximum: Decimal | None = None,
                  required: bool = True) -> Decimal | None:
    """A number (a leading £ and thousands commas are allowed) within optional bounds."""
    value = text.strip().replace(",", "").lstrip("£").rstrip("%").strip()
    if not value:
        if required:
            errors.append(Problem("is empty. Enter a number.", row=row, column=column, file=file))
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        errors.append(Problem(f"'{text.strip()}' is not a number. Enter digits only, for example 13.45.",
                                row=row, column=column, file=file))
        return None
    if not number.is_finite():
        errors.append(Problem(f"'{text.strip()}' is not a number.", row=row, column=column, file=file))
        return None
    if minimum is not None and number < minimum:
        errors.append(Problem(f"{number} is below the smallest allowed value, {minimum}.",
                                row=row, column=column, file=file))
        return None
    if maximum is not None and number > maximum:
        errors.append(Problem(f"{number} is above the largest allowed value, {maximum}.",
                                row=row, column=column, file=file))
        return None
    return number
