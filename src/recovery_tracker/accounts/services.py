"""Writes of people's accounts: memberships and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from recovery_tracker.accounts.models import ApiToken, Membership
from recovery_tracker.audit.services import audit_record

if TYPE_CHECKING:  # Membership points at the catalogue's organisations; only the type is needed here.
    from recovery_tracker.catalogue.models import Organisation


def membership_add(*, actor: Any, user: Any, organisation: Organisation,
                   role: str = Membership.Role.MEMBER) -> Membership:
    """Put a person in an organisation (or change their role there)."""
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(user=user, organisation=organisation,
                                                            defaults={"role": role})
        audit_record(actor=actor, action="membership.add", object_type="accounts.membership",
                     object_id=membership.pk, summary=f"{user.get_username()} is {role} of {organisation.slug}",
                     data={"user": user.get_username(), "organisation": organisation.slug, "role": role})
    return membership


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


TOKEN_LIFETIMES_DAYS = (30, 90, 365)


def api_token_create(user: Any, *, name: str = "", scope: str = ApiToken.Scope.READ,
                     days: int = 90) -> str:
    """Make a new API token for ``user`` and return it. Only its hash is kept: show it once.
    Every token has a scope (read, or read and write) and expires after ``days``."""
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"Token scope must be one of {', '.join(ApiToken.Scope.values)}")
    if days not in TOKEN_LIFETIMES_DAYS:
        raise ValueError(f"A token lasts {', '.join(map(str, TOKEN_LIFETIMES_DAYS))} days")
    raw = "rt_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], token_hash=_token_hash(raw),
                                        scope=scope, expires_at=timezone.now() + dt.timedelta(days=days))
        audit_record(actor=user, action="api_token.create", object_type="accounts.apitoken", object_id=token.pk,
                     summary=f"API token {token.prefix}… ({scope}, {days} days) created for {user.get_username()}",
                     data={"scope": scope, "expires_at": token.expires_at.isoformat()})
    return raw


def api_token_user(raw: str, *, scope: str = ApiToken.Scope.READ) -> Any | None:
    """The active user a raw token belongs to, or None: unknown, revoked, expired, an inactive
    user, or a read token where ``scope`` is write. Records when the token was last used."""
    if not raw:
        return None
    token = ApiToken.objects.filter(token_hash=_token_hash(raw.strip()), revoked_at__isnull=True).select_related(
        "user").first()
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires_at is not None and token.expires_at <= now):
        return None
    if scope == ApiToken.Scope.WRITE and token.scope != ApiToken.Scope.WRITE:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="api_token.revoke", object_type="accounts.apitoken", object_id=token.pk,
                     summary=f"API token {token.prefix}… revoked")
