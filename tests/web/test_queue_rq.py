"""The production set-up: tasks on RQ and the cache in Redis (the real Redis on 127.0.0.1:6379, database 1).

Runs in child processes because the queue and cache back-ends are chosen from the environment when
Django starts: migrate, ask for a report (queued in Redis), run `recovery-tracker worker --burst`,
ask again (served from the Redis cache).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REDIS_URL = "redis://127.0.0.1:6379/1"
TEST_PLAN = Path(__file__).parents[1] / "data" / "plan-TEST-minimal.yaml"

ASK = """
import datetime as dt, sys
from recovery_tracker.web.bootstrap import django_setup
django_setup()
from recovery_tracker.catalogue.models import Plan
from recovery_tracker.catalogue.services import plan_load
from recovery_tracker.reports.cache import report_request
from recovery_tracker.reports.options import ReportOptions
if not Plan.objects.exists():
    plan_load(path=sys.argv[1])
asked = report_request(Plan.objects.get(slug="test-plan"),
                       ReportOptions.build(format="md", as_at=dt.date(2021, 6, 30)), site_url="http://example.org/")
print("file" if asked.file else "queued" if asked.newly_queued else "waiting")
if asked.file:
    print(asked.file.content.decode()[:200])
"""


def _redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL).ping())
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.skipif(not _redis_available(), reason="needs Redis on 127.0.0.1:6379 (CI starts it)")
def test_reports_go_through_rq_and_the_redis_cache(tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {**os.environ, "RECOVERY_TRACKER_HOME": str(tmp_path), "RECOVERY_TRACKER_QUEUE_URL": REDIS_URL,
           "RECOVERY_TRACKER_CACHE_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "recovery_tracker.web.settings"}
    env.pop("DATABASE_URL", None)

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("-m", "recovery_tracker.manage", "migrate", "--verbosity", "0")
    assert run("-c", ASK, str(TEST_PLAN)).splitlines()[0] == "queued"
    client = redis.Redis.from_url(REDIS_URL)
    assert client.llen("rq:queue:default") >= 1
    run("-c", "from recovery_tracker.cli import main; main()", "worker", "--burst", "--no-schedule")
    assert client.llen("rq:queue:default") == 0
    answer = run("-c", ASK, str(TEST_PLAN)).splitlines()
    assert answer[0] == "file" and any("TEST" in line or "Test" in line for line in answer[1:])
    assert client.keys("rt:*report:*")  # the report is in the Redis cache
    client.flushdb()
