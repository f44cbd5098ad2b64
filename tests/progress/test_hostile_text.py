"""The same hostile narrative, title and link title go through every output and come out inert.

Pages, Atom feeds, the Markdown report (rendered by a Markdown library that passes raw HTML
through, as blog editors do), the PDF, CSV and JSON exports and the API.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import markdown as markdown_lib
import pytest
from django.urls import reverse

from recovery_tracker.reports.markdown import render_markdown
from recovery_tracker.reports.options import ReportOptions
from recovery_tracker.reports.renderers import render_pdf
from recovery_tracker.reports.selectors import report_build

HOSTILE_NARRATIVE = (
    "Hello <img src=x onerror=alert(1)> [click me](javascript:alert(2)) <script>alert(3)</script> "
    '<a href="javascript:alert(4)" onclick="alert(5)">link</a> <svg onload=alert(6)></svg>'
)
HOSTILE_TITLE = '=HYPERLINK("https://evil.example/TEST","x") <script>alert(7)</script><img src=x onerror=alert(8)>'
HOSTILE_LINK_TITLE = "<img src=x onerror=alert(9)>](javascript:alert(10))"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "svg", "iframe", "object", "embed"):
            self.problems.append(f"<{tag}> element")
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            if value and "javascript:" in value.replace(" ", "").lower():
                self.problems.append(f"javascript: in {name} of <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.problems.append("hostile <script> content")


def assert_inert(html: str) -> None:
    parser = _Collect()
    parser.feed(html)
    assert parser.problems == []


@pytest.fixture
def hostile(people, rec, update_data, settings):
    from recovery_tracker.progress import services

    update = services.update_create_draft(
        actor=people.member, recommendation=rec, organisation=people.authority, voice="self_report",
        data=update_data(body=people.authority, title=HOSTILE_TITLE, narrative=HOSTILE_NARRATIVE,
                         links=[("https://example.org/evidence-TEST", HOSTILE_LINK_TITLE)]),
    )
    services.update_submit(actor=people.member, update=update)
    return services.update_publish(actor=people.moderator, update=update)


def test_the_sanitiser_itself_drops_every_live_part():
    from recovery_tracker.engine.safe_text import markdown_to_html, plain_text, safe_url

    html = markdown_to_html(HOSTILE_NARRATIVE)
    assert_inert(html)
    assert "Hello" in html and "click me" in html and "alert(3)" not in html
    assert plain_text(HOSTILE_NARRATIVE) == "Hello click me link"
    assert safe_url("javascript:alert(1)") == "" and safe_url("https://example.org/a") == "https://example.org/a"


def test_update_page_shows_the_words_not_the_code(client, hostile):
    response = client.get(reverse("progress-update", args=[hostile.pk]))
    assert response.status_code == 200
    assert_inert(response.content.decode())
    assert "Hello" in response.content.decode()


def test_atom_feed_summaries_are_sanitised_html(client, hostile):
    for name, args in (("feed-plan", ("test-plan",)), ("feed-recommendation", ("test-plan", "1-a")),
                       ("feed-organisation", ("test-authority",))):
        body = client.get(reverse(name, args=args)).content
        root = ET.fromstring(body)
        namespace = {"atom": "http://www.w3.org/2005/Atom"}
        summaries = [s for s in root.iterfind(".//atom:entry/atom:summary", namespace)]
        assert summaries and all(s.get("type") == "html" for s in summaries)
        for summary in summaries:
            assert "Hello" in summary.text
            assert_inert(summary.text)  # what a feed reader renders
        # Titles are plain text elements: the reader shows the characters, never parses them.
        titles = [t for t in root.iterfind(".//atom:entry/atom:title", namespace)]
        assert titles and all(t.get("type") in (None, "text") for t in titles)


def _report(plan):
    return report_build(plan, ReportOptions.build(format="md", as_at=dt.date.today(), since=dt.date(2024, 1, 1)))


def test_markdown_report_holds_user_text_as_literal_text(test_plan, hostile):
    text = render_markdown(_report(test_plan))
    assert "HYPERLINK" in text  # the title is there, as words
    # Rendered by a Markdown library that lets raw HTML through (as many blog editors do).
    html = markdown_lib.markdown(text, extensions=["tables"])
    assert_inert(html)
    assert "<script" not in text and "<img" not in text and "](javascript:" not in text


def test_pdf_report_has_no_script_or_javascript_link(test_plan, hostile, tmp_path):
    pdf = render_pdf(_report(test_plan))
    assert b"javascript" not in pdf.lower() and b"/JS" not in pdf
    (tmp_path / "r.pdf").write_bytes(pdf)
    words = subprocess.run(["pdftotext", str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert "HYPERLINK" in words  # shown as text


def test_csv_export_cannot_run_as_a_formula(client, hostile):
    response = client.get(reverse("progress-export-csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    row = next(r for r in rows if r["id"] == str(hostile.pk))
    assert row["title"].startswith("'=HYPERLINK")


def test_csv_export_imports_back_without_the_guard_quote():
    from recovery_tracker.engine.safe_text import csv_cell, csv_uncell

    for text in (HOSTILE_TITLE, "-5 homes", "@someone", "plain", "'quoted already"):
        assert csv_uncell(csv_cell(text)) == text


def test_json_exports_have_no_markup_in_the_bytes_but_read_back_unchanged(client, hostile):
    for url in (reverse("progress-export-json"), "/api/progress/updates"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"<" not in response.content and b">" not in response.content
        updates = json.loads(response.content)["updates"]
        row = next(u for u in updates if u["id"] == hostile.pk)
        assert row["narrative"] == HOSTILE_NARRATIVE and row["title"] == HOSTILE_TITLE
        assert_inert(row["narrative_html"])
