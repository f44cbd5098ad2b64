"""Pay-gap reports: the GOV.UK six figures by sex, the same figures by ethnicity and disability, low pay.

``paygap_report`` is the one entry point: it labels the payroll once, ranks each population once
and runs one group-by per grouping, so a full report (sex, ethnicity and disability) costs little
more than reading the file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import polars as pl

from ..wage_rates import real_living_wage_in_force
from .cells import CellTable, Dimension, Label, PackingOverflow, build_cells
from .codes import coding_expr
from .compute import Comparison, GroupStats, QuarterBands, compare, group_stats, quarter_bands
from .govuk import FIGURE_FIELDS, validate_govuk_figures
from .groups import (
    NON_DISABLED,
    NOT_DISCLOSED,
    OTHER_THAN_REFERENCE,
    SEX_CATEGORIES,
    WHITE_BRITISH,
    Coding,
    disability_coding,
    ethnicity_coding,
    sex_coding,
)
from .reader import Payroll
from .rules import MONEY_SCALE, round_published, share_percent

__all__ = [
    "Grouping",
    "SmallGroups",
    "LowPayLine",
    "LowPay",
    "SexPayGap",
    "GroupComparison",
    "GroupPayGap",
    "PayGapReport",
    "paygap_report",
    "sex_figures",
    "low_pay_threshold",
    "SEX_EXCLUDED_REASON",
    "MERGED_GROUP",
]

Grouping = Literal["sex", "ethnicity", "disability"]
SmallGroups = Literal["suppress", "merge"]
SEX_EXCLUDED_REASON = "sex_not_recorded"
MERGED_GROUP = "Other groups (merged: each under the minimum size)"
BAND_NAMES = ("lower", "lower_middle", "upper_middle", "upper")


@dataclass(frozen=True)
class LowPayLine:
    below: int
    full_pay_relevant_employees: int

    @property
    def share(self) -> Fraction | None:
        """% of full-pay relevant employees paid below the threshold."""
        return share_percent(self.below, self.full_pay_relevant_employees)


@dataclass(frozen=True)
class LowPay:
    """Share of full-pay relevant employees with an hourly rate strictly below ``threshold``."""

    threshold: Decimal
    basis: str
    overall: LowPayLine
    by_group: Mapping[str, Mapping[str, LowPayLine]] = field(default_factory=dict)


@dataclass(frozen=True)
class SexPayGap:
    """The six GOV.UK figures as the 14 service fields, unrounded and published (1 dp, half-even)."""

    unrounded: Mapping[str, Fraction | None]
    figures: Mapping[str, Decimal | None]
    counts: Mapping[str, Any]
    bands: QuarterBands
    govuk_problems: Sequence[str]


@dataclass(frozen=True)
class GroupComparison:
    """One group against the reference group; ``comparison`` is None when suppressed as too small."""

    group: str
    relevant_employees: int
    suppressed: bool
    comparison: Comparison | None


@dataclass(frozen=True)
class GroupPayGap:
    """Ethnicity or disability pay gaps: comparisons at each level, bands, composition, disclosure."""

    grouping: str
    reference: str
    levels: Mapping[str, Sequence[GroupComparison]]
    bands: Mapping[str, QuarterBands]
    composition: Mapping[str, int]
    not_disclosed: int
    relevant_employees: int
    min_group_size: int
    small_groups: SmallGroups
    merged: Sequence[str] = ()

    @property
    def not_disclosed_rate(self) -> Fraction | None:
        """% of relevant employees who did not disclose (ethnicity guidance: report it)."""
        return share_percent(self.not_disclosed, self.relevant_employees)


@dataclass(frozen=True)
class PayGapReport:
    snapshot_date: date
    source: str
    relevant_employees: int
    full_pay_relevant_employees: int
    sex: SexPayGap | None = None
    ethnicity: GroupPayGap | None = None
    disability: GroupPayGap | None = None
    low_pay: LowPay | None = None
    notes: Sequence[str] = ()


def low_pay_threshold(snapshot_date: date, amount: Decimal | None = None) -> tuple[Decimal, str]:
    """The low-pay threshold and where it comes from.

    Plan §2.3.1 counts workers "paid under £10 an hour"; by default the project uses the Real Living
    Wage in force on the snapshot date (Living Wage Foundation table shipped with the tool).
    """
    if amount is not None:
        return amount, f"£{amount:.2f} an hour (given)"
    in_force = real_living_wage_in_force(snapshot_date)
    return in_force.amount, (
        f"Real Living Wage {in_force.rate.year} (£{in_force.amount:.2f} an hour), "
        f"in force on {snapshot_date.isoformat()}"
    )


def paygap_report(
    payroll: Payroll,
    snapshot_date: date,
    *,
    by: Sequence[Grouping] = ("sex",),
    ethnicity_reference: str = WHITE_BRITISH,
    min_group_size: int = 10,
    small_groups: SmallGroups = "suppress",
    low_pay_amount: Decimal | None = None,
    low_pay: bool = True,
) -> PayGapReport:
    """Compute the requested groupings from a checked payroll.

    ``by`` picks the groupings; ethnicity and disability need those columns in the file. The low-pay
    threshold is ``low_pay_amount`` or, when None, the Real Living Wage in force on ``snapshot_date``.
    """
    notes: list[str] = []
    for grouping in by:
        if grouping != "sex" and not getattr(payroll, f"has_{grouping}"):
            raise ValueError(f"{payroll.source}: no {grouping} column, so there are no {grouping} figures")
    threshold: int | None = None
    basis = ""
    amount: Decimal | None = None
    if low_pay:
        try:
            amount, basis = low_pay_threshold(snapshot_date, low_pay_amount)
            threshold = int(amount * MONEY_SCALE)
        except ValueError as error:
            notes.append(f"No low-pay figures: {error}")
    codings = [sex_coding()]
    if "ethnicity" in by:
        codings.append(ethnicity_coding(ethnicity_reference))
    if "disability" in by:
        codings.append(disability_coding())
    # The one-pass route's table when the payroll came that way; else the Polars route's (see cells).
    table = payroll.cells_for(codings)
    dimensions: list[Dimension] = []
    if table is None:
        dimensions = [Dimension(c.name, coding_expr(c, payroll.frame[c.name]), c.categories) for c in codings]
        try:
            table = build_cells(payroll.frame, dimensions)
        except PackingOverflow:
            table = None
    if table is not None:
        labels, merged = _labels(codings, _relevant_by_code(table, codings), ethnicity_reference, min_group_size,
                                 small_groups)
        stats, bands = _by_cells(table, labels, threshold, sex_bands="sex" in by)
    else:
        codes = payroll.frame.select([d.code.alias(d.name) for d in dimensions])
        sizes = {d.name: dict(codes.group_by(d.name).len().iter_rows()) for d in dimensions}
        labels, merged = _labels(codings, sizes, ethnicity_reference, min_group_size, small_groups)
        stats, bands = _by_group_by(payroll.frame, dimensions, labels, threshold, sex_bands="sex" in by)
    relevant = sum(s.relevant for s in stats["sex"].values())
    fpre = sum(s.fpre for s in stats["sex"].values())
    report = PayGapReport(
        snapshot_date=snapshot_date,
        source=payroll.source,
        relevant_employees=relevant,
        full_pay_relevant_employees=fpre,
        sex=sex_figures(stats["sex"], bands["sex"]) if "sex" in by else None,
        ethnicity=_group_pay_gap(
            "ethnicity", ethnicity_reference, stats, bands, ["ethnicity_binary", "ethnicity_broad"],
            min_group_size, small_groups, merged.get("ethnicity", []),
        ) if "ethnicity" in by else None,
        disability=_group_pay_gap(
            "disability", NON_DISABLED, stats, bands, ["disability_binary"], min_group_size, small_groups, [],
        ) if "disability" in by else None,
        low_pay=_low_pay(amount, basis, stats, threshold) if threshold is not None and amount is not None else None,
        notes=notes,
    )
    return report


def _relevant_by_code(table: CellTable, codings: Sequence[Coding]) -> dict[str, dict[int, int]]:
    """Relevant employees per code of each coding, from the cell table's head counts."""
    sizes: dict[str, dict[int, int]] = {}
    for coding in codings:
        per_code: dict[int, int] = {}
        for code, people in zip(table.codes(coding.name), table.relevant, strict=True):
            per_code[int(code)] = per_code.get(int(code), 0) + int(people)
        sizes[coding.name] = per_code
    return sizes


