"""The shipped West Midlands plan: complete, verbatim, consistent, and recording no progress."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
import yaml

from recovery_tracker.engine.figures import StatedFigure, check_same_population, check_sum
from recovery_tracker.engine.plan import MODALITIES, PlanError, normalise_whitespace, plan_parse, plan_read
from recovery_tracker.engine.plan_rules import plan_rules_check
from recovery_tracker.engine.registry import registry_read, registry_read_shipped, shipped_registry_path

PLANS = Path(__file__).resolve().parents[2] / "src" / "recovery_tracker" / "data" / "plans"
PLAN_PATH = PLANS / "west-midlands-2020.yaml"
SOURCE_PATH = PLANS / "west-midlands-2020.source.txt"
REGISTRY_PATH = shipped_registry_path()

SECTIONS = ("2.3.1", "2.3.2", "3.1", "3.2", "3.3", "4", "4.1", "4.2", "4.3", "5", "6")
LEPS = ("black-country-lep", "greater-birmingham-solihull-lep", "coventry-warwickshire-lep")
COUNCILS = (
    "birmingham-city-council",
    "coventry-city-council",
    "dudley-council",
    "sandwell-council",
    "solihull-council",
    "walsall-council",
    "wolverhampton-council",
)
# Nothing in the plan file may look like recorded progress (issue 2: every recommendation starts
# "not assessed").
PROGRESS_WORDS = ("status", "progress", "delivered", "assessment", "rag")


@pytest.fixture(scope="module")
def plan():
    return plan_read(PLAN_PATH)


@pytest.fixture(scope="module")
def source() -> str:
    return normalise_whitespace(SOURCE_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(PLAN_PATH.read_text(encoding="utf-8"))


def _rec(plan, rec_id):
    return next(rec for rec in plan.recommendations if rec.id == rec_id)


def _fact(plan, fact_id):
    return next(fact for fact in plan.facts if fact.id == fact_id)


def test_plan_metadata(plan):
    assert plan.plan.id == "west-midlands-2020"
    assert plan.plan.title == "A Better Recovery for the West Midlands"
    assert plan.plan.published.isoformat() == "2020-07-06"
    assert (PLANS / plan.plan.source_text).exists()
    assert plan.plan.description


def test_every_quote_is_verbatim(plan, source):
    missing = [rec.id for rec in plan.recommendations if normalise_whitespace(rec.quote) not in source]
    assert missing == [], f"quotes not found verbatim in the source text: {missing}"


def test_every_criterion_text_is_verbatim(plan, source):
    missing = [
        f"{rec.id}/{criterion.id}"
        for rec in plan.recommendations
        for criterion in rec.criteria
        if normalise_whitespace(criterion.text) not in source
    ]
    assert missing == []


def test_every_fact_statement_is_verbatim(plan, source):
    missing = [fact.id for fact in plan.facts if normalise_whitespace(fact.statement) not in source]
    assert missing == [], f"fact statements not found verbatim in the source text: {missing}"


def test_fact_values_appear_in_their_statement(plan):
    """A fact's number must be the one its sentence states (507380 → "507,380", 636 → "£636m")."""
    for fact in plan.facts:
        if fact.value is None:
            continue  # a stated position (a charter signed), not a figure
        number = fact.value
        shown = f"{number:,.0f}" if float(number).is_integer() else f"{number:g}"
        words = {9: "nine"}
        assert shown in fact.statement or words.get(int(number), "\0") in fact.statement, fact.id


def test_sections_are_exactly_those_of_the_extract(plan):
    assert tuple(section.number for section in plan.sections) == SECTIONS
    titles = {section.number: section.title for section in plan.sections}
    assert titles["4"] == "Decent work and a new way of doing business"
    assert titles["5"] == "Meeting the skills challenge"
    assert titles["6"] == "Rebuilding public services"
    for number in ("4", "5", "6"):
        heading = next(section for section in plan.sections if section.number == number).source_heading
        assert heading.startswith("1. ")


def test_section_titles_appear_in_the_source(plan, source):
    for section in plan.sections:
        assert normalise_whitespace(section.title) in source, section.number


def test_every_section_has_a_recommendation_or_a_fact(plan):
    covered = {rec.section for rec in plan.recommendations} | {fact.section for fact in plan.facts}
    assert set(SECTIONS) <= covered


