"""Fair-work procurement (plan sections 3.3, 4.1 and 6): a contracts register scored against a standard.

The standard is data (default ``data/standards/fair-work-first.yaml``: Scotland's Fair Work First
seven criteria plus the 10% minimum social value weighting of PPN 06/20 / PPN 002). Each criterion
names the register column that records the supplier's commitment. The result gives, per contract,
what is met and what is missing, and per buyer the share of spend on contracts meeting the standard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from recovery_tracker.engine.problems import Problem
from recovery_tracker.engine.standards import tabular
from recovery_tracker.engine.standards._data import default_data_path, read_yaml_mapping
from recovery_tracker.engine.standards.tabular import StandardsInputError

__all__ = [
    "BASE_COLUMNS",
    "CATEGORIES",
    "BuyerSummary",
    "Contract",
    "ContractAssessment",
    "Criterion",
    "ProcurementReport",
    "ProcurementStandard",
    "assess_contract",
    "check_procurement",
    "check_procurement_file",
    "commitment_met",
    "contracts_from_records",
    "load_procurement_standard",
    "read_contracts",
    "social_value_weighting_met",
]

BASE_COLUMNS = ("buyer", "supplier", "value", "start_date", "end_date", "category", "social_value_weighting")
CATEGORIES = ("service", "works", "goods")
_CATEGORY_SPELLINGS = {
    "service": "service", "services": "service",
    "works": "works", "work": "works", "infrastructure": "works",
    "goods": "goods", "supplies": "goods", "supply": "goods",
}


@dataclass(frozen=True)
class Criterion:
    """One commitment a supplier makes, as the standard defines it."""

    id: str
    column: str
    text: str
    framework: str
    required: bool
    applies_to: tuple[str, ...]

    def applies(self, category: str) -> bool:
        return category in self.applies_to


@dataclass(frozen=True)
class ProcurementStandard:
    id: str
    name: str
    criteria: tuple[Criterion, ...]
    social_value_text: str
    minimum_social_value_percent: Decimal
    social_value_applies_to: tuple[str, ...]
    social_value_required: bool
    sources: tuple[Mapping[str, Any], ...]

    @property
    def required_columns(self) -> tuple[str, ...]:
        return BASE_COLUMNS + tuple(criterion.column for criterion in self.criteria if criterion.required)


def _applies_to(value: Any) -> tuple[str, ...]:
    if value in (None, "all"):
        return CATEGORIES
    return tuple(str(item) for item in value)


def load_procurement_standard(path: Path | str | None = None) -> ProcurementStandard:
    """Read a procurement standard (default: Fair Work First plus 10% social value weighting)."""
    path = Path(path) if path else default_data_path("fair-work-first.yaml")
    data = read_yaml_mapping(path)
    errors: list[Problem] = []
    criteria: list[Criterion] = []
    for index, item in enumerate(data.get("criteria") or [], start=1):
        if not isinstance(item, dict) or not item.get("id") or not item.get("text"):
            errors.append(Problem(f"criterion {index} needs at least an 'id' and a 'text'.", column="criteria",
                                    file=str(path)))
            continue
        applies = _applies_to(item.get("applies_to"))
        unknown = [category for category in applies if category not in CATEGORIES]
        if unknown:
            errors.append(Problem(f"criterion '{item['id']}' applies to unknown categories {unknown}; use "
                                    f"{', '.join(CATEGORIES)} or all.", column="applies_to", file=str(path)))
        criteria.append(Criterion(
            id=str(item["id"]),
            column=str(item.get("column", item["id"])),
            text=str(item["text"]),
            framework=str(item.get("framework", "")),
            required=bool(item.get("required", True)),
            applies_to=applies,
        ))
    if not criteria:
        errors.append(Problem("lists no criteria; add a 'criteria:' list.", column="criteria", file=str(path)))
    social = data.get("social_value") or {}
    if errors:
        raise StandardsInputError(errors)
    return ProcurementStandard(
        id=str(data.get("id", path.stem)),
        name=str(data.get("name", path.stem)),
        criteria=tuple(criteria),
        social_value_text=str(social.get("text", "Minimum social value weighting")),
        minimum_social_value_percent=Decimal(str(social.get("minimum_percent", 0))),
        social_value_applies_to=_applies_to(social.get("applies_to")),
        social_value_required=bool(social.get("required", bool(social))),
        sources=tuple(data.get("sources") or ()),
    )


@dataclass(frozen=True)
class Contract:
    """One row of the contracts register; ``row`` is the spreadsheet row number."""

    row: int
    buyer: str
    supplier: str
    reference: str
    value: Decimal
    start_date: date
    end_date: date | None
    category: str
    social_value_weighting: Decimal
    # None where the register has no column for a commitment.
    commitments: Mapping[str, bool | None]


@dataclass(frozen=True)
class ContractAssessment:
    contract: Contract
    met: tuple[str, ...]
    missing: tuple[str, ...]
    # Reported commitments that the standard does not require (e.g. apprenticeships by default).
    also_met: tuple[str, ...]
    also_missing: tuple[str, ...]
    reasons: Mapping[str, str]
    # Optional commitments the register has no column for.
    not_recorded: tuple[str, ...] = ()

    @property
    def meets_standard(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        contract = self.contract
        return {
            "row": contract.row,
            "buyer": contract.buyer,
            "supplier": contract.supplier,
            "reference": contract.reference,
            "value": float(contract.value),
            "category": contract.category,
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.end_date.isoformat() if contract.end_date else None,
            "meets_standard": self.meets_standard,
            "met": list(self.met),
            "missing": list(self.missing),
            "also_met": list(self.also_met),
            "also_missing": list(self.also_missing),
            "not_recorded": list(self.not_recorded),
            "reasons": dict(self.reasons),
        }


@dataclass(frozen=True)
class BuyerSummary:
    buyer: str
    contracts: int
    contracts_meeting: int
    total_value: Decimal
    value_meeting: Decimal

    @property
    def share_of_spend_meeting(self) -> float | None:
        return round(float(self.value_meeting / self.total_value), 4) if self.total_value else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "buyer": self.buyer,
            "contracts": self.contracts,
            "contracts_meeting": self.contracts_meeting,
            "total_value": float(self.total_value),
            "value_meeting": float(self.value_meeting),
            "share_of_spend_meeting": self.share_of_spend_meeting,
        }


@dataclass(frozen=True)
class ProcurementReport:
    standard: ProcurementStandard
    contracts: list[ContractAssessment]
    buyers: list[BuyerSummary]
    source: str = ""

    @property
    def overall(self) -> BuyerSummary:
        return _summarise("all buyers", self.contracts)

    def missing_counts(self) -> dict[str, int]:
        """How many contracts miss each required criterion, commonest first."""
        counts: dict[str, int] = {}
        for assessment in self.contracts:
            for criterion in assessment.missing:
                counts[criterion] = counts.get(criterion, 0) + 1
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    def to_dict(self) -> dict[str, Any]:
        overall = self.overall.to_dict()
        overall.pop("buyer")
        return {
            "standard": {"id": self.standard.id, "name": self.standard.name},
            "contracts": [assessment.to_dict() for assessment in self.contracts],
            "buyers": [buyer.to_dict() for buyer in self.buyers],
            "summary": {**overall, "missing": self.missing_counts()},
        }


# --- rules -----------------------------------------------------------------------------------------


def social_value_weighting_met(contract: Contract, standard: ProcurementStandard) -> tuple[bool, str]:
    """Rule (PPN 06/20, kept in PPN 002): social value "weighted at least 10% of the total score".

    The minimum is the standard's ``social_value.minimum_percent``; a weighting equal to it meets it.
    """
    minimum = standard.minimum_social_value_percent
    weighting = contract.social_value_weighting
    if weighting >= minimum:
        return True, f"Social value weighted at {weighting}% of the award, at least the {minimum}% minimum."
    return False, f"Social value weighted at {weighting}% of the award, below the {minimum}% minimum."


def commitment_met(contract: Contract, criterion: Criterion) -> tuple[bool, str]:
    """Rule: the supplier has committed to the criterion (its register column says yes).

    The criterion's own words come from the standard (e.g. Fair Work First criterion 1: "pay at
    least the real Living Wage"). A register with no column for an optional criterion counts as
    not committed, and says so.
    """
    answer = contract.commitments.get(criterion.column)
    if answer is None:
        return False, f"Not recorded: the register has no '{criterion.column}' column. ({criterion.text})"
    if answer:
        return True, f"Committed: {criterion.text}."
    return False, f"Not committed: {criterion.text}."


def assess_contract(contract: Contract, standard: ProcurementStandard) -> ContractAssessment:
    """Which of the standard's criteria one contract meets and which it misses, with reasons."""
    met: list[str] = []
    missing: list[str] = []
    also_met: list[str] = []
    also_missing: list[str] = []
    not_recorded: list[str] = []
    reasons: dict[str, str] = {}
    if contract.category in standard.social_value_applies_to:
        passed, reasons["social_value_weighting"] = social_value_weighting_met(contract, standard)
        bucket = (met if passed else missing) if standard.social_value_required else (
            also_met if passed else also_missing)
        bucket.append("social_value_weighting")
    for criterion in standard.criteria:
        if not criterion.applies(contract.category):
            continue
        if not criterion.required and contract.commitments.get(criterion.column) is None:
            not_recorded.append(criterion.id)
            continue
        passed, reasons[criterion.id] = commitment_met(contract, criterion)
        if criterion.required:
            (met if passed else missing).append(criterion.id)
        else:
            (also_met if passed else also_missing).append(criterion.id)
    return ContractAssessment(contract, tuple(met), tuple(missing), tuple(also_met), tuple(also_missing), reasons,
                              tuple(not_recorded))


