"""``progress import`` and ``progress export``: the command-line side of bulk and open data."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from recovery_tracker.commands._output import ExportFormat, plan_or_exit, text_emit
from recovery_tracker.web.bootstrap import django_setup

progress_app = typer.Typer(help="Import updates from CSV; export everything published.", no_args_is_help=True)
err = Console(stderr=True)



def _plan(slug: str):  # noqa: ANN202 - returns a Django model, imported after set-up
    from recovery_tracker.catalogue.models import Plan

    if not slug:
        return None
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        from recovery_tracker.catalogue.selectors import plan_missing_message

        err.print(plan_missing_message(slug), markup=False)
        raise typer.Exit(code=2)
    return plan


@progress_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="CSV file of updates (UTF-8), one row per update.", exists=True,
                                dir_okay=False),
    user: str = typer.Option(..., "--user", help="Username of the person importing: their permissions apply."),
    plan: str = typer.Option("", "--plan", help="Plan id; default: the site's default plan."),
) -> None:
    """Import updates as drafts, or submitted for moderation; never published. All or nothing:
    if any row is wrong nothing is stored, and every bad row is listed with its row and column."""
    django_setup()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from recovery_tracker.progress.imports import ImportRejected, updates_import

    actor = get_user_model().objects.filter(username=user, is_active=True).first()
    if actor is None:
        err.print(f"No active user {user!r}.")
        raise typer.Exit(code=2)
    plan_obj = plan_or_exit(plan)
    try:
        result = updates_import(actor=actor, content=file.read_bytes(), plan=plan_obj, filename=file.name)
    except ImportRejected as rejected:
        err.print(f"[bold red]{file}[/] was not imported; nothing was stored. {len(rejected.problems)} problem(s):",
                  highlight=False)
        for error in rejected.problems:
            err.print(f"  - {error}", highlight=False, markup=False)
        raise typer.Exit(code=2) from None
    except PermissionDenied as error:
        err.print(str(error))
        raise typer.Exit(code=3) from None
    typer.echo(result.summary())


@progress_app.command("export")
def export(
    format: ExportFormat = typer.Option(ExportFormat.json, "--format", help="json or csv."),
    plan: str = typer.Option("", "--plan", help="Plan id; default: every plan."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file instead of stdout."),
) -> None:
    """Export every published update (all versions), formula-safe CSV or JSON with each plan's roll-up."""
    django_setup()
    from recovery_tracker.engine.safe_text import json_dumps
    from recovery_tracker.progress.exports import published_export_csv, published_export_data

    plan_obj = _plan(plan)
    if format is ExportFormat.json:
        text = json_dumps(published_export_data(plan_obj)) + "\n"
    else:
        text = published_export_csv(plan_obj)
    text_emit(text, output)


def register(app: typer.Typer) -> None:
    app.add_typer(progress_app, name="progress")
