"""The plan schema and loader: a plan YAML file becomes typed, validated values.

Errors name the file, the item (recommendation, fact, organisation ...) and the field, so a person
editing the YAML knows exactly what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from recovery_tracker.engine.problems import Problem, ProblemsFound

__all__ = [
    "Addressee",
    "Criterion",
    "DEFAULT_STATUS_VOCABULARY",
    "DatedState",
    "Fact",
    "FigureCheckSpec",
    "MODALITIES",
    "Organisation",
    "OrganisationChange",
    "Plan",
    "PlanChange",
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
    "plan_source_read",
    "yaml_read",
]

Kind = Literal["target", "action", "standard", "principle"]
# The strength of the wording. "must be encouraged" and "should be encouraged" put the duty on
# whoever must encourage; "needed" records a stated need ("is required", "will require") that asks
# no one by name. The phrases each term stands for are in engine/plan_rules.py (MODALITY_PHRASES).
Modality = Literal["must", "must be encouraged", "should", "should be encouraged", "needed", "could"]
MODALITIES: tuple[str, ...] = ("must", "must be encouraged", "should", "should be encouraged", "needed", "could")
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
    # Issue 12: an assessor looked and the compiled public record holds nothing. It is an assessment
    # (counted and shown), not "not started" (which would claim nothing was done), and like "not
    # assessed" it carries no progress value, so it is left out of the average.
    StatusTerm(key="no_public_evidence", label="No public evidence found", progress=None,
               description="An assessor searched the named public sources and found nothing on this body's "
                           "action; not the same as not started."),
)


class DatedState(_Strict):
    """A dated change in an organisation's or scheme's life, with its public source."""

    date: date
    state: str
    note: str = ""
    source_title: str = ""
    source_url: str = ""


class OrganisationChange(_Strict):
    """A dated change to one of an organisation's facts (a new web address, a successor, an end date).

    A plan that states a value different from the registry's must say so this way, with its source;
    otherwise the two files conflict and the plan is refused.
    """

    field: Literal["name", "short_name", "kind", "url", "successor", "ended", "independent_assessor"]
    value: str
    date: date
    source_title: str = ""
    source_url: str = Field(min_length=1)
    note: str = ""


class Organisation(_Strict):
    """An organisation as one file states it. Fields left out are not facts this file states:
    they are taken from the registry, never blanked (``None`` means "not stated")."""

    id: str
    name: str | None = None
    short_name: str | None = None
    kind: OrganisationKind | None = None
    independent_assessor: bool | None = None
    url: str | None = None
    successor: str | None = None
    ended: date | None = None
    # A group addressee (local authorities) and the bodies it stands for.
    members: tuple[str, ...] = ()
    states: tuple[DatedState, ...] = ()
    changes: tuple[OrganisationChange, ...] = ()

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
    # What would show the target was met, in words, when no indicator can say it alone.
    met_when: str = ""
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
    addressees: tuple[Addressee, ...] = ()
    targets: tuple[Target, ...] = ()
    criteria_title: str = ""
    criteria: tuple[Criterion, ...] = ()
    weight: float = Field(default=1.0, gt=0)
    schemes: tuple[str, ...] = ()
    # Why the item reads as it does where the text leaves room (no body named, who funds ...).
    note: str = ""

    _id_shape = field_validator("id")(classmethod(lambda cls, value: _check_id(value)))

    @model_validator(mode="after")
    def _someone_or_a_reason(self) -> Recommendation:
        """Rule: an ask names who must act, or its note says why the text names no one."""
        if not self.addressees and not self.note:
            raise ValueError("addressees: name at least one organisation, or leave the list empty and say "
                             "in `note` why the text names no body")
        return self


class Fact(_Strict):
    """A figure or a state of affairs the plan states. ``statement`` is verbatim from the source.

    A fact without ``value`` states a position, not a figure (the WMCA has signed a charter); its
    ``schemes`` name what it is about, whose dated states then record it.
    """

    id: str
    section: str
    statement: str
    value: float | None = None
    unit: str = ""
    schemes: tuple[str, ...] = ()
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


class PlanChange(_Strict):
    """One revision of the plan file: what changed and which items, so the data version says why."""

    version: str
    date: date
    summary: str
    items: tuple[str, ...] = ()


class Plan(_Strict):
    id: str
    title: str
    publisher: str
    published: date
    source_url: str = ""
    source_text: str = ""
    description: str = ""
    status_vocabulary: tuple[StatusTerm, ...] = DEFAULT_STATUS_VOCABULARY
    # The file's own version and its change log (newest last); the loader records both.
    version: str = ""
    changes: tuple[PlanChange, ...] = ()

    @model_validator(mode="after")
    def _version_is_the_latest_change(self) -> Plan:
        """Rule: when a change log is kept, ``version`` is its newest entry's version."""
        if self.changes and self.version != self.changes[-1].version:
            raise ValueError(f"version: {self.version!r} is not the newest change's version "
                             f"{self.changes[-1].version!r}; add a change entry or set version to it")
        return self


