from django.contrib.auth import views as auth_views
from django.urls import path

from recovery_tracker.accounts.views import LoginView

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
