"""Employer commitments on equality at work (plan section 4.3) and the charters employers sign.

The commitments (with the headcount from which each applies) and the charters (with their
requirements and sources) are data: ``data/standards/employer-commitments.yaml`` and
``data/standards/charters.yaml``. Input is a CSV/XLSX or YAML list of employers.
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
    "Charter",
    "CharterSigned",
    "Commitment",
    "CommitmentsStandard",
    "Employer",
    "EmployerAssessment",
    "EmployerReport",
    "SizeBand",
    "assess_employer",
    "check_employers",
    "check_employers_file",
    "commitment_applies",
    "employers_from_records",
    "load_charters",
    "load_commitments_standard",
    "parse_charters_cell",
    "read_employers",
    "size_band_for",
]


@dataclass(frozen=True)
class Charter:
    id: str
    name: str
    owner: str
    status: str  # "real" or "hypothetical"
    source: str
    requirements: tuple[tuple[str, str], ...]
    note: str = ""

    @property
    def hypothetical(self) -> bool:
        return self.status == "hypothetical"


@dataclass(frozen=True)
class SizeBand:
    id: str
    label: str
    start: int


@dataclass(frozen=True)
class Commitment:
    id: str
    column: str
    title: str
    applies_from: int
    plan_text: str


@dataclass(frozen=True)
class CommitmentsStandard:
    size_bands: tuple[SizeBand, ...]
    commitments: tuple[Commitment, ...]
    source: Mapping[str, Any]


def load_charters(path: Path | str | None = None) -> dict[str, Charter]:
    """The known charters by id (default: the shipped ``charters.yaml``)."""
    data = read_yaml_mapping(path or default_data_path("charters.yaml"))
    charters: dict[str, Charter] = {}
    for item in data.get("charters") or []:
        charters[str(item["id"])] = Charter(
            id=str(item["id"]),
            name=str(item.get("name", item["id"])),
            owner=str(item.get("owner", "")),
            status=str(item.get("status", "real")),
            source=str(item.get("source", "")),
            requirements=tuple((str(req["id"]), str(req["text"])) for req in item.get("requirements") or []),
            note=" ".join(str(item.get("note", "")).split()),
        )
    return charters


def load_commitments_standard(path: Path | str | None = None) -> CommitmentsStandard:
    """The section 4.3 commitments and size bands (default: the shipped ``employer-commitments.yaml``)."""
    data = read_yaml_mapping(path or default_data_path("employer-commitments.yaml"))
    bands = tuple(sorted(
        (SizeBand(str(band["id"]), str(band["label"]), int(band["from"])) for band in data.get("size_bands") or []),
        key=lambda band: band.start,
    ))
    commitments = tuple(
        Commitment(str(item["id"]), str(item.get("column", item["id"])), str(item.get("title", item["id"])),
                   int(item.get("applies_from", 0)), str(item.get("plan_text", "")))
        for item in data.get("commitments") or []
    )
    return CommitmentsStandard(size_bands=bands, commitments=commitments, source=data.get("source") or {})


@dataclass(frozen=True)
class CharterSigned:
    charter: Charter
    signed: date

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.charter.id, "name": self.charter.name, "signed": self.signed.isoformat(),
                "hypothetical": self.charter.hypothetical}


@dataclass(frozen=True)
class Employer:
    row: int
    name: str
    employees: int
    # None where the employer left a commitment that does not apply to its size blank.
    answers: Mapping[str, bool | None]
    charters: tuple[CharterSigned, ...]


@dataclass(frozen=True)
class EmployerAssessment:
    employer: Employer
    size_band: SizeBand
    met: tuple[str, ...]
    missing: tuple[str, ...]
    not_applicable: tuple[str, ...]
    reasons: Mapping[str, str]

    @property
    def meets_all(self) -> bool:
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.employer.row,
            "employer": self.employer.name,
            "employees": self.employer.employees,
            "size_band": self.size_band.id,
            "meets_all": self.meets_all,
            "met": list(self.met),
            "missing": list(self.missing),
            "not_applicable": list(self.not_applicable),
            "reasons": dict(self.reasons),
            "charters": [signed.to_dict() for signed in self.employer.charters],
        }


@dataclass(frozen=True)
class EmployerReport:
    employers: list[EmployerAssessment]
    charters: Mapping[str, Charter]
    source: str = ""

    def summary(self) -> dict[str, Any]:
        total = len(self.employers)
        meeting = sum(1 for item in self.employers if item.meets_all)
        missing: dict[str, int] = {}
        for item in self.employers:
            for commitment in item.missing:
                missing[commitment] = missing.get(commitment, 0) + 1
        signatories = {charter_id: 0 for charter_id in self.charters}
        for item in self.employers:
            for signed in item.employer.charters:
                signatories[signed.charter.id] += 1
        return {
            "total": total,
            "meeting_all": meeting,
            "share_meeting_all": round(meeting / total, 4) if total else None,
            "missing": dict(sorted(missing.items(), key=lambda entry: -entry[1])),
            "charter_signatories": signatories,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "employers": [item.to_dict() for item in self.employers],
            "summary": self.summary(),
            "charters": {
                charter.id: {"name": charter.name, "status": charter.status, "source": charter.source,
                             "requirements": [text for _, text in charter.requirements]}
                for charter in self.charters.values()
            },
        }


# --- rules -----------------------------------------------------------------------------------------


def size_band_for(employees: int, standard: CommitmentsStandard) -> SizeBand:
    """The size band an employer falls in (plan, section 4.3: thresholds of 50 and 250 employees)."""
    return [band for band in standard.size_bands if band.start <= employees][-1]


def commitment_applies(commitment: Commitment, employees: int) -> bool:
    """Rule (plan, section 4.3): pay gap reports and action plans are asked of "employers with 50 employees
    or more"; time-bound, target-driven plans of those "with 250 or more"; the rest of "all employers".
    """
    return employees >= commitment.applies_from


def assess_employer(employer: Employer, standard: CommitmentsStandard) -> EmployerAssessment:
    """Which section 4.3 commitments apply to this employer's size, and which it meets."""
    met: list[str] = []
    missing: list[str] = []
    not_applicable: list[str] = []
    reasons: dict[str, str] = {}
    for commitment in standard.commitments:
        answer = employer.answers.get(commitment.column)
        if not commitment_applies(commitment, employer.employees):
            not_applicable.append(commitment.id)
            reasons[commitment.id] = (f"Not asked of employers with fewer than {commitment.applies_from} "
                                      f"employees.")
            continue
        if answer:
            met.append(commitment.id)
            reasons[commitment.id] = f"Met: {commitment.title}."
        else:
            missing.append(commitment.id)
            reasons[commitment.id] = f"Missing: {commitment.title}. The plan asks: \"{commitment.plan_text}\"."
    return EmployerAssessment(employer, size_band_for(employer.employees, standard), tuple(met), tuple(missing),
                              tuple(not_applicable), reasons)


