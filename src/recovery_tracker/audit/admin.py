"""Audit rows are read-only in the admin: nobody adds, changes or deletes them. ``ReadOnlyAdmin`` is
the same for any record that changes only through its services."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from recovery_tracker.audit.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through their services (which audit each change): the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_id", "actor_label")
