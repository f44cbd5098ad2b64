"""``paygap FILE`` and ``paygap-batch FOLDER``: pay gaps from payroll files.

Thin shells over :mod:`recovery_tracker.engine.paygap`. Payroll rows never leave the machine. A file
with problems prints every problem (row, column, how to fix) to stderr, exits with code 2 and writes
nothing.
"""

from __future__ import annotations

import html
import io
import json
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from recovery_tracker.commands._output import text_emit

if TYPE_CHECKING:
    from rich.progress import Progress

    from recovery_tracker.engine.paygap import PayrollFileError

# The engine (Polars, NumPy) and Rich's progress and table modules are imported inside the commands
# that use them: the CLI imports every command module, and each should start as fast as it can.

err = Console(stderr=True)
LARGE_FILE_BYTES = 20_000_000
PAYROLL_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".parquet", ".pq"}


class By(StrEnum):
    sex = "sex"
    ethnicity = "ethnicity"
    disability = "disability"
    all = "all"


class Format(StrEnum):
    json = "json"
    table = "table"
    html = "html"


class SmallGroups(StrEnum):
    suppress = "suppress"
    merge = "merge"


def _fail(message: str, problems: list[str] | None = None) -> NoReturn:
    # Plain lines, never wrapped: users copy paths and row numbers from here.
    typer.echo(message, err=True)
    for problem in problems or []:
        typer.echo(f"  - {problem}", err=True)
    raise typer.Exit(code=2)


def _snapshot(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--snapshot-date {value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-04-05.")


def _amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value.lstrip("£"))
    except InvalidOperation:
        _fail(f"--low-pay-threshold {value!r} is not an amount; write pounds an hour, e.g. 10 or 12.60.")
    if amount <= 0:
        _fail("--low-pay-threshold must be more than 0.")
    return amount


def _mapping(path: Path | None) -> dict[str, str] | None:
    from recovery_tracker.engine.paygap import PayrollFileError, load_mapping

    if path is None:
        return None
    try:
        return load_mapping(path)
    except PayrollFileError as error:
        _fail(f"{error.path}: the mapping file has {error.total} problem(s).", [str(p) for p in error.problems])


def _file_error(error: PayrollFileError) -> NoReturn:
    shown = [str(p) for p in error.problems[:200]]
    if error.total > len(shown):
        shown.append(f"... and {error.total - len(shown)} more")
    _fail(f"{error.path}: {error.total} problem(s); no figures were produced. Fix these and run again:", shown)


def _progress(enabled: bool) -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not enabled,
    )


