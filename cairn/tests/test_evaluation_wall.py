"""The wall between coaching and evaluation, proven by canaries.

Text is planted in every coaching artefact of the report — session notes (shared
and private), agenda and action items, the plan's dreams and objective, the mission
statement, competency assessment evidence, debriefs, a mentoring request's
challenge, an enrolment's goals and sensitive answer, a story draft — and the report
is evaluated by their manager in a review cycle HR runs, with canaries of its own.

Then every page is walked by reversing the URLconf (as ``test_routes`` does), its
parameters filled with the identifiers of every planted row: no evaluation page or
export shows a coaching canary, to the manager or to HR; no other page, and not the
person's export, shows an evaluation canary, to anyone in the cast.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cairn.coaching import calendar as coaching_calendar
from cairn.coaching import services as coaching
from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.debriefs import services as debriefs
from cairn.debriefs.tests.factories import make_debrief, open_now
from cairn.evaluation.tests.factories import EVERYTHING, Evaluation, build_evaluation
from cairn.export import document as export_document
from cairn.export import services as export_services
from cairn.feedback import services as feedback
from cairn.feedback.models import About, FeedbackAsk
from cairn.growth import services as growth
from cairn.library.models import StoryStatus
from cairn.library.tests.factories import make_story
from cairn.mastery import services as mastery
from cairn.mastery.builtin_ladders import LIBRARY_LADDER
from cairn.mastery.models import Competency
from cairn.mastery.tests.factories import import_example
from cairn.mentoring.tests.factories import enrol_mentee, make_program, make_request
from cairn.notifications.models import Kind
from cairn.notifications.services import notify
from cairn.testing import Cast, client_for, make_cast
from cairn.tests.test_routes import POST_ONLY

SHARED_NOTE = "Coach-canary shared note about the weekend"
PRIVATE_NOTE = "Coach-canary private note, the manager alone"
REPORT_PRIVATE = "Coach-canary private note, the report alone"
AGENDA = "Coach-canary agenda: how are you, really"
ACTION = "Coach-canary action: book the counsellor"
MISSION = "Coach-canary mission: I make hard things gentle"
DREAMS = "Coach-canary dreams: a sabbatical by the sea"
OBJECTIVE = "Coach-canary objective: speak up in design reviews"
EVIDENCE = "Coach-canary evidence: froze in the incident review"
SELF_EVIDENCE = "Coach-canary self evidence: I doubt myself"
DEBRIEF = "Coach-canary debrief: I learned to ask for help"
COACH_DEBRIEF = "Coach-canary coach debrief: trust grew"
CHALLENGE = "Coach-canary challenge: imposter feelings"
ENROL_GOALS = "Coach-canary enrolment goals: confidence"
SENSITIVE = "Coach-canary sensitive"
STORY = "Coach-canary story draft: the outage I caused"
FEEDBACK_QUESTION = "Coach-canary feedback question: am I too quiet"
FEEDBACK_ANSWER = "Coach-canary feedback answer: speak up sooner"
FEEDBACK_GIVEN = "Coach-canary feedback given: great incident calm"
GROUP_REFLECTION = "Coach-canary team debrief reflection: we shipped in fear"
COACHING = (
    SHARED_NOTE,
    PRIVATE_NOTE,
    REPORT_PRIVATE,
    AGENDA,
    ACTION,
    MISSION,
    DREAMS,
    OBJECTIVE,
    EVIDENCE,
    SELF_EVIDENCE,
    DEBRIEF,
    COACH_DEBRIEF,
    CHALLENGE,
    ENROL_GOALS,
    SENSITIVE,
    STORY,
    FEEDBACK_QUESTION,
    GROUP_REFLECTION,
    FEEDBACK_ANSWER,
    FEEDBACK_GIVEN,
)

PARTIES = ["report", "manager", "director", "hr", "coach", "program_admin", "admin"]


@dataclass
class World:
    cast: Cast
    evaluation: Evaluation
    identifiers: dict[str, list[str]]  # by the noun in front of a route's parameter


def plant(cast: Cast) -> World:
    report, manager, coach = cast.report, cast.manager, cast.coach
    # The one-on-one: notes, agenda, action items.
    session = make_session(one_on_one(manager, report))
    make_note(session, manager, SHARED_NOTE)
    make_note(session, manager, PRIVATE_NOTE, private=True)
    make_note(session, report, REPORT_PRIVATE, private=True)
    make_agenda_item(session, report, AGENDA)
    make_action_item(session, report, ACTION)
    # Growth, shared with the manager on purpose: readable on growth's pages,
    # never on evaluation's.
    growth.save_mission_statement(report, text=MISSION)
    growth.save_plan(report, dreams=DREAMS, become="")
    objective = growth.add_objective(report, what=OBJECTIVE)
    growth.share(report, manager)
    # Coaching with assessments, then closed and debriefed.
    engagement = make_engagement(coach, report, EngagementKind.COACHING)
    coaching_session = make_session(engagement)
    framework = import_example(cast.org)
    track = framework.tracks.get(position=0)
    competency = Competency.objects.filter(track_links__track=track).first()
    level = track.levels.first()
    assert competency is not None
    assert level is not None
    mastery.record_assessment(coach, report, competency, level, evidence=EVIDENCE)
    mastery.record_assessment(report, report, competency, level, evidence=SELF_EVIDENCE)
    coaching.close_engagement(coach, engagement)
    coaching.write_debrief(report, engagement, learnings=DEBRIEF, felt="transformational")
    coaching.write_debrief(coach, engagement, learnings=COACH_DEBRIEF, felt="transformational")
    # Mentoring: a request and an enrolment with a sensitive answer.
    request = make_request(report, coach, challenge=CHALLENGE)
    program = make_program(cast.program_admin)
    enrol_mentee(program, report, goals=ENROL_GOALS, gender=SENSITIVE)
    story = make_story(report, STORY, status=StoryStatus.DRAFT)
    # Feedback the report asked for and was given: theirs, never evaluation's.
    asked = feedback.ask_for_feedback(
        report,
        people=[manager, coach],
        about=About.QUESTION,
        question=FEEDBACK_QUESTION,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    manager_ask = FeedbackAsk.objects.get(request=asked, person=manager)
    feedback.answer(manager, manager_ask, well=FEEDBACK_ANSWER, signed=True)
    given = feedback.give(manager, report, well=FEEDBACK_GIVEN)
    # A team debrief the manager hosts, opened, with the report's reflection.
    group_debrief = make_debrief(manager, people=[report])
    debriefs.write_reflection(report, group_debrief, happened=GROUP_REFLECTION)
    open_now(group_debrief)

    evaluation = build_evaluation(cast)
    # An export of the report's, uploaded and waiting to be imported.
    data = export_document.dumps(export_document.export_document(report)).encode()
    pending, _ = export_services.stash_upload(report, io.BytesIO(data), len(data))
    told = notify(
        report,
        Kind.ACTION_ASSIGNED,
        title="Maria Manager gave you an action item",
        url="/",
        key="wall",
    )
    assert told is not None
    people = [str(report.code), str(manager.code)]
    feed = coaching_calendar.reset_feed(report)
    identifiers = {
        # The noun in front of a route's parameter, and what it names.
        "sessions": [str(session.code), str(coaching_session.code)],
        "engagements": [str(engagement.code), str(session.engagement.code)],
        "objectives": [str(objective.code)],
        "people": people,
        "manage": people,
        "mentors": [*people, str(coach.code)],
        "frameworks": [str(framework.code)],
        "ladders": [LIBRARY_LADDER],
        "requests": [str(request.code), str(asked.code)],
        "answer": [str(manager_ask.code)],
        "debriefs": [str(group_debrief.code)],
        "received": [str(given.code)],
        "programs": [program.slug],
        "stories": [str(story.code)],
        "reviews": [str(evaluation.review.code)],
        "goals": [str(evaluation.goal.code)],
        "cycles": [str(evaluation.cycle.code)],
        "import": [str(pending.code)],
        "calendar": [feed.secret],
        # Links from a reset or invitation email: one that names nobody says so.
        "notifications": [str(told.code)],
        "reset": ["MQ"],
        "welcome": ["MQ"],
    }
    return World(cast, evaluation, identifiers)


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> World:
    # Built once for the module: every test only reads.
    with django_db_blocker.unblock():
        return plant(make_cast())


@pytest.fixture
def world(db: None, built: World) -> World:
    return copy.deepcopy(built)


def routes() -> list[tuple[str, str]]:
    """(name, pattern) of every route but the admin's, walked as test_routes does."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, ns: str
    ) -> list[tuple[str, str]]:
        found = []
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if route == "admin/":
                    continue
                inner = f"{ns}{entry.namespace}:" if entry.namespace else ns
                found += walk(entry.url_patterns, route, inner)
            else:
                found.append((f"{ns}{entry.name}", route))
        return found

    return walk(get_resolver().url_patterns, "", "")


