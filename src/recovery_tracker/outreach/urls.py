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
]