def test_ids_are_unique_and_in_section_letter_form(plan):
    for label, items in (
        ("recommendations", plan.recommendations),
        ("facts", plan.facts),
        ("organisations", plan.organisations),
        ("schemes", plan.schemes),
        ("checks", plan.checks),
    ):
        duplicates = [key for key, count in Counter(item.id for item in items).items() if count > 1]
        assert duplicates == [], label
    for rec in plan.recommendations:
        section, _, letter = rec.id.rpartition("-")
        assert section == rec.section and len(letter) == 1 and letter.isalpha(), rec.id


def test_recommendations_are_in_text_order(plan, source):
    """The file lists items in text order; letters within a section run a, b, c ... with none missing,
    items added later taking the next free letter (decision 0002), so letters need not be in order."""
    by_section: dict[str, list] = {}
    for rec in plan.recommendations:
        by_section.setdefault(rec.section, []).append(rec)
    for section, recs in by_section.items():
        letters = sorted(rec.id.rpartition("-")[2] for rec in recs)
        assert letters == [chr(ord("a") + index) for index in range(len(recs))], section
        positions = [source.index(normalise_whitespace(rec.quote)) for rec in recs]
        assert positions == sorted(positions), section


def test_the_plan_keeps_every_editorial_rule(plan):
    """Verbatim, whole clauses, one ask per item, the sentence's own modality (engine/plan_rules.py)."""
    problems = plan_rules_check(plan, SOURCE_PATH.read_text(encoding="utf-8"))
    assert [str(problem) for problem in problems] == []


def test_the_plan_is_about_sixty_recommendations(plan):
    assert 55 <= len(plan.recommendations) <= 80


def test_equality_bullets_each_stand_on_their_own(plan):
    recs = [rec for rec in plan.recommendations if rec.section == "4.3"]
    assert len(recs) >= 9
    bullets = (
        "Employers with 50 employees or more",
        "employers with 250 or more employees",
        "regular pay audits",
        "specialist domestic violence services",
        "partial devolution of some skills funding",
        "wider consultation of stakeholders",
        "zero-tolerance approach to sexual harassment",
        "inclusive of lesbian, gay, bisexual and trans",
        "address the disability employment and pay gaps",
        "Equality Act obligations",
        "Reasonable Adjustments Disability Passport",
    )
    for phrase in bullets:
        matches = [rec.id for rec in recs if phrase in rec.quote]
        assert len(matches) == 1, (phrase, matches)


def test_employer_measures_in_4_3_are_supported_by_employers_the_wmca_encourages(plan):
    for rec_id in ("4.3-c", "4.3-d", "4.3-e", "4.3-i", "4.3-j", "4.3-k", "4.3-m"):
        roles = {a.organisation: a.role for a in _rec(plan, rec_id).addressees}
        assert roles.get("employers") == "support", rec_id
        assert roles.get("wmca") == "lead", rec_id


def test_encouragement_is_recorded_as_such(plan):
    assert _rec(plan, "4.3-c").modality == "should be encouraged"
    assert _rec(plan, "4.3-e").modality == "should be encouraged"
    assert _rec(plan, "4.3-i").modality == "must be encouraged"


def test_the_three_employer_training_measures_stand_on_their_own(plan):
    quotes = [normalise_whitespace(rec.quote) for rec in plan.recommendations if rec.section == "5"]
    for phrase in (
        "the number of employers providing workplace training",
        "engagement with unions on the learning and skills agenda",
        "the number of employees provided with time off to train",
    ):
        assert sum(phrase in quote for quote in quotes) == 1, phrase


def test_wmca_and_leps_should_addresses_all_four_as_lead(plan):
    roles = {a.organisation: a.role for a in _rec(plan, "3.1-d").addressees}
    assert roles["wmca"] == "lead"
    for lep in LEPS:
        assert roles[lep] == "lead"


def test_wmca_and_local_authorities_work_with_leps_in_support(plan):
    roles = {a.organisation: a.role for a in _rec(plan, "4.2-e").addressees}
    assert roles["wmca"] == "lead" and roles["local-authorities"] == "lead"
    assert all(roles[lep] == "support" for lep in LEPS)


def test_job_guarantee_criteria_are_the_six_conditions(plan):
    rec = next(rec for rec in plan.recommendations if "local job guarantee scheme" in rec.quote)
    assert [criterion.id for criterion in rec.criteria] == [
        "secure_contract",
        "living_wage",
        "training",
        "union_access",
        "community_benefit",
        "additionality",
    ]


def test_make_or_buy_criteria_are_seven(plan):
    rec = next(rec for rec in plan.recommendations if "“make or buy” criteria" in rec.quote)
    assert len(rec.criteria) == 7
    assert rec.criteria[0].text == "a public service ethos"


