"""The standards' documents (HTML and PDF) come from templates, from the engines' typed results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from recovery_tracker.engine.standards.job_guarantee import Placement, check_placements
from recovery_tracker.engine.standards.public_interest import assess_public_interest_file
from recovery_tracker.measures.records import decision_record_html, decision_record_pdf, job_guarantee_record_html


def placement(**changes: object) -> Placement:
    values: dict[str, object] = {
        "row": 2, "employer": "Test Employer DEMO", "start_date": date(2026, 1, 15), "end_date": None,
        "contract_type": "permanent", "weekly_hours": Decimal("35"), "hourly_pay": Decimal("14.00"),
        "london": False, "training": True, "union_access": True, "community_benefit": True, "additional": True,
    }
    values.update(changes)
    return Placement(**values)  # type: ignore[arg-type]


EXAMPLES = Path(__file__).parents[2] / "src/recovery_tracker/data/standards/examples"


def test_decision_record_says_the_recommendation_the_register_and_the_rule():
    decision = assess_public_interest_file(EXAMPLES / "public-interest-DEMO.yaml")
    page = decision_record_html(decision)
    assert "Deliver the service in-house" in page
    assert "Contract review register" in page and "terminate" in page
    assert "a failure on employment conditions cannot be outweighed" in page
    assert decision_record_pdf(decision).startswith(b"%PDF")


def test_job_guarantee_record_shows_the_share_and_reasons():
    report = check_placements([placement(), placement(row=3, training=False)])
    page = job_guarantee_record_html(report)
    assert "1 of 2 placements meet all six conditions (50%)" in page
    assert "No training is recorded" in page
