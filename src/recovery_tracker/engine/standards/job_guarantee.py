"""The local job guarantee's six conditions (plan section 5) checked against a placements file.

Input: one row per placement with columns ``employer, start_date, end_date, contract_type,
weekly_hours, hourly_pay, london, training, union_access, community_benefit, additional`` and an
optional ``notes``. The conditions and their parameters are data
(``data/standards/job-guarantee.yaml``); the Real Living Wage comes from
:mod:`recovery_tracker.engine.wage_rates`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.standards import tabular
from recovery_tracker.engine.standards._data import default_data_path, read_yaml_mapping
from recovery_tracker.engine.standards.tabular import StandardsInputError
from recovery_tracker.engine.wage_rates import real_living_wage_in_force
from recovery_tracker.engine.yes_no import NO, YES

__all__ = [
    "CONDITION_IDS",
    "PLACEMENT_COLUMNS",
    "ConditionResult",
    "JobGuaranteeReport",
    "JobGuaranteeStandard",
    "JobGuaranteeSummary",
    "Placement",
    "PlacementResult",
    "check_additionality",
    "check_community_benefit",
    "check_job_guarantee_file",
    "check_living_wage",
    "check_placement",
    "check_placements",
    "check_secure_contract",
    "check_training",
    "check_union_access",
    "load_job_guarantee_standard",
    "minimum_end_date",
    "placements_from_records",
    "read_placements",
]

CONDITION_IDS = (
    "secure_contract",
    "living_wage",
    "training",
    "union_access",
    "community_benefit",
    "additionality",
)
PLACEMENT_COLUMNS = (
    "employer",
    "start_date",
    "end_date",
    "contract_type",
    "weekly_hours",
    "hourly_pay",
    "london",
    "training",
    "union_access",
    "community_benefit",
    "additional",
)
_CONTRACT_WORDS = {
    "permanent": "Permanent",
    "fixed_term": "Fixed-term",
    "zero_hours": "Zero-hours",
    "casual": "Casual",
}


@dataclass(frozen=True)
class JobGuaranteeStandard:
    """The six conditions and their parameters, read from data."""

    minimum_months: int
    contract_types: tuple[str, ...]
    insecure_contract_types: tuple[str, ...]
    titles: Mapping[str, str]
    plan_text: Mapping[str, str]
    source: Mapping[str, Any]


def load_job_guarantee_standard(path: Path | str | None = None) -> JobGuaranteeStandard:
    """Read the job guarantee conditions (default: the shipped ``job-guarantee.yaml``)."""
    data = read_yaml_mapping(path or default_data_path("job-guarantee.yaml"))
    parameters = data.get("parameters", {})
    conditions = {item["id"]: item for item in data.get("conditions", [])}
    missing = [condition for condition in CONDITION_IDS if condition not in conditions]
    if missing:
        raise StandardsInputError(
            [Problem(f"the conditions list lacks {', '.join(missing)}; all six are needed.", column="conditions",
                       file=str(path))]
        )
    return JobGuaranteeStandard(
        minimum_months=int(parameters.get("minimum_months", 6)),
        contract_types=tuple(parameters.get("contract_types", _CONTRACT_WORDS)),
        insecure_contract_types=tuple(parameters.get("insecure_contract_types", ("zero_hours", "casual"))),
        titles={key: str(value.get("title", key)) for key, value in conditions.items()},
        plan_text={key: str(value.get("plan_text", "")) for key, value in conditions.items()},
        source=data.get("source", {}),
    )


@dataclass(frozen=True)
class Placement:
    """One job placement as read from the file; ``row`` is the spreadsheet row number."""

    row: int
    employer: str
    start_date: date
    end_date: date | None
    contract_type: str
    weekly_hours: Decimal
    hourly_pay: Decimal
    london: bool
    training: bool
    union_access: bool
    # True/False for a yes/no answer; the text itself where the file describes the benefit.
    community_benefit: bool | str
    additional: bool
    notes: str = ""


@dataclass(frozen=True)
class ConditionResult:
    """Pass or fail on one condition, with the reason in words."""

    passed: bool
    reason: str
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"pass": self.passed, "reason": self.reason}
        if self.warnings:
            result["warnings"] = list(self.warnings)
        return result


@dataclass(frozen=True)
class PlacementResult:
    placement: Placement
    conditions: Mapping[str, ConditionResult]

    @property
    def passes(self) -> bool:
        return all(result.passed for result in self.conditions.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.placement.row,
            "employer": self.placement.employer,
            "passes": self.passes,
            "conditions": {name: result.to_dict() for name, result in self.conditions.items()},
        }


@dataclass(frozen=True)
class JobGuaranteeSummary:
    total: int
    meeting_all: int
    # None when there are no placements: a share of nothing is not zero.
    share_meeting_all: float | None
    failures: Mapping[str, int]

    @property
    def commonest_failures(self) -> list[tuple[str, int]]:
        ranked = [(name, count) for name, count in self.failures.items() if count]
        return sorted(ranked, key=lambda item: (-item[1], CONDITION_IDS.index(item[0])))

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "meeting_all": self.meeting_all,
            "share_meeting_all": self.share_meeting_all,
            "failures": dict(self.failures),
            "commonest_failures": [name for name, _ in self.commonest_failures],
        }


@dataclass(frozen=True)
class JobGuaranteeReport:
    placements: list[PlacementResult]
    summary: JobGuaranteeSummary
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "placements": [placement.to_dict() for placement in self.placements],
            "summary": self.summary.to_dict(),
        }


# --- the six rules ---------------------------------------------------------------------------------


def minimum_end_date(start: date, months: int = 6) -> date:
    """The earliest last day of a contract that lasts at least ``months`` calendar months.

    Rule (plan, section 5): "secure contracts of at least six months". ``end_date`` is the last day
    of the contract (inclusive), so a contract lasts six calendar months when it runs to the day
    before the same day of the month six months later: 2026-01-15 needs an end of 2026-07-14 or
    later (2026-07-13 fails); 2026-01-01 needs 2026-06-30. Where the later month has no such day
    (a start on the 29th to 31st), the contract must run to the last day of that month:
    2025-08-31 needs 2026-02-28.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        return date(year, month, last_day)
    return date(year, month, start.day) - timedelta(days=1)


