"""Who sees and does what with a team, organisation or program debrief: the rows of
docs/design.md's who-sees-what table that debriefs own.

"The group" is the host and every invitee who has not declined.

| content                               | author | the group                        | anyone else |
|---------------------------------------|--------|----------------------------------|-------------|
| the debrief: title, kind, time, group | —      | read (host: invite, open, close) | —           |
| a reflection                          | rw     | read once the host has opened it | —           |
| an action item (what, owner, due)     | —      | read, add while open; owner and  | —           |
|                                       |        | host mark it done or not done;   |             |
|                                       |        | who added it, owner and host     |             |
|                                       |        | change it while open; who added  |             |
|                                       |        | it and host remove it while open |             |
| the group itself                      | —      | host invites, and removes an     | —           |
|                                       |        | invitee, until it is closed      |             |
| a private note                        | rw     | —                                | —           |

"Anyone else" is everyone outside the group: the members' managers, org admins, HR,
program admins who are not invited, a declined invitee, another organisation, and a
Django superuser (nothing here is registered in the admin). They get 404 for every
page and endpoint, the same as for a debrief that does not exist. Reads go through the
``visible_to`` querysets in ``models.py`` and the access helpers below; writes are
checked again in ``services.py``.

Reads of other members' reflections are not written to the access log: like a shared
note of a session, a reflection is written for the group to read once it meets.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.db.models import Q, QuerySet

from cairn.debriefs.models import DebriefActionItem, DebriefKind, GroupDebrief, Invitation
from cairn.lib.access import get_or_404
from cairn.mentoring.models import Program
from cairn.people.models import Person

# The host may open the session a little before its time, as a meeting starts.
OPEN_EARLY = dt.timedelta(minutes=15)


def group_of(debrief: GroupDebrief) -> QuerySet[Person]:
    """The host and the invitees who have not declined, as one queryset."""
    invited = Invitation.objects.filter(debrief=debrief, declined_at__isnull=True)
    return Person.objects.filter(Q(pk=debrief.host_id) | Q(pk__in=invited.values("person_id")))


def in_group(viewer: Person, debrief: GroupDebrief) -> bool:
    if viewer.pk == debrief.host_id:
        return True
    return Invitation.objects.filter(
        debrief=debrief, person=viewer, declined_at__isnull=True
    ).exists()


def can_own_action(person: Person, debrief: GroupDebrief) -> bool:
    """An action item is given to a member of the group whose account is active."""
    return group_of(debrief).filter(pk=person.pk, user__is_active=True).exists()


# --- writes ------------------------------------------------------------------------


def can_host(viewer: Person, kind: str, program: Program | None = None) -> bool:
    """Anyone active hosts a team or organisation debrief for people of their
    organisation; a program debrief is a program admin's, for a program there."""
    if not viewer.user.is_active:
        return False
    if kind == DebriefKind.PROGRAM:
        return (
            viewer.is_program_admin
            and program is not None
            and program.organisation_id == viewer.organisation_id
        )
    return kind in (DebriefKind.TEAM, DebriefKind.ORGANISATION) and program is None


def can_invite(viewer: Person, debrief: GroupDebrief) -> bool:
    """The host, until the debrief is closed."""
    return viewer.pk == debrief.host_id and not debrief.is_closed


def can_invite_cohort(viewer: Person, debrief: GroupDebrief, program: Program) -> bool:
    """A program's cohort is known to its program admins alone."""
    return (
        can_invite(viewer, debrief)
        and viewer.is_program_admin
        and program.organisation_id == viewer.organisation_id
    )


def can_remove(viewer: Person, debrief: GroupDebrief, person: Person) -> bool:
    """The host takes an invitee out of the group, until the debrief is closed; the
    host stays."""
    return (
        can_invite(viewer, debrief) and person.pk != debrief.host_id and in_group(person, debrief)
    )


def can_open(viewer: Person, debrief: GroupDebrief, now: dt.datetime) -> bool:
    """The host, once, from a little before the time it was scheduled for."""
    return (
        viewer.pk == debrief.host_id
        and debrief.opened_at is None
        and now >= debrief.opens_at - OPEN_EARLY
    )


def can_close(viewer: Person, debrief: GroupDebrief) -> bool:
    """The host, once the session has opened."""
    return viewer.pk == debrief.host_id and debrief.is_open


def can_decline(viewer: Person, debrief: GroupDebrief) -> bool:
    """An invitee still in the group, until the debrief closes; not the host."""
    return (
        viewer.pk != debrief.host_id
        and not debrief.is_closed
        and Invitation.objects.filter(
            debrief=debrief, person=viewer, declined_at__isnull=True
        ).exists()
    )


def can_reflect(viewer: Person, debrief: GroupDebrief) -> bool:
    """Anyone in the group writes (and rewrites) their reflection until it closes."""
    return not debrief.is_closed and in_group(viewer, debrief)


def can_add_action(viewer: Person, debrief: GroupDebrief) -> bool:
    """Anyone in the group, while the session is open."""
    return debrief.is_open and in_group(viewer, debrief)


def can_mark_action(viewer: Person, item: DebriefActionItem) -> bool:
    """Its owner, and the host — even after the debrief closed."""
    return viewer.pk in (item.owner_id, item.debrief.host_id) and in_group(viewer, item.debrief)


def may_edit_action(member: Person, item: DebriefActionItem) -> bool:
    """For a member of the group (no query): whoever added it, its owner and the
    host change what, who or by when while the session is open; closed, an item stays
    as it was agreed."""
    return item.debrief.is_open and member.pk in (
        item.created_by_id,
        item.owner_id,
        item.debrief.host_id,
    )


def may_remove_action(member: Person, item: DebriefActionItem) -> bool:
    """For a member of the group (no query): whoever added it and the host remove it
    while the session is open; its owner alone does not drop what the group gave
    them."""
    return item.debrief.is_open and member.pk in (item.created_by_id, item.debrief.host_id)


def can_edit_action(viewer: Person, item: DebriefActionItem) -> bool:
    return may_edit_action(viewer, item) and in_group(viewer, item.debrief)


def can_remove_action(viewer: Person, item: DebriefActionItem) -> bool:
    return may_remove_action(viewer, item) and in_group(viewer, item.debrief)


def can_write_note(viewer: Person, debrief: GroupDebrief) -> bool:
    """Anyone in the group, for themselves alone, at any time."""
    return in_group(viewer, debrief)


# --- access helpers: the object, or 404 -------------------------------------------


def get_debrief_for(viewer: Person, code: UUID | str) -> GroupDebrief:
    """A debrief of the viewer's group, or 404."""
    return get_or_404(GroupDebrief.objects.visible_to(viewer).select_related("host"), code=code)


def _actions_for(viewer: Person, debrief: GroupDebrief) -> QuerySet[DebriefActionItem]:
    return (
        DebriefActionItem.objects.visible_to(viewer)
        .filter(debrief=debrief)
        .select_related("debrief", "owner")
    )


def get_action_for(viewer: Person, debrief: GroupDebrief, code: UUID | str) -> DebriefActionItem:
    """An action item of that debrief the viewer may read, or 404."""
    return get_or_404(_actions_for(viewer, debrief), code=code)


def find_action_for(viewer: Person, debrief: GroupDebrief, code: UUID) -> DebriefActionItem | None:
    """The same, or ``None``: for a member of the group, whom the page tells that the
    item went a moment ago."""
    return _actions_for(viewer, debrief).filter(code=code).first()
