"""Sign-in events in the audit trail: every sign-in, every failure (with the address), sign-outs.
Lockouts are recorded by the sign-in forms when a failure locks an account or an address."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from recovery_tracker.audit.services import audit_record


def client_address(request: HttpRequest | None) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    if request is None:
        return "unknown"
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@receiver(user_logged_in, dispatch_uid="audit-sign-in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    address = client_address(request)
    if request is not None and hasattr(request, "session"):
        # Shown on the sessions page, so people can tell their sessions apart.
        request.session["signed_in_from"] = {"address": address,
                                             "agent": request.META.get("HTTP_USER_AGENT", "")[:200]}
    audit_record(actor=user, action="auth.sign_in", object_type="auth.user", object_id=str(user.pk),
                 summary=f"{user.get_username()} signed in from {address}", data={"address": address})


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def _sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                    **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    address = client_address(request)
    audit_record(actor=None, actor_label=username or "unknown", action="auth.sign_in_failed",
                 object_type="auth.user", object_id=username, summary=f"Failed sign-in as {username!r} from {address}",
                 data={"username": username, "address": address})


@receiver(user_logged_out, dispatch_uid="audit-sign-out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="auth.sign_out", object_type="auth.user", object_id=str(user.pk),
                     summary=f"{user.get_username()} signed out")
