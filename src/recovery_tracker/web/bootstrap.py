"""Start Django from the command line, once."""

from __future__ import annotations

import os


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_tracker.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()

