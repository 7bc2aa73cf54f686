"""Every write of a group debrief: one function per use case. Each re-checks policy
(``PermissionDenied``), validates (``ValidationError`` with a readable message), runs
in a transaction and logs ids only — never a title, a reflection, an action item or
a note."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cairn.debriefs import policy
from cairn.debriefs.models import (
    ACTION_MAX,
    GROUP_MAX,
    NOTE_MAX,
    REFLECTION_MAX,
    TITLE_MAX,
    DebriefActionItem,
    DebriefKind,
    DebriefNote,
    GroupDebrief,
    Invitation,
    Reflection,
)
from cairn.lib.access import require
from cairn.mentoring.models import Enrolment, Program
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.people.models import Person, Team

log = logging.getLogger(__name__)

OWNER_OUTSIDE = "Choose an owner from the group."
ITEM_GONE = "That action item has been removed."


def _locked(debrief: GroupDebrief) -> GroupDebrief:
    """The debrief read again and locked: a write that depends on who is in the group
    waits for a change of the group, and sees it."""
    return GroupDebrief.objects.select_for_update().get(pk=debrief.pk)


def _text(value: str, *, limit: int, name: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(f"Write {name}.")
    if len(text) > limit:
        raise ValidationError(f"Keep {name} to {limit} characters.")
    return text


def _url(debrief: GroupDebrief) -> str:
    return reverse("debriefs:debrief", args=[debrief.code])


def create_debrief(
    actor: Person,
    *,
    title: str,
    kind: str,
    opens_at: dt.datetime,
    program: Program | None = None,
    now: dt.datetime | None = None,
) -> GroupDebrief:
    """Anyone active hosts a team or organisation debrief; a program admin a program
    debrief. Returns the debrief, with nobody invited yet."""
    now = now or timezone.now()
    require(policy.can_host(actor, kind, program))
    title = _text(title, limit=TITLE_MAX, name="a title")
    # A time typed to the minute for "now" is a minute old by the time it arrives.
    if opens_at < now - dt.timedelta(minutes=5):
        raise ValidationError("Choose a time that is still to come.")
    with transaction.atomic():
        debrief = GroupDebrief.objects.create(
            organisation_id=actor.organisation_id,
            host=actor,
            kind=kind,
            title=title,
            program=program if kind == DebriefKind.PROGRAM else None,
            opens_at=opens_at,
        )
    log.info("debriefs.created debrief=%s host=%s", debrief.pk, actor.pk)
    return debrief


def _invite(
    actor: Person, debrief: GroupDebrief, people: QuerySet[Person], *, again: bool = False
) -> int:
    """Invite the active people of ``people`` in the host's organisation; the host and
    those already in the group are skipped, and those who declined too unless
    ``again`` (the host invites them by name once more). Returns how many joined."""
    candidates = people.filter(
        organisation_id=debrief.organisation_id, user__is_active=True
    ).exclude(pk=debrief.host_id)
    with transaction.atomic():
        locked = _locked(debrief)
        require(policy.can_invite(actor, locked))
        existing = dict(
            Invitation.objects.filter(debrief=locked).values_list("person_id", "declined_at")
        )
        new_ids = [pk for pk in candidates.values_list("pk", flat=True) if pk not in existing]
        back_ids = (
            [pk for pk in candidates.values_list("pk", flat=True) if existing.get(pk)]
            if again
            else []
        )
        in_group = sum(1 for declined in existing.values() if declined is None)
        if in_group + len(new_ids) + len(back_ids) > GROUP_MAX:
            raise ValidationError(f"A debrief holds at most {GROUP_MAX} people.")
        Invitation.objects.bulk_create([Invitation(debrief=locked, person_id=pk) for pk in new_ids])
        Invitation.objects.filter(debrief=locked, person_id__in=back_ids).update(declined_at=None)
        joined = Invitation.objects.filter(
            debrief=locked, person_id__in=[*new_ids, *back_ids]
        ).select_related("person__user")
        for invitation in joined:
            notify(
                invitation.person,
                Kind.DEBRIEF_INVITED,
                title=f"{actor.name} invites you to a debrief: {locked.title}",
                url=_url(locked),
                key=f"debrief-invited:{invitation.pk}:{timezone.now().timestamp()}",
                subject=locked,
            )
    log.info(
        "debriefs.invited debrief=%s actor=%s count=%s",
        debrief.pk,
        actor.pk,
        len(new_ids) + len(back_ids),
    )
    return len(new_ids) + len(back_ids)


def invite_people(actor: Person, debrief: GroupDebrief, people: Iterable[Person]) -> int:
    """The host invites people by name (one who declined, again)."""
    ids = [p.pk for p in people]
    return _invite(actor, debrief, Person.objects.filter(pk__in=ids), again=True)


def invite_team(actor: Person, debrief: GroupDebrief, team: Team) -> int:
    """The host invites every member of a team of their organisation."""
    if team.organisation_id != debrief.organisation_id:
        raise ValidationError("Choose a team of your organisation.")
    return _invite(actor, debrief, Person.objects.filter(team=team))


def invite_cohort(actor: Person, debrief: GroupDebrief, program: Program) -> int:
    """A program admin who hosts the debrief invites a program's cohort: everyone
    enrolled in it, mentors and mentees."""
    require(policy.can_invite_cohort(actor, debrief, program))
    enrolled = Enrolment.objects.filter(program=program).values("person_id")
    return _invite(actor, debrief, Person.objects.filter(pk__in=enrolled))


def decline(actor: Person, debrief: GroupDebrief, *, now: dt.datetime | None = None) -> None:
    """An invitee leaves the group; the reflection they wrote goes with them (the
    group never reads it), and their private notes stay theirs."""
    with transaction.atomic():
        require(policy.can_decline(actor, debrief))
        Invitation.objects.filter(debrief=debrief, person=actor).update(
            declined_at=now or timezone.now()
        )
        Reflection.objects.filter(debrief=debrief, author=actor).delete()
    log.info("debriefs.declined debrief=%s person=%s", debrief.pk, actor.pk)


def remove_member(
    actor: Person, debrief: GroupDebrief, person: Person, *, now: dt.datetime | None = None
) -> None:
    """The host takes an invitee out of the group, as if they had declined: their
    reflection is deleted (the group no longer reads it), their private notes stay
    theirs, and they are back only when the host invites them by name again. Action
    items they own stay theirs, in their export."""
    with transaction.atomic():
        locked = _locked(debrief)
        require(policy.can_remove(actor, locked, person))
        Invitation.objects.filter(debrief=locked, person=person).update(
            declined_at=now or timezone.now()
        )
        Reflection.objects.filter(debrief=locked, author=person).delete()
    log.info("debriefs.removed debrief=%s person=%s actor=%s", debrief.pk, person.pk, actor.pk)


def write_reflection(
    actor: Person, debrief: GroupDebrief, *, happened: str, learned: str = "", change: str = ""
) -> Reflection:
    """Anyone in the group writes their reflection, or rewrites it, until it closes.
    Before the session opens only they read it. Checked under the debrief's lock: a
    reflection saved as the host takes its author out of the group (which deletes it)
    is refused, not left behind for the group to read."""
    texts = {
        "happened": _text(happened, limit=REFLECTION_MAX, name="what happened"),
        "learned": _text(learned, limit=REFLECTION_MAX, name="what we learned", required=False),
        "change": _text(change, limit=REFLECTION_MAX, name="what we change", required=False),
    }
    with transaction.atomic():
        require(policy.can_reflect(actor, _locked(debrief)))
        reflection, _ = Reflection.objects.update_or_create(
            debrief=debrief, author=actor, defaults=texts
        )
    log.info("debriefs.reflected debrief=%s reflection=%s", debrief.pk, reflection.pk)
    return reflection


def open_session(actor: Person, debrief: GroupDebrief, *, now: dt.datetime | None = None) -> None:
    """The host opens the session: from now the group reads every reflection. Each
    member but the host is told."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(debrief)
        require(policy.can_open(actor, locked, now))
        locked.opened_at = now
        locked.save(update_fields=["opened_at"])
        debrief.opened_at = now
        for person in policy.group_of(locked).exclude(pk=actor.pk).select_related("user"):
            notify(
                person,
                Kind.DEBRIEF_OPENED,
                title=f"The debrief {locked.title} is open: the reflections can be read",
                url=_url(locked),
                key=f"debrief-opened:{locked.pk}:{person.pk}",
                subject=locked,
            )
    log.info("debriefs.opened debrief=%s", debrief.pk)


