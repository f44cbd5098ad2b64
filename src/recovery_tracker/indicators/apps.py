from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "recovery_tracker.indicators"
    label = "indicators"
    verbose_name = "Indicators and targets"

