"""The JSON API (django-ninja). Schema at /api/openapi.json, browsable at /api/docs.

Each app keeps its endpoints in its own ``api.py`` as ``router``; they are all listed here.
"""

from ninja import NinjaAPI

from recovery_tracker import __version__
from recovery_tracker.catalogue.api import router as catalogue_router
from recovery_tracker.indicators.api import router as indicators_router
from recovery_tracker.progress.api import router as progress_router

api = NinjaAPI(
    title="Recovery Tracker API",
    version=__version__,
    description="The plan as data, progress, indicators and measures. Reads are public; writes need a token.",
    urls_namespace="api",
)

api.add_router("/", catalogue_router)
api.add_router("/", progress_router)
api.add_router("/", indicators_router)
