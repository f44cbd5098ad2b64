"""The public interest test as a multi-page form: one question group a page, answers in the session."""

from __future__ import annotations

import pytest

from recovery_tracker.engine.standards.public_interest import load_public_interest_test

pytestmark = pytest.mark.django_db

BASE = "/checks/public-interest/"
CRITERIA = [criterion.id for criterion in load_public_interest_test().criteria]
# Made-up answers (TEST): in-house leads, and the outsourced option fails on employment conditions.
SCORES = {criterion: (4, 2) for criterion in CRITERIA} | {"value_for_money": (3, 4), "employment_conditions": (5, 1)}


def _complete(client, *, contracts: str = "TEST-001, TEST Clean Ltd, 2027-03-31") -> None:
    response = client.post(BASE + "about/", {"service": "TEST street cleansing", "body": "TEST Council",
                                             "decision": "contract_renewal", "assessed_on_day": "1",
                                             "assessed_on_month": "3", "assessed_on_year": "2026",
                                             "assessed_by": "TEST officer"})
    assert response.status_code == 302 and response.url == BASE + f"criteria/{CRITERIA[0]}/"
    for index, criterion in enumerate(CRITERIA):
        in_house, outsourced = SCORES[criterion]
        response = client.post(BASE + f"criteria/{criterion}/", {
            "evidence": f"TEST evidence on {criterion}", "in_house": in_house, "outsourced": outsourced})
        following = BASE + (f"criteria/{CRITERIA[index + 1]}/" if index + 1 < len(CRITERIA) else "contracts/")
        assert response.status_code == 302 and response.url == following
    response = client.post(BASE + "contracts/", {"in_house_improvement_plan": "TEST plan",
                                                 "existing_contracts": contracts})
    assert response.url == BASE + "check-answers/"


def test_start_page_explains_the_test_and_rule(client):
    page = client.get(BASE).content.decode()
    assert "Start now" in page and "In-house delivery is the default" in page
    assert "High-quality employment conditions, pay and pensions" in page


def test_each_criterion_has_its_own_page_with_errors_at_the_field(client):
    response = client.post(BASE + "criteria/employment_conditions/", {"evidence": "", "in_house": "9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert page.count("Enter the evidence on high-quality employment conditions, pay and pensions") == 2
    assert page.count("Select a score for the in-house option") == 2
    assert page.count("Select a score for the outsourced option") == 2
    assert '<a href="#id_in_house">' in page and 'id="id_in_house"' in page
    assert "cannot be outweighed" in page
    assert client.get(BASE + "criteria/not-a-criterion/").status_code == 404


def test_fields_are_kept_when_there_is_an_error(client):
    page = client.post(BASE + "about/", {"service": "", "body": "TEST Council", "decision": "contract_review",
                                         "assessed_on_day": "40", "assessed_on_month": "1",
                                         "assessed_on_year": "2026"}).content.decode()
    assert "Enter the service being assessed" in page
    assert "The date of the assessment must be a real date" in page
    assert 'value="TEST Council"' in page and 'value="contract_review" checked' in page and 'value="40"' in page


def test_check_answers_then_decision_with_register_and_downloads(client):
    _complete(client)
    page = client.get(BASE + "check-answers/").content.decode()
    assert "Check your answers" in page and "TEST evidence on integration" in page
    assert page.count("?change=1") >= 10
    response = client.post(BASE + "check-answers/")
    assert response.url == BASE + "decision/"
    page = client.get(BASE + "decision/").content.decode()
    assert "Deliver the service in-house" in page
    assert "Contract review register" in page and "TEST-001" in page and "Terminate" in page
    html = client.get(BASE + "decision.html")
    assert html["Content-Disposition"].startswith("attachment")
    assert "Public interest test: TEST street cleansing" in html.content.decode()
    pdf = client.get(BASE + "decision.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_changing_an_answer_returns_to_check_answers(client):
    _complete(client)
    response = client.post(BASE + "criteria/integration/?change=1",
                           {"evidence": "TEST changed", "in_house": "3", "outsourced": "3"})
    assert response.url == BASE + "check-answers/"
    assert "TEST changed" in client.get(BASE + "check-answers/").content.decode()
    # The page shows the answer given before, to change it.
    assert "TEST changed" in client.get(BASE + "criteria/integration/").content.decode()


def test_skipping_ahead_goes_to_the_first_unanswered_page(client):
    assert client.get(BASE + "check-answers/").url == BASE + "about/"
    assert client.get(BASE + "decision/").url == BASE + "check-answers/"
    assert client.get(BASE + "decision.pdf").url == BASE + "check-answers/"


def test_bad_contract_lines_are_named(client):
    page = client.post(BASE + "contracts/", {"existing_contracts": "C-1, Supplier, 31/03/2027"}).content.decode()
    assert "Line 1: the end date must be written like 2027-03-31" in page
    assert "C-1, Supplier, 31/03/2027" in page
