"""``recovery-tracker progress-measure``: the on-track verdict for one Year,Value series."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from recovery_tracker.engine.progress_measure import (
    DEFAULT_BASE_YEAR,
    DEFAULT_TARGET_YEAR,
    ProgressResult,
    SeriesDataError,
    assess,
    parse_direction,
    read_year_value_csv,
)

# Exit code for bad input, as Click uses for usage errors.
BAD_INPUT = 2

JSON_FIELDS = (
    "status",
    "score",
    "progress_value",
    "base_year",
    "base_value",
    "current_year",
    "current_value",
    "target",
    "target_year",
    "projection",
    "required_rate",
)


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(BAD_INPUT)


def progress_measure(
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="CSV with a header row and two columns: Year,Value.")
    ] = None,
    direction: Annotated[
        str | None,
        typer.Option(help="Which way is better: increase or decrease (positive/negative also accepted). Required."),
    ] = None,
    target: Annotated[float | None, typer.Option(help="Target value to reach by the target year.")] = None,
    target_year: Annotated[
        int, typer.Option(help="Deadline year (Open SDG default 2030); projections go to this year.")
    ] = DEFAULT_TARGET_YEAR,
    base_year: Annotated[
        int, typer.Option(help="Base year (Open SDG default 2015); the first later year with data is used if empty.")
    ] = DEFAULT_BASE_YEAR,
    limit: Annotated[
        float | None, typer.Option(help="Natural maximum or minimum (cagr method without a target only).")
    ] = None,
    method: Annotated[
        str, typer.Option(help="cagr (Open SDG progress measure) or linear (counts and cumulative targets).")
    ] = "cagr",
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
) -> None:
    """Assess whether a series is on track, the Open SDG way (cagr) or in a straight line (linear)."""
    if csv_file is None:
        _fail("--csv is required: give the path of a CSV file with columns Year,Value")
    if direction is None:
        _fail(
            "--direction is required: say 'increase' if a higher value is better or 'decrease' if a lower "
            "value is better (the direction is never guessed)"
        )
    try:
        parse_direction(direction)  # type: ignore[arg-type]
    except ValueError as error:
        _fail(f"--direction: {error}")
    if method not in ("cagr", "linear"):
        _fail(f"--method {method!r} is not known: use cagr or linear")
    if method == "linear" and target is None:
        _fail("--method linear needs --target (and usually --target-year): it measures progress towards a target")
    if method == "linear" and limit is not None:
        _fail("--limit applies only to --method cagr without a target; drop --limit")
    try:
        observations = read_year_value_csv(csv_file)  # type: ignore[arg-type]
        result = assess(
            [(obs.year, obs.value) for obs in observations],
            direction=direction,  # type: ignore[arg-type]
            method=method,  # type: ignore[arg-type]
            target=target,
            target_year=target_year,
            base_year=base_year,
            limit=limit,
        )
    except SeriesDataError as error:
        _fail(str(error))
        return
    except ValueError as error:
        _fail(str(error))
        return

    if as_json:
        record = result.to_dict()
        payload = {name: record[name] for name in JSON_FIELDS}
        payload.update(
            method=record["method"],
            direction=record["direction"],
            warnings=record["warnings"],
            components=record["components"],
        )
        typer.echo(json.dumps(payload, indent=2, allow_nan=False))
        return
    _print_table(result)


def _number(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return str(value)
    return f"{value:,.6g}"


def _print_table(result: ProgressResult) -> None:
    console = Console()
    table = Table(title=f"Progress measure ({result.method})", show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    table.add_row("Status", str(result.status).replace("_", " "))
    table.add_row("Score (−5 to 5)", _number(result.score))
    table.add_row("Progress value", _number(result.progress_value))
    table.add_row("Direction", "increase" if result.direction == 1 else "decrease")
    table.add_row("Base", f"{_number(result.base_value)} in {_number(result.base_year)}")
    table.add_row("Current", f"{_number(result.current_value)} in {_number(result.current_year)}")
    table.add_row("Target", f"{_number(result.target)} by {result.target_year}")
    table.add_row(f"Projection for {result.target_year}", _number(result.projection))
    if result.method == "linear" or result.required_rate is None:
        needed = f"{_number(result.required_rate)} a year"
    else:
        needed = f"{result.required_rate:+.2%} a year (compound)"
    table.add_row("Rate needed from now on", needed)
    console.print(table)
    if result.warnings:
        errors = Console(stderr=True)
        for warning in result.warnings:
            errors.print(f"[yellow]Warning:[/yellow] {warning}")


def register(app: typer.Typer) -> None:
    """Add the ``progress-measure`` command to the main application."""
    app.command("progress-measure")(progress_measure)
