"""Issue 18: what the first reading of the West Midlands text missed, each point as a check.

Every check runs on the shipped plan (it must pass) and on the file as shipped before the corrections
(tests/data/plan-TEST-west-midlands-2020-before-issue-18.yaml, kept as test data: it must fail), so
each point is shown to be caught.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from recovery_tracker.engine.plan import PlanFile, normalise_whitespace, plan_read
from recovery_tracker.engine.plan_rules import (
    rule_modality_is_the_sentences,
    rule_one_ask_per_item,
    rule_quotes_are_whole_clauses,
)

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "src" / "recovery_tracker" / "data" / "plans"
CURRENT = PLANS / "west-midlands-2020.yaml"
BEFORE = ROOT / "tests" / "data" / "plan-TEST-west-midlands-2020-before-issue-18.yaml"
SOURCE = (PLANS / "west-midlands-2020.source.txt").read_text(encoding="utf-8")
HOUSING = ROOT / "src" / "recovery_tracker" / "data" / "statistics" / "housing-deal-3lep-area.csv"
LEPS = {"black-country-lep", "greater-birmingham-solihull-lep", "coventry-warwickshire-lep"}


def _with(plan: PlanFile, phrase: str) -> list:
    return [rec for rec in plan.recommendations if phrase in normalise_whitespace(rec.quote)]


def _roles(rec) -> dict[str, str]:
    return {a.organisation: a.role for a in rec.addressees}


def crucial_role_is_an_ask(plan: PlanFile) -> list[str]:
    recs = _with(plan, "have a crucial role to play in shaping how infrastructure is delivered")
    if len(recs) != 1:
        return ["'The WMCA and LEPs have a crucial role to play ...' is not a recommendation"]
    roles = _roles(recs[0])
    return [] if roles.get("wmca") == "lead" and set(roles) >= LEPS else ["not addressed to the WMCA and LEPs"]


def green_energy_cluster_is_recorded(plan: PlanFile) -> list[str]:
    recs = _with(plan, "could not become home to a cluster of green energy companies")
    if len(recs) != 1:
        return ["the cluster of green energy companies is not recorded"]
    rec = recs[0]
    return [] if not rec.addressees and rec.note else ["an ambition naming no body should say so, with no addressee"]


def equality_list_follows_its_two_lead_ins(plan: PlanFile) -> list[str]:
    problems = []
    lead_in = _with(plan, "There is also much that can and should be done by the WMCA, LEPs and local authorities.")
    if len(lead_in) != 1 or set(_roles(lead_in[0])) != {"wmca", "local-authorities", *LEPS}:
        problems.append("'There is also much that can and should be done ...' is not recorded for all three bodies")
    start = normalise_whitespace(SOURCE).index("to enact the following recommendations")
    end = normalise_whitespace(SOURCE).index("Meeting the skills challenge")
    for rec in plan.recommendations:
        position = normalise_whitespace(SOURCE).find(normalise_whitespace(rec.quote))
        if not start < position < end:
            continue
        roles = _roles(rec)
        if roles.get("wmca") != "lead" or not LEPS | {"local-authorities"} <= set(roles) or roles.get(
                "employers") == "lead":
            problems.append(f"{rec.id}: roles {roles} do not follow the lead-in sentences")
    return problems


def clause_3_2_o_is_whole(plan: PlanFile) -> list[str]:
    recs = _with(plan, "should work with community and workforce representatives")
    problems = [str(p) for p in rule_quotes_are_whole_clauses(plan, SOURCE) if p.item == f"recommendation {recs[0].id}"]
    if "maximising community benefits" not in recs[0].quote:
        problems.append("3.2-o stops before 'not just in terms of ...'")
    return problems


def employers_must_be_encouraged(plan: PlanFile) -> list[str]:
    rec = _with(plan, "Employers must be encouraged to promote and adopt a zero-tolerance approach")[0]
    problems = [str(p) for p in rule_modality_is_the_sentences(plan, SOURCE) if p.item == f"recommendation {rec.id}"]
    if rec.modality != "must be encouraged" or _roles(rec).get("employers") == "lead":
        problems.append(f"{rec.id}: {rec.modality!r}, roles {_roles(rec)}")
    return problems


def domestic_violence_funding_says_why(plan: PlanFile) -> list[str]:
    rec = _with(plan, "adequate funding for specialist domestic violence services")[0]
    return [] if "names no funder" in rec.note else [f"{rec.id} has no note saying why its addressees were chosen"]


def merged_asks_are_split(plan: PlanFile) -> list[str]:
    problems = [str(p) for p in rule_one_ask_per_item(plan, SOURCE) if p.item in {
        "recommendation 4.3-k", "recommendation 3.1-h"}]
    for first, second in (
        ("address the disability employment and pay gaps", "Employers should also consult and work closely"),
        ("must also include an approach to driving up productivity", "The TUC believes that sectoral approaches"),
    ):
        a, b = _with(plan, first), _with(plan, second)
        if len(a) != 1 or len(b) != 1 or a[0].id == b[0].id:
            problems.append(f"'{first}' and '{second}' are not two items")
        elif a[0].id not in {"4.3-k", "3.1-h"}:
            problems.append(f"the first part of a split must keep its id, not {a[0].id}")
    return problems


def housing_measured_against_the_deals_trajectory(plan: PlanFile) -> list[str]:
    rows = list(csv.DictReader(HOUSING.open(encoding="utf-8")))
    per_year = float(next(r["value"] for r in rows if r["indicator"] == "housing_deal_annual_requirement"))
    rec = _with(plan, "speed up the delivery of the 215,000 homes")[0]
    # 2020/21 (the first counted year) to 2030/31: eleven years at the Deal's own annual rate.
    wanted = per_year * 11
    ok = [t for t in rec.targets if t.value == wanted and t.indicator == "housing-deal-completions"
          and "trajectory" in t.description and t.deadline and t.deadline.isoformat() == "2031-03-31"]
    return [] if ok else [f"{rec.id} has no target comparing delivery with the Deal's trajectory ({wanted:,.0f})"]


def fe_need_records_what_the_text_says(plan: PlanFile) -> list[str]:
    rec = _with(plan, "investment of some £636m is required")[0]
    problems = [str(p) for p in rule_modality_is_the_sentences(plan, SOURCE) if p.item == f"recommendation {rec.id}"]
    if rec.modality != "needed" or rec.addressees or "names no funder" not in rec.note:
        problems.append(f"{rec.id}: {rec.modality!r} with {_roles(rec)}; the text states a need and names no body")
    if not all(target.met_when for target in rec.targets):
        problems.append(f"{rec.id}: its target does not say what would show it met")
    return problems


def charters_are_facts_with_dated_states(plan: PlanFile) -> list[str]:
    problems = []
    facts = {scheme for fact in plan.facts for scheme in fact.schemes}
    schemes = {scheme.id: scheme for scheme in plan.schemes}
    for scheme_id in ("apprenticeship-charter", "dying-to-work-charter"):
        if scheme_id not in facts:
            problems.append(f"no fact states the WMCA's {scheme_id}")
        if not any(state.source_url for state in schemes[scheme_id].states):
            problems.append(f"{scheme_id} has no dated, sourced state")
    return problems


def every_change_is_in_the_data_version(plan: PlanFile) -> list[str]:
    if not plan.plan.changes:
        return ["the plan file has no change log"]
    latest = plan.plan.changes[-1]
    touched = {"3.1-h", "3.1-i", "3.2-c", "3.2-o", "3.2-t", "3.2-u", "4.3-f", "4.3-i", "4.3-k", "4.3-n", "4.3-o", "5-p"}
    missing = touched - set(latest.items)
    return [f"the latest change does not list {sorted(missing)}"] if missing else []


POINTS: list[Callable[[PlanFile], list[str]]] = [
    crucial_role_is_an_ask,
    green_energy_cluster_is_recorded,
    equality_list_follows_its_two_lead_ins,
    clause_3_2_o_is_whole,
    employers_must_be_encouraged,
    domestic_violence_funding_says_why,
    merged_asks_are_split,
    housing_measured_against_the_deals_trajectory,
    fe_need_records_what_the_text_says,
    charters_are_facts_with_dated_states,
    every_change_is_in_the_data_version,
]


@pytest.fixture(scope="module")
def current() -> PlanFile:
    return plan_read(CURRENT)


@pytest.fixture(scope="module")
def before() -> PlanFile:
    return plan_read(BEFORE)


@pytest.mark.parametrize("point", POINTS, ids=lambda point: point.__name__)
def test_the_corrected_plan_meets_the_point(point, current):
    assert point(current) == []


@pytest.mark.parametrize("point", POINTS, ids=lambda point: point.__name__)
def test_the_file_before_the_corrections_fails_the_point(point, before):
    assert point(before) != []


def test_split_items_keep_their_ids_and_new_items_take_the_next_free_letter(current, before):
    old_ids = [rec.id for rec in before.recommendations]
    new_ids = {rec.id for rec in current.recommendations}
    assert set(old_ids) <= new_ids, "no id may disappear"
    assert new_ids - set(old_ids) == {"3.1-i", "3.2-t", "3.2-u", "4.3-n", "4.3-o"}
