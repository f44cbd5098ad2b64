"""The ``recovery-tracker`` command line: a thin shell over the engines and services."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="recovery-tracker",
    help="Recovery Tracker: the plan as data, progress, indicators, standards and the published report.",
    no_args_is_help=True,
    add_completion=False,
)

# Each command group lives in its own module so that areas of work stay apart.
COMMAND_MODULES = (
    "site",
    "plan",
    "progress_measure",
    "paygap",
    "check",
    "indicators",
    "report",
    "progress",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"recovery_tracker.commands.{_name}").register(app)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
