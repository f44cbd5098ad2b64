"""Markdown written by users, rendered and then sanitised (never trusted as HTML)."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from recovery_tracker.engine.safe_text import ALLOWED_TAGS, markdown_to_html

__all__ = ["ALLOWED_TAGS", "markdown_render"]


def markdown_render(text: str) -> SafeString:
    """The one sanitiser (``engine.safe_text.markdown_to_html``), marked safe for templates."""
    return mark_safe(markdown_to_html(text))  # noqa: S308 - sanitised by nh3 in markdown_to_html
