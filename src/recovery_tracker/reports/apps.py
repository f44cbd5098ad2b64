from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "recovery_tracker.reports"
    label = "reports"
    verbose_name = "Progress reports"

    def ready(self) -> None:
        # The download links sit on the plan home through the extension point, so the shared
        # plan template never needs editing.
        from recovery_tracker.reports import panels

        panels.register()
