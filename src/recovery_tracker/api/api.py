"""The JSON API (django-ninja). Schema at /api/openapi.json, browsable at /api/docs.

Each app adds a router in its own ``api.py`` exposing ``router``; apps still being built are optional.
"""

from importlib import import_module

from ninja import NinjaAPI

from recovery_tracker import __version__
from recovery_tracker.web.bootstrap import module_exists

api = NinjaAPI(
    title="Recovery Tracker API",
    version=__version__,
    description="The plan as data, progress, indicators and measures. Reads are public; writes need a token.",
    urls_namespace="api",
)

for _app in ("catalogue", "progress", "indicators", "measures", "reports"):
    if module_exists(f"recovery_tracker.{_app}.api"):
        api.add_router("/", import_module(f"recovery_tracker.{_app}.api").router)
