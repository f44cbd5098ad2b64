"""The organisation registry shared by every plan, and the rule for adding to it.

The registry file (``data/organisations.yaml``) states each organisation once. A plan file may add
organisations, or facts the registry does not state (a web address, a successor, an end date,
dated states), but never silently replace one: a plan that states another value for a fact the
registry (or another plan) already holds is refused, naming both values and both sources, unless it
records the difference as a dated change with its source (``changes:``). Values a file leaves out
are "not stated", never blank, so one plan cannot erase another's facts.

Pure functions over plain values: the catalogue app keeps the merged registry in the database and
calls these to decide what a load may write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from recovery_tracker.engine.plan import Organisation, OrganisationChange, PlanError, _member_problems, yaml_read

__all__ = [
    "FACT_FIELDS",
    "KnownOrganisation",
    "REGISTRY_SOURCE",
    "RegistryFile",
    "known_from_registry",
    "organisation_conflicts",
    "organisation_merge",
    "registry_read",
    "registry_read_shipped",
    "shipped_registry_path",
]

# The facts an organisation entry may state. States (dated events) are added, never conflicting.
FACT_FIELDS: tuple[str, ...] = ("name", "short_name", "kind", "independent_assessor", "url", "successor", "ended")
REGISTRY_SOURCE = "organisations.yaml"


class RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    organisations: tuple[Organisation, ...]


def shipped_registry_path() -> Path:
    return Path(str(resources.files("recovery_tracker") / "data" / "organisations.yaml"))


def registry_read(path: Path | str) -> dict[str, Organisation]:
    """Read an organisation registry file: ids unique, every organisation named, successors known."""
    data = yaml_read(path)
    try:
        registry = RegistryFile.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            where = "field " + ".".join(str(part) for part in loc)
            if len(loc) >= 2 and loc[0] == "organisations" and isinstance(loc[1], int):
                entries = data.get("organisations") if isinstance(data, dict) else None
                ident = entries[loc[1]].get("id") if isinstance(entries, list) and isinstance(
                    entries[loc[1]], dict) else None
                where = f"organisation {ident or '#' + str(loc[1] + 1)}, field " + (
                    ".".join(str(part) for part in loc[2:]) or "(whole item)")
            problems.append(f"{where}: {item['msg'].removeprefix('Value error, ')}")
        raise PlanError(str(path), problems) from None
    problems = []
    out: dict[str, Organisation] = {}
    for org in registry.organisations:
        if org.id in out:
            problems.append(f"organisations: id {org.id!r} is used twice; ids must be unique")
        if org.name is None:
            problems.append(f"organisation {org.id}, field name: the registry must name every organisation")
        out[org.id] = org
    groups = {org.id for org in registry.organisations if org.members}
    for org in registry.organisations:
        problems.extend(_member_problems(org, set(out), groups))
        if org.successor and org.successor not in out:
            problems.append(f"organisation {org.id}, field successor: unknown organisation {org.successor!r}")
    if problems:
        raise PlanError(str(path), problems)
    return out


@cache
def registry_read_shipped() -> dict[str, Organisation]:
    path = shipped_registry_path()
    return registry_read(path) if path.exists() else {}


def _plain(value: object) -> object:
    """Facts compared and stored as JSON values (dates as ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _change_value(change: OrganisationChange) -> object:
    if change.field == "independent_assessor":
        return change.value.strip().lower() in {"true", "yes", "1"}
    return change.value


@dataclass
class KnownOrganisation:
    """What the registry holds for one organisation: base facts with who stated them, dated changes."""

    id: str
    facts: dict[str, object] = field(default_factory=dict)
    sources: dict[str, list[str]] = field(default_factory=dict)
    changes: list[dict[str, object]] = field(default_factory=list)

    def values_in_history(self, name: str) -> set[object]:
        values = {self.facts[name]} if name in self.facts else set()
        return values | {c["value"] for c in self.changes if c["field"] == name}

    def effective(self, name: str) -> object:
        """The fact as it stands now: the latest dated change, else the base value (None: not stated)."""
        dated = sorted((c for c in self.changes if c["field"] == name), key=lambda c: (str(c["date"]), str(c["value"])))
        if dated:
            return dated[-1]["value"]
        return self.facts.get(name)


def organisation_conflicts(known: KnownOrganisation | None, org: Organisation, source: str) -> list[str]:
    """Rule: "a plan that states a conflicting fact (another URL, another successor, another end date)
    is refused ... with both values and both sources named, unless it is marked as a dated change with
    its source"."""
    if known is None:
        return []
    problems = []
    own_changes = {(c.field, _change_value(c)) for c in org.changes}
    for name in FACT_FIELDS:
        value = _plain(getattr(org, name))
        if value is None:
            continue
        history = known.values_in_history(name)
        if not history or value in history or (name, value) in own_changes:
            continue
        base = known.facts.get(name, known.effective(name))
        where = ", ".join(known.sources.get(name, [])) or "the registry"
        problems.append(
            f"organisation {org.id}, field {name}: {source} says {value!r} but {where} says {base!r}; "
            f"if it changed, keep {base!r} or record the change under `changes` with its date and source "
            f"(field: {name}, value, date, source_url)"
        )
    return problems


def organisation_merge(known: KnownOrganisation | None, org: Organisation, source: str) -> KnownOrganisation:
    """Add one file's statements to the registry (call only when ``organisation_conflicts`` is empty).

    Order does not matter: a value the file's own dated change covers does not become a base fact,
    sources are kept sorted, and changes are a set.
    """
    merged = KnownOrganisation(id=org.id) if known is None else KnownOrganisation(
        id=known.id, facts=dict(known.facts), sources={k: list(v) for k, v in known.sources.items()},
        changes=list(known.changes))
    own_changes = {(c.field, _change_value(c)) for c in org.changes}
    for name in FACT_FIELDS:
        value = _plain(getattr(org, name))
        if value is None:
            continue
        if name not in merged.facts and (name, value) not in own_changes:
            merged.facts[name] = value
        if merged.facts.get(name) == value:
            merged.sources[name] = sorted(set(merged.sources.get(name, [])) | {source})
    for change in org.changes:
        entry = {"field": change.field, "value": _change_value(change), "date": change.date.isoformat(),
                 "source_title": change.source_title, "source_url": change.source_url, "note": change.note}
        if entry not in merged.changes:
            merged.changes.append(entry)
    merged.changes.sort(key=lambda c: (str(c["date"]), str(c["field"]), str(c["value"])))
    return merged


def known_from_registry(registry: dict[str, Organisation]) -> dict[str, KnownOrganisation]:
    """The registry file itself as known organisations (every fact sourced to the registry file)."""
    out: dict[str, KnownOrganisation] = {}
    for org in registry.values():
        out[org.id] = organisation_merge(None, org, REGISTRY_SOURCE)
    return out
