"""``backup`` and ``restore``: the whole instance (every table, every upload) in one archive."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from recovery_tracker.web.bootstrap import django_setup

console = Console(stderr=True)


def backup(
    output: Path = typer.Option(..., "-o", "--output", help="The archive to write (a .zip file)."),
) -> None:
    """Back up every table, every uploaded document and the data version into one archive, with a
    manifest and checksums. Safe while the site is serving (SQLite: online backup API; PostgreSQL:
    one snapshot)."""
    django_setup()
    from recovery_tracker.web.backup import BackupError, backup_write

    try:
        result = backup_write(output)
    except BackupError as error:
        console.print(f"[red]Backup failed:[/red] {error}")
        raise typer.Exit(1) from None
    console.print(result.summary())


def restore(archive: Path = typer.Argument(..., help="An archive written by `recovery-tracker backup`.")) -> None:
    """Restore an archive into an empty home (RECOVERY_TRACKER_HOME, DATABASE_URL), on SQLite or
    PostgreSQL whichever made it. A damaged or mismatched archive is refused before anything is written."""
    django_setup()
    from recovery_tracker.web.backup import BackupError, restore_read

    try:
        result = restore_read(archive)
    except BackupError as error:
        console.print(f"[red]Restore refused:[/red] {error}")
        raise typer.Exit(1) from None
    console.print(result.summary())


def register(app: typer.Typer) -> None:
    app.command()(backup)
    app.command()(restore)
