"""Every council answers for itself: "local authorities" is tracked per member council, rolled up for
the group, and each council updates only its own part. Uses the shipped West Midlands plan; the
people and their updates are made up for the test (TEST in their names)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from recovery_tracker.accounts.models import Membership
from recovery_tracker.accounts.permissions import MODERATOR_GROUP
from recovery_tracker.catalogue.models import Organisation
from recovery_tracker.progress import permissions, rollup_data, selectors, services
from recovery_tracker.progress.models import State, Update

PASSWORD = "test-only-password-123"  # noqa: S105 - test data
COUNCILS = ("birmingham-city-council", "coventry-city-council", "dudley-council", "sandwell-council",
            "solihull-council", "walsall-council", "wolverhampton-council")
REC = "3.2-k"  # Bus regulation: the WMCA and local authorities, both lead


@pytest.fixture
def wm(west_midlands, django_user_model, settings, tmp_path):
    from django.contrib.auth.models import Group

    settings.MEDIA_ROOT = tmp_path / "media"
    orgs = {o.slug: o for o in Organisation.objects.all()}

    def user(name, org=None):
        u = django_user_model.objects.create_user(username=name, password=PASSWORD)
        if org:
            Membership.objects.create(user=u, organisation=orgs[org])
        return u

    moderator = user("moderator-TEST")
    moderator.groups.add(Group.objects.get_or_create(name=MODERATOR_GROUP)[0])
    return type("WM", (), {
        "plan": west_midlands, "orgs": orgs, "rec": west_midlands.recommendations.get(slug=REC),
        "birmingham": user("birmingham-officer-TEST", "birmingham-city-council"),
        "coventry": user("coventry-officer-TEST", "coventry-city-council"),
        "assessor": user("union-assessor-TEST", "midlands-tuc"),
        "moderator": moderator,
    })


def _addressed_to_local_authorities(wm) -> int:
    return wm.plan.recommendations.filter(retired=False, addressees__organisation__slug="local-authorities").distinct(
    ).count()


def _publish(wm, actor, organisation, body, voice="self_report", **fields):
    from recovery_tracker.progress.services import UpdateData

    fields.setdefault("date", dt.date(2024, 5, 1))
    fields.setdefault("narrative", "Made-up test update (TEST).")
    update = services.update_create_draft(actor=actor, recommendation=wm.rec, organisation=wm.orgs[organisation],
                                          voice=voice, data=UpdateData(body=wm.orgs[body], **fields))
    services.update_submit(actor=actor, update=update)
    return services.update_publish(actor=wm.moderator, update=update)


def test_the_group_has_the_seven_councils_as_members(wm):
    assert sorted(wm.orgs["local-authorities"].members.values_list("slug", flat=True)) == sorted(COUNCILS)


def test_a_council_answers_for_itself_only(wm):
    rec, orgs = wm.rec, wm.orgs
    birmingham = orgs["birmingham-city-council"]
    assert permissions.bodies_answered_for(birmingham, rec) == [birmingham]
    assert permissions.can_draft_update(wm.birmingham, rec, birmingham, birmingham)
    assert not permissions.can_draft_update(wm.birmingham, rec, birmingham, orgs["coventry-city-council"])
    assert not permissions.can_draft_update(wm.birmingham, rec, birmingham, orgs["local-authorities"])
    # Writing in another council's name, or about it, is refused by the service itself.
    from recovery_tracker.progress.services import UpdateData

    for organisation, body in (("coventry-city-council", "coventry-city-council"),
                               ("birmingham-city-council", "coventry-city-council")):
        with pytest.raises(PermissionDenied):
            services.update_create_draft(actor=wm.birmingham, recommendation=rec, organisation=orgs[organisation],
                                         voice="self_report",
                                         data=UpdateData(date=dt.date(2024, 5, 1), body=orgs[body], narrative="x"))
    assert not Update.objects.exists()


def test_an_assessor_may_assess_each_member(wm):
    assert permissions.can_draft(wm.assessor, wm.rec, wm.orgs["midlands-tuc"], "independent_assessment",
                                 wm.orgs["dudley-council"])


def test_each_member_has_its_own_state_and_the_group_is_rolled_up(wm):
    _publish(wm, wm.birmingham, "birmingham-city-council", "birmingham-city-council", status="in_progress",
             response="accepted")
    _publish(wm, wm.assessor, "midlands-tuc", "coventry-city-council", voice="independent_assessment",
             status="not_started")
    state = selectors.recommendation_state_as_at(wm.rec)
    group = next(b for b in state.bodies if b.body.slug == "local-authorities")
    members = {m.body.slug: m for m in group.members}
    # In the order readers look for them: Birmingham, Coventry, ... Wolverhampton (by short name).
    assert list(members) == list(COUNCILS)
    assert members["birmingham-city-council"].self_report.status == "in_progress"
    assert members["birmingham-city-council"].self_report.response == "accepted"
    assert members["coventry-city-council"].assessment.status == "not_started"
    assert not members["dudley-council"].current.assessed
    result = rollup_data.recommendation_progress(wm.rec)
    la = next(b for b in result.bodies if b.organisation == "local-authorities")
    # Birmingham 40% and Coventry 0%: the group is at 20%, five members not yet assessed.
    assert la.group.progress == pytest.approx(0.2) and la.group.not_assessed == 5
    # The WMCA is not assessed, so the recommendation is the group's 20%.
    assert result.rollup.percent == 20


def test_a_group_wide_status_stands_for_members_without_their_own(wm):
    _publish(wm, wm.assessor, "midlands-tuc", "local-authorities", voice="independent_assessment", status="planned")
    _publish(wm, wm.birmingham, "birmingham-city-council", "birmingham-city-council", status="in_progress")
    group = next(b for b in selectors.recommendation_state_as_at(wm.rec).bodies if b.body.slug == "local-authorities")
    members = {m.body.slug: m for m in group.members}
    assert members["birmingham-city-council"].current.status == "in_progress"
    assert not members["birmingham-city-council"].current.from_group
    assert members["walsall-council"].current.status == "planned" and members["walsall-council"].current.from_group
    la = next(b for b in rollup_data.recommendation_progress(wm.rec).bodies if b.organisation == "local-authorities")
    assert la.group.progress == pytest.approx((0.4 + 6 * 0.1) / 7)


def test_a_council_rejection_raises_stronger_policy_needed_naming_the_council(wm, client):
    _publish(wm, wm.birmingham, "birmingham-city-council", "birmingham-city-council", response="rejected",
             response_reason="Made-up reason (TEST)")
    flags = rollup_data.recommendation_flags(wm.rec)
    strong = [f for f in flags if f.stronger_policy]
    assert [(f.organisation, f.title) for f in strong] == [("birmingham-city-council", "Stronger policy needed")]
    assert strong[0].reason.startswith("Birmingham City Council rejected this recommendation")
    page = client.get(f"/plans/{wm.plan.slug}/more-action/").content.decode()
    assert "Stronger policy needed" in page and "Birmingham City Council rejected this recommendation" in page


def test_the_group_page_compares_the_seven_councils(wm, client):
    _publish(wm, wm.birmingham, "birmingham-city-council", "birmingham-city-council", status="in_progress",
             response="accepted")
    html = client.get("/organisations/local-authorities/").content.decode()
    assert html.index('id="organisation-summary"') < html.index('id="member-summary"') < html.index(
        'id="organisation-recommendations"')
    for council in COUNCILS:
        assert f'id="member-{council}"' in html
    row = html[html.index(f'id="org-rec-{REC}"'):]
    row = row[:row.index("</tr>")]
    assert row.count('class="govuk-table__cell"') == 8  # seven councils and the flags
    assert "In progress" in row and "Accepted" in row
    assert html.count('id="org-rec-') == _addressed_to_local_authorities(wm) == 41


def test_a_council_page_lists_group_recommendations_once_with_a_label(wm, client):
    html = client.get("/organisations/birmingham-city-council/").content.decode()
    assert html.count(f'id="org-rec-{REC}"') == 1
    assert "Member of local authorities (lead)" in html
    assert 'id="member-of"' in html and 'id="summary-responses"' in html


def test_the_wmca_page_lists_each_recommendation_once(wm, client):
    html = client.get("/organisations/wmca/").content.decode()
    rows = [part.split('"', 1)[0] for part in html.split('id="org-rec-')[1:]]
    assert rows and len(rows) == len(set(rows))
    assert "Successor of Black Country LEP (lead)" in html
    assert html.index('id="organisation-summary"') < html.index('id="organisation-recommendations"')


def test_publishing_a_member_update_needs_a_moderator(wm):
    from recovery_tracker.progress.services import UpdateData

    update = services.update_create_draft(
        actor=wm.birmingham, recommendation=wm.rec, organisation=wm.orgs["birmingham-city-council"],
        voice="self_report", data=UpdateData(date=dt.date(2024, 5, 1), body=wm.orgs["birmingham-city-council"],
                                             status="planned"))
    services.update_submit(actor=wm.birmingham, update=update)
    with pytest.raises(PermissionDenied):
        services.update_publish(actor=wm.coventry, update=update)
    update.refresh_from_db()
    assert update.state == State.SUBMITTED


def test_signing_in_lands_on_recommendations_you_can_update(wm, client):
    response = client.post("/accounts/login/", {"username": "birmingham-officer-TEST", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/updates/yours/"
    html = client.get("/updates/yours/").content.decode()
    assert "Recommendations you can update" in html
    row_id = f'id="can-update-birmingham-city-council-{REC}-birmingham-city-council"'
    assert row_id in html and "Member of local authorities (lead)" in html
    birmingham = wm.orgs["birmingham-city-council"]
    writer = f"{birmingham.pk}:self_report:{birmingham.pk}"
    assert f"?writer={writer.replace(':', '%3A')}" in html
    # 41 recommendations are addressed to local authorities (29, and the twelve of the 4.3 equality list
    # since issue 18 read its lead-in), and none to Birmingham directly.
    assert html.count('id="can-update-birmingham-city-council-') == _addressed_to_local_authorities(wm) == 41


def test_the_update_link_opens_the_form_with_the_council_chosen(wm, client):
    birmingham = wm.orgs["birmingham-city-council"]
    client.force_login(wm.birmingham)
    writer = f"{birmingham.pk}:self_report:{birmingham.pk}"
    html = client.get(f"/plans/{wm.plan.slug}/recommendations/{REC}/updates/new/", {"writer": writer}).content.decode()
    checked = html[:html.index(f'value="{writer}"') + 200]
    assert "checked" in checked[checked.rindex("<input"):]
    assert "Coventry City Council: own account" not in html


def test_another_council_sees_only_its_own_part(wm, client):
    client.force_login(wm.coventry)
    html = client.get("/updates/yours/").content.decode()
    assert f'id="can-update-coventry-city-council-{REC}-coventry-city-council"' in html
    assert "birmingham-city-council" not in html


def test_recommendations_you_can_update_needs_signing_in(client, wm):
    response = client.get("/updates/yours/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_council_cannot_update_for_birmingham_through_the_page(wm, client):
    birmingham = wm.orgs["birmingham-city-council"]
    url = f"/plans/{wm.plan.slug}/recommendations/{REC}/updates/new/"
    form = {"writer": f"{birmingham.pk}:self_report:{birmingham.pk}", "date_day": "1", "date_month": "5",
            "date_year": "2024", "status": "in_progress", "narrative": "Forged (TEST)."}
    client.force_login(wm.coventry)
    assert client.post(url, form).status_code == 400  # not one of Coventry's choices
    client.logout()
    assert client.post(url, form).status_code == 302  # to the sign-in page
    assert not Update.objects.exists()


def test_the_method_page_states_the_group_rule(client, wm):
    html = client.get("/progress/method/").content.decode()
    assert "Groups: each council answers for itself" in html
    assert "plain average of its members" in html and "Keeps the share of delivery last reached" in html


def test_the_recommendation_page_shows_each_member(wm, client):
    _publish(wm, wm.birmingham, "birmingham-city-council", "birmingham-city-council", status="planned",
             response="partly_accepted")
    html = client.get(f"/plans/{wm.plan.slug}/recommendations/{REC}/").content.decode()
    row = html[html.index('id="progress-birmingham-city-council"'):]
    row = row[:row.index("</tr>")]
    assert "(local authorities)" in row and "Partly accepted" in row and "Planned" in row
    silent = html[html.index('id="progress-silent"'):]
    silent = silent[:silent.index("</tr>")]
    for council in COUNCILS[1:]:
        assert f'id="progress-{council}"' in silent


def test_more_action_can_be_filtered_to_one_council(wm, client):
    _publish(wm, wm.birmingham, "birmingham-city-council", "birmingham-city-council", response="noted")
    url = f"/plans/{wm.plan.slug}/more-action/"
    html = client.get(url, {"organisation": "birmingham-city-council"}).content.decode()
    assert '<option value="birmingham-city-council" selected>' in html
    assert f'id="flagged-{REC}"' in html and "Birmingham City Council only noted this recommendation" in html
    assert "Coventry City Council has not recorded a response" not in html


def test_the_api_roll_up_gives_each_member(wm, client):
    _publish(wm, wm.birmingham, "birmingham-city-council", "birmingham-city-council", status="delivered")
    body = client.get(f"/api/plans/{wm.plan.slug}/progress").json()
    bodies = body["rollup"]["recommendations"][REC]["bodies"]
    group = next(b for b in bodies if b["organisation"] == "local-authorities")
    members = {m["organisation"]: m["status"] for m in group["members"]}
    assert members["birmingham-city-council"] == "delivered" and members["coventry-city-council"] == "not_assessed"
    assert group["group"]["progress"] == 1.0