def check_secure_contract(placement: Placement, standard: JobGuaranteeStandard) -> ConditionResult:
    """Rule: "secure contracts of at least six months" (plan, section 5).

    Zero-hours and casual contracts are not secure (the list is data). An empty ``end_date`` is an
    open-ended contract and lasts long enough; otherwise see :func:`minimum_end_date`.
    """
    kind = _CONTRACT_WORDS.get(placement.contract_type, placement.contract_type)
    if placement.contract_type in standard.insecure_contract_types:
        return ConditionResult(False, f"{kind} contracts are not secure: the guarantee needs a permanent or "
                                      f"fixed-term contract.")
    if placement.end_date is None:
        return ConditionResult(True, f"{kind} contract with no end date (open-ended).")
    needed = minimum_end_date(placement.start_date, standard.minimum_months)
    span = f"{kind} contract from {placement.start_date.isoformat()} to {placement.end_date.isoformat()}"
    months = f"{standard.minimum_months} calendar months"
    if placement.end_date >= needed:
        return ConditionResult(True, f"{span} lasts at least {months} (it had to run to {needed.isoformat()}).")
    return ConditionResult(False, f"{span} is shorter than {months}: it would have to run to "
                                  f"{needed.isoformat()} or later.")


def check_living_wage(placement: Placement, rate_table: Path | None = None) -> ConditionResult:
    """Rule: "pay at least the real living wage" (plan, section 5).

    The rate is the Real Living Wage (UK, or London where ``london`` is yes) in force on the start
    date; a rate is in force from its implement-by date inclusive. Pay equal to the rate passes.
    Where a newer rate has been announced but is not yet due, the result carries a warning.
    """
    in_force = real_living_wage_in_force(placement.start_date, london=placement.london, path=rate_table)
    area = "London" if placement.london else "UK"
    rate_words = (f"the {area} Real Living Wage in force on {placement.start_date.isoformat()}, "
                  f"£{in_force.amount:.2f} ({in_force.rate.year} rate, due from "
                  f"{in_force.rate.implement_by.isoformat()})")
    warnings: list[str] = []
    newer = in_force.newer_announced
    if newer is not None:
        newer_amount = newer.amount(london=placement.london)
        relation = "meets" if placement.hourly_pay >= newer_amount else "is below"
        warnings.append(
            f"A newer {area} rate of £{newer_amount:.2f} was announced on {newer.announced.isoformat()} and must be "
            f"paid from {newer.implement_by.isoformat()}; pay of £{placement.hourly_pay:.2f} {relation} it."
        )
    pay = f"£{placement.hourly_pay:.2f} an hour"
    if placement.hourly_pay >= in_force.amount:
        return ConditionResult(True, f"{pay} is at least {rate_words}.", tuple(warnings))
    return ConditionResult(False, f"{pay} is below {rate_words}.", tuple(warnings))


