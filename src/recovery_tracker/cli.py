"""The ``recovery-tracker`` command line: a thin shell over the engines and services."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import ModuleType

import typer

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
    "backup",
    "outreach",
    "worker",
)

# Which module registers each top-level command. A run imports only that module (each module's
# imports cost start-up time, ~30 ms for all of them); ``--help`` and unknown names get every module.
MODULE_OF_COMMAND = {
    "setup": "site",
    "serve": "site",
    "demo": "site",
    "plan": "plan",
    "progress-measure": "progress_measure",
    "paygap": "paygap",
    "paygap-batch": "paygap",
    "check": "check",
    "indicators": "indicators",
    "report": "report",
    "progress": "progress",
    "backup": "backup",
    "restore": "backup",
    "send-reminders": "outreach",
    "send-digests": "outreach",
    "worker": "worker",
}


def build_app(modules: Sequence[str] = COMMAND_MODULES) -> typer.Typer:
    """The application with the commands of ``modules`` registered."""
    application = typer.Typer(
        name="recovery-tracker",
        help="Recovery Tracker: the plan as data, progress, indicators, standards and the published report.",
        no_args_is_help=True,
        add_completion=False,
    )
    for name in modules:
        command_module(name).register(application)
    return application


def command_module(name: str) -> ModuleType:  # noqa: C901 - one plain import per command group
    """The module of one command group, imported only when that group is needed (start-up time)."""
    match name:
        case "site":
            from recovery_tracker.commands import site as module
        case "plan":
            from recovery_tracker.commands import plan as module
        case "progress_measure":
            from recovery_tracker.commands import progress_measure as module
        case "paygap":
            from recovery_tracker.commands import paygap as module
        case "check":
            from recovery_tracker.commands import check as module
        case "indicators":
            from recovery_tracker.commands import indicators as module
        case "report":
            from recovery_tracker.commands import report as module
        case "progress":
            from recovery_tracker.commands import progress as module
        case "backup":
            from recovery_tracker.commands import backup as module
        case "outreach":
            from recovery_tracker.commands import outreach as module
        case "worker":
            from recovery_tracker.commands import worker as module
        case _:
            raise ValueError(f"No command group {name!r}; the groups are {', '.join(COMMAND_MODULES)}.")
    return module


def __getattr__(name: str) -> typer.Typer:
    # ``app`` (every command) is built on first use, so that ``main`` can build a smaller one.
    if name == "app":
        application = build_app()
        globals()["app"] = application
        return application
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _app_for(argv: Sequence[str]) -> typer.Typer:
    """The application for this command line: only the named command's module when that is enough."""
    module = MODULE_OF_COMMAND.get(argv[0]) if argv else None
    if module is not None:
        application = build_app((module,))
        # Typer runs a lone command as the program itself (no command name); keep the group shape.
        if len(application.registered_commands) != 1 or application.registered_groups:
            return application
    return build_app()


# Commands whose every output is written and flushed by the command itself, with nothing for
# interpreter shutdown to do: they end the process straight away. Tearing down Polars, NumPy, Typer
# and pydantic module by module costs ~0.1 s that the operating system does for free at exit.
QUICK_EXIT_COMMANDS = frozenset({"paygap", "paygap-batch"})


def main() -> None:
    argv = sys.argv[1:]
    # No command does linear algebra, so NumPy's OpenBLAS needs no thread pool of its own: its idle
    # threads would otherwise spin for CPU time that Polars and the pay-gap scan could use.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    application = _app_for(argv)
    if not argv or argv[0] not in QUICK_EXIT_COMMANDS:
        application()
        return
    try:
        application()
        code = 0
    except SystemExit as done:
        code = _exit_code(done)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            # A closed pipe (``| head``): Python's own shutdown would exit with 120 here too.
            code = code or 120
    os._exit(code)


def _exit_code(done: SystemExit) -> int:
    """The status ``sys.exit`` would give: None is 0, an int itself, anything else printed and 1."""
    if done.code is None:
        return 0
    if isinstance(done.code, int):
        return done.code
    print(done.code, file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    main()
