"""Read-only views of updates for administrators: changes go through the workflow services."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from recovery_tracker.progress.models import Update


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ("recommendation", "organisation", "body", "voice", "state", "date", "published_at")
    list_filter = ("state", "voice", "source")
    search_fields = ("recommendation__slug", "organisation__name", "narrative", "title")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
