"""Writes to the catalogue: loading a plan file."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from django.db import models, transaction

from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import (
    Addressee,
    Criterion,
    Fact,
    Organisation,
    OrganisationState,
    Plan,
    Recommendation,
    Scheme,
    SchemeState,
    Section,
    Target,
    Theme,
)
from recovery_tracker.engine.figures import FigureCheckResult, StatedFigure, check_same_population, check_sum
from recovery_tracker.engine.plan import Organisation as OrganisationSpec
from recovery_tracker.engine.plan import PlanError, PlanFile, plan_read, plan_source_read
from recovery_tracker.engine.plan_rules import rule_quotes_are_verbatim
from recovery_tracker.engine.registry import (
    REGISTRY_SOURCE,
    KnownOrganisation,
    organisation_conflicts,
    organisation_merge,
    registry_read,
    registry_read_shipped,
    shipped_registry_path,
)

__all__ = [
    "PlanLoadResult",
    "figure_checks_run",
    "plan_load",
    "plan_remove",
    "plan_source",
    "registry_load",
    "shipped_plan_paths",
]


def shipped_plan_paths() -> list[Path]:
    folder = Path(str(resources.files("recovery_tracker") / "data" / "plans"))
    return sorted(folder.glob("*.yaml"))


@dataclass
class PlanLoadResult:
    plan: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)

    def count(self, bucket: dict[str, int], label: str) -> None:
        bucket[label] = bucket.get(label, 0) + 1

    def summary(self) -> str:
        if not self.changed:
            return f"{self.plan}: already up to date, nothing changed."
        parts = [f"created {n} {label}" for label, n in sorted(self.created.items())]
        parts += [f"updated {n} {label}" for label, n in sorted(self.updated.items())]
        if self.retired:
            parts.append(f"retired {len(self.retired)} recommendations no longer in the file")
        return f"{self.plan}: " + ", ".join(parts) + "."


def _upsert(
    result: PlanLoadResult, label: str, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> models.Model:
    """Create or update one row, counting only real changes so a second load reports nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.count(result.created, label)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        result.count(result.updated, label)
    return obj


def _states_add(result: PlanLoadResult, owner_field: str, owner: models.Model,
                model: type[models.Model], states: tuple) -> None:
    """Add the dated states this file states and the owner lacks. Never removes one: another plan
    or the registry may have stated it, and states are history."""
    existing = {
        tuple(row) for row in model.objects.filter(**{owner_field: owner}).values_list(
            "date", "state", "note", "source_title", "source_url")
    }
    added = False
    for s in states:
        key = (s.date, s.state, s.note, s.source_title, s.source_url)
        if key not in existing:
            model.objects.create(**{owner_field: owner}, date=s.date, state=s.state, note=s.note,
                                 source_title=s.source_title, source_url=s.source_url)
            existing.add(key)
            added = True
    if added:
        result.count(result.updated, "dated states")


def _known(org: Organisation) -> KnownOrganisation:
    facts = org.facts or {}
    changes = [
        {"field": st.field, "value": (st.value.lower() == "true") if st.field == "independent_assessor" else st.value,
         "date": st.date.isoformat(), "source_title": st.source_title, "source_url": st.source_url, "note": st.note}
        for st in org.states.exclude(field="")
    ]
    changes.sort(key=lambda c: (str(c["date"]), str(c["field"]), str(c["value"])))
    return KnownOrganisation(id=org.slug, facts=dict(facts.get("values", {})),
                             sources={k: list(v) for k, v in facts.get("sources", {}).items()}, changes=changes)


def _known_all() -> dict[str, KnownOrganisation]:
    return {org.slug: _known(org) for org in Organisation.objects.prefetch_related("states")}


