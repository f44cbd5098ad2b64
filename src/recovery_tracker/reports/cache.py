"""Reports are made by the task worker and kept in the shared cache until the data changes.

The key holds everything a report depends on: the plan's data version (changes when the plan file
is reloaded with changes), the latest audit entry (every write service records one), the latest
update and observation, the as-at and since dates and the format. Any write moves one of them,
so a stale report is never served and nothing needs to be cleared by hand.

A request never builds a report (a PDF takes seconds of CPU): it takes the file from the cache or
asks the worker for it (``report_request``) and tells the reader it is being prepared.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.catalogue.versions import (  # noqa: F401 - re-exported: reports and pages key by these
    data_stamp,
    data_version_bump,
    site_data_version,
    stamp_memo_clear,
)
from recovery_tracker.reports.options import CONTENT_TYPES, ReportOptions
from recovery_tracker.reports.renderers import render
from recovery_tracker.reports.selectors import report_build

CACHE_SECONDS = 24 * 60 * 60
# How long a request waits for a queued build before asking again: a worker that died mid-build
# leaves only this behind.
BUILDING_SECONDS = 15 * 60
FAILED_SECONDS = 5 * 60


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    filename: str
    cached: bool = False


def report_cache_key(plan: Plan, options: ReportOptions, site_url: str = "", *, stamp: str | None = None) -> str:
    raw = "|".join([plan.slug, stamp if stamp is not None else data_stamp(plan), options.as_at.isoformat(),
                    options.since.isoformat(), options.format, site_url])
    return "report:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def report_filename(plan: Plan, options: ReportOptions) -> str:
    return f"{plan.slug}-progress-as-at-{options.as_at.isoformat()}.{options.format}"


def _file(plan: Plan, options: ReportOptions, content: bytes, *, cached: bool) -> ReportFile:
    return ReportFile(content=content, content_type=CONTENT_TYPES[options.format],
                      filename=report_filename(plan, options), cached=cached)


def report_cached(plan: Plan, options: ReportOptions, *, site_url: str = "") -> ReportFile | None:
    """The report if it has been made for the data as it is now, else None."""
    content = cache.get(report_cache_key(plan, options, site_url))
    return None if content is None else _file(plan, options, content, cached=True)


def report_file(plan: Plan, options: ReportOptions, *, site_url: str = "") -> ReportFile:
    """The report as a file, made now unless the cache has it (the command line and the worker)."""
    key = report_cache_key(plan, options, site_url)
    content = cache.get(key)
    cached = content is not None
    if content is None:
        try:
            content = render(report_build(plan, options, site_url=site_url), options.format)
        except Exception as error:
            cache.set(key + ":failed", f"{type(error).__name__}: {error}", FAILED_SECONDS)
            raise
        finally:
            cache.delete(key + ":building")
        cache.set(key, content, CACHE_SECONDS)
    return _file(plan, options, content, cached=cached)


@dataclass(frozen=True)
class ReportRequest:
    """What asking for a report gave: the file, or word that it is being made (or could not be)."""

    file: ReportFile | None = None
    queued: bool = False  # being built (queued by this request or an earlier one)
    newly_queued: bool = False
    failed: str | None = None


def report_request(plan: Plan, options: ReportOptions, *, site_url: str = "", may_queue: bool = True) -> ReportRequest:
    """The report from the cache, or a build queued for the worker (once, however many ask).

    ``may_queue=False`` (a rate-limited reader) only looks: nothing new is queued.
    """
    key = report_cache_key(plan, options, site_url)
    content = cache.get(key)
    if content is not None:
        return ReportRequest(file=_file(plan, options, content, cached=True))
    failed = cache.get(key + ":failed")
    if failed is not None:
        return ReportRequest(failed=failed)
    if cache.get(key + ":building") is not None:
        return ReportRequest(queued=True)
    if not may_queue:
        return ReportRequest()
    if not cache.add(key + ":building", 1, BUILDING_SECONDS):
        return ReportRequest(queued=True)
    from recovery_tracker.reports.tasks import report_build_task

    report_build_task.enqueue(plan_slug=plan.slug, format=options.format, as_at=options.as_at.isoformat(),
                              since=options.since.isoformat(), site_url=site_url)
    return ReportRequest(queued=True, newly_queued=True)


def report_is_queued(plan: Plan, options: ReportOptions, *, site_url: str = "") -> bool:
    return cache.get(report_cache_key(plan, options, site_url) + ":building") is not None