def test_sectoral_boards_plan_for_six_areas(plan):
    assert len(_rec(plan, "3.1-d").criteria) == 6


def test_apprenticeship_charter_has_four_requirements(plan):
    rec = next(rec for rec in plan.recommendations if "TUC Apprenticeship Charter" in rec.quote)
    assert [criterion.id for criterion in rec.criteria] == [
        "purpose",
        "paid_fairly",
        "learning_and_training",
        "union_access",
    ]


def _targets(plan):
    return {target.id: target for rec in plan.recommendations for target in rec.targets}


def test_renewables_target(plan):
    target = _targets(plan)["renewables-50-2030"]
    assert (target.value, target.unit) == (50, "percent")
    assert target.deadline.isoformat() == "2030-12-31"
    assert (target.method, target.direction, target.indicator) == ("cagr", "increase", "renewable-share")


def test_housing_target(plan):
    target = _targets(plan)["housing-deal-215000-2031"]
    assert (target.value, target.unit) == (215000, "homes")
    assert target.deadline.isoformat() == "2031-03-31"
    assert target.method == "linear"
    assert target.geography == "WMCA 3-LEP area"
    assert target.indicator == "housing-deal-completions"


def test_further_education_target_and_its_parts(plan):
    target = _targets(plan)["fe-investment-636m"]
    assert (target.value, target.unit) == (636, "GBP million")
    assert [component.value for component in target.components] == [471, 89, 75]
    assert sum(component.value for component in target.components) == 635
    assert all(component.unit == "GBP million" for component in target.components)


def test_only_target_recommendations_carry_targets(plan):
    for rec in plan.recommendations:
        assert bool(rec.targets) == (rec.kind == "target"), rec.id


def test_kinds_modalities_and_themes_are_from_the_vocabulary(plan):
    themes = {
        "industrial-strategy",
        "net-zero",
        "housing",
        "transport",
        "digital",
        "energy",
        "infrastructure",
        "procurement",
        "social-value",
        "good-jobs",
        "worker-voice",
        "equality",
        "pay-gaps",
        "skills",
        "apprenticeships",
        "job-guarantee",
        "further-education",
        "public-services",
        "key-workers",
    }
    for rec in plan.recommendations:
        assert rec.kind in {"target", "action", "standard", "principle"}, rec.id
        assert rec.modality in MODALITIES, rec.id
        assert rec.themes and set(rec.themes) <= themes, rec.id
        # An item that names no body says why in its note (the cluster ambition, the stated FE need).
        assert any(a.role == "lead" for a in rec.addressees) or (not rec.addressees and rec.note), rec.id


def test_nothing_records_progress(plan, raw):
    """Every recommendation starts 'not assessed': the file holds no status or progress at all."""
    for item in raw["recommendations"]:
        assert not set(item) & set(PROGRESS_WORDS), item["id"]
    assert "status_vocabulary" not in raw["plan"]
    assert plan.plan.status_vocabulary[0].key == "not_assessed"


def test_required_organisations_are_present():
    orgs = registry_read(REGISTRY_PATH)
    assert orgs["wmca"].kind == "combined_authority"
    for lep in LEPS:
        assert orgs[lep].kind == "lep"
        assert orgs[lep].successor == "wmca"
        assert any(state.state == "closed" and state.source_url for state in orgs[lep].states)
    for council in COUNCILS:
        assert orgs[council].kind == "council"
    for org_id, kind in (
        ("local-authorities", "council"),
        ("colleges-west-midlands", "college"),
        ("universities", "university"),
        ("anchor-institutions", "anchor"),
        ("employers", "employer"),
        ("uk-government", "government"),
        ("trade-unions", "union"),
        ("midlands-tuc", "union"),
        ("recovery-tracker-editorial", "editorial"),
    ):
        assert orgs[org_id].kind == kind, org_id
    assert orgs["trade-unions"].independent_assessor and orgs["midlands-tuc"].independent_assessor


def test_every_organisation_named_in_the_evidence_is_mapped():
    """The comment table at the top of the registry maps each evidence name to an id."""
    text = REGISTRY_PATH.read_text(encoding="utf-8")
    ids = set(registry_read(REGISTRY_PATH))
    mapped = [line for line in text.splitlines() if "->" in line and line.lstrip().startswith("#")]
    assert len(mapped) > 30
    for line in mapped:
        targets = line.split("->", 1)[1]
        for token in targets.replace(",", " ").split():
            if token not in {"the", "seven", "council", "ids", "below"}:
                assert token in ids, (token, line)


