"""Plain-data (JSON-ready) views of pay-gap reports, and the GOV.UK download row for an employer."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .compute import Comparison, QuarterBands
from .govuk import FIGURE_FIELDS, employer_size
from .report import BAND_NAMES, GroupPayGap, LowPay, PayGapReport, SexPayGap
from .rules import round_published

__all__ = ["report_to_dict", "sex_to_dict", "group_to_dict", "low_pay_to_dict", "govuk_download_row"]


def _number(value: Fraction | Decimal | None) -> float | None:
    return None if value is None else float(value)


def _published(value: Fraction | None) -> float | None:
    return _number(round_published(value))


def sex_to_dict(report: PayGapReport, sex: SexPayGap) -> dict[str, Any]:
    """``{"snapshot_date", "group": "sex", "figures", "unrounded", "counts", ...}`` (issue 5 shape)."""
    result: dict[str, Any] = {
        "snapshot_date": report.snapshot_date.isoformat(),
        "group": "sex",
        "figures": {name: _number(sex.figures[name]) for name in FIGURE_FIELDS},
        "unrounded": {name: _number(sex.unrounded[name]) for name in FIGURE_FIELDS},
        "counts": {
            "relevant_employees": sex.counts["relevant_employees"],
            "full_pay_relevant_employees": sex.counts["full_pay_relevant_employees"],
            "male": sex.counts["male"],
            "female": sex.counts["female"],
            "excluded": dict(sex.counts["excluded"]),
        },
        "quarter_bands": _bands(sex.bands, ["male", "female"]),
        "govuk_problems": list(sex.govuk_problems),
    }
    if report.low_pay is not None:
        result["low_pay"] = low_pay_to_dict(report.low_pay, "sex")
    return result


def _bands(bands: QuarterBands, categories: list[str]) -> dict[str, Any]:
    return {
        "sizes": dict(zip(BAND_NAMES, bands.sizes, strict=True)),
        "counts": {c: dict(zip(BAND_NAMES, bands.counts.get(c, [0, 0, 0, 0]), strict=True)) for c in categories},
        "percent": {
            c: {name: _published(bands.share(c, i)) for i, name in enumerate(BAND_NAMES)} for c in categories
        },
    }


def _comparison(comparison: Comparison) -> dict[str, Any]:
    unrounded = {
        "DiffMeanHourlyPercent": comparison.mean_hourly_gap,
        "DiffMedianHourlyPercent": comparison.median_hourly_gap,
        "DiffMeanBonusPercent": comparison.mean_bonus_gap,
        "DiffMedianBonusPercent": comparison.median_bonus_gap,
        "ReferenceBonusPercent": comparison.reference_bonus_percent,
        "GroupBonusPercent": comparison.comparison_bonus_percent,
    }
    return {
        "figures": {k: _published(v) for k, v in unrounded.items()},
        "unrounded": {k: _number(v) for k, v in unrounded.items()},
    }


def group_to_dict(report: PayGapReport, group: GroupPayGap) -> dict[str, Any]:
    """Ethnicity or disability report as plain data; suppressed groups carry no figures."""
    categories = sorted(group.composition)
    result: dict[str, Any] = {
        "snapshot_date": report.snapshot_date.isoformat(),
        "group": group.grouping,
        "reference": group.reference,
        "min_group_size": group.min_group_size,
        "small_groups": group.small_groups,
        "merged_groups": list(group.merged),
        "comparisons": {
            level: [
                {
                    "group": row.group,
                    "relevant_employees": row.relevant_employees,
                    "suppressed": row.suppressed,
                    **(_comparison(row.comparison) if row.comparison else {"figures": None, "unrounded": None}),
                }
                for row in rows
            ]
            for level, rows in group.levels.items()
        },
        "quarter_bands": {
            level: _bands(bands, sorted(bands.counts)) for level, bands in group.bands.items()
        },
        "composition": {
            c: {"count": group.composition[c], "percent": _published(Fraction(group.composition[c] * 100,
                                                                             group.relevant_employees))}
            for c in categories
        },
        "not_disclosed": {"count": group.not_disclosed, "percent": _published(group.not_disclosed_rate)},
        "counts": {
            "relevant_employees": report.relevant_employees,
            "full_pay_relevant_employees": report.full_pay_relevant_employees,
        },
    }
    if report.low_pay is not None:
        result["low_pay"] = low_pay_to_dict(report.low_pay, next(
            (k for k in report.low_pay.by_group if k.startswith(group.grouping)), None
        ))
    return result


def low_pay_to_dict(low_pay: LowPay, label: str | None) -> dict[str, Any]:
    """Low pay overall and, for ``label``, by group."""
    lines = low_pay.by_group.get(label, {}) if label else {}
    return {
        "threshold": float(low_pay.threshold),
        "basis": low_pay.basis,
        "below": low_pay.overall.below,
        "full_pay_relevant_employees": low_pay.overall.full_pay_relevant_employees,
        "percent": _published(low_pay.overall.share),
        "by_group": {
            name: {"below": line.below, "full_pay_relevant_employees": line.full_pay_relevant_employees,
                   "percent": _published(line.share)}
            for name, line in sorted(lines.items())
        },
    }


def report_to_dict(report: PayGapReport) -> dict[str, Any]:
    """One grouping: that grouping's shape. Several: ``{"snapshot_date", "reports": [...]}``."""
    parts: list[dict[str, Any]] = []
    if report.sex is not None:
        parts.append(sex_to_dict(report, report.sex))
    for group in (report.ethnicity, report.disability):
        if group is not None:
            parts.append(group_to_dict(report, group))
    result = parts[0] if len(parts) == 1 else {"snapshot_date": report.snapshot_date.isoformat(), "reports": parts}
    if report.notes:
        result["notes"] = list(report.notes)
    return result


def govuk_download_row(employer_name: str, report: PayGapReport) -> Mapping[str, Any]:
    """The GOV.UK download row for one employer's sex figures (other columns left blank)."""
    if report.sex is None:
        raise ValueError("the GOV.UK download row needs the sex figures")
    return {
        "EmployerName": employer_name,
        **{name: report.sex.figures[name] for name in FIGURE_FIELDS},
        "EmployerSize": employer_size(report.relevant_employees),
    }
