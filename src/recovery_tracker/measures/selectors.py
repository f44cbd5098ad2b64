"""Reads for the check pages: the catalogue of checks, and report data shaped for templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from recovery_tracker.engine.paygap import FIGURE_FIELDS
from recovery_tracker.engine.standards._data import default_data_path, read_yaml_mapping
from recovery_tracker.engine.standards.job_guarantee import CONDITION_IDS, load_job_guarantee_standard
from recovery_tracker.engine.standards.procurement import load_procurement_standard
from recovery_tracker.measures.models import MeasureKind, MeasureResult, ResultState

# Files served at /checks/criteria/<name>: the data each check reads (all shipped, with sources).
CRITERIA_FILES = (
    "job-guarantee.yaml",
    "fair-work-first.yaml",
    "public-interest-test.yaml",
    "employer-commitments.yaml",
    "charters.yaml",
    "real-living-wage.csv",
)
EXAMPLES = {
    MeasureKind.PAYGAP: "payroll-DEMO.csv",
    MeasureKind.JOB_GUARANTEE: "placements-DEMO.csv",
    MeasureKind.PROCUREMENT: "contracts-DEMO.csv",
    MeasureKind.EMPLOYERS: "employers-DEMO.csv",
}
PAYGAP_REGULATIONS = (
    "The Equality Act 2010 (Gender Pay Gap Information) Regulations 2017",
    "https://www.legislation.gov.uk/uksi/2017/172/contents/made",
)
FIGURE_LABELS = {
    "DiffMeanHourlyPercent": "Mean hourly pay gap",
    "DiffMedianHourlyPercent": "Median hourly pay gap",
    "DiffMeanBonusPercent": "Mean bonus gap",
    "DiffMedianBonusPercent": "Median bonus gap",
    "MaleBonusPercent": "Men receiving a bonus",
    "FemaleBonusPercent": "Women receiving a bonus",
    "MaleLowerQuartile": "Men in the lower quarter",
    "FemaleLowerQuartile": "Women in the lower quarter",
    "MaleLowerMiddleQuartile": "Men in the lower middle quarter",
    "FemaleLowerMiddleQuartile": "Women in the lower middle quarter",
    "MaleUpperMiddleQuartile": "Men in the upper middle quarter",
    "FemaleUpperMiddleQuartile": "Women in the upper middle quarter",
    "MaleTopQuartile": "Men in the top quarter",
    "FemaleTopQuartile": "Women in the top quarter",
}
COMPARISON_LABELS = {
    "DiffMeanHourlyPercent": "Mean hourly pay gap",
    "DiffMedianHourlyPercent": "Median hourly pay gap",
    "DiffMeanBonusPercent": "Mean bonus gap",
    "DiffMedianBonusPercent": "Median bonus gap",
    "ReferenceBonusPercent": "Reference group receiving a bonus",
    "GroupBonusPercent": "Group receiving a bonus",
}


@dataclass(frozen=True)
class CheckEntry:
    kind: str
    title: str
    url_name: str
    section: str
    what: str
    data_files: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]


def _sources(name: str) -> tuple[tuple[str, str], ...]:
    data = read_yaml_mapping(default_data_path(name))
    items = data.get("sources") or [data.get("source") or {}]
    found = []
    for item in items:
        title = str(item.get("title", ""))
        if item.get("publisher"):
            title = f"{item['publisher']}, {title}"
        if item.get("section"):
            title += f", section {item['section']}"
        found.append((title, str(item.get("url", ""))))
    return tuple(found)


def check_catalogue() -> list[CheckEntry]:
    """The checks in the order the plan raises them, each with what it checks and its sources."""
    return [
        CheckEntry(MeasureKind.PAYGAP, "Pay gaps from a payroll file", "measures:paygap", "4.3 (and 2.3.1)",
                   "The six gender pay gap figures exactly as the 2017 regulations define them, the same figures "
                   "for ethnicity and disability when the file records them, and the share of staff paid below "
                   "the Real Living Wage. The file is deleted as soon as the figures are worked out.",
                   ("real-living-wage.csv",),
                   (PAYGAP_REGULATIONS, ("Living Wage Foundation, Real Living Wage rates",
                                         "https://www.livingwage.org.uk/what-real-living-wage"))),
        CheckEntry(MeasureKind.JOB_GUARANTEE, "Job guarantee placements", "measures:job-guarantee", "5",
                   "Each placement against the six conditions of the local job guarantee: a secure contract of at "
                   "least six months, at least the Real Living Wage, training, trade union access, a community "
                   "benefit and additionality.",
                   ("job-guarantee.yaml", "real-living-wage.csv"), _sources("job-guarantee.yaml")),
        CheckEntry(MeasureKind.PROCUREMENT, "Fair-work procurement", "measures:procurement", "3.3, 4.1 and 6",
                   "Each contract in a register against Fair Work First's seven criteria and a 10% minimum social "
                   "value weighting, and each buyer's share of spend under fair-work terms.",
                   ("fair-work-first.yaml",), _sources("fair-work-first.yaml")),
        CheckEntry(MeasureKind.PUBLIC_INTEREST, "Public interest test", "measures:public-interest-start", "6",
                   "Whether a service should be delivered in-house, on the plan's seven “make or buy” criteria, "
                   "with in-house as the default and employment conditions that cannot be outweighed. Gives a "
                   "decision record and entries for the contract review register.",
                   ("public-interest-test.yaml",), _sources("public-interest-test.yaml")),
        CheckEntry(MeasureKind.EMPLOYERS, "Employer commitments and charters", "measures:employers", "4.3",
                   "Each employer against the equality commitments the plan asks of its size (pay gap reports, "
                   "action plans, pay audits, policies) and the charters it has signed.",
                   ("employer-commitments.yaml", "charters.yaml"), _sources("employer-commitments.yaml")),
    ]


# --- report data for templates ---------------------------------------------------------------------


def paygap_view(report: dict[str, Any]) -> dict[str, Any]:
    parts = {part["group"]: part for part in report["parts"]}
    sex = parts.get("sex", {})
    figures = sex.get("figures", {})
    return {
        "sex": sex,
        "figure_rows": [(name, FIGURE_LABELS[name], figures.get(name)) for name in FIGURE_FIELDS],
        "groups": [parts[name] for name in ("ethnicity", "disability") if name in parts],
        "comparison_labels": COMPARISON_LABELS,
        "low_pay": sex.get("low_pay"),
    }


def job_guarantee_view(report: dict[str, Any]) -> dict[str, Any]:
    titles = load_job_guarantee_standard().titles
    summary = report["summary"]
    return {
        "conditions": [(name, titles.get(name, name)) for name in CONDITION_IDS],
        "rows": [(placement, [(titles.get(name, name), placement["conditions"][name]) for name in CONDITION_IDS])
                 for placement in report["placements"]],
        "failures": [(titles.get(name, name), summary["failures"].get(name, 0))
                     for name in summary.get("commonest_failures", [])],
    }


def procurement_view(report: dict[str, Any]) -> dict[str, Any]:
    standard = load_procurement_standard()
    titles = {criterion.id: criterion.text for criterion in standard.criteria}
    titles["social_value_weighting"] = f"Social value weighting of at least {standard.minimum_social_value_percent}%"
    return {
        "titles": titles,
        "missing_rows": [(titles.get(name, name), count) for name, count in report["summary"]["missing"].items()],
    }


def employers_view(report: dict[str, Any]) -> dict[str, Any]:
    return {"charter_rows": [(report["charters"].get(charter_id, {}).get("name", charter_id), count)
                             for charter_id, count in report["summary"].get("charter_signatories", {}).items()]}


# --- saved results ---------------------------------------------------------------------------------


def _published_results() -> QuerySet[MeasureResult]:
    return MeasureResult.objects.filter(state=ResultState.PUBLISHED)


def results_for_recommendation(recommendation: Any) -> QuerySet[MeasureResult]:
    """Published results only: a saved result is public once a moderator has published it."""
    return _published_results().filter(recommendation=recommendation).select_related("organisation")


def results_for_organisation(organisation: Any) -> QuerySet[MeasureResult]:
    return _published_results().filter(organisation=organisation).select_related("recommendation")


def results_for_moderation(organisation_ids: list[int] | None = None) -> QuerySet[MeasureResult]:
    """Results waiting for a moderator, oldest first; ``organisation_ids`` as in the updates' queue."""
    queryset = MeasureResult.objects.filter(state=ResultState.SUBMITTED)
    if organisation_ids is not None:
        queryset = queryset.filter(organisation_id__in=organisation_ids)
    return queryset.select_related("organisation", "recommendation", "created_by").order_by("created_at", "id")


def review_register_entries() -> list[dict[str, Any]]:
    """Every contract review entry of every saved public interest decision, newest first."""
    entries = []
    for result in _published_results().filter(kind=MeasureKind.PUBLIC_INTEREST).select_related("organisation"):
        decision = result.summary.get("decision", {})
        for entry in decision.get("review_register", []):
            entries.append({**entry, "service": decision.get("service", ""), "organisation": result.organisation,
                            "saved": result.created_at})
    return entries
