from django.contrib.auth import views as auth_views
from django.urls import path

from recovery_tracker.accounts.views import LoginView, api_tokens

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/tokens/", api_tokens, name="api-tokens"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
