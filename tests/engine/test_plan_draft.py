"""`plan draft` proposes a plan from its text: made-up TEST text, and the shipped text's quotes."""

from __future__ import annotations

from pathlib import Path

from recovery_tracker.engine.plan import normalise_whitespace, plan_parse
from recovery_tracker.engine.plan_draft import plan_draft, plan_draft_data
from recovery_tracker.engine.registry import registry_read_shipped

PLANS = Path(__file__).resolve().parents[2] / "src" / "recovery_tracker" / "data" / "plans"

# Test data: a made-up plan text using real registry names.
TEXT = """A Test Recovery Plan (TEST)

1 Test jobs

There are 12,500 test workers in Testshire, of whom 18 per cent are paid less than £11 an hour.

The WMCA and LEPs should:

  • build a test jobs board with employers
  • publish a test skills map.

The test fund of £40m is required over three years. Test bodies such as the Testshire Water Board are welcome.

  1. Test pay

Employers must be encouraged to pay the test wage; local authorities should report on it.

The local test scheme should offer:

– secure test contracts

– a test living wage
"""


def _draft():
    return plan_draft(TEXT, registry_read_shipped())


def test_sections_come_from_the_headings_and_lost_numbering_is_restored():
    sections = _draft().sections
    assert [(s.number, s.title) for s in sections] == [("1", "Test jobs"), ("2", "Test pay")]
    assert sections[1].source_heading == "1. Test pay"


def test_one_candidate_per_asking_sentence_or_clause_with_its_modality():
    found = {c.quote: c.modality for c in _draft().candidates}
    assert found == {
        "build a test jobs board with employers": "should",
        "publish a test skills map.": "should",
        "The test fund of £40m is required over three years.": "needed",
        "Employers must be encouraged to pay the test wage": "must be encouraged",
        "local authorities should report on it.": "should",
        "The local test scheme should offer": "should",
    }


def test_every_proposal_is_verbatim():
    text = normalise_whitespace(TEXT)
    draft = _draft()
    assert all(normalise_whitespace(c.quote) in text for c in draft.candidates)
    assert all(normalise_whitespace(f.statement) in text for f in draft.figures)


def test_bodies_are_matched_against_the_registry_and_the_rest_listed():
    by_quote = {c.quote: c for c in _draft().candidates}
    board = by_quote["build a test jobs board with employers"]
    assert board.addressees == ["wmca", "black-country-lep", "coventry-warwickshire-lep",
                                "greater-birmingham-solihull-lep"]
    assert board.support == ["employers"]
    assert by_quote["local authorities should report on it."].addressees == ["local-authorities"]
    assert by_quote["The test fund of £40m is required over three years."].addressees == []
    assert "Testshire Water Board" in _draft().unmatched_names


def test_a_short_list_under_an_asking_lead_in_becomes_its_criteria():
    scheme = next(c for c in _draft().candidates if c.quote == "The local test scheme should offer")
    assert scheme.criteria == ["secure test contracts", "a test living wage"]


def test_stated_figures_carry_their_units():
    assert [(f.value, f.unit) for f in _draft().figures] == [
        (12500, "test workers"), (18, "percent"), (11, "GBP"), (40, "GBP million")]


def test_the_draft_is_a_valid_plan_file_marked_for_review():
    data = plan_draft_data(_draft(), plan_id="test-draft", title="A Test Recovery Plan (TEST)",
                           source_text="draft-TEST.source.txt", published="2026-01-01")
    plan = plan_parse(data, registry=registry_read_shipped())
    assert len(plan.recommendations) == 6
    assert all(rec.note.startswith("REVIEW") for rec in plan.recommendations)
    assert [rec.id for rec in plan.recommendations][:2] == ["1-a", "1-b"]


def test_on_the_shipped_text_no_proposed_quote_is_paraphrased():
    raw = (PLANS / "west-midlands-2020.source.txt").read_text(encoding="utf-8")
    text = normalise_whitespace(raw)
    draft = plan_draft(raw, registry_read_shipped())
    assert len(draft.candidates) > 60
    assert [c.quote for c in draft.candidates if normalise_whitespace(c.quote) not in text] == []
