"""The plan schema and loader: a plan YAML file becomes typed, validated values.

Errors name the file, the item (recommendation, fact, organisation ...) and the field, so a person
editing the YAML knows exactly what to fix.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

__all__ = [
    "Addressee",
    "Criterion",
    "DEFAULT_STATUS_VOCABULARY",
    "DatedState",
    "Fact",
    "FigureCheckSpec",
    "Organisation",
    "Plan",
    "PlanError",
    "PlanFile",
    "Recommendation",
    "Scheme",
    "Section",
    "StatusTerm",
    "Target",
    "TargetComponent",
    "normalise_whitespace",
    "plan_parse",
    "plan_read",
]

Kind = Literal["target", "action", "standard", "principle"]
Modality = Literal["must", "should", "should be encouraged", "could"]
Role = Literal["lead", "support"]
OrganisationKind = Literal[
    "combined_authority",
    "lep",
    "council",
    "college",
    "university",
    "employer",
    "government",
    "union",
    "health",
    "anchor",
    "partnership",
    "editorial",
    "other",
]

_ID = re.compile(r"^[a-z0-9][a-z0-9.\-]*$")


def _check_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("use lower-case letters, digits, dots and hyphens only")
    return value


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to one space, for quote checks."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StatusTerm(_Strict):
    """One delivery status in the plan's vocabulary; ``progress`` is None for 'not assessed'."""

    key: str
    label: str
    progress: float | None = Field(default=None, ge=0, le=1)
    description: str = ""


# The default delivery vocabulary (issue 3). "Not assessed" carries no progress value on purpose:
# it must never be averaged as if it were "not started".
DEFAULT_STATUS_VOCABULARY: tuple[StatusTerm, ...] = (
    StatusTerm(key="not_assessed", label="Not assessed", progress=None,
               description="Nobody has yet assessed delivery."),
    StatusTerm(key="not_started", label="Not started", progress=0.0),
    StatusTerm(key="planned", label="Planned", progress=0.1),
    StatusTerm(key="in_progress", label="In progress", progress=0.4),
    StatusTerm(key="partly_delivered", label="Partly delivered", progress=0.7),
    StatusTerm(key="delivered", label="Delivered", progress=1.0),
    # Stalled keeps the progress last reached (engine.rollup.progress_reached); 0 only when nothing was reached.
    StatusTerm(key="stalled", label="Stalled", progress=0.0,
               description="Begun but not moving: keeps the progress last reached."),
    StatusTerm(key="reversed", label="Reversed", progress=0.0),
)


class DatedState(_Strict):
    """A dated change in an organisation's or scheme's life, with its public source."""

    date: date
    state: str
    note: str = ""
    source_title: str = ""
    source_url: str = ""


class Organisation(_Strict):
    id: str
    name: str
    short_name: str = ""
    kind: OrganisationKind = "other"
    independent_assessor: bool = False
    url: str = ""
    successor: str | None = None
    ended: date | None = None
    states: tuple[DatedState, ...] = ()
    # A group addressee ("local authorities across the region") lists the named organisations it
    # stands for; a recommendation addressed to the group is then tracked for each member.
    members: tuple[str, ...] = ()

    _id_shape = field_validator("id")(classmethod(lambda cls, value: _check_id(value)))


class Scheme(_Strict):
    """A scheme or fund the plan names (Job Retention Scheme, Shared Prosperity Fund, HS2 ...)."""

    id: str
    name: str
    kind: str = "scheme"
    states: tuple[DatedState, ...] = ()


class Section(_Strict):
    number: str
    title: str
    # The heading as it appears in the source text, when it differs (the extract prints "1." for 4, 5 and 6).
    source_heading: str = ""


class Addressee(_Strict):
    organisation: str
    role: Role = "lead"


class TargetComponent(_Strict):
    description: str
    value: float
    unit: str


class Target(_Strict):
    id: str
    description: str
    value: float
    unit: str
    deadline: date | None = None
    baseline: float | None = None
    baseline_date: date | None = None
    geography: str = ""
    indicator: str | None = None
    method: Literal["cagr", "linear"] | None = None
    direction: Literal["increase", "decrease"] = "increase"
    components: tuple[TargetComponent, ...] = ()


class Criterion(_Strict):
    id: str
    text: str


class Recommendation(_Strict):
    id: str
    section: str
    title: str
    quote: str
    kind: Kind
    modality: Modality
    themes: tuple[str, ...] = ()
    addressees: tuple[Addressee, ...] = Field(min_length=1)
    targets: tuple[Target, ...] = ()
    criteria_title: str = ""
    criteria: tuple[Criterion, ...] = ()
    weight: float = Field(default=1.0, gt=0)
    schemes: tuple[str, ...] = ()

    _id_shape = field_validator("id")(classmethod(lambda cls, value: _check_id(value)))


class Fact(_Strict):
    """A figure the plan states, with what it refers to. ``statement`` is verbatim from the source."""

    id: str
    section: str
    statement: str
    value: float
    unit: str
    geography: str
    geography_code: str = ""
    as_of: str = ""
    source: str = ""
    qualifier: Literal["exact", "approximately", "over", "under", "some"] = "exact"
    note: str = ""


