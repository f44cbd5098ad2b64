"""``send-reminders`` and ``send-digests``: the scheduled jobs of the accountability loop.

Run them from cron (or a systemd timer) once a day; each is safe to run again: a reminder is sent
only when due, and a change goes into one digest only.
"""

from __future__ import annotations

import typer
from rich.console import Console

from recovery_tracker.web.bootstrap import django_setup

console = Console(stderr=True)


def send_reminders() -> None:
    """Remind every body whose request for a response is past its deadline (the first the day after,
    then every 14 days, three at most)."""
    django_setup()
    from recovery_tracker.outreach.services import reminders_send

    sent = reminders_send()
    console.print(f"{len(sent)} reminder(s) sent.")


def send_digests() -> None:
    """Email each confirmed follower what was published about their item since their last digest."""
    django_setup()
    from recovery_tracker.outreach.services import digests_send

    console.print(f"{digests_send()} digest(s) sent.")


def register(app: typer.Typer) -> None:
    app.command("send-reminders")(send_reminders)
    app.command("send-digests")(send_digests)
