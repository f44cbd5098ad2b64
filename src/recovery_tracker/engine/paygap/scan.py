"""The one-pass route: every per-row check, each row's cell and the sort keys in one pass (``_scan.c``).

``read_payroll`` uses it when the C extension is built and the columns are typed (numbers as
numbers, text as categories, as the CSV reader and most Parquet files give them). The pass also
builds the cell table for the default groupings, so a report on them needs no further pass over the
rows. Whenever the pass finds anything at all wrong with a row, or cannot read a column's type, the
Polars route in ``reader.py`` and ``cells.py`` takes over: it names every problem, or decides that
there is none. Both routes give the same report; the tests compare them on random payrolls.
"""

from __future__ import annotations

import gc
import mmap
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from ..yes_no import NO, YES
from .cells import CellTable, cell_layout, cell_table, sort_parts
from .codes import categories_of
from .groups import Coding

try:
    from . import _scan  # type: ignore[attr-defined]
except ImportError:  # built without a C compiler: the Polars route does everything
    _scan = None
if _scan is not None and sys.byteorder != _scan.BYTE_ORDER:
    # Built for a machine of the other byte order (a copied build folder): its text comparisons
    # would be wrong, so the Polars route does everything.
    _scan = None

__all__ = ["ROLES", "ScanOutcome", "available", "scan_batches"]

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
_CLASSIFYING_ROUNDS = 8


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


def scan_batches(
    batches: Iterable[pl.DataFrame], codings: Sequence[Coding], *, capacity: int, threads: int = 1
) -> ScanOutcome | None:
    """Check every row and build the cell table for ``codings`` in one pass, batch by batch.

    Batches carry our column names (``reader.COLUMNS``). ``capacity``: at least the number of rows
    (the key buffers are reserved up front and only the pages written are ever used). Returns None
    when the pass cannot read a column (extension not built, or a column of another type); the caller
    then takes the Polars route.
    """
    if _scan is None:
        return None
    # The loop allocates only short-lived objects: no cyclic garbage collection passes in between.
    collecting = gc.isenabled()
    gc.disable()
    remaining = iter(batches)
    try:
        return _scan_each(remaining, codings, capacity=capacity, threads=threads)
    finally:
        if collecting:
            gc.enable()
        # A streamed file's query must run to its end: Polars (2.1) can leave its async runtime
        # waiting on a streaming query dropped part way, and every later query then hangs.
        try:
            for _ in remaining:
                pass
        except pl.exceptions.PolarsError:
            pass


