"""Production settings are secure, and refuse to start without their secrets."""

import os
import secrets
import subprocess
import sys


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("RECOVERY_TRACKER_", "DJANGO_"))}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "recovery_tracker.manage", *args],
                          capture_output=True, text=True, env=environment, timeout=120)


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     RECOVERY_TRACKER_ENV="production", RECOVERY_TRACKER_SECRET_KEY=secrets.token_urlsafe(60),
                     RECOVERY_TRACKER_ALLOWED_HOSTS="tracker.example.org", RECOVERY_TRACKER_HOME=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = _manage("check", RECOVERY_TRACKER_ENV="production", RECOVERY_TRACKER_ALLOWED_HOSTS="x.org",
                     RECOVERY_TRACKER_HOME=str(tmp_path))
    assert result.returncode != 0
    assert "RECOVERY_TRACKER_SECRET_KEY" in result.stderr


def test_security_headers_on_every_page(client, test_plan):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_unknown_pages_get_our_own_not_found_page(client, test_plan):
    response = client.get("/plans/test-plan/recommendations/does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "start again from the plan" in response.content.decode()
