"""Signing in (password, then a TOTP code for moderators and staff), password change and reset,
one's own sessions and API tokens.

Every sign-in form (the site's, the admin's, the code) is throttled per account and per address in
the shared cache (``throttle``); sign-ins, failures and lockouts go to the audit trail.
"""

from __future__ import annotations

import time
from base64 import b32encode
from io import BytesIO
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery_tracker.accounts import throttle
from recovery_tracker.accounts.models import ApiToken
from recovery_tracker.accounts.permissions import requires_second_factor
from recovery_tracker.accounts.services import TOKEN_LIFETIMES_DAYS, api_token_create, api_token_revoke
from recovery_tracker.accounts.signals import client_address
from recovery_tracker.audit.services import audit_record

PENDING = "second_factor_pending"
PENDING_SECONDS = 10 * 60


def _lockout_audit(request: HttpRequest, username: str, scope: str) -> None:
    address = client_address(request)
    audit_record(actor=None, actor_label=username or "unknown", action="auth.lockout", object_type="auth.user",
                 object_id=username, summary=f"Sign-in locked ({scope}) for {username!r} / {address}",
                 data={"username": username, "address": address, "scope": scope})


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, refused while the account or the address is locked."""

    # Plain words (issue 13): Django's defaults speak of "a correct username" and "staff accounts".
    error_messages = {
        "invalid_login": "The username or password is not right. Check both (capital letters count) and try again.",
        "inactive": "This account is switched off. Ask an administrator to switch it back on.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        locked = throttle.blocked(username=username, address=address)
        if locked:
            raise ValidationError(locked, code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            if throttle.failed(username=username, address=address):
                _lockout_audit(self.request, username, "password")
            raise
        throttle.succeeded(username=username)
        return cleaned


class LoginView(auth_views.LoginView):
    """The site's and the admin's sign-in. People who need a second factor are not signed in yet:
    they go on to the code page."""

    form_class = ThrottledAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not requires_second_factor(user):
            return super().form_valid(form)
        self.request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": time.time(),
                                         "next": self.get_success_url()}
        return redirect("second-factor")


def _pending_user(request: HttpRequest) -> tuple[Any, dict[str, Any]] | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user else None


def _qr_svg(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode("utf-8").split("?>", 1)[-1]


def second_factor(request: HttpRequest) -> HttpResponse:
    """The code from an authenticator app; the first time, set one up (QR code or the secret)."""
    found = _pending_user(request)
    if found is None:
        messages.error(request, "Sign in with your username and password first (the code page lasts 10 minutes).")
        return redirect("login")
    user, pending = found
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=False)
    error = ""
    if request.method == "POST":
        username, address = user.get_username(), client_address(request)
        error = throttle.blocked(username=username, address=address, scope="otp")
        token = "".join(ch for ch in request.POST.get("code", "") if ch.isdigit())
        if not error and len(token) == 6 and device.verify_token(token):
            throttle.succeeded(username=username, scope="otp")
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit_record(actor=user, action="auth.second_factor_enrolled", object_type="auth.user",
                             object_id=str(user.pk), summary=f"{username} set up an authenticator app")
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            otp_login(request, device)
            return redirect(pending["next"] if url_has_allowed_host_and_scheme(
                pending["next"], allowed_hosts={request.get_host()}) else settings.LOGIN_REDIRECT_URL)
        if not error:
            error = "Enter the 6-digit code shown in your authenticator app now"
            audit_record(actor=None, actor_label=username, action="auth.sign_in_failed", object_type="auth.user",
                         object_id=username, summary=f"Wrong second-factor code for {username!r} from {address}",
                         data={"username": username, "address": address, "step": "second factor"})
            if throttle.failed(username=username, address=address, scope="otp"):
                _lockout_audit(request, username, "second factor")
    context: dict[str, Any] = {"enrolling": enrolling, "error": error}
    if enrolling:
        context["secret"] = b32encode(device.bin_key).decode().rstrip("=")
        context["qr_svg"] = _qr_svg(device.config_url)
    return render(request, "accounts/second_factor.html", context, status=400 if error else 200)


# ── password reset by email, through the task queue ──────────────────────────────────────────


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the email is rendered here and sent by the task worker."""

    def send_mail(self, subject_template_name: str, email_template_name: str, context: dict[str, Any],
                  from_email: str | None, to_email: str, html_email_template_name: str | None = None) -> None:
        from recovery_tracker.accounts.tasks import email_send_task

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_send_task.enqueue(subject=subject, body=body, to=[to_email], from_email=from_email)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.user, action="auth.password_reset", object_type="auth.user",
                     object_id=str(form.user.pk), summary=f"{form.user.get_username()} reset their password by email")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="auth.password_change", object_type="auth.user",
                     object_id=str(self.request.user.pk),
                     summary=f"{self.request.user.get_username()} changed their password")
        return response


