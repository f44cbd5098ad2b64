"""Set-up and serving: ``setup``, ``serve``, ``demo``."""

from __future__ import annotations

import os
from importlib import import_module

import typer
from rich.console import Console

from recovery_tracker.web.bootstrap import django_setup, module_exists

console = Console(stderr=True)


def setup() -> None:
    """Apply migrations and load the shipped plans and statistics. Safe to run again: it changes only what is new."""
    os.makedirs(os.path.join(os.environ.get("RECOVERY_TRACKER_HOME", "var"), "static"), exist_ok=True)
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from recovery_tracker.catalogue.services import plan_load, shipped_plan_paths

    console.print(f"Database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    for path in shipped_plan_paths():
        result = plan_load(path=path)
        console.print(result.summary())
    # Later stages (statistics, evidence) plug in here when their apps are installed.
    for module_name in ("indicators", "progress"):
        if module_exists(f"recovery_tracker.{module_name}.setup"):
            import_module(f"recovery_tracker.{module_name}.setup").load_shipped(console)
    from recovery_tracker.search.services import search_index_rebuild

    console.print(f"Search index: {search_index_rebuild()} entries")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="Worker processes (gunicorn)."),
) -> None:
    """Serve the tracker with a production WSGI server (gunicorn), static files included."""
    django_setup()
    from gunicorn.app.base import BaseApplication

    from recovery_tracker.web.wsgi import application

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)

        def load(self):  # noqa: ANN202 - gunicorn's own signature
            return application

    console.print(f"Recovery Tracker on http://{host}:{port} (Ctrl+C to stop)")
    _Server().run()


def demo(port: int = typer.Option(8000, help="Port to listen on.")) -> None:
    """Set up (migrations, plans, statistics), then serve on http://127.0.0.1."""
    setup()
    serve(host="127.0.0.1", port=port, workers=2)


def register(app: typer.Typer) -> None:
    app.command()(setup)
    app.command()(serve)
    app.command()(demo)
