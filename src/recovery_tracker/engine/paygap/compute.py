"""The six figures for any grouping: per-group statistics, quarter pay bands, comparisons, low pay.

Everything runs as column-wide Polars operations: one group-by per grouping for the statistics, one
sort of the hourly rates per ranked population, and Python only for the few tie groups that straddle
a band edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import polars as pl

from .rules import allocate_tie, band_overlaps, band_sizes, gap_percent, share_percent

__all__ = [
    "GroupStats",
    "QuarterBands",
    "Comparison",
    "group_stats",
    "quarter_bands",
    "bonus_gaps",
    "compare",
]


@dataclass(frozen=True)
class GroupStats:
    """Totals for one group. Money is in millionths of a pound (see ``rules.MONEY_SCALE``)."""

    relevant: int = 0
    fpre: int = 0
    hourly_sum: int = 0
    hourly_median: Fraction | None = None
    bonus_paid: int = 0
    bonus_sum: int = 0
    bonus_median: Fraction | None = None
    below_threshold: int = 0

    @property
    def hourly_mean(self) -> Fraction | None:
        return Fraction(self.hourly_sum, self.fpre) if self.fpre else None

    @property
    def bonus_mean(self) -> Fraction | None:
        return Fraction(self.bonus_sum, self.bonus_paid) if self.bonus_paid else None

    def merged(self, other: GroupStats) -> GroupStats:
        """Totals of two groups together (medians cannot be merged; recompute them)."""
        return GroupStats(
            relevant=self.relevant + other.relevant,
            fpre=self.fpre + other.fpre,
            hourly_sum=self.hourly_sum + other.hourly_sum,
            bonus_paid=self.bonus_paid + other.bonus_paid,
            bonus_sum=self.bonus_sum + other.bonus_sum,
            below_threshold=self.below_threshold + other.below_threshold,
        )


@dataclass(frozen=True)
class QuarterBands:
    """Quarter pay bands, lower to upper: band sizes and how many of each category are in each."""

    sizes: tuple[int, int, int, int]
    counts: Mapping[str, Sequence[int]] = field(default_factory=dict)

    def share(self, category: str, band: int) -> Fraction | None:
        """Reg 13: % of the band's employees who are in ``category``."""
        counts = self.counts.get(category)
        return share_percent(counts[band] if counts else 0, self.sizes[band])


@dataclass(frozen=True)
class Comparison:
    """The six figures for ``comparison`` against ``reference`` (men; White British; non-disabled)."""

    reference: str
    comparison: str
    mean_hourly_gap: Fraction | None
    median_hourly_gap: Fraction | None
    mean_bonus_gap: Fraction | None
    median_bonus_gap: Fraction | None
    reference_bonus_percent: Fraction | None
    comparison_bonus_percent: Fraction | None


def group_stats(
    frame: pl.DataFrame,
    labels: Sequence[str],
    *,
    threshold: int | None = None,
) -> dict[str, dict[str | None, GroupStats]]:
    """Statistics per category of each label in ``labels``.

    Means use full-pay relevant employees for hourly pay (reg 8) and those paid a bonus for bonus pay
    (GOV.UK: "only include those who received bonus pay"); the bonus count is over all relevant
    employees (reg 12). Totals come from one group-by over all labels together (each label's totals
    are sums of it); the medians need one group-by per label. All run as one parallel batch.
    """
    hourly = pl.col("hourly")
    bonus = pl.col("bonus")
    aggregates = [
        pl.len().alias("relevant"),
        hourly.count().alias("fpre"),
        hourly.cast(pl.Int128).sum().alias("hourly_sum"),
        (bonus > 0).sum().alias("bonus_paid"),
        bonus.cast(pl.Int128).sum().alias("bonus_sum"),
    ]
    if threshold is not None:
        # Low pay: "paid under" the threshold means strictly below it.
        aggregates.append((hourly < threshold).sum().alias("below_threshold"))
    else:
        aggregates.append(pl.lit(0, dtype=pl.UInt32).alias("below_threshold"))
    lazy = frame.lazy()
    queries = [lazy.group_by(*labels).agg(aggregates)]
    for label in labels:
        queries.append(
            lazy.group_by(label).agg(
                hourly.median().alias("hourly_median"), bonus.filter(bonus > 0).median().alias("bonus_median")
            )
        )
    joint, *medians = pl.collect_all(queries)
    totals = ["relevant", "fpre", "hourly_sum", "bonus_paid", "bonus_sum", "below_threshold"]
    result: dict[str, dict[str | None, GroupStats]] = {}
    for label, median_frame in zip(labels, medians, strict=True):
        sums = joint.group_by(label).agg(pl.col(totals).sum())
        middle = {row[0]: row[1:] for row in median_frame.iter_rows()}
        stats: dict[str | None, GroupStats] = {}
        for row in sums.iter_rows(named=True):
            key = row[label]
            hourly_median, bonus_median = middle.get(key, (None, None))
            stats[key] = GroupStats(
                relevant=int(row["relevant"]),
                fpre=int(row["fpre"]),
                hourly_sum=int(row["hourly_sum"] or 0),
                hourly_median=_exact_median(hourly_median),
                bonus_paid=int(row["bonus_paid"]),
                bonus_sum=int(row["bonus_sum"] or 0),
                bonus_median=_exact_median(bonus_median),
                below_threshold=int(row["below_threshold"] or 0),
            )
        result[label] = stats
    return result


