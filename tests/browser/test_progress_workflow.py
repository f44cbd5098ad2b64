"""A council member drafts and submits an update with evidence, a moderator publishes it, and an
anonymous reader sees it, its history and the changed status, in a real browser."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password-42"  # noqa: S105 - test data


def _sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Wait for the next page (the code page, or the signed-in page) before asking which it is.
    page.wait_for_url(lambda url: not url.split("?")[0].endswith("/accounts/login/"))
    if page.get_by_label("6-digit code").count():
        # Moderators also give a code: the first time, they put the shown secret into an
        # authenticator app; here the test computes the app's code from the secret.
        import base64

        from django_otp.oath import totp

        secret = page.locator("#totp-secret").inner_text()
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.get_by_label("6-digit code").fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("button", name=f"Sign out {username}").is_visible()


def _sign_out(page, username):
    page.get_by_role("button", name=f"Sign out {username}").click()


def test_update_from_draft_to_public(live_server, page, test_plan, django_user_model, tmp_path, settings):
    from django.contrib.auth.models import Group

    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.accounts.permissions import MODERATOR_GROUP
    from recovery_tracker.catalogue.models import Organisation

    settings.MEDIA_ROOT = tmp_path / "media"
    member = django_user_model.objects.create_user(username="council-officer", password=PASSWORD)
    Membership.objects.create(user=member, organisation=Organisation.objects.get(slug="test-authority"))
    moderator = django_user_model.objects.create_user(username="editor", password=PASSWORD)
    moderator.groups.add(Group.objects.create(name=MODERATOR_GROUP))
    evidence = tmp_path / "cabinet-report.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% made-up test document\n")
    base = live_server.url
    rec_url = base + "/plans/test-plan/recommendations/1-a/"

    more_action_url = base + "/plans/test-plan/more-action/?view=all"
    # One line names every body that has not answered.
    both_silent = "Test Authority and Test Old Body (now Test Authority) have not recorded a response"
    old_body_silent = "Test Old Body (now Test Authority) has not recorded a response"
    page.goto(more_action_url)
    assert both_silent in page.locator("main").inner_text()

    # The council officer drafts and submits.
    _sign_in(page, base, "council-officer")
    page.goto(rec_url)
    assert page.locator("#progress-silent #progress-test-authority").is_visible()
    page.get_by_role("link", name="Draft an update").click()
    page.get_by_label("Test Authority: own account", exact=True).check()
    page.locator("#date_day").fill("14")
    page.locator("#date_month").fill("3")
    page.locator("#date_year").fill("2024")
    page.get_by_label("Delivery status").select_option("in_progress")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("What has happened").fill("Cabinet approved **40 test homes**.")
    page.get_by_label("Evidence links").fill("https://example.org/cabinet-minutes Cabinet minutes")
    page.get_by_label("Upload evidence documents (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Save and submit for moderation").click()
    assert page.locator("#update-state").inner_text() == "Submitted for moderation"
    _sign_out(page, "council-officer")

    # Before publication the public sees nothing new.
    page.goto(rec_url)
    assert page.locator("#progress-silent #progress-test-authority").is_visible()

    # The moderator publishes.
    _sign_in(page, base, "editor")
    page.goto(base + "/updates/moderation/")
    page.get_by_role("link", name="Cabinet approved 40 test homes.").click()
    page.get_by_role("link", name="Publish").click()
    assert page.get_by_role("heading", name="Publish this update?").is_visible()
    page.get_by_role("button", name="Yes, publish").click()
    assert page.get_by_text("Update published.").is_visible()
    _sign_out(page, "editor")

    # An anonymous reader sees the status, the evidence and the history.
    page.goto(rec_url)
    own = page.locator("tr#progress-test-authority")
    assert own.get_by_text("In progress").is_visible() and own.get_by_text("Accepted").is_visible()
    assert page.locator("#latest-evidence").get_by_text("14 March 2024").is_visible()
    page.get_by_role("link", name="Full history").click()
    history = page.locator("#history")
    assert history.get_by_text("Not assessed → In progress").is_visible()
    assert history.locator("strong", has_text="40 test homes").is_visible()
    assert history.get_by_role("link", name="Cabinet minutes").is_visible()
    with page.expect_download() as download:
        history.get_by_role("link", name="cabinet-report.pdf").click()
    assert download.value.suggested_filename == "cabinet-report.pdf"

    # With a published response, "where more action is needed" no longer flags the missing response.
    page.goto(more_action_url)
    flagged = page.locator("main").inner_text()
    assert both_silent not in flagged
    assert old_body_silent in flagged, "still flagged: the support body has not responded"
