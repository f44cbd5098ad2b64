"""Atom feeds of published updates, per plan, per recommendation and per organisation.

Only published updates appear, newest published first; a correction appears as its own entry.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import organisation_with_predecessors
from recovery_tracker.engine.safe_text import markdown_to_html
from recovery_tracker.progress.exports import update_url
from recovery_tracker.progress.models import State, Update
from recovery_tracker.progress.vocabulary import status_term

__all__ = ["FEED_LENGTH", "OrganisationFeed", "PlanFeed", "RecommendationFeed"]

FEED_LENGTH = 50
FEED_NARRATIVE_CHARS = 1000


def _published() -> QuerySet[Update]:
    return Update.objects.filter(state=State.PUBLISHED).select_related(
        "recommendation__plan", "organisation", "body", "author").order_by("-published_at", "-id")


class _UpdateFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Update) -> str:
        about = f" on {item.body.label}" if item.body and item.body != item.organisation else ""
        headline = item.title or (f"Status: {status_term(item.recommendation.plan, item.status)['label']}"
                                  if item.status else item.get_voice_display())
        prefix = "Correction: " if item.corrects_id else ""
        return f"{prefix}{item.recommendation.slug} – {headline} ({item.organisation.label}{about})"

    def item_description(self, item: Update) -> str:
        """HTML for ``<summary type="html">``: feed readers render it, so every word people typed
        goes through the one sanitiser and every other value is escaped."""
        line = f"{item.get_voice_display()} by {item.organisation.name}, dated {item.date_display}."
        if item.status:
            line += f" Status: {status_term(item.recommendation.plan, item.status)['label']}."
        narrative = markdown_to_html(item.narrative[:FEED_NARRATIVE_CHARS]) if item.narrative else ""
        return f"<p>{escape(line)}</p>{narrative}"

    def item_link(self, item: Update) -> str:
        return update_url(item)

    def item_guid(self, item: Update) -> str:
        return f"update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Update) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Update) -> dt.datetime | None:
        return item.published_at

    def item_author_name(self, item: Update) -> str:
        return item.organisation.name


class PlanFeed(_UpdateFeed):
    def get_object(self, request: HttpRequest, plan_slug: str) -> Plan:
        return get_object_or_404(Plan, slug=plan_slug)

    def title(self, obj: Plan) -> str:
        return f"Progress updates: {obj.title}"

    def link(self, obj: Plan) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Plan) -> str:
        return f"Every published update on the recommendations of {obj.title}."

    def items(self, obj: Plan) -> QuerySet[Update]:
        return _published().filter(recommendation__plan=obj)[:FEED_LENGTH]


class RecommendationFeed(_UpdateFeed):
    def get_object(self, request: HttpRequest, plan_slug: str, rec_slug: str) -> Recommendation:
        return get_object_or_404(Recommendation, plan__slug=plan_slug, slug=rec_slug)

    def title(self, obj: Recommendation) -> str:
        return f"Progress updates: {obj.slug} {obj.title}"

    def link(self, obj: Recommendation) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Recommendation) -> str:
        return f"Every published update on recommendation {obj.slug} of {obj.plan.title}."

    def items(self, obj: Recommendation) -> QuerySet[Update]:
        return _published().filter(recommendation=obj)[:FEED_LENGTH]


class OrganisationFeed(_UpdateFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Organisation:
        return get_object_or_404(Organisation, slug=slug)

    def title(self, obj: Organisation) -> str:
        return f"Progress updates: {obj.name}"

    def link(self, obj: Organisation) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Organisation) -> str:
        return f"Published updates written by or about {obj.name} (and bodies it took over)."

    def items(self, obj: Organisation) -> QuerySet[Update]:
        bodies = organisation_with_predecessors(obj)
        return _published().filter(Q(organisation__in=bodies) | Q(body__in=bodies))[:FEED_LENGTH]
