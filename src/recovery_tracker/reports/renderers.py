"""Turn a ``ReportData`` into HTML, PDF or Markdown. Formatting only: every fact comes from the selectors.

The HTML and the PDF use the same template (``reports/report.html``); the PDF adds nothing but
WeasyPrint's print layout from the ``@page`` rules in ``reports/report.css``.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from recovery_tracker.reports.data import NO_RECOMMENDATIONS, ReportData
from recovery_tracker.reports.markdown import render_markdown

__all__ = ["GENERATED_PREFIX", "render", "render_html", "render_markdown", "render_pdf"]

# The one line that differs between two runs on the same data; tests strip it to compare.
GENERATED_PREFIX = "Generated "


def render_html(report: ReportData) -> str:
    return render_to_string("reports/report.html", {
        "report": report, "generated_prefix": GENERATED_PREFIX, "no_recommendations": NO_RECOMMENDATIONS,
    })


def render_pdf(report: ReportData) -> bytes:
    from weasyprint import HTML

    # No base URL: everything the report needs is inline (CSS, SVG charts), so nothing is fetched.
    # Tagged for accessibility (PDF/UA-1): headings, tables and reading order reach screen readers.
    return HTML(string=render_html(report)).write_pdf(pdf_variant="pdf/ua-1")


def render(report: ReportData, format: str) -> bytes:
    if format == "pdf":
        return render_pdf(report)
    if format == "md":
        return render_markdown(report).encode("utf-8")
    return render_html(report).encode("utf-8")
