from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "recovery_tracker.accounts"
    label = "accounts"
    verbose_name = "Accounts and audit"

    def ready(self) -> None:
        # Sign-in events go to the audit trail (connected once, by import).
        from recovery_tracker.accounts import signals  # noqa: F401
