"""The plan as one JSON object, or as CSV rows: the same data the API serves."""

from __future__ import annotations

import csv
import io
from typing import Any

from recovery_tracker.catalogue.models import Fact, Organisation, Plan
from recovery_tracker.catalogue.selectors import recommendations_for_plan
from recovery_tracker.engine.safe_text import FORMULA_PREFIXES
from recovery_tracker.engine.safe_text import csv_cell as csv_safe

__all__ = ["FORMULA_PREFIXES", "csv_safe", "csv_write", "plan_export_csv", "plan_export_data"]


def csv_write(rows: list[dict[str, Any]], fieldnames: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: csv_safe(row.get(key)) for key in fieldnames})
    return buffer.getvalue()


def plan_export_data(plan: Plan) -> dict[str, Any]:
    recs = list(recommendations_for_plan(plan).prefetch_related("criteria"))
    org_ids = {a.organisation.pk for rec in recs for a in rec.addressees.all()}
    organisations = Organisation.objects.filter(pk__in=org_ids) | Organisation.objects.filter(
        predecessors__pk__in=org_ids)
    return {
        "plan": {
            "id": plan.slug, "title": plan.title, "publisher": plan.publisher,
            "published": plan.published.isoformat(), "source_url": plan.source_url,
            "description": plan.description, "data_version": plan.data_version,
            "version": plan.version, "changes": plan.changes,
        },
        "sections": [{"number": s.number, "title": s.title} for s in plan.sections.all()],
        "recommendations": [
            {
                "id": rec.slug,
                "section": rec.section.number,
                "title": rec.title,
                "quote": rec.quote,
                "kind": rec.kind,
                "modality": rec.modality,
                "note": rec.note,
                "themes": [t.slug for t in rec.themes.all()],
                "addressees": [{"organisation": a.organisation.slug, "role": a.role} for a in rec.addressees.all()],
                "targets": [
                    {"id": t.slug, "description": t.description, "value": t.value, "unit": t.unit,
                     "deadline": t.deadline.isoformat() if t.deadline else None, "components": t.components,
                     "met_when": t.met_when}
                    for t in rec.targets.all()
                ],
                "criteria": [{"id": c.slug, "text": c.text} for c in rec.criteria.all()],
            }
            for rec in recs
        ],
        "facts": [
            {"id": f.slug, "section": f.section.number, "statement": f.statement, "value": f.value,
             "unit": f.unit, "geography": f.geography, "geography_code": f.geography_code, "as_of": f.as_of,
             "checks": f.checks}
            for f in Fact.objects.filter(plan=plan).select_related("section")
        ],
        "organisations": [
            {"id": o.slug, "name": o.name, "kind": o.kind,
             "successor": o.successor.slug if o.successor else None,
             "ended": o.ended.isoformat() if o.ended else None}
            for o in organisations.distinct().select_related("successor").order_by("name")
        ],
    }


RECOMMENDATION_CSV_FIELDS = ["id", "section", "title", "kind", "modality", "themes", "addressees", "quote"]


def plan_export_csv(plan: Plan) -> str:
    data = plan_export_data(plan)
    rows = [
        {**rec, "themes": ";".join(rec["themes"]),
         "addressees": ";".join(f"{a['organisation']}:{a['role']}" for a in rec["addressees"])}
        for rec in data["recommendations"]
    ]
    return csv_write(rows, RECOMMENDATION_CSV_FIELDS)
