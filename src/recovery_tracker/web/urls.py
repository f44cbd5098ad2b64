"""Top-level URLs: every app's ``urls.py``, listed here by hand so a missing one fails loudly, and the
shared pages of ``web/pages.py``."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from recovery_tracker.accounts.views import LoginView
from recovery_tracker.api import views as api_views
from recovery_tracker.api.api import api
from recovery_tracker.web import pages


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the page benchmark's floor: Django answering, nothing else."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The admin's sign-in is the site's: the same throttling, audit and second factor.
    path("admin/login/", LoginView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    # The API's guide, inside the site's layout, before the API's own URLs.
    path("api/docs", api_views.api_guide, name="api-docs"),
    path("api/", api.urls),
    path("", include("recovery_tracker.accounts.urls")),
    path("", include("recovery_tracker.progress.urls")),
    path("", include("recovery_tracker.indicators.urls")),
    path("", include("recovery_tracker.measures.urls")),
    path("", include("recovery_tracker.outreach.urls")),
    path("", include("recovery_tracker.reports.urls")),
    path("", include("recovery_tracker.search.urls")),
    # The catalogue's pages: those other apps add panels to, then the catalogue's own.
    path("", pages.home, name="home"),
    path("plans/<slug:plan_slug>/", pages.plan_home, name="plan"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/", pages.recommendation_detail,
         name="recommendation"),
    path("organisations/<slug:slug>/", pages.organisation_detail, name="organisation"),
    path("", include("recovery_tracker.catalogue.urls")),
]
