"""Factories for group debriefs, and the world the privacy tests walk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from cairn.debriefs import services
from cairn.debriefs.models import DebriefActionItem, DebriefKind, DebriefNote, GroupDebrief
from cairn.people.models import Person, Team
from cairn.testing import Cast

REFLECTION_REPORT = "CANARY-reflection-report the release went out broken"
REFLECTION_PEER = "CANARY-reflection-peer I did not feel heard"
REFLECTION_HOST = "CANARY-reflection-host I should have paused the rollout"
NOTE_REPORT = "CANARY-note-report talk to Maria alone about it"
NOTE_HOST = "CANARY-note-host Riley seemed tired"
ACTION = "CANARY-action write the rollback checklist"


def soon(hours: int = 1) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def make_debrief(
    host: Person,
    *,
    title: str = "Release 4.2 debrief",
    kind: str = DebriefKind.TEAM,
    opens_at: dt.datetime | None = None,
    team: Team | None = None,
    people: list[Person] | None = None,
) -> GroupDebrief:
    debrief = services.create_debrief(host, title=title, kind=kind, opens_at=opens_at or soon())
    if team is not None:
        services.invite_team(host, debrief, team)
    if people:
        services.invite_people(host, debrief, people)
    return debrief


def open_now(debrief: GroupDebrief) -> GroupDebrief:
    """Opened by its host, whatever time it was scheduled for."""
    debrief.opens_at = timezone.now()
    debrief.save(update_fields=["opens_at"])
    services.open_session(debrief.host, debrief)
    return debrief


@dataclass
class World:
    """The manager hosts a team debrief of the Platform team (manager, report, peer);
    the report, the peer and the host wrote reflections, the report and the host keep
    private notes. ``opened`` says whether the host has opened it (then an action item
    is the report's)."""

    cast: Cast
    debrief: GroupDebrief
    opened: bool
    action: DebriefActionItem | None = None
    notes: list[DebriefNote] = field(default_factory=list)

    @property
    def secrets(self) -> list[str]:
        return [REFLECTION_REPORT, REFLECTION_PEER, REFLECTION_HOST, NOTE_REPORT, NOTE_HOST, ACTION]


def build_world(cast: Cast, *, opened: bool) -> World:
    team = cast.manager.team
    assert team is not None
    debrief = make_debrief(cast.manager, team=team)
    services.write_reflection(cast.report, debrief, happened=REFLECTION_REPORT)
    services.write_reflection(cast.peer, debrief, happened="x", learned=REFLECTION_PEER)
    services.write_reflection(cast.manager, debrief, happened="y", change=REFLECTION_HOST)
    notes = [
        services.add_note(cast.report, debrief, body=NOTE_REPORT),
        services.add_note(cast.manager, debrief, body=NOTE_HOST),
    ]
    world = World(cast, debrief, opened, notes=notes)
    if opened:
        open_now(debrief)
        world.action = services.add_action_item(
            cast.manager,
            debrief,
            description=ACTION,
            owner=cast.report,
            due_on=timezone.localdate() + dt.timedelta(days=7),
        )
    return world
