"""A Django superuser opening a person's rows in the admin is recorded in that
person's access log (``Kind.ADMIN_ROWS``).

``cairn.people`` sits below ``cairn.trust`` and cannot record reads itself, so this
module swaps its person and account admins for subclasses that do. Admin
autodiscovery imports it after ``cairn/people/admin.py``, because ``cairn.trust``
follows ``cairn.people`` in ``INSTALLED_APPS``. Access records themselves are not
registered: the log is read by its owner alone, and no page edits it.
"""

from __future__ import annotations

from collections.abc import Iterable
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


class RecordsReads:
    """For a ``ModelAdmin``: opening a row's change page is recorded in the access log
    of each person ``owners_of`` names."""

    def owners_of(self, obj: Any) -> Iterable[Person | None]:
        raise NotImplementedError

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response: HttpResponse = super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        if obj is not None:
            for owner in self.owners_of(obj):
                record_admin_read(request, response, owner)
        return response


class RecordedPersonAdmin(RecordsReads, PersonAdmin):
    def owners_of(self, obj: Person) -> Iterable[Person | None]:
        return [obj]


class RecordedUserAdmin(RecordsReads, CairnUserAdmin):
    def owners_of(self, obj: User) -> Iterable[Person | None]:
        return [Person.objects.filter(user=obj).first()]


admin.site.unregister(Person)
admin.site.register(Person, RecordedPersonAdmin)
admin.site.unregister(User)
admin.site.register(User, RecordedUserAdmin)
