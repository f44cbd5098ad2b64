"""Progress URLs. The bulk and open-data parts (import, export, feeds, the "where more action"
page) are owned by their own modules: each may define ``urlpatterns`` in ``progress/bulk_urls.py``
or ``progress/more_action_urls.py``, included here when present, so neither side edits the other."""

from importlib import import_module

from django.urls import include, path

from recovery_tracker.progress import views
from recovery_tracker.progress.plans_overview import plans_list
from recovery_tracker.web.bootstrap import module_exists

urlpatterns = [
    path("plans/", plans_list, name="plan-list"),
    path("updates/", views.updates_list, name="progress-updates"),
    path("updates/mine/", views.my_drafts, name="progress-my-drafts"),
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
]
for _module in ("bulk_urls", "more_action_urls"):
    if module_exists(f"recovery_tracker.progress.{_module}"):
        urlpatterns.append(path("", include(import_module(f"recovery_tracker.progress.{_module}"))))
