"""As-at that cannot see the future: every figure records when it was published, a revision is a new
vintage, and a report as at a date uses only what had been published by then and says which release."""

from __future__ import annotations

import datetime as dt

import pytest

from recovery_tracker.engine.vintage import period_end, release_date_from_source, vintage_for
from recovery_tracker.reports.options import ReportOptionError, ReportOptions
from recovery_tracker.reports.renderers import render_html, render_markdown
from recovery_tracker.reports.selectors import report_build


def test_a_release_date_stated_by_the_source_is_used():
    assert release_date_from_source("WMCA release 12 Jan 2024 ('x')") == (dt.date(2024, 1, 12), "day")
    assert release_date_from_source("WMCA press release (Dec 2022) via site") == (dt.date(2022, 12, 31), "month")
    assert release_date_from_source("Live Table 122 ('Latest update 25-Nov-2021')") == (dt.date(2021, 11, 25), "day")
    assert release_date_from_source("Impact Monitor Issue 23 (28/08/20)") == (dt.date(2020, 8, 28), "day")
    assert release_date_from_source("ONS via Explore Local Statistics") is None


def test_without_a_stated_date_the_conservative_rule_applies():
    assert period_end("2022/23", 2022) == dt.date(2023, 7, 31)
    assert period_end("Oct-Dec 2018", 2018) == dt.date(2018, 12, 31)
    assert period_end("cumulative to 30 Jun 2020", 2020) == dt.date(2020, 6, 30)
    vintage = vintage_for(source="ONS via Explore Local Statistics", period="2019/20", year=2019)
    assert vintage.release_date == dt.date(2021, 7, 31) and "12 months after the period ends" in vintage.basis
    given = vintage_for(source="WMCA release 12 Jan 2024", period="2022/23", year=2022, given=dt.date(2023, 12, 1))
    assert given.release_date == dt.date(2023, 12, 1) and "given in the statistics file" in given.basis


@pytest.fixture
def statistics(west_midlands):
    from recovery_tracker.indicators.setup import statistics_load_shipped

    statistics_load_shipped()
    return west_midlands


@pytest.mark.django_db
def test_every_shipped_figure_has_a_vintage_and_a_revision_is_a_new_one(statistics):
    from recovery_tracker.indicators.models import Observation

    undated = Observation.objects.filter(release_date__isnull=True)
    # Only stated constants with neither a source date nor a period ("per year") have none.
    assert set(undated.values_list("period", flat=True)) <= {"per year"}
    first = Observation.objects.get(indicator__slug="housing-deal-completions", period="2021/22", revision=1)
    later = Observation.objects.get(indicator__slug="housing-deal-completions", period="2021/22", revision=2)
    assert (first.value, first.release_date) == (16730, dt.date(2022, 12, 31))
    assert (later.value, later.release_date) == (17276, dt.date(2024, 1, 12))
    assert first.replaced_by_id == later.pk and "stated by the source" in later.release_basis


@pytest.mark.django_db
def test_a_report_as_at_2023_06_01_never_uses_a_figure_published_after_it(statistics):
    report = report_build(statistics, ReportOptions.build(format="html", as_at=dt.date(2023, 6, 1)))
    text = render_html(report) + render_markdown(report)
    # 2021/22 as first published (December 2022), not its January 2024 revision; no 2022/23 figure yet.
    assert "16,730" in text
    assert "17,276" not in text and "15,690" not in text
    assert "released 31 December 2022" in text
    # A year later the revision and the next year's figure are used, and the report says so.
    later = report_build(statistics, ReportOptions.build(format="html", as_at=dt.date(2024, 6, 1)))
    later_text = render_html(later)
    assert "17,276" in later_text and "15,690" in later_text and "released 12 January 2024" in later_text


@pytest.mark.django_db
def test_no_figure_in_an_as_at_report_was_released_after_its_date(statistics):
    from recovery_tracker.indicators.charts import number
    from recovery_tracker.indicators.models import Observation

    as_at = dt.date(2023, 6, 1)
    text = render_markdown(report_build(statistics, ReportOptions.build(format="md", as_at=as_at)))
    for target_indicator in ("housing-deal-completions", "renewable-share"):
        for obs in Observation.objects.filter(indicator__slug=target_indicator, release_date__gt=as_at):
            assert f"| {obs.period} | {number(obs.value, obs.indicator.unit)} |" not in text, obs


@pytest.mark.django_db
def test_an_as_at_date_before_the_plan_was_published_is_refused(statistics, client):
    with pytest.raises(ReportOptionError, match=r"before the plan was published \(2020-07-06\)"):
        ReportOptions.build(format="html", as_at=dt.date(2020, 1, 1), published=statistics.published)
    response = client.get("/plans/west-midlands-2020/report.html?as_at=2020-06-30")
    assert response.status_code == 400
    assert "before the plan was published (2020-07-06)" in response.content.decode()
    api = client.get("/api/plans/west-midlands-2020/summary?as_at=2019-12-31")
    assert api.status_code == 400 and "before the plan was published" in api.content.decode()
