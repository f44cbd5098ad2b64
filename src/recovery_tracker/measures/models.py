"""Saved check results: the aggregate figures of a check, held as evidence for an organisation.

Never the input rows: a payroll, a placements file or a contracts register is read, checked and
deleted; only the summary a person chose to save is kept, with who saved it and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MeasureKind(models.TextChoices):
    PAYGAP = "paygap", "Pay gaps"
    JOB_GUARANTEE = "job_guarantee", "Job guarantee placements"
    PROCUREMENT = "procurement", "Fair-work procurement"
    PUBLIC_INTEREST = "public_interest", "Public interest test"
    EMPLOYERS = "employers", "Employer commitments"


class ResultState(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    RETURNED = "returned", "Not published"


class MeasureResult(models.Model):
    """A saved result is bound to the person and organisation that made it (``created_by``,
    ``organisation``) and is public, as evidence and as an indicator figure, only once a
    moderator other than that person has published it."""

    kind = models.CharField(max_length=30, choices=MeasureKind.choices)
    organisation = models.ForeignKey(
        "catalogue.Organisation", on_delete=models.PROTECT, related_name="measure_results"
    )
    # The recommendation the check serves (None when no plan holding it is loaded).
    recommendation = models.ForeignKey(
        "catalogue.Recommendation", null=True, blank=True, on_delete=models.PROTECT, related_name="measure_results"
    )
    title = models.CharField(max_length=300)
    headline = models.CharField(max_length=300, blank=True, help_text="One line: the summary in words.")
    summary = models.JSONField(default=dict)
    # The draft update of the organisation's own account this result started, if any (progress app).
    progress_update = models.ForeignKey(
        "progress.Update", null=True, blank=True, on_delete=models.SET_NULL, related_name="measure_results"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(max_length=20, choices=ResultState.choices, default=ResultState.SUBMITTED,
                             db_index=True)
    lock_version = models.PositiveIntegerField(default=1)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title} ({self.organisation})"
