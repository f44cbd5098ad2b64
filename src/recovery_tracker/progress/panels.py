"""Panels this app adds to shared pages, and its navigation items."""

from __future__ import annotations


def register() -> None:
    """Filled in with the panels; kept importable so the app starts while they are built."""
