"""An officer completes the public interest test in a real browser and downloads the decision record."""

from pathlib import Path

import pytest

from recovery_tracker.engine.standards.public_interest import load_public_interest_test

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Made-up assessment (TEST): outsourcing is cheaper but fails on employment conditions.
SCORES = {"value_for_money": ("3", "4"), "employment_conditions": ("5", "1")}


def _answer_criterion(page, criterion) -> None:
    in_house, outsourced = SCORES.get(criterion.id, ("4", "2"))
    assert page.locator("h1").inner_text() == criterion.title
    page.get_by_label("Evidence", exact=True).fill(f"TEST evidence on {criterion.title.lower()}")
    page.locator(f'input[name="in_house"][value="{in_house}"]').check()
    page.locator(f'input[name="outsourced"][value="{outsourced}"]').check()
    page.get_by_role("button", name="Continue").click()


def test_officer_completes_the_form_and_downloads_the_decision(live_server, page, tmp_path):
    page.goto(live_server.url + "/checks/")
    page.get_by_role("button", name="Start the test").click()
    page.get_by_role("button", name="Start now").click()

    # A missing answer is shown in the summary and at the field, and nothing typed is lost.
    page.get_by_label("Public body (optional)").fill("TEST Borough Council")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").get_by_text("Enter the service being assessed").is_visible()
    assert page.get_by_label("Public body (optional)").input_value() == "TEST Borough Council"

    page.get_by_label("Service being assessed").fill("TEST street cleansing")
    page.get_by_label("Renewing a contract").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Continue").click()

    criteria = load_public_interest_test().criteria
    for number, criterion in enumerate(criteria, start=1):
        assert f"criterion {number} of {len(criteria)}" in page.locator(".govuk-caption-l").inner_text()
        _answer_criterion(page, criterion)

    page.get_by_label("Existing contracts for this service (optional)").fill("TEST-001, TEST Clean Ltd, 2027-03-31")
    page.get_by_role("button", name="Continue").click()

    assert page.locator("h1").inner_text() == "Check your answers"
    page.get_by_role("link", name="Change Integration of services").click()
    page.get_by_label("Evidence", exact=True).fill("TEST evidence, changed: shared depot")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Check your answers"
    assert page.get_by_text("TEST evidence, changed: shared depot").is_visible()

    page.get_by_role("button", name="Accept and see the decision").click()
    assert "Deliver the service in-house" in page.locator("#recommendation").inner_text()
    assert "Terminate" in page.locator("#review-register").inner_text()

    with page.expect_download() as html_download:
        page.locator("#download-html").click()
    html_path = Path(tmp_path / "decision.html")
    html_download.value.save_as(html_path)
    record = html_path.read_text(encoding="utf-8")
    assert "Public interest test: TEST street cleansing" in record
    assert "Deliver the service in-house" in record
    assert "TEST evidence, changed: shared depot" in record
    assert "Contract review register" in record and "TEST-001" in record and "terminate" in record

    with page.expect_download() as pdf_download:
        page.locator("#download-pdf").click()
    pdf_path = Path(tmp_path / "decision.pdf")
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    assert pdf_download.value.suggested_filename == "public-interest-decision.pdf"


def test_the_form_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/checks/public-interest/about/")
    page.get_by_label("Service being assessed").fill("TEST service")
    page.get_by_label("A new commissioning decision").check()
    page.get_by_role("button", name="Continue").click()
    first = load_public_interest_test().criteria[0]
    assert page.locator("h1").inner_text() == first.title
    context.close()
