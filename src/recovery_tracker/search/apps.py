from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "recovery_tracker.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Any change to what is indexed marks the index stale in the same transaction; the next
        # search (or `setup`) rebuilds it, so results never show what is no longer there.
        from recovery_tracker.search import signals

        signals.connect()
