"""Group debriefs' part of the demo organisation: Marcus hosted a debrief of the
Platform team after the March outage. Sofia, Ravi and Ingrid wrote their reflections
beforehand; Marcus opened the session yesterday, so the team reads them all; two
action items came out of it, and Ravi keeps a private note.

Rows are written directly, as the other apps' demos do, so that building the demo
tells nobody anything (no notifications, no email)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from cairn.debriefs.models import (
    DebriefActionItem,
    DebriefKind,
    DebriefNote,
    GroupDebrief,
    Invitation,
    Reflection,
)
from cairn.people.seeding import DemoContext

TITLE = "Platform: the March outage"
REFLECTIONS = {
    "sofia": (
        "The failover worked, but nobody knew it had until forty minutes in.",
        "Our dashboards tell us about machines, not about customers.",
        "One customer-facing health check that pages, before anything else.",
    ),
    "ravi": (
        "I was on call and froze for the first ten minutes.",
        "Asking for help early is faster than being brave alone.",
        "Pair on the next two on-call weeks.",
    ),
    "ingrid": (
        "The runbook was right but out of date in two places.",
        "A runbook nobody rehearses rots.",
        "A game day every quarter.",
    ),
}
ACTIONS = [
    ("sofia", "Add a customer-facing health check that pages", 14),
    ("ingrid", "Run the first game day and update the runbook", 30),
]


def seed(context: DemoContext) -> Counter[str]:
    people, now = context.people, context.now
    host = people["marcus"]
    team = host.team
    members = [p for p in people.values() if team is not None and p.team_id == team.pk]
    debrief = GroupDebrief.objects.create(
        organisation=context.organisation,
        host=host,
        kind=DebriefKind.TEAM,
        title=TITLE,
        opens_at=now - dt.timedelta(days=1),
        opened_at=now - dt.timedelta(days=1),
    )
    Invitation.objects.bulk_create(
        [Invitation(debrief=debrief, person=p) for p in members if p.pk != host.pk]
    )
    for username, (happened, learned, change) in REFLECTIONS.items():
        Reflection.objects.create(
            debrief=debrief,
            author=people[username],
            happened=happened,
            learned=learned,
            change=change,
        )
    for username, description, days in ACTIONS:
        DebriefActionItem.objects.create(
            debrief=debrief,
            owner=people[username],
            description=description,
            due_on=(now + dt.timedelta(days=days)).date(),
            created_by=host,
        )
    DebriefNote.objects.create(
        debrief=debrief,
        author=people["ravi"],
        body="Tell Marcus in our one-on-one that I want the pairing to be real, not a formality.",
    )
    return Counter(
        {
            "team_debriefs": 1,
            "debrief_reflections": len(REFLECTIONS),
            "debrief_action_items": len(ACTIONS),
        }
    )
