"""Administrators (staff) manage organisations' people and API tokens here; audit rows are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from recovery_tracker.accounts.models import ApiToken, AuditEntry, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("user",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are made by api_token_create so the raw value is shown once and only the hash kept.
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("summary", "object_id", "actor_label")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


class OrganisationAdmin(admin.ModelAdmin):
    """People are managed from their organisation; the plan file still owns names and successors."""

    list_display = ("name", "slug", "kind", "independent_assessor", "ended")
    list_filter = ("kind", "independent_assessor")
    search_fields = ("name", "slug")
    inlines = [MembershipInline]


def _organisation_admin_register() -> None:
    from recovery_tracker.catalogue.models import Organisation

    # The catalogue does not register an admin for organisations; if it ever does, keep its own.
    if not admin.site.is_registered(Organisation):
        admin.site.register(Organisation, OrganisationAdmin)


_organisation_admin_register()
