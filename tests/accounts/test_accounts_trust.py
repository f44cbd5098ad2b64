"""Accounts as people expect: a second factor for moderators and staff, throttled sign-in on every
form in the shared cache, sign-in events audited, password change and reset by email through the
task queue, one's own sessions, scoped expiring API tokens."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from recovery_tracker.accounts.models import ApiToken
from recovery_tracker.accounts.services import api_token_create, api_token_user
from recovery_tracker.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "test-only-password-123"  # noqa: S105 - test data (people_fixtures)


@pytest.fixture(autouse=True)
def clear_cache(settings):
    # django-otp's own per-device delay after a wrong code (1 s, doubling) would slow the tests;
    # our throttle (per account and address, in the shared cache) is what these tests check.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password=PASSWORD, address="10.0.0.1", url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_a_moderator_cannot_sign_in_without_the_second_factor(client, people):
    response = _login(client, "moderator")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not signed in by the password alone
    assert client.get("/updates/moderation/").status_code == 302  # sent to sign in
    # First time: set up an authenticator app from a QR code (SVG) or the secret.
    page = client.get("/accounts/login/code/").content.decode()
    assert "Set up your authenticator app" in page and "<svg" in page and 'id="totp-secret"' in page
    wrong = client.post("/accounts/login/code/", {"code": "000000"}, REMOTE_ADDR="10.0.0.1")
    assert wrong.status_code == 400 and "Enter the 6-digit code" in wrong.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/login/code/", {"code": _code(people.moderator)}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    assert client.get("/updates/moderation/").status_code == 200
    assert TOTPDevice.objects.get(user=people.moderator).confirmed
    # Next time the code is asked for, and the secret is not shown again.
    client.logout()
    _login(client, "moderator")
    page = client.get("/accounts/login/code/").content.decode()
    assert "Enter your code" in page and "totp-secret" not in page


def test_staff_sign_in_to_the_admin_needs_the_second_factor_too(client, django_user_model):
    django_user_model.objects.create_superuser("root-TEST", "root@example.org", PASSWORD)
    response = _login(client, "root-TEST", url="/admin/login/")
    assert response["Location"] == "/accounts/login/code/" and "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_members_sign_in_with_their_password_alone(client, people):
    assert _login(client, "member").status_code == 302
    assert client.get("/updates/mine/").status_code == 200


def test_ten_failures_lock_the_account_from_every_address_and_are_audited(client, people):
    for attempt in range(10):
        _login(client, "member", "wrong", address=f"10.0.1.{attempt}")
    page = _login(client, "member", address="10.9.9.9").content.decode()
    assert "Too many failed sign-in attempts for this account" in page and "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="auth.sign_in_failed", object_id="member").count() == 10
    assert AuditEntry.objects.filter(action="auth.lockout", object_id="member").count() == 1
    # Another account is not locked.
    assert _login(client, "colleague").status_code == 302
    assert AuditEntry.objects.filter(action="auth.sign_in", actor=people.colleague).exists()


def test_thirty_failures_from_one_address_lock_that_address(client, people):
    for attempt in range(30):
        _login(client, f"nobody-{attempt}", "wrong", address="10.0.2.1")
    assert "from your network" in _login(client, "member", address="10.0.2.1").content.decode()
    assert _login(client, "member", address="10.0.2.2").status_code == 302


def test_the_code_page_is_throttled_too(client, people):
    _login(client, "moderator")
    for _ in range(5):
        client.post("/accounts/login/code/", {"code": "000000"}, REMOTE_ADDR="10.0.0.1")
    page = client.post("/accounts/login/code/", {"code": _code(people.moderator)}, REMOTE_ADDR="10.0.0.1")
    assert "Too many failed sign-in attempts" in page.content.decode() and "_auth_user_id" not in client.session


WORKER = """
import os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "recovery_tracker.web.settings"
import django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR=sys.argv[3])
for _ in range(int(sys.argv[1])):
    response = client.post("/admin/login/", {"username": "root-TEST", "password": sys.argv[2]})
