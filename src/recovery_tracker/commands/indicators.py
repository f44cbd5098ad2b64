"""``indicators import``, ``indicators list``, ``indicators targets``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from recovery_tracker.web.bootstrap import django_setup

indicators_app = typer.Typer(help="Import statistics, list indicators and target verdicts.", no_args_is_help=True)
err = Console(stderr=True)
out = Console()


@indicators_app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="CSV files: Open SDG layout or the long layout.", exists=True,
                                       dir_okay=False, readable=True),
    metadata: list[Path] = typer.Option([], "--metadata", help="Indicator metadata YAML (repeat for several).",
                                        exists=True, dir_okay=False, readable=True),
) -> None:
    """Import statistics, all or nothing. Importing the same file again changes nothing; a changed figure
    is stored as a revision and the earlier one kept."""
    django_setup()
    from recovery_tracker.indicators.services import ImportRejected, InputFile, observations_import

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Checking files", total=len(files))

        def step(name: str, done: int, total: int) -> None:
            progress.update(task, completed=done, description=f"Checked {name}")

        try:
            result = observations_import(
                files=[InputFile.from_path(p) for p in files],
                metadata_files=[InputFile.from_path(p) for p in metadata],
                progress=step,
            )
        except ImportRejected as rejected:
            progress.stop()
            err.print(f"[bold red]Nothing was imported:[/] {len(rejected.problems)} problem(s)", highlight=False)
            for problem in rejected.problems:
                err.print(f"  - {problem}", highlight=False, markup=False)
            raise typer.Exit(code=2) from None
    typer.echo(result.summary())


@indicators_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List indicators with their unit, direction and number of current figures."""
    django_setup()
    from django.db.models import Count, Q

    from recovery_tracker.indicators.models import Indicator

    rows = Indicator.objects.annotate(n=Count("observations", filter=Q(observations__replaced_by=None)))
    if as_json:
        typer.echo(json.dumps([{"id": i.slug, "name": i.name, "unit": i.unit, "direction": i.direction,
                                "method": i.method, "observations": i.n} for i in rows], indent=2))
        return
    table = Table("id", "name", "unit", "direction", "figures")
    for i in rows:
        table.add_row(i.slug, i.name, i.unit, i.direction, str(i.n))
    out.print(table)


@indicators_app.command("targets")
def targets(
    plan: str = typer.Option("", "--plan", help="Plan id; default: every target."),
    as_at: str = typer.Option("", "--as-at", help="Only figures published by this date (YYYY-MM-DD)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON with every component."),
) -> None:
    """Target verdicts: status, projection at the deadline and the rate needed."""
    import datetime as dt

    django_setup()
    from recovery_tracker.indicators.models import IndicatorTarget
    from recovery_tracker.indicators.selectors import target_verdict

    try:
        when = dt.date.fromisoformat(as_at) if as_at else None
    except ValueError:
        err.print(f"--as-at {as_at!r} is not a date like 2023-03-31")
        raise typer.Exit(code=2) from None
    query = IndicatorTarget.objects.select_related("indicator")
    if plan:
        query = query.filter(catalogue_target__recommendation__plan__slug=plan)
    verdicts = [target_verdict(t, when) for t in query]
    if as_json:
        typer.echo(json.dumps([v.to_dict() for v in verdicts], indent=2))
        return
    table = Table("target", "verdict", "projection", "needed a year", "reason")
    for v in verdicts:
        table.add_row(v.target.slug, v.label, "" if v.projection is None else f"{v.projection:,.4g}",
                      "" if v.required_rate is None else f"{v.required_rate:,.4g}", v.reason)
    out.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(indicators_app, name="indicators")
