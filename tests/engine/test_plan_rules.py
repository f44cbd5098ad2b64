"""The editorial rules hold for any plan: each slip is caught on a small made-up TEST plan.

Every plan and text here is test data, written for these tests (not a real plan).
"""

from __future__ import annotations

from recovery_tracker.engine.plan import plan_parse
from recovery_tracker.engine.plan_rules import (
    closest_passage,
    modal_phrases,
    plan_rules_check,
    rule_modality_is_the_sentences,
    rule_one_ask_per_item,
    rule_quotes_are_verbatim,
    rule_quotes_are_whole_clauses,
)

TEST_SOURCE = """1 Test homes

The test authority should build test homes in every test ward – not just in the centre but in the outer
wards too; tenants must be consulted.

The test board should: • publish a test plan • review it every year.

2 Test equality

Test employers must be encouraged to adopt a test charter. Test employers should also meet test unions.
A test fund of £10m is required over five years. £6m is needed for buildings.
"""
CUT = "The test authority should build test homes in every test ward"


def _plan(*recs: dict) -> object:
    """A TEST plan with the given recommendations (id, section and quote; the rest defaulted)."""
    return plan_parse({
        "plan": {"id": "rules-test", "title": "Rules TEST plan", "publisher": "Test", "published": "2020-01-01",
                 "source_text": "rules-TEST.source.txt"},
        "organisations": [{"id": "test-authority", "name": "Test Authority (TEST)"}],
        "sections": [{"number": "1", "title": "Test homes"}, {"number": "2", "title": "Test equality"}],
        "recommendations": [
            {"title": "A test ask", "kind": "action", "modality": "should", "themes": ["housing"],
             "addressees": [{"organisation": "test-authority"}], **rec}
            for rec in recs
        ],
    })


def _messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


# --- a quote cut mid-clause -------------------------------------------------------------------------

def test_a_quote_cut_before_the_end_of_its_clause_is_caught():
    plan = _plan({"id": "1-a", "section": "1", "quote": CUT})
    problems = _messages(rule_quotes_are_whole_clauses(plan, TEST_SOURCE))
    assert len(problems) == 1
    assert problems[0].startswith("recommendation 1-a, field quote: stops mid-clause")
    assert "not just in the centre but in the outer wards too" in problems[0]


def test_the_whole_clause_passes_and_so_does_a_rest_quoted_by_another_item():
    whole = _plan({"id": "1-a", "section": "1", "quote": (
        "The test authority should build test homes in every test ward – not just in the centre but in the outer "
        "wards too")})
    assert rule_quotes_are_whole_clauses(whole, TEST_SOURCE) == []
    split = _plan(
        {"id": "1-a", "section": "1", "quote": "The test authority should build test homes in every test ward"},
        {"id": "1-b", "section": "1", "quote": "– not just in the centre but in the outer wards too"},
    )
    assert rule_quotes_are_whole_clauses(split, TEST_SOURCE) == []


def test_a_quote_starting_mid_clause_is_caught_but_a_list_item_is_not():
    late = _plan({"id": "1-a", "section": "1", "quote": "build test homes in every test ward – not just in the centre "
                  "but in the outer wards too"})
    assert "starts mid-clause" in _messages(rule_quotes_are_whole_clauses(late, TEST_SOURCE))[0]
    item = _plan({"id": "1-a", "section": "1", "quote": "publish a test plan"})
    assert rule_quotes_are_whole_clauses(item, TEST_SOURCE) == []


# --- two asks in one item ---------------------------------------------------------------------------

def test_two_asking_sentences_in_one_item_are_caught():
    plan = _plan({"id": "2-a", "section": "2", "modality": "must be encouraged", "quote": (
        "Test employers must be encouraged to adopt a test charter. Test employers should also meet test unions.")})
    problems = _messages(rule_one_ask_per_item(plan, TEST_SOURCE))
    assert len(problems) == 1
    assert "holds 2 asks" in problems[0] and problems[0].startswith("recommendation 2-a, field quote")