def paygap(
    file: Path = typer.Argument(..., help="Payroll file: CSV, XLSX or Parquet, one row per relevant employee."),
    snapshot_date: str = typer.Option(..., "--snapshot-date", help="Snapshot date, YYYY-MM-DD (5 April private, "
                                      "31 March public sector)."),
    by: list[By] = typer.Option([By.sex], "--by", help="Grouping(s): sex, ethnicity, disability or all. Repeatable."),
    output_format: Format = typer.Option(Format.json, "--format", help="Output format."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of standard output."),
    low_pay_threshold: str | None = typer.Option(
        None, "--low-pay-threshold", help="Low-pay line in £ an hour (default: Real Living Wage in force)."
    ),
    mapping: Path | None = typer.Option(None, "--mapping", help="YAML or CSV (our_name,their_name) column mapping."),
    reference: str = typer.Option("White British", "--ethnicity-reference", help="Ethnicity reference group."),
    min_group_size: int = typer.Option(10, "--min-group-size", help="Groups smaller than this get no figures."),
    small_groups: SmallGroups = typer.Option(SmallGroups.suppress, "--small-groups",
                                             help="Suppress small groups, or merge them into one."),
) -> None:
    """Pay gaps from a payroll file: the six GOV.UK figures by sex, ethnicity or disability, and low pay."""
    from recovery_tracker.engine.paygap import PayrollFileError, paygap_report, read_payroll, report_to_dict

    snapshot = _snapshot(snapshot_date)
    amount = _amount(low_pay_threshold)
    column_mapping = _mapping(mapping)
    groupings = ("sex", "ethnicity", "disability") if By.all in by else tuple(dict.fromkeys(b.value for b in by))
    large = file.exists() and file.stat().st_size >= LARGE_FILE_BYTES
    with _progress(large) as progress:
        task = progress.add_task(f"Reading {file.name}", total=3)

        def step(label: str) -> None:
            advance = 0 if label == "reading" else 1
            progress.update(task, description=f"{label.capitalize()} {file.name}", advance=advance)

        try:
            payroll = read_payroll(file, mapping=column_mapping, step=step)
        except PayrollFileError as error:
            _file_error(error)
        progress.update(task, description="Calculating", advance=1)
        try:
            report = paygap_report(
                payroll,
                snapshot,
                by=groupings,  # type: ignore[arg-type]
                ethnicity_reference=reference,
                min_group_size=min_group_size,
                small_groups=small_groups.value,  # type: ignore[arg-type]
                low_pay_amount=amount,
            )
        except ValueError as error:
            _fail(f"{error}. Add the column, or choose another --by.")
        progress.update(task, advance=1)
    data = report_to_dict(report)
    if report.sex is not None and report.sex.govuk_problems:
        err.print("[yellow]The GOV.UK service would not accept these figures as they stand:[/]")
        for problem in report.sex.govuk_problems:
            err.print(f"  - {problem}", highlight=False, markup=False)
    if output_format is Format.json:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    elif output_format is Format.html:
        text = _html(data)
    else:
        text = _table_text(data)
    text_emit(text, output)


def _parts(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data.get("reports", [data])


def _fmt(value: Any) -> str:
    return "" if value is None else (f"{value:.1f}" if isinstance(value, float) else str(value))


def _unrounded(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _tables(data: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """Title, header and rows for each table, shared by the table and HTML outputs."""
    tables = []
    for part in _parts(data):
        if part["group"] == "sex":
            rows = [
                [name, _fmt(value), _unrounded(part["unrounded"][name])] for name, value in part["figures"].items()
            ]
            counts = part["counts"]
            rows += [[name, str(counts[name]), ""] for name in
                     ("relevant_employees", "full_pay_relevant_employees", "male", "female")]
            rows += [[f"excluded: {k}", str(v), ""] for k, v in counts["excluded"].items()]
            title = f"Pay gaps by sex, snapshot {part['snapshot_date']}"
            tables.append((title, ["Figure", "Value", "Unrounded"], rows))
        else:
            header = ["Level", "Group", "People", "Mean hourly gap %", "Median hourly gap %", "Mean bonus gap %",
                      "Median bonus gap %", "Reference paid bonus %", "Group paid bonus %"]
            rows = []
            for level, comparisons in part["comparisons"].items():
                for row in comparisons:
                    figures = row["figures"] or {}
                    values = [_fmt(figures.get(k)) for k in ("DiffMeanHourlyPercent", "DiffMedianHourlyPercent",
                              "DiffMeanBonusPercent", "DiffMedianBonusPercent", "ReferenceBonusPercent",
                              "GroupBonusPercent")]
                    if row["suppressed"]:
                        values = [f"suppressed (under {part['min_group_size']})"] + [""] * 5
                    rows.append([level, row["group"], str(row["relevant_employees"]), *values])
            title = (f"Pay gaps by {part['group']} against {part['reference']}, snapshot {part['snapshot_date']}; "
                     f"not disclosed {_fmt(part['not_disclosed']['percent'])}%")
            tables.append((title, header, rows))
        low = part.get("low_pay")
        if low:
            rows = [["everyone", str(low["below"]), str(low["full_pay_relevant_employees"]), _fmt(low["percent"])]]
            rows += [[name, str(v["below"]), str(v["full_pay_relevant_employees"]), _fmt(v["percent"])]
                     for name, v in low["by_group"].items()]
            tables.append((f"Paid below {low['basis']}", ["Group", "Below", "Full-pay employees", "%"], rows))
    return tables


def _table_text(data: dict[str, Any]) -> str:
    from rich.table import Table

    console = Console(record=True, width=140, file=io.StringIO())
    for title, header, rows in _tables(data):
        table = Table(title=title)
        for column in header:
            table.add_column(column)
        for row in rows:
            table.add_row(*row)
        console.print(table)
    return console.export_text()


def _html(data: dict[str, Any]) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Pay gap report</title></head><body>',
    ]
    for title, header, rows in _tables(data):
        parts.append(f"<h2>{html.escape(title)}</h2><table><thead><tr>")
        parts.extend(f'<th scope="col">{html.escape(h)}</th>' for h in header)
        parts.append("</tr></thead><tbody>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def paygap_batch(
    folder: Path = typer.Argument(..., help="Folder of payroll files, one per employer (the file name is the "
                                  "employer's name)."),
    snapshot_date: str = typer.Option(..., "--snapshot-date", help="Snapshot date, YYYY-MM-DD."),
    output: Path = typer.Option(..., "-o", "--output", help="CSV to write, in the GOV.UK download layout."),
    mapping: Path | None = typer.Option(None, "--mapping", help="Column mapping used for every file."),
) -> None:
    """Sex pay gap figures for a folder of payroll files, as one CSV in the GOV.UK download layout."""
    from recovery_tracker.engine.paygap import (
        PayrollFileError,
        download_csv,
        govuk_download_row,
        paygap_report,
        read_payroll,
    )

    snapshot = _snapshot(snapshot_date)
    column_mapping = _mapping(mapping)
    if not folder.is_dir():
        _fail(f"{folder} is not a folder; give the folder that holds the payroll files.")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in PAYROLL_SUFFIXES and p.is_file())
    if not files:
        _fail(f"{folder} has no payroll files (.csv, .xlsx or .parquet).")
    rows, failures = [], []
    with _progress(len(files) > 1) as progress:
        task = progress.add_task("Employers", total=len(files))
        for path in files:
            try:
                payroll = read_payroll(path, mapping=column_mapping)
                report = paygap_report(payroll, snapshot, by=("sex",), low_pay=False)
                rows.append(govuk_download_row(path.stem, report))
            except PayrollFileError as error:
                failures.append(error)
            progress.update(task, advance=1)
    if failures:
        problems = [f"{e.path}: {p}" for e in failures for p in e.problems[:50]]
        _fail(f"{len(failures)} of {len(files)} file(s) have problems; nothing was written. Fix these and run "
              "again:", problems)
    output.write_text(download_csv(rows), encoding="utf-8", newline="")
    err.print(f"Wrote {output} ({len(rows)} employers)", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``paygap`` and ``paygap-batch`` to the main application."""
    app.command("paygap")(paygap)
    app.command("paygap-batch")(paygap_batch)
