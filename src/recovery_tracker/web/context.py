"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

# The service navigation: (label, URL name), in this order.
NAV_ITEMS: tuple[tuple[str, str], ...] = (
    ("Plans", "plan-list"),
    ("Updates", "progress-updates"),
    ("Where more action is needed", "more-action"),
    ("Indicators", "indicator-list"),
    ("Checks", "measures:index"),
)


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.RECOVERY_TRACKER["SITE_NAME"], "nav_items": NAV_ITEMS}
