"""The Django admin shows people and structure. It never shows coaching content."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from cairn.people.models import Organisation, Person, Team, User

admin.site.register(User, UserAdmin)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["name", "title", "team", "manager", "organisation", "is_org_admin"]
    list_filter = ["organisation", "is_org_admin"]
    search_fields = ["name", "user__username"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["team", "manager", "organisation"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Nothing crosses organisations: a person stays in the one they joined.
        return ["organisation", "user"] if obj is not None else []
