"""Top-level URLs: every app's ``urls.py``, listed here by hand so a missing one fails loudly."""

from django.contrib import admin
from django.urls import include, path

from recovery_tracker.accounts.views import LoginView
from recovery_tracker.api.api import api

urlpatterns = [
    # The admin's sign-in is the site's: the same throttling, audit and second factor.
    path("admin/login/", LoginView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("recovery_tracker.accounts.urls")),
    path("", include("recovery_tracker.progress.urls")),
    path("", include("recovery_tracker.indicators.urls")),
    path("", include("recovery_tracker.measures.urls")),
    path("", include("recovery_tracker.reports.urls")),
    # Last: the catalogue's pages include the site's home page and the widest patterns.
    path("", include("recovery_tracker.catalogue.urls")),
]
