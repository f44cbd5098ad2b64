from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "recovery_tracker.reports"
    label = "reports"
    verbose_name = "Progress reports"

