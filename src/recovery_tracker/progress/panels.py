"""Panels this app fills on catalogue pages (listed in ``web/pages.py``): each body's account and the
latest evidence on a recommendation page, and an organisation's recommendations with their states.
The roll-up and flag panels live beside their own page in ``more_action_views.py``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.progress import selectors
from recovery_tracker.progress.forms import writer_choices


def recommendation_panel(request: HttpRequest, recommendation: Recommendation) -> Panel:
    state = selectors.recommendation_state_as_at(recommendation)
    evidence = [u for u in state.updates if u.voice == "evidence"][:5]
    return Panel("progress/_recommendation_panel.html", {
        "state": state, "rec": recommendation, "evidence": evidence,
        "can_draft": bool(writer_choices(request.user, recommendation)),
    })


def organisation_panel(request: HttpRequest, organisation: Organisation) -> Panel | None:
    rows: list[tuple[Any, Any]] = selectors.organisation_states(organisation)
    if not rows:
        return None
    return Panel("progress/_organisation_panel.html", {"rows": rows, "organisation": organisation})

