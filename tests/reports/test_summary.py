"""The answer first: one summary, the same on the plan home, in the report (HTML, Markdown, PDF) and
in the API; coverage before any percentage; no chart of one point."""

from __future__ import annotations

import datetime as dt
import html
import re
import subprocess

import pytest

from recovery_tracker.engine.rollup import SeriesPoint
from recovery_tracker.progress.more_action_views import progress_chart_svg
from recovery_tracker.reports.options import ReportOptions
from recovery_tracker.reports.renderers import render_html, render_markdown, render_pdf
from recovery_tracker.reports.selectors import report_build
from recovery_tracker.reports.summary import plan_summary

AS_AT = dt.date(2026, 11, 30)


@pytest.fixture
def assessed(west_midlands):
    """The shipped plan with statistics, public evidence and the editorial assessment, as setup loads them."""
    from recovery_tracker.indicators.setup import statistics_load_shipped
    from recovery_tracker.progress.assessments import assessments_load_shipped
    from recovery_tracker.progress.setup import evidence_load

    statistics_load_shipped()
    evidence_load()
    assessments_load_shipped()
    return west_midlands


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.mark.django_db
def test_the_summary_counts_coverage_statuses_and_all_targets(assessed):
    from recovery_tracker.catalogue.models import Recommendation

    s = plan_summary(assessed, AS_AT)
    total = Recommendation.objects.filter(plan=assessed, retired=False).count()
    # Every recommendation is assessed, for every body it addresses (or as a whole when it names none).
    assert (s.recommendations, s.fully_assessed, s.not_assessed, s.partly_assessed) == (total, total, 0, 0)
    assert s.bodies > 400 and s.bodies_assessed == s.bodies
    counts = {c.key: c.count for c in s.status_counts}
    assert sum(counts.values()) == s.bodies and counts["not_assessed"] == 0 and counts["no_public_evidence"] > 0
    assert s.with_evidence + s.not_averaged == s.recommendations and s.progress_percent is not None
    # Every target of the plan counts, including the one no statistics measure yet.
    from recovery_tracker.catalogue.models import Target

    assert s.targets_total == Target.objects.filter(recommendation__plan=assessed).count() >= 3
    assert s.targets_no_verdict >= 1
    assert f"across the {s.with_evidence} recommendations with evidence of action (of {total})" in s.progress_text
    assert s.most_action and s.latest_changes[0].count > s.bodies
    # Before any assessment: no average, and no pretence of one.
    early = plan_summary(assessed, dt.date(2021, 1, 1))
    assert early.progress_percent is None and early.fully_assessed == 0
    assert early.progress_text.startswith("No average progress")


@pytest.mark.django_db
def test_home_report_and_api_give_the_same_figures_and_words(assessed, client):
    s = plan_summary(assessed, AS_AT)
    api = client.get(f"/api/plans/west-midlands-2020/summary?as_at={AS_AT}").json()
    assert {k: api[k] for k in ("fully_assessed", "responded", "bodies", "progress_percent", "targets_total",
                                "targets_on_track", "flagged")} == {
        "fully_assessed": s.fully_assessed, "responded": s.responded, "bodies": s.bodies,
        "progress_percent": s.progress_percent, "targets_total": s.targets_total,
        "targets_on_track": s.targets_on_track, "flagged": s.flagged}
    assert [(c["label"], c["count"]) for c in api["status_counts"]] == [(c.label, c.count) for c in s.status_counts]
    assert [t["label"] for t in api["targets"]] == [t.label for t in s.targets]

    report = report_build(assessed, ReportOptions.build(format="html", as_at=AS_AT))
    words = [s.coverage_text, s.progress_text, s.targets_text]
    page = _text(render_html(report))
    markdown = " ".join(render_markdown(report).split())
    for sentence in words:
        assert sentence in page and sentence in markdown
    # The report's own tables and headline use the same numbers.
    assert report.summary.targets_total == s.targets_total and report.summary.pair_count == s.bodies
    assert [(c.label, c.count) for c in report.summary.status_counts] == [(c.label, c.count) for c in s.status_counts]

    # The home page (as at today) from the same function: same counts in its words.
    today = plan_summary(assessed)
    home = _text(client.get("/plans/west-midlands-2020/").content.decode())
    assert (f"Assessed: {today.fully_assessed} of {today.recommendations} recommendations for every body they "
            f"address; {today.responded} with a formal response") in home
    assert f"{today.targets_on_track} of {today.targets_total} on track" in home
    for c in today.status_counts:
        assert f"{c.count} {c.label.lower()}" in home


@pytest.mark.django_db
def test_the_pdf_carries_the_same_answer(assessed, tmp_path):
    s = plan_summary(assessed, AS_AT)
    report = report_build(assessed, ReportOptions.build(format="pdf", as_at=AS_AT))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(report))
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert f"{s.fully_assessed} of {s.recommendations} recommendations assessed for every body" in text
    assert f"{s.targets_on_track} of {s.targets_total} targets on track" in text


@pytest.mark.django_db
def test_on_the_home_page_coverage_comes_before_any_percentage(assessed, client):
    page = client.get("/plans/west-midlands-2020/").content.decode()
    coverage = page.index('id="answer-coverage"')
    first_percent = re.search(r"\d+%", page[page.index('id="answer-first"'):]).start() + page.index('id="answer-first"')
    assert coverage < first_percent
    # Every percentage in the answer sits beside the number of recommendations it averages.
    progress = _text(page[page.index('id="answer-progress"'):page.index('id="answer-targets"')])
    assert re.search(r"\d+% average across the \d+ of \d+ recommendations with evidence of action", progress)


def test_no_chart_of_one_point():
    one = [SeriesPoint(dt.date(2021, 6, 30), 0.35, 1, 73, 0), SeriesPoint(dt.date(2021, 9, 30), None, 0, 74, 0)]
    assert str(progress_chart_svg(one, "TEST")) == ""
    two = one + [SeriesPoint(dt.date(2021, 12, 31), 0.40, 2, 72, 0)]
    assert "<svg" in str(progress_chart_svg(two, "TEST"))
