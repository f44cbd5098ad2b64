"""The progress report on the West Midlands plan, as a reader and a journalist would check it."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from typer.testing import CliRunner

from recovery_tracker.cli import app
from recovery_tracker.reports.markdown import render_markdown
from recovery_tracker.reports.options import ReportOptionError, ReportOptions
from recovery_tracker.reports.renderers import render_html, render_pdf
from recovery_tracker.reports.selectors import report_build

AS_AT_TEST = dt.date(2024, 1, 1)
GENERATED = re.compile(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d \S+")
CHAPTERS = ["Summary", "Where more action is needed", "The figures the plan stated", "What changed",
            "Methods and sources"]


def _build(plan, *, as_at=AS_AT_TEST, since=None, fmt="pdf", generated_at=None):
    return report_build(plan, ReportOptions.build(format=fmt, as_at=as_at, since=since), generated_at=generated_at)


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def pdf_TEST(sample_statistics_TEST, sample_progress_TEST, tmp_path):
    path = tmp_path / "report-TEST.pdf"
    path.write_bytes(render_pdf(_build(sample_progress_TEST.plan)))
    return path


def test_pdf_has_every_chapter_section_and_recommendation(pdf_TEST, sample_progress_TEST):
    from recovery_tracker.catalogue.models import Recommendation, Section

    text = _pdf_text(pdf_TEST)
    flat = " ".join(text.split())
    for chapter in CHAPTERS:
        assert chapter in text
    plan = sample_progress_TEST.plan
    for section in Section.objects.filter(plan=plan):
        assert f"{section.number} " in text, section.number
    slugs = Recommendation.objects.filter(plan=plan, retired=False).values_list("slug", flat=True)
    assert len(slugs) == 79  # 74, and the five issue 18 added (3.1-i, 3.2-t, 3.2-u, 4.3-n, 4.3-o)
    missing = [slug for slug in slugs if slug not in flat]
    assert missing == []
    # Running heads, page x of y and the contents with page numbers
    assert "Page 2 of" in text
    assert re.search(r"Summary \.{5,}.* \d+", text)
    assert "As at 1 January 2024" in text


def test_pdf_shows_progress_and_statistics(pdf_TEST, sample_progress_TEST):
    flat = " ".join(_pdf_text(pdf_TEST).split())
    assert "Sample TEST: work under way" in flat
    assert "Stalled" in flat and "Accepted" in flat
    assert "Sample indicator (TEST data)" in flat  # the chart's title, drawn as SVG text
    assert "Progress of A Better Recovery for the West Midlands" in flat  # the trend chart
    assert "Overdue" in flat


def test_html_has_the_charts_with_text_alternatives(sample_statistics_TEST, sample_progress_TEST):
    report = _build(sample_progress_TEST.plan)
    html = render_html(report)
    assert html.count("<svg") == 2  # plan-wide progress over time, and the one target with figures
    assert 'id="progress-chart-caption"' in html
    target = next(t for c in report.sections for e in c.entries for t in e.targets if t.chart)
    assert "Target line at" in target.chart.alt and target.verdict_label
    assert target.table[0][0] == "2015"


def test_report_with_the_shipped_statistics_and_evidence(west_midlands):
    """The real set-up (shipped statistics and public evidence, no made-up data): the housing target
    gets a verdict, a chart and a projection; the evidence shows with its links."""
    from recovery_tracker.indicators.setup import statistics_load_shipped
    from recovery_tracker.progress.setup import evidence_date, evidence_load, evidence_rows

    statistics_load_shipped()
    evidence_load()
    report = _build(west_midlands, as_at=dt.date(2026, 11, 1))
    shipped_before = [row for row in evidence_rows() if evidence_date(row.values["date"])[0] <= dt.date(2026, 11, 1)]
    charted = [t for c in report.sections for e in c.entries for t in e.targets if t.chart]
    assert charted and all(t.verdict_label for t in charted)
    assert any(t.projection for t in charted)
    assert sum(e.evidence_count for c in report.sections for e in c.entries) == len(shipped_before) >= 80
    assert report.summary.assessed == 0  # evidence never sets a status
    assert any(s.title.startswith("Public evidence") for s in report.methods.sources)
    assert len(report.methods.sources) > 3 and all(s.released for s in report.methods.sources)


def test_pdf_links_work(pdf_TEST):
    # External evidence links are link annotations; every chapter is a named destination for the contents.
    urls = subprocess.run(["pdfinfo", "-url", str(pdf_TEST)], check=True, capture_output=True, text=True).stdout
    assert "https://example.org/sample-evidence-TEST" in urls
    dests = subprocess.run(["pdfinfo", "-dests", str(pdf_TEST)], check=True, capture_output=True, text=True).stdout
    for anchor in ("summary", "more-action", "figures", "changes", "methods", "section-3-1"):
        assert f'"{anchor}"' in dests


def test_pdf_pages_are_not_blank(pdf_TEST, tmp_path):
    from PIL import Image

    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf_TEST)], check=True, capture_output=True, text=True).stdout).group(1))
    assert pages > 40
    # Every page, at a low resolution: enough to see ink, quick enough for the test run.
    subprocess.run(["pdftoppm", "-gray", "-r", "15", str(pdf_TEST), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.pgm"))
    assert len(images) == pages
    for image_path in images:
        darkest, _lightest = Image.open(image_path).getextrema()
        assert darkest < 128, f"{image_path.name} looks blank"


def test_markdown_and_html_have_every_recommendation(sample_progress_TEST):
    report = _build(sample_progress_TEST.plan)
    markdown = render_markdown(report)
    html = render_html(report)
    assert len(report.recommendation_slugs) == 79
    for slug in report.recommendation_slugs:
        assert f"### {slug} " in markdown
        assert f">{slug}</span>" in html
    assert markdown.index("## Summary") < markdown.index("## Where more action is needed") < markdown.index(
        "## The figures the plan stated") < markdown.index("## What changed") < markdown.index("## Methods")
    assert "[Sample TEST evidence](https://example.org/sample-evidence-TEST)" in markdown
    # Sections that only state figures say so rather than standing empty.
    key_workers = markdown[markdown.index("## 2.3.1 "):markdown.index("## 2.3.2 ")]
    assert "makes no recommendations of its own" in key_workers


def test_same_data_and_date_give_the_same_document(sample_statistics_TEST, sample_progress_TEST, tmp_path):
    plan = sample_progress_TEST.plan
    first = _build(plan, generated_at=dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.UTC))
    second = _build(plan, generated_at=dt.datetime(2031, 5, 6, 17, 30, tzinfo=dt.UTC))
    assert GENERATED.sub("", render_markdown(first)) == GENERATED.sub("", render_markdown(second))
    assert GENERATED.sub("", render_html(first)) == GENERATED.sub("", render_html(second))
    assert render_markdown(first) != render_markdown(second)  # the timestamp is really there
    (tmp_path / "a.pdf").write_bytes(render_pdf(first))
    (tmp_path / "b.pdf").write_bytes(render_pdf(second))
    assert GENERATED.sub("", _pdf_text(tmp_path / "a.pdf")) == GENERATED.sub("", _pdf_text(tmp_path / "b.pdf"))


def test_as_at_a_past_date_shows_that_date_not_today(sample_progress_TEST):
    sample = sample_progress_TEST
    slug = sample.target_rec.slug

    def wmca_row(report):
        entry = next(e for c in report.sections for e in c.entries if e.slug == slug)
        return next(b for b in entry.bodies if b.name == "WMCA")

    early = _build(sample.plan, as_at=dt.date(2022, 1, 1))
    middle = _build(sample.plan, as_at=dt.date(2023, 4, 1))
    late = _build(sample.plan, as_at=dt.date(2024, 1, 1))
    assert wmca_row(early).own.status == "Planned" and wmca_row(early).independent.status == "Not assessed"
    assert wmca_row(middle).own.status == "In progress" and wmca_row(middle).independent.status == "Not assessed"
    assert wmca_row(late).independent.status == "Stalled"
    before_any = _build(sample.plan, as_at=dt.date(2020, 12, 1))
    assert before_any.summary.assessed == 0 and before_any.summary.progress_percent is None
    # The overdue flag appears only once the promised date has passed.
    overdue = sample.overdue_rec.slug

    def flag_titles(report):
        return {f.title for item in report.flagged if item.slug == overdue for f in item.flags}

    assert "Overdue" not in flag_titles(_build(sample.plan, as_at=dt.date(2021, 12, 31)))
    assert "Overdue" in flag_titles(_build(sample.plan, as_at=dt.date(2022, 1, 2)))


def test_what_changed_lists_status_changes_evidence_and_statistics(sample_statistics_TEST, sample_progress_TEST):
    report = _build(sample_progress_TEST.plan, since=dt.date(2023, 1, 1))
    changes = report.changes
    assert [(c.before, c.after) for c in changes.status_changes] == [("Planned", "In progress"),
                                                                       ("Not assessed", "Stalled")]
    assert {e.title for e in changes.new_evidence} == {"Sample TEST: work under way",
                                                        "Sample TEST: independent view"}
    assert [s.period for s in changes.new_statistics] == ["2022"]  # released 30 June 2023


def test_statistics_released_after_the_as_at_date_are_not_used(sample_statistics_TEST, sample_progress_TEST):
    # The plan was published on 6 July 2020 (an earlier as-at date is refused); 2020's figure came
    # out on 30 June 2021.
    early = _build(sample_progress_TEST.plan, as_at=dt.date(2020, 7, 6))
    target = next(t for c in early.sections for e in c.entries for t in e.targets if t.table)
    assert [period for period, _ in target.table] == ["2015", "2016", "2017", "2018", "2019"]


def test_flags_are_worst_first_with_who_must_act(sample_progress_TEST):
    report = _build(sample_progress_TEST.plan)
    ranks = {"high": 3, "medium": 2, "low": 1}
    worst = [ranks[item.worst] for item in report.flagged]
    assert worst == sorted(worst, reverse=True)
    assert report.flagged[0].slug == sample_progress_TEST.overdue_rec.slug
    assert all(item.who_must_act for item in report.flagged)


def test_bad_options_say_what_to_fix():
    with pytest.raises(ReportOptionError, match="YYYY-MM-DD"):
        from recovery_tracker.reports.options import parse_date

        parse_date("31/12/2023", "--as-at")
    with pytest.raises(ReportOptionError, match="must be before"):
        ReportOptions.build(format="md", as_at=dt.date(2023, 1, 1), since=dt.date(2023, 1, 1))
    with pytest.raises(ReportOptionError, match="html, pdf, md"):
        ReportOptions.build(format="docx")


runner = CliRunner()


@pytest.mark.django_db(transaction=True)
def test_cli_writes_each_format(sample_progress_TEST, tmp_path):
    for fmt in ("md", "html", "pdf"):
        out = tmp_path / f"report.{fmt}"
        result = runner.invoke(app, ["report", "--plan", "west-midlands-2020", "--as-at", "2024-01-01",
                                     "--since", "2023-01-01", "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert f"Wrote {out}" in result.output
        assert out.stat().st_size > 10_000
    assert out.read_bytes().startswith(b"%PDF")
    assert "as at 1 January 2024" in (tmp_path / "report.md").read_text()
    linked = runner.invoke(app, ["report", "--format", "md", "--site-url", "https://tracker.example.org/",
                                 "-o", str(tmp_path / "linked.md")])
    assert linked.exit_code == 0, linked.output
    assert "(https://tracker.example.org/plans/west-midlands-2020/recommendations/3.1-f/)" in (
        tmp_path / "linked.md").read_text()


def test_cli_refuses_a_bad_date(west_midlands, tmp_path):
    result = runner.invoke(app, ["report", "--as-at", "1 Jan 2024", "--format", "md", "-o",
                                 str(tmp_path / "x.md")])
    assert result.exit_code == 2
    assert "--as-at must be a date written YYYY-MM-DD" in result.output
    assert not (tmp_path / "x.md").exists()


def test_plan_home_offers_the_downloads_and_they_work(sample_progress_TEST, client, run_tasks):
    from django.urls import reverse

    plan = sample_progress_TEST.plan
    home = client.get(reverse("plan", args=[plan.slug]))
    assert home.status_code == 200
    page = home.content.decode()
    for fmt in ("html", "pdf", "md"):
        assert f'href="/plans/{plan.slug}/report.{fmt}"' in page
    # Nothing is built in the request: each first answer says the report is being prepared.
    for fmt in ("pdf", "md", "html"):
        waiting = client.get(f"/plans/{plan.slug}/report.{fmt}?as_at=2023-12-31")
        assert waiting.status_code == 202 and waiting["X-Report-Cache"] == "preparing"
    run_tasks()
    pdf = client.get(f"/plans/{plan.slug}/report.pdf?as_at=2023-12-31")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="west-midlands-2020-progress-as-at-2023-12-31.pdf"'
    markdown = client.get(f"/plans/{plan.slug}/report.md?as_at=2023-12-31")
    again = client.get(f"/plans/{plan.slug}/report.md?as_at=2023-12-31")
    assert again["X-Report-Cache"] == "hit" and again.content == markdown.content
    html = client.get(f"/plans/{plan.slug}/report.html?as_at=2023-12-31")
    assert html.status_code == 200 and b"Where more action is needed" in html.content
    assert b'href="http://testserver/plans/west-midlands-2020/recommendations/3.1-f/"' in html.content
    assert client.get(f"/plans/{plan.slug}/report.md?as_at=yesterday").status_code == 400


def test_download_cache_follows_the_data(sample_progress_TEST, publish_TEST, client, run_tasks):
    """A newly published update changes the report at once: the cache key moves with the data."""
    from django.contrib.auth import get_user_model

    from recovery_tracker.catalogue.models import Organisation

    plan = sample_progress_TEST.plan
    url = f"/plans/{plan.slug}/report.md?as_at=2023-12-31"
    client.get(url)
    run_tasks()
    first = client.get(url)
    assert first["X-Report-Cache"] == "hit"
    users = get_user_model().objects
    publish_TEST(author=users.get(username="wmca-officer-TEST"), moderator=users.get(username="moderator-TEST"),
             recommendation=sample_progress_TEST.target_rec, organisation=Organisation.objects.get(slug="wmca"),
             voice="self_report", body=Organisation.objects.get(slug="wmca"), date=dt.date(2023, 9, 1),
             status="partly_delivered", title="Sample TEST: later news")
    assert client.get(url)["X-Report-Cache"] == "preparing"
    run_tasks()
    second = client.get(url)
    assert b"Sample TEST: later news" in second.content and b"Sample TEST: later news" not in first.content


def test_any_loaded_plan_gets_a_report(test_plan, tmp_path):
    # The small made-up plan: different sections, a target with no statistics, no progress at all.
    report = _build(test_plan, as_at=dt.date(2021, 1, 1))
    markdown = render_markdown(report)
    assert report.recommendation_slugs and all(f"### {slug} " in markdown for slug in report.recommendation_slugs)
    notes = [t.note for c in report.sections for e in c.entries for t in e.targets]
    assert notes and all(note for note in notes)  # each target says why it has no verdict
    (tmp_path / "test-plan.pdf").write_bytes(render_pdf(report))
    assert "Where more action is needed" in _pdf_text(tmp_path / "test-plan.pdf")
