"""Publishing a report (issue 12): moderators record a publication with its as-at date, the data
version and the files (HTML, PDF, Markdown); every later report's "What changed" runs, by default,
from the last publication before its as-at date."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from recovery_tracker.accounts.permissions import is_moderator
from recovery_tracker.audit.services import audit_record
from recovery_tracker.catalogue.models import Plan
from recovery_tracker.reports.models import Publication, PublicationFile
from recovery_tracker.reports.options import ReportOptionError, ReportOptions
from recovery_tracker.reports.renderers import render
from recovery_tracker.reports.selectors import report_build

__all__ = ["publication_check", "publication_last_before", "publications_for_plan", "report_options_default_since",
           "report_publish"]

FORMATS_PUBLISHED = ("html", "pdf", "md")


def publications_for_plan(plan: Plan) -> QuerySet[Publication]:
    """The plan's publications, latest as-at date first, with their files."""
    return Publication.objects.filter(plan=plan).select_related("published_by").prefetch_related("files")


def publication_last_before(plan: Plan, as_at: dt.date) -> Publication | None:
    """The last publication with an as-at date before ``as_at``: where "What changed" starts."""
    return Publication.objects.filter(plan=plan, as_at__lt=as_at).order_by("-as_at").first()


def report_options_default_since(plan: Plan, *, format: str, as_at: dt.date | None,
                                 since: dt.date | None) -> ReportOptions:
    """Report options where, without ``since``, "What changed" covers the time since the last
    published report (a year when nothing has been published yet)."""
    options = ReportOptions.build(format=format, as_at=as_at, since=since, published=plan.published)
    if since is None:
        last = publication_last_before(plan, options.as_at)
        if last is not None:
            options = ReportOptions.build(format=format, as_at=options.as_at, since=last.as_at,
                                          published=plan.published)
    return options


def publication_check(*, actor: object, plan: Plan, as_at: dt.date | None) -> dt.date:
    """The as-at date a publication would have, or why it may not be made (before any work is queued).

    Rules: "only moderators may publish"; "the as-at date is on or after the plan's publication, not
    in the future, and later than the last published report's"."""
    if not is_moderator(actor):  # type: ignore[arg-type]
        raise PermissionDenied("Only moderators may publish a report.")
    as_at = as_at or timezone.localdate()
    ReportOptions.build(format="html", as_at=as_at, published=plan.published)
    if as_at > timezone.localdate():
        raise ReportOptionError(f"as_at ({as_at}) is in the future: publish as at today at the latest.")
    latest = Publication.objects.filter(plan=plan).order_by("-as_at").first()
    if latest is not None and latest.as_at >= as_at:
        raise ReportOptionError(
            f"A report as at {latest.as_at} is already published; a new publication must be as at a later date.")
    return as_at


def report_publish(*, actor: object, plan: Plan, as_at: dt.date | None = None,
                   site_url: str = "") -> Publication:
    """Build the report as at ``as_at`` (today) in every format and record it as published.

    Only moderators may publish. The as-at date must be later than every earlier publication's, so
    each publication's "What changed" runs from the one before it.
    """
    as_at = publication_check(actor=actor, plan=plan, as_at=as_at)
    options = report_options_default_since(plan, format="html", as_at=as_at, since=None)
    report = report_build(plan, options, site_url=site_url)
    contents = {fmt: render(report, fmt) for fmt in FORMATS_PUBLISHED}
    with transaction.atomic():
        publication = Publication.objects.create(
            plan=plan, as_at=options.as_at, since=options.since, data_version=report.data_version,
            published_at=timezone.now(), published_by=actor,
        )
        for fmt, content in contents.items():
            record = PublicationFile(publication=publication, format=fmt, size=len(content),
                                     sha256=hashlib.sha256(content).hexdigest())
            record.file.save(f"{plan.slug}-as-at-{options.as_at.isoformat()}-{publication.pk}.{fmt}",
                             ContentFile(content), save=False)
            record.save()
        audit_record(actor=actor, action="report.publish", object_type="reports.publication",
                     object_id=str(publication.pk),
                     summary=f"Published the report on {plan.slug} as at {options.as_at} (since {options.since})",
                     data={"as_at": options.as_at.isoformat(), "since": options.since.isoformat(),
                           "data_version": report.data_version,
                           "files": {fmt: hashlib.sha256(c).hexdigest() for fmt, c in contents.items()}})
    return publication
