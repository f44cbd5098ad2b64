"""Loaded once by the checks' fork server (see ``limited.py``), so that each child starts at once."""

from recovery_tracker.web.bootstrap import django_setup

django_setup()

import polars  # noqa: E402,F401

import recovery_tracker.measures.services  # noqa: E402,F401
