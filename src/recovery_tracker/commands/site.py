"""Set-up and serving: ``setup``, ``serve``, ``demo``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import typer
from rich.console import Console

from recovery_tracker.web.bootstrap import django_setup

console = Console(stderr=True)


def setup() -> None:
    """Apply migrations and load the shipped plans and statistics. Safe to run again: it changes only what is new."""
    os.makedirs(os.path.join(os.environ.get("RECOVERY_TRACKER_HOME", "var"), "static"), exist_ok=True)
    django_setup()
    from django.conf import settings
    from django.core.management import call_command

    from recovery_tracker.catalogue.services import plan_load, shipped_plan_paths
    from recovery_tracker.indicators.setup import load_shipped as load_statistics
    from recovery_tracker.progress.setup import load_shipped as load_evidence
    from recovery_tracker.search.services import search_index_rebuild

    console.print(f"Database: {settings.DATABASES['default']['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    # The shared cache's table (the default cache; with Redis this does nothing).
    call_command("createcachetable", verbosity=0)
    # Hashed, compressed (gzip and brotli) static files with a one-year lifetime, made here so
    # that no separate step can be forgotten.
    call_command("collectstatic", interactive=False, verbosity=0)
    for path in shipped_plan_paths():
        result = plan_load(path=path)
        console.print(result.summary())
    # The set-up steps, in order: statistics first, then the evidence that may cite them.
    load_statistics(console)
    load_evidence(console)
    # Last: the search index covers everything loaded above.
    console.print(f"Search index: {search_index_rebuild()} entries")


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: addresses only this machine can reach."""
    import ipaddress

    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve_refusal(host: str, production: bool) -> str:
    """"Refuse to serve on a non-loopback address without production settings": the local
    settings use a public secret key and plain HTTP, fit only for this machine. "" if allowed."""
    if production or is_loopback(host):
        return ""
    return (f"Refusing to serve on {host}: without production settings the site uses a public secret key and "
            "plain HTTP. Set RECOVERY_TRACKER_ENV=production with RECOVERY_TRACKER_SECRET_KEY and "
            "RECOVERY_TRACKER_ALLOWED_HOSTS (see README, Configuration), or serve on 127.0.0.1 behind a proxy.")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(2, help="Worker processes (gunicorn)."),
    task_worker: bool = typer.Option(True, help="Start a task worker beside gunicorn (stopped with it)."),
) -> None:
    """Serve the tracker with a production WSGI server (gunicorn), static files included."""
    django_setup()
    from django.conf import settings

    refusal = serve_refusal(host, bool(getattr(settings, "PRODUCTION", False)))
    if refusal:
        console.print(f"[red]{refusal}[/red]")
        raise typer.Exit(2)
    from gunicorn.app.base import BaseApplication

    from recovery_tracker.measures.uploads import upload_folders_sweep
    from recovery_tracker.web.wsgi import application

    # Nothing is being uploaded before the server starts: folders left by a killed server go now.
    upload_folders_sweep(max_age_seconds=0)
    tasks = _TaskWorker() if task_worker else None

    class _Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 120)
            if tasks is not None:
                self.cfg.set("when_ready", lambda server: tasks.start())
                self.cfg.set("on_exit", lambda server: tasks.stop())

        def load(self):  # noqa: ANN202 - gunicorn's own signature
            return application

    console.print(f"Recovery Tracker on http://{host}:{port} (Ctrl+C to stop)")
    _Server().run()


class _TaskWorker:
    """``recovery-tracker worker`` as a child of the gunicorn master: started when gunicorn is
    ready, stopped (SIGTERM: it finishes the task in hand) when gunicorn exits."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from recovery_tracker.cli import main; main()", "worker"],
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - Linux only, harmless elsewhere
        )
        console.print(f"Task worker started (pid {self.process.pid})")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _die_with_parent() -> None:
    """Ask Linux to end the task worker if the server is killed without a chance to stop it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def demo(port: int = typer.Option(8000, help="Port to listen on.")) -> None:
    """Set up (migrations, plans, statistics), then serve on http://127.0.0.1."""
    setup()
    serve(host="127.0.0.1", port=port, workers=2)


def register(app: typer.Typer) -> None:
    app.command()(setup)
    app.command()(serve)
    app.command()(demo)