# ── one's own sessions ───────────────────────────────────────────────────────────────────────


def _own_sessions(request: HttpRequest) -> list[dict[str, Any]]:
    """Every unexpired session signed in as this user (the database session store is read whole:
    fine for a tracker's few hundred sessions)."""
    own = []
    user_pk = str(request.user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).order_by("-expire_date"):
        data = session.get_decoded()
        if data.get("_auth_user_id") != user_pk:
            continue
        seen = session.expire_date - timezone.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        origin = data.get("signed_in_from", {})
        own.append({"key": session.session_key, "current": session.session_key == request.session.session_key,
                    "last_seen": seen, "address": origin.get("address", "unknown"),
                    "agent": origin.get("agent", "")})
    return own


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Where you are signed in; end any of those sessions (ending this one signs you out)."""
    own = _own_sessions(request)
    if request.method == "POST":
        key = request.POST.get("end", "")
        chosen = next((s for s in own if s["key"] == key), None)
        if chosen is None:
            messages.error(request, "That session has already ended.")
            return redirect("sessions")
        audit_record(actor=request.user, action="auth.session_end", object_type="auth.user",
                     object_id=str(request.user.pk), summary=f"Ended a session last seen from {chosen['address']}")
        if chosen["current"]:
            logout(request)
            return redirect("login")
        Session.objects.filter(session_key=key).delete()
        messages.success(request, "Session ended.")
        return redirect("sessions")
    return render(request, "accounts/sessions.html", {"sessions": own,
                                                      "idle_minutes": settings.SESSION_COOKIE_AGE // 60})


# ── API tokens ────────────────────────────────────────────────────────────────────────────────


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens; create one (shown once) with a scope and a lifetime, or revoke one."""
    new_token = ""
    if request.method == "POST":
        if request.POST.get("revoke"):
            if not request.POST["revoke"].isdigit():
                return HttpResponseBadRequest("revoke must be the number of one of your tokens.",
                                              content_type="text/plain; charset=utf-8")
            token = get_object_or_404(ApiToken, pk=request.POST["revoke"], user=request.user)
            api_token_revoke(actor=request.user, token=token)
            messages.success(request, f"Token {token.prefix}… revoked.")
            return redirect("api-tokens")
        scope = request.POST.get("scope", ApiToken.Scope.READ)
        days = request.POST.get("days", "90")
        if scope not in ApiToken.Scope.values or not days.isdigit() or int(days) not in TOKEN_LIFETIMES_DAYS:
            messages.error(request, "Choose what the token may do and how long it lasts.")
            return redirect("api-tokens")
        new_token = api_token_create(request.user, name=request.POST.get("name", "")[:100], scope=scope,
                                     days=int(days))
    return render(request, "accounts/api_tokens.html", {
        "tokens": ApiToken.objects.filter(user=request.user), "new_token": new_token, "now": timezone.now(),
        "lifetimes": TOKEN_LIFETIMES_DAYS, "scopes": ApiToken.Scope.choices,
    })

