"""A recommendation addressed to a group ("local authorities") is asked of each member council."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from recovery_tracker.catalogue.models import Organisation
from recovery_tracker.outreach.models import CommunityReport, Contact, ResponseRequest


@pytest.fixture
def group_rec(west_midlands):
    return west_midlands.recommendations.filter(addressees__organisation__slug="local-authorities").first()


def test_a_member_council_of_an_addressed_group_can_be_asked(client, group_rec, people, smtp_server):
    birmingham = Organisation.objects.get(slug="birmingham-city-council")
    Contact.objects.create(organisation=birmingham, name="TEST Officer", email="officer@birmingham.example.test")
    client.force_login(people.moderator)
    url = group_rec.get_absolute_url() + "ask/"
    page = client.get(url).content.decode()
    assert "Birmingham City Council: TEST Officer" in page
    assert client.post(url, {"contact": Contact.objects.get().pk}).status_code == 302
    assert ResponseRequest.objects.get().body == birmingham
    assert smtp_server.wait_for(1)[0]["To"] == "officer@birmingham.example.test"
    client.logout()
    assert "Birmingham City Council: Asked on" in client.get(group_rec.get_absolute_url()).content.decode()


def test_a_report_can_name_a_member_council(client, group_rec, db):
    cache.clear()
    response = client.post(group_rec.get_absolute_url() + "report/", {
        "organisation": "coventry-city-council", "text": "Seen in Coventry (TEST).", "name": "TEST Person",
        "email": "p@example.test", "show_name": "no"})
    assert response.status_code == 200
    assert CommunityReport.objects.get().organisation.slug == "coventry-city-council"
