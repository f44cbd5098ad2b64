"""A council officer signs in, sees "Recommendations you can update", and updates their own council's
part of a recommendation addressed to "local authorities"; a moderator confirms publication; the
public sees it on the group's page beside the six other councils. Real Chromium; shipped plan; the
people and the update are made up (TEST)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-password-42"  # noqa: S105 - test data
REC = "3.2-k"  # Bus regulation: the WMCA and local authorities


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
    # Waits for the signed-in page (is_visible alone would not wait for the navigation).
    page.get_by_role("button", name=f"Sign out {username}").wait_for(state="visible")


def test_council_officer_updates_their_part_of_a_local_authorities_recommendation(
        live_server, page, west_midlands, django_user_model, tmp_path, settings):
    from django.contrib.auth.models import Group

    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.accounts.permissions import MODERATOR_GROUP
    from recovery_tracker.catalogue.models import Organisation

    settings.MEDIA_ROOT = tmp_path / "media"
    officer = django_user_model.objects.create_user(username="brum-officer-TEST", password=PASSWORD)
    Membership.objects.create(user=officer, organisation=Organisation.objects.get(slug="birmingham-city-council"))
    moderator = django_user_model.objects.create_user(username="editor-TEST", password=PASSWORD)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATOR_GROUP)[0])
    base = live_server.url

    # Signing in lands on the council's list.
    _sign_in(page, base, "brum-officer-TEST")
    assert page.url == base + "/updates/yours/"
    expect(page.get_by_role("heading", name="Recommendations you can update")).to_be_visible()
    row = page.locator(f'[id="can-update-birmingham-city-council-{REC}-birmingham-city-council"]')
    expect(row.get_by_text("Member of local authorities (lead)")).to_be_visible()
    expect(row.get_by_text("No response yet")).to_be_visible()
    row.get_by_role("link", name="Update").click()

    # The form opens with Birmingham writing about Birmingham; no other council is offered.
    choice = page.get_by_label("Birmingham City Council: own account", exact=True)
    assert choice.is_checked()
    assert page.get_by_label("Coventry City Council: own account", exact=True).count() == 0
    page.locator("#date_day").fill("2")
    page.locator("#date_month").fill("4")
    page.locator("#date_year").fill("2024")
    page.get_by_label("Delivery status").select_option("in_progress")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("What has happened").fill("Made-up test update: a cabinet paper on bus routes (TEST).")
    page.get_by_role("button", name="Save and submit for moderation").click()
    assert page.locator("#update-state").inner_text() == "Submitted for moderation"
    # Signed out by dropping the session: the sign-out button's journey is tested elsewhere, and the
    # heavy plan home it lands on only slows this test on a busy machine.
    page.context.clear_cookies()

    # The moderator is asked to confirm before anything becomes public.
    _sign_in(page, base, "editor-TEST")
    page.goto(base + "/updates/moderation/")
    page.get_by_role("link", name="Made-up test update").click()
    page.get_by_role("link", name="Publish").click()
    summary = page.locator("#publish-summary")
    expect(summary.get_by_text("Birmingham City Council", exact=True)).to_be_visible()
    page.get_by_role("button", name="Yes, publish").click()
    expect(page.get_by_text("Update published.")).to_be_visible()
    page.context.clear_cookies()

    # The public sees Birmingham's own status beside the other six councils on the group's page.
    page.goto(base + "/organisations/local-authorities/")
    row = page.locator(f'[id="org-rec-{REC}"]')
    cells = row.locator("td")
    assert cells.nth(0).inner_text().startswith("In progress")  # Birmingham, first by name
    assert "Accepted" in cells.nth(0).inner_text()
    assert cells.nth(1).inner_text().startswith("Not assessed")  # Coventry
    from recovery_tracker.catalogue.models import Recommendation

    addressed = Recommendation.objects.filter(addressees__organisation__slug="local-authorities",
                                              retired=False).distinct().count()
    responses = page.locator("#member-birmingham-city-council td").first
    assert responses.inner_text() == f"1 of {addressed}"
