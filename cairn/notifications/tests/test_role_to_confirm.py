"""A role that reads content, asked for by one org admin, tells the organisation's
other active org admins that it waits for a second one — never the admin who asked,
the person it is for, an inactive admin or another organisation's admins — and the
notification is shown to org admins only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.notifications import registry
from cairn.notifications.models import Kind, Notification
from cairn.notifications.services import notify
from cairn.people import services as people
from cairn.people.models import Person, RoleGrant
from cairn.testing import Cast, make_person

pytestmark = pytest.mark.django_db


def ask_for_hr(actor: Person, person: Person) -> None:
    people.update_person(
        actor,
        person,
        name=person.name,
        email=person.user.email,
        title=person.title,
        team=person.team,
        manager=person.manager,
        is_org_admin=person.is_org_admin,
        is_active=True,
        is_program_admin=person.is_program_admin,
        is_hr=True,
    )


def test_the_other_org_admins_are_told(cast: Cast) -> None:
    second = make_person(cast.org, "Sam Second", is_org_admin=True)
    gone = make_person(cast.org, "Gil Gone", is_org_admin=True)
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])
    candidate = make_person(cast.org, "Casey Candidate", is_org_admin=True)
    ask_for_hr(cast.admin, candidate)
    rows = list(Notification.objects.all())
    assert [row.recipient for row in rows] == [second]
    [row] = rows
    assert row.kind == Kind.ROLE_TO_CONFIRM
    assert row.title == (
        "Ada Admin asked for Casey Candidate to become HR: a second org admin must confirm"
    )
    assert row.url == reverse("people:roles")
    grant = RoleGrant.objects.pending().get()
    assert (row.subject_type, row.subject_id) == ("people.rolegrant", grant.pk)
    assert notify(second, Kind.ROLE_TO_CONFIRM, title="t", url="/", key=row.key) is None
    assert registry.still_visible(second, [row]) == [row]
    for name in ("report", "manager", "hr", "program_admin", "outsider"):
        assert registry.still_visible(getattr(cast, name), [row]) == [], name


def test_asking_again_while_it_waits_tells_nobody_again(cast: Cast) -> None:
    make_person(cast.org, "Sam Second", is_org_admin=True)
    ask_for_hr(cast.admin, cast.report)
    cast.report.refresh_from_db()
    ask_for_hr(cast.admin, cast.report)
    assert Notification.objects.count() == 1


def test_the_only_org_admin_has_nobody_to_tell(cast: Cast) -> None:
    ask_for_hr(cast.admin, cast.report)
    assert RoleGrant.objects.pending().exists()
    assert not Notification.objects.exists()
    assert not Notification.objects.filter(recipient=cast.outsider).exists()
