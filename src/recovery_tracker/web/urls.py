"""Top-level URLs: every app's ``urls.py``, listed here by hand so a missing one fails loudly."""

from django.contrib import admin
from django.urls import include, path

from recovery_tracker.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("recovery_tracker.accounts.urls")),
    path("", include("recovery_tracker.progress.urls")),
    path("", include("recovery_tracker.indicators.urls")),
    path("", include("recovery_tracker.measures.urls")),
    path("", include("recovery_tracker.reports.urls")),
    path("", include("recovery_tracker.search.urls")),
    # Last: the catalogue's pages include the site's home page and the widest patterns.
    path("", include("recovery_tracker.catalogue.urls")),
]