def _organisations_apply(result: PlanLoadResult, specs: tuple[OrganisationSpec, ...] | list[OrganisationSpec],
                         source: str, known: dict[str, KnownOrganisation]) -> None:
    """Merge one file's organisations into the registry in the database (conflicts already refused).

    Only facts change, and only by adding: a value a file leaves out is not blanked, and a differing
    value needs a dated change with its source, so one plan never rewrites another plan's bodies.
    """
    merged: dict[str, KnownOrganisation] = {}
    for spec in specs:
        merged[spec.id] = organisation_merge(known.get(spec.id), spec, source)
        known[spec.id] = merged[spec.id]
    rows: dict[str, Organisation] = {}
    for spec in specs:
        entry = merged[spec.id]
        values = {
            "name": entry.effective("name") or spec.id,
            "short_name": entry.effective("short_name") or "",
            "kind": entry.effective("kind") or "other",
            "independent_assessor": bool(entry.effective("independent_assessor")),
            "url": entry.effective("url") or "",
            "ended": dt.date.fromisoformat(str(entry.effective("ended"))) if entry.effective("ended") else None,
            "facts": {"values": entry.facts, "sources": entry.sources},
        }
        rows[spec.id] = _upsert(result, "organisations", Organisation, {"slug": spec.id}, values)
    for spec in specs:
        obj = rows[spec.id]
        successor_slug = merged[spec.id].effective("successor")
        successor_pk = (Organisation.objects.values_list("pk", flat=True).get(slug=successor_slug)
                        if successor_slug else None)
        if obj.successor_id != successor_pk:
            obj.successor_id = successor_pk
            obj.save(update_fields=["successor"])
            result.count(result.updated, "successions")
        _states_add(result, "organisation", obj, OrganisationState, spec.states)
        # Group members are added, never removed: another file may have named more of them.
        wanted_members = set(Organisation.objects.filter(slug__in=spec.members).values_list("pk", flat=True))
        if not wanted_members <= set(obj.members.values_list("pk", flat=True)):
            obj.members.add(*wanted_members)
            result.count(result.updated, "group member lists")
        existing_changes = set(obj.states.exclude(field="").values_list("field", "value", "date"))
        for change in spec.changes:
            if (change.field, change.value, change.date) in existing_changes:
                continue
            OrganisationState.objects.create(
                organisation=obj, date=change.date, state=f"{change.field.replace('_', ' ')} changed",
                note=change.note or f"{change.field.replace('_', ' ')}: {change.value}", field=change.field,
                value=change.value, source_title=change.source_title, source_url=change.source_url)
            result.count(result.updated, "dated changes")


def _conflicts(specs: tuple[OrganisationSpec, ...] | list[OrganisationSpec], source: str,
               known: dict[str, KnownOrganisation]) -> list[str]:
    problems: list[str] = []
    for spec in specs:
        problems += organisation_conflicts(known.get(spec.id), spec, source)
    return problems


def _registry_specs(path: Path | None) -> tuple[str, list[OrganisationSpec]]:
    if path is None:
        return REGISTRY_SOURCE, list(registry_read_shipped().values())
    return Path(path).name, list(registry_read(path).values())


@transaction.atomic
def registry_load(*, path: Path | str | None = None, actor: Any = None) -> PlanLoadResult:
    """Load the organisation registry (default: the shipped ``data/organisations.yaml``)."""
    source, specs = _registry_specs(Path(path) if path else None)
    result = PlanLoadResult(plan=f"registry {source}")
    known = _known_all()
    problems = _conflicts(specs, source, known)
    if problems:
        raise PlanError(str(path or shipped_registry_path()), problems)
    _organisations_apply(result, specs, source, known)
    if result.changed:
        audit_record(actor=actor, action="registry.load", object_type="registry", object_id=source,
                     summary=result.summary(), data={"file": source})
    return result


def plan_source(path: Path | str, plan_file: PlanFile) -> str:
    """The plan's source text, with every quote, criterion and fact checked verbatim against it."""
    source = plan_source_read(path, plan_file)
    problems = [str(problem) for problem in rule_quotes_are_verbatim(plan_file, source)]
    if problems:
        raise PlanError(str(path), problems)
    return source


def _plan_label(plan_file: PlanFile, path: Path) -> str:
    return f"plan {plan_file.plan.id} ({path.name})"


