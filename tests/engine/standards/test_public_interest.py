"""The public interest test: in-house default, the margin, the employment veto, the review register."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from recovery_tracker.engine.standards import StandardsInputError
from recovery_tracker.engine.standards.public_interest import (
    assess_public_interest,
    assess_public_interest_file,
    load_public_interest_test,
)

TEST = load_public_interest_test()
CRITERIA = [criterion.id for criterion in TEST.criteria]


def answers(in_house: int = 3, outsourced: int = 3, **overrides: tuple[int, int]) -> dict[str, Any]:
    criteria = {
        criterion: {"evidence": f"DEMO evidence for {criterion}", "in_house": in_house, "outsourced": outsourced}
        for criterion in CRITERIA
    }
    for criterion, (inside, outside) in overrides.items():
        criteria[criterion] = {"evidence": "DEMO evidence", "in_house": inside, "outsourced": outside}
    return {"service": "Grounds maintenance (DEMO)", "decision": "contract_renewal", "criteria": criteria,
            "existing_contracts": [{"reference": "DEMO-9", "supplier": "DEMO Grounds Ltd", "ends": "2027-03-31"}]}


def test_the_seven_criteria_of_the_plan_are_shipped_with_weights() -> None:
    assert CRITERIA == ["public_service_ethos", "accountability", "value_for_money", "quality_standards",
                        "long_term_sustainability", "employment_conditions", "integration"]
    assert sum(criterion.weight for criterion in TEST.criteria) == 100


def test_in_house_is_the_default_when_scores_are_level() -> None:
    decision = assess_public_interest(answers(3, 3))
    assert decision.recommendation == "in_house"
    assert not decision.strong_case_for_outsourcing


def test_outsourcing_needs_to_lead_by_the_published_margin() -> None:
    # 4 against 3 everywhere is a 20-point lead on a 0-5 scale; employment level at 4/4 passes.
    decision = assess_public_interest(answers(3, 4, employment_conditions=(4, 4)))
    assert decision.margin >= TEST.outsourcing_margin_points
    assert decision.recommendation == "outsource"


def test_a_lead_just_below_the_margin_is_not_a_strong_case() -> None:
    # Only value for money (weight 20) better by 2 points of 5: a lead of 8 points.
    decision = assess_public_interest(answers(3, 3, value_for_money=(3, 5)))
    assert decision.margin == 8.0
    assert decision.recommendation == "in_house"


def test_a_lead_exactly_at_the_margin_is_a_strong_case() -> None:
    # Value for money (weight 20) up two points gives 8; public service ethos (weight 10) up one gives 2.
    decision = assess_public_interest(answers(3, 3, value_for_money=(3, 5), public_service_ethos=(3, 4)))
    assert decision.margin == 10.0
    assert decision.recommendation == "outsource"


def test_employment_failure_cannot_be_outweighed() -> None:
    decision = assess_public_interest(answers(1, 5, employment_conditions=(5, 2)))
    assert decision.outsourced_score - decision.in_house_score > 30
    assert decision.employment_fails
    assert decision.recommendation == "in_house"
    assert any("cannot be outweighed" in reason for reason in decision.reasons)


def test_outsourced_employment_worse_than_in_house_fails_even_above_the_pass_mark() -> None:
    decision = assess_public_interest(answers(3, 5, employment_conditions=(5, 4)))
    assert decision.employment_fails
    assert decision.recommendation == "in_house"


def test_review_register_keeps_a_contract_with_a_strong_case() -> None:
    [entry] = assess_public_interest(answers(3, 4, employment_conditions=(4, 4))).review_register
    assert entry.action == "keep"


def test_review_register_terminates_where_in_house_demonstrably_leads() -> None:
    [entry] = assess_public_interest(answers(4, 2)).review_register
    assert entry.action == "terminate"
    assert entry.reference == "DEMO-9"


def test_review_register_renegotiates_shortfalls_when_the_case_is_close() -> None:
    [entry] = assess_public_interest(answers(3, 3, integration=(4, 3))).review_register
    assert entry.action == "renegotiate"
    assert any("integration of services (3 against 4)" in reason for reason in entry.reasons)


def test_no_register_entries_for_a_new_commissioning_decision() -> None:
    values = answers()
    values.pop("existing_contracts")
    values["decision"] = "new_commissioning"
    assert assess_public_interest(values).review_register == ()


def test_every_missing_or_bad_field_is_named() -> None:
    values = answers()
    del values["criteria"]["integration"]
    values["criteria"]["accountability"]["evidence"] = ""
    values["criteria"]["value_for_money"]["outsourced"] = 7
    values["criteria"]["quality_standards"]["in_house"] = "good"
    values["criteria"]["cheapness"] = {"evidence": "x", "in_house": 1, "outsourced": 5}
    values["service"] = ""
    with pytest.raises(StandardsInputError) as raised:
        assess_public_interest(values)
    fields = {error.column for error in raised.value.problems}
    assert fields == {"service", "criteria.integration", "criteria.accountability.evidence",
                      "criteria.value_for_money.outsourced", "criteria.quality_standards.in_house",
                      "criteria.cheapness"}


def test_yaml_input_gives_the_decision(tmp_path: Path) -> None:
    demo = Path(__file__).parents[3] / "src/recovery_tracker/data/standards/examples/public-interest-DEMO.yaml"
    decision = assess_public_interest_file(demo)
    assert decision.recommendation == "in_house"
    # The decision record itself is a template: tests/measures/test_records.py.
    assert decision.review_register


def test_bad_yaml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "assessment-DEMO.yaml"
    path.write_text("service: x\ncriteria:\n  accountability: [unclosed\n", encoding="utf-8")
    with pytest.raises(StandardsInputError) as raised:
        assess_public_interest_file(path)
    assert raised.value.problems[0].file == str(path)
    assert raised.value.problems[0].row is not None
