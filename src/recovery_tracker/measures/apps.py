from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """The plan's standards as checks on files and forms, whose results can be saved as evidence."""

    name = "recovery_tracker.measures"
    label = "measures"
    verbose_name = "Measures (checks)"

