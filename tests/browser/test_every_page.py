"""Every public page and form, in a real browser, at phone and desktop widths.

- No page is wider than the window at 320, 390 or 1280 px (issue 13: 9 of 13 pages overflowed).
- axe-core (from npm, copied into tests/data/vendor by `make install`, never fetched) finds no
  serious or critical violation on any page or form at 390 and 1280 px.

One browser, one loaded database and one test per concern keep this inside CI's time: each page
is opened once per width and checked for both things there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "data" / "vendor" / "axe.min.js"
WIDTHS = (320, 390, 1280)
AXE_WIDTHS = (390, 1280)
PLAN = "/plans/west-midlands-2020"
PASSWORD = "test-only-password-123"  # noqa: S105 - test data


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.problems.append(text)


@pytest.fixture
def loaded_site(west_midlands, django_user_model):
    """The shipped plan, statistics and evidence; a TEST council member and a TEST moderator."""
    from django.contrib.auth.models import Group

    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.accounts.permissions import MODERATOR_GROUP
    from recovery_tracker.catalogue.models import Organisation
    from recovery_tracker.indicators.setup import statistics_load_shipped
    from recovery_tracker.progress.setup import evidence_load
    from recovery_tracker.search.services import search_index_rebuild

    statistics_load_shipped()
    evidence_load()
    search_index_rebuild()
    member = django_user_model.objects.create_user(username="member-TEST", password=PASSWORD)
    Membership.objects.create(user=member, organisation=Organisation.objects.get(slug="birmingham-city-council"))
    moderator = django_user_model.objects.create_user(username="moderator-TEST", password=PASSWORD)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATOR_GROUP)[0])
    return west_midlands


def public_pages() -> list[str]:
    from recovery_tracker.catalogue.models import Organisation, Recommendation
    from recovery_tracker.indicators.models import Indicator
    from recovery_tracker.progress.models import Update

    update = Update.objects.filter(state="published").order_by("-date").first()
    indicator = Indicator.objects.filter(targets__isnull=False).first() or Indicator.objects.first()
    rec_with_evidence = Recommendation.objects.filter(updates__state="published").first()
    pages = [
        "/", f"{PLAN}/recommendations/", f"{PLAN}/recommendations/5-i/", f"{PLAN}/recommendations/4.3-e/",
        f"{PLAN}/recommendations/{rec_with_evidence.slug}/history/", f"{PLAN}/sections/5/", f"{PLAN}/source/",
        "/organisations/", "/organisations/wmca/", "/organisations/local-authorities/",
        "/organisations/birmingham-city-council/", "/updates/", f"/updates/{update.pk}/", "/progress/method/",
        "/more-action/", "/indicators/", f"/indicators/{indicator.slug}/", "/checks/", "/checks/pay-gaps/",
        "/checks/job-guarantee/", "/checks/procurement/", "/checks/employers/", "/checks/public-interest/",
        "/checks/public-interest/about/", "/checks/public-interest/review-register/",
        "/search/", "/search/?q=real+living+wage", "/search/?q=bus+franchising&voice=evidence",
        "/search/?q=homes&from=2022-02-31", "/accounts/login/", "/api/docs", "/plans/",
        f"{PLAN}/recommendations/5-i/report/", f"{PLAN}/follow/", f"{PLAN}/recommendations/5-i/follow/",
    ]
    assert Organisation.objects.filter(slug="local-authorities").exists()
    return pages


def check(page, url: str, width: int, findings: Findings, axe_source: str) -> None:
    response = page.goto(url)
    status = response.status if response else 0
    if status >= 500 or status in (403, 404):
        findings.add(f"{url} at {width}px: HTTP {status}")
        return
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        culprits = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
                 .slice(-3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + e.className)""", width)
        findings.add(f"{url} at {width}px: the page is {wide}px wide ({culprits})")
    if width in AXE_WIDTHS:
        _axe(page, url, width, findings, axe_source)


def _axe_here(page, url: str, width: int, findings: Findings, axe_source: str) -> None:
    """Check the page as it is now (after a form was sent), without loading it again."""
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        findings.add(f"{url} (after sending) at {width}px: the page is {wide}px wide")
    if width in AXE_WIDTHS:
        _axe(page, url, width, findings, axe_source)


def _axe(page, url: str, width: int, findings: Findings, axe_source: str) -> None:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']})).violations)")
    for violation in json.loads(result):
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"][:3]]
            findings.add(f"{url} at {width}px: axe {violation['impact']} {violation['id']}: "
                         f"{violation['help']} {targets}")


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()


def test_every_page_fits_every_width_and_passes_axe(live_server, browser, loaded_site):
    assert AXE.exists(), f"{AXE} is missing: run `make install`, which copies axe-core from npm."
    axe_source = AXE.read_text(encoding="utf-8")
    findings = Findings()
    pages = public_pages()
    # Forms behind sign-in, and forms shown with their errors.
    signed_in = [f"{PLAN}/recommendations/3.2-a/updates/new/", "/updates/mine/", "/accounts/tokens/"]
    moderator_pages = ["/updates/moderation/"]
    for width in WIDTHS:
        # bypass_csp lets the test add axe's script; the site's own pages are unchanged.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(30_000)
        for url in pages:
            check(page, live_server.url + url, width, findings, axe_source)
        # The sign-in form with its error, then the pages of a signed-in council member.
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "member-TEST")
        page.fill("#id_password", "wrong-password")
        page.locator("main button[type=submit], main input[type=submit]").first.click()
        _axe_here(page, "/accounts/login/ (wrong password)", width, findings, axe_source)
        sign_in(page, live_server.url, "member-TEST")
        for url in signed_in:
            check(page, live_server.url + url, width, findings, axe_source)
        # The update form sent empty: its error summary and field errors.
        page.goto(live_server.url + signed_in[0])
        page.fill("textarea[name=narrative]", "")
        page.locator("main form button[type=submit]").first.click()
        if not page.title().startswith("Error:"):
            findings.add(f"update form with errors at {width}px: title {page.title()!r} does not start 'Error:'")
        _axe_here(page, page.url, width, findings, axe_source)
        context.close()
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        sign_in(page, live_server.url, "moderator-TEST")
        for url in moderator_pages:
            check(page, live_server.url + url, width, findings, axe_source)
        context.close()
    assert not findings.problems, "\n".join(findings.problems)