def _labels(
    codings: Sequence[Coding],
    sizes: Mapping[str, Mapping[int, int]],
    reference: str,
    min_group_size: int,
    small_groups: SmallGroups,
) -> tuple[list[Label], dict[str, list[str]]]:
    """The groupings to report on the cells, and the ethnic groups merged for being small."""
    labels = [Label("sex", "sex", SEX_CATEGORIES)]
    merged: dict[str, list[str]] = {}
    for coding in codings[1:]:
        groups = list(coding.categories)
        if coding.name == "ethnicity":
            people = {g: sizes[coding.name].get(code, 0) for code, g in enumerate(groups)}
            merged["ethnicity"] = []
            if small_groups == "merge":
                # Guidance: combine groups where numbers are too small; the reference and "not disclosed" stay.
                # Coding.categories may hold None (a blank cell); no rule gives a blank a group of its own
                # that is small, but the type cannot say so.
                merged["ethnicity"] = sorted(
                    g for g, n in people.items()  # type: ignore[misc]
                    if 0 < n < min_group_size and g not in (reference, NOT_DISCLOSED)
                )
            broad = [MERGED_GROUP if g in merged["ethnicity"] else g for g in groups]
            binary = [g if g in (reference, NOT_DISCLOSED) else OTHER_THAN_REFERENCE for g in broad]
            labels += [Label("ethnicity_broad", "ethnicity", broad), Label("ethnicity_binary", "ethnicity", binary)]
        else:
            labels.append(Label("disability_binary", "disability", groups))
    return labels, merged


