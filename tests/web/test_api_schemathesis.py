"""Schemathesis against the API's own OpenAPI schema: no 5xx, no response that breaks the schema.

Bounded (a few examples per operation) so that it runs in every test run; with and without a token.
The checks: no server error, every response's body and content type as the schema says. Status
codes the schema does not list (a 404 for an unknown id, a 401 without a token) are not failures
here: they are the right answer, and ninja documents only the success responses of most routes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from recovery_tracker.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)

CHECKS_SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                           suppress_health_check=list(HealthCheck))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def _test_connection_kept():
    """Calls go straight to the WSGI application, which closes the database connection after each
    request; that would end the test's transaction (on PostgreSQL). Django's test client keeps the
    connection the same way: by not closing it between requests."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, _test_connection_kept):
    from django.contrib.auth import get_user_model

    from recovery_tracker.accounts.services import api_token_create, membership_add
    from recovery_tracker.catalogue.models import Organisation, Plan
    from recovery_tracker.catalogue.services import plan_load

    plan_load(path=Path(__file__).parents[1] / "data" / "plan-TEST-minimal.yaml")
    user = get_user_model().objects.create_user("api-writer-TEST", password="sample-password-TEST")
    organisation = Organisation.objects.filter(addressed__recommendation__plan=Plan.objects.get(slug="test-plan"))
    membership_add(actor=None, user=user, organisation=organisation.first())
    return api_token_create(user, scope="write")


@schema.parametrize()
@CHECKS_SETTINGS
def test_api_without_a_token(case, api_data):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@CHECKS_SETTINGS
def test_api_with_a_token(case, api_data):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_data}"}, checks=CHECKS)