def test_scheme_states_are_dated_and_sourced(plan):
    schemes = {scheme.id: scheme for scheme in plan.schemes}
    for scheme_id in (
        "job-retention-scheme",
        "seiss",
        "city-deals",
        "local-growth-fund",
        "shared-prosperity-fund",
        "hs2",
    ):
        assert scheme_id in schemes
    for scheme in plan.schemes:
        for state in scheme.states:
            assert state.source_url.startswith("http"), scheme.id
    assert schemes["job-retention-scheme"].states[-1].date.isoformat() == "2021-09-30"
    assert any(state.state == "cut back" for state in schemes["hs2"].states)


def test_facts_carry_geography_date_and_source(plan):
    for fact in plan.facts:
        assert fact.geography and fact.as_of and fact.source, fact.id


def test_stated_figures_are_all_present(plan):
    expected = {
        "key-workers": 507380,
        "key-workers-under-10": 42,
        "scheme-workers": 882100,
        "scheme-share": 32,
        "seiss-claims": 32500,
        "jrs": 122800,
        "jrs-seiss-total": 155300,
        "on-scheme-share": 32,
        "public-spending-2018-19": 74,
        "universities": 9,
        "colleges-students": 250000,
        "colleges-young-people": 74000,
        "colleges-adults": 145000,
        "colleges-apprentices": 27000,
        "colleges-employers": 12000,
        "fe-colleges": 21,
        "fe-investment": 636,
        "fe-estate": 471,
        "fe-new-facilities": 89,
        "fe-digital": 75,
        "housing-deal-funding": 350,
        "housing-deal-homes": 215000,
        "renewables-target": 50,
    }
    assert {fact_id: _fact(plan, fact_id).value for fact_id in expected} == expected
    assert _fact(plan, "colleges-students").qualifier == "over"


def test_the_table_geography_is_not_asserted(plan):
    """The extract lost the JRS/SEISS table's area: no code is claimed for it."""
    for fact_id in ("seiss-claims", "jrs", "jrs-seiss-total", "on-scheme-share"):
        fact = _fact(plan, fact_id)
        assert fact.geography_code == ""
        assert "not stated" in fact.geography.lower()


def test_the_four_figure_checks_give_the_expected_results(plan):
    facts = {f.id: StatedFigure(f.id, f.value, f.unit, f.qualifier, f.geography) for f in plan.facts}
    outcomes = {}
    for check in plan.checks:
        parts = [facts[ref] for ref in check.parts]
        if check.kind == "sum":
            outcomes[check.id] = check_sum(check.id, parts, facts[check.total]).outcome
        else:
            outcomes[check.id] = check_same_population(check.id, parts, facts[check.total]).outcome
    assert outcomes == {
        "jrs-plus-seiss": "holds",
        "fe-investment-parts": "rounding_difference",
        "colleges-students-groups": "may_overlap_or_be_incomplete",
        "scheme-population": "different_populations",
    }


def test_an_unknown_organisation_names_the_recommendation_and_field(raw):
    broken = copy.deepcopy(raw)
    rec = next(item for item in broken["recommendations"] if item["id"] == "3.2-k")
    rec["addressees"].append({"organisation": "west-midlands-bus-board", "role": "lead"})
    with pytest.raises(PlanError) as caught:
        plan_parse(broken, path="west-midlands-2020.yaml", registry=registry_read_shipped())
    message = str(caught.value)
    assert message.startswith("west-midlands-2020.yaml: ")
    assert "recommendation 3.2-k, field addressees" in message
    assert "west-midlands-bus-board" in message


def test_a_missing_quote_names_the_recommendation_and_field(raw):
    broken = copy.deepcopy(raw)
    del next(item for item in broken["recommendations"] if item["id"] == "5-i")["quote"]
    with pytest.raises(PlanError) as caught:
        plan_parse(broken, path="west-midlands-2020.yaml")
    assert "recommendation 5-i, field quote" in str(caught.value)


def test_a_broken_lep_successor_is_reported(tmp_path):
    data = yaml.safe_load(REGISTRY_PATH.read_text(encoding="utf-8"))
    next(org for org in data["organisations"] if org["id"] == "black-country-lep")["successor"] = "wmca-x"
    broken = tmp_path / "organisations.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        registry_read(broken)
    assert "organisation black-country-lep, field successor" in str(caught.value)


def test_local_authorities_are_the_seven_councils():
    """Every council answers for itself: the group "local authorities" stands for the seven councils."""
    orgs = registry_read(REGISTRY_PATH)
    assert set(orgs["local-authorities"].members) == set(COUNCILS)
    assert len(COUNCILS) == 7
