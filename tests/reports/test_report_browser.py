"""A reader downloads the progress report from the plan home in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_downloads_the_pdf_and_opens_the_web_version(live_server, page, west_midlands):
    page.goto(live_server.url + "/plans/west-midlands-2020/")
    # The whole plan as PDF takes several seconds of CPU: more than a page's usual wait on a busy machine.
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("link", name="Download the report: PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("west-midlands-2020-progress-as-at-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.goto(live_server.url + "/plans/west-midlands-2020/")
    page.get_by_role("link", name="Download the report: Web page (HTML)").click()
    assert page.locator("h1").inner_text() == "A Better Recovery for the West Midlands"
    page.get_by_role("link", name="Where more action is needed").first.click()
    assert page.url.endswith("#more-action")
