"""Look inside an XLSX file before any spreadsheet reader opens it.

An XLSX is a zip of XML parts. A reader trusts what the parts say: a 2 KB file whose sheet claims
the grid's last cell (``<dimension ref="A1:XFD1048576"/>``) makes one allocate half a terabyte, and
a 2 MB file can hold gigabytes of identical rows. This module reads only the zip's directory and
the first few kilobytes of each sheet, so checking costs almost nothing, and refuses a file whose
parts, sizes, compression or claimed dimensions are beyond what a real upload needs. Pure Python,
no Django.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["XlsxLimits", "xlsx_problem"]

MB = 1024 * 1024


@dataclass(frozen=True)
class XlsxLimits:
    max_parts: int = 300
    max_part_bytes: int = 150 * MB  # one part, decompressed
    max_total_bytes: int = 300 * MB  # all parts, decompressed
    # Real spreadsheets deflate 5-20 times; a part that inflates 100 times more is a bomb.
    max_ratio: float = 100.0
    max_rows: int = 1_048_576  # Excel's own grid
    max_columns: int = 16_384
    max_cells: int = 20_000_000  # rows x columns a sheet may claim


# Parts an XLSX written by Excel, LibreOffice, Google Sheets, Numbers or a library may hold.
_EXPECTED = re.compile(
    r"^(\[Content_Types\]\.xml"
    r"|_rels/\.rels"
    r"|docProps/[\w.\-]+\.xml"
    r"|customXml/(_rels/)?[\w.\-]+(\.xml|\.rels)"
    r"|xl/(_rels/)?[\w.\-]+\.(xml|rels|bin)"
    r"|xl/(worksheets|chartsheets|theme|styles|drawings|charts|tables|pivotTables|pivotCache|externalLinks"
    r"|printerSettings|media|richData|persons|threadedComments|ctrlProps|queryTables|slicers|slicerCaches"
    r"|timelines|timelineCaches|model|customProperties|webextensions|comments|diagrams|activeX)"
    r"/(_rels/)?[\w.\-]+)$"
)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")
_SHEET = re.compile(r"^xl/worksheets/[\w.\-]+\.xml$")
_SHEET_HEAD_BYTES = 4096
# Where a sheet's cells are: readers size their grid from the furthest one, whatever the dimension says.
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})(\d{1,9})\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\s[^>]*?\br=\"(\d{1,9})\"")
_CHUNK_BYTES = 1024 * 1024
_OVERLAP_BYTES = 256


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def xlsx_problem(path: Path, name: str, limits: XlsxLimits | None = None) -> str | None:
    """Why ``path`` (the user's ``name``) must not be opened, in words for the user; None if it may."""
    limits = limits or XlsxLimits()
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_parts:
                return (f"{name} has {len(entries)} parts inside; a spreadsheet has at most {limits.max_parts}. "
                        "Save it again as .xlsx from your spreadsheet program.")
            names = {entry.filename for entry in entries}
            if "xl/workbook.xml" not in names:
                return (f"{name} has no workbook inside (xl/workbook.xml), so it is not a spreadsheet. "
                        "Save it again as .xlsx (Excel workbook).")
            total = 0
            for entry in entries:
                if entry.is_dir():
                    continue
                if not _EXPECTED.match(entry.filename):
                    return (f"{name} holds a part a spreadsheet does not have ({entry.filename[:80]!r}). "
                            "Save it again as a plain .xlsx workbook (no macros or attachments).")
                total += entry.file_size
                if entry.file_size > limits.max_part_bytes or total > limits.max_total_bytes:
                    return (f"{name} unpacks to more than {limits.max_part_bytes // MB} MB. Split the data over "
                            "several files, or upload it as CSV.")
                if entry.file_size > MB and entry.file_size > limits.max_ratio * max(entry.compress_size, 1):
                    return (f"{name} unpacks to {entry.file_size // entry.compress_size} times its size "
                            f"({entry.filename}): it holds far more repeated data than a real upload. "
                            "Remove the repeated rows, or upload the data as CSV.")
            for entry in entries:
                if _SHEET.match(entry.filename):
                    with archive.open(entry) as handle:
                        head = handle.read(_SHEET_HEAD_BYTES)
                    problem = _dimension_problem(head, name, entry.filename, limits)
                    if problem:
                        return problem
                    with archive.open(entry) as handle:
                        problem = _furthest_cell_problem(handle, name, entry.filename, limits)
                    if problem:
                        return problem
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as error:
        return f"{name} is not a readable .xlsx file ({type(error).__name__}). Save it again as .xlsx."
    return None


def _furthest_cell_problem(handle: object, name: str, part: str, limits: XlsxLimits) -> str | None:
    """Scan the sheet's cell and row references (streamed, the part's size is already bounded)."""
    rows = columns = 0
    tail = b""
    while chunk := handle.read(_CHUNK_BYTES):  # type: ignore[attr-defined]
        text = tail + chunk
        for match in _CELL_REF.finditer(text):
            columns = max(columns, _column_number(match.group(1).decode("ascii")))
            rows = max(rows, int(match.group(2)))
        for match in _ROW_REF.finditer(text):
            rows = max(rows, int(match.group(1)))
        tail = text[-_OVERLAP_BYTES:]
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        sheet = part.rsplit("/", 1)[-1].removesuffix(".xml")
        return (f"{name}: {sheet} has cells as far as row {rows:,} and column {columns:,}, more than "
                f"{limits.max_cells:,} cells in all. Delete what lies beyond your data (or copy the data into "
                "a new sheet) and save it again.")
    return None


def _dimension_problem(head: bytes, name: str, part: str, limits: XlsxLimits) -> str | None:
    match = _DIMENSION.search(head)
    if not match:
        return None
    groups = [group.decode("ascii") if group else None for group in match.groups()]
    last_column, last_row = groups[2] or groups[0], groups[3] or groups[1]
    rows = int(last_row) if last_row else 1
    columns = _column_number(last_column) if last_column else 1
    claimed = f"{last_column or ''}{last_row or ''}"
    sheet = part.rsplit("/", 1)[-1].removesuffix(".xml")
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        return (f"{name}: {sheet} says it reaches cell {claimed} ({rows:,} rows by {columns:,} columns), more "
                f"than {limits.max_cells:,} cells. Delete the empty rows and columns after your data (or copy "
                "the data into a new sheet) and save it again.")
    return None
