"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

# The service navigation: (label, URL name), in this order.
NAV_ITEMS: tuple[tuple[str, str], ...] = (
    ("Plans", "plan-list"),
    ("Updates", "progress-updates"),
    ("Where more action is needed", "more-action"),
    ("Indicators", "indicator-list"),
    ("Checks", "measures:index"),
)


def _default_plan() -> object:
    from recovery_tracker.catalogue.selectors import plan_default

    return plan_default()


def site(request: HttpRequest) -> dict[str, object]:
    # Lazy: only pages that name the plan's feed (those without a plan of their own) ask for it.
    name = settings.RECOVERY_TRACKER["SITE_NAME"]
    # Templates use service_name: Django's sign-in view sets its own site_name to the host name.
    return {"site_name": name, "service_name": name, "nav_items": NAV_ITEMS,
            "default_plan": SimpleLazyObject(_default_plan)}
