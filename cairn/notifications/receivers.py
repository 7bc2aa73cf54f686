"""What notifications hears from people, which cannot import it: a role that reads
content waits for a second org admin (``people.signals.role_requested``), so the
organisation's other active org admins are told. People's role grants are checked
here too, as people sits below notifications and registers nothing."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse

from cairn.notifications.models import Kind
from cairn.notifications.registry import visible_subjects
from cairn.notifications.services import notify
from cairn.people.models import Person, RoleGrant
from cairn.people.signals import role_requested


@receiver(role_requested, dispatch_uid="notifications.role_to_confirm")
def tell_other_admins(sender: object, *, grant: RoleGrant, actor: Person, **kwargs: Any) -> None:
    """Every active org admin of the organisation but the one who asked and the
    person the role is for: neither may confirm it."""
    admins = (
        Person.objects.filter(
            organisation_id=grant.organisation_id, is_org_admin=True, user__is_active=True
        )
        .exclude(pk__in=[actor.pk, grant.person_id])
        .select_related("user")
    )
    for admin in admins:
        notify(
            admin,
            Kind.ROLE_TO_CONFIRM,
            title=(
                f"{actor.name} asked for {grant.person.name} to become "
                f"{grant.get_role_display()}: a second org admin must confirm"
            ),
            url=reverse("people:roles"),
            key=f"role-to-confirm:{grant.pk}:{admin.pk}",
            subject=grant,
        )


@visible_subjects("people.rolegrant")
def role_grants(viewer: Person, ids: set[int]) -> set[int]:
    return set(RoleGrant.objects.visible_to(viewer).filter(pk__in=ids).values_list("pk", flat=True))
