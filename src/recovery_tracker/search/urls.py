from django.urls import path

from recovery_tracker.search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
]
