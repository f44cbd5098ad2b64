"""Loading the shipped baseline statistics: called by ``recovery-tracker setup``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from recovery_tracker.indicators.services import (
    ImportResult,
    InputFile,
    facts_link,
    observations_import,
    targets_sync,
)

__all__ = ["load_shipped", "shipped_metadata_path", "shipped_statistics_paths", "statistics_load_shipped"]


def _folder() -> Path:
    return Path(str(resources.files("recovery_tracker") / "data" / "statistics"))


def shipped_statistics_paths() -> list[Path]:
    return sorted(_folder().glob("*.csv"))


def shipped_metadata_path() -> Path:
    return _folder() / "indicators.yaml"


def statistics_load_shipped(*, actor: Any = None) -> tuple[ImportResult, list[str]]:
    """Import the shipped statistics, then make targets and link stated figures for every plan.

    Safe to run again: unchanged figures are left alone. Returns the import result and one
    summary line per plan.
    """
    from recovery_tracker.catalogue.models import Plan

    result = observations_import(
        files=[InputFile.from_path(p) for p in shipped_statistics_paths()],
        metadata_files=[InputFile.from_path(shipped_metadata_path())],
        actor=actor,
    )
    lines = []
    for plan in Plan.objects.all():
        targets = targets_sync(plan=plan, actor=actor)
        linked = facts_link(plan=plan, actor=actor)
        lines.append(f"{plan.slug}: {targets.summary()} {linked} stated figures linked.")
    return result, lines


def load_shipped(console: Any) -> None:
    result, lines = statistics_load_shipped()
    console.print(f"Statistics: {result.summary()}")
    for line in lines:
        console.print(line)
