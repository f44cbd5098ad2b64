"""The CLI builds only the named command's module; that shortcut must never change what runs."""

from __future__ import annotations

import importlib

import typer

from recovery_tracker import cli


def _names(application: typer.Typer) -> set[str]:
    group = typer.main.get_command(application)
    return set(getattr(group, "commands", {}))


def test_every_command_is_in_the_table_under_the_module_that_registers_it():
    for module in cli.COMMAND_MODULES:
        single = typer.Typer()
        single.callback()(lambda: None)  # a group even when the module registers one command
        importlib.import_module(f"recovery_tracker.commands.{module}").register(single)
        names = _names(single)
        assert names, module
        for name in names:
            assert cli.MODULE_OF_COMMAND[name] == module
    assert set(cli.MODULE_OF_COMMAND.values()) == set(cli.COMMAND_MODULES)


def test_the_full_application_has_every_command():
    assert _names(cli.app) == set(cli.MODULE_OF_COMMAND)


def test_a_lone_command_module_still_runs_under_the_full_application():
    # ``report`` registers one command: on its own Typer would make it the program itself.
    assert _names(cli._app_for(["report"])) == set(cli.MODULE_OF_COMMAND)
    assert _names(cli._app_for(["paygap"])) == {"paygap", "paygap-batch"}