def check_employers(employers: Sequence[Employer], *, standard: CommitmentsStandard | None = None,
                    charters: Mapping[str, Charter] | None = None, source: str = "") -> EmployerReport:
    """Assess every employer against the commitments for its size band."""
    standard = standard or load_commitments_standard()
    charters = charters if charters is not None else load_charters()
    return EmployerReport([assess_employer(employer, standard) for employer in employers], charters, source)


# --- reading ---------------------------------------------------------------------------------------


def parse_charters_cell(text: str, charters: Mapping[str, Charter], *, row: int, column: str = "charters",
                        file: str | None, errors: list[Problem], as_at: date | None = None) -> list[CharterSigned]:
    """Read ``id=YYYY-MM-DD; id=YYYY-MM-DD`` (charter id and date signed), recording every problem."""
    signed: list[CharterSigned] = []
    for part in (piece.strip() for piece in text.split(";")):
        if not part:
            continue
        charter_id, _, when = (piece.strip() for piece in part.partition("="))
        charter = charters.get(charter_id)
        if charter is None:
            errors.append(Problem(f"'{charter_id}' is not a known charter. Use one of: {', '.join(charters)} "
                                    f"(or add it to charters.yaml).", row=row, column=column, file=file))
            continue
        if not when:
            errors.append(Problem(f"'{charter_id}' has no date signed. Write it as {charter_id}=YYYY-MM-DD.",
                                    row=row, column=column, file=file))
            continue
        day = tabular.parse_date(when, row=row, column=column, file=file, errors=errors)
        if day is None:
            continue
        if as_at is not None and day > as_at:
            errors.append(Problem(f"'{charter_id}' is dated {day.isoformat()}, after the as-at date "
                                    f"{as_at.isoformat()}. Check the date.", row=row, column=column, file=file))
            continue
        signed.append(CharterSigned(charter, day))
    return signed


