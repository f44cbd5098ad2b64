"""People: their places in organisations and their API tokens. (The audit trail is the ``audit`` app.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Membership(models.Model):
    """A person's place in an organisation, which decides what they may draft.

    - member: drafts updates for recommendations addressed to the organisation or any body whose
      responsibilities passed to it; if the organisation is an independent assessor, drafts
      assessments of any recommendation.
    - moderator: in the tracker's editorial organisation, publishes or returns other people's
      submitted updates and check results (site-wide); in any other organisation, only its own
      organisation's, and only when organisation moderation is configured.
    - admin: manages the organisation's people. It is NOT a moderator: an organisation admin
      cannot publish anything, its own organisation's updates included.
    """

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MODERATOR = "moderator", "Moderator"
        ADMIN = "admin", "Administrator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "catalogue.Organisation", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"


class ApiToken(models.Model):
    """A bearer token for the API. Only a SHA-256 hash is stored: the raw token is shown once.

    The tokens are 256-bit random strings, so a fast hash is enough (no guessing to slow down).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    token_hash = models.CharField(max_length=64, unique=True)
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ,
                             help_text="A read token is refused by every write endpoint.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Refused after this time.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
