"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from recovery_tracker.web.extensions import NAV_ITEMS


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.RECOVERY_TRACKER["SITE_NAME"], "nav_items": NAV_ITEMS}
