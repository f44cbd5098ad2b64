"""The answer first: on the plan home, at 1280 and at 390 pixels wide, coverage, statuses, progress,
targets, the places most needing action and the latest changes are all above the fold."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTS = ["#answer-coverage", "#answer-statuses", "#answer-progress", "#answer-targets", "#answer-action",
         "#answer-latest"]


@pytest.fixture
def assessed(west_midlands):
    from recovery_tracker.indicators.setup import statistics_load_shipped
    from recovery_tracker.progress.assessments import assessments_load_shipped
    from recovery_tracker.progress.setup import evidence_load

    statistics_load_shipped()
    evidence_load()
    assessments_load_shipped()
    return west_midlands


@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_the_answer_is_above_the_fold(live_server, browser, assessed, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(live_server.url + "/plans/west-midlands-2020/")
    for part in PARTS:
        box = page.locator(part).bounding_box()
        assert box is not None and box["y"] + box["height"] <= height, (width, part, box)
    # Nothing in the answer is wider than the screen.
    overflow = page.evaluate("document.querySelector('#answer-first').scrollWidth")
    assert overflow <= width
    assert "recommendations for every body they address" in page.locator("#answer-coverage").inner_text()
    context.close()
