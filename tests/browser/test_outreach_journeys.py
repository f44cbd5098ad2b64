"""The accountability loop end to end in a real browser, with every email read from a real SMTP
server on loopback: asking a body and its reply; following and a digest; a community report that
a moderator redacts and publishes."""

from __future__ import annotations

import datetime as dt
import re

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
        # Moderators also give a code: on first sign-in they put the shown secret into an
        # authenticator app; here the test computes the app's code from the secret.
        import base64

        from django_otp.oath import totp

        secret = page.locator("#totp-secret").inner_text()
        key = base64.b32decode(secret + "=" * (-len(secret) % 8))
        page.get_by_label("6-digit code").fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("button", name=f"Sign out {username}").is_visible()


@pytest.fixture
def public(browser):
    """A second browser, never signed in: the contact, the follower, the member of the public."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def _link(message, path_prefix):
    match = re.search(rf"(https?://\S+{path_prefix}\S+/)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


@pytest.fixture
def moderator(test_plan, django_user_model):
    from django.contrib.auth.models import Group

    from recovery_tracker.accounts.permissions import MODERATOR_GROUP

    user = django_user_model.objects.create_user(username="editor", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name=MODERATOR_GROUP)[0])
    return user


@pytest.fixture
def site(live_server, settings, smtp_server, tmp_path):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    return live_server.url


def test_a_moderator_asks_the_contact_replies_by_the_emailed_link_and_it_shows_as_answered(
        page, public, site, smtp_server, moderator):
    rec_url = site + "/plans/test-plan/recommendations/1-a/"
    _sign_in(page, site, "editor")
    page.goto(site + "/organisations/test-authority/")
    page.get_by_role("link", name="Contacts for Test Authority").click()
    page.get_by_label("Name").fill("Pat TEST-Officer")
    page.get_by_label("Email address").fill("pat@authority.example.test")
    page.get_by_role("button", name="Add contact").click()
    assert page.get_by_text("Contact added.").is_visible()

    page.goto(rec_url)
    page.get_by_role("link", name="Ask a body for its response").click()
    page.get_by_label("A note to include (optional)").fill("Please tell us what has been done (TEST).")
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_text("Request sent to Test Authority").is_visible()

    [request_email] = smtp_server.wait_for(1)
    assert request_email["To"] == "pat@authority.example.test"
    today = dt.date.today()
    record = public.locator("#request-record")
    public.goto(rec_url)
    assert f"Asked on {today.day} {today:%B %Y}" in record.inner_text() and "no reply yet" in record.inner_text()
    assert "Pat TEST-Officer" not in public.locator("main").inner_text()

    # The contact replies without an account.
    reply_url = _link(request_email, "/respond/")
    public.goto(reply_url)
    public.get_by_label("Accepted", exact=True).check()
    public.get_by_label("Delivery status (optional)").select_option("in_progress")
    public.get_by_label("What has been done, or why not").fill("Cabinet agreed a TEST homes programme.")
    public.get_by_role("button", name="Send the reply").click()
    assert public.get_by_role("heading", name="Reply received").is_visible()
    # The link works once.
    public.goto(reply_url)
    assert public.get_by_text("already been used").is_visible()

    # The moderator publishes the reply as the body's own account.
    page.goto(site + "/updates/moderation/")
    page.get_by_role("link", name="Cabinet agreed a TEST homes programme.").click()
    page.get_by_role("link", name="Publish").click()
    page.get_by_role("button", name="Yes, publish").click()
    assert page.get_by_text("Update published.").is_visible()

    public.goto(rec_url)
    assert f"answered on {today.day} {today:%B %Y}" in public.locator("#request-record").inner_text()
    # The body's own account now shows the reply's response and status.
    card = public.locator("#progress-test-authority").inner_text()
    assert "Accepted" in card and "In progress" in card
    # The request's record links to the published reply.
    public.locator("#request-record").get_by_role("link", name="the reply").click()
    assert public.get_by_text("Cabinet agreed a TEST homes programme.").is_visible()


def test_a_follower_confirms_then_gets_a_digest_and_unsubscribes(page, site, smtp_server, moderator,
                                                                 django_user_model):
    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.catalogue.models import Organisation, Recommendation
    from recovery_tracker.outreach.services import digests_send
    from recovery_tracker.progress import services as progress
    from recovery_tracker.progress.services import UpdateData

    rec_url = site + "/plans/test-plan/recommendations/1-a/"
    page.goto(rec_url)
    page.get_by_role("link", name="Follow this recommendation").click()
    page.get_by_label("Your email address").fill("follower@example.test")
    page.get_by_role("button", name="Follow").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert "follower@example.test" not in page.content()

    [confirmation] = smtp_server.wait_for(1)
    page.goto(_link(confirmation, "/follow/confirm/"))
    page.get_by_role("button", name="Yes, send me updates").click()
    assert page.get_by_role("heading", name="You are following").is_visible()

    # Something is published about the recommendation; the daily job sends the digest.
    authority = Organisation.objects.get(slug="test-authority")
    officer = django_user_model.objects.create_user(username="officer", password=PASSWORD)
    Membership.objects.create(user=officer, organisation=authority)
    update = progress.update_create_draft(
        actor=officer, recommendation=Recommendation.objects.get(slug="1-a"), organisation=authority,
        voice="self_report", data=UpdateData(date=dt.date.today(), body=authority, title="TEST homes started"))
    progress.update_submit(actor=officer, update=update)
    progress.update_publish(actor=moderator, update=update)
    assert digests_send() == 1
    digest = smtp_server.wait_for(2)[1]
    assert "TEST homes started" in digest.get_content()

    page.goto(_link(digest, "/follow/unsubscribe/"))
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.get_by_role("heading", name="Unsubscribed").is_visible()


def test_a_report_from_the_public_is_redacted_and_published_by_a_moderator(page, public, site, moderator):
    rec_url = site + "/plans/test-plan/recommendations/1-a/"
    original = "Jo TEST-Bloggs on the TEST job guarantee is paid £7 an hour."
    redacted = "A person on the TEST job guarantee is paid £7 an hour."
    public.goto(rec_url)
    public.get_by_role("link", name="Report what you have seen").click()
    public.get_by_label("Which body is it about? (optional)").select_option("test-authority")
    public.get_by_label("What have you seen?").fill(original)
    public.get_by_label("Your name").fill("Alex TEST-Reporter")
    public.get_by_label("Your email address").fill("alex@example.test")
    public.get_by_label("No, publish it without my name").check()
    public.get_by_role("button", name="Send the report").click()
    assert public.get_by_role("heading", name="Report received").is_visible()

    _sign_in(page, site, "editor")
    page.goto(site + "/reports/moderation/")
    page.get_by_role("link", name=re.compile("Jo TEST-Bloggs")).click()
    assert "alex@example.test" in page.locator("#report-original").inner_text()
    page.get_by_label("Text to publish").fill(redacted)
    page.get_by_role("button", name="Publish the report").click()
    assert page.locator("#report-state").inner_text() == "Published"

    public.goto(rec_url)
    reports = public.locator("#community-reports")
    assert redacted in reports.inner_text()
    assert "Community and workforce report" in reports.inner_text()
    main = public.locator("main").inner_text()
    assert "Jo TEST-Bloggs" not in main and "Alex TEST-Reporter" not in main and "alex@example.test" not in main
