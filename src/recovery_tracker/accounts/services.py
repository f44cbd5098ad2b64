"""Writes of people's accounts: memberships and API tokens."""

from __future__ import annotations

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


def api_token_create(user: Any, *, name: str = "") -> str:
    """Make a new API token for ``user`` and return it. Only its hash is kept: show it once."""
    raw = "rt_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:10], token_hash=_token_hash(raw))
        audit_record(actor=user, action="api_token.create", object_type="accounts.apitoken", object_id=token.pk,
                     summary=f"API token {token.prefix}… created for {user.get_username()}")
    return raw


def api_token_user(raw: str) -> Any | None:
    """The active user a raw token belongs to, or None (unknown, revoked, or inactive user).
    Records when the token was last used."""
    if not raw:
        return None
    token = ApiToken.objects.filter(token_hash=_token_hash(raw.strip()), revoked_at__isnull=True).select_related(
        "user").first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        audit_record(actor=actor, action="api_token.revoke", object_type="accounts.apitoken", object_id=token.pk,
                     summary=f"API token {token.prefix}… revoked")
