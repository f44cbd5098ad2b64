"""The main reading journeys with the keyboard only, on a phone and a desktop, and the pages that
must put first what matters (issue 13)."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = "/plans/west-midlands-2020"
PASSWORD = "test-only-password-123"  # noqa: S105 - test data


@pytest.fixture
def with_evidence(west_midlands, django_user_model):
    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.catalogue.models import Organisation
    from recovery_tracker.progress.setup import evidence_load
    from recovery_tracker.search.services import search_index_rebuild

    evidence_load()
    search_index_rebuild()
    user = django_user_model.objects.create_user(username="member-TEST", password=PASSWORD)
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="birmingham-city-council"))
    return west_midlands


def tab_to(page, matches, *, limit: int = 80) -> str:
    """Press Tab until the focused element's text or label matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            return (e.innerText || e.value || e.getAttribute('aria-label') || e.id || '').trim(); }""")
        if matches(focused):
            return focused
    raise AssertionError("never reached by Tab")


def test_keyboard_only_journeys(live_server, browser, with_evidence):
    base = live_server.url
    # Desktop: skip link, search from the navigation, open a result; all with the keyboard.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText") == "Skip to main content"
    tab_to(page, lambda text: text == "Search")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/$"))
    tab_to(page, lambda text: text == "search-q")
    page.keyboard.type("Kickstart")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Kickstart"))
    tab_to(page, lambda text: "Kickstart scheme" in text)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/updates/\d+/$"))
    assert "Kickstart" in page.locator("main").inner_text()

    # Sign in with the keyboard: the labels lead to the fields, Enter sends the form.
    page.goto(base + "/accounts/login/")
    tab_to(page, lambda text: text == "id_username")
    page.keyboard.type("member-TEST")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("button", name=re.compile("Sign out")).count() == 1
    context.close()

    # Phone: the navigation is behind the Menu button, which opens and is followed by the keyboard.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + f"{PLAN}/recommendations/5-i/")
    assert page.get_by_role("link", name="Updates", exact=True).is_hidden()
    tab_to(page, lambda text: text == "Menu")
    page.keyboard.press("Enter")
    assert page.get_by_role("link", name="Updates", exact=True).is_visible()
    tab_to(page, lambda text: text == "Updates")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/updates/$"))
    # The updates table scrolls sideways inside its own box, which the keyboard can reach.
    tab_to(page, lambda text: text.startswith("Published"))
    assert page.evaluate("document.activeElement.classList.contains('tracker-table-scroll')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_menu_links_are_all_there_without_javascript(live_server, browser, west_midlands):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    assert page.get_by_role("button", name="Menu").is_hidden()
    for name in ("Plan", "Updates", "Search", "Organisations"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    context.close()


def test_pages_put_first_what_matters(live_server, browser, with_evidence):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    # 5-i: the state of all its bodies in one table, above the fold.
    page.goto(live_server.url + f"{PLAN}/recommendations/5-i/")
    table = page.locator("#body-states")
    assert table.count() == 1
    box = table.bounding_box()
    assert box["y"] + box["height"] <= 800, f"the table ends at {box['y'] + box['height']}px"
    text = table.inner_text()
    for body in ("WMCA", "Black Country LEP", "GBSLEP", "employers"):
        assert body in text, body
    # Criteria beside the quote, evidence newest first.
    quote, criteria = page.locator("#quote").bounding_box(), page.locator("#criteria").bounding_box()
    assert criteria["x"] > quote["x"] + quote["width"] - 1 and abs(criteria["y"] - quote["y"]) < 60
    dates = page.locator("#latest-evidence li strong").all_inner_texts()
    assert len(dates) >= 2

    # The WMCA page lists each recommendation once.
    page.goto(live_server.url + "/organisations/wmca/")
    hrefs = page.locator("main a[href*='/recommendations/']").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname).filter(p => /recommendations\\/[^/]+\\/$/.test(p))")
    assert hrefs and len(hrefs) == len(set(hrefs)), [h for h in set(hrefs) if hrefs.count(h) > 1]
    context.close()
