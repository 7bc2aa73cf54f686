"""Every write of a group debrief, and who may make it: the host invites and opens and
closes; the group reflects, adds action items while open and keeps private notes; an
invitee declines; nobody outside the group does anything."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cairn.debriefs import services
from cairn.debriefs.models import (
    DebriefActionItem,
    DebriefKind,
    DebriefNote,
    GroupDebrief,
    Invitation,
    Reflection,
)
from cairn.debriefs.tests.factories import (
    REFLECTION_PEER,
    REFLECTION_REPORT,
    World,
    make_debrief,
    open_now,
    soon,
)
from cairn.mentoring.tests.factories import enrol_mentee, make_program
from cairn.notifications.models import Kind, Notification
from cairn.testing import Cast, make_person

NOT_IN_GROUP = ("director", "coach", "admin", "program_admin", "hr", "outsider")


def group_names(debrief: GroupDebrief) -> set[str]:
    from cairn.debriefs.policy import group_of

    return set(group_of(debrief).values_list("name", flat=True))


def test_anyone_hosts_a_team_debrief_and_invites_a_team(cast: Cast) -> None:
    team = cast.manager.team
    assert team is not None
    debrief = make_debrief(cast.peer, team=team)
    assert group_names(debrief) == {cast.peer.name, cast.manager.name, cast.report.name}
    # The two invitees are told, with the host's name and the title only.
    told = Notification.objects.filter(kind=Kind.DEBRIEF_INVITED)
    assert {n.recipient_id for n in told} == {cast.manager.pk, cast.report.pk}
    assert all(n.title == "Pat Peer invites you to a debrief: Release 4.2 debrief" for n in told)


def test_inviting_again_adds_nobody_twice_and_skips_other_organisations(cast: Cast) -> None:
    team = cast.manager.team
    assert team is not None
    debrief = make_debrief(cast.manager, team=team)
    assert services.invite_team(cast.manager, debrief, team) == 0
    assert services.invite_people(cast.manager, debrief, [cast.outsider]) == 0
    assert Invitation.objects.filter(debrief=debrief).count() == 2


def test_only_a_program_admin_hosts_a_program_debrief_and_invites_its_cohort(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentee(program, cast.report)
    with pytest.raises(PermissionDenied):
        services.create_debrief(
            cast.manager, title="Cohort", kind=DebriefKind.PROGRAM, opens_at=soon(), program=program
        )
    debrief = services.create_debrief(
        cast.program_admin,
        title="Cohort",
        kind=DebriefKind.PROGRAM,
        opens_at=soon(),
        program=program,
    )
    assert services.invite_cohort(cast.program_admin, debrief, program) == 1
    assert group_names(debrief) == {cast.program_admin.name, cast.report.name}
    team_debrief = make_debrief(cast.manager)
    with pytest.raises(PermissionDenied):
        services.invite_cohort(cast.manager, team_debrief, program)


@pytest.mark.parametrize("role", ["report", "peer", *NOT_IN_GROUP])
def test_only_the_host_invites_opens_and_closes(cast: Cast, role: str) -> None:
    debrief = make_debrief(cast.manager, people=[cast.report, cast.peer])
    person = cast.everyone()[role]
    with pytest.raises(PermissionDenied):
        services.invite_people(person, debrief, [cast.coach])
    debrief.opens_at = timezone.now()
    with pytest.raises(PermissionDenied):
        services.open_session(person, debrief)
    open_now(debrief)
    with pytest.raises(PermissionDenied):
        services.close(person, debrief)


@pytest.mark.parametrize("role", NOT_IN_GROUP)
def test_nobody_outside_the_group_writes_anything(before: World, role: str) -> None:
    debrief = before.debrief
    person = before.cast.everyone()[role]
    with pytest.raises(PermissionDenied):
        services.write_reflection(person, debrief, happened="x")
    with pytest.raises(PermissionDenied):
        services.add_note(person, debrief, body="x")
    with pytest.raises(PermissionDenied):
        services.decline(person, debrief)
    open_now(debrief)
    with pytest.raises(PermissionDenied):
        services.add_action_item(
            person, debrief, description="x", owner=before.cast.report, due_on=timezone.localdate()
        )


def test_the_session_opens_at_its_time_and_tells_the_group(cast: Cast) -> None:
    opens = timezone.now() + dt.timedelta(days=2)
    debrief = make_debrief(cast.manager, opens_at=opens, people=[cast.report])
    with pytest.raises(PermissionDenied):
        services.open_session(cast.manager, debrief)  # two days early
    with time_machine.travel(opens - dt.timedelta(minutes=10), tick=False):
        services.open_session(cast.manager, debrief)
    assert GroupDebrief.objects.get(pk=debrief.pk).opened_at is not None
    opened = Notification.objects.get(kind=Kind.DEBRIEF_OPENED)
    assert opened.recipient_id == cast.report.pk
    with pytest.raises(PermissionDenied):
        services.open_session(cast.manager, debrief)  # once


def test_reflections_are_the_authors_until_the_session_opens(before: World) -> None:
    cast, debrief = before.cast, before.debrief
    assert [r.happened for r in Reflection.objects.visible_to(cast.report)] == [REFLECTION_REPORT]
    open_now(debrief)
    readable = Reflection.objects.visible_to(cast.report).filter(debrief=debrief)
    assert readable.count() == 3
    assert REFLECTION_PEER in {r.learned for r in readable}
    for role in NOT_IN_GROUP:
        assert not Reflection.objects.visible_to(cast.everyone()[role]).exists(), role


def test_action_items_only_while_open_owned_by_the_group(before: World) -> None:
    cast, debrief = before.cast, before.debrief
    due = timezone.localdate() + dt.timedelta(days=3)
    with pytest.raises(PermissionDenied):
        services.add_action_item(
            cast.report, debrief, description="x", owner=cast.report, due_on=due
        )
    open_now(debrief)
    with pytest.raises(ValidationError, match="from the group"):
        services.add_action_item(
            cast.report, debrief, description="x", owner=cast.coach, due_on=due
        )
    with pytest.raises(ValidationError, match="today or later"):
        services.add_action_item(
            cast.report,
            debrief,
            description="x",
            owner=cast.peer,
            due_on=due - dt.timedelta(days=9),
        )
    with pytest.raises(ValidationError, match="what is to be done"):
        services.add_action_item(
            cast.report, debrief, description="  ", owner=cast.peer, due_on=due
        )
    assert not DebriefActionItem.objects.exists()
    item = services.add_action_item(
        cast.report, debrief, description="Write it up", owner=cast.peer, due_on=due
    )
    told = Notification.objects.get(kind=Kind.ACTION_ASSIGNED)
    assert (told.recipient_id, told.title) == (
        cast.peer.pk,
        "Riley Report gave you an action item in the debrief Release 4.2 debrief",
    )
    # The owner and the host mark it; the one who wrote it down does not.
    with pytest.raises(PermissionDenied):
        services.mark_action_item(cast.report, item, done=True)
    services.mark_action_item(cast.peer, item, done=True)
    services.close(cast.manager, debrief)
    services.mark_action_item(cast.manager, item, done=False)
    assert DebriefActionItem.objects.get(pk=item.pk).done_at is None


def test_closing_stops_reflections_and_action_items_but_not_notes(after: World) -> None:
    cast, debrief = after.cast, after.debrief
    services.close(cast.manager, debrief)
    with pytest.raises(PermissionDenied):
        services.write_reflection(cast.report, debrief, happened="later")
    with pytest.raises(PermissionDenied):
        services.add_action_item(
            cast.report, debrief, description="x", owner=cast.report, due_on=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        services.decline(cast.report, debrief)
    services.add_note(cast.report, debrief, body="afterwards")
    assert DebriefNote.objects.visible_to(cast.report).count() == 2


def test_a_declined_invitee_leaves_the_group_and_their_reflection_goes(before: World) -> None:
    cast, debrief = before.cast, before.debrief
    with pytest.raises(PermissionDenied):
        services.decline(cast.manager, debrief)  # the host does not decline
    services.decline(cast.peer, debrief)
    assert cast.peer.name not in group_names(debrief)
    assert not Reflection.objects.filter(author=cast.peer).exists()
    assert not GroupDebrief.objects.visible_to(cast.peer).exists()
    with pytest.raises(PermissionDenied):
        services.write_reflection(cast.peer, debrief, happened="x")
    # The host invites them by name again; a team invitation would not.
    team = cast.manager.team
    assert team is not None
    assert services.invite_team(cast.manager, debrief, team) == 0
    assert services.invite_people(cast.manager, debrief, [cast.peer]) == 1
    assert cast.peer.name in group_names(debrief)


def test_private_notes_are_their_authors_alone(after: World) -> None:
    cast = after.cast
    assert {n.body for n in DebriefNote.objects.visible_to(cast.report)} == {after.notes[0].body}
    for role in ("peer", *NOT_IN_GROUP):
        assert not DebriefNote.objects.visible_to(cast.everyone()[role]).exists(), role


def test_bad_input_is_refused_with_a_message(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="title"):
        services.create_debrief(cast.manager, title=" ", kind=DebriefKind.TEAM, opens_at=soon())
    with pytest.raises(ValidationError, match="still to come"):
        services.create_debrief(cast.manager, title="x", kind=DebriefKind.TEAM, opens_at=soon(-2))
    debrief = make_debrief(cast.manager)
    with pytest.raises(ValidationError, match="what happened"):
        services.write_reflection(cast.manager, debrief, happened="  ")
    with pytest.raises(ValidationError, match="4000"):
        services.write_reflection(cast.manager, debrief, happened="x" * 4001)
    assert GroupDebrief.objects.count() == 1
    assert not Reflection.objects.exists()


def test_a_group_holds_at_most_its_limit(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "GROUP_MAX", 2)
    debrief = make_debrief(cast.manager, people=[cast.report, cast.peer])
    with pytest.raises(ValidationError, match="at most 2"):
        services.invite_people(cast.manager, debrief, [cast.coach])
    assert Invitation.objects.filter(debrief=debrief).count() == 2


def test_insights_count_debriefs_held_in_an_organisation(cast: Cast) -> None:
    held = open_now(make_debrief(cast.manager))
    make_debrief(cast.peer)  # not held yet
    other = make_person(cast.outsider.organisation)
    open_now(make_debrief(other))
    start, end = timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=1)
    counted = GroupDebrief.objects.for_organisation(cast.org).held_between(start, end)
    assert list(counted.values_list("pk", flat=True)) == [held.pk]
