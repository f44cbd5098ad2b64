"""Top-level URLs. Each app contributes its own ``urls.py``; apps still being built are optional."""

from django.contrib import admin
from django.urls import include, path

from recovery_tracker.api.api import api
from recovery_tracker.web.bootstrap import module_exists

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("recovery_tracker.search.urls")),
]
for _app in ("accounts", "progress", "indicators", "measures", "reports"):
    if module_exists(f"recovery_tracker.{_app}.urls"):
        urlpatterns.append(path("", include(f"recovery_tracker.{_app}.urls")))
urlpatterns.append(path("", include("recovery_tracker.catalogue.urls")))
