"""The JSON API (django-ninja). Schema at /api/openapi.json, browsable at /api/docs.

Each app adds a router in its own ``api.py`` exposing ``router``; apps still being built are optional.
"""

from importlib import import_module
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from recovery_tracker import __version__
from recovery_tracker.engine.safe_text import json_escape
from recovery_tracker.web.bootstrap import module_exists


class SafeJSONRenderer(JSONRenderer):
    """Every API answer goes through the one sanitiser's JSON escaping (no ``<`` in the bytes)."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json_escape(super().render(request, data, response_status=response_status))


api = NinjaAPI(
    title="Recovery Tracker API",
    version=__version__,
    description="The plan as data, progress, indicators and measures. Reads are public; writes need a token.",
    urls_namespace="api",
    renderer=SafeJSONRenderer(),
)

for _app in ("catalogue", "progress", "indicators", "measures", "reports"):
    if module_exists(f"recovery_tracker.{_app}.api"):
        api.add_router("/", import_module(f"recovery_tracker.{_app}.api").router)
