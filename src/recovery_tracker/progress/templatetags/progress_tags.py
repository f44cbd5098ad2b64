"""Template filters for progress pages."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from recovery_tracker.progress.rendering import markdown_render

register = template.Library()

# GOV.UK tag colours per status: a reader sees the status by word first, colour second.
STATUS_COLOURS = {
    "not_assessed": "govuk-tag--grey",
    "not_started": "govuk-tag--light-blue",
    "planned": "govuk-tag--blue",
    "in_progress": "govuk-tag--turquoise",
    "partly_delivered": "govuk-tag--yellow",
    "delivered": "govuk-tag--green",
    "stalled": "govuk-tag--orange",
    "reversed": "govuk-tag--red",
}
RESPONSE_COLOURS = {
    "no_response": "govuk-tag--grey", "accepted": "govuk-tag--green", "partly_accepted": "govuk-tag--yellow",
    "rejected": "govuk-tag--red", "noted": "govuk-tag--blue",
}


@register.filter
def markdown(text: str) -> SafeString:
    return markdown_render(text)


@register.filter
def status_colour(key: str) -> str:
    return STATUS_COLOURS.get(key or "not_assessed", "govuk-tag--grey")


@register.filter
def response_colour(key: str) -> str:
    return RESPONSE_COLOURS.get(key or "no_response", "govuk-tag--grey")


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"
