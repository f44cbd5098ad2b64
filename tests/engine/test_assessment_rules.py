"""The rules an editorial assessment file keeps (engine.assessments), one focused test per rule."""

from __future__ import annotations

import datetime as dt

import pytest

from recovery_tracker.engine import assessments as A

STATUSES = ["not_assessed", "not_started", "planned", "in_progress", "partly_delivered", "delivered",
            "no_public_evidence"]
EVIDENCE = {
    "ev-1": A.EvidenceFact("ev-1", "2022-05-31", "Fund allocated", "WMCA's allocation was £105m over three years."),
    "ev-2": A.EvidenceFact("ev-2", "2023-07", "Board seat", "One union representative is a non-voting member."),
    "ev-3": A.EvidenceFact("ev-3", "2024", "Homes", "The first 50 homes were retrofitted."),
}
BODIES = {"r-1": ["wmca", "council-a", "council-b"]}


def parse(*entries: dict, sources: list[str] | None = None) -> A.AssessmentFile:
    data = {"plan": "p", "assessor": "editorial", "assessments": {"r-1": list(entries)}}
    if sources is not None:
        data["sources_searched"] = sources
    return A.assessments_parse(data, path="TEST-assessments.yaml")


def problems(*entries: dict, sources: list[str] | None = None) -> list[str]:
    return A.assessments_check(parse(*entries, sources=sources), evidence=EVIDENCE, bodies=BODIES, statuses=STATUSES)


def entry(**fields) -> dict:
    return {"as_at": dt.date(2024, 12, 31), "bodies": ["wmca"], "status": "in_progress",
            "reasons": "The fund was allocated.", "evidence": ["ev-1"], **fields}


def test_a_well_formed_entry_has_no_problems_and_expands_per_body():
    file = parse(entry(bodies=["wmca", "council-a"]))
    assert [(a.body, a.status) for a in file.assessments] == [("wmca", "in_progress"), ("council-a", "in_progress")]
    assert problems(entry()) == []


def test_evidence_dated_after_the_assessment_is_refused():
    found = problems(entry(as_at=dt.date(2022, 5, 30)))
    assert len(found) == 1 and "cites ev-1 dated 2022-05-31, after the assessment date" in found[0]
    assert "recommendation r-1, body wmca, as at 2022-05-30" in found[0]


def test_a_row_dated_by_month_or_year_counts_from_its_end():
    assert A.evidence_latest_date("2023-07") == dt.date(2023, 7, 31)
    assert A.evidence_latest_date("2020/21") == dt.date(2021, 12, 31)
    assert problems(entry(as_at=dt.date(2023, 7, 30), evidence=["ev-2"]))
    assert problems(entry(as_at=dt.date(2023, 7, 31), evidence=["ev-2"])) == []


def test_a_status_without_evidence_is_refused_unless_no_public_evidence_with_sources():
    assert "field `evidence` is empty" in problems(entry(evidence=[]))[0]
    assert problems(entry(status="no_public_evidence", evidence=[]), sources=["the evidence file"]) == []
    assert "field `sources_searched` is empty" in problems(entry(status="no_public_evidence", evidence=[]))[0]


def test_unknown_evidence_ids_are_refused():
    assert "'ev-9', which is not a row id" in problems(entry(evidence=["ev-9"]))[0]


def test_delivered_needs_words_of_a_cited_row_that_say_so():
    assert "field `shows_delivery` is missing" in problems(entry(status="partly_delivered"))[0]
    wrong = problems(entry(status="delivered", shows_delivery="all homes were retrofitted"))
    assert "is not in any cited row's summary" in wrong[0]
    # The words must come from a row the entry cites, not from any row of the file.
    assert problems(entry(status="partly_delivered", shows_delivery="the first 50 homes were retrofitted"))
    assert problems(entry(status="partly_delivered", evidence=["ev-3"], as_at=dt.date(2025, 1, 1),
                          shows_delivery="The first 50 homes were   retrofitted")) == []


@pytest.mark.parametrize("words", ["The council failed to act.", "It refused the request.", "They ignored it.",
                                   "Officers blame the budget.", "The WMCA was unwilling."])
def test_wording_of_motive_or_blame_is_refused(words):
    found = problems(entry(reasons=words))
    assert len(found) == 1 and "field `reasons` uses" in found[0]


def test_a_body_the_recommendation_does_not_address_is_refused():
    assert "'council-z' is not addressed" in problems(entry(bodies=["council-z"]))[0]


def test_not_assessed_and_unknown_statuses_are_refused():
    assert "is not a status" in problems(entry(status="not_assessed"))[0]
    assert "is not a status" in problems(entry(status="done"))[0]


def test_the_same_body_twice_on_one_date_is_refused_with_both_entries_named():
    with pytest.raises(A.AssessmentFileError) as error:
        parse(entry(), entry(bodies=["council-a", "wmca"]))
    assert "assessed twice (entries 1 and 2)" in str(error.value)


def test_shape_problems_are_all_reported_with_where_and_field():
    with pytest.raises(A.AssessmentFileError) as error:
        parse({"as_at": "30/11/2026", "bodies": ["wmca"], "status": "planned", "reasons": "x"},
              {"as_at": dt.date(2026, 1, 1), "bodies": [], "status": "", "reasons": "", "colour": "red"})
    text = str(error.value)
    assert "entry 1: field `as_at` must be a date" in text
    assert "entry 2: unknown field(s) colour" in text and "entry 2: field `bodies`" in text
    assert "entry 2: field `status` is missing" in text


def test_coverage_lists_bodies_with_no_assessment_on_the_date():
    file = parse(entry(), entry(as_at=dt.date(2023, 1, 1), bodies=["council-a"], evidence=["ev-1"]))
    assert A.assessments_coverage(file, bodies=BODIES, as_at=dt.date(2024, 12, 31)) == [
        ("r-1", "council-a"), ("r-1", "council-b")]


def test_a_recommendation_addressed_to_nobody_is_assessed_as_a_whole():
    bodies = {"r-1": ["wmca"], "r-2": []}
    data = {"plan": "p", "assessor": "editorial", "assessments": {
        "r-1": [entry(bodies=[A.WHOLE])], "r-2": [entry(bodies=[A.WHOLE])]}}
    file = A.assessments_parse(data, path="TEST.yaml")
    found = A.assessments_check(file, evidence=EVIDENCE, bodies=bodies, statuses=STATUSES)
    assert len(found) == 1 and "recommendation r-1" in found[0]
    assert "only for a recommendation addressed to nobody" in found[0]
    empty = A.assessments_parse({"plan": "p", "assessor": "e", "assessments": {"r-1": [entry()]}}, path="T.yaml")
    assert A.assessments_coverage(empty, bodies=bodies, as_at=dt.date(2024, 12, 31)) == [("r-2", A.WHOLE)]
