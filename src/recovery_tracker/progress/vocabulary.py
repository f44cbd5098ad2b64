"""The plan's status vocabulary, with the engine's default when a plan does not set its own."""

from __future__ import annotations

from typing import Any

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.engine.plan import DEFAULT_STATUS_VOCABULARY

NOT_ASSESSED = "not_assessed"


def status_vocabulary(plan: Plan) -> list[dict[str, Any]]:
    """Each term as {key, label, progress, description}; progress is None for "not assessed"."""
    if plan.status_vocabulary:
        return list(plan.status_vocabulary)
    return [term.model_dump() for term in DEFAULT_STATUS_VOCABULARY]


def status_keys(plan: Plan) -> list[str]:
    return [term["key"] for term in status_vocabulary(plan)]


def status_term(plan: Plan, key: str) -> dict[str, Any]:
    """The term for ``key``; an empty key means nobody has assessed it."""
    for term in status_vocabulary(plan):
        if term["key"] == (key or NOT_ASSESSED):
            return term
    return {"key": key, "label": key.replace("_", " ").capitalize(), "progress": None, "description": ""}
