"""Sign-in with rate limiting. The page is Django's LoginView with a form that counts failures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render

from recovery_tracker.accounts import throttle
from recovery_tracker.accounts.models import ApiToken
from recovery_tracker.accounts.services import api_token_create, api_token_revoke

LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this username. Wait 15 minutes and try again, "
    "or ask an administrator to reset your password."
)


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


class RateLimitedAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else "unknown"
        if throttle.login_blocked(username, address):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.login_failed(username, address)
            raise
        throttle.login_succeeded(username, address)
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = RateLimitedAuthenticationForm


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the user's API tokens; create one (shown once) or revoke one."""
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
        new_token = api_token_create(request.user, name=request.POST.get("name", "")[:100])
    return render(request, "accounts/api_tokens.html", {
        "tokens": ApiToken.objects.filter(user=request.user), "new_token": new_token,
    })
