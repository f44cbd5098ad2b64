"""Every input error is a 4xx that says what is wrong, never a server error."""

from __future__ import annotations

import csv
import json

import pytest

from recovery_tracker.accounts.services import api_token_create
from recovery_tracker.progress.models import Update

BAD_DATES = ["yesterday", "2024-13-01", "31/12/2024", "2024-02-30", "%00"]


@pytest.mark.parametrize("path", [
    "/api/plans/test-plan/progress", "/api/targets", "/api/plans/test-plan/targets",
    "/api/indicators/TEST-none/observations", "/api/progress/updates",
])
@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_malformed_as_at_is_a_4xx_on_every_api_route(client, test_plan, path, bad):
    # The updates list takes "since" rather than "as_at": the same date rule.
    name = "since" if path == "/api/progress/updates" else "as_at"
    response = client.get(f"{path}?{name}={bad}")
    assert 400 <= response.status_code < 500, (path, bad, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_a_non_numeric_revoke_is_a_400(client, people):
    client.force_login(people.member)
    response = client.post("/accounts/tokens/", {"revoke": "not-a-number"})
    assert response.status_code == 400 and b"revoke must be the number" in response.content


def _payload(**overrides):
    payload = {"plan": "test-plan", "recommendation": "1-a", "organisation": "test-authority",
               "body": "test-authority", "voice": "self_report", "date": "2024-05-01", "status": "in_progress",
               "narrative": "Started (API test)."}
    payload.update(overrides)
    return payload


def _post_json(client, body: str, token: str):
    return client.post("/api/progress/updates", data=body, content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {token}")


def test_text_longer_than_its_column_is_a_422_naming_the_field(client, people):
    token = api_token_create(people.member, scope="write")
    response = _post_json(client, json.dumps(_payload(title="T" * 301)), token)
    assert response.status_code == 422
    assert "title" in response.json()["detail"] and "300" in response.json()["detail"]
    assert Update.objects.count() == 0


@pytest.mark.parametrize("raw, words", [
    ('"Started\\u0000 (API test)."', "NUL character"),
    ('"Started \\ud800 (API test)."', "lone surrogate"),
])
def test_nul_bytes_and_lone_surrogates_are_a_400(client, people, raw, words):
    token = api_token_create(people.member, scope="write")
    body = json.dumps(_payload(narrative="PLACEHOLDER")).replace('"PLACEHOLDER"', raw)
    response = _post_json(client, body, token)
    assert response.status_code == 400 and words in response.json()["detail"]
    assert Update.objects.count() == 0


@pytest.mark.parametrize("query", ["q=%00", "organisation=%00abc", "plan=%ED%A0%80"])
def test_nul_bytes_in_the_address_are_a_400_not_a_database_error(client, test_plan, query):
    for path in ("/api/progress/updates", "/plans/test-plan/", "/updates/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code < 500, (path, query)


def test_a_form_with_a_nul_byte_is_a_400(client, people):
    client.force_login(people.member)
    response = client.post("/accounts/tokens/", "name=token%00TEST", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and b"NUL character" in response.content


def test_a_csv_field_over_the_csv_modules_limit_is_a_clear_error(client, people):
    field_limit = csv.field_size_limit()
    text = "recommendation,organisation,body,voice,date,status,narrative\n" \
           f'1-a,test-authority,test-authority,self_report,2024-05-01,in_progress,"{"x" * (field_limit + 10)}"\n'
    client.force_login(people.member)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/progress/import/", {"plan": "test-plan",
                                                  "file": SimpleUploadedFile("updates-TEST.csv", text.encode())})
    assert response.status_code in (200, 400)
    assert b"field larger than field limit" in response.content or b"too long" in response.content
    assert Update.objects.count() == 0


def test_a_standards_csv_over_the_field_limit_is_a_clear_error(client, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "employer,start_date\n" + '"' + "x" * (csv.field_size_limit() + 10) + '",2024-01-01\n'
    response = client.post("/checks/job-guarantee/", {"file": SimpleUploadedFile("placements-TEST.csv",
                                                                                 text.encode())})
    assert response.status_code == 200 and b"cannot be read as CSV" in response.content
