"""Published reports (issue 12): a record of each report a moderator published, with its files.

A publication is never edited: publishing again makes a new one, whose "What changed" runs from the
previous publication's as-at date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Publication(models.Model):
    plan = models.ForeignKey("catalogue.Plan", on_delete=models.PROTECT, related_name="publications")
    as_at = models.DateField()
    # The start of its "What changed": the previous publication's as-at date (or a year before).
    since = models.DateField()
    data_version = models.CharField(max_length=100)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-as_at", "-published_at"]
        constraints = [models.UniqueConstraint(fields=["plan", "as_at"], name="one_publication_per_plan_and_date")]

    def __str__(self) -> str:
        return f"{self.plan.slug} as at {self.as_at}"

    def get_absolute_url(self) -> str:
        return reverse("report-publications", args=[self.plan.slug]) + f"#publication-{self.pk}"


class PublicationFile(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=10)
    file = models.FileField(upload_to="publications/", max_length=300)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["publication", "format"]
        constraints = [models.UniqueConstraint(fields=["publication", "format"], name="one_file_per_format")]

    def get_absolute_url(self) -> str:
        return reverse("report-publication-file", args=[self.publication_id, self.format])
