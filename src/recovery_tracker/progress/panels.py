"""Panels this app adds to shared pages (recommendation, organisation), and its navigation item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.progress import selectors
from recovery_tracker.progress.forms import writer_choices
from recovery_tracker.web.extensions import Panel, nav_item_add, panel_add


def recommendation_panel(request: HttpRequest, recommendation: Recommendation) -> Panel:
    state = selectors.recommendation_state_as_at(recommendation)
    evidence = [u for u in state.updates if u.voice == "evidence"][:5]
    choices = writer_choices(request.user, recommendation)
    return Panel("progress/_recommendation_panel.html", {
        "state": state, "rec": recommendation, "evidence": evidence, "can_draft": bool(choices),
        # A body's member can reply to the assessment in the body's own-account voice, shown beside it.
        "reply_bodies": {c.body.pk for c in choices if c.voice == "self_report" and c.body is not None},
    }, order=20)


def organisation_panel(request: HttpRequest, organisation: Organisation) -> Panel | None:
    rows: list[tuple[Any, Any]] = selectors.organisation_states(organisation)
    if not rows:
        return None
    return Panel("progress/_organisation_panel.html", {"rows": rows, "organisation": organisation}, order=20)


def register() -> None:
    nav_item_add("Updates", "progress-updates")
    panel_add("recommendation", recommendation_panel)
    panel_add("organisation", organisation_panel)
    # The roll-up and "where more action is needed" panels live beside their own views.
    from recovery_tracker.progress.more_action_views import register_extensions

    register_extensions()