body = response.content.decode()
print("LOCKED" if "Too many failed sign-in attempts" in body else "CODE" if response.status_code == 302 else "OPEN")
"""


def test_admin_sign_in_locks_after_repeated_failures_across_workers(tmp_path):
    """Three separate processes (as gunicorn workers are) share the count through the cache."""
    # Each process uses the same new home (its SQLite database holds the shared cache table).
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("RECOVERY_TRACKER_", "DJANGO_")) and k != "DATABASE_URL"}
    environment["RECOVERY_TRACKER_HOME"] = str(tmp_path / "home")

    def run(*args: str) -> str:
        result = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=environment,
                                timeout=180)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run("-m", "recovery_tracker.manage", "migrate", "--noinput")
    run("-m", "recovery_tracker.manage", "createcachetable")
    run("-m", "recovery_tracker.manage", "shell", "-c",
        f"from django.contrib.auth.models import User; User.objects.create_superuser('root-TEST', '', '{PASSWORD}')")
    assert run("-c", WORKER, "5", "wrong", "10.0.3.1") == "OPEN"  # worker 1: five failures
    # Worker 2, another address: five more failures (the tenth locks the account), then a sixth is refused.
    assert run("-c", WORKER, "6", "wrong", "10.0.3.2") == "LOCKED"
    assert run("-c", WORKER, "1", PASSWORD, "10.0.3.3") == "LOCKED"  # worker 3: even the right password


@pytest.mark.django_db(transaction=True)  # the task worker opens and closes its own connections
def test_password_reset_email_goes_through_the_task_queue(client, people, run_tasks):
    people.member.email = "member-test@example.org"
    people.member.save()
    response = client.post("/accounts/password/reset/", {"email": "member-test@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []  # queued, not sent inside the request
    run_tasks()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["member-test@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-new-TEST-password-42",
                                                    "new_password2": "a-new-TEST-password-42"})
    assert done.status_code == 302
    client.logout()
    assert _login(client, "member", "a-new-TEST-password-42").status_code == 302
    assert AuditEntry.objects.filter(action="auth.password_reset", actor=people.member).exists()


def test_password_change(client, people):
    assert client.get("/accounts/password/").status_code == 302  # signed-in people only
    client.force_login(people.member)
    bad = client.post("/accounts/password/", {"old_password": "wrong", "new_password1": "x",
                                              "new_password2": "x"})
    assert bad.status_code == 200 and "Error: " in bad.content.decode()
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": "another-TEST-pass-77",
                                                   "new_password2": "another-TEST-pass-77"})
    assert response.status_code == 302
    people.member.refresh_from_db()
    assert people.member.check_password("another-TEST-pass-77")


def test_sessions_page_lists_and_ends_ones_own_sessions(client, people, django_user_model):
    from django.test import Client

    laptop, phone = client, Client()
    _login(laptop, "member", address="10.0.4.1")
    _login(phone, "member", address="10.0.4.2")
    _login(Client(), "colleague", address="10.0.4.3")
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "10.0.4.1" in page and "10.0.4.2" in page and "10.0.4.3" not in page  # only one's own
    phone_key = phone.session.session_key
    laptop.post("/accounts/sessions/", {"end": phone_key})
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert phone.get("/updates/mine/").status_code == 302  # signed out
    # Someone else's session cannot be ended from here.
    other = Session.objects.exclude(session_key=laptop.session.session_key).first()
    laptop.post("/accounts/sessions/", {"end": other.session_key})
    assert Session.objects.filter(session_key=other.session_key).exists()


def test_an_idle_session_ends(client, people, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_COOKIE_AGE <= 12 * 3600
    _login(client, "member")
    assert client.get("/updates/mine/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/updates/mine/").status_code == 302


def test_tokens_have_a_scope_an_expiry_and_a_last_used_date(client, people, rec):
    client.force_login(people.member)
    page = client.post("/accounts/tokens/", {"name": "TEST reader", "scope": "read", "days": "30"}).content.decode()
    raw = re.search(r'<code id="new-token">([^<]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=people.member)
    assert token.scope == "read" and token.last_used_at is None
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    payload = {"plan": "test-plan", "recommendation": "1-a", "organisation": "test-authority",
               "body": "test-authority", "voice": "self_report", "date": "2024-05-01", "narrative": "TEST"}
    refused = client.post("/api/progress/updates", payload, content_type="application/json",
                          headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 401  # the write API refuses a read token
    assert api_token_user(raw) == people.member  # reading is fine, and recorded
    token.refresh_from_db()
    assert token.last_used_at is not None
    writer = api_token_create(people.member, scope="write", days=30)
    accepted = client.post("/api/progress/updates", payload, content_type="application/json",
                           headers={"Authorization": f"Bearer {writer}"})
    assert accepted.status_code == 201
    ApiToken.objects.filter(scope="write").update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert api_token_user(writer, scope="write") is None  # expired
    # Revoked from the site by its owner; nobody else can revoke it.
    client.force_login(people.colleague)
    assert client.post("/accounts/tokens/", {"revoke": token.pk}).status_code == 404
    client.force_login(people.member)
    client.post("/accounts/tokens/", {"revoke": token.pk})
    assert api_token_user(raw) is None
