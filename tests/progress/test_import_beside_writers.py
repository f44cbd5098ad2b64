"""A CSV import of 300 updates while 20 API writers post at the same time: every write succeeds.

Runs in a child process against a real database of its own (a SQLite file with WAL, a busy
timeout and immediate transactions; or PostgreSQL when the tests run on it), with one connection
per thread, as gunicorn workers and the task worker have: the in-memory test database of
pytest-django shares one cache and cannot show the locking we care about.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

TEST_PLAN = Path(__file__).parents[1] / "data" / "plan-TEST-minimal.yaml"

SCRIPT = r"""
import json, sys, threading, traceback
from collections import Counter
from recovery_tracker.web.bootstrap import django_setup
django_setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from recovery_tracker.accounts.models import Membership
from recovery_tracker.accounts.services import api_token_create
from recovery_tracker.catalogue.models import Organisation
from recovery_tracker.catalogue.services import plan_load
from recovery_tracker.progress.imports import updates_import_text
from recovery_tracker.progress.models import Update
plan_load(path=sys.argv[1])
authority = Organisation.objects.get(slug="test-authority")
users = []
for number in range(21):
    user = get_user_model().objects.create_user(f"writer-{number}-TEST", password="sample-password-TEST")
    Membership.objects.create(user=user, organisation=authority)
    users.append(user)
tokens = [api_token_create(user, scope="write") for user in users[1:]]
connections.close_all()
statuses, failures = Counter(), []
imported = {}
start = threading.Barrier(len(tokens) + 1)

def writer(token, number):
    client = Client()
    start.wait()
    try:
        for post in range(5):
            payload = {"plan": "test-plan", "recommendation": "1-a", "organisation": "test-authority",
                       "body": "test-authority", "voice": "self_report", "date": "2024-05-01",
                       "status": "in_progress", "narrative": f"API writer {number} post {post} (TEST)."}
            response = client.post("/api/progress/updates", data=json.dumps(payload), content_type="application/json",
                                    HTTP_AUTHORIZATION=f"Bearer {token}")
            statuses[response.status_code] += 1
            if response.status_code != 201:
                failures.append(response.content.decode()[:300])
    except Exception:
        failures.append(traceback.format_exc()[-600:])
    finally:
        connections.close_all()

def importer():
    header = "recommendation,organisation,body,voice,date,status,narrative,state,links,ref\n"
    rows = "".join(f"1-a,test-authority,test-authority,self_report,2024-05-01,in_progress,Imported row {n} (TEST).,"
                   f"submitted,,import-{n}\n" for n in range(300))
    start.wait()
    try:
        imported["created"] = len(updates_import_text(actor=users[0], text=header + rows).created)
    except Exception:
        failures.append(traceback.format_exc()[-600:])
    finally:
        connections.close_all()

threads = [threading.Thread(target=writer, args=(token, n)) for n, token in enumerate(tokens)]
threads.append(threading.Thread(target=importer))
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"statuses": statuses, "failures": failures, "imported": imported.get("created"),
                  "updates": Update.objects.count(), "vendor": connections["default"].vendor}))
"""


def test_an_import_beside_twenty_api_writers_succeeds(tmp_path):
    env = {**os.environ, "RECOVERY_TRACKER_HOME": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "recovery_tracker.web.settings"}
    database_url = os.environ.get("DATABASE_URL", "")
    scratch = None
    if database_url.startswith("postgres"):
        import psycopg

        scratch = f"i14_concurrency_{uuid.uuid4().hex[:8]}"
        admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/" + scratch
    try:
        done = subprocess.run([sys.executable, "-c", SCRIPT, str(TEST_PLAN)], env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        outcome = json.loads(done.stdout.strip().splitlines()[-1])
    finally:
        if scratch:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
    assert outcome["failures"] == []
    assert outcome["statuses"] == {"201": 100}
    assert outcome["imported"] == 300
    assert outcome["updates"] == 400
