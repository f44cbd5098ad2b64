"""People and organisations for progress and accounts tests (made-up test data, named TEST).

Loaded by tests/progress/conftest.py and tests/accounts/conftest.py (test folders are not packages)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

PASSWORD = "test-only-password-123"  # noqa: S105 - test data


@dataclass
class People:
    member: Any  # member of test-authority (addressee of 1-a, successor of test-old-body)
    colleague: Any  # a second member of test-authority
    other: Any  # member of another council, addressed by nothing in the test plan
    assessor: Any  # member of an independent assessor (a union)
    moderator: Any
    authority: Any
    old_body: Any
    other_council: Any
    union: Any


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def people(test_plan, django_user_model) -> People:
    from django.contrib.auth.models import Group

    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.accounts.permissions import MODERATOR_GROUP
    from recovery_tracker.catalogue.models import Organisation

    authority = Organisation.objects.get(slug="test-authority")
    old_body = Organisation.objects.get(slug="test-old-body")
    other_council = Organisation.objects.create(slug="other-council-test", name="Other Council (TEST)")
    union = Organisation.objects.create(slug="union-test", name="Test Union (TEST)", independent_assessor=True)

    def make(username: str, organisation: Any | None) -> Any:
        user = django_user_model.objects.create_user(username=username, password=PASSWORD)
        if organisation is not None:
            Membership.objects.create(user=user, organisation=organisation)
        return user

    moderator = make("moderator", None)
    moderator.groups.add(Group.objects.get_or_create(name=MODERATOR_GROUP)[0])
    return People(
        member=make("member", authority), colleague=make("colleague", authority), other=make("other", other_council),
        assessor=make("assessor", union), moderator=moderator,
        authority=authority, old_body=old_body, other_council=other_council, union=union,
    )


@pytest.fixture
def rec(test_plan):
    return test_plan.recommendations.get(slug="1-a")


def data(**overrides: Any) -> Any:
    from recovery_tracker.progress.services import UpdateData

    fields = {"date": dt.date(2024, 5, 1), "narrative": "We started **building**."}
    fields.update(overrides)
    return UpdateData(**fields)


@pytest.fixture
def update_data():
    """``update_data(**fields)`` builds an UpdateData dated 1 May 2024 with a short narrative."""
    return data


@pytest.fixture
def make_published(people, rec):
    """Publish a self-report for 1-a about test-authority, drafted by `member`."""
    from recovery_tracker.progress import services

    def publish(**overrides: Any) -> Any:
        overrides.setdefault("body", people.authority)
        update = services.update_create_draft(actor=people.member, recommendation=rec, organisation=people.authority,
                                              voice="self_report", data=data(**overrides))
        services.update_submit(actor=people.member, update=update)
        return services.update_publish(actor=people.moderator, update=update)

    return publish
