"""Atom feeds per plan, recommendation and organisation: published entries only."""

from __future__ import annotations

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
