"""Recovery Tracker: holds a public plan to account."""

__version__ = "0.1.0"
