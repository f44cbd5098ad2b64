"""Fair-work procurement: each rule, the per-buyer share of spend, a custom standard, bad registers."""

from __future__ import annotations

from pathlib import Path

import pytest

from recovery_tracker.engine.standards import StandardsInputError
from recovery_tracker.engine.standards.procurement import (
    check_procurement_file,
    load_procurement_standard,
)

FWF = ("real_living_wage,effective_voice,workforce_development,no_inappropriate_zero_hours,pay_gap_action,"
       "flexible_working_day_one,no_fire_and_rehire")
HEADER = f"buyer,supplier,value,start_date,end_date,category,social_value_weighting,{FWF}\n"
ALL_YES = "yes,yes,yes,yes,yes,yes,yes"


def register(tmp_path: Path, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "contracts-DEMO.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_default_standard_is_fair_work_first_seven_plus_ten_percent_social_value() -> None:
    standard = load_procurement_standard()
    required = [criterion.id for criterion in standard.criteria if criterion.required]
    assert required == FWF.split(",")
    assert standard.minimum_social_value_percent == 10


def test_social_value_weighting_equal_to_the_minimum_meets_it(tmp_path: Path) -> None:
    report = check_procurement_file(register(tmp_path, f"Council DEMO,Supplier DEMO,100,2026-01-01,,service,10,"
                                                       f"{ALL_YES}\n"))
    assert report.contracts[0].meets_standard
    assert "social_value_weighting" in report.contracts[0].met


def test_social_value_weighting_below_the_minimum_is_missing(tmp_path: Path) -> None:
    report = check_procurement_file(register(tmp_path, f"Council DEMO,Supplier DEMO,100,2026-01-01,,service,9.5,"
                                                       f"{ALL_YES}\n"))
    assessment = report.contracts[0]
    assert assessment.missing == ("social_value_weighting",)
    assert "below the 10% minimum" in assessment.reasons["social_value_weighting"]


def test_each_missing_commitment_is_named(tmp_path: Path) -> None:
    report = check_procurement_file(register(
        tmp_path, "Council DEMO,Supplier DEMO,100,2026-01-01,,service,10,no,yes,yes,no,yes,yes,yes\n"))
    assert report.contracts[0].missing == ("real_living_wage", "no_inappropriate_zero_hours")
    assert "real Living Wage" in report.contracts[0].reasons["real_living_wage"]


def test_share_of_spend_meeting_the_standard_is_per_buyer_and_weighted_by_value(tmp_path: Path) -> None:
    report = check_procurement_file(register(
        tmp_path,
        f"Council A DEMO,S1 DEMO,300,2026-01-01,,service,10,{ALL_YES}\n"
        f"Council A DEMO,S2 DEMO,100,2026-01-01,,service,5,{ALL_YES}\n"
        f"Council B DEMO,S3 DEMO,50,2026-01-01,,works,20,{ALL_YES}\n",
    ))
    buyers = {buyer.buyer: buyer for buyer in report.buyers}
    assert buyers["Council A DEMO"].share_of_spend_meeting == 0.75
    assert buyers["Council A DEMO"].contracts_meeting == 1
    assert buyers["Council B DEMO"].share_of_spend_meeting == 1.0
    assert report.to_dict()["summary"]["share_of_spend_meeting"] == pytest.approx(350 / 450, abs=1e-4)


def test_framework_agreement_applies_only_to_works_and_is_reported_not_required_by_default(tmp_path: Path) -> None:
    header = HEADER.strip() + ",framework_agreement\n"
    report = check_procurement_file(register(
        tmp_path,
        f"Council DEMO,Builder DEMO,100,2026-01-01,,works,10,{ALL_YES},no\n"
        f"Council DEMO,Cleaner DEMO,100,2026-01-01,,service,10,{ALL_YES},\n",
        header=header,
    ))
    works, service = report.contracts
    assert works.meets_standard and works.also_missing == ("framework_agreement",)
    assert "framework_agreement" not in service.also_missing + service.also_met


def test_a_custom_standard_can_require_the_framework_agreement_for_works(tmp_path: Path) -> None:
    standard = tmp_path / "standard-DEMO.yaml"
    standard.write_text(
        "id: demo\nname: Demo standard\nsocial_value: {minimum_percent: 20}\ncriteria:\n"
        "  - {id: framework_agreement, text: Framework agreement with decent-jobs plan, applies_to: [works]}\n",
        encoding="utf-8",
    )
    header = "buyer,supplier,value,start_date,end_date,category,social_value_weighting,framework_agreement\n"
    report = check_procurement_file(
        register(tmp_path, "Council DEMO,Builder DEMO,100,2026-01-01,,works,20,no\n"
                           "Council DEMO,Cleaner DEMO,100,2026-01-01,,service,20,\n", header=header),
        standard,
    )
    assert [item.meets_standard for item in report.contracts] == [False, True]
    assert report.contracts[0].missing == ("framework_agreement",)


def test_malformed_register_names_rows_and_columns_and_gives_no_results(tmp_path: Path) -> None:
    path = register(
        tmp_path,
        f"Council DEMO,Supplier DEMO,100,2026-01-01,,service,10,{ALL_YES}\n"
        f"Council DEMO,,lots,2026-01-01,,catering,110,{ALL_YES}\n"
        "Council DEMO,Supplier DEMO,100,2026-01-01,2025-01-01,service,10,yes,perhaps,yes,yes,yes,yes,yes\n",
    )
    with pytest.raises(StandardsInputError) as raised:
        check_procurement_file(path)
    where = {(error.row, error.column) for error in raised.value.problems}
    assert where == {(3, "supplier"), (3, "value"), (3, "category"), (3, "social_value_weighting"),
                     (4, "end_date"), (4, "effective_voice")}


def test_missing_commitment_column_is_named(tmp_path: Path) -> None:
    header = HEADER.replace(",no_fire_and_rehire", "")
    path = register(tmp_path, "Council DEMO,Supplier DEMO,100,2026-01-01,,service,10,yes,yes,yes,yes,yes,yes\n",
                    header=header)
    with pytest.raises(StandardsInputError) as raised:
        check_procurement_file(path)
    assert [(error.row, error.column) for error in raised.value.problems] == [(1, "no_fire_and_rehire")]
