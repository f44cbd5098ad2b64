"""Panels this app fills on catalogue pages (listed in ``web/pages.py``): each body's account and the
latest evidence on a recommendation page, and an organisation's recommendations with their states.
The roll-up and flag panels live beside their own page in ``more_action_views.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.panels import Panel
from recovery_tracker.catalogue.selectors import group_members
from recovery_tracker.progress import rollup_data, selectors
from recovery_tracker.progress.forms import writer_choices

EVIDENCE_SHOWN = 10


def _has_published(body: selectors.BodyState) -> bool:
    """A body "has said something" when it or an assessor published about it, or its group did."""
    own = body.self_report.update_count + body.assessment.update_count > 0
    via_group = body.self_report.from_group and (
        body.self_report.assessed or body.self_report.response != "no_response")
    return own or via_group


@dataclass(frozen=True)
class StateRow:
    """One row of "where each body stands": bodies whose state reads the same are one row."""

    bodies: tuple[selectors.BodyState, ...]
    latest: Any

    @property
    def state(self) -> selectors.BodyState:
        return self.bodies[0]


def _rows_alike_together(bodies: list[selectors.BodyState]) -> list[StateRow]:
    """Bodies with the same response, statuses, flags and reasons share a row, so a recommendation with
    many bodies still fits its table on one screen (the same assessment of five bodies is one line)."""
    groups: dict[tuple[Any, ...], list[selectors.BodyState]] = {}
    for body in bodies:
        own, assessed = body.self_report, body.assessment
        # The same words too: the row shows one set of reasons for all its bodies.
        key = (own.response, own.status, own.overdue, own.from_group, assessed.status, assessed.overdue,
               own.status_since, assessed.status_since,
               getattr(own.latest, "narrative", None), getattr(assessed.latest, "narrative", None))
        groups.setdefault(key, []).append(body)
    rows = []
    for members in groups.values():
        dated = [b.latest_update for b in members if b.latest_update is not None]
        rows.append(StateRow(tuple(members), max(dated, key=lambda u: (u.date, u.pk)) if dated else None))
    return rows


def recommendation_panel(request: HttpRequest, recommendation: Recommendation) -> Panel:
    """What matters first on a recommendation: one table of where each body stands (bodies with
    nothing published collapse into one line naming them), status changes over time, then the
    evidence, newest first."""
    state = selectors.recommendation_state_as_at(recommendation)
    bodies = state.answering_bodies
    choices = writer_choices(request.user, recommendation)
    changes = [entry for entry in selectors.recommendation_history(recommendation)
               if entry.status_changed and not entry.corrected_by]
    changes.sort(key=lambda entry: (entry.update.date, entry.update.published_at), reverse=True)
    return Panel("progress/_recommendation_panel.html", {
        "state": state, "rec": recommendation,
        "reported": _rows_alike_together([b for b in bodies if _has_published(b)]),
        "silent": [b for b in bodies if not _has_published(b)],
        "changes": changes,
        "evidence": state.updates[:EVIDENCE_SHOWN], "more_evidence": max(0, len(state.updates) - EVIDENCE_SHOWN),
        "can_draft": bool(choices),
        # A body's member can reply to the assessment in the body's own-account voice, shown beside it.
        "reply_bodies": {c.body.pk for c in choices if c.voice == "self_report" and c.body is not None},
    })


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
    })


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