def check_training(placement: Placement) -> ConditionResult:
    """Rule: "provide training opportunities to help people move into longer-term work" (plan, section 5)."""
    if placement.training:
        return ConditionResult(True, "Training is provided.")
    return ConditionResult(False, "No training is recorded; the guarantee requires training opportunities.")


def check_union_access(placement: Placement) -> ConditionResult:
    """Rule: "guarantee access to trade union representation" (plan, section 5)."""
    if placement.union_access:
        return ConditionResult(True, "Access to trade union representation is guaranteed.")
    return ConditionResult(False, "Access to trade union representation is not recorded as guaranteed.")


def check_community_benefit(placement: Placement) -> ConditionResult:
    """Rule: "contribute to wider community benefits" (plan, section 5).

    The benefit must be stated: a yes, or a description of the benefit, passes; a no or an empty
    cell fails.
    """
    benefit = placement.community_benefit
    if isinstance(benefit, str):
        return ConditionResult(True, f"Community benefit stated: {benefit}")
    if benefit:
        return ConditionResult(True, "A community benefit is stated.")
    return ConditionResult(False, "No community benefit is stated.")


def check_additionality(placement: Placement) -> ConditionResult:
    """Rule: "be additional jobs that would not otherwise be created by employers" (plan, section 5)."""
    if placement.additional:
        return ConditionResult(True, "The job is additional: it would not otherwise have been created.")
    return ConditionResult(False, "The job is not recorded as additional; it may replace an existing or planned "
                                  "vacancy.")


def check_placement(placement: Placement, *, standard: JobGuaranteeStandard | None = None,
                    rate_table: Path | None = None) -> PlacementResult:
    """All six conditions for one placement."""
    standard = standard or load_job_guarantee_standard()
    return PlacementResult(
        placement=placement,
        conditions={
            "secure_contract": check_secure_contract(placement, standard),
            "living_wage": check_living_wage(placement, rate_table),
            "training": check_training(placement),
            "union_access": check_union_access(placement),
            "community_benefit": check_community_benefit(placement),
            "additionality": check_additionality(placement),
        },
    )


def check_placements(placements: Sequence[Placement], *, standard: JobGuaranteeStandard | None = None,
                     rate_table: Path | None = None, source: str = "") -> JobGuaranteeReport:
    """Check every placement and summarise: total, meeting all six, share, failures per condition."""
    standard = standard or load_job_guarantee_standard()
    results = [check_placement(placement, standard=standard, rate_table=rate_table) for placement in placements]
    meeting_all = sum(1 for result in results if result.passes)
    failures = {name: sum(1 for result in results if not result.conditions[name].passed) for name in CONDITION_IDS}
    total = len(results)
    summary = JobGuaranteeSummary(
        total=total,
        meeting_all=meeting_all,
        share_meeting_all=round(meeting_all / total, 4) if total else None,
        failures=failures,
    )
    return JobGuaranteeReport(placements=results, summary=summary, source=source)


# --- reading ---------------------------------------------------------------------------------------


def _parse_community_benefit(text: str) -> bool | str:
    value = text.strip()
    if value.lower() in YES:
        return True
    if not value or value.lower() in NO:
        return False
    return value


