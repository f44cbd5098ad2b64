"""Atom feeds per plan, recommendation and organisation: published entries only."""

from __future__ import annotations

import re

from django.urls import reverse

from recovery_tracker.progress import services


def _feed(client, name, *args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content.decode()


def test_feeds_contain_published_entries_only(client, people, rec, make_published, update_data):
    make_published(status="planned", title="Visible published entry")
    draft = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                         voice="self_report", data=update_data(body=people.authority,
                                                                                title="Secret draft entry"))
    services.update_submit(actor=people.member, update=draft)
    for name, args in (("feed-plan", ("test-plan",)), ("feed-recommendation", ("test-plan", "1-a")),
                       ("feed-organisation", ("test-authority",))):
        body = _feed(client, name, *args)
        assert "Visible published entry" in body
        assert "Secret draft entry" not in body
        assert body.count("<entry>") == 1


def test_organisation_feed_includes_updates_about_a_predecessor(client, people, make_published):
    make_published(status="planned", body=people.old_body, title="About the old body")
    assert "About the old body" in _feed(client, "feed-organisation", "test-authority")
    assert "About the old body" in _feed(client, "feed-organisation", "test-old-body")


def test_other_recommendation_feed_is_empty(client, people, make_published):
    make_published(status="planned")
    assert "<entry>" not in _feed(client, "feed-recommendation", "test-plan", "2-a")


def test_unknown_feed_is_404(client, test_plan):
    assert client.get(reverse("feed-recommendation", args=["test-plan", "9-z"])).status_code == 404


def test_feeds_are_paged_with_rfc5005_links_and_permanent_tag_ids(client, people, make_published, monkeypatch):
    from recovery_tracker.progress import feeds

    monkeypatch.setattr(feeds, "FEED_LENGTH", 2)
    for n in range(3):
        make_published(title=f"Paged entry {n} TEST")
    first = _feed(client, "feed-plan", "test-plan")
    assert first.count("<entry>") == 2
    assert '<link href="http://testserver/plans/test-plan/feed/?page=2" rel="next"' in first
    assert '<link href="http://testserver/plans/test-plan/feed/?page=2" rel="last"' in first
    assert "<id>tag:recovery-tracker.invalid,2026-01-01:feed/plans/test-plan/feed/</id>" in first
    second = client.get(reverse("feed-plan", args=["test-plan"]) + "?page=2").content.decode()
    assert second.count("<entry>") == 1
    assert '<link href="http://testserver/plans/test-plan/feed/" rel="previous"' in second
    assert 'rel="next"' not in second
    # Every entry across the pages, each once, with a tag: id that names no host.
    ids = re.findall(r"<id>(tag:[^<]+)</id>", first + second)
    entry_ids = [i for i in ids if ":update/" in i]
    assert len(set(entry_ids)) == 3
    assert all(i.startswith("tag:recovery-tracker.invalid,20") for i in entry_ids)
    assert client.get(reverse("feed-plan", args=["test-plan"]) + "?page=3").status_code == 404
    assert client.get(reverse("feed-plan", args=["test-plan"]) + "?page=x").status_code == 404


def test_every_page_names_its_feeds(client, people, make_published):
    page = client.get(reverse("recommendation", args=["test-plan", "1-a"])).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page
    assert reverse("feed-recommendation", args=["test-plan", "1-a"]) in page
    home = client.get("/").content.decode()
    assert reverse("feed-plan", args=["test-plan"]) in home
