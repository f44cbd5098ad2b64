"""A reader downloads the progress report from the plan home in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_HOME = "/plans/west-midlands-2020/"


def _ask_and_come_back_when_made(page, live_server, run_tasks, link_name: str) -> None:
    """A report not yet made is queued: the reader sees "being prepared", leaves while the worker builds it,
    and comes back to the plan home. (Leaving stops the page's own re-checks while the worker writes.)"""
    page.goto(live_server.url + PLAN_HOME)
    page.get_by_role("link", name=link_name).click()
    expect(page.get_by_role("heading", name="Your report is being prepared")).to_be_visible()
    page.goto("about:blank")
    assert run_tasks() >= 1
    page.goto(live_server.url + PLAN_HOME)


def test_reader_downloads_the_pdf_and_opens_the_web_version(live_server, page, west_midlands, run_tasks):
    _ask_and_come_back_when_made(page, live_server, run_tasks, "Download the report: PDF")
    with page.expect_download(timeout=30_000) as download_info:
        page.get_by_role("link", name="Download the report: PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("west-midlands-2020-progress-as-at-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.goto(live_server.url + PLAN_HOME)
    page.get_by_role("link", name="Download the report: Web page (HTML)").click()
    if page.get_by_role("heading", name="Your report is being prepared").count():
        _ask_and_come_back_when_made(page, live_server, run_tasks, "Download the report: Web page (HTML)")
        page.get_by_role("link", name="Download the report: Web page (HTML)").click()
    assert page.locator("h1").inner_text() == "A Better Recovery for the West Midlands"
    page.get_by_role("link", name="Where more action is needed").first.click()
    assert page.url.endswith("#more-action")
