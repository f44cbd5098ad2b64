"""The one-pass route: every per-row check, each row's cell and the sort keys in one pass (``_scan.c``).

``read_payroll`` uses it when the C extension is built and the columns are typed (numbers as
numbers, text as categories, as the CSV reader and most Parquet files give them). The pass also
builds the cell table for the default groupings, so a report on them needs no further pass over the
rows. Whenever the pass finds anything at all wrong with a row, or cannot read a column's type, the
Polars route in ``reader.py`` and ``cells.py`` takes over: it names every problem, or decides that
there is none. Both routes give the same report; the tests compare them on random payrolls.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from .cells import CellTable, cell_layout, cell_table, sort_parts
from .codes import categories_of
from .groups import Coding
from .rules import FALSE_VALUES, TRUE_VALUES

try:
    from . import _scan  # type: ignore[attr-defined]
except ImportError:  # built without a C compiler: the Polars route does everything
    _scan = None

__all__ = ["ROLES", "ScanOutcome", "available", "scan_payroll"]

# The scan's column order (ROLE_* in _scan.c).
ROLES = (
    "employee_id",
    "sex",
    "full_pay",
    "ethnicity",
    "disability",
    "hourly_pay",
    "ordinary_pay",
    "period_bonus_pay",
    "pay_period_days",
    "weekly_hours",
    "bonus_pay",
)
_TEXT = ("sex", "full_pay", "ethnicity", "disability")


def available() -> bool:
    """Whether the C extension is built."""
    return _scan is not None


@dataclass(frozen=True)
class ScanOutcome:
    """What the pass found. ``problem``: some row needs the Polars route to name what is wrong with
    it. ``ids_increasing``: each employee_id sorts after the one before, so none repeats (if not, a
    repeat is possible and must be looked for). ``cells``: the table, when there was no problem."""

    problem: bool
    ids_increasing: bool
    cells: CellTable | None = None


def scan_payroll(columns: pl.DataFrame, codings: Sequence[Coding]) -> ScanOutcome | None:
    """Check every row and build the cell table for ``codings`` in one pass.

    ``columns`` carries our column names (``reader.COLUMNS``). Returns None when the pass cannot
    read these columns (extension not built, or a column of another type); the caller then takes
    the Polars route.
    """
    if _scan is None:
        return None
    present = [role for role in ROLES if role in columns.columns]
    series: list[pl.Series] = []
    tables: dict[str, np.ndarray] = {}
    sizes = {coding.name: len(coding.categories) for coding in codings}
    strides, _cells, shift = cell_layout(sizes)
    by_name = {coding.name: coding for coding in codings}
    for role in present:
        column = columns[role]
        if role == "employee_id":
            if column.dtype != pl.String:
                return None
            series.append(column)
        elif role in _TEXT:
            categories = categories_of(column.dtype)
            if categories is None:
                return None
            if role == "full_pay":
                tables[role] = _full_pay_table(categories)
            elif role in by_name:
                tables[role] = _cell_table(by_name[role], categories, strides[role] << shift)
            else:
                # A grouping not asked for: every row is in its cell 0.
                tables[role] = np.zeros(len(categories) + 1, dtype=np.int64)
            series.append(column.to_physical().cast(pl.UInt32))
        elif column.dtype == pl.Float64:
            series.append(column)
        elif column.dtype.is_numeric():
            series.append(column.cast(pl.Float64))
        else:
            return None
    rows = columns.height
    # Anonymous memory (not np.empty): NumPy asks the kernel for huge pages on large arrays, and
    # where the kernel then compacts memory on the spot, first writes take several times longer.
    hourly = _int64_buffer(rows)
    bonus = _int64_buffer(rows)
    present_mask = sum(1 << ROLES.index(role) for role in present)
    found = _scan.scan(
        tuple(s.__arrow_c_stream__() for s in series),
        present_mask,
        tables["sex"],
        tables.get("full_pay"),
        tables.get("ethnicity"),
        tables.get("disability"),
        shift,
        hourly,
        bonus,
        True,
    )
    if found["problem"]:
        return ScanOutcome(problem=True, ids_increasing=not found["not_increasing"])
    hourly_parts = [hourly[s : s + n] for s, n in zip(found["starts"], found["hourly_counts"], strict=True)]
    bonus_parts = [bonus[s : s + n] for s, n in zip(found["starts"], found["bonus_counts"], strict=True)]
    hourly_parts, bonus_parts = sort_parts([hourly_parts, bonus_parts])
    table = cell_table(
        sizes,
        relevant=found["relevant"],
        hourly=(hourly_parts, found["hourly_sums"], found["hourly_max"]),
        bonus=(bonus_parts, found["bonus_sums"], found["bonus_max"]),
    )
    return ScanOutcome(problem=False, ids_increasing=not found["not_increasing"], cells=table)


def _cell_table(coding: Coding, categories: list[str | None], unit: int) -> np.ndarray:
    """Each category id's packed cell contribution (code × stride, shifted above pay); last entry: blank."""
    codes = [coding.code_of(value) if value is not None else 0 for value in categories]
    codes.append(coding.code_of(None))
    return np.array(codes, dtype=np.int64) * unit


def _full_pay_table(categories: list[str | None]) -> np.ndarray:
    """Rule: full_pay yes (1), no (0) or not a yes/no value (2); blank means yes."""

    def answer(value: str | None) -> int:
        text = (value or "").strip().lower()
        if text in FALSE_VALUES:
            return 0
        return 1 if text in TRUE_VALUES or text == "" else 2

    return np.array([answer(value) for value in categories] + [1], dtype=np.uint8)


def _int64_buffer(length: int) -> np.ndarray:
    return np.frombuffer(mmap.mmap(-1, max(1, length) * 8), dtype=np.int64)[:length]
