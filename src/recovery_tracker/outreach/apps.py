from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "recovery_tracker.outreach"
    label = "outreach"
    verbose_name = "Requests, follows and community reports"