def test_two_asking_clauses_joined_by_a_semicolon_are_caught():
    plan = _plan({"id": "1-a", "section": "1", "quote": (
        "The test authority should build test homes in every test ward – not just in the centre but in the outer "
        "wards too; tenants must be consulted.")})
    assert "holds 2 asks" in _messages(rule_one_ask_per_item(plan, TEST_SOURCE))[0]


def test_one_ask_with_a_statement_before_it_is_one_item():
    plan = _plan({"id": "2-a", "section": "2", "modality": "needed", "quote": (
        "A test fund of £10m is required over five years.")})
    assert rule_one_ask_per_item(plan, TEST_SOURCE) == []


# --- a modality the sentence does not use ------------------------------------------------------------

def test_must_be_encouraged_recorded_as_must_is_caught():
    plan = _plan({"id": "2-a", "section": "2", "modality": "must",
                  "quote": "Test employers must be encouraged to adopt a test charter."})
    problems = _messages(rule_modality_is_the_sentences(plan, TEST_SOURCE))
    assert problems == ["recommendation 2-a, field modality: the sentence says “must be encouraged”, recorded as "
                        "'must'; record the modality it uses"]
    fixed = _plan({"id": "2-a", "section": "2", "modality": "must be encouraged",
                   "quote": "Test employers must be encouraged to adopt a test charter."})
    assert rule_modality_is_the_sentences(fixed, TEST_SOURCE) == []


def test_a_stated_need_recorded_as_should_is_caught():
    plan = _plan({"id": "2-a", "section": "2", "modality": "should",
                  "quote": "A test fund of £10m is required over five years."})
    problems = _messages(rule_modality_is_the_sentences(plan, TEST_SOURCE))
    assert "recorded as 'should' but neither the quote nor its lead-in says so" in problems[0]
    assert "'is required'" in problems[0]


def test_a_list_item_takes_the_modality_of_its_lead_in():
    plan = _plan({"id": "1-a", "section": "1", "modality": "should", "quote": "review it every year."})
    assert rule_modality_is_the_sentences(plan, TEST_SOURCE) == []
    wrong = _plan({"id": "1-a", "section": "1", "modality": "must", "quote": "review it every year."})
    assert "recorded as 'must'" in _messages(rule_modality_is_the_sentences(wrong, TEST_SOURCE))[0]


def test_modal_phrases_keep_the_most_specific():
    assert modal_phrases("Employers must be encouraged to act and should report.") == [
        ("must be encouraged", "must be encouraged"), ("should", "should")]


# --- verbatim -----------------------------------------------------------------------------------------

def test_a_paraphrase_is_named_with_the_closest_passage():
    plan = _plan({"id": "1-a", "section": "1", "quote": CUT.replace("homes", "houses")})
    problems = _messages(rule_quotes_are_verbatim(plan, TEST_SOURCE))
    assert len(problems) == 1
    assert problems[0].startswith("recommendation 1-a, field quote: not verbatim in the source text")
    assert "“The test authority should build test homes in every test ward" in problems[0]


def test_closest_passage_finds_the_changed_sentence():
    passage, ratio = closest_passage("Test employers ought to meet test unions.", TEST_SOURCE)
    assert "meet test unions" in passage and ratio > 0.7


def test_a_clean_test_plan_passes_every_rule():
    plan = _plan(
        {"id": "1-a", "section": "1", "quote": (
            "The test authority should build test homes in every test ward – not just in the centre but in the "
            "outer wards too")},
        {"id": "1-b", "section": "1", "modality": "must", "quote": "tenants must be consulted."},
        {"id": "2-a", "section": "2", "modality": "must be encouraged",
         "quote": "Test employers must be encouraged to adopt a test charter."},
        {"id": "2-b", "section": "2", "quote": "Test employers should also meet test unions."},
    )
    assert _messages(plan_rules_check(plan, TEST_SOURCE)) == []
