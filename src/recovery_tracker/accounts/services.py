"""Writes shared by every app: the audit trail, memberships, API tokens and demo accounts."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from recovery_tracker.accounts.models import ApiToken, AuditEntry, Membership
from recovery_tracker.catalogue.models import Organisation


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    object_type: str,
    object_id: str,
    summary: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one audit row. Call inside the service's transaction so both land or neither does."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_label=actor_label or (user.get_username() if user else "system"),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        summary=summary,
        data=data or {},
    )


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


DEMO_PASSWORD = "demo-only-password-change-me"  # noqa: S105 - a documented demo credential, demo mode only
DEMO_USERS = (
    # (username, organisation slug, role)
    ("demo-council-member", "birmingham-city-council", Membership.Role.MEMBER),
    ("demo-union-assessor", "midlands-tuc", Membership.Role.MEMBER),
    ("demo-moderator", "recovery-tracker-editorial", Membership.Role.MODERATOR),
)


def demo_users_create(*, echo: Any = print) -> list[tuple[str, str, str]]:
    """Create the demo accounts (demo only: RECOVERY_TRACKER_DEMO_USERS=1) and print their
    credentials. Organisations missing from the loaded plan are skipped. Safe to run again."""
    User = get_user_model()
    created: list[tuple[str, str, str]] = []
    with transaction.atomic():
        for username, org_slug, role in DEMO_USERS:
            organisation = Organisation.objects.filter(slug=org_slug).first()
            if organisation is None:
                continue
            user, new = User.objects.get_or_create(username=username, defaults={"first_name": "Demo"})
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save()
            membership_add(actor=None, user=user, organisation=organisation, role=role)
            created.append((username, organisation.name, role))
    for username, org_name, role in created:
        echo(f"Demo account (demo only): {username} / {DEMO_PASSWORD} – {role} of {org_name}")
    return created
