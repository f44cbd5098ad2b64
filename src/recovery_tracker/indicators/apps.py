from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "recovery_tracker.indicators"
    label = "indicators"
    verbose_name = "Indicators and targets"

    def ready(self) -> None:
        from recovery_tracker.indicators import panels

        panels.register()
