"""URLs of the bulk and open-data side: "where more action is needed", import, exports, feeds.

Included by ``progress/urls.py``.
"""

from django.urls import path

from recovery_tracker.progress import bulk_views, feeds, more_action_views

urlpatterns = [
    path("more-action/", more_action_views.more_action_page, name="more-action"),
    path("plans/<slug:plan_slug>/more-action/", more_action_views.more_action_page, name="more-action-plan"),
    path("progress/import/", bulk_views.import_updates, name="progress-import"),
    path("progress/export.csv", bulk_views.export_csv, name="progress-export-csv"),
    path("progress/export.json", bulk_views.export_json, name="progress-export-json"),
    path("plans/<slug:plan_slug>/feed/", feeds.PlanFeed(), name="feed-plan"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/feed/", feeds.RecommendationFeed(),
         name="feed-recommendation"),
    path("organisations/<slug:slug>/feed/", feeds.OrganisationFeed(), name="feed-organisation"),
]
