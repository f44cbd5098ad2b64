"""Tasks of the progress app (see docs/tasks.md): long CSV imports run in the worker."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django_tasks import task

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.progress.imports import ImportRejected, updates_import_text


@task()
def updates_import_task(*, actor_id: int, text: str, plan_slug: str | None, filename: str) -> dict[str, Any]:
    """Import a large CSV of updates (all or nothing); the outcome is the task's result, for the status page."""
    actor = get_user_model().objects.get(pk=actor_id)
    plan = Plan.objects.filter(slug=plan_slug).first() if plan_slug else None
    try:
        result = updates_import_text(actor=actor, text=text, plan=plan, filename=filename)
    except ImportRejected as rejected:
        return {"ok": False, "actor_id": actor_id, "filename": filename,
                "errors": [[error.row, error.column, error.message] for error in rejected.problems]}
    return {"ok": True, "actor_id": actor_id, "filename": filename, "summary": result.summary()}
