"""Charts: Vega-Lite via Altair, rendered to SVG, with the target line, the dashed projection and a text alternative."""

from __future__ import annotations

import pytest

from recovery_tracker.indicators.charts import indicator_chart_svg
from recovery_tracker.indicators.models import Indicator

pytestmark = pytest.mark.django_db


def test_homes_chart_has_target_line_and_dashed_projection(shipped):
    chart = indicator_chart_svg(Indicator.objects.get(slug="housing-deal-completions"))
    assert chart.svg.startswith("<svg") and 'role="img"' in chart.svg
    assert "Target 215,000 homes by 2030/31" in chart.svg
    assert "Projection to the deadline" in chart.svg
    assert 'stroke-dasharray="6,4"' in chart.svg  # the projection is drawn dashed, unlike the data
    assert "Target line at 215,000 homes" in chart.alt_text and "Dashed projection" in chart.alt_text
    series = {row["series"] for row in chart.spec["layer"][0]["data"]["values"]}
    assert series == {"Observed", "Projection to the deadline", "Target"}
    assert [row["period"] for row in chart.table_rows][1:] == ["2020/21", "2021/22", "2022/23"]
    assert all(row["source"] for row in chart.table_rows[1:])


def test_chart_without_enough_data_says_why(shipped):
    chart = indicator_chart_svg(Indicator.objects.get(slug="renewable-share"))
    assert "Target 50% by 2030" in chart.svg
    assert "No projection: not enough data" in chart.alt_text
