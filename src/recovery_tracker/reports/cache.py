"""Reports are made on demand and kept until the data changes.

The key holds everything a report depends on: the plan's data version (changes when the plan file
is reloaded with changes), the latest audit entry (every write service records one), the latest
update and observation, the as-at and since dates and the format. Any write moves one of them,
so a stale report is never served and nothing needs to be cleared by hand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max

from recovery_tracker.audit.models import AuditEntry
from recovery_tracker.catalogue.models import Plan
from recovery_tracker.indicators.models import Observation
from recovery_tracker.progress.models import Update
from recovery_tracker.reports.options import CONTENT_TYPES, ReportOptions
from recovery_tracker.reports.renderers import render
from recovery_tracker.reports.selectors import report_build

CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    filename: str
    cached: bool = False


def data_stamp(plan: Plan) -> str:
    """What the data looks like now: changes whenever anything a report shows changes."""
    parts = [plan.data_version, str(AuditEntry.objects.aggregate(m=Max("id"))["m"])]
    updates = Update.objects.aggregate(m=Max("updated_at"), n=Max("id"))
    observations = Observation.objects.aggregate(m=Max("recorded_at"), n=Max("id"))
    parts += [str(updates["m"]), str(updates["n"]), str(observations["m"]), str(observations["n"])]
    return "|".join(parts)


def report_cache_key(plan: Plan, options: ReportOptions, site_url: str = "") -> str:
    raw = "|".join([plan.slug, data_stamp(plan), options.as_at.isoformat(), options.since.isoformat(),
                    options.format, site_url])
    return "report:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def report_filename(plan: Plan, options: ReportOptions) -> str:
    return f"{plan.slug}-progress-as-at-{options.as_at.isoformat()}.{options.format}"


def report_file(plan: Plan, options: ReportOptions, *, site_url: str = "") -> ReportFile:
    """The report as a file, from the cache when the data has not changed since it was made."""
    key = report_cache_key(plan, options, site_url)
    content = cache.get(key)
    cached = content is not None
    if content is None:
        content = render(report_build(plan, options, site_url=site_url), options.format)
        cache.set(key, content, CACHE_SECONDS)
    return ReportFile(content=content, content_type=CONTENT_TYPES[options.format],
                      filename=report_filename(plan, options), cached=cached)
