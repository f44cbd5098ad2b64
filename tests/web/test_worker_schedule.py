"""The worker's schedule: each job enqueued once per period, however many workers tick."""

from __future__ import annotations

from recovery_tracker.commands.worker import SCHEDULE, schedule_due


def test_each_scheduled_job_is_enqueued_once_per_period(db):
    from django_tasks_db.models import DBTaskResult

    now = 1_800_000_000.0
    assert sorted(schedule_due(now=now)) == sorted(job.name for job in SCHEDULE)
    assert schedule_due(now=now + 10) == []  # a second worker ticking in the same period
    assert DBTaskResult.objects.count() == len(SCHEDULE)
    hourly = [job.name for job in SCHEDULE if job.every_seconds == 3600]
    assert schedule_due(now=now + 3600) == hourly


def test_the_hourly_sweep_runs_as_a_task(db, run_tasks, settings, tmp_path):
    import os
    import time

    from recovery_tracker.measures.tasks import upload_folders_sweep_task
    from recovery_tracker.measures.uploads import upload_folder_create

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    old = upload_folder_create()
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    upload_folders_sweep_task.enqueue()
    assert run_tasks() == 1
    assert not os.path.exists(old)
