from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit trail: the bottom Django layer, so every app's services can record."""

    name = "recovery_tracker.audit"
    label = "audit"
    verbose_name = "Audit trail"