def urls(world: World, *, evaluation: bool) -> list[str]:
    """Every URL of the evaluation routes (or of all the others), each parameter
    filled with every identifier of its kind that the world planted."""
    parameter = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
    found = []
    for name, pattern in routes():
        if name.startswith("evaluation:") != evaluation or name in POST_ONLY | {"login"}:
            continue
        match = parameter.search(pattern)
        if match is None:
            found.append("/" + pattern)
            continue
        noun = pattern[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        # A route whose noun is not known here fails: the wall covers it or says so.
        assert noun in world.identifiers, f"{name}: what does <{match['name']}> after {noun}/ name?"
        for value in world.identifiers[noun]:
            found.append("/" + parameter.sub(value, pattern))
    return found


def pages(client: Client, urls: list[str]) -> dict[str, str]:
    """The text of every page the client may open."""
    read = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200:
            read[url] = response.content.decode()
    return read


def leaks(read: dict[str, str], texts: tuple[str, ...]) -> list[str]:
    return [f"{url}: {text}" for url, page in read.items() for text in texts if text in page]


@pytest.mark.parametrize("role", ["manager", "director", "hr"])
def test_no_evaluation_page_shows_coaching_content(world: World, role: str) -> None:
    client = client_for(world.cast.everyone()[role])
    read = pages(client, urls(world, evaluation=True))
    # The walk reached the review, the goal (manager) and the cycle's pages (HR).
    assert f"/evaluation/reviews/{world.evaluation.review.code}/" in read
    if role == "hr":
        assert f"/evaluation/cycles/{world.evaluation.cycle.code}/results.csv" in read
    assert leaks(read, COACHING) == []


def test_the_canaries_are_on_the_coaching_pages(world: World) -> None:
    # Otherwise their absence from evaluation would prove nothing: the report reads
    # most of them on coaching's own pages, the program admin the enrolment.
    read = pages(client_for(world.cast.report), urls(world, evaluation=False))
    found = {text for page in read.values() for text in COACHING if text in page}
    assert {SHARED_NOTE, REPORT_PRIVATE, AGENDA, ACTION, MISSION, DREAMS, OBJECTIVE} <= found
    assert {EVIDENCE, DEBRIEF, COACH_DEBRIEF, CHALLENGE, STORY, GROUP_REFLECTION} <= found


@pytest.mark.parametrize("role", PARTIES)
def test_no_other_page_shows_evaluation(world: World, role: str) -> None:
    client = client_for(world.cast.everyone()[role])
    read = pages(client, urls(world, evaluation=False))
    assert len(read) > 10  # the walk opened pages
    assert leaks(read, EVERYTHING) == []


def test_the_persons_export_holds_no_evaluation(world: World) -> None:
    client = client_for(world.cast.report)
    read = pages(
        client,
        ["/export/", "/export/cairn-export.json", "/export/cairn-export.md", "/export/print/"],
    )
    assert len(read) == 4
    assert MISSION in read["/export/cairn-export.json"]  # the export is not empty
    assert leaks(read, EVERYTHING) == []


def test_the_walk_covers_every_evaluation_route(world: World) -> None:
    walked = urls(world, evaluation=True)
    assert {u.split("/")[2] for u in walked} >= {"", "team", "reviews", "goals", "cycles"}
    assert str(uuid.UUID(str(world.evaluation.goal.code))) in " ".join(walked)
