"""The plan as data: plans, sections, recommendations, who must act, targets, criteria and facts."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Organisation(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=40, default="other")
    independent_assessor = models.BooleanField(
        default=False, help_text="Unions, the TUC and researchers: may draft independent assessments."
    )
    url = models.URLField(blank=True)
    # A body that closed stays accountable through its successor (the LEPs passed to the WMCA).
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    ended = models.DateField(null=True, blank=True)
    # The registry behind the columns above (engine/registry.py): {"values": the base facts as
    # stated, "sources": {fact: [files that state it]}}. The columns hold each fact as it stands now
    # (the latest dated change, else the base value).
    facts = models.JSONField(default=dict, blank=True)
    # A group addressee ("local authorities across the region") and the named organisations it
    # stands for: a recommendation addressed to the group is tracked for each member.
    members = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="groups")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation", args=[self.slug])


class DatedState(models.Model):
    """A dated change (closed, replaced, cut back ...) with the public source that records it."""

    date = models.DateField()
    state = models.CharField(max_length=80)
    note = models.TextField(blank=True)
    source_title = models.CharField(max_length=300, blank=True)
    source_url = models.URLField(max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["date"]


class OrganisationState(DatedState):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="states")
    # Set for a dated change of one fact (a new web address, successor or end date); blank otherwise.
    field = models.CharField(max_length=40, blank=True)
    value = models.CharField(max_length=500, blank=True)

    class Meta(DatedState.Meta):
        pass


class Scheme(models.Model):
    """A scheme or fund the plan names, with its dated history (closed, replaced, cut back)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, default="scheme")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchemeState(DatedState):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="states")

    class Meta(DatedState.Meta):
        pass


class Theme(models.Model):
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.slug.replace("-", " ").capitalize()


class Plan(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    published = models.DateField()
    source_url = models.URLField(max_length=500, blank=True)
    source_text = models.TextField(blank=True)
    description = models.TextField(blank=True)
    status_vocabulary = models.JSONField(default=list)
    # A hash of the loaded file: the "data version" printed on reports.
    data_version = models.CharField(max_length=64, blank=True)
    # The file's own version and change log (``plan.version``, ``plan.changes``), newest last.
    version = models.CharField(max_length=40, blank=True)
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan", args=[self.slug])


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    source_heading = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="section_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def anchor(self) -> str:
        return "section-" + self.number.replace(".", "-")

    def get_absolute_url(self) -> str:
        return reverse("section", args=[self.plan.slug, self.number])


class Recommendation(models.Model):
    KINDS = [("target", "Target"), ("action", "Action"), ("standard", "Standard"), ("principle", "Principle")]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recommendations")
    slug = models.CharField(max_length=40)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="recommendations")
    title = models.CharField(max_length=300)
    quote = models.TextField()
    kind = models.CharField(max_length=20, choices=KINDS)
    modality = models.CharField(max_length=40)
    themes = models.ManyToManyField(Theme, blank=True, related_name="recommendations")
    schemes = models.ManyToManyField(Scheme, blank=True, related_name="recommendations")
    weight = models.FloatField(default=1.0)
    criteria_title = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    # Set when a revised plan file no longer contains this item; its history is kept.
    retired = models.BooleanField(default=False)
    # Why the item reads as it does where the text leaves room (no body named, who funds ...).
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "slug"], name="recommendation_unique_slug")]

    def __str__(self) -> str:
        return f"{self.slug} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("recommendation", args=[self.plan.slug, self.slug])


class Addressee(models.Model):
    ROLES = [("lead", "Lead"), ("support", "Support")]

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="addressees")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="addressed")
    role = models.CharField(max_length=10, choices=ROLES, default="lead")

    class Meta:
        ordering = ["recommendation", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "organisation"], name="addressee_unique_org")
        ]


class Target(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="targets")
    slug = models.CharField(max_length=80)
    description = models.TextField()
    value = models.FloatField()
    unit = models.CharField(max_length=40)
    # What would show the target met, in words, where no indicator can say it alone.
    met_when = models.TextField(blank=True)
    deadline = models.DateField(null=True, blank=True)
    baseline = models.FloatField(null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    geography = models.CharField(max_length=200, blank=True)
    indicator_slug = models.CharField(max_length=80, blank=True)
    method = models.CharField(max_length=20, blank=True)
    direction = models.CharField(max_length=20, default="increase")
    components = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["recommendation", "slug"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "slug"], name="target_unique_slug")]

    def __str__(self) -> str:
        return self.description


class Criterion(models.Model):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="criteria")
    slug = models.CharField(max_length=80)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["recommendation", "order"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "slug"], name="criterion_unique_slug")]


class Fact(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="facts")
    slug = models.CharField(max_length=80)
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="facts")
    statement = models.TextField()
    # Empty for a fact that states a position, not a figure (the WMCA has signed a charter).
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    schemes = models.ManyToManyField(Scheme, blank=True, related_name="facts")
    qualifier = models.CharField(max_length=20, default="exact")
    geography = models.CharField(max_length=200)
    geography_code = models.CharField(max_length=20, blank=True)
    as_of = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    # Results of the figure cross-checks that involve this fact (engine.figures), recomputed on load.
    checks = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "slug"], name="fact_unique_slug")]

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.slug}: {self.statement[:60]}"
        return f"{self.slug}: {self.value:g} {self.unit}"
