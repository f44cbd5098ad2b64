"""Shared fixtures: loaded plans, a logged-in client, and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the live server's database access
# is still synchronous and safe, so tell Django not to refuse it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TESTS_DIR = Path(__file__).resolve().parent
TEST_DATA = TESTS_DIR / "data"
CHROMIUM = os.environ.get("RECOVERY_TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Still argon2, at the lowest cost, so that tests can create many users quickly."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    monkeypatch.setattr(Argon2PasswordHasher, "time_cost", 1)
    monkeypatch.setattr(Argon2PasswordHasher, "memory_cost", 8)
    monkeypatch.setattr(Argon2PasswordHasher, "parallelism", 1)


@pytest.fixture(scope="session", autouse=True)
def _static_names_as_in_the_package():
    """Pages in tests name static files as the package holds them. After `make demo` the home folder
    holds a collected copy with hashed names, but the test server serves static files from the
    package folders, where no hashed name exists: a page would lose its stylesheet."""
    from django.conf import settings
    from django.test.utils import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        yield


@pytest.fixture(autouse=True)
def _fresh_shared_cache(request):
    """The shared cache is a database table (or Redis): rolled back with each test's transaction,
    but a test that commits (a live server, a transactional test) would leave entries behind.
    Each process's own copies of pages and of the data stamp go too: rolled-back ids repeat."""
    from recovery_tracker.reports.cache import stamp_memo_clear
    from recovery_tracker.web.middleware import local_pages_clear

    local_pages_clear()
    stamp_memo_clear()
    yield
    committing = ("transactional_db", "live_server", "django_db_serialized_rollback")
    marker = request.node.get_closest_marker("django_db")
    if any(name in request.fixturenames for name in committing) or (marker and marker.kwargs.get("transaction")):
        from django.core.cache import cache

        with request.getfixturevalue("django_db_blocker").unblock():
            cache.clear()


@pytest.fixture
def test_plan(db):
    """The small made-up plan in tests/data (test-only data)."""
    from recovery_tracker.catalogue.models import Plan
    from recovery_tracker.catalogue.services import plan_load

    plan_load(path=TEST_DATA / "plan-TEST-minimal.yaml")
    return Plan.objects.get(slug="test-plan")


@pytest.fixture
def west_midlands(db):
    """The shipped West Midlands plan, loaded as `recovery-tracker setup` loads it."""
    from recovery_tracker.catalogue.models import Plan
    from recovery_tracker.catalogue.services import plan_load, shipped_plan_paths

    for path in shipped_plan_paths():
        plan_load(path=path)
    return Plan.objects.get(slug="west-midlands-2020")


@pytest.fixture
def run_tasks(db):
    """Run every queued task to the end with the database worker's own code, as `recovery-tracker worker`
    does. Its loop is left out only because it closes the connection between tasks, which would end
    the test's transaction on PostgreSQL."""

    def run() -> int:
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                        max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
        done = 0
        while (result := DBTaskResult.objects.ready().order_by("enqueued_at").first()) is not None:
            result.claim(worker.worker_id)
            worker.run_task(result)
            done += 1
        return done

    return run


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


@dataclass
class Mailbox:
    """Messages a real SMTP server on loopback has received, parsed as the recipient's mail program would."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address.lower() in m.get("To", "").lower()]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        import time

        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def smtp_server(settings) -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on a free loopback port; Django's SMTP backend sends to it."""
    import socket
    from email import message_from_bytes, policy

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(host="127.0.0.1", port=port)

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            box.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield box
    finally:
        controller.stop()
