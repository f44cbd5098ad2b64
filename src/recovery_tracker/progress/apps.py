from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "recovery_tracker.progress"
    label = "progress"
    verbose_name = "Progress updates"

    def ready(self) -> None:
        # Panels and navigation live with the app so shared pages never need editing.
        from recovery_tracker.progress import panels

        panels.register()
