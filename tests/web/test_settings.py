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


def test_production_refuses_a_wildcard_allowed_host(tmp_path):
    result = _manage("check", RECOVERY_TRACKER_ENV="production", RECOVERY_TRACKER_SECRET_KEY=secrets.token_urlsafe(60),
                     RECOVERY_TRACKER_ALLOWED_HOSTS="tracker.example.org,*", RECOVERY_TRACKER_HOME=str(tmp_path))
    assert result.returncode != 0
    assert "must not contain '*'" in result.stderr


def test_serve_refuses_a_public_address_without_production_settings(tmp_path):
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("RECOVERY_TRACKER_", "DJANGO_")) and k != "DATABASE_URL"}
    environment["RECOVERY_TRACKER_HOME"] = str(tmp_path / "home")
    result = subprocess.run([sys.executable, "-m", "recovery_tracker.cli", "serve", "--host", "0.0.0.0"],
                            capture_output=True, text=True, env=environment, timeout=120)
    assert result.returncode == 2
    assert "Refusing to serve on 0.0.0.0" in result.stderr and "RECOVERY_TRACKER_ENV=production" in result.stderr


def test_loopback_addresses_are_allowed_without_production_settings():
    from recovery_tracker.commands.site import serve_refusal

    assert all(serve_refusal(host, False) == "" for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"))
    assert serve_refusal("192.168.1.5", False) and serve_refusal("0.0.0.0", False)
    assert serve_refusal("0.0.0.0", True) == ""


def test_the_data_folder_database_and_uploads_are_owner_only(tmp_path):
    home = tmp_path / "home"
    result = _manage("migrate", "--noinput", RECOVERY_TRACKER_HOME=str(home), DATABASE_URL=f"sqlite:///{home}/db.sqlite3")
    assert result.returncode == 0, result.stderr
    assert oct(home.stat().st_mode & 0o777) == "0o700"
    assert oct((home / "db.sqlite3").stat().st_mode & 0o777) == "0o600"


def test_uploads_are_stored_owner_only(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    name = default_storage.save("evidence/TEST.txt", ContentFile(b"TEST"))
    assert oct((tmp_path / "media" / name).stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "media" / "evidence").stat().st_mode & 0o777) == "0o700"


def test_server_errors_are_mailed_to_the_admins_from_the_environment(tmp_path):
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.ADMINS)",
                     RECOVERY_TRACKER_ADMINS="Ops TEST <ops-test@example.org>, dev-test@example.org",
                     RECOVERY_TRACKER_HOME=str(tmp_path))
    assert "[('Ops TEST', 'ops-test@example.org'), ('', 'dev-test@example.org')]" in result.stdout, result.stderr
