"""One row per thing a reader can find: a recommendation, a piece of evidence or an update, an
organisation, an indicator or a figure the plan states. Rebuilt from the source tables by
``search.services.search_index_rebuild``; never edited by hand.

On SQLite the words are also held in the FTS5 table ``search_fts`` (rowid = ``SearchEntry.id``),
created by the migration; on PostgreSQL the text columns are searched with its own full-text
functions, so nothing extra is stored there.
"""

from __future__ import annotations

from django.db import models


class Kind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendations"
    EVIDENCE = "evidence", "Evidence from the public record"
    UPDATE = "update", "Updates and assessments"
    ORGANISATION = "organisation", "Organisations"
    INDICATOR = "indicator", "Indicators"
    FIGURE = "figure", "Figures stated in the plan"


class SearchEntry(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=120, unique=True)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # A short line under the title: where the entry sits (section, body, date).
    meta = models.CharField(max_length=500, blank=True)
    plan_slug = models.CharField(max_length=80, blank=True)
    section = models.CharField(max_length=20, blank=True)
    # Space-separated, with a space at each end, so a filter is one "contains ' slug '".
    themes = models.CharField(max_length=1000, blank=True)
    bodies = models.CharField(max_length=2000, blank=True)
    statuses = models.CharField(max_length=500, blank=True)
    voice = models.CharField(max_length=30, blank=True)
    date = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order", "id"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class SearchIndexState(models.Model):
    """A single row: whether the index is behind the data, and when it was last rebuilt."""

    stale = models.BooleanField(default=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    entries = models.PositiveIntegerField(default=0)
