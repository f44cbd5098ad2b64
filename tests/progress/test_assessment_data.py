"""The shipped editorial assessment: every file keeps the rules, every body is assessed, and setup
publishes it as independent assessments that link their evidence."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from recovery_tracker.catalogue.services import shipped_plan_paths
from recovery_tracker.engine import assessments as A
from recovery_tracker.engine.plan import plan_read
from recovery_tracker.engine.registry import registry_read_shipped
from recovery_tracker.progress.assessments import (
    assessment_evidence_facts,
    assessments_load,
    assessments_load_shipped,
    shipped_assessment_paths,
)
from recovery_tracker.progress.models import State, Update, Voice
from recovery_tracker.progress.selectors import plan_states_as_at
from recovery_tracker.progress.setup import evidence_load

BASELINE = dt.date(2026, 11, 30)


def _plan_bodies(plan_slug: str) -> tuple[dict[str, list[str]], set[str], list[str]]:
    """From the plan file alone: each recommendation's bodies (group members in place of the group),
    the group ids, and the status keys."""
    path = next(p for p in shipped_plan_paths() if plan_read(p).plan.id == plan_slug)
    plan = plan_read(path)
    # Organisations shared by all plans live in the registry; a plan may add its own.
    known = {**registry_read_shipped(), **{o.id: o for o in plan.organisations}}
    members = {key: list(o.members) for key, o in known.items()}
    bodies = {}
    for rec in plan.recommendations:
        found: list[str] = []
        for a in rec.addressees:
            found += members[a.organisation] or [a.organisation]
        bodies[rec.id] = list(dict.fromkeys(found))
    return bodies, {k for k, v in members.items() if v}, [t.key for t in plan.plan.status_vocabulary]


@pytest.mark.parametrize("path", shipped_assessment_paths(), ids=lambda p: p.name)
def test_every_shipped_assessment_file_keeps_every_rule(path: Path):
    file = A.assessments_read(path)
    bodies, _groups, statuses = _plan_bodies(file.plan)
    assert A.assessments_check(file, evidence=assessment_evidence_facts(), bodies=bodies, statuses=statuses) == []


@pytest.mark.parametrize("path", shipped_assessment_paths(), ids=lambda p: p.name)
def test_every_recommendation_and_every_body_is_assessed_at_the_latest_date(path: Path):
    file = A.assessments_read(path)
    bodies, groups, _ = _plan_bodies(file.plan)
    assert A.assessments_coverage(file, bodies=bodies, as_at=file.latest_date()) == []
    # Councils are assessed one by one, never the "local authorities" group as a whole.
    assert not [a for a in file.assessments if a.body in groups]


def test_the_west_midlands_baseline_is_dated_and_trends_are_real():
    file = A.assessments_read(next(p for p in shipped_assessment_paths() if p.stem == "west-midlands-2020"))
    assert file.latest_date() == BASELINE and file.assessor == "recovery-tracker-editorial"
    assert {dt.date(2021, 6, 30), dt.date(2023, 12, 31)} <= set(file.dates())
    seven = {"birmingham-city-council", "coventry-city-council", "dudley-council", "sandwell-council",
             "solihull-council", "walsall-council", "wolverhampton-council"}
    assert seven <= {a.body for a in file.assessments if a.recommendation == "3.2-g" and a.as_at == BASELINE}
    # An earlier assessment exists only where it cites evidence published by then.
    early = [a for a in file.assessments if a.as_at < BASELINE]
    assert early and all(a.evidence for a in early)


def test_every_delivery_claim_quotes_a_cited_row():
    facts = assessment_evidence_facts()
    for path in shipped_assessment_paths():
        for a in A.assessments_read(path).assessments:
            if a.status in A.DELIVERY_STATUSES:
                assert any(a.shows_delivery.casefold() in " ".join(facts[e].summary.split()).casefold()
                           for e in a.evidence), a.where


@pytest.mark.django_db
def test_setup_publishes_the_assessment_once_and_no_body_is_left_not_assessed(west_midlands):
    evidence_load()
    first = assessments_load_shipped()
    assert first.created > 442 and first.corrected == 0
    again = assessments_load_shipped()
    assert again.created == 0 and again.already_loaded == first.created
    published = Update.objects.filter(external_key__startswith="assessment:")
    assert set(published.values_list("state", flat=True)) == {State.PUBLISHED}
    assert set(published.values_list("voice", flat=True)) == {Voice.INDEPENDENT_ASSESSMENT}
    assert set(published.values_list("organisation__slug", flat=True)) == {"recovery-tracker-editorial"}
    for state in plan_states_as_at(west_midlands, BASELINE).values():
        for body in state.bodies:
            for one in body.members or (body,):
                assert one.assessment.status != "not_assessed", (state.recommendation.slug, one.body.slug)


@pytest.mark.django_db
def test_no_published_assessment_cites_evidence_dated_after_it(west_midlands):
    evidence_load()
    assessments_load_shipped()
    checked = 0
    for update in Update.objects.filter(external_key__startswith="assessment:").prefetch_related("cites"):
        for cited in update.cites.all():
            assert cited.voice == Voice.EVIDENCE and cited.date <= update.date, (update.external_key, cited.title)
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_the_recommendation_page_shows_the_status_its_reasons_and_links_its_evidence(west_midlands, client):
    evidence_load()
    assessments_load_shipped()
    page = client.get("/plans/west-midlands-2020/recommendations/3.2-k/").content.decode()
    assert "Partly delivered" in page and "the Mayor signed the decision to franchise" in page.replace("\n", " ")
    cited = Update.objects.get(title="Mayor signs decision to franchise West Midlands buses")
    assert cited.get_absolute_url() in page
    page = client.get("/plans/west-midlands-2020/recommendations/5-m/").content.decode()
    assert "No public evidence found" in page and "Sources searched:" in page
    # A recommendation addressed to nobody shows its assessment as a whole, with its evidence.
    page = client.get("/plans/west-midlands-2020/recommendations/5-p/").content.decode()
    assert "The recommendation as a whole" in page and "In progress" in page
    assert Update.objects.get(title__startswith="Government condition funding").get_absolute_url() in page


@pytest.mark.django_db
def test_a_file_that_breaks_a_rule_loads_nothing_and_names_the_place(west_midlands, tmp_path):
    evidence_load()
    data = yaml.safe_load(shipped_assessment_paths()[0].read_text())
    data["assessments"]["3.2-k"][0]["reasons"] = "The WMCA failed to act."
    data["assessments"]["3.2-k"][0]["evidence"] = ["ev-022"]  # dated 2025-05-09, after 2023-12-31
    bad = tmp_path / "west-midlands-2020-TEST.yaml"
    bad.write_text(yaml.safe_dump(data))
    with pytest.raises(A.AssessmentFileError) as error:
        assessments_load(path=bad)
    text = str(error.value)
    assert "recommendation 3.2-k, body wmca, as at 2023-12-31: field `reasons` uses 'failed to'" in text
    assert "cites ev-022 dated 2025-05-09, after the assessment date" in text
    assert not Update.objects.filter(external_key__startswith="assessment:").exists()


@pytest.mark.django_db
def test_a_changed_entry_is_published_as_a_correction(west_midlands, tmp_path):
    evidence_load()
    path = shipped_assessment_paths()[0]
    assessments_load(path=path)
    data = yaml.safe_load(path.read_text())
    data["assessments"]["5-m"][0]["reasons"] = "The compiled record holds no source on skills provision."
    changed = tmp_path / path.name
    changed.write_text(yaml.safe_dump(data))
    result = assessments_load(path=changed)
    assert result.corrected == 1 and result.created == 0
    new = Update.objects.get(narrative__startswith="The compiled record holds no source on skills provision.")
    assert new.corrects is not None and new.corrects.status == new.status == "no_public_evidence"


@pytest.mark.django_db
def test_only_a_bodys_own_members_are_offered_a_reply_beside_its_assessment(west_midlands, client,
                                                                             django_user_model):
    from recovery_tracker.accounts.models import Membership
    from recovery_tracker.catalogue.models import Organisation

    evidence_load()
    assessments_load_shipped()
    url = "/plans/west-midlands-2020/recommendations/3.2-g/"
    assert "Reply to this assessment" not in client.get(url).content.decode()
    user = django_user_model.objects.create_user(username="dudley-officer-TEST", password="pw-TEST-123456")
    Membership.objects.create(user=user, organisation=Organisation.objects.get(slug="dudley-council"))
    client.force_login(user)
    page = client.get(url).content.decode()
    assert page.count("Reply to this assessment") == 1
    reply = 'Reply to this assessment<span class="govuk-visually-hidden"> for Dudley Metropolitan Borough Council'
    assert reply in page
    # The reply is the body's own account through the usual workflow: for another council it is refused.
    from recovery_tracker.catalogue.models import Recommendation
    from recovery_tracker.progress.permissions import can_draft_update

    rec = Recommendation.objects.get(plan=west_midlands, slug="3.2-g")
    dudley = Organisation.objects.get(slug="dudley-council")
    assert can_draft_update(user, rec, dudley, dudley)
    assert not can_draft_update(user, rec, dudley, Organisation.objects.get(slug="walsall-council"))
