"""Coaching in the Django admin: only what an org admin may know anyway — that an
engagement exists, and the session templates. Sessions, agendas, notes, action
items, agreements and debriefs are deliberately not registered: no admin, however
privileged, reads them here (docs/design.md, who sees what). Delete pages name no
private row (``cairn.people.admin_privacy``), and a superuser opening an engagement
is recorded in both parties' access logs."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin

from cairn.coaching.models import Engagement, SessionTemplate, TemplateSection
from cairn.people.admin_privacy import HidesPrivateRowsOnDelete
from cairn.people.models import Person
from cairn.trust.admin import RecordsReads


class TemplateSectionInline(admin.TabularInline[TemplateSection, SessionTemplate]):
    model = TemplateSection
    extra = 0


@admin.register(SessionTemplate)
class SessionTemplateAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[SessionTemplate]):
    list_display = ["name", "slug", "organisation"]
    inlines = [TemplateSectionInline]


@admin.register(Engagement)
class EngagementAdmin(RecordsReads, HidesPrivateRowsOnDelete, admin.ModelAdmin[Engagement]):
    list_display = ["kind", "giver", "receiver", "status", "cadence", "organisation"]
    list_filter = ["kind", "status", "organisation"]
    raw_id_fields = ["giver", "receiver", "proposed_by"]
    list_select_related = ["giver", "receiver", "organisation"]
    # A decliner's reason is the two parties' alone, even for a superuser.
    exclude = ["decline_reason"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        # Counseling stays between its two people, even for superusers.
        return super().get_queryset(request).exclude(kind="counseling")

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Who is in an engagement, and what kind it is, never changes after the fact:
        # swapping a party in would hand them the other party's shared content.
        if obj is not None:
            return ["organisation", "kind", "giver", "receiver", "proposed_by"]
        return []

    def owners_of(self, obj: Engagement) -> Iterable[Person | None]:
        # Who coaches or mentors whom is each party's: opening the row is recorded in
        # both access logs.
        return (obj.giver, obj.receiver)
