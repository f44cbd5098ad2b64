"""Every measurable ask has its indicator: the links from indicators to the recommendations they
bear on (issue 12, part 5)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from recovery_tracker.catalogue.models import Recommendation
from recovery_tracker.indicators.selectors import indicators_for_recommendation, plan_indicator_links
from recovery_tracker.indicators.setup import shipped_metadata_path

pytestmark = pytest.mark.django_db
DOC = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_every_linked_recommendation_exists_in_its_plan(shipped):
    named = yaml.safe_load(shipped_metadata_path().read_text())["indicators"]
    current = set(Recommendation.objects.filter(plan=shipped).values_list("slug", flat=True))
    unknown = [(key, rec) for key, fields in named.items()
               for rec in (fields.get("recommendations") or {}).get("west-midlands-2020", []) if rec not in current]
    assert unknown == []


def test_each_target_and_each_measurable_ask_with_a_series_is_linked(shipped):
    links = plan_indicator_links(shipped)
    targets = set(Recommendation.objects.filter(plan=shipped, targets__indicator_slug__gt="").values_list(
        "slug", flat=True))
    assert targets and targets <= set(links)
    assert {"3.1-f", "3.2-c", "3.2-d", "3.1-h", "5-g", "5-i", "6-a"} <= set(links)
    assert len(links) >= 12


def test_the_docs_list_of_asks_without_a_series_names_real_recommendations_not_linked_by_that_measure(shipped):
    text = DOC.read_text()
    section = text[text.index("### Measurable asks with no public series"):text.index("## Verdicts")]
    ids = set(re.findall(r"\| ([0-9.]+-[a-z](?:, [0-9.]+-[a-z])*) \|", section))
    named = {i for group in ids for i in group.split(", ")}
    current = set(Recommendation.objects.filter(plan=shipped).values_list("slug", flat=True))
    assert named and named <= current
    # The job guarantee has labour-market context series but no placements series: it is listed, and
    # its page still shows the context indicators.
    assert "5-i" in named


def test_the_recommendation_page_shows_its_indicators_with_the_latest_figure(shipped, client):
    rows = indicators_for_recommendation(Recommendation.objects.get(plan=shipped, slug="5-g"))
    names = [indicator.name for indicator, _ in rows]
    assert "Apprenticeship starts per 100,000 people" in names
    starts = next(latest for indicator, latest in rows if indicator.name == "Apprenticeship starts per 100,000 people")
    assert starts is not None
    page = client.get("/plans/west-midlands-2020/recommendations/5-g/").content.decode()
    assert "Indicators this recommendation bears on" in page and "Apprenticeship starts per 100,000 people" in page
    assert starts.period in page
    # A recommendation no series measures has no such panel.
    page = client.get("/plans/west-midlands-2020/recommendations/5-m/").content.decode()
    assert "Indicators this recommendation bears on" not in page
