"""Following a plan, a recommendation or an organisation by email: double opt-in, digests of what
is published, one-click unsubscribe. Messages are read from a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client

from recovery_tracker.catalogue.models import Organisation
from recovery_tracker.outreach import services
from recovery_tracker.outreach.models import Follow

REC_URL = "/plans/test-plan/recommendations/1-a/"
ADDRESS = "follower@example.test"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def _link(message, kind: str) -> str:
    match = re.search(rf"https?://[^/\s]+(/follow/{kind}/[^\s]+/)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def _follow_and_confirm(client, smtp_server, url=REC_URL + "follow/", address=ADDRESS):
    before = len(smtp_server.messages)
    assert client.post(url, {"email": address}).status_code == 200
    confirm = _link(smtp_server.wait_for(before + 1)[before], "confirm")
    assert client.post(confirm).status_code == 200
    return Follow.objects.get(email=address)


def test_following_asks_for_confirmation_and_never_shows_the_address(client, people, smtp_server):
    page = client.post(REC_URL + "follow/", {"email": ADDRESS})
    assert page.status_code == 200
    assert "Check your email" in page.content.decode() and ADDRESS not in page.content.decode()
    [message] = smtp_server.wait_for(1)
    assert message["To"] == ADDRESS
    assert "recommendation 1-a: Build test homes" in message["Subject"]
    unsubscribe = _link(message, "unsubscribe")
    assert message["List-Unsubscribe"].strip() == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    follow = Follow.objects.get()
    assert not follow.active and follow.recommendation.slug == "1-a"
    # Opening the link (as a mail scanner would) only shows a button; the button confirms.
    confirm = _link(message, "confirm")
    assert "Yes, send me updates" in client.get(confirm).content.decode()
    follow.refresh_from_db()
    assert not follow.active
    assert "You are following" in client.post(confirm).content.decode()
    follow.refresh_from_db()
    assert follow.active
    assert ADDRESS not in client.get(REC_URL).content.decode()


def test_a_confirmed_follower_gets_a_digest_of_what_was_published_since(client, people, smtp_server,
                                                                        make_published):
    make_published(title="Published before following (TEST)")
    follow = _follow_and_confirm(client, smtp_server)
    assert services.digests_send() == 0  # nothing new yet
    make_published(title="Cabinet approved 40 TEST homes", status="in_progress")
    assert services.digests_send() == 1
    digest = smtp_server.wait_for(2)[1]
    assert digest["To"] == ADDRESS and digest["Subject"].startswith("What changed: recommendation 1-a")
    body = digest.get_content()
    assert "Own account: 1-a: Cabinet approved 40 TEST homes (Test Authority)" in body
    assert "Published before following" not in body
    assert _link(digest, "unsubscribe") in digest["List-Unsubscribe"]
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert services.digests_send() == 0  # each change is sent once
    follow.refresh_from_db()
    assert follow.digest_from is not None


def test_unconfirmed_follows_get_no_digest(client, people, smtp_server, make_published):
    client.post(REC_URL + "follow/", {"email": ADDRESS})
    make_published(title="A TEST change")
    assert services.digests_send() == 0 and len(smtp_server.wait_for(1)) == 1


def test_organisation_and_plan_followers_get_their_items(client, people, smtp_server, make_published):
    _follow_and_confirm(client, smtp_server, url="/organisations/test-authority/follow/", address="org@example.test")
    _follow_and_confirm(client, smtp_server, url="/organisations/other-council-test/follow/",
                        address="other@example.test")
    _follow_and_confirm(client, smtp_server, url="/plans/test-plan/follow/", address="plan@example.test")
    make_published(title="A TEST change for the authority")
    assert services.digests_send() == 2
    digests = smtp_server.wait_for(5)[3:]
    assert sorted(m["To"] for m in digests) == ["org@example.test", "plan@example.test"]


def test_one_click_unsubscribe_needs_no_session_or_csrf_token(people, smtp_server, make_published):
    browser = Client(enforce_csrf_checks=True)
    client = Client()
    _follow_and_confirm(client, smtp_server)
    unsubscribe = _link(smtp_server.messages[0], "unsubscribe")
    assert "Stop all email" in browser.get(unsubscribe).content.decode()
    assert Follow.objects.get().active  # a GET changes nothing
    assert browser.post(unsubscribe, "List-Unsubscribe=One-Click",
                        content_type="application/x-www-form-urlencoded").status_code == 200
    assert not Follow.objects.get().active
    make_published(title="After unsubscribing (TEST)")
    assert services.digests_send() == 0
    assert browser.post(unsubscribe).status_code == 200  # twice is fine


def test_an_address_already_following_is_not_sent_another_message(client, people, smtp_server):
    _follow_and_confirm(client, smtp_server)
    page = client.post(REC_URL + "follow/", {"email": ADDRESS.upper()})
    assert page.status_code == 200 and "Check your email" in page.content.decode()
    assert len(smtp_server.wait_for(2, timeout=1)) == 1 and Follow.objects.count() == 1


def test_bad_addresses_and_missing_items_are_refused_and_nothing_is_saved(client, people, smtp_server):
    bad = client.post(REC_URL + "follow/", {"email": "not an address"})
    assert bad.status_code == 400 and "Enter an email address in the correct format" in bad.content.decode()
    missing = client.post("/plans/test-plan/recommendations/9-z/follow/", {"email": ADDRESS})
    assert missing.status_code == 404
    assert "There is no recommendation “9-z” in the plan “test-plan”" in missing.content.decode()
    assert client.post("/organisations/no-such-body/follow/", {"email": ADDRESS}).status_code == 404
    assert client.post("/plans/no-such-plan/follow/", {"email": ADDRESS}).status_code == 404
    assert not Follow.objects.exists() and smtp_server.messages == []


def test_a_followed_item_that_no_longer_exists(client, people, smtp_server):
    gone = Organisation.objects.create(slug="gone-test", name="Gone Body (TEST)")
    client.post("/organisations/gone-test/follow/", {"email": ADDRESS})
    confirm = _link(smtp_server.wait_for(1)[0], "confirm")
    gone.delete()
    response = client.post(confirm)
    assert response.status_code == 410
    assert "the item you followed no longer exists" in response.content.decode()


def test_expired_and_tampered_confirmation_links_are_refused(client, people, smtp_server, monkeypatch):
    long_ago = signing.b62_encode(int(dt.datetime.now().timestamp()) - 8 * 86400)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: long_ago)
    client.post(REC_URL + "follow/", {"email": ADDRESS})
    monkeypatch.undo()
    confirm = _link(smtp_server.wait_for(1)[0], "confirm")
    expired = client.post(confirm)
    assert expired.status_code == 410 and "has expired" in expired.content.decode()
    assert client.post(confirm.replace("/confirm/", "/confirm/x")).status_code == 410
    assert not Follow.objects.get().active


def test_a_flood_of_follows_gets_429(client, people, smtp_server):
    for _ in range(5):
        assert client.post(REC_URL + "follow/", {"email": ADDRESS}).status_code == 200
    flood = client.post(REC_URL + "follow/", {"email": ADDRESS})
    assert flood.status_code == 429 and int(flood["Retry-After"]) > 0


def test_every_followed_page_links_to_its_follow_form_and_stays_cacheable(client, people):
    for url in (REC_URL, "/organisations/test-authority/", "/plans/test-plan/"):
        page = client.get(url)
        assert f'href="{url}follow/"' in page.content.decode(), url
        # No form on the page itself: its CSRF cookie would keep the page out of the shared page cache.
        assert not page.cookies, url
        assert 'name="email"' in client.get(url + "follow/").content.decode()
