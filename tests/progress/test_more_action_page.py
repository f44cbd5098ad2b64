"""The "where more action is needed" page, its filters, the recommendation flags panel and the plan panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from recovery_tracker.progress.rollup_data import plan_flagged, plan_progress, plan_progress_over_time


def test_every_recommendation_without_evidence_is_flagged(client, test_plan):
    response = client.get(reverse("more-action-plan", args=["test-plan"]), {"view": "all"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "flagged-1-a" in html and "flagged-2-a" in html and "No evidence at all" in html


def test_the_page_picks_out_bodies_instead_of_listing_every_recommendation(client, people, test_plan,
                                                                           make_published):
    make_published(status="in_progress", response="rejected", response_reason="Made-up reason (TEST)")
    html = client.get(reverse("more-action-plan", args=["test-plan"])).content.decode()
    assert "flagged-1-a" not in html  # the one-by-one list is a link away
    assert 'href="?view=all"' in html
    # Stronger policy needed comes first and names the body; then bodies, worst first.
    table = html[html.index('id="stronger-policy-table"'):html.index('id="by-body"')]
    assert "Test Authority" in table and "Test Authority rejected this recommendation" in table
    assert "Made-up reason (TEST)" in table
    assert html.index('id="body-test-authority"') < html.index('id="body-test-old-body"')
    assert 'href="?organisation=test-authority"' in html
    # Flags about a recommendation as a whole are gathered in one line per rule.
    whole = html[html.index('id="as-a-whole"'):]
    assert "No evidence at all" in whole and "/recommendations/2-a/" in whole


def test_published_evidence_and_status_change_the_page(client, people, test_plan, make_published):
    make_published(status="reversed", response="accepted")
    flagged = {rec.slug: item for rec, item in plan_flagged(test_plan)}
    rules = {f.rule for f in flagged["1-a"].flags}
    assert "stalled_or_reversed" in rules and "no_evidence_at_all" not in rules
    html = client.get(reverse("more-action-plan", args=["test-plan"]), {"view": "all"}).content.decode()
    # Worst first: the reversed recommendation comes before the one merely without evidence.
    assert html.index("flagged-1-a") < html.index("flagged-2-a")
    assert "Reversed" in html


def test_filters_work_without_javascript(client, test_plan):
    html = client.get(reverse("more-action-plan", args=["test-plan"]), {"section": "2"}).content.decode()
    assert "flagged-2-a" in html and "flagged-1-a" not in html
    html = client.get(reverse("more-action-plan", args=["test-plan"]), {"theme": "housing"}).content.decode()
    assert "flagged-1-a" in html and "flagged-2-a" not in html
    html = client.get(reverse("more-action-plan", args=["test-plan"]),
                      {"organisation": "test-authority"}).content.decode()
    assert "flagged-1-a" in html


def test_organisation_filter_keeps_only_its_own_flags(people, test_plan):
    from recovery_tracker.catalogue.selectors import RecommendationFilters

    found = plan_flagged(test_plan, filters=RecommendationFilters(organisation="other-council-test"))
    assert found == []


def test_recommendation_page_shows_its_flags(client, people, make_published):
    make_published(status="stalled")
    html = client.get(reverse("recommendation", args=["test-plan", "1-a"])).content.decode()
    assert 'id="recommendation-flags"' in html and "Stalled" in html


def test_plan_page_shows_progress_chart_table_and_rule(client, people, make_published):
    make_published(status="delivered", date=dt.date(2024, 5, 1))
    html = client.get(reverse("plan", args=["test-plan"])).content.decode()
    assert 'id="plan-progress-now"' in html and "100%" in html
    assert "<svg" in html and 'id="progress-over-time"' in html and 'id="progress-chart-caption"' in html
    assert "add up to one" in html


def test_plan_progress_as_at_a_past_date(people, test_plan, make_published):
    make_published(status="delivered", date=dt.date(2024, 5, 1))
    assert plan_progress(test_plan, dt.date(2024, 4, 30)).plan.progress is None
    assert plan_progress(test_plan, dt.date(2024, 5, 1)).plan.progress == pytest.approx(1.0)


def test_progress_over_time_follows_published_statuses(people, test_plan, make_published):
    make_published(status="planned", date=dt.date(2021, 2, 1))
    make_published(status="delivered", date=dt.date(2022, 2, 1))
    points = {p.date: p.percent for p in plan_progress_over_time(test_plan, today=dt.date(2022, 6, 30))}
    assert points[dt.date(2020, 12, 31)] is None
    assert points[dt.date(2021, 3, 31)] == 10.0
    assert points[dt.date(2022, 3, 31)] == 100.0


def test_nav_item_links_to_the_page(client, test_plan):
    assert client.get(reverse("more-action")).status_code == 200
