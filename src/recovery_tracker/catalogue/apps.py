from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "recovery_tracker.catalogue"
    label = "catalogue"
    verbose_name = "Plan catalogue"
