"""The standards' results as documents (HTML and PDF), from templates: the public interest test's
decision record and the job guarantee check. The engines return typed results only; the site's
download and ``recovery-tracker check ... --format html|pdf`` both print them through here."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from recovery_tracker.engine.formatting import day, percent
from recovery_tracker.engine.standards.job_guarantee import (
    CONDITION_IDS,
    JobGuaranteeReport,
    JobGuaranteeStandard,
    load_job_guarantee_standard,
)
from recovery_tracker.engine.standards.public_interest import (
    DECISION_WORDS,
    RECOMMENDATION_WORDS,
    PublicInterestDecision,
    decision_rule_text,
)


def decision_record_html(decision: PublicInterestDecision) -> str:
    """The decision record as a standalone, printable HTML page (also the source of the PDF)."""
    meta = [f"Body: {decision.body}" if decision.body else "",
            f"Decision: {DECISION_WORDS.get(decision.decision_type, decision.decision_type)}",
            f"Assessed on: {day(decision.assessed_on)}" if decision.assessed_on else "",
            f"Assessed by: {decision.assessed_by}" if decision.assessed_by else ""]
    criteria: list[dict[str, Any]] = [
        {"title": item.criterion.title, "weight": f"{item.criterion.weight:g}", "in_house": item.in_house,
         "outsourced": item.outsourced, "evidence": item.evidence}
        for item in decision.criteria
    ]
    source = decision.test.source
    return render_to_string("measures/records/public_interest.html", {
        "decision": decision, "meta": [part for part in meta if part], "criteria": criteria,
        "recommendation_words": RECOMMENDATION_WORDS[decision.recommendation],
        "rule": decision_rule_text(decision.test), "test": decision.test,
        "source": {key: str(source.get(key, "")) for key in ("publisher", "title", "date", "section")},
    })


def decision_record_pdf(decision: PublicInterestDecision) -> bytes:
    """The decision record as PDF bytes (WeasyPrint, from the same HTML)."""
    import weasyprint  # here, not at the top: only a PDF download pays for loading it

    pdf = weasyprint.HTML(string=decision_record_html(decision)).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)


def job_guarantee_record_html(report: JobGuaranteeReport, *, standard: JobGuaranteeStandard | None = None) -> str:
    """A standalone HTML page: summary, then one row per placement with pass/fail and reasons."""
    standard = standard or load_job_guarantee_standard()
    summary = report.summary
    rows = [{"number": result.placement.row, "employer": result.placement.employer, "passes": result.passes,
             "conditions": [result.conditions[name] for name in CONDITION_IDS]} for result in report.placements]
    return render_to_string("measures/records/job_guarantee.html", {
        "source": report.source or "input", "summary": summary,
        "share": percent(summary.share_meeting_all, missing="n/a"),
        "failures": [(standard.titles.get(name, name), count) for name, count in summary.commonest_failures],
        "condition_titles": [standard.titles.get(name, name) for name in CONDITION_IDS],
        "rows": rows,
    })
