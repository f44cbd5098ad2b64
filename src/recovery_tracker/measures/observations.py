"""A saved check's summary numbers as observations of indicators, through the indicators app's import.

Each saved result gives at most one figure: the organisation is the "area" (named, no ONS code),
the period is the snapshot date (pay gaps) or the day it was saved. Saving again on the same
period stores a revision, never an overwrite, as the indicators app does for any statistic.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils import timezone

from recovery_tracker.measures.models import MeasureKind, MeasureResult


@dataclass(frozen=True)
class MeasureIndicator:
    slug: str
    name: str
    unit: str
    direction: str
    definition: str


INDICATORS: dict[str, MeasureIndicator] = {
    MeasureKind.JOB_GUARANTEE: MeasureIndicator(
        "measures-job-guarantee-share-meeting-all", "Share of guarantee placements meeting all six conditions",
        "%", "increase",
        "Placements meeting all six conditions of the local job guarantee (plan section 5) as a percentage of "
        "the placements checked, from placements files checked and saved by members of the organisation."),
    MeasureKind.PROCUREMENT: MeasureIndicator(
        "measures-procurement-share-of-spend-fair-work", "Share of spend under fair-work terms", "%", "increase",
        "Contract value meeting the fair-work standard (Fair Work First seven criteria and a 10% social value "
        "weighting) as a percentage of the contract value checked, by value not count."),
    MeasureKind.PAYGAP: MeasureIndicator(
        "measures-gender-pay-gap-median", "Gender pay gap, median hourly pay", "%", "decrease",
        "DiffMedianHourlyPercent of the 2017 regulations: the difference between men's and women's median "
        "hourly pay as a percentage of men's, positive when women are paid less."),
    MeasureKind.EMPLOYERS: MeasureIndicator(
        "measures-employers-share-meeting-commitments", "Share of employers meeting the equality commitments",
        "%", "increase",
        "Employers meeting every section 4.3 commitment asked of their size, as a percentage of those checked."),
}


def figure_for(kind: str, summary: Mapping[str, Any]) -> tuple[float, str] | None:
    """The headline number of a result, in percent, and its period; None when there is none."""
    today = timezone.localdate().isoformat()
    if kind == MeasureKind.PAYGAP:
        sex = next((part for part in summary.get("parts", []) if part.get("group") == "sex"), {})
        value = sex.get("figures", {}).get("DiffMedianHourlyPercent")
        return None if value is None else (float(value), str(summary.get("snapshot_date") or today))
    key = "share_of_spend_meeting" if kind == MeasureKind.PROCUREMENT else "share_meeting_all"
    share = summary.get("summary", {}).get(key)
    if share is None or kind not in INDICATORS:
        return None
    return round(float(share) * 100, 1), today


def record_for(result: MeasureResult) -> int:
    """Store the result's figure as an observation; returns how many were added or revised (0 or 1)."""
    figure = figure_for(result.kind, result.summary)
    indicator = INDICATORS.get(result.kind)
    if figure is None or indicator is None:
        return 0
    try:
        from recovery_tracker.indicators.services import InputFile, observations_import
    except ImportError:  # the indicators app is optional: the evidence stands on its own
        return 0
    value, period = figure
    metadata = {"indicators": {indicator.slug: {
        "name": indicator.name, "unit": indicator.unit, "direction": indicator.direction, "method": "linear",
        "definition": indicator.definition, "source": "Recovery Tracker checks saved as evidence",
        "geography_level": "organisation",
    }}}
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(["indicator", "geography_code", "geography_name", "period", "value", "unit", "source",
                     "source_url", "release_date", "notes"])
    writer.writerow([indicator.slug, "", result.organisation.name, period, f"{value:g}", indicator.unit,
                     f"{result.get_kind_display()} check saved by {result.created_by.get_username()} "
                     f"(result {result.pk})", "", timezone.localdate().isoformat(), result.title])
    imported = observations_import(
        files=[InputFile(name=f"measure-result-{result.pk}.csv", data=rows.getvalue().encode())],
        metadata_files=[InputFile(name="measures-indicators.yaml", data=yaml.safe_dump(metadata).encode())],
        actor=result.created_by,
    )
    return imported.created + imported.revised