class PlanFile(_Strict):
    """A whole plan file: everything in one validated value.

    ``organisations`` adds organisations or facts to the shared registry (data/organisations.yaml);
    ids it does not define must be in the registry passed as validation context ``registry``.
    """

    plan: Plan
    organisations: tuple[Organisation, ...] = ()
    schemes: tuple[Scheme, ...] = ()
    sections: tuple[Section, ...]
    recommendations: tuple[Recommendation, ...]
    facts: tuple[Fact, ...] = ()
    checks: tuple[FigureCheckSpec, ...] = ()

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> PlanFile:
        problems: list[str] = []
        org_ids = _unique(self.organisations, "organisations", problems)
        registry = (info.context or {}).get("registry") or {}
        for org in self.organisations:
            if org.id not in registry and org.name is None:
                problems.append(f"organisation {org.id}, field name: a new organisation needs a name "
                                "(it is not in the organisation registry)")
        org_ids |= set(registry)
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
            for scheme in fact.schemes:
                if scheme not in scheme_ids:
                    problems.append(f"fact {fact.id}, field schemes: unknown scheme {scheme!r}")
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


def _unique(items: tuple[Any, ...], label: str, problems: list[str]) -> set[str]:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            problems.append(f"{label}: id {item.id!r} is used twice; ids must be unique")
        seen.add(item.id)
    return seen


class PlanError(ProblemsFound):
    """A plan or registry file that cannot be used, with every problem located by item and field.

    The checks write each problem as one sentence that starts with its place ("recommendation 3.1-a,
    field quote: ..."); a rule that knows its place as parts gives a ``Problem`` with them.
    """

    def __init__(self, path: str, problems: Sequence[str | Problem]) -> None:
        self.path = path
        found = [problem if isinstance(problem, Problem) else Problem(problem) for problem in problems]
        super().__init__(found, message=f"{path}: " + "; ".join(str(problem) for problem in found))


def _locate(data: dict[str, Any], loc: tuple[Any, ...]) -> str:
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


def plan_parse(data: object, *, path: str = "<plan>", registry: dict[str, Organisation] | None = None) -> PlanFile:
    """Validate already-parsed YAML data against the organisation registry (ids to organisations).

    Raises ``PlanError`` listing every problem.
    """
    if not isinstance(data, dict):
        raise PlanError(path, ["the file must be a mapping with plan, sections and recommendations"])
    try:
        return PlanFile.model_validate(data, context={"registry": registry or {}})
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = _locate(data, tuple(item["loc"]))
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {message}")
        raise PlanError(path, problems) from None


def yaml_read(path: Path | str) -> object:
    """Read a YAML file as UTF-8; errors name the file, line and column."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PlanError(str(path), [f"cannot read the file ({error.strerror})"]) from None
    except UnicodeDecodeError as error:
        raise PlanError(str(path), [f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8"]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise PlanError(str(path), [f"{where}not valid YAML ({getattr(error, 'problem', error)})"]) from None


def plan_read(path: Path | str, *, registry: dict[str, Organisation] | None = None) -> PlanFile:
    """Read and validate a plan YAML file (by default against the shipped organisation registry)."""
    if registry is None:
        from recovery_tracker.engine.registry import registry_read_shipped

        registry = registry_read_shipped()
    return plan_parse(yaml_read(path), path=str(path), registry=registry)


def plan_source_read(path: Path | str, plan_file: PlanFile) -> str:
    """The plan's source text (``plan.source_text``, relative to the plan file), read as UTF-8.

    Rule: a plan is checked against its own text, so a missing or unreadable source is an error.
    """
    if not plan_file.plan.source_text:
        raise PlanError(str(path), ["plan, field source_text: name the plan's source text file (UTF-8), "
                                    "next to the plan file, so quotes can be checked"])
    source = Path(path).parent / plan_file.plan.source_text
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanError(str(path), [f"plan, field source_text: the source text {source} does not exist"]) from None
    except UnicodeDecodeError as error:
        raise PlanError(str(path), [f"plan, field source_text: {source} is not UTF-8 text (byte {error.start}); "
                                    "save it as UTF-8"]) from None
    except OSError as error:
        raise PlanError(str(path), [f"plan, field source_text: cannot read {source} ({error.strerror})"]) from None
