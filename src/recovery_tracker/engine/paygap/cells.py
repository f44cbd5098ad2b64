"""Every count, sum, median, low-pay line and quarter band from one sort of packed keys.

A *cell* is one combination of the groupings' categories (sex × broad ethnic group × disability:
at most 3 × 8 × 3 = 72 cells). Every group any report needs (men; Asian or Asian British; all other
disclosed groups; disabled ...) is a union of cells. Each employee's cell number and pay are packed
into one 64-bit key, ``cell << shift | pay``, and the keys are sorted once (hourly pay of full-pay
relevant employees; bonus pay of those paid one). In the sorted keys each cell's pay is a
contiguous, sorted run, so:

- counts and "below the threshold" per cell are slice lengths and binary searches (head counts and
  exact pay totals per cell come from one small group-by on the 16-bit cell number, in the same batch);
- the k-th smallest pay of any union of cells (medians, the ranks at the quarter band edges) is a
  binary search on pay, counting each cell's run with one vectorised ``searchsorted``;
- quarter band counts per cell are differences of such counts at the band edges.

So a full report costs one pass to build the keys and the sorts (NumPy's, on two threads), whatever
the number of groupings, and no Python loop ever runs per employee. The keys may come in several
parts, each sorted on its own (the one-pass scan in ``scan.py`` writes one part per thread): counts
are then sums over the parts. ``build_cells`` is the Polars route to the same table. The
slow-but-plain group-by version stays in ``compute.py`` (used when pay is too large to pack, which
no real payroll reaches).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

import numpy as np
import polars as pl

from .compute import GroupStats, QuarterBands
from .rules import allocate_tie, band_overlaps, band_sizes

__all__ = ["Dimension", "Label", "CellTable", "build_cells", "cell_table", "sort_parts", "PackingOverflow"]


class PackingOverflow(ValueError):
    """Pay too large to share a 64-bit key with the cell number (over £36bn in millionths)."""


@dataclass(frozen=True)
class Dimension:
    """One axis of the cell grid: an expression giving each row a code ``0 .. len(categories) - 1``."""

    name: str
    code: pl.Expr
    categories: Sequence[str | None]


@dataclass(frozen=True)
class Label:
    """A grouping to report: the category of each code of one dimension (several codes may share one)."""

    name: str
    dimension: str
    category_of_code: Sequence[str | None]


@dataclass(frozen=True)
class _Sorted:
    """Packed keys in parts, each sorted ascending, and where each cell's run starts in each part
    (``bounds[p, c]:bounds[p, c + 1]``), with each cell's exact total and the largest pay."""

    parts: tuple[np.ndarray, ...]
    bounds: np.ndarray
    sums: tuple[int, ...]
    largest: int

    @property
    def sizes(self) -> np.ndarray:
        """How many keys each cell has, over all parts."""
        return cast(np.ndarray, np.diff(self.bounds, axis=1).sum(axis=0))

    def at_most(self, queries: np.ndarray, side: str) -> np.ndarray:
        """Per query key, how many keys (over all parts) sort before it (``side`` as ``np.searchsorted``)."""
        # Searched in ascending order: each search then starts where the last one ended, which spares
        # most cache misses in arrays of millions of keys.
        order = np.argsort(queries, kind="stable")
        ordered = queries[order]
        counts = np.empty(len(queries), dtype=np.int64)
        counts[order] = sum(np.searchsorted(part, ordered, side=side) for part in self.parts)  # type: ignore[call-overload]
        return counts


