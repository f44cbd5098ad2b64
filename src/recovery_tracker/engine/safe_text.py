"""One sanitiser for text people type (narratives, titles, link titles, reasons), for every output.

User text is stored as written. Each output makes it safe for its own format, always through one
of these functions, so a narrative holding ``<img src=x onerror=...>``, a ``javascript:`` link,
``<script>`` or a spreadsheet formula is inert wherever it ends up:

- HTML pages, the PDF and Atom feeds: :func:`markdown_to_html` (Markdown, then nh3 keeps only a
  short list of tags and http/https/mailto links);
- plain text (titles, excerpts): :func:`plain_text`, then the output's own escaping;
- the Markdown report: :func:`markdown_escape` and :func:`safe_url`;
- CSV: :func:`csv_cell` (OWASP "CSV injection": formula prefixes neutralised with a quote);
- JSON: :func:`json_dumps` (``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so the document
  cannot be read as HTML even if embedded or served wrongly; any JSON parser reads the same text).

Pure Python (no Django), so every layer can use it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3

__all__ = [
    "ALLOWED_TAGS", "FORMULA_PREFIXES", "URL_SCHEMES", "csv_cell", "csv_uncell", "json_dumps", "json_escape",
    "markdown_escape", "markdown_to_html", "plain_text", "safe_url",
]

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre", "h3", "h4",
                          "table", "thead", "tbody", "tr", "th", "td", "hr"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_WHITESPACE = re.compile(r"\s+")
# Characters that Markdown (CommonMark + GitHub tables) would read as syntax.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~])")


def markdown_to_html(text: str | None) -> str:
    """Markdown → HTML → only ``ALLOWED_TAGS`` survive, with no attributes but a link's ``href``
    and ``title``; links must be http, https or mailto and get rel="noopener noreferrer nofollow".
    Scripts, event handlers, images, styles and ``javascript:`` links are dropped."""
    rendered = markdown_lib.markdown(text or "", extensions=["tables"], output_format="html")
    return nh3.clean(rendered, tags=set(ALLOWED_TAGS), attributes={"a": {"href", "title"}},
                     url_schemes=set(URL_SCHEMES), link_rel="noopener noreferrer nofollow",
                     clean_content_tags={"script", "style"})


def plain_text(text: str | None, *, limit: int | None = None) -> str:
    """The words of Markdown or HTML text, with every tag removed and white space collapsed, cut
    at ``limit`` characters (on a word boundary, with "…"). The result is text, not HTML: each
    output still escapes it for its own format."""
    stripped = nh3.clean(markdown_to_html(text), tags=set(), clean_content_tags={"script", "style"})
    words = _WHITESPACE.sub(" ", html.unescape(stripped)).strip()
    if limit is not None and len(words) > limit:
        words = words[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"
    return words


def safe_url(url: str | None) -> str:
    """``url`` if it is an http, https or mailto address, else "" (``javascript:``, ``data:``,
    relative or malformed addresses are never written out as links)."""
    candidate = (url or "").strip()
    try:
        scheme = urlsplit(candidate).scheme.lower()
    except ValueError:
        return ""
    if scheme not in URL_SCHEMES or any(ch in candidate for ch in "\x00\n\r\t <>\"'`"):
        return ""
    return candidate


def markdown_escape(text: str | None) -> str:
    """User text made literal inside a Markdown document: HTML characters become entities (so no
    tag survives any Markdown renderer) and Markdown syntax characters are backslash-escaped (so
    no link, image or emphasis can be made); line breaks become spaces."""
    escaped = html.escape(_WHITESPACE.sub(" ", text or "").strip(), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def csv_cell(value: object) -> str:
    """One CSV cell, safe to open in a spreadsheet: text starting with = + - @ (or a tab or
    carriage return) is prefixed with a quote so it is shown, never run. Numbers are left alone so
    negative figures stay numbers; ``None`` is empty; booleans are true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_uncell(text: str) -> str:
    """The inverse of :func:`csv_cell` for text read back from our own CSV: a quote that guards a
    formula prefix is removed, so an exported title imports as it was written."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def json_escape(text: str) -> str:
    """Already-encoded JSON with ``<``, ``>``, ``&`` and the two JavaScript line separators written
    as escapes. These characters only ever occur inside JSON strings, so the values read back
    unchanged, but no tag is ever present in the bytes."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def json_dumps(data: Any, *, indent: int | None = 2) -> str:
    """JSON text for exports, through :func:`json_escape`."""
    return json_escape(json.dumps(data, indent=indent, ensure_ascii=False))
