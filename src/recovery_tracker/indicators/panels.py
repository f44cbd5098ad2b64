"""Panels and navigation this app adds to shared pages."""

from __future__ import annotations


def register() -> None:
    """Hooked up from AppConfig.ready(); filled in with the pages."""
