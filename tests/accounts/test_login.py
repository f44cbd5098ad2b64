"""Signing in: argon2 hashes, rate limiting per username and address, admin for staff only."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from recovery_tracker.accounts.services import api_token_create, api_token_user
from recovery_tracker.progress.setup import demo_users_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, address="10.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_passwords_are_hashed_with_argon2(people):
    assert people.member.password.startswith("argon2")


def test_sign_in_works(client, people):
    response = _login(client, "member", "test-only-password-123")
    assert response.status_code == 302
    assert client.get("/updates/mine/").status_code == 200


def test_a_wrong_password_is_said_in_plain_words(client, people):
    page = _login(client, "member", "wrong").content.decode()
    assert "The username or password is not right" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_counts_case_insensitively(client, people):
    for name in ("member", "MEMBER", "Member", "mEmber", "membeR", "MEmber", "MEMber", "MEMBer", "MEMBEr", "member"):
        _login(client, name, "wrong")
    assert "Too many failed" in _login(client, "member", "test-only-password-123").content.decode()


def test_api_tokens_are_stored_hashed_and_resolve_to_their_user(people):
    raw = api_token_create(people.member)
    token = people.member.api_tokens.get()
    assert raw not in (token.token_hash, token.prefix) and len(raw) > 40
    assert api_token_user(raw) == people.member
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert api_token_user(raw + "x") is None and api_token_user("") is None
    people.member.is_active = False
    people.member.save()
    assert api_token_user(raw) is None


def test_admin_is_for_staff_only(client, people, django_user_model):
    client.force_login(people.moderator)
    assert client.get("/admin/accounts/membership/").status_code == 302
    admin = django_user_model.objects.create_superuser(username="root-test", password="x-test-password-99")
    client.force_login(admin)
    assert client.get("/admin/accounts/membership/").status_code == 200
    assert client.get("/admin/catalogue/organisation/").status_code == 200


def test_demo_users_are_created_only_for_organisations_that_exist_and_say_they_are_demo(west_midlands, capsys):
    created = demo_users_create()
    assert {row[0] for row in created} == {"demo-council-member", "demo-union-assessor", "demo-moderator"}
    assert "demo only" in capsys.readouterr().out
    assert demo_users_create() == created  # idempotent


def test_api_token_page_shows_a_new_token_once_and_revokes_only_your_own(client, people):
    client.get("/accounts/tokens/")
    assert client.get("/accounts/tokens/").status_code == 302  # anonymous: sign in first
    client.force_login(people.member)
    page = client.post("/accounts/tokens/", {"name": "council system"}).content.decode()
    token = people.member.api_tokens.get()
    raw = page.split('id="new-token">')[1].split("<")[0]
    assert api_token_user(raw) == people.member
    assert raw not in client.get("/accounts/tokens/").content.decode()
    client.force_login(people.other)
    assert client.post("/accounts/tokens/", {"revoke": token.pk}).status_code == 404
    client.force_login(people.member)
    client.post("/accounts/tokens/", {"revoke": token.pk})
    assert api_token_user(raw) is None


def test_sign_in_page_names_the_service_and_errors_in_plain_words(client, people):
    page = client.get("/accounts/login/").content.decode()
    assert "<h1 class=\"govuk-heading-xl\">Sign in to Recovery Tracker</h1>" in page
    assert "<title>Sign in to Recovery Tracker" in page
    wrong = _login(client, "member", "wrong").content.decode()
    assert "<title>Error: Sign in to Recovery Tracker" in wrong
    assert "The username or password is not right" in wrong
    empty = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert "Enter your username" in empty and "Enter your password" in empty
