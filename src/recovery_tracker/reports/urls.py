from django.urls import path

from recovery_tracker.reports import views

urlpatterns = [
    path("plans/<slug:plan_slug>/report.<str:fmt>", views.report_download, name="report-download"),
    path("plans/<slug:plan_slug>/publications/", views.publications, name="report-publications"),
    path("publications/<int:pk>/report.<str:fmt>", views.publication_file, name="report-publication-file"),
]
