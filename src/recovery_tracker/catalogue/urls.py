from django.urls import path

from recovery_tracker.catalogue import views

urlpatterns = [
    path("plans/<slug:plan_slug>/recommendations/", views.recommendation_list, name="recommendation-list"),
    path("plans/<slug:plan_slug>/sections/<str:number>/", views.section_detail, name="section"),
    path("plans/<slug:plan_slug>/source/", views.source_text, name="source"),
    path("organisations/", views.organisation_list, name="organisation-list"),
]
