"""A saved result as a draft progress update, where the progress app lets the member draft one.

The member's organisation must answer for the recommendation (it, or a predecessor, is addressed
by it): then the result starts a draft of the organisation's own account carrying the aggregate
figures, which the member can edit and submit for moderation like any other update. Where the
organisation is not addressed (an employer running the pay gap check, say), the saved result
stands on its own as evidence on the recommendation and organisation pages.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from recovery_tracker.engine.formatting import day
from recovery_tracker.measures.models import MeasureResult
from recovery_tracker.progress.permissions import bodies_answered_for, can_draft


def narrative_for(result: MeasureResult) -> str:
    lines = [
        f"Result of the **{result.get_kind_display()}** check, saved in Recovery Tracker by "
        f"{result.created_by.get_username()} on {day(timezone.localdate())}.",
        "",
        f"- {result.headline}",
        "",
        "Aggregate figures only: the file checked was deleted when the check ran.",
    ]
    return "\n".join(lines)


def progress_draft_for(actor: Any, result: MeasureResult) -> Any | None:
    """Start a draft self-report update from ``result``; None where the progress app or the rules say no."""
    if result.recommendation is None:
        return None
    try:
        from recovery_tracker.progress import services as progress
        from recovery_tracker.progress.models import Voice
    except ImportError:
        return None
    bodies = bodies_answered_for(result.organisation, result.recommendation)
    if not bodies or not can_draft(actor, result.recommendation, result.organisation, Voice.SELF_REPORT, bodies[0]):
        return None
    data = progress.UpdateData(
        date=timezone.localdate(), body=bodies[0], title=f"{result.title}: {result.headline}"[:300],
        narrative=narrative_for(result),
    )
    try:
        return progress.update_create_draft(actor=actor, recommendation=result.recommendation,
                                            organisation=result.organisation, voice=Voice.SELF_REPORT, data=data)
    except progress.UpdateInvalid:
        return None