def figure_checks_run(plan_file: PlanFile) -> list[FigureCheckResult]:
    """Evaluate every cross-check the plan file declares."""
    facts = {
        fact.id: StatedFigure(fact.id, fact.value, fact.unit, fact.qualifier, fact.geography)
        for fact in plan_file.facts
    }
    results = []
    for spec in plan_file.checks:
        parts = [facts[ref] for ref in spec.parts]
        if spec.kind == "sum":
            results.append(check_sum(spec.id, parts, facts[spec.total]))
        else:
            results.append(check_same_population(spec.id, parts, facts[spec.total]))
    return results


@transaction.atomic
def plan_load(*, path: Path | str, actor: Any = None) -> PlanLoadResult:
    """Load or refresh a plan from its YAML file. Idempotent; never deletes recorded history.

    Everything is validated before anything is written (the file, its source text and every quote in
    it, and its organisations against the registry), and the whole load is one transaction. The
    shipped organisation registry is loaded first; the plan may add organisations or facts to it
    but never change another plan's.
    """
    path = Path(path)
    registry_load(actor=actor)
    known = _known_all()
    plan_file = plan_read(path, registry={**registry_read_shipped(), **dict.fromkeys(known)})  # type: ignore[arg-type]
    source_text = plan_source(path, plan_file)
    label = _plan_label(plan_file, path)
    problems = _conflicts(plan_file.organisations, label, known)
    problems += _scheme_conflicts(plan_file, label)
    if problems:
        raise PlanError(str(path), problems)
    text_hash = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    spec = plan_file.plan
    result = PlanLoadResult(plan=spec.id)
    _organisations_apply(result, plan_file.organisations, label, known)
    orgs = {org.slug: org for org in Organisation.objects.all()}

    schemes: dict[str, Scheme] = {}
    for scheme in plan_file.schemes:
        schemes[scheme.id] = _upsert(result, "schemes", Scheme, {"slug": scheme.id},
                                     {"name": scheme.name, "kind": scheme.kind})
        _states_add(result, "scheme", schemes[scheme.id], SchemeState, scheme.states)

    plan = _upsert(result, "plans", Plan, {"slug": spec.id}, {
        "title": spec.title, "publisher": spec.publisher, "published": spec.published,
        "source_url": spec.source_url, "source_text": source_text, "description": spec.description,
        "status_vocabulary": [term.model_dump() for term in spec.status_vocabulary], "data_version": text_hash,
        "version": spec.version, "changes": [change.model_dump(mode="json") for change in spec.changes],
    })

    sections: dict[str, Section] = {}
    for order, section in enumerate(plan_file.sections):
        sections[section.number] = _upsert(result, "sections", Section, {"plan": plan, "number": section.number},
                                           {"title": section.title, "source_heading": section.source_heading,
                                            "order": order})

    seen: set[str] = set()
    for order, rec in enumerate(plan_file.recommendations):
        seen.add(rec.id)
        obj = _upsert(result, "recommendations", Recommendation, {"plan": plan, "slug": rec.id}, {
            "section": sections[rec.section], "title": rec.title, "quote": rec.quote, "kind": rec.kind,
            "modality": rec.modality, "weight": rec.weight, "criteria_title": rec.criteria_title,
            "order": order, "retired": False, "note": rec.note,
        })
        themes = [Theme.objects.get_or_create(slug=slug)[0] for slug in rec.themes]
        if {t.pk for t in obj.themes.all()} != {t.pk for t in themes}:
            obj.themes.set(themes)
            result.count(result.updated, "theme links")
        wanted_schemes = {schemes[s].pk for s in rec.schemes}
        if {s.pk for s in obj.schemes.all()} != wanted_schemes:
            obj.schemes.set(wanted_schemes)
            result.count(result.updated, "scheme links")
        wanted_addressees = {(orgs[a.organisation].pk, a.role) for a in rec.addressees}
        if set(obj.addressees.values_list("organisation_id", "role")) != wanted_addressees:
            obj.addressees.all().delete()
            for org_pk, role in wanted_addressees:
                Addressee.objects.create(recommendation=obj, organisation_id=org_pk, role=role)
            result.count(result.updated, "addressee lists")
        for target in rec.targets:
            _upsert(result, "targets", Target, {"recommendation": obj, "slug": target.id}, {
                "description": target.description, "value": target.value, "unit": target.unit,
                "met_when": target.met_when, "deadline": target.deadline, "baseline": target.baseline,
                "baseline_date": target.baseline_date,
                "geography": target.geography, "indicator_slug": target.indicator or "",
                "method": target.method or "", "direction": target.direction,
                "components": [c.model_dump() for c in target.components],
            })
        wanted_criteria = [c.id for c in rec.criteria]
        for position, criterion in enumerate(rec.criteria):
            _upsert(result, "criteria", Criterion, {"recommendation": obj, "slug": criterion.id},
                    {"text": criterion.text, "order": position})
        stale = obj.criteria.exclude(slug__in=wanted_criteria)
        if stale.exists():
            stale.delete()
            result.count(result.updated, "criteria lists")

    for rec in Recommendation.objects.filter(plan=plan, retired=False).exclude(slug__in=seen):
        rec.retired = True
        rec.save(update_fields=["retired"])
        result.retired.append(rec.slug)

    checks_by_fact: dict[str, list[dict[str, object]]] = {}
    for check in figure_checks_run(plan_file):
        for fact_id in check.facts:
            checks_by_fact.setdefault(fact_id, []).append(check.to_dict())
    for order, fact in enumerate(plan_file.facts):
        fact_obj = _upsert(result, "facts", Fact, {"plan": plan, "slug": fact.id}, {
            "section": sections[fact.section], "statement": fact.statement, "value": fact.value,
            "unit": fact.unit, "qualifier": fact.qualifier, "geography": fact.geography,
            "geography_code": fact.geography_code, "as_of": fact.as_of, "source": fact.source,
            "note": fact.note, "checks": checks_by_fact.get(fact.id, []), "order": order,
        })
        wanted_fact_schemes = {schemes[s].pk for s in fact.schemes}
        if {s.pk for s in fact_obj.schemes.all()} != wanted_fact_schemes:
            fact_obj.schemes.set(wanted_fact_schemes)
            result.count(result.updated, "fact scheme links")

    if result.changed:
        audit_record(actor=actor, action="plan.load", object_type="plan", object_id=spec.id,
                     summary=result.summary(),
                     data={"file": path.name, "data_version": text_hash, "version": spec.version})
    return result


