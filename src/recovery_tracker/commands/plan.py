"""``plan check``, ``plan load``, ``plan export``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from recovery_tracker.commands._output import ExportFormat, plan_or_exit, text_emit
from recovery_tracker.web.bootstrap import django_setup

if TYPE_CHECKING:
    from recovery_tracker.engine.plan import PlanError

plan_app = typer.Typer(help="Validate, load and export plan files.", no_args_is_help=True)
err = Console(stderr=True)



def _fail(error: PlanError) -> None:
    err.print(f"[bold red]{error.path}[/] has {len(error.problems)} problem(s):", highlight=False)
    for problem in error.problems:
        err.print(f"  - {problem}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(code=2)


@plan_app.command("check")
def check(
    file: Path = typer.Argument(..., help="Plan YAML file."),
    registry: Path | None = typer.Option(
        None, "--registry", help="Organisation registry file; default: the shipped data/organisations.yaml."),
) -> None:
    """Validate a plan file against its source text and the organisation registry.

    Checks the schema, that every quote, criterion and fact is verbatim in the source text (naming the
    closest passage when not), the editorial rules (whole clauses, one ask per item, the sentence's own
    modality) and that no organisation fact conflicts with the registry. Errors name the file, the item
    id and the field; the exit code is 2 when there is any.
    """
    # Imported here, not at the top: every command would otherwise pay for pydantic at start-up.
    from recovery_tracker.engine.plan import PlanError, plan_read, plan_source_read
    from recovery_tracker.engine.plan_rules import plan_rules_check
    from recovery_tracker.engine.problems import Problem
    from recovery_tracker.engine.registry import (
        known_from_registry,
        organisation_conflicts,
        registry_read,
        registry_read_shipped,
    )

    try:
        orgs = registry_read(registry) if registry else registry_read_shipped()
        plan_file = plan_read(file, registry=orgs)
        source = plan_source_read(file, plan_file)
    except PlanError as error:
        _fail(error)
    known = known_from_registry(orgs)
    label = f"plan {plan_file.plan.id} ({file.name})"
    problems: list[str | Problem] = list(plan_rules_check(plan_file, source))
    for org in plan_file.organisations:
        problems += organisation_conflicts(known.get(org.id), org, label)
    if problems:
        _fail(PlanError(str(file), problems))
    typer.echo(
        f"{file}: valid. {len(plan_file.sections)} sections, {len(plan_file.recommendations)} recommendations, "
        f"{len(plan_file.facts)} facts, {len(plan_file.organisations)} organisations added or described; "
        "every quote verbatim in the source text."
    )


@plan_app.command("load")
def load(file: Path = typer.Argument(..., help="Plan YAML file.")) -> None:
    """Load or refresh a plan. Loading the same file twice changes nothing; nothing recorded is deleted."""
    django_setup()
    from recovery_tracker.catalogue.services import plan_load
    from recovery_tracker.engine.plan import PlanError

    try:
        result = plan_load(path=file)
    except PlanError as error:
        _fail(error)
    typer.echo(result.summary())


@plan_app.command("remove")
def remove(plan: str = typer.Argument(..., help="Plan id.")) -> None:
    """Remove a loaded plan that has no recorded progress. Other plans and organisations are untouched."""
    django_setup()
    from recovery_tracker.catalogue.services import plan_remove
    from recovery_tracker.engine.plan import PlanError

    try:
        typer.echo(plan_remove(slug=plan))
    except PlanError as error:
        _fail(error)


@plan_app.command("draft")
def draft(
    source: Path = typer.Argument(..., help="The plan's source text (UTF-8)."),
    output: Path = typer.Option(..., "-o", "--output", help="Plan YAML file to write (next to the source text)."),
    plan_id: str = typer.Option("", "--id", help="Plan id; default: the source file's name."),
) -> None:
    """Propose a plan file from its text: sections, one candidate per asking sentence, bodies, figures.

    Every proposal is verbatim and marked for review (its note); bodies the registry does not know are
    listed at the top of the file for the editor. Confirm, split and merge, then `plan check`.
    """
    import datetime as dt
    import os

    import yaml

    from recovery_tracker.engine.plan import PlanError
    from recovery_tracker.engine.plan_draft import plan_draft, plan_draft_data
    from recovery_tracker.engine.registry import registry_read_shipped

    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(PlanError(str(source), ["the source text does not exist"]))
    except UnicodeDecodeError as error:
        _fail(PlanError(str(source), [f"the source text is not UTF-8 (byte {error.start}); save it as UTF-8"]))
    if not output.parent.is_dir():
        _fail(PlanError(str(output), [f"the folder {output.parent} does not exist; create it or choose another"]))
    registry = registry_read_shipped()
    proposal = plan_draft(text, registry)
    stem = source.name.removesuffix(".txt").removesuffix(".source")
    first_line = next((line.strip(" ‘’'\"") for line in text.splitlines() if line.strip()), stem)
    data = plan_draft_data(
        proposal, plan_id=plan_id or stem.lower().replace("_", "-"), title=first_line,
        source_text=os.path.relpath(source.resolve(), output.resolve().parent), published=dt.date.today().isoformat())
    header = [
        f"# DRAFT proposed by `recovery-tracker plan draft` from {source.name}: {len(proposal.candidates)} candidate",
        "# recommendations, every quote verbatim and every item marked REVIEW in its note. Confirm, split and",
        "# merge, set who must act, kinds, themes and the plan's publisher and date, then run `plan check`.",
        "# Names in the text that match no organisation in the registry (add them to organisations, or map",
        "# them to a registry id):",
        *[f"#   {name}" for name in proposal.unmatched_names],
        "",
    ]
    output.write_text("\n".join(header) + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120),
                      encoding="utf-8")
    typer.echo(f"{output}: {len(proposal.sections)} sections, {len(proposal.candidates)} candidate recommendations, "
               f"{len(proposal.figures)} stated figures, {len(proposal.unmatched_names)} names to map; "
               "review every item.")


@plan_app.command("export")
def export(
    plan: str = typer.Option("", "--plan", help="Plan id; default: the site's default plan."),
    format: ExportFormat = typer.Option(ExportFormat.json, "--format", help="json or csv."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write to this file instead of stdout."),
) -> None:
    """Export a loaded plan as one JSON object or as CSV (one row per recommendation)."""
    django_setup()
    from recovery_tracker.catalogue.exports import plan_export_csv, plan_export_data

    plan_obj = plan_or_exit(plan)
    if format is ExportFormat.json:
        text = json.dumps(plan_export_data(plan_obj), indent=2, ensure_ascii=False) + "\n"
    else:
        text = plan_export_csv(plan_obj)
    text_emit(text, output)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
