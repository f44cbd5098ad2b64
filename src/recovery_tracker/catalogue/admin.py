"""Organisations in the admin: staff manage each organisation's people here; the plan file still owns
names and successors."""

from __future__ import annotations

from django.contrib import admin

from recovery_tracker.accounts.models import Membership
from recovery_tracker.catalogue.models import Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """People are managed from their organisation; the plan file still owns names and successors."""

    list_display = ("name", "slug", "kind", "independent_assessor", "ended")
    list_filter = ("kind", "independent_assessor")
    search_fields = ("name", "slug")
    inlines = [MembershipInline]
