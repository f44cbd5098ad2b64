"""Extension points, so each app adds its parts of shared pages without editing them.

An app registers in its ``AppConfig.ready()``:
- ``NAV_ITEMS``: (label, url name) pairs for the service navigation;
- ``PANELS[page]``: callables ``(request, obj) -> Panel | None`` for the pages "plan",
  "recommendation", "organisation" and "section". Panels render in registration order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


PanelProvider = Callable[[HttpRequest, Any], Panel | None]

NAV_ITEMS: list[tuple[str, str]] = []
PANELS: dict[str, list[PanelProvider]] = {"plan": [], "recommendation": [], "organisation": [], "section": []}


def nav_item_add(label: str, url_name: str) -> None:
    if (label, url_name) not in NAV_ITEMS:
        NAV_ITEMS.append((label, url_name))


def panel_add(page: str, provider: PanelProvider) -> None:
    if provider not in PANELS[page]:
        PANELS[page].append(provider)


def panels_for(page: str, request: HttpRequest, obj: Any) -> list[Panel]:
    panels = [panel for provider in PANELS[page] if (panel := provider(request, obj)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
