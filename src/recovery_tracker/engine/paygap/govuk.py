"""The GOV.UK gender pay gap service's field names, download layout and submission rules (§11)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from decimal import Decimal

from recovery_tracker.engine.safe_text import csv_cell

__all__ = [
    "FIGURE_FIELDS",
    "GAP_FIELDS",
    "BAND_FIELD_PAIRS",
    "DOWNLOAD_COLUMNS",
    "validate_govuk_figures",
    "employer_size",
    "download_csv",
    "csv_safe",
]

FIGURE_FIELDS = (
    "DiffMeanHourlyPercent",
    "DiffMedianHourlyPercent",
    "DiffMeanBonusPercent",
    "DiffMedianBonusPercent",
    "MaleBonusPercent",
    "FemaleBonusPercent",
    "MaleLowerQuartile",
    "FemaleLowerQuartile",
    "MaleLowerMiddleQuartile",
    "FemaleLowerMiddleQuartile",
    "MaleUpperMiddleQuartile",
    "FemaleUpperMiddleQuartile",
    "MaleTopQuartile",
    "FemaleTopQuartile",
)
GAP_FIELDS = FIGURE_FIELDS[:4]
BAND_FIELD_PAIRS = tuple(zip(FIGURE_FIELDS[6::2], FIGURE_FIELDS[7::2], strict=True))
DOWNLOAD_COLUMNS = (
    "EmployerName",
    "EmployerId",
    "Address",
    "PostCode",
    "CompanyNumber",
    "SicCodes",
    *FIGURE_FIELDS,
    "CompanyLinkToGPGInfo",
    "ResponsiblePerson",
    "EmployerSize",
    "CurrentName",
    "SubmittedAfterTheDeadline",
    "DueDate",
    "DateSubmitted",
)

Figures = Mapping[str, Decimal | None]


def validate_govuk_figures(figures: Figures, *, quartiles_opted_out: bool = False) -> list[str]:
    """Problems the GOV.UK service would reject or flag in these 14 published figures (empty if none)."""
    problems: list[str] = []
    for rule in (_one_decimal_place, _signs_and_ranges, _required, _bonus_gap_rules):
        problems.extend(rule(figures))
    if not quartiles_opted_out:
        problems.extend(_bands_add_up(figures))
    return problems


def _one_decimal_place(figures: Figures) -> list[str]:
    """Service: "Value can't have more than 1 decimal place"."""
    return [
        f"{name}: more than 1 decimal place"
        for name, value in figures.items()
        if value is not None and value != value.quantize(Decimal("0.1"))
    ]


def _signs_and_ranges(figures: Figures) -> list[str]:
    """Service: gaps at most 100 (only gaps may be negative); percentages between 0 and 100."""
    problems = []
    for name in FIGURE_FIELDS:
        value = figures.get(name)
        if value is None:
            continue
        if value > 100:
            problems.append(f"{name}: more than 100")
        if name not in GAP_FIELDS and value < 0:
            problems.append(f"{name}: below 0; only the pay gap figures may be negative")
    return problems


def _required(figures: Figures) -> list[str]:
    """Service: hourly gaps and bonus percentages are required; quartiles unless opted out."""
    required = ("DiffMeanHourlyPercent", "DiffMedianHourlyPercent", "MaleBonusPercent", "FemaleBonusPercent")
    return [f"{name}: required but could not be calculated" for name in required if figures.get(name) is None]


def _bonus_gap_rules(figures: Figures) -> list[str]:
    """Service: "Do not enter a bonus difference if 0% of men received a bonus"; otherwise both are
    required; if women were paid a bonus the gaps "must be less than 100%"; integrity check: men but no
    women paid a bonus means both gaps are 100."""
    male, female = figures.get("MaleBonusPercent"), figures.get("FemaleBonusPercent")
    gaps = [figures.get(name) for name in ("DiffMeanBonusPercent", "DiffMedianBonusPercent")]
    problems = []
    if male is not None and male == 0 and any(g is not None for g in gaps):
        problems.append("bonus gaps must be blank when 0% of men received a bonus")
    if male is not None and male > 0 and any(g is None for g in gaps):
        problems.append("both bonus gaps are required when men received a bonus")
    if female is not None and female > 0 and any(g is not None and g >= 100 for g in gaps):
        problems.append("bonus gaps must be less than 100% when women received a bonus")
    if male and male > 0 and female == 0 and any(g is not None and g != 100 for g in gaps):
        problems.append("bonus gaps must be 100 when men but no women received a bonus")
    return problems


def _bands_add_up(figures: Figures) -> list[str]:
    """Service: "Figures for each quarter must add up to 100%"."""
    problems = []
    for male_field, female_field in BAND_FIELD_PAIRS:
        male, female = figures.get(male_field), figures.get(female_field)
        if male is None or female is None:
            problems.append(f"{male_field}/{female_field}: required")
        elif male + female != 100:
            problems.append(f"{male_field} + {female_field} = {male + female}, not 100")
    return problems


def employer_size(relevant_employees: int) -> str:
    """The service's EmployerSize band for a head count."""
    for upper, label in (
        (250, "Less than 250"),
        (500, "250 to 499"),
        (1000, "500 to 999"),
        (5000, "1000 to 4999"),
        (20000, "5000 to 19,999"),
    ):
        if relevant_employees < upper:
            return label
    return "20,000 or more"


def csv_safe(text: str) -> str:
    """Neutralise spreadsheet formulas in a text cell (OWASP CSV injection): the one guard in
    ``engine.safe_text.csv_cell``."""
    return csv_cell(text)


def download_csv(rows: Iterable[Mapping[str, object]]) -> str:
    """The GOV.UK download layout (27 columns), one row per employer, sorted by EmployerName.

    Figures are written as plain numbers (blank when None); every text cell is made formula-safe.
    """
    ordered = sorted(rows, key=lambda row: (str(row.get("EmployerName", "")).casefold(), str(row.get("EmployerName"))))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DOWNLOAD_COLUMNS)
    for row in ordered:
        cells = []
        for column in DOWNLOAD_COLUMNS:
            value = row.get(column)
            if value is None:
                cells.append("")
            elif column in FIGURE_FIELDS and isinstance(value, Decimal | int):
                cells.append(str(value))
            else:
                cells.append(csv_safe(str(value)))
        writer.writerow(cells)
    return buffer.getvalue()
