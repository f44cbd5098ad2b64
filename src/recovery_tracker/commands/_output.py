"""Output shared by the commands: text to a file or to standard output, and the export formats."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer


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