class FigureCheckSpec(_Strict):
    """A cross-check between stated figures, evaluated by ``engine.figures``."""

    id: str
    kind: Literal["sum", "same_population"]
    parts: tuple[str, ...]
    total: str
    description: str = ""


class Plan(_Strict):
    id: str
    title: str
    publisher: str
    published: date
    source_url: str = ""
    source_text: str = ""
    description: str = ""
    status_vocabulary: tuple[StatusTerm, ...] = DEFAULT_STATUS_VOCABULARY


class PlanFile(_Strict):
    """A whole plan file: everything in one validated value."""

    plan: Plan
    organisations: tuple[Organisation, ...]
    schemes: tuple[Scheme, ...] = ()
    sections: tuple[Section, ...]
    recommendations: tuple[Recommendation, ...]
    facts: tuple[Fact, ...] = ()
    checks: tuple[FigureCheckSpec, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self) -> PlanFile:
        problems: list[str] = []
        org_ids = _unique(self.organisations, "organisations", problems)
        section_numbers = {section.number for section in self.sections}
        scheme_ids = _unique(self.schemes, "schemes", problems)
        _unique(self.recommendations, "recommendations", problems)
        fact_ids = _unique(self.facts, "facts", problems)
        groups = {org.id for org in self.organisations if org.members}
        for org in self.organisations:
            if org.successor and org.successor not in org_ids:
                problems.append(f"organisation {org.id}, field successor: unknown organisation {org.successor!r}")
            problems.extend(_member_problems(org, org_ids, groups))
        for rec in self.recommendations:
            if rec.section not in section_numbers:
                problems.append(f"recommendation {rec.id}, field section: unknown section {rec.section!r}")
            for addressee in rec.addressees:
                if addressee.organisation not in org_ids:
                    problems.append(
                        f"recommendation {rec.id}, field addressees: unknown organisation "
                        f"{addressee.organisation!r}; add it under organisations or fix the id"
                    )
            for scheme in rec.schemes:
                if scheme not in scheme_ids:
                    problems.append(f"recommendation {rec.id}, field schemes: unknown scheme {scheme!r}")
        for fact in self.facts:
            if fact.section not in section_numbers:
                problems.append(f"fact {fact.id}, field section: unknown section {fact.section!r}")
        for check in self.checks:
            for ref in (*check.parts, check.total):
                if ref not in fact_ids:
                    problems.append(f"check {check.id}: unknown fact {ref!r}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _member_problems(org: Organisation, org_ids: set[str], groups: set[str]) -> list[str]:
    """A group's members must be other, known organisations that are not groups themselves (one level
    keeps "tracked per member" meaning one status per named organisation)."""
    problems = []
    where = f"organisation {org.id}, field members"
    if len(set(org.members)) != len(org.members):
        problems.append(f"{where}: a member is listed twice; list each organisation once")
    for member in org.members:
        if member == org.id:
            problems.append(f"{where}: a group cannot be a member of itself")
        elif member not in org_ids:
            problems.append(f"{where}: unknown organisation {member!r}; add it under organisations or fix the id")
        elif member in groups:
            problems.append(f"{where}: {member!r} is itself a group; list its members instead")
    return problems


def _unique(items: tuple, label: str, problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(f"{label}: id {item.id!r} is used twice; ids must be unique")
        seen.add(item.id)
    return seen


class PlanError(ValueError):
    """A plan file that cannot be used, with every problem located by file, item and field."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def _locate(data: dict, loc: tuple) -> str:
    """Turn a pydantic error location into 'recommendation 3.1-a, field quote'."""
    if not loc:
        return "plan"
    head, *rest = loc
    if head in {"recommendations", "facts", "organisations", "schemes", "sections", "checks"} and rest:
        index = rest[0]
        try:
            item = data[head][index]
            name = item.get("id") or item.get("number") or f"#{index + 1}"
        except (KeyError, IndexError, TypeError, AttributeError):
            name = f"#{index + 1}" if isinstance(index, int) else str(index)
        label = head[:-1] if head.endswith("s") else head
        field = ".".join(str(part) for part in rest[1:]) or "(whole item)"
        return f"{label} {name}, field {field}"
    return "field " + ".".join(str(part) for part in loc)


def plan_parse(data: object, *, path: str = "<plan>") -> PlanFile:
    """Validate already-parsed YAML data. Raises ``PlanError`` listing every problem."""
    if not isinstance(data, dict):
        raise PlanError(path, ["the file must be a mapping with plan, organisations, sections and recommendations"])
    try:
        return PlanFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = _locate(data, tuple(item["loc"]))
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}")
        raise PlanError(path, problems) from None


def plan_read(path: Path | str) -> PlanFile:
    """Read and validate a plan YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PlanError(str(path), [f"cannot read the file ({error.strerror})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise PlanError(str(path), [f"{where}not valid YAML ({getattr(error, 'problem', error)})"]) from None
    return plan_parse(data, path=str(path))