def _by_cells(
    table: CellTable, labels: Sequence[Label], threshold: int | None, *, sex_bands: bool
) -> tuple[dict[str, dict[str | None, GroupStats]], dict[str, QuarterBands]]:
    """Statistics and quarter bands of every label from the sorted cells (see ``cells``)."""
    stats = {label.name: table.group_stats(label, threshold=threshold) for label in labels}
    bands: dict[str, QuarterBands] = {}
    if sex_bands:
        # Sex figures leave out people whose sex is not recorded, from the ranking too.
        known = table.codes("sex") != 2
        bands["sex"] = table.quarter_bands(labels[0], population=known, category_order=("male", "female"))
    for label in labels[1:]:
        # Ethnicity guidance: non-disclosure stays in the ranking as its own category.
        bands[label.name] = table.quarter_bands(label)
    return stats, bands


def _by_group_by(
    frame: pl.DataFrame, dimensions: Sequence[Dimension], labels: Sequence[Label], threshold: int | None,
    *, sex_bands: bool,
) -> tuple[dict[str, dict[str | None, GroupStats]], dict[str, QuarterBands]]:
    """The plain group-by route, for pay too large to pack into a sort key (never in a real payroll)."""
    code_of = {d.name: d.code for d in dimensions}
    columns = {}
    for label in labels[1:]:
        names = list(dict.fromkeys(label.category_of_code))
        columns[label.name] = (
            pl.lit(pl.Series(label.category_of_code, dtype=pl.String))
            .gather(code_of[label.dimension])
            .cast(pl.Enum([n for n in names if n is not None]))
        )
    labelled = frame.with_columns(**columns)
    label_names = [label.name for label in labels]
    stats = group_stats(labelled, label_names, threshold=threshold)
    ranked = labelled.filter(pl.col("hourly").is_not_null()).select("hourly", *label_names)
    bands: dict[str, QuarterBands] = {}
    if sex_bands:
        bands.update(
            quarter_bands(
                ranked.filter(pl.col("sex").is_not_null()), ["sex"], category_order={"sex": ["male", "female"]}
            )
        )
    if len(labels) > 1:
        bands.update(quarter_bands(ranked, label_names[1:]))
    return stats, bands


