from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "recovery_tracker.outreach"
    label = "outreach"
    verbose_name = "Requests, follows and community reports"

    def ready(self) -> None:
        # Requests live here, a layer above progress: the "more action" rules learn of unanswered ones
        # through the reader progress offers, added when the app is ready so that every process (pages,
        # the worker building reports, commands) flags the same things.
        from recovery_tracker.outreach.selectors import unanswered_requests
        from recovery_tracker.progress import rollup_data

        rollup_data.unanswered_requests_reader = unanswered_requests

