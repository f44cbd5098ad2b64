"""Progress API: public reads of published updates; token writes under the web's permission rules."""

from __future__ import annotations

import json

import pytest

from recovery_tracker.accounts.services import api_token_create
from recovery_tracker.progress.models import Update

URL = "/api/progress/updates"


def _payload(**overrides):
    payload = {"plan": "test-plan", "recommendation": "1-a", "organisation": "test-authority",
               "body": "test-authority", "voice": "self_report", "date": "2024-05-01", "status": "in_progress",
               "narrative": "Started (API test).", "links": [{"url": "https://example.org/e", "title": "E"}]}
    payload.update(overrides)
    return payload


def _post(client, payload, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(URL, data=json.dumps(payload), content_type="application/json", **headers)


def test_no_token_is_401(client, people):
    assert _post(client, _payload()).status_code == 401
    assert Update.objects.count() == 0


def test_bad_token_is_401(client, people):
    assert _post(client, _payload(), token="rt_not-a-real-token").status_code == 401


def test_member_submits_an_update_which_is_not_published(client, people):
    token = api_token_create(people.member, scope="write")
    response = _post(client, _payload(submit=True), token=token)
    assert response.status_code == 201, response.content
    update = Update.objects.get(pk=response.json()["id"])
    assert (update.state, update.source, update.author) == ("submitted", "api", people.member)
    assert update.links.get().url == "https://example.org/e"


def test_member_of_another_council_is_refused(client, people):
    token = api_token_create(people.other, scope="write")
    response = _post(client, _payload(), token=token)
    assert response.status_code == 403
    # Nor can they write in the other council's name about their own organisation.
    assert _post(client, _payload(organisation="other-council-test"), token=token).status_code == 403
    assert Update.objects.count() == 0


def test_assessor_may_draft_an_assessment_but_not_a_self_report(client, people):
    token = api_token_create(people.assessor, scope="write")
    assert _post(client, _payload(organisation="union-test", voice="independent_assessment"),
                 token=token).status_code == 201
    assert _post(client, _payload(organisation="union-test"), token=token).status_code == 403


def test_publishing_is_not_possible_through_the_api(client, people):
    token = api_token_create(people.member, scope="write")
    response = _post(client, _payload(state="published", submit=True), token=token)
    assert Update.objects.get(pk=response.json()["id"]).state == "submitted"
    assert Update.objects.filter(state="published").count() == 0


def test_invalid_fields_are_422_with_field_errors(client, people):
    token = api_token_create(people.member, scope="write")
    response = _post(client, _payload(status="done"), token=token)
    assert response.status_code == 422 and "status" in response.json()["errors"]


def test_unknown_recommendation_is_404(client, people):
    token = api_token_create(people.member, scope="write")
    response = _post(client, _payload(recommendation="9-z"), token=token)
    assert response.status_code == 404 and "recommendation" in response.json()["errors"]


def test_list_shows_published_updates_only(client, people, make_published):
    published = make_published(status="planned")
    token = api_token_create(people.member, scope="write")
    _post(client, _payload(), token=token)  # a draft: never listed
    body = client.get(URL, {"plan": "test-plan"}).json()
    assert body["count"] == 1 and [u["id"] for u in body["updates"]] == [published.pk]
    assert body["updates"][0]["status"] == "planned"


@pytest.mark.parametrize("as_at, expected", [("2024-04-30", None), ("2024-05-01", 10)])
def test_plan_progress_as_at(client, people, make_published, as_at, expected):
    make_published(status="planned")
    body = client.get("/api/plans/test-plan/progress", {"as_at": as_at}).json()
    assert body["rollup"]["plan"]["percent"] == expected
    assert "not counted as 0%" in body["rule"] or "never counted as 0%" in body["rule"]
