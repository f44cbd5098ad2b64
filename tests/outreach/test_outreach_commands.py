"""The scheduled jobs from the command line: `recovery-tracker send-reminders` and `send-digests`."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from recovery_tracker import cli
from recovery_tracker.outreach import services
from recovery_tracker.outreach.models import Contact, Follow


def test_send_reminders_reminds_overdue_requests(people, rec, smtp_server):
    contact = Contact.objects.create(organisation=people.authority, name="Pat TEST", email="pat@example.test")
    services.response_request_send(actor=people.moderator, recommendation=rec, body=people.authority,
                                   contact=contact, today=dt.date.today() - dt.timedelta(days=40))
    result = CliRunner().invoke(cli.build_app(("outreach",)), ["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) sent." in result.output
    assert smtp_server.wait_for(2)[1]["Subject"].startswith("Reminder: ")
    again = CliRunner().invoke(cli.build_app(("outreach",)), ["send-reminders"])
    assert "0 reminder(s) sent." in again.output


def test_send_digests_sends_what_was_published(people, rec, smtp_server, make_published):
    from django.utils import timezone

    earlier = timezone.now() - dt.timedelta(hours=1)
    Follow.objects.create(email="f@example.test", recommendation=rec, target_key=f"recommendation:{rec.pk}",
                          token="TEST-token", confirmed_at=earlier, digest_from=earlier)
    make_published(title="A TEST change")
    result = CliRunner().invoke(cli.build_app(("outreach",)), ["send-digests"])
    assert result.exit_code == 0, result.output
    assert "1 digest(s) sent." in result.output
    assert "A TEST change" in smtp_server.wait_for(1)[0].get_content()


def test_the_worker_schedules_reminders_and_digests_as_tasks(people, rec, smtp_server, settings):
    from recovery_tracker.commands.worker import SCHEDULE
    from recovery_tracker.outreach.tasks import digests_send_task, reminders_send_task

    scheduled = {job.task for job in SCHEDULE}
    assert {"recovery_tracker.outreach.tasks.reminders_send_task",
            "recovery_tracker.outreach.tasks.digests_send_task"} <= scheduled
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    contact = Contact.objects.create(organisation=people.authority, name="Pat TEST", email="pat@example.test")
    services.response_request_send(actor=people.moderator, recommendation=rec, body=people.authority,
                                   contact=contact, today=dt.date.today() - dt.timedelta(days=30))
    assert reminders_send_task.enqueue().return_value == 1
    assert digests_send_task.enqueue().return_value == 0
    assert len(smtp_server.wait_for(2)) == 2