def _scheme_conflicts(plan_file: PlanFile, label: str) -> list[str]:
    """Rule (as for organisations): a scheme another plan named keeps its name and kind."""
    problems = []
    for scheme in plan_file.schemes:
        row = Scheme.objects.filter(slug=scheme.id).first()
        if row is None:
            continue
        for name in ("name", "kind"):
            if getattr(row, name) != getattr(scheme, name):
                problems.append(f"scheme {scheme.id}, field {name}: {label} says {getattr(scheme, name)!r} but "
                                f"the scheme is already recorded as {getattr(row, name)!r}; use the same {name}")
    return problems


@transaction.atomic
def plan_remove(*, slug: str, actor: Any = None) -> str:
    """Remove a plan and everything only it holds; refused while any progress is recorded against it.

    Organisations and schemes stay (other plans and the record may use them); the plan is dropped from
    the sources of the organisation facts it stated.
    """
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise PlanError(slug, [f"no plan {slug!r} is loaded"])
    recorded = plan.recommendations.filter(updates__isnull=False).distinct().count()
    if recorded:
        raise PlanError(slug, [f"{recorded} recommendation(s) of {slug!r} have recorded progress; a plan with "
                               "recorded progress is never removed (revise its file instead)"])
    prefix = f"plan {slug} ("
    for org in Organisation.objects.exclude(facts={}):
        sources = (org.facts or {}).get("sources", {})
        trimmed = {k: [s for s in v if not s.startswith(prefix)] for k, v in sources.items()}
        if trimmed != sources:
            org.facts = {**org.facts, "sources": trimmed}
            org.save(update_fields=["facts"])
    Fact.objects.filter(plan=plan).delete()
    Recommendation.objects.filter(plan=plan).delete()
    plan.delete()
    audit_record(actor=actor, action="plan.remove", object_type="plan", object_id=slug,
                 summary=f"{slug}: removed.", data={})
    return f"{slug}: removed."
