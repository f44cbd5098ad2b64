"""Issue 18: loading the corrected West Midlands file over a database with published updates keeps
every update, and its history, on the recommendation it was written about."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from recovery_tracker.catalogue.models import Plan, Recommendation
from recovery_tracker.catalogue.services import plan_load

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "src" / "recovery_tracker" / "data" / "plans"
BEFORE = ROOT / "tests" / "data" / "plan-TEST-west-midlands-2020-before-issue-18.yaml"


def _snapshot():
    from recovery_tracker.progress.models import Update

    return sorted(
        (u.pk, u.recommendation.slug, u.voice, u.state, u.body.slug if u.body else "", u.corrects_id, u.title,
         u.narrative, u.date.isoformat())
        for u in Update.objects.select_related("recommendation", "body")
    )


@pytest.mark.django_db
def test_the_corrected_file_keeps_every_published_update_and_its_history(tmp_path, django_user_model):
    from django.contrib.auth.models import Group

    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.accounts.permissions import MODERATOR_GROUP
    from recovery_tracker.catalogue.models import Organisation
    from recovery_tracker.progress import services
    from recovery_tracker.progress.models import State, Update
    from recovery_tracker.progress.setup import evidence_load

    # The plan as it was before the corrections, with the shipped public evidence published on it.
    shutil.copy(BEFORE, tmp_path / "west-midlands-2020.yaml")
    shutil.copy(PLANS / "west-midlands-2020.source.txt", tmp_path / "west-midlands-2020.source.txt")
    plan_load(path=tmp_path / "west-midlands-2020.yaml")
    assert evidence_load().created > 50

    # A body's own account on an item the corrections split (4.3-k), then corrected: two published entries.
    wmca = Organisation.objects.get(slug="wmca")
    member = django_user_model.objects.create_user(username="wmca-member-test", password="test-only-pw-123")
    Membership.objects.create(user=member, organisation=wmca)
    moderator = django_user_model.objects.create_user(username="moderator-test", password="test-only-pw-123")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATOR_GROUP)[0])
    split = Recommendation.objects.get(plan__slug="west-midlands-2020", slug="4.3-k")
    first = services.update_create_draft(
        actor=member, recommendation=split, organisation=wmca, voice="self_report",
        data=services.UpdateData(date=dt.date(2024, 5, 1), narrative="TEST account of consulting disabled staff.",
                                 body=wmca))
    services.update_submit(actor=member, update=first)
    services.update_publish(actor=moderator, update=first)
    correction = services.update_correct(actor=member, update=first)
    services.update_submit(actor=member, update=correction)
    services.update_publish(actor=moderator, update=correction)

    before = _snapshot()
    published_before = Update.objects.filter(state=State.PUBLISHED).count()
    on_split_items = {slug: Update.objects.filter(recommendation__slug=slug).count()
                      for slug in ("4.3-k", "3.1-h", "3.2-o", "4.3-i", "5-p", "4.3-f", "3.2-c")}

    result = plan_load(path=PLANS / "west-midlands-2020.yaml")

    assert result.retired == []
    assert _snapshot() == before, "every update stays, unchanged, on the recommendation it was written about"
    assert Update.objects.filter(state=State.PUBLISHED).count() == published_before
    for slug, count in on_split_items.items():
        assert Update.objects.filter(recommendation__slug=slug).count() == count, slug
    # The new parts of the splits start with no history of their own.
    for slug in ("3.1-i", "4.3-o", "3.2-t", "3.2-u", "4.3-n"):
        assert not Update.objects.filter(recommendation__slug=slug).exists(), slug
    # The correction still points at what it corrects, on the same recommendation.
    correction.refresh_from_db()
    assert correction.corrects_id == first.pk and correction.recommendation.slug == "4.3-k"
    plan = Plan.objects.get(slug="west-midlands-2020")
    assert plan.version == "2020.2" and plan.changes[-1]["items"][0] == "3.1-h"
