"""The Django admin shows people and structure. It never shows coaching content, and
its delete pages name no private row (``admin_privacy``).

A superuser is the operator of the instance: roles they set here take effect at
once, like the command line's, and are recorded as role changes under their account.
``cairn.trust.admin`` replaces the person and account admins below with ones that
also record, in the person's access log, that a superuser opened their rows.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.forms import ModelForm
from django.http import HttpRequest

from cairn.people import services
from cairn.people.admin_privacy import HidesPrivateRowsOnDelete
from cairn.people.models import Organisation, Person, Role, Team, User


@admin.register(User)
class CairnUserAdmin(HidesPrivateRowsOnDelete, UserAdmin):  # type: ignore[type-arg]
    pass


@admin.register(Organisation)
class OrganisationAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "created_at"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Team)
class TeamAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[Team]):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]


@admin.register(Person)
class PersonAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[Person]):
    list_display = ["name", "title", "team", "manager", "organisation", "is_org_admin"]
    list_filter = ["organisation", "is_org_admin"]
    search_fields = ["name", "user__username"]
    raw_id_fields = ["user", "manager"]
    list_select_related = ["team", "manager", "organisation"]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Nothing crosses organisations: a person stays in the one they joined.
        return ["organisation", "user"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: Person, form: ModelForm[Person], change: bool
    ) -> None:
        # The roles go through the service, so that each change is recorded; the row
        # itself is saved with the roles it had.
        wanted = {role: bool(getattr(obj, role)) for role in Role}
        before = Person.objects.filter(pk=obj.pk).values(*Role.values).first() if change else None
        for role in Role:
            setattr(obj, role, bool(before and before[role]))
        super().save_model(request, obj, form, change)
        services.set_roles_as_operator(
            obj,
            actor_name=(
                f"{'Django superuser' if request.user.is_superuser else 'Django staff account'}"
                f" {request.user.get_username()}"
            ),
            is_org_admin=wanted[Role.ORG_ADMIN],
            is_program_admin=wanted[Role.PROGRAM_ADMIN],
            is_hr=wanted[Role.HR],
        )
