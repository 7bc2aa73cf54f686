"""A Django superuser opening a person's rows in the admin is recorded in that
person's access log (``Kind.ADMIN_ROWS``).

``cairn.people`` sits below ``cairn.trust`` and cannot record reads itself, so this
module swaps its person and account admins for subclasses that do. Admin
autodiscovery imports it after ``cairn/people/admin.py``, because ``cairn.trust``
follows ``cairn.people`` in ``INSTALLED_APPS``. Access records themselves are not
registered: the log is read by its owner alone, and no page edits it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from cairn.people.admin import CairnUserAdmin, PersonAdmin
from cairn.people.models import Person, User
from cairn.trust.models import Kind
from cairn.trust.services import record_read


def record_admin_read(request: HttpRequest, response: HttpResponse, owner: Person | None) -> None:
    """One access record for ``owner`` when the admin showed their row: an answer of
    200 (a save redirects, a missing row redirects too), not by themselves."""
    if owner is None or response.status_code != 200 or owner.user_id == request.user.pk:
        return
    record_read(request, owner, Kind.ADMIN_ROWS)


class RecordedPersonAdmin(PersonAdmin):
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        record_admin_read(request, response, self.get_object(request, object_id))
        return response


class RecordedUserAdmin(CairnUserAdmin):
    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        user = self.get_object(request, object_id)
        owner = Person.objects.filter(user=user).first() if user is not None else None
        record_admin_read(request, response, owner)
        return response


admin.site.unregister(Person)
admin.site.register(Person, RecordedPersonAdmin)
admin.site.unregister(User)
admin.site.register(User, RecordedUserAdmin)
