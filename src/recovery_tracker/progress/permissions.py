"""Who may draft, edit, submit, publish, correct and see progress updates. Small named rules, each
with a focused test in tests/progress/test_permissions.py.

Every write path (web pages, API, CSV import) asks one of these before calling a service, and the
services ask again, so no path can skip a rule.
"""

from __future__ import annotations

from recovery_tracker.accounts.permissions import User, is_member, moderated_organisation_ids
from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.selectors import (
    organisation_with_predecessors,
    recommendation_addresses,
    recommendation_bodies,
)
from recovery_tracker.progress.models import Update


def bodies_answered_for(organisation: Organisation, recommendation: Recommendation) -> list[Organisation]:
    """The addressed bodies of ``recommendation`` that ``organisation`` answers for: itself, a
    predecessor whose responsibilities passed to it (the LEPs' to the WMCA), or itself as a member
    of a group addressee ("local authorities": each council answers for itself, never for another)."""
    accountable = {o.pk for o in organisation_with_predecessors(organisation)}
    found: list[Organisation] = []
    for body in recommendation_bodies(recommendation):
        if body.organisation.pk in accountable and all(b.pk != body.organisation.pk for b in found):
            found.append(body.organisation)
    return found


def can_draft_update(user: User, recommendation: Recommendation, organisation: Organisation,
                     body: Organisation | None = None) -> bool:
    """A member may draft its organisation's own account of a recommendation addressed to it or to
    a predecessor; if ``body`` is given, it must be one of those addressed bodies."""
    if not is_member(user, organisation) or recommendation.retired:
        return False
    bodies = bodies_answered_for(organisation, recommendation)
    if body is None:
        return bool(bodies)
    return any(b.pk == body.pk for b in bodies)


def can_assess(user: User, recommendation: Recommendation, organisation: Organisation) -> bool:
    """Members of an independent assessor (a union, the TUC, researchers) may draft an assessment
    of any recommendation."""
    return organisation.independent_assessor and is_member(user, organisation) and not recommendation.retired


def can_draft(user: User, recommendation: Recommendation, organisation: Organisation, voice: str,
              body: Organisation | None = None) -> bool:
    """The rule for the voice asked for. Shipped public-record evidence is written only by loaders."""
    if voice == "self_report":
        return can_draft_update(user, recommendation, organisation, body)
    if voice == "independent_assessment":
        if body is not None and not recommendation_addresses(recommendation, body):
            return False
        return can_assess(user, recommendation, organisation)
    return False


def can_edit_update(user: User, update: Update) -> bool:
    """Any member of the writing organisation may edit its draft or returned update; nobody edits
    a submitted or published one (a published one is corrected by a new version)."""
    return update.is_editable and is_member(user, update.organisation)


def can_submit_update(user: User, update: Update) -> bool:
    return can_edit_update(user, update)


def can_moderate(user: User, update: Update | None = None) -> bool:
    """Moderators publish or return submitted updates, but never their own: four eyes on every
    published word. The editorial team moderates everything; with organisation moderation on, an
    organisation's moderators moderate their own organisation's (never an organisation admin)."""
    scope = moderated_organisation_ids(user)
    if scope is not None and not scope:
        return False
    if update is None:
        return True
    if update.author_id == user.pk:
        return False
    return scope is None or update.organisation_id in scope


def can_correct_update(user: User, update: Update) -> bool:
    """A published update is corrected by its own organisation or by a moderator, as a new version."""
    return update.is_published and (is_member(user, update.organisation) or can_moderate(user))


def can_view_update(user: User, update: Update) -> bool:
    """Published updates are public. Unpublished ones: the writing organisation's members, and
    moderators once it is submitted (or returned, to follow up)."""
    if update.is_published:
        return True
    if is_member(user, update.organisation):
        return True
    return update.state != "draft" and can_moderate(user)
