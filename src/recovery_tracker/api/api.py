"""The JSON API (django-ninja). Schema at /api/openapi.json; a guide in the site's layout at /api/docs
(``api/views.py``) and the interactive explorer (Swagger UI, needs JavaScript) at /api/explorer.

Each app keeps its endpoints in its own ``api.py`` as ``router``; they are all listed here.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from recovery_tracker import __version__
from recovery_tracker.catalogue.api import router as catalogue_router
from recovery_tracker.engine.safe_text import json_escape
from recovery_tracker.indicators.api import router as indicators_router
from recovery_tracker.progress.api import router as progress_router
from recovery_tracker.reports.api import router as reports_router


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
    docs_url="/explorer",
)


@api.exception_handler(ValidationError)
def _invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 in the shape every documented problem has: ``detail`` in words, ``errors`` per field."""
    errors = {".".join(str(part) for part in item.get("loc", ())[1:]) or "request": str(item.get("msg", ""))
              for item in error.errors}
    detail = "; ".join(f"{field}: {message}" for field, message in errors.items()) or "The request is not valid."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


api.add_router("/", catalogue_router)
api.add_router("/", progress_router)
api.add_router("/", indicators_router)
api.add_router("/", reports_router)
