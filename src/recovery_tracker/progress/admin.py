"""Read-only views of updates for administrators: changes go through the workflow services."""

from __future__ import annotations

from django.contrib import admin

from recovery_tracker.audit.admin import ReadOnlyAdmin
from recovery_tracker.progress.models import Update


@admin.register(Update)
class UpdateAdmin(ReadOnlyAdmin):
    list_display = ("recommendation", "organisation", "body", "voice", "state", "date", "published_at")
    list_filter = ("state", "voice", "source")
    search_fields = ("recommendation__slug", "organisation__name", "narrative", "title")