@dataclass(frozen=True)
class CellTable:
    """Sorted hourly and bonus keys per cell, and each cell's head count."""

    sizes: Mapping[str, int]
    strides: Mapping[str, int]
    cells: int
    shift: int
    relevant: np.ndarray
    hourly: _Sorted
    bonus: _Sorted

    def codes(self, dimension: str) -> np.ndarray:
        """Each cell's code in ``dimension``."""
        return (np.arange(self.cells) // self.strides[dimension]) % self.sizes[dimension]

    def categories(self, label: Label) -> list[str | None]:
        """The category of each cell under ``label``."""
        return [label.category_of_code[int(code)] for code in self.codes(label.dimension)]

    def group_stats(self, label: Label, *, threshold: int | None = None) -> dict[str | None, GroupStats]:
        """Per-category statistics, exactly as ``compute.group_stats`` gives them (categories with people)."""
        per_cell = self.categories(label)
        names = _ordered({n for n, r in zip(per_cell, self.relevant, strict=True) if r})
        members = {name: np.array([c == name for c in per_cell]) for name in names}
        hourly_medians = self._medians(self.hourly, members)
        bonus_medians = self._medians(self.bonus, members)
        below = self._count_below(threshold) if threshold is not None else np.zeros(self.cells, dtype=np.int64)
        fpre = self.hourly.sizes
        paid = self.bonus.sizes
        result: dict[str | None, GroupStats] = {}
        for name, mask in members.items():
            cells = np.flatnonzero(mask)
            result[name] = GroupStats(
                relevant=int(self.relevant[cells].sum()),
                fpre=int(fpre[cells].sum()),
                hourly_sum=sum(self.hourly.sums[c] for c in cells),
                hourly_median=hourly_medians[name],
                bonus_paid=int(paid[cells].sum()),
                bonus_sum=sum(self.bonus.sums[c] for c in cells),
                bonus_median=bonus_medians[name],
                below_threshold=int(below[cells].sum()),
            )
        return result

    def quarter_bands(
        self,
        label: Label,
        *,
        population: np.ndarray | None = None,
        category_order: Sequence[str] = (),
    ) -> QuarterBands:
        """Reg 13 quarter bands over the full-pay relevant employees in ``population`` (a cell mask).

        Same result as ``compute.quarter_bands``: rank by hourly rate, band sizes by the remainder
        rule, everyone not on a rate straddling a band edge banded by the edge rates, and each
        straddling tie group spread with ``allocate_tie`` in the label's category order.
        """
        population = np.ones(self.cells, dtype=bool) if population is None else population
        per_cell = self.categories(label)
        runs = self.hourly.sizes
        n = int(runs[population].sum())
        sizes = band_sizes(n)
        edges = [e for e in (sizes[0], sizes[0] + sizes[1], sizes[0] + sizes[1] + sizes[2]) if 0 < e < n]
        # The rates either side of each edge: ranks e - 1 and e of the population.
        around = self._kth(self.hourly, [population] * (2 * len(edges)), [r for e in edges for r in (e - 1, e)])
        cuts = [around[2 * i + 1] for i in range(len(edges))]
        straddling = sorted({around[2 * i + 1] for i in range(len(edges)) if around[2 * i] == around[2 * i + 1]})
        # below[j][c]: people in cell c paid less than cuts[j]; the band is how many cuts are <= pay.
        below = [self._count_below(cut) for cut in cuts]
        total = runs.astype(np.int64)
        lower = [np.zeros(self.cells, dtype=np.int64), *below]
        upper = [*below, total]
        per_band = [upper[b] - lower[b] for b in range(len(cuts) + 1)]
        ties = {value: self._count_below(value + 1) - self._count_below(value) for value in straddling}
        for value, at in ties.items():
            per_band[sum(cut <= value for cut in cuts)] -= at
        counts: dict[str, list[int]] = {}
        for cell in np.flatnonzero(population & (runs > 0)):
            row = counts.setdefault(_key(per_cell[cell]), [0, 0, 0, 0])
            for band, numbers in enumerate(per_band):
                row[band] += int(numbers[cell])
        for value, at in ties.items():
            start = int(self._count_below(value)[population].sum())
            stop = start + int(at[population].sum())
            overlaps = band_overlaps(start, stop, sizes)
            per_category: dict[str, int] = {}
            for cell in np.flatnonzero(population & (at > 0)):
                key = _key(per_cell[cell])
                per_category[key] = per_category.get(key, 0) + int(at[cell])
            ordered = {c: per_category[c] for c in category_order if c in per_category}
            ordered.update({c: per_category[c] for c in sorted(per_category) if c not in ordered})
            for category, parts in allocate_tie(overlaps, ordered).items():
                row = counts.setdefault(category, [0, 0, 0, 0])
                for index, part in enumerate(parts):
                    row[index] += part
        return QuarterBands(sizes=sizes, counts=counts)

    def _count_below(self, value: int) -> np.ndarray:
        """Per cell: how many full-pay relevant employees have an hourly rate strictly below ``value``."""
        value = min(max(value, 0), 1 << self.shift)
        starts = self.hourly.bounds[:, :-1].sum(axis=0)
        queries = (np.arange(self.cells, dtype=np.int64) << self.shift) + value
        return cast(np.ndarray, self.hourly.at_most(queries, "left") - starts)

    def _medians(self, run: _Sorted, members: Mapping[str | None, np.ndarray]) -> dict[str | None, Fraction | None]:
        """Median pay of each union of cells (the mean of the two middle values when the count is even)."""
        sizes = run.sizes
        names, masks, ranks = [], [], []
        for name, mask in members.items():
            n = int(sizes[mask].sum())
            if n:
                names.append(name)
                masks += [mask, mask]
                ranks += [(n - 1) // 2, n // 2]
        values = self._kth(run, masks, ranks)
        result: dict[str | None, Fraction | None] = dict.fromkeys(members)
        for i, name in enumerate(names):
            result[name] = Fraction(values[2 * i] + values[2 * i + 1], 2)
        return result

    def _kth(self, run: _Sorted, masks: Sequence[np.ndarray], ranks: Sequence[int]) -> list[int]:
        """The ``ranks[t]``-th smallest pay (from 0) in the union of cells ``masks[t]``, for every t at once.

        Binary search on the pay value: the answer is the least v with more than rank values <= v. Each
        step counts, for every target, only its member cells that have anyone in them.
        """
        if not ranks:
            return []
        sizes = run.sizes
        pairs = [(t, c) for t, mask in enumerate(masks) for c in np.flatnonzero(mask & (sizes > 0))]
        target_of = np.array([t for t, _c in pairs], dtype=np.int64)
        cell_of = np.array([c for _t, c in pairs], dtype=np.int64)
        # Where each target's pairs begin (every target has at least one: its rank is below its count).
        first_pair = np.searchsorted(target_of, np.arange(len(ranks)), side="left")
        base = cell_of << self.shift
        starts = run.bounds[:, :-1].sum(axis=0)[cell_of]
        need = np.array(ranks, dtype=np.int64) + 1
        low = np.zeros(len(ranks), dtype=np.int64)
        # Every answer is at most the largest pay: ~31 halvings for hourly pay, not one per key bit.
        high = np.full(len(ranks), run.largest, dtype=np.int64)
        while (low < high).any():
            middle = (low + high) // 2
            at_most = run.at_most(base + middle[target_of], "right") - starts
            enough = np.add.reduceat(at_most, first_pair) >= need
            high = np.where(enough, middle, high)
            low = np.where(enough, low, middle + 1)
        return [int(v) for v in low]


def _ordered(names: set[str | None]) -> list[str | None]:
    # Deterministic order: named categories alphabetically, "not recorded" (None) last.
    return sorted(n for n in names if n is not None) + ([None] if None in names else [])


def _key(category: str | None) -> str:
    return "" if category is None else category


def build_cells(frame: pl.DataFrame, dimensions: Sequence[Dimension]) -> CellTable:
    """Pack and sort: one lazy batch gives each row's key and each cell's head count and totals; then two sorts.

    ``frame`` needs ``hourly`` (null when not a full-pay relevant employee) and ``bonus`` (0 when
    none), both non-negative whole millionths. Raises ``PackingOverflow`` when pay is too large to pack.
    """
    strides, cells, shift = cell_layout({d.name: max(1, len(d.categories)) for d in dimensions})
    # The cell number fits 16 bits (at most 72 cells); widened only inside the key expression.
    cell = pl.lit(0, dtype=pl.Int16)
    for dimension in dimensions:
        cell = cell + dimension.code.cast(pl.Int16) * strides[dimension.name]
    hourly, bonus = pl.col("hourly"), pl.col("bonus")
    limit = 1 << shift
    base = frame.lazy().select(cell.alias("cell"), hourly, bonus).collect().lazy()

    def packed(pay: pl.Expr) -> pl.Expr:
        return (pl.col("cell").cast(pl.Int64) * limit + pay).alias("key")

    def totals(wide: bool) -> pl.LazyFrame:
        # Per cell: relevant employees, and exact hourly and bonus totals (nulls and zeros add nothing).
        width = pl.Int128 if wide else pl.Int64
        return base.group_by("cell").agg(
            pl.len().alias("relevant"), hourly.cast(width).sum().alias("hourly"), bonus.cast(width).sum().alias("bonus")
        )

    keys_hourly, keys_bonus, per_cell, largest = pl.collect_all(
        [
            base.filter(hourly.is_not_null()).select(packed(hourly)),
            base.filter(bonus > 0).select(packed(bonus)),
            totals(wide=False),
            base.select(hourly.max().alias("hourly"), bonus.max().alias("bonus")),
        ]
    )
    largest_hourly, largest_bonus = ((value or 0) for value in largest.row(0))
    if max(largest_hourly, largest_bonus) >= limit:
        raise PackingOverflow("pay too large to pack with the cell number")
    if max(largest_hourly, largest_bonus) * frame.height >= 1 << 63:
        # A 64-bit total could wrap (no real payroll comes near): sum again in 128 bits.
        per_cell = totals(wide=True).collect()
    relevant = np.zeros(cells, dtype=np.int64)
    sums = {"hourly": [0] * cells, "bonus": [0] * cells}
    for number, people, hourly_total, bonus_total in per_cell.iter_rows():
        relevant[number] = people
        sums["hourly"][number] = int(hourly_total or 0)
        sums["bonus"][number] = int(bonus_total or 0)
    # The filtered keys come in many chunks, so turning them into NumPy arrays copies anyway; the
    # copies are then sorted in place.
    hourly_keys, bonus_keys = sort_parts([[keys_hourly["key"].to_numpy(writable=True)],
                                          [keys_bonus["key"].to_numpy(writable=True)]])
    return cell_table(
        {d.name: max(1, len(d.categories)) for d in dimensions},
        relevant=relevant,
        hourly=(hourly_keys, sums["hourly"], largest_hourly),
        bonus=(bonus_keys, sums["bonus"], largest_bonus),
    )


def sort_parts(measures: Sequence[Sequence[np.ndarray]]) -> list[list[np.ndarray]]:
    """Sort every part of every measure in place, on two threads; the same nesting back.

    NumPy's sort of 64-bit integers (SIMD quicksort) beats Polars' here and releases the GIL, so the
    parts are sorted side by side, largest first to keep the two threads evenly loaded.
    """
    parts = sorted((part for measure in measures for part in measure), key=len, reverse=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(np.ndarray.sort, parts))
    return [list(measure) for measure in measures]


def cell_table(
    sizes: Mapping[str, int],
    *,
    relevant: Sequence[int] | np.ndarray,
    hourly: tuple[Sequence[np.ndarray], Sequence[int], int],
    bonus: tuple[Sequence[np.ndarray], Sequence[int], int],
) -> CellTable:
    """A table from keys packed with ``cell_layout(sizes)`` and already sorted (``sort_parts``).

    ``hourly`` and ``bonus``: (sorted parts, exact total per cell, largest pay). ``relevant``: head
    count per cell.
    """
    strides, cells, shift = cell_layout(sizes)
    edges = np.arange(cells + 1, dtype=np.int64) << shift

    def run(parts: Sequence[np.ndarray], sums: Sequence[int], largest: int) -> _Sorted:
        bounds = np.array([np.searchsorted(part, edges, side="left") for part in parts], dtype=np.int64)
        return _Sorted(parts=tuple(parts), bounds=bounds.reshape(len(parts), cells + 1),
                       sums=tuple(int(s) for s in sums[:cells]), largest=largest)

    return CellTable(
        sizes=dict(sizes),
        strides=strides,
        cells=cells,
        shift=shift,
        relevant=np.asarray(relevant[:cells], dtype=np.int64),
        hourly=run(*hourly),
        bonus=run(*bonus),
    )


def cell_layout(sizes: Mapping[str, int]) -> tuple[dict[str, int], int, int]:
    """Strides of each dimension (in order), the number of cells, and the shift that packs a cell above pay."""
    strides: dict[str, int] = {}
    cells = 1
    for name, size in sizes.items():
        strides[name] = cells
        cells *= max(1, size)
    return strides, cells, 62 - max(1, cells - 1).bit_length()
