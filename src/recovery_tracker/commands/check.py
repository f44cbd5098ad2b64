"""``check job-guarantee``, ``check procurement``, ``check public-interest``, ``check employer``.

Thin shells over :mod:`recovery_tracker.engine.standards`: parse arguments, call the engine, print.
Bad input prints every problem (file, row, column) to stderr and exits with code 2; nothing is written.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from recovery_tracker.commands._output import text_emit
from recovery_tracker.engine.formatting import percent
from recovery_tracker.engine.standards import StandardsInputError
from recovery_tracker.web.bootstrap import django_setup

check_app = typer.Typer(
    help="Check files against the plan's standards: job guarantee, fair-work procurement, public interest "
         "test, employer commitments.",
    no_args_is_help=True,
)
err = Console(stderr=True)


class TableFormat(StrEnum):
    json = "json"
    table = "table"


class JobGuaranteeFormat(StrEnum):
    json = "json"
    table = "table"
    html = "html"


class DecisionFormat(StrEnum):
    json = "json"
    html = "html"
    pdf = "pdf"


def _fail(error: StandardsInputError) -> NoReturn:
    err.print(f"[bold red]{len(error.problems)} problem(s); nothing was checked. Fix these and run again:[/]")
    for problem in error.problems:
        err.print(f"  - {problem}", highlight=False, markup=False)
    raise typer.Exit(code=2)


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _share(value: float | None) -> str:
    return percent(value, missing="n/a")


def _print_table(table: Table, output: Path | None) -> None:
    if output is None:
        Console(width=160).print(table)
        return
    with open(output, "w", encoding="utf-8") as handle:
        Console(file=handle, width=160).print(table)
    err.print(f"Wrote {output}", highlight=False)


OutputOption = typer.Option(None, "-o", "--output", help="Write to this file instead of the screen.")


@check_app.command("job-guarantee")
def job_guarantee(
    file: Path = typer.Argument(..., help="Placements file (.csv or .xlsx), one row per job."),
    format: JobGuaranteeFormat = typer.Option(JobGuaranteeFormat.table, "--format", help="json, table or html."),
    output: Path | None = OutputOption,
) -> None:
    """Check job placements against the job guarantee's six conditions (plan section 5).

    Columns: employer, start_date, end_date, contract_type, weekly_hours, hourly_pay, london,
    training, union_access, community_benefit, additional, and optionally notes.
    """
    from recovery_tracker.engine.standards import job_guarantee as engine

    try:
        report = engine.check_job_guarantee_file(file)
    except StandardsInputError as error:
        _fail(error)
    if format is JobGuaranteeFormat.json:
        text_emit(_json(report.to_dict()), output)
        return
    if format is JobGuaranteeFormat.html:
        django_setup()  # the document is a template
        from recovery_tracker.measures.records import job_guarantee_record_html

        text_emit(job_guarantee_record_html(report), output)
        return
    summary = report.summary
    table = Table(title=f"Job guarantee: {summary.meeting_all} of {summary.total} placements meet all six "
                        f"({_share(summary.share_meeting_all)})")
    table.add_column("Row", justify="right")
    table.add_column("Employer")
    table.add_column("All six")
    table.add_column("Fails on (reason)")
    for result in report.placements:
        failures = [f"{name}: {condition.reason}" for name, condition in result.conditions.items()
                    if not condition.passed]
        warnings = [f"warning: {text}" for condition in result.conditions.values() for text in condition.warnings]
        table.add_row(str(result.placement.row), result.placement.employer, "yes" if result.passes else "no",
                      "\n".join(failures + warnings) or "-")
    table.caption = "Failures: " + ", ".join(f"{name} {count}" for name, count in summary.commonest_failures)
    _print_table(table, output)


@check_app.command("procurement")
def procurement(
    file: Path = typer.Argument(..., help="Contracts register (.csv or .xlsx), one row per contract."),
    standard: Path | None = typer.Option(None, "--standard", help="Standard YAML; default: Fair Work First "
                                                                  "plus 10% social value weighting."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", help="json or table."),
    output: Path | None = OutputOption,
) -> None:
    """Score a contracts register against a fair-work standard (plan sections 3.3, 4.1, 6)."""
    from recovery_tracker.engine.standards.procurement import check_procurement_file

    try:
        report = check_procurement_file(file, standard)
    except StandardsInputError as error:
        _fail(error)
    if format is TableFormat.json:
        text_emit(_json(report.to_dict()), output)
        return
    contracts = Table(title=f"Contracts against: {report.standard.name}")
    for column in ("Row", "Buyer", "Supplier", "Value (£)", "Meets", "Missing"):
        contracts.add_column(column, justify="right" if column in {"Row", "Value (£)"} else "left")
    for item in report.contracts:
        contracts.add_row(str(item.contract.row), item.contract.buyer, item.contract.supplier,
                          f"{item.contract.value:,.0f}", "yes" if item.meets_standard else "no",
                          ", ".join(item.missing) or "-")
    buyers = Table(title="Share of spend meeting the standard, per buyer")
    for column in ("Buyer", "Contracts", "Meeting", "Spend (£)", "Spend meeting (£)", "Share"):
        buyers.add_column(column, justify="left" if column == "Buyer" else "right")
    for buyer in [*report.buyers, report.overall]:
        buyers.add_row(buyer.buyer, str(buyer.contracts), str(buyer.contracts_meeting), f"{buyer.total_value:,.0f}",
                       f"{buyer.value_meeting:,.0f}", _share(buyer.share_of_spend_meeting))
    grid = Table.grid()
    grid.add_row(contracts)
    grid.add_row(buyers)
    _print_table(grid, output)


@check_app.command("public-interest")
def public_interest(
    file: Path = typer.Argument(..., help="Assessment YAML: service, decision, criteria with evidence and scores."),
    format: DecisionFormat = typer.Option(DecisionFormat.json, "--format", help="json, html or pdf."),
    output: Path | None = OutputOption,
    test: Path | None = typer.Option(None, "--test", help="Public interest test YAML (criteria, weights, rule); "
                                                          "default: the shipped test."),
) -> None:
    """Apply the public interest "make or buy" test (plan section 6); in-house is the default.

    Produces a decision record and contract review register entries (keep, renegotiate, terminate).
    """
    from recovery_tracker.engine.standards import public_interest as engine

    if format is DecisionFormat.pdf and output is None:
        err.print("A PDF needs a file to go to: add -o decision.pdf", highlight=False)
        raise typer.Exit(code=2)
    try:
        decision = engine.assess_public_interest_file(file, test_path=test)
    except StandardsInputError as error:
        _fail(error)
    if format is DecisionFormat.json:
        text_emit(_json(decision.to_dict()), output)
        return
    django_setup()  # the decision record is a template
    from recovery_tracker.measures.records import decision_record_html, decision_record_pdf

    if format is DecisionFormat.html:
        text_emit(decision_record_html(decision), output)
    else:
        assert output is not None
        output.write_bytes(decision_record_pdf(decision))
        err.print(f"Wrote {output}", highlight=False)


@check_app.command("employer")
def employer(
    file: Path = typer.Argument(..., help="Employers file (.csv, .xlsx or .yaml)."),
    format: TableFormat = typer.Option(TableFormat.table, "--format", help="json or table."),
    as_at: str = typer.Option("", "--as-at", help="Date (YYYY-MM-DD) charters must be signed by; default today."),
    output: Path | None = OutputOption,
) -> None:
    """Check employers' equality commitments by size band (plan section 4.3) and the charters they signed."""
    from recovery_tracker.engine.standards.charters import check_employers_file

    try:
        when = date.fromisoformat(as_at) if as_at else date.today()
    except ValueError:
        err.print(f"--as-at '{as_at}' is not a date. Write it as YYYY-MM-DD.", highlight=False)
        raise typer.Exit(code=2) from None
    try:
        report = check_employers_file(file, as_at=when)
    except StandardsInputError as error:
        _fail(error)
    if format is TableFormat.json:
        text_emit(_json(report.to_dict()), output)
        return
    summary = report.summary()
    table = Table(title=f"Employer commitments: {summary['meeting_all']} of {summary['total']} meet all that "
                        f"apply ({_share(summary['share_meeting_all'])})")
    for column in ("Row", "Employer", "Size band", "Missing", "Charters signed"):
        table.add_column(column, justify="right" if column == "Row" else "left")
    for item in report.employers:
        charters = [f"{signed.charter.name} ({signed.signed.isoformat()})" for signed in item.employer.charters]
        table.add_row(str(item.employer.row), item.employer.name, item.size_band.label,
                      ", ".join(item.missing) or "-", "\n".join(charters) or "-")
    _print_table(table, output)


def register(app: typer.Typer) -> None:
    """Add this group's commands to the main application."""
    app.add_typer(check_app, name="check")
