"""Coaching in the Django admin: only what an org admin may know anyway — that an
engagement exists, and the session templates. Sessions, agendas, notes, action
items, agreements and debriefs are deliberately not registered: no admin, however
privileged, reads them here (docs/design.md, who sees what). Delete pages name no
private row (``cairn.people.admin_privacy``), and a superuser opening an engagement
is recorded in both parties' access logs."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from cairn.coaching.models import Engagement, SessionTemplate, TemplateSection
from cairn.people.admin_privacy import HidesPrivateRowsOnDelete
from cairn.trust.admin import record_admin_read


class TemplateSectionInline(admin.TabularInline[TemplateSection, SessionTemplate]):
    model = TemplateSection
    extra = 0


@admin.register(SessionTemplate)
class SessionTemplateAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[SessionTemplate]):
    list_display = ["name", "slug", "organisation"]
    inlines = [TemplateSectionInline]


@admin.register(Engagement)
class EngagementAdmin(HidesPrivateRowsOnDelete, admin.ModelAdmin[Engagement]):
    list_display = ["kind", "giver", "receiver", "status", "cadence", "organisation"]
    list_filter = ["kind", "status", "organisation"]
    raw_id_fields = ["giver", "receiver", "proposed_by"]
    list_select_related = ["giver", "receiver", "organisation"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        # Counseling stays between its two people, even for superusers.
        return super().get_queryset(request).exclude(kind="counseling")

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Who is in an engagement, and what kind it is, never changes after the fact:
        # swapping a party in would hand them the other party's shared content.
        if obj is not None:
            return ["organisation", "kind", "giver", "receiver", "proposed_by"]
        return []

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Who coaches or mentors whom is each party's: opening the row is recorded in
        # both access logs.
        response = super().change_view(request, object_id, form_url, extra_context)
        engagement = self.get_object(request, object_id)
        if engagement is not None:
            for party in (engagement.giver, engagement.receiver):
                record_admin_read(request, response, party)
        return response
