"""Summary numbers of saved checks as indicator observations (filled in below once wired)."""

from __future__ import annotations

from recovery_tracker.measures.models import MeasureResult


def record_for(result: MeasureResult) -> int:
    return 0
