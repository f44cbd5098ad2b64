"""A reader opens the tracker in a real browser: the plan home, then a recommendation."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_finds_a_recommendation_and_its_source(live_server, page, west_midlands):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "A Better Recovery for the West Midlands"
    assert page.get_by_text(re.compile(r"^\d+ recommendations$")).is_visible()

    page.get_by_role("link", name=re.compile(r"^3\.2 ")).click()
    assert "Delivering good jobs through infrastructure investment" in page.locator("h1").inner_text()

    page.get_by_role("link", name=re.compile("215,000|homes", re.I)).first.click()
    quote = page.locator("#quote").inner_text()
    assert "215,000" in quote
    assert page.locator("#addressees").get_by_text("West Midlands Combined Authority").is_visible()

    page.get_by_role("link", name="See this passage in the source text").click()
    assert "#rec-" in page.url
    highlighted = page.locator("mark:target")
    assert "215,000" in highlighted.inner_text()


def test_filters_work_without_javascript(live_server, browser, west_midlands):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/plans/west-midlands-2020/recommendations/")
    page.select_option("#kind", "target")
    page.get_by_role("button", name="Apply filters").click()
    assert "kind=target" in page.url
    rows = page.locator("tbody tr")
    assert rows.count() >= 2
    assert all("Target" in rows.nth(i).inner_text() for i in range(rows.count()))
    context.close()
