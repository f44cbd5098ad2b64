"""The JSON API (django-ninja). Schema at /api/openapi.json, browsable at /api/docs.

Each app adds a router in its own ``api.py`` exposing ``router``; apps still being built are optional.
"""

from importlib import import_module

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from recovery_tracker import __version__
from recovery_tracker.web.bootstrap import module_exists

api = NinjaAPI(
    title="Recovery Tracker API",
    version=__version__,
    description="The plan as data, progress, indicators and measures. Reads are public; writes need a token.",
    urls_namespace="api",
)



@api.exception_handler(ValidationError)
def _invalid_input(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """422 in the shape every documented problem has: ``detail`` in words, ``errors`` per field."""
    errors = {".".join(str(part) for part in item.get("loc", ())[1:]) or "request": str(item.get("msg", ""))
              for item in error.errors}
    detail = "; ".join(f"{field}: {message}" for field, message in errors.items()) or "The request is not valid."
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


for _app in ("catalogue", "progress", "indicators", "measures", "reports"):
    if module_exists(f"recovery_tracker.{_app}.api"):
        api.add_router("/", import_module(f"recovery_tracker.{_app}.api").router)
