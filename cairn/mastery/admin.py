"""Mastery in the Django admin: the ladders and frameworks, which describe
expectations rather than people. Grants and assessments carry evidence that only the
person and its writer may read, so they are deliberately not registered (docs/design.md,
who sees what). Deleting a ladder or a framework cascades to grants and
assessments: the delete pages name none of them (``cairn.people.admin_privacy``)."""

from __future__ import annotations

from django.contrib import admin

from cairn.mastery.models import Framework, Ladder, Level
from cairn.people.admin_privacy import HidesPrivateRowsOnDelete


class LevelInline(admin.TabularInline[Level, Ladder]):
    model = Level
    extra = 0
    fields = ["rank", "slug", "name", "criteria"]


@admin.register(Ladder)
class LadderAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[Ladder]):
    list_display = ["name", "slug", "organisation"]
    inlines = [LevelInline]


@admin.register(Framework)
class FrameworkAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[Framework]):
    list_display = ["name", "organisation", "imported_at"]