def close(actor: Person, debrief: GroupDebrief, *, now: dt.datetime | None = None) -> None:
    """The host closes the debrief: nothing more is written but private notes, and
    action items are still marked done."""
    with transaction.atomic():
        locked = _locked(debrief)
        require(policy.can_close(actor, locked))
        locked.closed_at = now or timezone.now()
        locked.save(update_fields=["closed_at"])
        debrief.closed_at = locked.closed_at
    log.info("debriefs.closed debrief=%s", debrief.pk)


def add_action_item(
    actor: Person,
    debrief: GroupDebrief,
    *,
    description: str,
    owner: Person,
    due_on: dt.date,
    today: dt.date | None = None,
) -> DebriefActionItem:
    """Anyone in the group adds who does what by when while the session is open; the
    owner is one of the group, and is told unless they added it themselves. Checked
    under the debrief's lock, as the host may be changing the group."""
    description = _text(description, limit=ACTION_MAX, name="what is to be done")
    if due_on < (today or timezone.localdate()):
        raise ValidationError("Choose a due date that is today or later.")
    with transaction.atomic():
        locked = _locked(debrief)
        require(policy.can_add_action(actor, locked))
        if not policy.can_own_action(owner, locked):
            raise ValidationError(OWNER_OUTSIDE)
        item = DebriefActionItem.objects.create(
            debrief=debrief, description=description, owner=owner, due_on=due_on, created_by=actor
        )
        if owner.pk != actor.pk:
            notify(
                owner,
                Kind.ACTION_ASSIGNED,
                title=f"{actor.name} gave you an action item in the debrief {debrief.title}",
                url=_url(debrief),
                key=f"debrief-action:{item.pk}",
                subject=item,
            )
    log.info("debriefs.action_added debrief=%s item=%s", debrief.pk, item.pk)
    return item


