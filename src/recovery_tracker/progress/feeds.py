"""Atom feeds of published updates, per plan, per recommendation and per organisation.

Only published updates appear, newest published first; a correction appears as its own entry.
Feeds are complete: ``FEED_LENGTH`` entries a page, with RFC 5005 paging links ("first", "next",
"previous", "last") so a reader can fetch the whole archive. Entry ids are permanent ``tag:`` URIs
(RFC 4151) that do not change with the host the site is served from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from recovery_tracker.catalogue.models import Organisation, Plan, Recommendation
from recovery_tracker.catalogue.selectors import organisation_with_predecessors
from recovery_tracker.engine.safe_text import markdown_to_html
from recovery_tracker.progress.exports import update_url
from recovery_tracker.progress.models import State, Update
from recovery_tracker.progress.vocabulary import status_term

__all__ = ["FEED_LENGTH", "OrganisationFeed", "PlanFeed", "RecommendationFeed", "tag_uri"]

FEED_LENGTH = 50
FEED_NARRATIVE_CHARS = 1000


def tag_uri(specific: str, date: dt.date) -> str:
    """``tag:AUTHORITY,DATE:SPECIFIC`` (RFC 4151). The authority is a setting, not the request's
    host, so an entry keeps its id when the site moves or is served under another name."""
    authority = settings.RECOVERY_TRACKER.get("TAG_AUTHORITY", "recovery-tracker.invalid")
    return f"tag:{authority},{date:%Y-%m-%d}:{specific}"


@dataclass(frozen=True)
class FeedPage:
    """The thing a feed is about, and which page of it was asked for."""

    obj: Any
    page: int
    path: str  # absolute address of page 1, for the paging links
    local_path: str  # the path alone, for the feed's permanent id


class PagedAtomFeed(Atom1Feed):
    """Atom with RFC 5005 paging links at the feed level."""

    def __init__(self, *args: Any, paging: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paging = paging or {}

    def add_root_elements(self, handler: Any) -> None:
        super().add_root_elements(handler)
        for rel, href in self.paging.items():
            handler.addQuickElement("link", "", {"rel": rel, "href": href, "type": "application/atom+xml"})


def _published() -> QuerySet[Update]:
    return Update.objects.filter(state=State.PUBLISHED).select_related(
        "recommendation__plan", "organisation", "body", "author").order_by("-published_at", "-id")


class _UpdateFeed(Feed):
    feed_type = PagedAtomFeed

    def about(self, request: HttpRequest, **kwargs: Any) -> Any:
        raise NotImplementedError

    def updates(self, obj: Any) -> QuerySet[Update]:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, **kwargs: Any) -> FeedPage:
        try:
            page = int(request.GET.get("page", "1"))
        except ValueError:
            raise Http404("The page must be a whole number, like ?page=2.") from None
        return FeedPage(obj=self.about(request, **kwargs), page=page,
                         path=request.build_absolute_uri(request.path), local_path=request.path)

    def _page(self, target: FeedPage) -> Any:
        try:
            return Paginator(self.updates(target.obj), FEED_LENGTH).page(target.page)
        except (EmptyPage, PageNotAnInteger):
            raise Http404("There is no such page of this feed.") from None

    def items(self, target: FeedPage) -> list[Update]:
        return list(self._page(target).object_list)

    def feed_extra_kwargs(self, target: FeedPage) -> dict[str, Any]:
        page = self._page(target)
        last = page.paginator.num_pages
        links = {"first": target.path, "last": f"{target.path}?page={last}" if last > 1 else target.path}
        if page.has_next():
            links["next"] = f"{target.path}?page={page.next_page_number()}"
        if page.has_previous():
            previous = page.previous_page_number()
            links["previous"] = target.path if previous == 1 else f"{target.path}?page={previous}"
        if target.page > 1:
            links["current"] = f"{target.path}?page={target.page}"
        return {"paging": links}

    def title(self, target: FeedPage) -> str:
        return self.feed_title(target.obj)

    def link(self, target: FeedPage) -> str:
        return target.obj.get_absolute_url()

    def subtitle(self, target: FeedPage) -> str:
        return self.feed_subtitle(target.obj)

    def feed_guid(self, target: FeedPage) -> str:
        return tag_uri(f"feed{target.local_path}", dt.date(2026, 1, 1))

    def feed_title(self, obj: Any) -> str:
        raise NotImplementedError

    def feed_subtitle(self, obj: Any) -> str:
        raise NotImplementedError

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
        published = item.published_at.date() if item.published_at else item.date
        return tag_uri(f"update/{item.pk}", published)

    item_guid_is_permalink = False

    def item_pubdate(self, item: Update) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Update) -> dt.datetime | None:
        return item.published_at

    def item_author_name(self, item: Update) -> str:
        return item.organisation.name


class PlanFeed(_UpdateFeed):
    def about(self, request: HttpRequest, **kwargs: Any) -> Plan:
        return get_object_or_404(Plan, slug=kwargs["plan_slug"])

    def feed_title(self, obj: Plan) -> str:
        return f"Progress updates: {obj.title}"

    def feed_subtitle(self, obj: Plan) -> str:
        return f"Every published update on the recommendations of {obj.title}."

    def updates(self, obj: Plan) -> QuerySet[Update]:
        return _published().filter(recommendation__plan=obj)


class RecommendationFeed(_UpdateFeed):
    def about(self, request: HttpRequest, **kwargs: Any) -> Recommendation:
        return get_object_or_404(Recommendation, plan__slug=kwargs["plan_slug"], slug=kwargs["rec_slug"])

    def feed_title(self, obj: Recommendation) -> str:
        return f"Progress updates: {obj.slug} {obj.title}"

    def feed_subtitle(self, obj: Recommendation) -> str:
        return f"Every published update on recommendation {obj.slug} of {obj.plan.title}."

    def updates(self, obj: Recommendation) -> QuerySet[Update]:
        return _published().filter(recommendation=obj)


class OrganisationFeed(_UpdateFeed):
    def about(self, request: HttpRequest, **kwargs: Any) -> Organisation:
        return get_object_or_404(Organisation, slug=kwargs["slug"])

    def feed_title(self, obj: Organisation) -> str:
        return f"Progress updates: {obj.name}"

    def feed_subtitle(self, obj: Organisation) -> str:
        return f"Published updates written by or about {obj.name} (and bodies it took over)."

    def updates(self, obj: Organisation) -> QuerySet[Update]:
        bodies = organisation_with_predecessors(obj)
        return _published().filter(Q(organisation__in=bodies) | Q(body__in=bodies))