def _exact_median(value: float | None) -> Fraction | None:
    # A median of whole millionths is whole or a half: exact in a float below 2**52 (£4.5bn).
    return None if value is None else Fraction(value)


def quarter_bands(
    ranked: pl.DataFrame,
    labels: Sequence[str],
    *,
    category_order: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, QuarterBands]:
    """Quarter pay bands of the employees in ``ranked``, counted by each label in ``labels``.

    ``ranked`` holds one row per employee to rank (column ``hourly``, never null, plus the labels),
    in any order. Reg 13: rank by hourly rate, split into four bands by the remainder rule, and spread
    employees on the same rate who straddle a band edge so that each band has the tie group's mix.
    Only the tie groups at an edge are handled one by one; everyone else gets a band from three
    comparisons. ``category_order`` puts a label's categories in order for the two-category rule
    (men first).
    """
    rates = ranked["hourly"].sort()
    n = rates.len()
    sizes = band_sizes(n)
    edges = [sizes[0], sizes[0] + sizes[1], sizes[0] + sizes[1] + sizes[2]]
    cuts: list[int] = []
    straddling: set[int] = set()
    for edge in edges:
        if 0 < edge < n:
            first_above = int(rates[edge])
            cuts.append(first_above)
            if int(rates[edge - 1]) == first_above:
                straddling.add(first_above)
    band = pl.sum_horizontal([(pl.col("hourly") >= cut).cast(pl.Int8) for cut in cuts]) if cuts else pl.lit(0)
    tie = pl.col("hourly").is_in(sorted(straddling)) if straddling else pl.lit(False)
    # One group-by over every label at once; each label's table is a marginal of it.
    joint = (
        ranked.lazy()
        .filter(~tie)
        .group_by(band.alias("__band"), *labels)
        .agg(pl.len().alias("__n"))
        .collect()
    )
    counts: dict[str, dict[str, list[int]]] = {name: {} for name in labels}
    for name in labels:
        marginal = joint.group_by("__band", name).agg(pl.col("__n").sum())
        for band_index, category, number in marginal.iter_rows():
            counts[name].setdefault(_key(category), [0, 0, 0, 0])[band_index] += number
    if straddling:
        ties = ranked.filter(tie).group_by("hourly", *labels).agg(pl.len().alias("__n"))
        for value in sorted(straddling):
            start = int(rates.search_sorted(value, side="left"))
            stop = int(rates.search_sorted(value, side="right"))
            overlaps = band_overlaps(start, stop, sizes)
            in_tie = ties.filter(pl.col("hourly") == value)
            for name in labels:
                per_category: dict[str, int] = {}
                for category, number in in_tie.group_by(name).agg(pl.col("__n").sum()).iter_rows():
                    per_category[_key(category)] = per_category.get(_key(category), 0) + number
                order = list((category_order or {}).get(name, ()))
                ordered = {c: per_category[c] for c in order if c in per_category}
                ordered.update({c: per_category[c] for c in sorted(per_category) if c not in ordered})
                for category, parts in allocate_tie(overlaps, ordered).items():
                    row = counts[name].setdefault(category, [0, 0, 0, 0])
                    for index, part in enumerate(parts):
                        row[index] += part
    return {name: QuarterBands(sizes=sizes, counts=counts[name]) for name in labels}


def _key(category: object) -> str:
    return "" if category is None else str(category)


def compare(reference_name: str, reference: GroupStats, comparison_name: str, comparison: GroupStats) -> Comparison:
    """The hourly and bonus gaps and bonus proportions of one group against the reference group."""
    mean_bonus_gap, median_bonus_gap = bonus_gaps(reference, comparison)
    return Comparison(
        reference=reference_name,
        comparison=comparison_name,
        mean_hourly_gap=_gap(reference.hourly_mean, comparison.hourly_mean),
        median_hourly_gap=_gap(reference.hourly_median, comparison.hourly_median),
        mean_bonus_gap=mean_bonus_gap,
        median_bonus_gap=median_bonus_gap,
        reference_bonus_percent=share_percent(reference.bonus_paid, reference.relevant),
        comparison_bonus_percent=share_percent(comparison.bonus_paid, comparison.relevant),
    )


def _gap(reference: Fraction | None, comparison: Fraction | None) -> Fraction | None:
    if reference is None or comparison is None:
        return None
    return gap_percent(reference, comparison)


def bonus_gaps(reference: GroupStats, comparison: GroupStats) -> tuple[Fraction | None, Fraction | None]:
    """Mean and median bonus gaps over those paid a bonus.

    GOV.UK: with no men paid a bonus the bonus gaps are left blank; with men but no women paid a
    bonus the women's mean and median are 0, so both gaps are 100%.
    """
    if reference.bonus_paid == 0:
        return None, None
    if comparison.bonus_paid == 0:
        zero = Fraction(0)
        return _gap(reference.bonus_mean, zero), _gap(reference.bonus_median, zero)
    return (
        _gap(reference.bonus_mean, comparison.bonus_mean),
        _gap(reference.bonus_median, comparison.bonus_median),
    )
