"""Progress URLs: the update workflow, then the bulk and open-data side ("where more action is
needed", import, exports, feeds)."""

from django.urls import path

from recovery_tracker.progress import bulk_views, feeds, more_action_views, views
from recovery_tracker.progress.plans_overview import plans_list

urlpatterns = [
    path("plans/", plans_list, name="plan-list"),
    path("updates/", views.updates_list, name="progress-updates"),
    path("updates/mine/", views.my_drafts, name="progress-my-drafts"),
    path("updates/yours/", views.can_update, name="progress-can-update"),
    path("updates/moderation/", views.moderation_queue, name="progress-moderation"),
    path("updates/<int:pk>/", views.update_detail, name="progress-update"),
    path("updates/<int:pk>/edit/", views.update_edit, name="progress-update-edit"),
    path("updates/<int:pk>/submit/", views.update_submit, name="progress-update-submit"),
    path("updates/<int:pk>/publish/", views.update_publish, name="progress-update-publish"),
    path("updates/<int:pk>/return/", views.update_return, name="progress-update-return"),
    path("updates/<int:pk>/correct/", views.update_correct, name="progress-update-correct"),
    path("updates/<int:pk>/discard/", views.update_delete, name="progress-update-delete"),
    path("documents/<int:pk>/", views.document_download, name="progress-document"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/updates/new/", views.update_new,
         name="progress-update-new"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/history/", views.recommendation_history,
         name="progress-history"),
    path("progress/method/", views.progress_method, name="progress-method"),
    path("more-action/", more_action_views.more_action_page, name="more-action"),
    path("plans/<slug:plan_slug>/more-action/", more_action_views.more_action_page, name="more-action-plan"),
    path("progress/import/", bulk_views.import_updates, name="progress-import"),
    path("progress/import/<uuid:result_id>/", bulk_views.import_status, name="progress-import-status"),
    path("progress/export.csv", bulk_views.export_csv, name="progress-export-csv"),
    path("progress/export.json", bulk_views.export_json, name="progress-export-json"),
    path("plans/<slug:plan_slug>/feed/", feeds.PlanFeed(), name="feed-plan"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/feed/", feeds.RecommendationFeed(),
         name="feed-recommendation"),
    path("organisations/<slug:slug>/feed/", feeds.OrganisationFeed(), name="feed-organisation"),
]
