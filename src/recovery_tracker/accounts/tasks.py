"""Tasks of the accounts app: emails leave through the task queue, never inside a request."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def email_send_task(*, subject: str, body: str, to: list[str], from_email: str | None = None,
                    html: str = "") -> int:
    """Send one email through Django's email framework (the backend the settings choose)."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
