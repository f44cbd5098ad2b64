"""Markdown written by users, rendered and then sanitised (never trusted as HTML)."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4",
                "table", "thead", "tbody", "tr", "th", "td", "hr"}


def markdown_render(text: str) -> SafeString:
    """Markdown → HTML → only the tags above survive; links get rel="noopener noreferrer nofollow"."""
    html = markdown_lib.markdown(text or "", extensions=["tables"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                      url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
