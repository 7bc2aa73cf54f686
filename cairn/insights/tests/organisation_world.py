"""A small organisation whose insights are worked out by hand in the tests.

People (14 active): the director Dana (no team); Max the manager (team Alpha, reports
to Dana); Alpha: R1..R5 (report to Max); Beta: B1..B4 (report to Max); no team: the
org admin, the program admin, HR and Dana. Everyone joined on 4 January 2027 (the
one-on-ones, weekly, were agreed then), and R1 coaches R2 (peer, fortnightly, agreed
the same day). Dana counsels R3 (never counted anywhere).

Sessions held (10:00 UTC): Dana-Max 6 Apr; Max-R1 3 May, 10 May, 7 Jun; Max-R2..R5
11 May; Max-B1 4 May; R1-R2 (peer) 5 May; counseling Dana-R3 6 May.

Action items: R1 due 20 May (done), Max due 1 Jun (open), R1 due 1 Jul (not yet due),
counseling R3 due 20 May (done, never counted).

"Did it help": R1 yes (3 May), R2 yes (11 May), R3 no (11 May); R3 yes on the
counseling session (never counted).

Every content field holds a canary: agenda points, notes, action items, "why it
helped", a plan, an objective and its check-in, a mission statement, feedback given, a
mentoring request, a program's purpose, a debrief (of a closed engagement). The
"Spring" program has R1 and B1 as mentors, R4 and B2 as mentees (no pairs): it adds
nothing to the coaching figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import time_machine

from cairn.coaching import services as coaching
from cairn.coaching.models import Debrief, Engagement, EngagementKind, Session
from cairn.coaching.tests.factories import make_engagement, one_on_one
from cairn.feedback.models import GivenFeedback, SessionFeedback
from cairn.growth.models import CheckIn, DevelopmentPlan, MissionStatement, Objective
from cairn.mentoring.models import Program
from cairn.mentoring.tests.factories import enrol_mentee, enrol_mentor, make_program, make_request
from cairn.people.models import Organisation, Person, Team
from cairn.testing import make_org, make_person
from cairn.testing.cast import make_team

JOINED = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2027, 6, 15, 12, 0, tzinfo=dt.UTC)
CANARY = "CANARY-insights-org-5d1e"


@dataclass
class World:
    org: Organisation
    alpha: Team
    beta: Team
    director: Person
    manager: Person
    reports: list[Person]  # R1..R5, Alpha
    betas: list[Person]  # B1..B4, Beta
    admin: Person
    program_admin: Person
    hr: Person
    counseling: Engagement
    program: Program


def at(month: int, day: int) -> dt.datetime:
    return dt.datetime(2027, month, day, 10, 0, tzinfo=dt.UTC)


def held(engagement: Engagement, when: dt.datetime, *, canary: bool = True) -> Session:
    with time_machine.travel(when - dt.timedelta(hours=1), tick=False):
        session = coaching.schedule_session(engagement.giver, engagement, scheduled_for=when)
        if canary:
            coaching.add_agenda_item(engagement.giver, session, f"{CANARY} agenda")
            coaching.add_note(
                engagement.receiver, session, body=f"{CANARY} note", visibility="shared"
            )
    Session.objects.filter(pk=session.pk).update(completed_at=when + dt.timedelta(hours=1))
    session.refresh_from_db()
    return session


def item(session: Session, owner: Person, due: dt.date, *, done: bool) -> None:
    with time_machine.travel(session.scheduled_for, tick=False):
        action = coaching.add_action_item(
            session.engagement.giver,
            session,
            description=f"{CANARY} action",
            owner=owner,
            due_on=due,
        )
    if done:
        type(action).objects.filter(pk=action.pk).update(done_at=session.completed_at)


def build() -> World:
    with time_machine.travel(JOINED, tick=False):
        org = make_org("Insight Org")
        alpha, beta = make_team(org, "Alpha"), make_team(org, "Beta")
        director = make_person(org, "Dana Director", title="Director")
        manager = make_person(org, "Max Manager", manager=director, team=alpha)
        reports = [
            make_person(org, f"R{i} Alpha", manager=manager, team=alpha) for i in range(1, 6)
        ]
        betas = [make_person(org, f"B{i} Beta", manager=manager, team=beta) for i in range(1, 5)]
        admin = make_person(org, "Ada Admin", is_org_admin=True)
        program_admin = make_person(org, "Pat Programs", is_program_admin=True)
        hr = make_person(org, "Harper HR", is_hr=True)
        peer = make_engagement(reports[0], reports[1], EngagementKind.COACHING)
        counseling = make_engagement(director, reports[2], EngagementKind.COUNSELING)
    r1, r2, r3, r4, r5 = reports
    held(one_on_one(director, manager), at(4, 6))
    first = held(one_on_one(manager, r1), at(5, 3))
    held(one_on_one(manager, r1), at(5, 10))
    held(one_on_one(manager, r1), at(6, 7))
    s_r2 = held(one_on_one(manager, r2), at(5, 11))
    s_r3 = held(one_on_one(manager, r3), at(5, 11))
    held(one_on_one(manager, r4), at(5, 11))
    held(one_on_one(manager, r5), at(5, 11))
    held(one_on_one(manager, betas[0]), at(5, 4))
    held(peer, at(5, 5))
    secret = held(counseling, at(5, 6))
    item(first, r1, dt.date(2027, 5, 20), done=True)
    item(first, manager, dt.date(2027, 6, 1), done=False)
    item(first, r1, dt.date(2027, 7, 1), done=False)
    item(secret, r3, dt.date(2027, 5, 20), done=True)
    for session, person, helped in (
        (first, r1, True),
        (s_r2, r2, True),
        (s_r3, r3, False),
        (secret, r3, True),
    ):
        SessionFeedback.objects.create(
            session=session, person=person, helped=helped, why=f"{CANARY} why"
        )
    program = _content(reports, betas, program_admin)
    return World(
        org,
        alpha,
        beta,
        director,
        manager,
        reports,
        betas,
        admin,
        program_admin,
        hr,
        counseling,
        program,
    )


def _content(reports: list[Person], betas: list[Person], program_admin: Person) -> Program:
    """Canaries in every content field that could leak; no figure moves."""
    r1, r2, r3, r4, _ = reports
    plan = DevelopmentPlan.objects.create(owner=r1, dreams=f"{CANARY} dreams")
    objective = Objective.objects.create(plan=plan, what=f"{CANARY} objective")
    CheckIn.objects.create(objective=objective, note=f"{CANARY} check-in", position=0)
    MissionStatement.objects.create(owner=r2, text=f"{CANARY} mission")
    GivenFeedback.objects.create(giver=r3, receiver=r4, well=f"{CANARY} feedback")
    with time_machine.travel(JOINED, tick=False):
        make_request(r2, r1, challenge=f"{CANARY} request")
        program = make_program(program_admin, "Spring", purpose=f"{CANARY} purpose")
        enrol_mentor(program, r1)
        enrol_mentor(program, betas[0])
        enrol_mentee(program, r4)
        enrol_mentee(program, betas[1])
        # A closed engagement's debrief.
        done = make_engagement(betas[2], betas[3], EngagementKind.MENTORING)
        coaching.close_engagement(betas[2], done)
    Debrief.objects.create(
        engagement=done, author=betas[2], learnings=f"{CANARY} debrief", felt="between"
    )
    return program
