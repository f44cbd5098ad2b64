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


class _Exited(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _run_main(monkeypatch, argv: list[str]) -> tuple[str, int]:
    """How ``main`` ended (``os._exit`` or ``SystemExit``) and with which code."""
    def fake_exit(code: int) -> None:
        raise _Exited(code)

    monkeypatch.setattr(cli.os, "_exit", fake_exit)
    monkeypatch.setattr(cli.sys, "argv", ["recovery-tracker", *argv])
    try:
        cli.main()
    except _Exited as exited:
        return "os._exit", exited.code
    except SystemExit as done:
        return "SystemExit", 0 if done.code is None else int(done.code)  # type: ignore[arg-type]
    return "returned", 0


def test_paygap_ends_the_process_with_the_command_s_own_exit_code(monkeypatch, tmp_path, capsys):
    assert _run_main(monkeypatch, ["paygap", str(tmp_path / "missing.csv"), "--snapshot-date", "2025-04-05"]) == (
        "os._exit",
        2,
    )
    assert "file not found" in capsys.readouterr().err
    payroll = tmp_path / "payroll.csv"
    payroll.write_text("employee_id,sex,hourly_pay,bonus_pay\n1,male,10,0\n2,female,9,0\n", encoding="utf-8")
    assert _run_main(monkeypatch, ["paygap", str(payroll), "--snapshot-date", "2025-04-05"]) == ("os._exit", 0)
    assert '"DiffMeanHourlyPercent": 10.0' in capsys.readouterr().out


def test_other_commands_leave_through_python_s_own_shutdown(monkeypatch):
    # Only the pay-gap commands skip interpreter shutdown; everything else exits as Typer does.
    assert _run_main(monkeypatch, ["--help"]) == ("SystemExit", 0)
    assert _run_main(monkeypatch, ["report", "--help"]) == ("SystemExit", 0)
    assert _run_main(monkeypatch, ["nosuch"]) == ("SystemExit", 2)
