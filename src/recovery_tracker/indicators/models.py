"""Official statistics as time series, and the plan's targets measured against them.

Observations are never overwritten: a figure the publisher revises is a new row that supersedes
the old one (``replaced_by``), so any earlier verdict can be redone "as at" its date.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

DIRECTIONS = [("increase", "Increase is better"), ("decrease", "Decrease is better")]
METHODS = [("cagr", "Growth rate (Open SDG)"), ("linear", "Straight line (counts and cumulative targets)")]


class Indicator(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=80)
    # Required and never guessed (reference §11.1): the importer refuses metadata without it.
    direction = models.CharField(max_length=10, choices=DIRECTIONS)
    direction_note = models.TextField(blank=True)
    definition = models.TextField(blank=True)
    source = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    geography_level = models.CharField(max_length=120, blank=True)
    # The series a target or chart uses when none is named: an ONS code, or the name of an
    # area without one (the WMCA 3-LEP area).
    headline_geography = models.CharField(max_length=300, blank=True)
    method = models.CharField(max_length=10, choices=METHODS, default="cagr")
    caveat = models.TextField(blank=True)
    # The name the indicator has in the long-format statistics files (e.g. net_additional_homes).
    source_key = models.CharField(max_length=120, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicator", args=[self.slug])


class Observation(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    period = models.CharField(max_length=80, help_text='As published, e.g. "2019/20", "Apr 2019".')
    period_as_published = models.CharField(max_length=120, blank=True)
    year = models.IntegerField(null=True, blank=True, help_text="The year used in calculations (2019/20 → 2019).")
    geography_code = models.CharField(max_length=20, blank=True)
    geography_name = models.CharField(max_length=300, blank=True)
    # Code when there is one, else the name: what makes two rows "the same area".
    geography_key = models.CharField(max_length=300)
    value = models.FloatField()
    unit = models.CharField(max_length=80, blank=True)
    disaggregations = models.JSONField(default=dict, blank=True)
    # Sorted JSON of the disaggregations ("" = all), so rows can be matched and indexed.
    disaggregation_key = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=500)
    source_url = models.URLField(max_length=500, blank=True)
    # The figure's vintage: the day it was published. An as-at view uses only figures released by
    # its date; ``release_basis`` says whether the file, the source or the stated rule gave the day.
    release_date = models.DateField(null=True, blank=True)
    release_basis = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    revision = models.PositiveIntegerField(default=1)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaces"
    )
    fact = models.ForeignKey(
        "catalogue.Fact", null=True, blank=True, on_delete=models.SET_NULL, related_name="observations"
    )
    import_file = models.CharField(max_length=300, blank=True)
    import_row = models.PositiveIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "geography_key", "disaggregation_key", "year", "period", "revision"]
        indexes = [models.Index(fields=["indicator", "geography_key", "disaggregation_key", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator.slug} {self.geography_key} {self.period}: {self.value:g}"

    @property
    def is_current(self) -> bool:
        return self.replaced_by_id is None


class IndicatorTarget(models.Model):
    """A target measured by an indicator; made from the plan's targets by their indicator slug."""

    slug = models.SlugField(max_length=120, unique=True)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    catalogue_target = models.OneToOneField(
        "catalogue.Target", null=True, blank=True, on_delete=models.SET_NULL, related_name="indicator_target"
    )
    recommendations = models.ManyToManyField("catalogue.Recommendation", blank=True, related_name="indicator_targets")
    description = models.TextField()
    value = models.FloatField()
    unit = models.CharField(max_length=80, blank=True)
    deadline = models.DateField(null=True, blank=True)
    # The calculation year of the deadline: "by 31 March 2031" closes 2030/31, which is year 2030.
    target_year = models.IntegerField()
    baseline = models.FloatField(null=True, blank=True)
    base_year = models.IntegerField(default=2015)
    method = models.CharField(max_length=10, choices=METHODS)
    direction = models.CharField(max_length=10, choices=DIRECTIONS)
    geography = models.CharField(max_length=300, blank=True)
    # Which series of the indicator to assess (code or name); blank = the indicator's headline.
    geography_key = models.CharField(max_length=300, blank=True)
    # Assess the running total of annual values (215,000 homes "delivered by 2030 to 2031").
    cumulative = models.BooleanField(default=False)
    caveat = models.TextField(blank=True)

    class Meta:
        ordering = ["deadline", "slug"]

    def __str__(self) -> str:
        return self.description