def _scan_each(
    batches: Iterable[pl.DataFrame], codings: Sequence[Coding], *, capacity: int, threads: int
) -> ScanOutcome | None:
    assert _scan is not None
    sizes = {coding.name: len(coding.categories) for coding in codings}
    strides, cells, shift = cell_layout(sizes)
    tables = _Tables(codings, strides, shift)
    # Anonymous memory (not np.empty): NumPy asks the kernel for huge pages on large arrays, and
    # where the kernel then compacts memory on the spot, first writes take several times longer.
    hourly, bonus = _int64_buffer(capacity), _int64_buffer(capacity)
    filled = {"hourly": 0, "bonus": 0}
    relevant, hourly_sums, bonus_sums = [0] * cells, [0] * cells, [0] * cells
    hourly_max = bonus_max = 0
    increasing = True
    last_id: str | None = None
    for batch in batches:
        if batch.height == 0:
            continue
        prepared = tables.prepare(batch)
        if prepared is None:
            return None
        series, present_mask = prepared
        if filled["hourly"] + batch.height > capacity or filled["bonus"] + batch.height > capacity:
            return None
        for _round in range(_CLASSIFYING_ROUNDS):
            found = _scan.scan(
                tuple(s.__arrow_c_stream__() for s in series),
                present_mask,
                *(tables.lookup(role) for role in _TEXT),
                shift,
                hourly[filled["hourly"] :],
                bonus[filled["bonus"] :],
                threads,
            )
            if not found["unclassified"]:
                break
            # New values: text columns (not categories) bring theirs as they come, and a batch may bring
            # new categories. Classify them (texts up to 64 a column a pass) and scan the batch again
            # (nothing from the unfinished pass is kept).
            if not tables.classify(found["unknown"], batch):
                return None
        else:
            return None  # hundreds of distinct texts in a column: not a grouping the scan is for
        if found["problem"]:
            return ScanOutcome(problem=True, ids_increasing=not found["not_increasing"])
        filled["hourly"] += found["hourly_count"]
        filled["bonus"] += found["bonus_count"]
        for cell in range(cells):
            relevant[cell] += found["relevant"][cell]
            hourly_sums[cell] += found["hourly_sums"][cell]
            bonus_sums[cell] += found["bonus_sums"][cell]
        hourly_max = max(hourly_max, found["hourly_max"])
        bonus_max = max(bonus_max, found["bonus_max"])
        ids = batch["employee_id"]
        # Python compares str by code point, the order of their UTF-8 bytes, as the scan does.
        increasing = increasing and not found["not_increasing"] and (last_id is None or ids[0] > last_id)
        last_id = ids[-1]
    halves = [(hourly, filled["hourly"]), (bonus, filled["bonus"])]
    hourly_parts, bonus_parts = sort_parts([[keys[: n // 2], keys[n // 2 : n]] for keys, n in halves])
    table = cell_table(
        sizes,
        relevant=relevant,
        hourly=(hourly_parts, hourly_sums, hourly_max),
        bonus=(bonus_parts, bonus_sums, bonus_max),
    )
    return ScanOutcome(problem=False, ids_increasing=increasing, cells=table)


class _Tables:
    """The scan's lookups for the text columns: by category id (rebuilt only when a batch brings new
    categories), or, for columns of plain text, by the texts classified so far."""

    def __init__(self, codings: Sequence[Coding], strides: dict[str, int], shift: int) -> None:
        self.by_name = {coding.name: coding for coding in codings}
        self.strides = strides
        self.shift = shift
        self.of: dict[str, np.ndarray] = {}
        self.texts: dict[str, dict[str, None]] = {}  # per column, the texts classified so far, in order

    def lookup(self, role: str) -> object:
        """The lookup ``_scan.scan`` takes for ``role``: None, a table by id, or (texts, values, blank)."""
        if role in self.texts:
            known = self.texts[role]
            values = np.array([self._value(role, text) for text in known], dtype=np.int64)
            return [text.encode() for text in known], values, self._value(role, None)
        return self.of.get(role)

    def classify(self, unknown: Sequence[list[bytes]], batch: pl.DataFrame) -> bool:
        """Add the texts the scan met for the first time, and rebuild the tables by category id for the
        categories the process has now seen; False if a text is not UTF-8 or the tables cannot grow."""
        for role in self.of:
            categories = categories_of(batch[role].dtype)
            if categories is None:
                return False
            self.of[role] = self._table(role, categories)
        for role, texts in zip(_TEXT, unknown, strict=True):
            for raw in texts:
                try:
                    self.texts[role][raw.decode()] = None
                except UnicodeDecodeError:
                    return False
        return True

    def _value(self, role: str, text: str | None) -> int:
        if role == "full_pay":
            return _full_pay_answer(text)
        if role in self.by_name:
            return self.by_name[role].code_of(text) * (self.strides[role] << self.shift)
        return 0

    def prepare(self, columns: pl.DataFrame) -> tuple[list[pl.Series], int] | None:
        """The batch's columns as the scan reads them, and the mask of roles present (None: unreadable)."""
        present = [role for role in ROLES if role in columns.columns]
        series: list[pl.Series] = []
        for role in present:
            column = columns[role]
            if role == "employee_id":
                if column.dtype != pl.String:
                    return None
                series.append(column)
            elif role in _TEXT and column.dtype == pl.String:
                self.texts.setdefault(role, {})
                series.append(column)
            elif role in _TEXT:
                if role not in self.of:
                    categories = categories_of(column.dtype)
                    if categories is None:
                        return None
                    self.of[role] = self._table(role, categories)
                ids = column.to_physical()
                series.append(ids if ids.dtype == pl.UInt32 else ids.cast(pl.UInt32))
            elif column.dtype == pl.Float64:
                series.append(column)
            elif column.dtype.is_numeric():
                series.append(column.cast(pl.Float64))
            else:
                return None
        return series, sum(1 << ROLES.index(role) for role in present)

    def _table(self, role: str, categories: list[str | None]) -> np.ndarray:
        if role == "full_pay":
            return _full_pay_table(categories)
        if role in self.by_name:
            return _cell_table(self.by_name[role], categories, self.strides[role] << self.shift)
        # A grouping not asked for: every row is in its cell 0.
        return np.zeros(len(categories) + 1, dtype=np.int64)


def _cell_table(coding: Coding, categories: list[str | None], unit: int) -> np.ndarray:
    """Each category id's packed cell contribution (code × stride, shifted above pay); last entry: blank."""
    codes = [coding.code_of(value) if value is not None else 0 for value in categories]
    codes.append(coding.code_of(None))
    return np.array(codes, dtype=np.int64) * unit


def _full_pay_answer(value: str | None) -> int:
    """Rule: full_pay yes (1), no (0) or not a yes/no value (2); blank means yes."""
    text = (value or "").strip().lower()
    if text in NO:
        return 0
    return 1 if text in YES or text == "" else 2


def _full_pay_table(categories: list[str | None]) -> np.ndarray:
    return np.array([_full_pay_answer(value) for value in categories] + [1], dtype=np.int64)


def _int64_buffer(length: int) -> np.ndarray:
    return np.frombuffer(mmap.mmap(-1, max(1, length) * 8), dtype=np.int64)[:length]
