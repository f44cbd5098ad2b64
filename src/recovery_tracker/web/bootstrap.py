"""Start Django from the command line, once."""

from __future__ import annotations

import os


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_tracker.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def module_exists(dotted: str) -> bool:
    """True if ``dotted`` can be imported; False also when a parent package is missing."""
    from importlib.util import find_spec

    try:
        return find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False