def sex_figures(stats: Mapping[str | None, GroupStats], bands: QuarterBands) -> SexPayGap:
    """The 14 GOV.UK fields from per-sex statistics and the sex quarter bands."""
    men = stats.get("male", GroupStats())
    women = stats.get("female", GroupStats())
    unknown = stats.get(None, GroupStats())
    comparison = compare("male", men, "female", women)
    unrounded: dict[str, Fraction | None] = {
        "DiffMeanHourlyPercent": comparison.mean_hourly_gap,
        "DiffMedianHourlyPercent": comparison.median_hourly_gap,
        "DiffMeanBonusPercent": comparison.mean_bonus_gap,
        "DiffMedianBonusPercent": comparison.median_bonus_gap,
        "MaleBonusPercent": comparison.reference_bonus_percent,
        "FemaleBonusPercent": comparison.comparison_bonus_percent,
    }
    for index, band in enumerate(("Lower", "LowerMiddle", "UpperMiddle", "Top")):
        unrounded[f"Male{band}Quartile"] = bands.share("male", index)
        unrounded[f"Female{band}Quartile"] = bands.share("female", index)
    figures = {name: round_published(unrounded[name]) for name in FIGURE_FIELDS}
    counts = {
        "relevant_employees": men.relevant + women.relevant + unknown.relevant,
        "full_pay_relevant_employees": men.fpre + women.fpre + unknown.fpre,
        "male": men.relevant,
        "female": women.relevant,
        "male_full_pay": men.fpre,
        "female_full_pay": women.fpre,
        "excluded": {SEX_EXCLUDED_REASON: unknown.relevant} if unknown.relevant else {},
    }
    return SexPayGap(
        unrounded={name: unrounded[name] for name in FIGURE_FIELDS},
        figures=figures,
        counts=counts,
        bands=bands,
        govuk_problems=validate_govuk_figures(figures),
    )


def _group_pay_gap(
    grouping: str,
    reference: str,
    stats: Mapping[str, Mapping[str | None, GroupStats]],
    bands: Mapping[str, QuarterBands],
    label_names: Sequence[str],
    min_group_size: int,
    small_groups: SmallGroups,
    merged: Sequence[str],
) -> GroupPayGap:
    levels: dict[str, list[GroupComparison]] = {}
    composition: dict[str, int] = {}
    for label in label_names:
        level = label.rsplit("_", 1)[1]
        per_group = stats[label]
        reference_stats = per_group.get(reference, GroupStats())
        rows = []
        for name in sorted((g for g in per_group if g not in (reference, NOT_DISCLOSED, None)), key=str):
            group_stats_ = per_group[name]
            # Minimum group size 10 (2025 proposals): below it, neither group's gap is published.
            too_small = min(group_stats_.relevant, reference_stats.relevant) < min_group_size
            rows.append(
                GroupComparison(
                    group=str(name),
                    relevant_employees=group_stats_.relevant,
                    suppressed=too_small,
                    comparison=None if too_small else compare(reference, reference_stats, str(name), group_stats_),
                )
            )
        levels[level] = rows
        if level == label_names[-1].rsplit("_", 1)[1]:
            composition = {str(k): v.relevant for k, v in per_group.items()}
    relevant = sum(composition.values())
    return GroupPayGap(
        grouping=grouping,
        reference=reference,
        levels=levels,
        bands={label.rsplit("_", 1)[1]: bands[label] for label in label_names},
        composition=composition,
        not_disclosed=composition.get(NOT_DISCLOSED, 0),
        relevant_employees=relevant,
        min_group_size=min_group_size,
        small_groups=small_groups,
        merged=list(merged),
    )


def _low_pay(
    amount: Decimal, basis: str, stats: Mapping[str, Mapping[str | None, GroupStats]], threshold: int
) -> LowPay:
    by_group: dict[str, dict[str, LowPayLine]] = {}
    for label, per_group in stats.items():
        by_group[label] = {
            ("not recorded" if name is None else str(name)): LowPayLine(s.below_threshold, s.fpre)
            for name, s in per_group.items()
        }
    any_label = next(iter(stats.values()))
    overall = LowPayLine(sum(s.below_threshold for s in any_label.values()), sum(s.fpre for s in any_label.values()))
    return LowPay(threshold=amount, basis=basis, overall=overall, by_group=by_group)
