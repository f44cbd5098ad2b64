from django.urls import path

from recovery_tracker.reports import views

urlpatterns = [
    path("plans/<slug:plan_slug>/report.<str:fmt>", views.report_download, name="report-download"),
]
