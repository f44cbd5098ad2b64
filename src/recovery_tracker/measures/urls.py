from django.urls import path

from recovery_tracker.measures import views

app_name = "measures"

urlpatterns = [
    path("checks/", views.index, name="index"),
    path("checks/criteria/<str:name>", views.criteria_data, name="criteria-data"),
    path("checks/examples/<str:kind>.csv", views.example_file, name="example"),
    path("checks/save/", views.result_save, name="save"),
    path("checks/moderation/", views.results_moderation, name="moderation"),
    path("checks/pay-gaps/", views.paygap_upload, name="paygap"),
    path("checks/job-guarantee/", views.job_guarantee_upload, name="job-guarantee"),
    path("checks/procurement/", views.procurement_upload, name="procurement"),
    path("checks/employers/", views.employers_upload, name="employers"),
    path("checks/public-interest/", views.public_interest_start, name="public-interest-start"),
    path("checks/public-interest/restart/", views.public_interest_restart, name="public-interest-restart"),
    path("checks/public-interest/about/", views.public_interest_about, name="public-interest-about"),
    path("checks/public-interest/criteria/<slug:criterion_id>/", views.public_interest_criterion,
         name="public-interest-criterion"),
    path("checks/public-interest/contracts/", views.public_interest_contracts, name="public-interest-contracts"),
    path("checks/public-interest/check-answers/", views.public_interest_check, name="public-interest-check"),
    path("checks/public-interest/decision/", views.public_interest_decision, name="public-interest-decision"),
    path("checks/public-interest/decision.<str:fmt>", views.public_interest_download,
         name="public-interest-download"),
    path("checks/public-interest/review-register/", views.review_register, name="review-register"),
]
