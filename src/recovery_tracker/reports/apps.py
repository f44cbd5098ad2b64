from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "recovery_tracker.reports"
    label = "reports"
    verbose_name = "Progress reports"

    def ready(self) -> None:
        _connect_refresh()


def _connect_refresh() -> None:
    """Any change to what reports show queues the refresh of the reports readers will ask for."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from recovery_tracker.reports.cache import data_version_bump
    from recovery_tracker.reports.refresh import reports_refresh_soon

    def changed(**kwargs: object) -> None:
        data_version_bump()
        reports_refresh_soon()

    models = ["audit.AuditEntry", "catalogue.Plan", "progress.Update", "indicators.Observation"]
    for label in models:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"reports-refresh-save-{label}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"reports-refresh-delete-{label}")
