from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "recovery_tracker.outreach"
    label = "outreach"
    verbose_name = "Requests, follows and community reports"

    def ready(self) -> None:
        from recovery_tracker.outreach import panels

        panels.register()
