"""Mastery in the demo organisation: who stands where on the story-library ladder,
an "On-call" ladder of Northwind's own, and the example framework with a few
assessments of Ravi by his coach and one by himself, side by side. Ravi and Kenji
share their assessments with their managers, who find them on their mastery page;
nobody else's manager sees any.

Written with ``bulk_create`` and no policy checks (the demo's history is set, not
earned through the forms), from the context's random generator and ``now``, so two
builds on the same day are identical.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from cairn.coaching.models import Engagement, EngagementKind
from cairn.mastery.builtin_ladders import LIBRARY_LADDER, sync_builtin_ladders
from cairn.mastery.models import (
    Assessment,
    AssessmentShare,
    Competency,
    EngagementCompetency,
    FrameworkLevel,
    Grant,
    Ladder,
    Level,
    LevelPrivilege,
    Privilege,
)
from cairn.mastery.services import import_framework_into

if TYPE_CHECKING:
    from cairn.people.models import Person
    from cairn.people.seeding import DemoContext

EXAMPLE_FRAMEWORK = (
    Path(__file__).resolve().parents[2] / "docs" / "frameworks" / "cairn-engineering.yaml"
)

LIBRARY_COACHES = ("grace",)
LIBRARY_PUBLISHERS = ("tomasz", "sofia", "daniel")
LIBRARY_CONTRIBUTORS = ("marcus", "jamal", "elena", "ingrid", "ravi", "kenji")

ON_CALL_LEVELS = [
    (
        "shadow",
        "Shadow",
        "Follows a primary through a week on call and writes up one incident.",
        [],
    ),
    (
        "primary",
        "Primary",
        "Has shadowed twice and handled a page alone with a primary on hand.",
        [],
    ),
    (
        "incident-lead",
        "Incident lead",
        "Has led incidents calmly, kept others informed, and run the review after.",
        [Privilege.GRANT_LEVELS],
    ),
]
ON_CALL_GRANTS = {
    "ingrid": "incident-lead",
    "sofia": "primary",
    "jamal": "primary",
    "kenji": "shadow",
}

EVIDENCE = {
    "coach": "Has published on their own for a year and reviews others' stories with questions.",
    "publisher": "Several stories published after review with almost no changes.",
    "contributor": "Wrote a first story and worked through the review comments.",
    "incident-lead": "Led the payments outage response and the review that followed.",
    "primary": "Handled a night page alone, with the incident lead on hand.",
    "shadow": "Shadowed a full week and wrote up the cache incident.",
}

# Ravi's own view of Delivery, next to his coach's: higher, as self-assessments often are.
RAVI_SELF_ASSESSMENT = (
    "Delivery",
    "Senior engineer",
    "I now plan and ship small projects end to end and flag risks in the first week.",
)
SHARE_WITH_MANAGER = ("ravi", "kenji")

RAVI_ASSESSMENTS = [
    ("Delivery", "Engineer", "Breaks work into small steps and says early when one slips."),
    (
        "Technical craft",
        "Engineer",
        "Reads the code around a change first; the tests are thorough.",
    ),
    (
        "Collaboration",
        "Senior engineer",
        "Pairs with Leo every week; reviews with questions rather than rewrites.",
    ),
]


# The competencies of the first track that Daniel's competency coaching of Mateo
# works on.
DANIEL_COACHES_MATEO_ON = ("Technical craft", "Collaboration")


def seed(context: DemoContext) -> Counter[str]:
    counts: Counter[str] = Counter()
    people, now = context.people, context.now
    # Browser tests and a flushed database lose the migration's rows; bring them back.
    sync_builtin_ladders(Ladder, Level, LevelPrivilege)
    library = {lv.slug: lv for lv in Level.objects.filter(ladder__slug=LIBRARY_LADDER)}
    priya = people["priya"]
    grace = people["grace"]

    grants: list[Grant] = []

    def add(person: Person, level: Level, by: Person, days_ago: int) -> None:
        grants.append(
            Grant(
                person=person,
                level=level,
                granted_by=by,
                evidence=EVIDENCE[level.slug],
                granted_at=now - dt.timedelta(days=days_ago),
            )
        )

    # Grace was made the first coach by the org admin; she granted the rest, each
    # contributor first and publisher later, so the demo has some history.
    add(grace, library["coach"], priya, 300)
    for username in (*LIBRARY_PUBLISHERS, *LIBRARY_CONTRIBUTORS):
        add(people[username], library["contributor"], grace, 200 + context.rng.randrange(60))
    for username in LIBRARY_PUBLISHERS:
        add(people[username], library["publisher"], grace, 30 + context.rng.randrange(60))

    on_call = Ladder.objects.create(
        organisation=context.organisation,
        slug="on-call",
        name="On-call",
        description="Carrying the pager for the systems we run.",
    )
    levels = Level.objects.bulk_create(
        [
            Level(ladder=on_call, slug=slug, name=name, rank=rank, criteria=criteria)
            for rank, (slug, name, criteria, _) in enumerate(ON_CALL_LEVELS)
        ]
    )
    LevelPrivilege.objects.bulk_create(
        [
            LevelPrivilege(level=level, privilege=privilege)
            for level, spec in zip(levels, ON_CALL_LEVELS, strict=True)
            for privilege in spec[3]
        ]
    )
    by_slug = {level.slug: level for level in levels}
    lead = people["ingrid"]
    add(lead, by_slug["incident-lead"], priya, 250)
    for username, slug in ON_CALL_GRANTS.items():
        if username != "ingrid":
            add(people[username], by_slug[slug], lead, 20 + context.rng.randrange(100))
    Grant.objects.bulk_create(grants)
    counts["proficiency grants"] = len(grants)
    counts["proficiency ladders"] = 1

    framework = import_framework_into(
        context.organisation, EXAMPLE_FRAMEWORK.read_bytes(), filename=EXAMPLE_FRAMEWORK.name
    )
    counts["competency frameworks"] = 1
    ravi = people["ravi"]
    coaches_ravi = Engagement.objects.filter(
        giver=grace,
        receiver=ravi,
        kind__in=(EngagementKind.COACHING, EngagementKind.COMPETENCY_COACHING),
    ).exists()
    assessor = grace if coaches_ravi else ravi
    competencies = {
        c.name: c
        for c in Competency.objects.filter(
            framework=framework, track_links__track__position=0
        ).distinct()
    }
    framework_levels = {
        lv.name: lv
        for lv in FrameworkLevel.objects.filter(track__framework=framework, track__position=0)
    }
    Assessment.objects.bulk_create(
        [
            Assessment(
                person=ravi,
                assessor=assessor,
                competency=competencies[competency],
                level=framework_levels[level],
                evidence=evidence,
                assessed_at=now - dt.timedelta(days=60 - 20 * i),
            )
            for i, (competency, level, evidence) in enumerate(RAVI_ASSESSMENTS)
        ]
    )
    delivery, level, evidence = RAVI_SELF_ASSESSMENT
    Assessment.objects.create(
        person=ravi,
        assessor=ravi,
        competency=competencies[delivery],
        level=framework_levels[level],
        evidence=evidence,
        assessed_at=now - dt.timedelta(days=5),
    )
    counts["assessments"] = len(RAVI_ASSESSMENTS) + 1
    sharing = [people[u] for u in SHARE_WITH_MANAGER]
    shares = AssessmentShare.objects.bulk_create(
        [
            AssessmentShare(
                owner=person, shared_with_id=person.manager_id, created_at=now - dt.timedelta(30)
            )
            for person in sharing
            if person.manager_id is not None
        ]
    )
    counts["assessment shares"] = len(shares)
    # Daniel coaches Mateo on a competency: the two they chose to work on.
    mateo = people["mateo"]
    competency_coaching = Engagement.objects.filter(
        giver=people["daniel"], receiver=mateo, kind=EngagementKind.COMPETENCY_COACHING
    ).first()
    if competency_coaching is not None:
        links = EngagementCompetency.objects.bulk_create(
            [
                EngagementCompetency(
                    engagement=competency_coaching,
                    competency=competencies[name],
                    added_by=mateo,
                    added_at=competency_coaching.agreed_at or now,
                )
                for name in DANIEL_COACHES_MATEO_ON
            ]
        )
        counts["competencies worked on in coaching"] = len(links)
    return counts
