from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "recovery_tracker.progress"
    label = "progress"
    verbose_name = "Progress updates"

