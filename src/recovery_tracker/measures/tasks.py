"""Tasks of the measures app (see docs/tasks.md for the convention)."""

from __future__ import annotations

from django_tasks import task

from recovery_tracker.measures.uploads import upload_folders_sweep


@task()
def upload_folders_sweep_task() -> int:
    """Scheduled hourly: remove upload folders that a killed worker left behind."""
    return upload_folders_sweep()