def _summarise(buyer: str, assessments: Sequence[ContractAssessment]) -> BuyerSummary:
    return BuyerSummary(
        buyer=buyer,
        contracts=len(assessments),
        contracts_meeting=sum(1 for item in assessments if item.meets_standard),
        total_value=sum((item.contract.value for item in assessments), Decimal(0)),
        value_meeting=sum((item.contract.value for item in assessments if item.meets_standard), Decimal(0)),
    )


def check_procurement(contracts: Sequence[Contract], standard: ProcurementStandard | None = None, *,
                      source: str = "") -> ProcurementReport:
    """Assess every contract and summarise the share of spend meeting the standard, per buyer."""
    standard = standard or load_procurement_standard()
    assessments = [assess_contract(contract, standard) for contract in contracts]
    by_buyer: dict[str, list[ContractAssessment]] = {}
    for assessment in assessments:
        by_buyer.setdefault(assessment.contract.buyer, []).append(assessment)
    buyers = [_summarise(buyer, items) for buyer, items in by_buyer.items()]
    return ProcurementReport(standard=standard, contracts=assessments, buyers=buyers, source=source)


# --- reading ---------------------------------------------------------------------------------------


def contracts_from_records(records: Sequence[tuple[int, Mapping[str, Any]]], standard: ProcurementStandard, *,
                           file: str | None = None) -> list[Contract]:
    """Validate ``(row number, mapping)`` pairs into contracts; ``StandardsInputError`` lists every bad cell."""
    errors: list[Problem] = []
    contracts: list[Contract] = []
    optional_columns = {criterion.column for criterion in standard.criteria if not criterion.required}
    for row, record in records:
        cells = {key: "" if value is None else str(value).strip() for key, value in record.items()}
        here: dict[str, Any] = {"row": row, "file": file, "errors": errors}
        before = len(errors)
        for column in ("buyer", "supplier"):
            if not cells.get(column):
                errors.append(Problem(f"is empty. Enter the {column}'s name.", row=row, column=column, file=file))
        value = tabular.parse_decimal(cells.get("value", ""), column="value", minimum=Decimal(0), **here)
        start = tabular.parse_date(cells.get("start_date", ""), column="start_date", **here)
        end = tabular.parse_date(cells.get("end_date", ""), column="end_date", required=False, **here)
        if start and end and end < start:
            errors.append(Problem(f"{end.isoformat()} is before the start date {start.isoformat()}.",
                                    row=row, column="end_date", file=file))
        category = _CATEGORY_SPELLINGS.get(cells.get("category", "").lower())
        if category is None:
            errors.append(Problem(f"'{cells.get('category', '')}' is not a category. Use one of: "
                                    f"{', '.join(CATEGORIES)}.", row=row, column="category", file=file))
        weighting = tabular.parse_decimal(cells.get("social_value_weighting", ""), column="social_value_weighting",
                                  minimum=Decimal(0), maximum=Decimal(100), **here)
        commitments: dict[str, bool | None] = {}
        for criterion in standard.criteria:
            column = criterion.column
            if column in commitments:
                continue
            text = cells.get(column)
            applies = category is None or criterion.applies(category)
            # Optional or not-applicable commitments may be left blank: blank is "not committed".
            if text is None or (not text and (column in optional_columns or not applies)):
                commitments[column] = None if text is None else False
                continue
            commitments[column] = tabular.parse_yes_no(text, column=column, **here)
        if len(errors) > before:
            continue
        assert value is not None and start is not None and category is not None and weighting is not None
        contracts.append(Contract(
            row=row,
            buyer=cells["buyer"],
            supplier=cells["supplier"],
            reference=cells.get("reference", ""),
            value=value,
            start_date=start,
            end_date=end,
            category=category,
            social_value_weighting=weighting,
            commitments=commitments,
        ))
    if errors:
        raise StandardsInputError(errors)
    return contracts


def read_contracts(path: Path | str, standard: ProcurementStandard | None = None) -> list[Contract]:
    """Read and validate a contracts register (CSV or XLSX)."""
    standard = standard or load_procurement_standard()
    table = tabular.read_table(path)
    missing = tabular.require_columns(table, dict.fromkeys(standard.required_columns))
    if missing:
        raise StandardsInputError(missing)
    if not table.rows:
        raise StandardsInputError([Problem("has no contracts: add one row per contract under the header.",
                                             file=table.file)])
    return contracts_from_records([(row.number, row.values) for row in table.rows], standard, file=table.file)


def check_procurement_file(path: Path | str, standard_path: Path | str | None = None) -> ProcurementReport:
    """Read a contracts register and score it against the standard (default or ``standard_path``)."""
    standard = load_procurement_standard(standard_path)
    return check_procurement(read_contracts(path, standard), standard, source=str(path))
