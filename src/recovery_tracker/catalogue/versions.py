"""The data version: what cached public pages, reports and expensive results are keyed by.

Any write the public can see moves it (``reports.apps`` connects the signals: audit entries, which
every write service records, updates, observations and plans), so nothing cached is ever cleared
by hand and nothing stale is served. Lives here, low in the layers, so that every app can key its
expensive results by it (``once_per_data_version``); reaches the progress and indicators models by
label, not by import.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
import uuid
from collections.abc import Callable
from dataclasses import is_dataclass
from typing import Any, TypeVar

from django.apps import apps as django_apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import Max

from recovery_tracker.catalogue.models import Plan

DATA_VERSION_KEY = "data-version"
# The full stamp costs a few aggregate queries; pages look it up at most this often per process.
STAMP_MEMO_SECONDS = 5.0
RESULT_SECONDS = 24 * 60 * 60
_stamp_memo: tuple[float, str] = (0.0, "")

F = TypeVar("F", bound=Callable[..., Any])


def data_stamp(plan: Plan | None = None) -> str:
    """What the data looks like now (exact: a few aggregate queries). With no plan, the whole site's."""
    from recovery_tracker.audit.models import AuditEntry

    if plan is not None:
        versions = [plan.data_version]
    else:
        versions = list(Plan.objects.order_by("slug").values_list("data_version", flat=True))
    parts = [*versions, str(AuditEntry.objects.aggregate(m=Max("id"))["m"])]
    # By name, not by import: the catalogue sits below progress and indicators (docs/architecture.md).
    for app_label, model_name, changed in (("progress", "Update", "updated_at"),
                                           ("indicators", "Observation", "recorded_at")):
        latest = django_apps.get_model(app_label, model_name).objects.aggregate(m=Max(changed), n=Max("id"))
        parts += [str(latest["m"]), str(latest["n"])]
    return "|".join(parts)


def data_version_bump() -> None:
    """Something public changed: a new version now, and again once the change commits.

    Now, so that this process (and a test's transaction) sees it at once; on commit, so that a page
    another worker built from the data before the commit cannot stay under the new version.
    """
    cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, None))


def stamp_memo_clear() -> None:
    """Look the stamp up afresh next time (tests roll data back between them)."""
    global _stamp_memo
    _stamp_memo = (0.0, "")


def site_data_version() -> str:
    """The version public pages and results are cached under: one cache read per call.

    The full ``data_stamp`` is added, looked up at most every few seconds, so that a write made
    some way that sends no signal still shows within seconds.
    """
    global _stamp_memo
    now = time.monotonic()
    if now - _stamp_memo[0] > STAMP_MEMO_SECONDS:
        _stamp_memo = (now, data_stamp())
    return f"{cache.get(DATA_VERSION_KEY) or ''}|{_stamp_memo[1]}"


def _keyable(value: Any) -> str:
    if isinstance(value, models.Model):
        return f"{value._meta.label}:{value.pk}"
    if isinstance(value, dt.date | str | int | float | bool | type(None)):
        return repr(value)
    if is_dataclass(value):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_keyable(item) for item in value) + "]"
    raise TypeError(f"cannot key a cached result by a {type(value).__name__}")


def once_per_data_version(name: str) -> Callable[[F], F]:
    """Compute ``func``'s result once per data version (and day), in the shared cache.

    For expensive read-only selectors (roll-ups over time, "more action" flags, indicator
    verdicts): every page and app server shares one result until the data changes. Arguments must
    be models, dates, plain values or dataclasses; a call with anything else is computed as usual.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                parts = [_keyable(arg) for arg in args] + [f"{k}={_keyable(v)}" for k, v in sorted(kwargs.items())]
            except TypeError:
                return func(*args, **kwargs)
            raw = "|".join([name, site_data_version(), dt.date.today().isoformat(), *parts])
            key = "result:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()
            result = cache.get(key)
            if result is None:
                result = func(*args, **kwargs)
                cache.set(key, result, RESULT_SECONDS)
            return result

        return wrapper  # type: ignore[return-value]

    return decorate