def employers_from_records(records: Sequence[tuple[int, Mapping[str, Any]]], *,
                           standard: CommitmentsStandard | None = None,
                           charters: Mapping[str, Charter] | None = None, file: str | None = None,
                           as_at: date | None = None) -> list[Employer]:
    """Validate ``(row, mapping)`` pairs into employers; ``StandardsInputError`` lists every bad cell.

    A commitment that does not apply to the employer's size may be left blank. ``charters`` may be
    the ``id=date; ...`` text or, from YAML, a mapping of charter id to date.
    """
    standard = standard or load_commitments_standard()
    charters = charters if charters is not None else load_charters()
    errors: list[Problem] = []
    employers: list[Employer] = []
    for row, record in records:
        before = len(errors)
        name = str(record.get("employer") or "").strip()
        if not name:
            errors.append(Problem("is empty. Enter the employer's name.", row=row, column="employer", file=file))
        headcount = tabular.parse_decimal(str(record.get("employees") or ""), row=row, column="employees", file=file,
                                  errors=errors, minimum=Decimal(0))
        if headcount is not None and headcount != headcount.to_integral_value():
            errors.append(Problem(f"{headcount} is not a whole number of employees.", row=row,
                                    column="employees", file=file))
        employees = int(headcount) if headcount is not None else 0
        answers: dict[str, bool | None] = {}
        for commitment in standard.commitments:
            raw = record.get(commitment.column)
            text = "" if raw is None else ("yes" if raw is True else "no" if raw is False else str(raw))
            if not text.strip() and headcount is not None and not commitment_applies(commitment, employees):
                answers[commitment.column] = None
                continue
            answers[commitment.column] = tabular.parse_yes_no(text, row=row, column=commitment.column, file=file,
                                                      errors=errors)
        raw_charters = record.get("charters") or ""
        if isinstance(raw_charters, Mapping):
            raw_charters = "; ".join(f"{key}={value}" for key, value in raw_charters.items())
        signed = parse_charters_cell(str(raw_charters), charters, row=row, file=file, errors=errors, as_at=as_at)
        if len(errors) > before:
            continue
        employers.append(Employer(row, name, employees, answers, tuple(signed)))
    if errors:
        raise StandardsInputError(errors)
    return employers


def read_employers(path: Path | str, *, standard: CommitmentsStandard | None = None,
                   charters: Mapping[str, Charter] | None = None, as_at: date | None = None) -> list[Employer]:
    """Read employers from CSV/XLSX (one row each) or YAML (``employers:`` list; "row" is the item number)."""
    standard = standard or load_commitments_standard()
    path = Path(path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        data = read_yaml_mapping(path)
        items = data.get("employers")
        if not isinstance(items, list) or not items:
            raise StandardsInputError([Problem("needs an 'employers:' list with one item per employer.",
                                                 column="employers", file=str(path))])
        records = [(index, item if isinstance(item, Mapping) else {}) for index, item in enumerate(items, start=1)]
        return employers_from_records(records, standard=standard, charters=charters, file=str(path), as_at=as_at)
    table = tabular.read_table(path)
    missing = tabular.require_columns(table, ["employer", "employees"] + [item.column for item in standard.commitments])
    if missing:
        raise StandardsInputError(missing)
    if not table.rows:
        raise StandardsInputError([Problem("has no employers: add one row per employer.", file=table.file)])
    return employers_from_records([(row.number, row.values) for row in table.rows], standard=standard,
                                  charters=charters, file=table.file, as_at=as_at)


def check_employers_file(path: Path | str, *, as_at: date | None = None,
                         charters_path: Path | str | None = None) -> EmployerReport:
    """Read an employers file and assess each against the commitments for its size band."""
    standard = load_commitments_standard()
    charters = load_charters(charters_path)
    employers = read_employers(path, standard=standard, charters=charters, as_at=as_at)
    return check_employers(employers, standard=standard, charters=charters, source=str(path))
