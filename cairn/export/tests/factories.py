"""Rows of every kind the real apps export, for the round trip, privacy and
query-count tests: what the report owns, and around it what others own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind, Session
from cairn.coaching.tests.factories import (
    make_action_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.debriefs import services as debriefs
from cairn.debriefs.tests.factories import make_debrief, open_now
from cairn.feedback import services as fb
from cairn.feedback.models import About, FeedbackAsk, FeedbackRequest, SessionFeedback
from cairn.growth import services as growth
from cairn.library import services as library
from cairn.library.models import ReviewDecision, StoryStatus
from cairn.library.tests import factories as library_testing
from cairn.mastery import services as mastery
from cairn.mastery.models import Competency, Framework
from cairn.mastery.tests.factories import grant
from cairn.mentoring import services as mentoring
from cairn.mentoring.models import Match, Program, Role
from cairn.mentoring.tests.factories import make_profile, tag
from cairn.people.models import Person
from cairn.testing import Cast
from cairn.trust.models import Kind
from cairn.trust.services import record

# Distinctive texts, so that "not in the export" cannot pass by accident.
MY_PRIVATE = "report private: thinking about moving to another team"
MY_SHARED = "report shared: I want more ownership of the build"
THEIR_PRIVATE = "manager private: worried about their focus since the reorg"
THEIR_SHARED = "manager shared: great demo on Friday"
THEIR_ACTION = "manager action: book the offsite room"
MY_ACTION = "report action: draft the conference talk"
MY_OBJECTIVE = "report objective: speak at a meetup"
OTHER_OBJECTIVE = "manager objective: hire two engineers"
OUTSIDER_TEXT = "outsider private: elsewhere entirely"
MY_ASSESSMENT = "report self-assessment: shipped the migration alone"
OTHER_ASSESSMENT = "peer self-assessment: led the incident review"
MY_GRANT = "report grant: three stories reviewed"
MY_DEBRIEF = "report debrief: I ask before I advise now"
THEIR_DEBRIEF = "coach debrief: they grew into the tech lead role"
# Mentoring: what the report asked and answered, and what others wrote around it.
MY_HELPS = "report helps with: pairing on flaky tests"
MY_CHALLENGE = "report challenge: I want to run incident reviews"
MENTORS_ANSWER = "coach answer to report: full this quarter, ask again in June"
OTHER_MENTEE_CHALLENGE = "peer challenge to coach: I cannot say no to anyone"
RECEIVED_CHALLENGE = "peer challenge to report: help me estimate my work"
RECEIVED_GOALS = "peer goals to report: estimates within a day"
MY_ANSWER_TO_MENTEE = "report answer to peer: try the coach, I am away in May"
MY_ENROLMENT_GOALS = "report enrolment goals: lead without authority"
OTHER_ENROLMENT_GOALS = "peer enrolment goals: speak up in planning"
# The report's own sensitive answer: write only, so never in any export, theirs included.
MY_SENSITIVE = "report-sensitive-answer"
# Library: the report's stories and reviews, and others' around them.
MY_STORY_DRAFT = "report story, first draft: the outage that woke everyone"
MY_STORY = "report story: the outage that taught us to page less"
REVIEW_FOR_ME = "coach review of report story: say more about the pager rota"
MY_REVIEW = "report review of peer story: the on-call week is vivid"
THEIR_STORY = "peer story draft: my first on-call week alone"
OTHER_REVIEW = "coach review of peer story: what changed afterwards?"
OUTSIDER_STORY = "outsider story: elsewhere entirely"
# Trust: reads of the report's things by others (the page each came through), and a
# read of the manager's, which is the manager's to see.
MY_ACCESS = "/world/report-plan-read-by-the-coach/"
THEIR_ACCESS = "/world/manager-plan-read-by-the-director/"
# Feedback: what the report asked, took away, wrote and gave, and what others wrote.
MY_FEEDBACK_QUESTION = "report feedback question: how do I run design reviews"
ANSWER_TO_ME = "unsigned answer to report: calm in incidents"
MY_TAKEAWAY = "report takeaway: share drafts in week one"
MY_UNSIGNED_ANSWER = "report unsigned answer to peer: you explain well"
MY_GIVEN = "report gave manager: your one-on-ones are about me"
GIVEN_TO_ME = "peer gave report: you listen before you speak"
OTHER_FEEDBACK = "coach answer to peer: ask for help sooner"
# Group debriefs: the report's reflection, private note and action item, and the
# peer's reflection and note in the same debrief.
MY_REFLECTION = "report reflection: we shipped in a hurry"
MY_DEBRIEF_NOTE = "report debrief note: ask Maria about pacing"
MY_DEBRIEF_ACTION = "report debrief action: write the release checklist"
THEIR_REFLECTION = "peer reflection: I felt rushed"
THEIR_DEBRIEF_NOTE = "peer debrief note: talk to Riley"

FRAMEWORK = Path(__file__).resolve().parents[3] / "docs" / "frameworks" / "cairn-engineering.yaml"


def _framework(cast: Cast) -> Framework:
    framework = Framework.objects.filter(organisation=cast.org).first()
    if framework is None:
        framework = mastery.import_framework_into(
            cast.org, FRAMEWORK.read_bytes(), filename=FRAMEWORK.name
        )
    return framework


def fill(cast: Cast, rows: int) -> None:
    """``rows`` of each kind for the report (and as many for the people around them,
    which must stay out of the report's export)."""
    report, manager = cast.report, cast.manager
    engagement = one_on_one(manager, report)
    now = timezone.now()
    track = _framework(cast).tracks.get(position=0)
    competency = Competency.objects.filter(track_links__track=track).first()
    level = track.levels.first()
    assert competency is not None
    assert level is not None
    for n in range(rows):
        session = make_session(engagement, when=now - dt.timedelta(days=rows - n), completed=True)
        make_note(session, report, f"{MY_PRIVATE} {n}", private=True)
        make_note(session, report, f"{MY_SHARED} {n}")
        make_note(session, manager, f"{THEIR_PRIVATE} {n}", private=True)
        make_note(session, manager, f"{THEIR_SHARED} {n}")
        make_action_item(session, report, f"{MY_ACTION} {n}", by=manager)
        make_action_item(session, manager, f"{THEIR_ACTION} {n}")

        growth.save_mission_statement(report, text=f"I help teams learn {n}", love="teaching")
        objective = growth.add_objective(
            report,
            what=f"{MY_OBJECTIVE} {n}",
            why="to share what we learned",
            target_on=dt.date(2026, 6, 30),
            scale=["none", "a draft", "a talk", "two talks", "a keynote"],
        )
        growth.add_action(
            report,
            objective,
            owner=report,
            description="write the abstract",
            due_on=dt.date(2026, 4, 1),
        )
        # Someone else's name and code travel with the item, and come back unchanged
        # from an instance that does not know them.
        growth.add_action(
            report,
            objective,
            owner=manager,
            description="book the rehearsal",
            due_on=dt.date(2026, 5, 1),
        )
        growth.add_check_in(report, objective, note=f"abstract accepted {n}", position=1)
        growth.add_objective(manager, what=f"{OTHER_OBJECTIVE} {n}")
        growth.add_objective(cast.outsider, what=f"{OUTSIDER_TEXT} {n}")

        mastery.record_assessment(
            report, report, competency, level, evidence=f"{MY_ASSESSMENT} {n}"
        )
        mastery.record_assessment(
            cast.peer, cast.peer, competency, level, evidence=f"{OTHER_ASSESSMENT} {n}"
        )
        grant(report, "contributor", by=cast.coach, evidence=f"{MY_GRANT} {n}")

        # A coaching engagement, agreed (its agreement is the report's too), closed
        # and debriefed by both parties.
        coaching_engagement = make_engagement(cast.coach, report, EngagementKind.COACHING)
        coaching.close_engagement(report, coaching_engagement)
        coaching.write_debrief(
            report, coaching_engagement, learnings=f"{MY_DEBRIEF} {n}", felt="transformational"
        )
        coaching.write_debrief(
            cast.coach, coaching_engagement, learnings=f"{THEIR_DEBRIEF} {n}", felt="between"
        )
    growth.save_plan(report, dreams="lead a platform team", become="a calm, clear leader")
    _competency_coaching(cast, rows)
    _mentoring(cast, rows)
    _library(cast, rows)
    _trust(cast, rows)
    _feedback(cast, rows)
    _debriefs(cast, rows)


def _debriefs(cast: Cast, rows: int) -> None:
    """Per row: the manager's team debrief with the report and the peer, each of whom
    writes a reflection and a private note, opened, and an action item for the
    report."""
    for n in range(rows):
        debrief = make_debrief(cast.manager, people=[cast.report, cast.peer])
        debriefs.write_reflection(cast.report, debrief, happened=f"{MY_REFLECTION} {n}")
        debriefs.write_reflection(cast.peer, debrief, happened=f"{THEIR_REFLECTION} {n}")
        debriefs.add_note(cast.report, debrief, body=f"{MY_DEBRIEF_NOTE} {n}")
        debriefs.add_note(cast.peer, debrief, body=f"{THEIR_DEBRIEF_NOTE} {n}")
        open_now(debrief)
        debriefs.add_action_item(
            cast.manager,
            debrief,
            description=f"{MY_DEBRIEF_ACTION} {n}",
            owner=cast.report,
            due_on=timezone.localdate() + dt.timedelta(days=7),
        )


def _feedback(cast: Cast, rows: int) -> None:
    """Per row: the report asks four colleagues, three answer unsigned (so the
    answers show) and one signed, and the report takes something from it; the peer
    asks the report (who answers unsigned, alone: below the threshold, so not in the
    peer's export) and the coach; the peer gives the report feedback, which they
    keep, and the report gives the manager some. And the report says whether each
    of their ended one-on-ones helped."""
    report, peer, coach, manager, director = (
        cast.report,
        cast.peer,
        cast.coach,
        cast.manager,
        cast.director,
    )
    due = timezone.localdate() + dt.timedelta(days=14)

    def ask_of(request: FeedbackRequest, person: Person) -> FeedbackAsk:
        return FeedbackAsk.objects.get(request=request, person=person)

    for n in range(rows):
        mine = fb.ask_for_feedback(
            report,
            people=[peer, coach, director, manager],
            about=About.QUESTION,
            question=f"{MY_FEEDBACK_QUESTION} {n}",
            due_on=due,
        )
        for person in (peer, coach, director):
            fb.answer(person, ask_of(mine, person), well=f"{ANSWER_TO_ME} {n}", signed=False)
        fb.answer(manager, ask_of(mine, manager), well="signed: clear goals", signed=True)
        fb.add_takeaway(report, request=mine, text=f"{MY_TAKEAWAY} {n}")
        theirs = fb.ask_for_feedback(
            peer, people=[report, coach], about=About.QUESTION, question="peer asks", due_on=due
        )
        fb.answer(report, ask_of(theirs, report), well=f"{MY_UNSIGNED_ANSWER} {n}", signed=False)
        fb.answer(coach, ask_of(theirs, coach), well=f"{OTHER_FEEDBACK} {n}", signed=True)
        given = fb.give(peer, report, well=f"{GIVEN_TO_ME} {n}")
        fb.keep(report, given, kept=True)
        fb.give(report, manager, well=f"{MY_GIVEN} {n}")
    # Whether a session helped is said once: only of the sessions not answered yet
    # (a world grows by calling this again).
    answered = SessionFeedback.objects.filter(person=report).values("session_id")
    for session in Session.objects.filter(
        engagement__receiver=report, completed_at__isnull=False
    ).exclude(pk__in=answered):
        fb.say_if_session_helped(report, session, helped=True, why="it helped me think")


def _competency_coaching(cast: Cast, rows: int) -> None:
    """Per row a competency-coaching engagement naming one competency, closed and
    debriefed by both parties, each ticking a behaviour that changed (the report's
    tick is theirs to export, the coach's is not)."""
    track = _framework(cast).tracks.get(position=0)
    competency = Competency.objects.get(track_links__track=track, name="Delivery")
    mine, theirs = list(competency.behaviours.order_by("level__rank", "position"))[:2]
    for _ in range(rows):
        engagement = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
        mastery.add_engagement_competency(cast.coach, engagement, competency)
        coaching.close_engagement(cast.report, engagement)
        for person, ticked in ((cast.report, mine), (cast.coach, theirs)):
            debrief = coaching.write_debrief(
                person, engagement, learnings="smaller steps", felt="between"
            )
            mastery.record_behaviour_changes(person, debrief, [ticked])


def _mentoring(cast: Cast, rows: int) -> None:
    """The report's mentor profile; per row a request they sent (declined with an
    answer), one they received and answered, another mentee's request to the same
    mentor, and a program they enrolled in, published with their pair."""
    report, peer, coach = cast.report, cast.peer, cast.coach
    make_profile(report, helps=MY_HELPS)
    make_profile(coach, capacity=2)
    today = timezone.localdate()
    first = Program.objects.filter(organisation=cast.org).count()
    for n in range(rows):
        sent = mentoring.send_request(
            report, coach, challenge=f"{MY_CHALLENGE} {n}", goals="run one by summer"
        )
        mentoring.answer_request(coach, sent, accept=False, message=f"{MENTORS_ANSWER} {n}")
        theirs = mentoring.send_request(
            peer, coach, challenge=f"{OTHER_MENTEE_CHALLENGE} {n}", goals="say no kindly"
        )
        mentoring.answer_request(coach, theirs, accept=False, message="not now")
        received = mentoring.send_request(
            peer, report, challenge=f"{RECEIVED_CHALLENGE} {n}", goals=f"{RECEIVED_GOALS} {n}"
        )
        mentoring.answer_request(
            report, received, accept=False, message=f"{MY_ANSWER_TO_MENTEE} {n}"
        )

        program = mentoring.create_program(
            cast.program_admin,
            mentoring.ProgramData(
                name=f"Cohort {first + n}",
                purpose="Pair people across teams",
                starts_on=today + dt.timedelta(days=10),
                ends_on=today + dt.timedelta(days=100),
                enrolment_opens=today - dt.timedelta(days=5),
                enrolment_closes=today + dt.timedelta(days=5),
            ),
        )
        skills = [tag("architecture")]
        mentor = mentoring.enrol(
            coach, program, mentoring.EnrolmentData(role=Role.MENTOR, capacity=2, tags=skills)
        )
        mine = mentoring.enrol(
            report,
            program,
            mentoring.EnrolmentData(
                role=Role.MENTEE,
                goals=f"{MY_ENROLMENT_GOALS} {n}",
                tags=skills,
                shortlist=[mentor],
                not_with=[cast.manager],
                gender=MY_SENSITIVE,
                same_gender=True,
            ),
        )
        other = mentoring.enrol(
            peer,
            program,
            mentoring.EnrolmentData(
                role=Role.MENTEE, goals=f"{OTHER_ENROLMENT_GOALS} {n}", tags=skills
            ),
        )
        # The pairs as matching would propose them, then published to both.
        Match.objects.create(program=program, mentee=mine, mentor=mentor, score=5.0)
        Match.objects.create(program=program, mentee=other, mentor=mentor, score=4.0)
        mentoring.publish(cast.program_admin, program)


def _library(cast: Cast, rows: int) -> None:
    """Per row: a story the report wrote in two versions and got back from review,
    a peer's story the report reviewed (and the coach after them), and an outsider's
    draft."""
    report, peer, coach = cast.report, cast.peer, cast.coach
    grant(coach, "coach")
    grant(report, "coach")  # the report reviews others' stories too
    tags = library_testing.tags("leadership")
    for n in range(rows):
        story = library_testing.make_story(
            report, f"Report story {n}", problem=f"{MY_STORY_DRAFT} {n}", status=StoryStatus.DRAFT
        )
        library.revise_story(
            report,
            story,
            title=f"Report story {n}, revised",
            problem=f"{MY_STORY} {n}",
            actions="We split the pager rota.",
            lessons="Page less, sleep more.",
            tags=tags,
        )
        library.submit_story(report, story)
        library.review_story(
            coach,
            story,
            strengths="A vivid opening.",
            questions="Who was on call?",
            comments=f"{REVIEW_FOR_ME} {n}",
            decision=ReviewDecision.RETURN,
        )

        theirs = library_testing.make_story(
            peer, f"Peer story {n}", problem=f"{THEIR_STORY} {n}", status=StoryStatus.IN_REVIEW
        )
        library.review_story(
            report,
            theirs,
            strengths=f"{MY_REVIEW} {n}",
            questions="How did it end?",
            comments="Say what you would do next time.",
            decision=ReviewDecision.RETURN,
        )
        library.submit_story(peer, theirs)
        library.review_story(
            coach,
            theirs,
            strengths="Honest.",
            questions="",
            comments=f"{OTHER_REVIEW} {n}",
            decision=ReviewDecision.RETURN,
        )
        library_testing.make_story(
            cast.outsider, problem=f"{OUTSIDER_STORY} {n}", status=StoryStatus.DRAFT
        )


def _trust(cast: Cast, rows: int) -> None:
    """Per row: the coach read the report's plan, the director the manager's."""
    for n in range(rows):
        record(
            cast.report,
            Kind.DEVELOPMENT_PLAN,
            reader=cast.coach,
            reader_name=cast.coach.name,
            via=f"{MY_ACCESS}{n}",
        )
        record(
            cast.manager,
            Kind.DEVELOPMENT_PLAN,
            reader=cast.director,
            reader_name=cast.director.name,
            via=f"{THEIR_ACCESS}{n}",
        )