def placements_from_records(records: Sequence[tuple[int, Mapping[str, Any]]], *, file: str | None = None,
                            standard: JobGuaranteeStandard | None = None,
                            rate_table: Path | None = None) -> list[Placement]:
    """Validate ``(row number, mapping)`` pairs, one per placement, into ``Placement`` values.

    Raises ``StandardsInputError`` listing every bad cell by row and column; nothing is returned
    unless every row is good. A web form passes ``[(1, form_data)]``.
    """
    standard = standard or load_job_guarantee_standard()
    errors: list[Problem] = []
    placements: list[Placement] = []
    for row, record in records:
        cells = {key: "" if value is None else str(value).strip() for key, value in record.items()}
        here: dict[str, Any] = {"row": row, "file": file, "errors": errors}
        before = len(errors)
        employer = cells.get("employer", "")
        if not employer:
            errors.append(Problem("is empty. Enter the employer's name.", row=row, column="employer", file=file))
        start = tabular.parse_date(cells.get("start_date", ""), column="start_date", **here)
        end = tabular.parse_date(cells.get("end_date", ""), column="end_date", required=False, **here)
        if start and end and end < start:
            errors.append(Problem(f"{end.isoformat()} is before the start date {start.isoformat()}. "
                                    f"Check both dates.", row=row, column="end_date", file=file))
        contract = cells.get("contract_type", "").lower().replace("-", "_").replace(" ", "_")
        if contract not in standard.contract_types:
            errors.append(Problem(f"'{cells.get('contract_type', '')}' is not a contract type. Use one of: "
                                    f"{', '.join(standard.contract_types)}.", row=row, column="contract_type",
                                    file=file))
        hours = tabular.parse_decimal(cells.get("weekly_hours", ""), column="weekly_hours", minimum=Decimal("0"),
                              maximum=Decimal("168"), **here)
        pay = tabular.parse_decimal(cells.get("hourly_pay", ""), column="hourly_pay", minimum=Decimal("0"), **here)
        flags = {
            column: tabular.parse_yes_no(cells.get(column, ""), column=column, **here)
            for column in ("london", "training", "union_access", "additional")
        }
        if start is not None:
            try:
                real_living_wage_in_force(start, path=rate_table)
            except ValueError as error:
                errors.append(Problem(f"cannot be checked against the Real Living Wage: {error} "
                                        f"Check the date.", row=row, column="start_date", file=file))
        if len(errors) > before:
            continue
        assert start is not None and hours is not None and pay is not None  # guaranteed by the checks above
        placements.append(
            Placement(
                row=row,
                employer=employer,
                start_date=start,
                end_date=end,
                contract_type=contract,
                weekly_hours=hours,
                hourly_pay=pay,
                london=bool(flags["london"]),
                training=bool(flags["training"]),
                union_access=bool(flags["union_access"]),
                community_benefit=_parse_community_benefit(cells.get("community_benefit", "")),
                additional=bool(flags["additional"]),
                notes=cells.get("notes", ""),
            )
        )
    if errors:
        raise StandardsInputError(errors)
    return placements


def read_placements(path: Path | str, *, standard: JobGuaranteeStandard | None = None,
                    rate_table: Path | None = None) -> list[Placement]:
    """Read and validate a placements CSV or XLSX; ``StandardsInputError`` names every bad row and column."""
    table = tabular.read_table(path)
    missing = tabular.require_columns(table, PLACEMENT_COLUMNS)
    if missing:
        raise StandardsInputError(missing)
    if not table.rows:
        raise StandardsInputError([Problem("has no placements: add one row per job under the header.",
                                             file=table.file)])
    return placements_from_records([(row.number, row.values) for row in table.rows], file=table.file,
                                   standard=standard, rate_table=rate_table)


def check_job_guarantee_file(path: Path | str, *, standard: JobGuaranteeStandard | None = None,
                             rate_table: Path | None = None) -> JobGuaranteeReport:
    """Read a placements file and check every placement against the six conditions."""
    standard = standard or load_job_guarantee_standard()
    placements = read_placements(path, standard=standard, rate_table=rate_table)
    return check_placements(placements, standard=standard, rate_table=rate_table, source=str(path))
