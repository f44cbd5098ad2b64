"""Writes to the catalogue: loading a plan file."""

from __future__ import annotations

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
from recovery_tracker.engine.plan import PlanFile, plan_read

__all__ = ["PlanLoadResult", "figure_checks_run", "plan_load", "shipped_plan_paths"]


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


def _replace_states(result: PlanLoadResult, owner_field: str, owner: models.Model,
                    model: type[models.Model], states: tuple) -> None:
    wanted = [
        {"date": s.date, "state": s.state, "note": s.note, "source_title": s.source_title, "source_url": s.source_url}
        for s in states
    ]
    existing = list(model.objects.filter(**{owner_field: owner}).values(
        "date", "state", "note", "source_title", "source_url"))
    if existing != wanted:
        model.objects.filter(**{owner_field: owner}).delete()
        for state in wanted:
            model.objects.create(**{owner_field: owner}, **state)
        result.count(result.updated, "dated states")


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

    Everything is validated before anything is written, and the whole load is one transaction.
    """
    path = Path(path)
    plan_file = plan_read(path)
    text_hash = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    source_text = ""
    if plan_file.plan.source_text:
        source_text = (path.parent / plan_file.plan.source_text).read_text(encoding="utf-8")
    spec = plan_file.plan
    result = PlanLoadResult(plan=spec.id)

    orgs: dict[str, Organisation] = {}
    for org in plan_file.organisations:
        orgs[org.id] = _upsert(result, "organisations", Organisation, {"slug": org.id}, {
            "name": org.name, "short_name": org.short_name, "kind": org.kind,
            "independent_assessor": org.independent_assessor, "url": org.url, "ended": org.ended,
        })
    for org in plan_file.organisations:
        successor = orgs[org.successor] if org.successor else None
        if orgs[org.id].successor_id != (successor.pk if successor else None):
            orgs[org.id].successor = successor
            orgs[org.id].save(update_fields=["successor"])
        _replace_states(result, "organisation", orgs[org.id], OrganisationState, org.states)
        wanted_members = {orgs[member].pk for member in org.members}
        if set(orgs[org.id].members.values_list("pk", flat=True)) != wanted_members:
            orgs[org.id].members.set(wanted_members)
            result.count(result.updated, "group member lists")

    schemes: dict[str, Scheme] = {}
    for scheme in plan_file.schemes:
        schemes[scheme.id] = _upsert(result, "schemes", Scheme, {"slug": scheme.id},
                                     {"name": scheme.name, "kind": scheme.kind})
        _replace_states(result, "scheme", schemes[scheme.id], SchemeState, scheme.states)

    plan = _upsert(result, "plans", Plan, {"slug": spec.id}, {
        "title": spec.title, "publisher": spec.publisher, "published": spec.published,
        "source_url": spec.source_url, "source_text": source_text, "description": spec.description,
        "status_vocabulary": [term.model_dump() for term in spec.status_vocabulary], "data_version": text_hash,
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
            "order": order, "retired": False,
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
                "deadline": target.deadline, "baseline": target.baseline, "baseline_date": target.baseline_date,
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
        _upsert(result, "facts", Fact, {"plan": plan, "slug": fact.id}, {
            "section": sections[fact.section], "statement": fact.statement, "value": fact.value,
            "unit": fact.unit, "qualifier": fact.qualifier, "geography": fact.geography,
            "geography_code": fact.geography_code, "as_of": fact.as_of, "source": fact.source,
            "note": fact.note, "checks": checks_by_fact.get(fact.id, []), "order": order,
        })

    if result.changed:
        audit_record(actor=actor, action="plan.load", object_type="plan", object_id=spec.id,
                     summary=result.summary(), data={"file": path.name, "data_version": text_hash})
    return result
