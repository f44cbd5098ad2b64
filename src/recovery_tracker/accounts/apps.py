from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recovery_tracker.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit"
