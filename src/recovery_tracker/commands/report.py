"""``recovery-tracker report``: the published progress report as HTML, PDF or Markdown."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from recovery_tracker.commands._output import plan_or_exit
from recovery_tracker.web.bootstrap import django_setup

err = Console(stderr=True)


class Format(StrEnum):
    html = "html"
    pdf = "pdf"
    md = "md"


def report(
    format: Format = typer.Option(..., "--format", help="html, pdf or md (Markdown for a blog post)."),
    output: Path = typer.Option(..., "-o", "--output", help="The file to write."),
    plan: str = typer.Option("", "--plan", help="Plan id; default: the site's default plan."),
    as_at: str = typer.Option("", "--as-at", help="Report the state on this date (YYYY-MM-DD); default: today."),
    since: str = typer.Option("", "--since", help="'What changed' starts after this date (YYYY-MM-DD); "
                                                  "default: a year before the as-at date."),
    site_url: str = typer.Option("", "--site-url", help="The tracker's address (https://...), to link each "
                                                        "recommendation to its page; default: no site links."),
) -> None:
    """Write the progress report on a plan, as at a date: the same data and date give the same document."""
    django_setup()
    from recovery_tracker.reports.options import ReportOptionError, parse_date
    from recovery_tracker.reports.publications import report_options_default_since
    from recovery_tracker.reports.renderers import render
    from recovery_tracker.reports.selectors import report_build

    plan_obj = plan_or_exit(plan)
    try:
        # Without --since, "What changed" runs from the last published report (or a year).
        options = report_options_default_since(plan_obj, format=format.value, as_at=parse_date(as_at, "--as-at"),
                                               since=parse_date(since, "--since"))
    except ReportOptionError as error:
        err.print(str(error), markup=False)
        raise typer.Exit(code=2) from None
    if site_url and not site_url.startswith(("https://", "http://")):
        err.print(f"--site-url must start with https:// or http://; got {site_url!r}.", markup=False)
        raise typer.Exit(code=2)
    content = render(report_build(plan_obj, options, site_url=site_url), options.format)
    output.write_bytes(content)
    typer.echo(f"Wrote {output} ({len(content):,} bytes): {plan_obj.title}, as at {options.as_at}.")


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main application."""
    app.command("report")(report)
