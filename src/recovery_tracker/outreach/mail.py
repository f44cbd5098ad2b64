"""Sending email, always through Django's email framework (SMTP in production, files in the demo)."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

LOCAL_SITE_URL = "http://127.0.0.1:8000"


class MailNotSent(Exception):
    """The mail server did not take the message; the text says so in words a user can act on."""


def absolute_url(path: str) -> str:
    """A link for an email: the site's public address (``RECOVERY_TRACKER_SITE_URL``) and ``path``.

    Emails are often sent by scheduled jobs, with no request to take the address from, so the demo
    and tests fall back to the local address the demo serves."""
    return (settings.SITE_URL or LOCAL_SITE_URL).rstrip("/") + path


def message_send(*, to: str, subject: str, template: str, context: dict[str, Any],
                 unsubscribe_url: str = "") -> None:
    """Render a plain-text template and send it to one address. Raises on failure (callers send
    inside their transaction, so a message that cannot be sent leaves nothing recorded).

    With ``unsubscribe_url``, the message carries List-Unsubscribe and List-Unsubscribe-Post
    (RFC 8058), so mail programs offer a one-click unsubscribe button.
    """
    body = render_to_string(template, {**context, "unsubscribe_url": unsubscribe_url,
                                       "site_name": settings.RECOVERY_TRACKER["SITE_NAME"]})
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Subjects may quote user text: never let a line break start a new header.
    subject = " ".join(subject.split())
    try:
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers).send(fail_silently=False)
    except (OSError, smtplib.SMTPException) as error:
        raise MailNotSent(f"The email could not be sent ({error.__class__.__name__}: {error}); nothing was "
                          "recorded. Try again later, or ask the operator to check the mail settings.") from error
