"""Panels this app adds to shared pages (recommendation, organisation), and its navigation item."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.selectors import group_members
from recovery_tracker.progress import rollup_data, selectors
from recovery_tracker.progress.forms import writer_choices
from recovery_tracker.web.extensions import Panel, nav_item_add, panel_add


def recommendation_panel(request: HttpRequest, recommendation: Recommendation) -> Panel:
    state = selectors.recommendation_state_as_at(recommendation)
    evidence = [u for u in state.updates if u.voice == "evidence"][:5]
    return Panel("progress/_recommendation_panel.html", {
        "state": state, "rec": recommendation, "evidence": evidence,
        "can_draft": bool(writer_choices(request.user, recommendation)),
    }, order=20)


def organisation_panel(request: HttpRequest, organisation: Organisation) -> Panel | None:
    """The organisation page's summary, then each recommendation once with its roles as labels; for a
    group, its members side by side. ``lists_recommendations`` tells the page not to list them again."""
    rows = selectors.organisation_recommendations(organisation)
    if not rows:
        return None
    flags = rollup_data.organisation_flags(organisation, [row.recommendation for row in rows])
    members = group_members(organisation)
    all_flags = [f for found in flags.values() for f in found]
    return Panel("progress/_organisation_panel.html", {
        "organisation": organisation,
        "rows": [(row, flags.get(row.recommendation.pk, [])) for row in rows],
        "summary": selectors.organisation_summary(organisation, rows),
        "flagged_count": len(flags), "flag_count": len(all_flags),
        "stronger_policy": [f for f in all_flags if f.stronger_policy],
        "members": members,
        "member_summaries": _member_summaries(members, rows, flags) if members else [],
        "plan": rows[0].recommendation.plan,
        "lists_recommendations": True,
    }, order=5)


def _member_summaries(members: list[Organisation], rows: list[selectors.OrganisationRecommendation],
                      flags: dict[int, list[Any]]) -> list[dict[str, Any]]:
    """One line per member of a group, to compare them: responses given, statuses, flags."""
    out = []
    for member in members:
        states = [m for row in rows for m in row.primary.members if m.body.pk == member.pk]
        out.append({
            "member": member,
            "responded": sum(1 for m in states
                             if m.self_report.response != "no_response" and not m.self_report.from_group),
            "own_updates": sum(m.self_report.update_count + m.assessment.update_count for m in states),
            "assessed": sum(1 for m in states if m.current.assessed),
            "flags": sum(1 for found in flags.values() for f in found if f.organisation == member.slug),
            "stronger_policy": sum(1 for found in flags.values() for f in found
                                   if f.organisation == member.slug and f.stronger_policy),
            "latest": selectors.latest_activity(member),
        })
    return out


def register() -> None:
    nav_item_add("Updates", "progress-updates")
    panel_add("recommendation", recommendation_panel)
    panel_add("organisation", organisation_panel)
    # The roll-up and "where more action is needed" panels live beside their own views.
    from recovery_tracker.progress.more_action_views import register_extensions

    register_extensions()
