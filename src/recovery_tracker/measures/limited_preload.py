"""Loaded once by the checks' fork server (see ``limited.py``), so that each child starts at once."""

import os

import django

# The settings by name, as manage.py does: this app sits below web/ and does not import it.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_tracker.web.settings")
django.setup()

import polars  # noqa: E402,F401

import recovery_tracker.measures.services  # noqa: E402,F401