def _locked_item(item: DebriefActionItem) -> DebriefActionItem | None:
    """The item read again with its debrief, both locked (a close waits for the
    change, and the change sees whether it is still open); ``None`` once removed."""
    return (
        DebriefActionItem.objects.select_for_update()
        .select_related("debrief")
        .filter(pk=item.pk)
        .first()
    )


def edit_action_item(
    actor: Person,
    item: DebriefActionItem,
    *,
    description: str,
    owner: Person,
    due_on: dt.date,
    today: dt.date | None = None,
) -> DebriefActionItem:
    """Whoever added it, its owner or the host changes what, who or by when while the
    session is open. A due date kept as it was may have passed; a new one may not. A
    new owner is told, unless they made the change."""
    with transaction.atomic():
        locked = _locked_item(item)
        if locked is None:
            raise ValidationError(ITEM_GONE)
        require(policy.can_edit_action(actor, locked))
        description = _text(description, limit=ACTION_MAX, name="what is to be done")
        if not policy.can_own_action(owner, locked.debrief):
            raise ValidationError(OWNER_OUTSIDE)
        if due_on != locked.due_on and due_on < (today or timezone.localdate()):
            raise ValidationError("Choose a due date that is today or later.")
        new_owner = owner.pk != locked.owner_id
        changed = new_owner or (description, due_on) != (locked.description, locked.due_on)
        locked.description, locked.owner, locked.due_on = description, owner, due_on
        locked.save(update_fields=["description", "owner", "due_on"])
        if changed and owner.pk != actor.pk:
            # The owner hears of what someone else changed in what they are to do:
            # given it anew, or its words or its date changed.
            title = (
                f"{actor.name} gave you an action item in the debrief {locked.debrief.title}"
                if new_owner
                else f"{actor.name} changed an action item of yours in the debrief "
                f"{locked.debrief.title}"
            )
            notify(
                owner,
                Kind.ACTION_ASSIGNED,
                title=title,
                url=_url(locked.debrief),
                key=f"debrief-action:{locked.pk}:{owner.pk}:{timezone.now().timestamp()}",
                subject=locked,
            )
    item.description, item.owner, item.due_on = description, owner, due_on
    log.info("debriefs.action_edited item=%s actor=%s", item.pk, actor.pk)
    return item


def remove_action_item(actor: Person, item: DebriefActionItem) -> None:
    """Whoever added it or the host removes it while the session is open."""
    with transaction.atomic():
        locked = _locked_item(item)
        if locked is None:
            return  # removed already (a double click, two tabs)
        require(policy.can_remove_action(actor, locked))
        locked.delete()
    log.info("debriefs.action_removed item=%s actor=%s", item.pk, actor.pk)


def mark_action_item(
    actor: Person, item: DebriefActionItem, *, done: bool, now: dt.datetime | None = None
) -> None:
    """Its owner or the host ticks it off, or opens it again."""
    require(policy.can_mark_action(actor, item))
    item.done_at = (now or timezone.now()) if done else None
    item.save(update_fields=["done_at"])
    log.info("debriefs.action_marked item=%s done=%s", item.pk, done)


def add_note(actor: Person, debrief: GroupDebrief, *, body: str) -> DebriefNote:
    """A private note, read by its author alone."""
    require(policy.can_write_note(actor, debrief))
    body = _text(body, limit=NOTE_MAX, name="your note")
    note = DebriefNote.objects.create(debrief=debrief, author=actor, body=body)
    log.info("debriefs.note_added debrief=%s note=%s", debrief.pk, note.pk)
    return note
