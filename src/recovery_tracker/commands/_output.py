"""Shared by the commands: the plan a command is about, text to a file or to standard output, and the
export formats."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"


def text_emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output``, saying so on stderr, or print it when no file is named."""
    if output is None:
        typer.echo(text, nl=not text.endswith("\n"))
        return
    output.write_text(text, encoding="utf-8")
    print(f"Wrote {output}", file=sys.stderr)


def plan_or_exit(slug: str) -> Any:
    """The plan named by ``--plan``, else the site's default plan; when there is none, a message that
    lists the loaded plans and exit code 2. (Returns a Django model: imported only after set-up.)"""
    from recovery_tracker.catalogue.models import Plan
    from recovery_tracker.catalogue.selectors import plan_default, plan_missing_message

    plan = Plan.objects.filter(slug=slug).first() if slug else plan_default()
    if plan is None:
        Console(stderr=True).print(plan_missing_message(slug), markup=False)
        raise typer.Exit(code=2)
    return plan

