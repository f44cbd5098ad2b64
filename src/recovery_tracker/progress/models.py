"""Progress: dated, evidenced updates per recommendation and addressed body, in two voices.

Nothing here stores a "current status". The state of a recommendation for a body, as at any date,
is derived from its PUBLISHED updates (see ``progress.selectors.recommendation_state_as_at``), so
the past can always be recomputed and nothing is lost when a status changes.

Workflow of an ``Update``: draft → submitted → published, or submitted → returned (with a reason)
→ edited → submitted again. A published update is never edited or deleted; a correction is a new
``Update`` whose ``corrects`` points at the published one it replaces.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.engine.formatting import day, month


class Voice(models.TextChoices):
    SELF_REPORT = "self_report", "Own account"
    INDEPENDENT_ASSESSMENT = "independent_assessment", "Independent assessment"
    # Editorial evidence from public sources: says what happened, never sets a status or a response.
    EVIDENCE = "evidence", "Public record"


class Response(models.TextChoices):
    """The body's formal response to the recommendation, kept apart from delivery status."""

    NO_RESPONSE = "no_response", "No response yet"
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    REJECTED = "rejected", "Rejected"
    NOTED = "noted", "Noted"


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for moderation"
    RETURNED = "returned", "Returned for changes"
    PUBLISHED = "published", "Published"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    # Public sources often give only a month; shown as "July 2022", stored as the 1st.
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Source(models.TextChoices):
    WEB = "web", "Web form"
    CSV = "csv", "CSV import"
    API = "api", "API"
    SHIPPED = "shipped", "Compiled from public sources"


class Update(models.Model):
    """One dated entry about one recommendation, written by one organisation in one voice.

    - ``organisation`` wrote it (a council for its own account, a union or the TUC for an
      assessment, the editorial organisation for shipped evidence).
    - ``body`` is the addressed body whose delivery it describes. For a self-report it is the
      addressee (or a predecessor the author's organisation answers for); for an assessment, the
      body assessed; for evidence it may be empty (about the recommendation as a whole).
    - ``status`` is a key of the plan's ``status_vocabulary``; blank means "no status claimed".
    - ``response`` is only set on self-reports; blank means "not stated in this update".
    - ``target_date`` is the date delivery is promised by, as stated in this update; a change
      needs ``target_date_reason``. The full series of target dates is read from the history.
    - ``lock_version`` rises on every save of a draft: a form carries it, and a save from a stale
      form is refused (``StaleEdit``) rather than overwriting someone else's change.
    """

    recommendation = models.ForeignKey(Recommendation, on_delete=models.PROTECT, related_name="updates")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="updates_written")
    body = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="updates_about"
    )
    voice = models.CharField(max_length=30, choices=Voice.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="progress_updates"
    )
    author_label = models.CharField(max_length=200, blank=True, help_text="Who, when no user account wrote it.")

    date = models.DateField(help_text="The date the entry describes (what happened, or the assessment's date).")
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    title = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=40, blank=True)
    progress = models.FloatField(null=True, blank=True, help_text="0 to 1; empty uses the status's default.")
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    response_url = models.URLField(max_length=500, blank=True)
    response_reason = models.TextField(blank=True)
    target_date = models.DateField(null=True, blank=True)
    target_date_reason = models.TextField(blank=True)
    narrative = models.TextField(blank=True, help_text="Markdown; sanitised when shown.")

    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    lock_version = models.PositiveIntegerField(default=1)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    return_reason = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)
    # Stable key of a shipped or imported row, so loading twice changes nothing.
    external_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # The public-record evidence an assessment rests on (issue 12): shown beside its status, and
    # checked to be dated on or before the assessment.
    cites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="cited_by")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-date", "-published_at", "-id"]
        indexes = [models.Index(fields=["recommendation", "state", "date"])]

    def __str__(self) -> str:
        return f"{self.recommendation.slug} {self.get_voice_display()} by {self.organisation.label} ({self.date})"

    def get_absolute_url(self) -> str:
        return reverse("progress-update", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == State.PUBLISHED

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.RETURNED)

    @property
    def date_display(self) -> str:
        if self.date_precision == DatePrecision.YEAR:
            return str(self.date.year)
        if self.date_precision == DatePrecision.MONTH:
            return month(self.date)
        return day(self.date)

    @property
    def status_label(self) -> str:
        from recovery_tracker.progress.vocabulary import status_term

        return status_term(self.recommendation.plan, self.status)["label"] if self.status else ""

    @property
    def author_name(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        return self.author_label or "unknown"


class EvidenceLink(models.Model):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=500)
    title = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["update", "order", "id"]

    def __str__(self) -> str:
        return self.title or self.url


def _document_path(instance: EvidenceDocument, filename: str) -> str:
    # The service has already chosen a random name; keep uploads out of any guessable path.
    return f"evidence/{filename}"


class EvidenceDocument(models.Model):
    """An uploaded file, stored under MEDIA_ROOT with a random name, served only through a view
    that checks the viewer may see its update."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("progress-document", args=[self.pk])
