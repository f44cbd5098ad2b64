"""Fixtures for the check pages: payroll files, people with and without membership (TEST data)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from measures_fixtures import PASSWORD


@dataclass
class People:
    member: Any
    outsider: Any
    organisation: Any
    other_organisation: Any
    moderator: Any  # a moderator of the tracker's editorial team


@pytest.fixture
def people(west_midlands, django_user_model) -> People:
    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.catalogue.models import Organisation

    organisation = Organisation.objects.get(slug="wmca")
    other = Organisation.objects.create(slug="test-other-employer", name="TEST Other Employer")
    member = django_user_model.objects.create_user("test-member", password=PASSWORD)
    outsider = django_user_model.objects.create_user("test-outsider", password=PASSWORD)
    Membership.objects.create(user=member, organisation=organisation)
    Membership.objects.create(user=outsider, organisation=other)
    moderator = django_user_model.objects.create_user("test-moderator", password=PASSWORD)
    Membership.objects.create(user=moderator, role=Membership.Role.MODERATOR,
                              organisation=Organisation.objects.get(slug="recovery-tracker-editorial"))
    return People(member=member, outsider=outsider, organisation=organisation, other_organisation=other,
                  moderator=moderator)


@pytest.fixture
def publish_results(people, client):
    """Publish every waiting result through the moderation page, as the editorial moderator."""
    from recovery_tracker.measures.models import MeasureResult

    def publish() -> None:
        client.force_login(people.moderator)
        for result in MeasureResult.objects.filter(state="submitted"):
            response = client.post("/checks/moderation/", {"result": result.pk, "action": "publish",
                                                           "lock_version": result.lock_version})
            assert response.status_code == 302
        client.logout()

    return publish


@pytest.fixture
def upload_tmp(settings, tmp_path, monkeypatch, _check_fork_server) -> Path:
    """Every temporary file of the request (Django's and Python's) lands here, to be seen to go."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="session")
def _check_fork_server() -> None:
    """Start the checks' fork server (measures/limited.py) before a test points the temporary folder
    at its own: the server's socket folder lives as long as the test run, it is not an upload's file."""
    from multiprocessing import forkserver

    import recovery_tracker.measures.limited  # noqa: F401 - sets what the fork server preloads

    forkserver.ensure_running()
