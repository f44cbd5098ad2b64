"""The task worker: runs queued tasks (reports, imports, emails) and enqueues the scheduled ones.

``serve`` and ``demo`` start one beside gunicorn and stop it with gunicorn. With RQ
(``RECOVERY_TRACKER_QUEUE_URL``) run as many ``recovery-tracker worker`` processes as the heavy
work needs, on any machine that reaches Redis and the database. See docs/tasks.md.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import typer
from rich.console import Console

from recovery_tracker.web.bootstrap import django_setup

console = Console(stderr=True)
logger = logging.getLogger("recovery_tracker.worker")


@dataclass(frozen=True)
class ScheduledJob:
    """A task enqueued every ``every_seconds`` (at most once per period across all workers)."""

    name: str
    task: str  # dotted path of a task with no arguments
    every_seconds: int


# Every scheduled job, in one list (reminders, digests and statistics refreshes join it here).
SCHEDULE: list[ScheduledJob] = [
    ScheduledJob("sweep abandoned upload folders", "recovery_tracker.measures.tasks.upload_folders_sweep_task", 3600),
    ScheduledJob("remind bodies of overdue requests", "recovery_tracker.outreach.tasks.reminders_send_task", 86400),
    ScheduledJob("send followers their digests", "recovery_tracker.outreach.tasks.digests_send_task", 86400),
]

SCHEDULER_TICK_SECONDS = 30


def schedule_due(*, now: float | None = None) -> list[str]:
    """Enqueue every scheduled job whose period has started; returns the names enqueued.

    The shared cache holds one key per job and period, so several workers enqueue each job once.
    """
    from django.core.cache import cache
    from django.utils.module_loading import import_string

    now = time.time() if now is None else now
    enqueued = []
    for job in SCHEDULE:
        period = int(now // job.every_seconds)
        if cache.add(f"schedule:{job.task}:{period}", 1, job.every_seconds):
            import_string(job.task).enqueue()
            enqueued.append(job.name)
    return enqueued


def _scheduler_loop(stop: threading.Event) -> None:
    from django.db import close_old_connections

    while not stop.is_set():
        try:
            schedule_due()
        except Exception:  # noqa: BLE001 - a failing tick must not stop the next one; it is logged
            logger.exception("Scheduling failed; trying again in %s s", SCHEDULER_TICK_SECONDS)
        finally:
            close_old_connections()
        stop.wait(SCHEDULER_TICK_SECONDS)


def worker(
    schedule: bool = typer.Option(True, help="Also enqueue the scheduled jobs (sweeps, reminders, digests)."),
    burst: bool = typer.Option(False, help="Run what is queued now, then stop (for scripts and tests)."),
) -> None:
    """Run queued tasks: the database queue by default, RQ when RECOVERY_TRACKER_QUEUE_URL is set."""
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from recovery_tracker.measures.uploads import upload_folders_sweep

    # Folders left by a worker that died mid-upload go at start-up, before anything else runs.
    removed = upload_folders_sweep()
    if removed:
        console.print(f"Removed {removed} abandoned upload folder(s).")
    stop = threading.Event()
    if schedule:
        threading.Thread(target=_scheduler_loop, args=(stop,), name="scheduler", daemon=True).start()
    queues = settings.TASK_QUEUES
    try:
        if settings.QUEUE_URL:
            call_command("rqworker", *queues, job_class="django_tasks_rq.Job", burst=burst, with_scheduler=not burst)
        else:
            call_command("db_worker", queue_name=",".join(queues), batch=burst, reload=False, interval=1,
                         startup_delay=False, verbosity=0 if burst else 1)
    finally:
        stop.set()


def register(app: typer.Typer) -> None:
    app.command()(worker)
