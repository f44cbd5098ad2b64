from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    """The plan's standards as checks on files and forms, whose results can be saved as evidence."""

    name = "recovery_tracker.measures"
    label = "measures"
    verbose_name = "Measures (checks)"

    def ready(self) -> None:
        from recovery_tracker.measures import panels
        from recovery_tracker.web.extensions import nav_item_add, panel_add

        nav_item_add("Checks", "measures:index")
        panel_add("recommendation", panels.recommendation_panel)
        panel_add("organisation", panels.organisation_panel)
