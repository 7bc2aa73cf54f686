"""Demo growth: mission statements and development plans for a handful of Northwind
people, shared with their coach or mentor and — on purpose — not with their manager.

Ravi is the spotlight: three versions of his mission statement, a plan shared with
Tomasz (his mentor) but not Marcus (his manager), an objective with a goal-attainment
scale and check-ins reviewed in his latest mentoring session, and one linked to his
next one-on-one with Marcus, which Marcus still cannot read. Everything is written
with ``bulk_create`` and dated relative to ``context.now``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import EngagementKind, Session
from cairn.growth.models import (
    CheckIn,
    DevelopmentPlan,
    MissionStatement,
    Objective,
    ObjectiveStatus,
    PlanAction,
    PlanShare,
)
from cairn.growth.services import session_label
from cairn.trust.models import AccessRecord, Kind

if TYPE_CHECKING:
    from cairn.people.models import Person
    from cairn.people.seeding import DemoContext


@dataclass(frozen=True)
class DemoObjective:
    what: str
    why: str
    how: str
    measure: str
    status: str
    target_in_days: int
    scale: tuple[str, str, str, str, str] | None = None
    # (days ago, note, position) — positions only with a scale
    check_ins: tuple[tuple[int, str, int | None], ...] = ()
    # (owner: "me" or a username, description, due in days (negative: past), done)
    actions: tuple[tuple[str, str, int, bool], ...] = ()
    # The engagement kind and other party of the session it is reviewed in, if any;
    # "held" takes the latest held session, otherwise the next upcoming one.
    review: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class DemoGrowth:
    username: str
    missions: tuple[tuple[int, str], ...]  # (days ago, text), oldest first
    answers: tuple[str, str, str]  # kept with the newest version
    dreams: str
    become: str
    share_with: tuple[str, ...]
    objectives: tuple[DemoObjective, ...] = field(default=())


GROWTH: tuple[DemoGrowth, ...] = (
    DemoGrowth(
        "ravi",
        missions=(
            (240, "I want to write code that other people enjoy working with."),
            (
                120,
                "I build reliable systems and help the people around me understand them.",
            ),
            (
                20,
                "I make hard systems simple enough to explain on a whiteboard, and I help "
                "the engineers around me grow the way my mentors helped me.",
            ),
        ),
        answers=(
            "Untangling a gnarly incident and explaining it afterwards.",
            "Knowing that something I built keeps people's evenings free of pages.",
            "A senior engineer others come to when a system stops making sense.",
        ),
        dreams="Speak at a conference about what we learned running Platform. Mentor a "
        "graduate one day.",
        become="A senior engineer who designs systems and grows people, not only code.",
        share_with=("tomasz",),
        objectives=(
            DemoObjective(
                what="Lead the design of the new deploy pipeline",
                why="Designing, not only building, is the step to senior.",
                how="Write the design doc, run the review, pair with Sofia on the hard parts.",
                measure="Design accepted by the Platform team and first service migrated.",
                status=ObjectiveStatus.IN_PROGRESS,
                target_in_days=90,
                scale=(
                    "No design doc written",
                    "Design doc drafted, not reviewed",
                    "Design reviewed and accepted",
                    "Accepted and one service migrated",
                    "Accepted and three services migrated",
                ),
                check_ins=(
                    (45, "Started the doc; the rollback story is the hard part.", -1),
                    (20, "Review went well; two open questions on secrets.", 0),
                    (5, "Secrets settled with Ingrid; first service next week.", 0),
                ),
                actions=(
                    ("me", "Draft the rollback section of the design doc", -30, True),
                    ("sofia", "Review the design doc with Ravi", -18, True),
                    ("me", "Migrate the billing worker to the new pipeline", 10, False),
                ),
                review=(EngagementKind.MENTORING, "tomasz", "held"),
            ),
            DemoObjective(
                what="Give a talk at the internal engineering forum",
                why="Explaining clearly is half of senior work, and it scares me.",
                how="Pick the incident write-up, rehearse with Tomasz, book a slot.",
                measure="Talk given; three questions from the audience.",
                status=ObjectiveStatus.NOT_STARTED,
                target_in_days=60,
                actions=(("me", "Book a slot at the forum", 14, False),),
                review=(EngagementKind.ONE_ON_ONE, "marcus", "next"),
            ),
        ),
    ),
    DemoGrowth(
        "imani",
        missions=(
            (90, "I want mobile apps to feel fast for everyone, on every phone."),
            (
                10,
                "I make our app fast and kind on the cheapest phones, because that is "
                "where most of our customers are.",
            ),
        ),
        answers=(
            "Profiling an app until it flies.",
            "Customers who cannot afford a new phone.",
            "The person the team trusts with performance.",
        ),
        dreams="Own app performance across Mobile.",
        become="A senior mobile engineer with a reputation for performance.",
        share_with=("tomasz",),
        objectives=(
            DemoObjective(
                what="Cut cold start on low-end Android below two seconds",
                why="Half of our users are on low-end devices.",
                how="Trace start-up, defer non-critical work, measure weekly.",
                measure="P50 cold start on the reference device.",
                status=ObjectiveStatus.IN_PROGRESS,
                target_in_days=45,
                check_ins=((7, "Deferred analytics start-up: 3.1 s to 2.6 s.", None),),
                actions=(("me", "Trace start-up on the reference device", -7, True),),
            ),
        ),
    ),
    DemoGrowth(
        "zara",
        missions=(
            (60, "I want to lead without losing the craft."),
            (
                15,
                "I lead iOS by example: careful code, honest reviews, and room for "
                "everyone to get better.",
            ),
        ),
        answers=("Crafting delightful interfaces.", "A team that ships together.", "A lead."),
        dreams="Lead the iOS guild.",
        become="A tech lead who still writes code every week.",
        share_with=("grace",),
        objectives=(
            DemoObjective(
                what="Run the iOS guild for a quarter",
                why="Practice leading before the title.",
                how="Fortnightly guild sessions, rotating speakers.",
                measure="Six sessions held; attendance steady.",
                status=ObjectiveStatus.IN_PROGRESS,
                target_in_days=70,
                actions=(("me", "Plan the next three guild sessions", 5, False),),
                review=(EngagementKind.COACHING, "grace", "held"),
            ),
        ),
    ),
    DemoGrowth(
        "marcus",
        missions=((30, "I build teams where people grow faster than they thought they could."),),
        answers=("", "", ""),
        dreams="Grow two of my engineers into staff engineers.",
        become="A manager people want to work for twice.",
        share_with=("grace",),
        objectives=(
            DemoObjective(
                what="Make every one-on-one about the person, not the project",
                why="Status belongs to stand-up; one-on-ones are for growth.",
                how="Ask about dreams first; move status points to stand-up.",
                measure="No status nudges in my one-on-ones for a month.",
                status=ObjectiveStatus.ACHIEVED,
                target_in_days=-10,
            ),
        ),
    ),
)


def seed(context: DemoContext) -> Counter[str]:
    now, people = context.now, context.people
    today = timezone.localdate(now)
    counts: Counter[str] = Counter()
    owners = [people[g.username] for g in GROWTH]

    missions: list[MissionStatement] = []
    shares: list[PlanShare] = []
    plans: list[DevelopmentPlan] = []
    for growth, owner in zip(GROWTH, owners, strict=True):
        for index, (days_ago, text) in enumerate(growth.missions):
            newest = index == len(growth.missions) - 1
            love, morning, become = growth.answers if newest else ("", "", "")
            missions.append(
                MissionStatement(
                    owner=owner,
                    text=text,
                    love=love,
                    morning=morning,
                    become=become,
                    is_current=newest,
                    created_at=now - dt.timedelta(days=days_ago),
                )
            )
        shares += [
            PlanShare(owner=owner, shared_with=people[username], created_at=now)
            for username in growth.share_with
        ]
        plans.append(
            DevelopmentPlan(
                owner=owner,
                dreams=growth.dreams,
                become=growth.become,
                created_at=now - dt.timedelta(days=growth.missions[0][0]),
            )
        )
    MissionStatement.objects.bulk_create(missions)
    PlanShare.objects.bulk_create(shares)
    DevelopmentPlan.objects.bulk_create(plans)
    # Each sharee has read the plan they were given, so that its owner's "Who has seen
    # my things" shows what a share means.
    reads = [
        AccessRecord(
            organisation_id=share.owner.organisation_id,
            owner=share.owner,
            reader=share.shared_with,
            reader_name=share.shared_with.name,
            kind=kind,
            via=reverse("growth:shared-plan", args=[share.owner.code]),
            at=now - dt.timedelta(days=2, hours=index),
        )
        for index, share in enumerate(shares)
        for kind in (Kind.MISSION_STATEMENT, Kind.DEVELOPMENT_PLAN)
    ]
    AccessRecord.objects.bulk_create(reads)
    counts["access_records"] += len(reads)

    sessions = _review_sessions(owners, now)
    objectives: list[Objective] = []
    actions: list[tuple[int, PlanAction]] = []
    check_ins: list[tuple[int, CheckIn]] = []
    for growth, owner, plan in zip(GROWTH, owners, plans, strict=True):
        for offset, spec in enumerate(growth.objectives):
            objective = Objective(
                plan=plan,
                what=spec.what,
                why=spec.why,
                how=spec.how,
                measure=spec.measure,
                status=spec.status,
                target_on=today + dt.timedelta(days=spec.target_in_days),
                created_at=plan.created_at + dt.timedelta(hours=offset + 1),
            )
            if spec.scale is not None:
                objective.set_scale(list(spec.scale))
            if spec.review is not None:
                kind, username, which = spec.review
                session = sessions.get((owner.pk, kind, people[username].pk, which))
                if session is not None:
                    objective.session = session
                    objective.session_label = session_label(session, owner)
            index = len(objectives)
            objectives.append(objective)
            for username, description, due_in, done in spec.actions:
                person = owner if username == "me" else people[username]
                due_on = today + dt.timedelta(days=due_in)
                actions.append(
                    (
                        index,
                        PlanAction(
                            owner=person,
                            owner_name=person.name,
                            description=description,
                            due_on=due_on,
                            done_at=timezone.make_aware(dt.datetime.combine(due_on, dt.time(16)))
                            if done
                            else None,
                            created_at=objective.created_at,
                        ),
                    )
                )
            for days_ago, note, position in spec.check_ins:
                check_ins.append(
                    (
                        index,
                        CheckIn(
                            note=note,
                            position=position,
                            created_at=now - dt.timedelta(days=days_ago),
                        ),
                    )
                )
    Objective.objects.bulk_create(objectives)
    for index, action in actions:
        action.objective = objectives[index]
    for index, check_in in check_ins:
        check_in.objective = objectives[index]
    PlanAction.objects.bulk_create([a for _, a in actions])
    CheckIn.objects.bulk_create([c for _, c in check_ins])

    counts.update(
        mission_statements=len(missions),
        development_plans=len(plans),
        objectives=len(objectives),
        plan_actions=len(actions),
        check_ins=len(check_ins),
        plan_shares=len(shares),
    )
    return counts


def _review_sessions(
    owners: list[Person], now: dt.datetime
) -> dict[tuple[int, str, int, str], Session]:
    """For each owner's engagements: the latest held session ("held") and the next
    upcoming one ("next"), keyed by (owner, kind, other party, which) — one query."""
    found: dict[tuple[int, str, int, str], Session] = {}
    owner_ids = {owner.pk for owner in owners}
    sessions = (
        Session.objects.filter(engagement__receiver_id__in=owner_ids)
        .select_related("engagement__giver", "engagement__receiver")
        .order_by("scheduled_for")
    )
    for session in sessions:
        engagement = session.engagement
        key = (engagement.receiver_id, engagement.kind, engagement.giver_id)
        if session.completed_at is not None and session.scheduled_for <= now:
            found[(*key, "held")] = session  # later sessions overwrite: the latest wins
        elif (*key, "next") not in found and session.scheduled_for > now:
            found[(*key, "next")] = session
    return found
