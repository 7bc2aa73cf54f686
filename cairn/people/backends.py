"""Sign-in, and the signed-in account read with its person in one query.

Django's ``ModelBackend`` checks the password; this backend only changes how the
account of each request is read: with its person and their organisation (a left
join), so that ``person_required`` finds the viewer and their roles — the flags on
``Person`` — without a query of its own. An account with no person (a superuser
made for the Django admin) reads the same, with no person."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from cairn.people.models import User


class PersonBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("person__organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
