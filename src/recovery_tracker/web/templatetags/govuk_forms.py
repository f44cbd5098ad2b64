"""Filters and tags for the GOV.UK form partials in ``templates/forms/`` (``{% load govuk_forms %}``).

The partials take plain values: the error summary a list of ``(anchor id, message)`` pairs, each
field its ``id``, ``name``, ``label``, ``hint``, ``error`` and ``value``. These turn what the views
hand over (a bound Django form, a dict of errors, one message) into those values. Registered in
``TEMPLATES["OPTIONS"]["libraries"]`` (``web/settings.py``): ``web`` is not an app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms, template
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

Pairs = list[tuple[str, str]]


@register.filter
def form_errors(form: forms.BaseForm, non_field_anchor: str = "main-content") -> Pairs:
    """A bound form's errors as error summary pairs: errors not about one field first, linked to
    ``non_field_anchor``, then each field's, linked to its input's id."""
    pairs: Pairs = [(non_field_anchor, str(error)) for error in form.non_field_errors()]
    for field in form:
        pairs += [(field.id_for_label, str(error)) for error in field.errors]
    return pairs


@register.filter
def keyed_errors(errors: Mapping[str, Any] | Iterable[tuple[str, Any]], prefix: str = "") -> Pairs:
    """Errors keyed by field name (a dict, or a list of pairs in page order) as error summary pairs,
    each anchor the field name after ``prefix``: ``{"email": "Enter…"}|keyed_errors:"field-"``."""
    items = errors.items() if isinstance(errors, Mapping) else errors or ()
    return [(f"{prefix}{key}", str(message)) for key, message in items]


@register.filter
def errors_at(messages: Any, anchor: str) -> Pairs:
    """One message, or a list of them, as error summary pairs that all link to ``anchor``."""
    return [(anchor, message) for message in error_messages(messages)]


@register.filter
def error_messages(error: Any) -> list[str]:
    """A field's ``error`` as a list of messages: nothing, one message, or a list (a Django ErrorList)."""
    if not error:
        return []
    if isinstance(error, str | Promise):
        return [str(error)]
    return [str(message) for message in error]


@register.simple_tag
def described_by(base: str, hint: Any, error: Any) -> SafeString | str:
    """`` aria-describedby="<base>-hint <base>-error"``, naming the hint and the error message a
    field has (the ids the partials give them), or nothing when it has neither."""
    ids = [f"{base}-{part}" for part, present in (("hint", hint), ("error", error)) if present]
    return format_html(' aria-describedby="{}"', " ".join(ids)) if ids else ""


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        # Rendered with autoescape like any template text, so already safe to output.
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    """``{% capture as name %}text with {{ variables }}{% endcapture %}``: the rendered text in
    ``name``, for a partial's ``hint``, ``title`` or ``description`` built from values (an include's
    ``with`` takes one value each, not text around them)."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
