from django.urls import path

from recovery_tracker.indicators import views

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/import/", views.indicator_import, name="indicator-import"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:slug>/chart.svg", views.indicator_chart, name="indicator-chart"),
]
