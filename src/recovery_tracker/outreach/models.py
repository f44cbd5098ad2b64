"""The accountability loop around progress: asking bodies for a response and chasing them,
people following items by email, and community and workforce reports.

Personal data here (contacts' and followers' addresses, reporters' names and addresses, the
original text of a report) is never shown publicly: pages show only what the models' ``public_*``
properties and the selectors return.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation


class Contact(models.Model):
    """A named person a body has given (or the editors found) to answer requests. Entered by moderators."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="outreach_contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    job_title = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["organisation__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation.label})"


class ResponseRequest(models.Model):
    """A request to a body for its response to one recommendation, with its deadline and reminders.

    Answered once a reply has arrived through the emailed link (``reply``); the reply is an update in
    the body's own voice and goes through moderation like any other.
    """

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="response_requests")
    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="response_requests")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="requests")
    message = models.TextField(blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_on = models.DateField()
    asked_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateField()
    reply = models.OneToOneField("progress.Update", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="answers_request")
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_on", "-id"]
        indexes = [models.Index(fields=["body", "recommendation"])]

    def __str__(self) -> str:
        return f"{self.body.label} on {self.recommendation.slug}, asked {self.asked_on}"

    def get_absolute_url(self) -> str:
        return self.recommendation.get_absolute_url() + "#requests"


class Reminder(models.Model):
    request = models.ForeignKey(ResponseRequest, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    # Empty when the scheduled job sent it.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        ordering = ["sent_on", "id"]

    def __str__(self) -> str:
        return f"Reminder {self.sent_on} for request {self.request_id}"


class ReplyLink(models.Model):
    """One emailed reply link. The link carries a signed random token; only its hash is stored, and
    ``used_at`` makes it single-use."""

    request = models.ForeignKey(ResponseRequest, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Reply link for request {self.request_id}"


class Follow(models.Model):
    """An email address following one plan, recommendation or organisation. Confirmed by a link
    (double opt-in) before anything else is sent; every message carries a one-click unsubscribe."""

    email = models.EmailField(max_length=254)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    recommendation = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="+")
    # "plan:3", "recommendation:12": one follow per address and item.
    target_key = models.CharField(max_length=60)
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Published changes after this moment go into the next digest.
    digest_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "target_key"], name="follow_unique_address_item")]

    def __str__(self) -> str:
        return f"Follow {self.target_key}"

    @property
    def target(self) -> Plan | Recommendation | Organisation | None:
        return self.plan or self.recommendation or self.organisation

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Not published"


def _report_path(instance: CommunityReport, filename: str) -> str:
    return f"reports/{filename}"


class CommunityReport(models.Model):
    """What a member of the public or a worker has seen, about a recommendation and/or a body.

    ``text``, ``link`` and the file are the original, kept for moderators only. The public sees
    ``public_text`` and ``public_link`` (the moderator's redaction, which may equal the original)
    and the file only if ``publish_file``; the reporter's name only if ``show_name``.
    """

    recommendation = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="community_reports")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="community_reports")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    show_name = models.BooleanField(default=False)
    text = models.TextField()
    link = models.URLField(max_length=500, blank=True)
    file = models.FileField(upload_to=_report_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.SUBMITTED,
                             db_index=True)
    public_text = models.TextField(blank=True)
    public_link = models.URLField(max_length=500, blank=True)
    publish_file = models.BooleanField(default=False)
    moderation_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Community report {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("outreach-report", args=[self.pk])

    @property
    def public_name(self) -> str:
        return self.name if self.show_name else "Name withheld at the reporter's request"

    @property
    def redacted(self) -> bool:
        return self.public_text != self.text or self.public_link != self.link


class ReportReply(models.Model):
    """The body's own reply to a published report; moderated before it is shown."""

    report = models.ForeignKey(CommunityReport, on_delete=models.CASCADE, related_name="replies")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Reply by {self.organisation.label} to report {self.report_id}"
