"""The checks' criteria are the plan's: same ids and the same quoted words as the shipped plan data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from recovery_tracker.engine.standards.job_guarantee import load_job_guarantee_standard
from recovery_tracker.engine.standards.public_interest import load_public_interest_test

PLAN = Path(__file__).parents[3] / "src/recovery_tracker/data/plans/west-midlands-2020.yaml"


def plan_criteria(recommendation_id: str) -> dict[str, str]:
    data: dict[str, Any] = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    [recommendation] = [item for item in data["recommendations"] if item["id"] == recommendation_id]
    return {item["id"]: item["text"] for item in recommendation["criteria"]}


def test_job_guarantee_conditions_quote_the_plan() -> None:
    assert dict(load_job_guarantee_standard().plan_text) == plan_criteria("5-i")


def test_public_interest_criteria_quote_the_plan() -> None:
    test = load_public_interest_test()
    assert {criterion.id: criterion.plan_text for criterion in test.criteria} == plan_criteria("6-d")
