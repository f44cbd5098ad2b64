"""Outreach URLs: contacts, requests for a response and replies, follows, community reports."""

from django.urls import path

from recovery_tracker.outreach import views

urlpatterns = [
    path("organisations/<slug:slug>/contacts/", views.contacts, name="outreach-contacts"),
    path("contacts/<int:pk>/deactivate/", views.contact_deactivate, name="outreach-contact-deactivate"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/ask/", views.request_new,
         name="outreach-request-new"),
    path("requests/", views.requests_list, name="outreach-requests"),
    path("requests/<int:pk>/remind/", views.request_remind, name="outreach-request-remind"),
    path("respond/<str:token>/", views.respond, name="outreach-respond"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/report/", views.report_new_for_recommendation,
         name="outreach-report-new"),
    path("organisations/<slug:slug>/report/", views.report_new_for_organisation, name="outreach-report-new-org"),
    path("reports/moderation/", views.reports_moderation, name="outreach-reports-moderation"),
    path("reports/<int:pk>/", views.report_detail, name="outreach-report"),
    path("reports/<int:pk>/file/", views.report_file, name="outreach-report-file"),
    path("plans/<slug:plan_slug>/follow/", views.follow_plan, name="outreach-follow-plan"),
    path("plans/<slug:plan_slug>/recommendations/<str:rec_slug>/follow/", views.follow_recommendation,
         name="outreach-follow-recommendation"),
    path("organisations/<slug:slug>/follow/", views.follow_organisation, name="outreach-follow-organisation"),
    path("follow/confirm/<str:token>/", views.follow_confirm, name="outreach-follow-confirm"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="outreach-unsubscribe"),
    path("report-replies/<int:pk>/publish/", views.report_reply_publish, name="outreach-reply-publish"),
]
