"""Public pages for anonymous readers come from the shared cache until the data changes."""

from __future__ import annotations


def test_anonymous_pages_are_cached_until_the_data_changes(test_plan, client):
    from recovery_tracker.catalogue.models import Recommendation

    first = client.get("/plans/test-plan/")
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    again = client.get("/plans/test-plan/")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Content-Security-Policy"]
    # A write moves the data version: the next reader gets a fresh page showing it.
    from recovery_tracker.audit.models import AuditEntry

    rec = Recommendation.objects.filter(plan=test_plan).first()
    AuditEntry.objects.create(action="TEST-change", object_type="recommendation", object_id=str(rec.pk))
    assert client.get("/plans/test-plan/")["X-Page-Cache"] == "miss"


def test_signed_in_users_always_get_a_fresh_page(test_plan, client, django_user_model):
    client.get("/plans/test-plan/")
    client.force_login(django_user_model.objects.create_user("reader-TEST", password="sample-password-TEST"))
    page = client.get("/plans/test-plan/")
    assert page.status_code == 200 and "X-Page-Cache" not in page
    assert b"reader-TEST" in page.content or b"Sign out" in page.content


def test_pages_with_forms_and_errors_are_not_stored(test_plan, client):
    login = client.get("/accounts/login/")
    assert "X-Page-Cache" not in login
    missing = client.get("/plans/no-such-plan-TEST/")
    assert missing.status_code == 404 and "X-Page-Cache" not in missing
