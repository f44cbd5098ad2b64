"""Tasks of the outreach app (see docs/tasks.md): the daily reminders and digests.

The worker enqueues them from ``commands.worker.SCHEDULE``; ``recovery-tracker send-reminders``
and ``send-digests`` run the same services straight away (for cron, or by hand). One-off messages
that confirm something the user just did (a request sent, a follow asked for) are sent during the
request instead, so that a mail server refusing them is reported and nothing is recorded.
"""

from __future__ import annotations

from django_tasks import task

from recovery_tracker.outreach.models import CommunityReport
from recovery_tracker.outreach.services import digests_send, reminders_send, report_route


@task()
def reminders_send_task() -> int:
    """Scheduled daily: remind bodies whose requests for a response are overdue."""
    return len(reminders_send())


@task()
def digests_send_task() -> int:
    """Scheduled daily: email followers what was published about their items."""
    return digests_send()


@task()
def report_route_task(*, report_id: int) -> int:
    """After a community report about a body is published: tell the body's contacts."""
    return report_route(report=CommunityReport.objects.select_related("organisation").get(pk=report_id))
