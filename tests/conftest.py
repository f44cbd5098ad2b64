"""Shared fixtures: loaded plans, a logged-in client, and a real Chromium driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _fresh_shared_cache(request):
    """The shared cache is a database table (or Redis): rolled back with each test's transaction,
    but a test that commits (a live server, a transactional test) would leave entries behind."""
    yield
    committing = ("transactional_db", "live_server", "django_db_serialized_rollback")
    if any(name in request.fixturenames for name in committing):
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
    """Run every queued task to the end with the real database worker, as `recovery-tracker worker` does."""

    def run() -> None:
        from django.core.management import call_command

        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

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
