"""A reader opens an indicator page in a real browser and finds the chart, the table and the verdict."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_indicator_page_has_chart_table_and_verdict(live_server, page, west_midlands):
    from recovery_tracker.indicators.setup import statistics_load_shipped

    statistics_load_shipped()
    page.goto(live_server.url + "/indicators/")
    page.get_by_role("link", name="Net additional homes, Housing Deal area (WMCA 3-LEP)").first.click()
    assert page.locator("h1").inner_text() == "Net additional homes, Housing Deal area (WMCA 3-LEP)"
    chart = page.get_by_role("img", name="Line chart of Net additional homes")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 200
    table = page.locator("#chart-data")
    assert "2022/23" in table.inner_text() and "45,514 homes" in table.inner_text()
    assert page.locator(".tracker-verdict .govuk-tag").first.inner_text() == "Limited progress"
    page.get_by_text("How this was worked out").first.click()
    assert page.get_by_text("Rate needed from now on").first.is_visible()
