"""Open data: every published update as CSV rows or one JSON document.

Corrected versions are exported too, with ``corrects`` and ``corrected_by``, so the history is
complete; ``in_force`` says whether the version still counts. CSV cells go through ``csv_safe``
so a narrative beginning with "=" cannot run as a spreadsheet formula.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import NoReverseMatch
from django.utils import timezone

from recovery_tracker.catalogue.exports import csv_write
from recovery_tracker.catalogue.models import Plan
from recovery_tracker.engine.rollup import RULE_TEXT
from recovery_tracker.engine.safe_text import markdown_to_html
from recovery_tracker.progress.models import State, Update
from recovery_tracker.progress.vocabulary import status_term

__all__ = ["UPDATE_FIELDS", "published_export_csv", "published_export_data", "published_updates", "update_row",
           "update_url"]

UPDATE_FIELDS = [
    "id", "plan", "recommendation", "section", "organisation", "body", "voice", "date", "date_precision", "title",
    "status", "status_label", "progress", "response", "response_url", "response_reason", "target_date",
    "target_date_reason", "narrative", "links", "documents", "author", "published_at", "corrects", "corrected_by",
    "in_force", "source", "url",
]


def update_url(update: Update) -> str:
    """The update's public page, or its recommendation's page while no update page exists."""
    try:
        return update.get_absolute_url()
    except NoReverseMatch:
        return update.recommendation.get_absolute_url() + f"#update-{update.pk}"


def published_updates(plan: Plan | None = None) -> list[Update]:
    """Every published update (all versions), oldest first, for one plan or all."""
    queryset = Update.objects.filter(state=State.PUBLISHED).select_related(
        "recommendation__plan", "recommendation__section", "organisation", "body", "author",
    ).prefetch_related("links", "documents", "corrections").order_by("date", "published_at", "id")
    if plan is not None:
        queryset = queryset.filter(recommendation__plan=plan)
    return list(queryset)


def _document_url(document: Any) -> str:
    try:
        return document.get_absolute_url()
    except NoReverseMatch:
        return ""


def update_row(update: Update) -> dict[str, Any]:
    """One update as a flat JSON-ready record (lists kept as lists)."""
    corrected_by = [c.pk for c in update.corrections.all() if c.state == State.PUBLISHED]
    return {
        "id": update.pk,
        "plan": update.recommendation.plan.slug,
        "recommendation": update.recommendation.slug,
        "section": update.recommendation.section.number,
        "organisation": update.organisation.slug,
        "body": update.body.slug if update.body else None,
        "voice": update.voice,
        "date": update.date.isoformat(),
        "date_precision": update.date_precision,
        "title": update.title,
        "status": update.status or None,
        "status_label": status_term(update.recommendation.plan, update.status)["label"] if update.status else None,
        "progress": update.progress,
        "response": update.response or None,
        "response_url": update.response_url,
        "response_reason": update.response_reason,
        "target_date": update.target_date.isoformat() if update.target_date else None,
        "target_date_reason": update.target_date_reason,
        "narrative": update.narrative,
        # The narrative as the site shows it, through the one sanitiser: safe to put in a page.
        "narrative_html": markdown_to_html(update.narrative),
        "links": [{"url": link.url, "title": link.title} for link in update.links.all()],
        "documents": [{"name": d.original_name, "type": d.content_type, "size": d.size, "sha256": d.sha256,
                       "url": _document_url(d)} for d in update.documents.all()],
        "author": update.author_name,
        "published_at": update.published_at.isoformat() if update.published_at else None,
        "corrects": update.corrects_id,
        "corrected_by": corrected_by,
        "in_force": not corrected_by,
        "source": update.source,
        "url": update_url(update),
    }


def published_export_data(plan: Plan | None = None) -> dict[str, Any]:
    """Every published update, with the roll-up of each plan and the rule that computed it."""
    from recovery_tracker.progress.rollup_data import plan_progress

    plans = [plan] if plan is not None else list(Plan.objects.all())
    return {
        "generated_at": timezone.now().isoformat(),
        "as_at": dt.date.today().isoformat(),
        "rollup_rule": RULE_TEXT,
        "plans": [{"id": p.slug, "title": p.title, "progress": plan_progress(p).plan.to_dict()} for p in plans],
        "updates": [update_row(u) for u in published_updates(plan)],
    }


def published_export_csv(plan: Plan | None = None) -> str:
    """One CSV row per published update; links as "title | url" joined by " ; ", formula-safe."""
    rows = []
    for update in published_updates(plan):
        row = update_row(update)
        row["links"] = " ; ".join(f"{link['title']} | {link['url']}" if link["title"] else link["url"]
                                  for link in row["links"])
        row["documents"] = " ; ".join(d["url"] or d["name"] for d in row["documents"])
        row["corrected_by"] = ";".join(str(pk) for pk in row["corrected_by"])
        rows.append(row)
    return csv_write(rows, UPDATE_FIELDS)
