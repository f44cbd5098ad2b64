"""Methods and sources: how progress is added up, the flag rules with the thresholds in use, the
progress measure, and where every figure comes from."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from django.db.models import Max, Q

from recovery_tracker.catalogue.models import Plan
from recovery_tracker.engine import more_action, rollup
from recovery_tracker.engine.formatting import day
from recovery_tracker.indicators.models import Indicator, IndicatorTarget, Observation
from recovery_tracker.progress import rollup_data
from recovery_tracker.progress.models import Source, State, Update
from recovery_tracker.reports.data import (
    DataSource,
    Methods,
    Rule,
)

PROGRESS_MEASURE_TEXT = (
    "Each target is measured against official statistics with one of two methods. Rates, shares and levels use "
    "the Open SDG 2.4 progress measure: the compound annual growth rate from the base year to the latest year is "
    "compared with the rate needed to reach the target by its deadline, giving one of substantial progress, "
    "moderate progress, limited progress, deterioration, target achieved, or not available (not enough data). "
    "This report counts substantial progress and target achieved as on track, and moderate progress, limited "
    "progress and deterioration as off track. Counts and "
    "cumulative targets (such as homes built) use a straight-line method: the average of the last five annual "
    "changes is extended to the deadline and the projected shortfall is compared with the distance still to go. "
    "Only figures released on or before the as-at date are used, and a revised figure replaces the one it revises "
    "from its release date. Every input and intermediate value is shown on each indicator's page."
)


def _rule_description(rule: more_action.Rule, config: more_action.Config) -> str:
    """The rule's docstring as a reader sees it: without the repeated name, with the thresholds in use."""
    text = " ".join(rule.description.split())
    name, _sep, rest = text.partition(": ")
    if rest and len(name) <= 50:
        text = rest[:1].upper() + rest[1:]
    return re.sub(r"``(\w+)``", lambda m: _threshold(config, m.group(1)), text)


def _threshold(config: more_action.Config, name: str) -> str:
    value = getattr(config, name, None)
    if value is None:
        return name.replace("_", " ")
    return f"{value} days" if name.endswith("_days") else str(value)


def methods_chapter(plan: Plan, as_at: dt.date) -> Methods:
    config = rollup_data.more_action_config()
    rules = tuple(Rule(title=rule.title, description=_rule_description(rule, config)) for rule in more_action.RULES)
    sources = [DataSource(title=f"{plan.title} ({plan.publisher})", url=plan.source_url,
                          released=day(plan.published), used_for="The recommendations, quotes and stated figures")]
    shipped = Update.objects.filter(state=State.PUBLISHED, source=Source.SHIPPED, date__lte=as_at)
    if shipped.exists():
        latest = max(shipped.values_list("date", flat=True))
        sources.append(DataSource(
            title="Public evidence compiled from public sources", url="",
            released=f"events up to {day(latest)}",
            used_for=f"{shipped.count()} dated events; each links to its own source"))
    grouped = (Observation.objects.filter(Q(release_date__isnull=True) | Q(release_date__lte=as_at))
               .values("source", "source_url").annotate(released=Max("release_date"))
               .order_by("source", "source_url"))
    used: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source, url, name in Observation.objects.values_list("source", "source_url", "indicator__name"):
        used[(source, url)].add(name)
    for row in grouped:
        sources.append(DataSource(
            title=row["source"], url=row["source_url"],
            released=day(row["released"]) if row["released"] else "release date not recorded",
            used_for=", ".join(sorted(used[(row["source"], row["source_url"])])),
        ))
    # The heading in the report already says "How progress is added up".
    rollup_text = rollup.RULE_TEXT.removeprefix("How progress is added up. ")
    caveats = [(indicator.name, " ".join(indicator.caveat.split()))
               for indicator in Indicator.objects.exclude(caveat="").order_by("name")]
    caveats += [(f"Target: {t.description}", " ".join(t.caveat.split()))
                for t in IndicatorTarget.objects.exclude(caveat="").order_by("slug")]
    return Methods(rollup_text=rollup_text, rules=rules, progress_measure_text=PROGRESS_MEASURE_TEXT,
                   sources=tuple(sources), caveats=tuple(caveats))
