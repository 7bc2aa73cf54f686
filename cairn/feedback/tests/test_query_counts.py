"""Query counts of the feedback pages and endpoints: the same at 1 row and at 50.

Two worlds are built once for the module, one grown to one row and one to 50; a
test counts the queries of the same request in each. Equal counts mean no query per
row; the bound on top keeps a constant cost from creeping up unseen. Every request
spends three queries on who is asking (session, user, person), and every whole page
one on the bell and one per kind of thing the unread notifications are about.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.feedback import services
from cairn.feedback.models import GivenFeedback
from cairn.feedback.tests.factories import ask, ask_of, due
from cairn.people.models import Person
from cairn.testing import Cast, client_for, count_queries, htmx, make_cast, make_person
from cairn.testing.worlds import LARGE, SMALL, Worlds, build_worlds

BOUNDS = {
    # + the bell, and one per kind of subject among the unread notifications
    "home": 16,
    "ask": 12,  # and the people I work with, the objectives, the competencies
    "ask-search": 5,  # the picker alone: the search and the people I work with
    "request": 15,
    "request-reader": 10,  # and the read in the asker's access log
    "answer": 7,
    "give": 10,
    "received": 12,
    "shares": 12,  # the share candidates read the organisation's reporting lines
    "shared-person": 10,  # and the read in the owner's access log
    # telling each of the two people asked: their account, their channel, the
    # notification (get_or_create: a savepoint around its insert), the email
    "ask-post": 29,
    "answer-post": 12,
    "takeaway-post": 12,
    "give-post": 13,
    "keep-post": 7,
    "share-add": 19,
    "share-remove": 10,
    "session-helped": 12,
}


class World:
    """The report asks for feedback on a focus question; the manager reads what the
    report received (shared). Each row adds: a colleague asked on the focus request
    who answers unsigned, a request of the report's, feedback given to the report and
    kept, a takeaway, a coaching engagement with the colleague as coach (someone to
    share with), a request of the colleague's waiting for the report's answer, and a
    session of the report's coaching that they said helped."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.owner = cast.report
        self.reader = cast.manager
        self.colleagues: list[Person] = []
        for n in range(3):
            self.colleagues.append(make_person(cast.org, f"First {n}"))
        self.focus = ask(self.owner, [*self.colleagues, cast.peer])
        for n, person in enumerate(self.colleagues):
            services.answer(person, ask_of(self.focus, person), well=f"well {n}", signed=False)
        services.share(self.owner, self.reader)
        self.coaching = make_engagement(cast.coach, self.owner, EngagementKind.COACHING)
        self.session = make_session(self.coaching, completed=True)
        self.rows = 0

    def grow_to(self, rows: int) -> None:
        while self.rows < rows:
            n = self.rows + 1
            colleague = make_person(self.cast.org, f"Colleague {n}")
            # Asked late: a new ask on the focus request, answered signed and unsigned.
            services.ask_for_feedback(
                self.owner, people=[colleague], about="question", question=f"q {n}", due_on=due()
            )
            extra = ask(self.owner, [colleague], question=f"more {n}")
            services.answer(colleague, ask_of(extra, colleague), well=f"w {n}", signed=n % 2 == 0)
            given = services.give(colleague, self.owner, well=f"given {n}")
            services.keep(self.owner, given, kept=True)
            services.add_takeaway(self.owner, request=self.focus, text=f"takeaway {n}")
            make_engagement(colleague, self.owner, EngagementKind.MENTORING)
            ask(colleague, [self.owner], question=f"theirs {n}")
            session = make_session(self.coaching, completed=True)
            services.say_if_session_helped(self.owner, session, helped=True)
            self.rows += 1


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(lambda: World(make_cast()), django_db_blocker)


@pytest.fixture
def worlds(db: None, built: Worlds[World]) -> Worlds[World]:
    return copy.deepcopy(built)


def check(name: str, small: int, large: int) -> None:
    assert small == large, f"{name}: {small} queries at {SMALL} row, {large} at {LARGE}"
    assert large <= BOUNDS[name], f"{name}: {large} queries, bound {BOUNDS[name]}"


PAGES: dict[str, Callable[[World], tuple[Person, str, bool]]] = {
    "home": lambda w: (w.owner, reverse("feedback:home"), False),
    "ask": lambda w: (w.owner, reverse("feedback:ask"), False),
    "ask-search": lambda w: (w.owner, reverse("feedback:ask") + "?q=Colleague", True),
    "request": lambda w: (w.owner, reverse("feedback:request", args=[w.focus.code]), False),
    "request-reader": lambda w: (w.reader, reverse("feedback:request", args=[w.focus.code]), False),
    "answer": lambda w: (
        w.cast.peer,
        reverse("feedback:answer", args=[ask_of(w.focus, w.cast.peer).code]),
        False,
    ),
    "give": lambda w: (w.owner, reverse("feedback:give"), False),
    "received": lambda w: (
        w.owner,
        reverse("feedback:received", args=[GivenFeedback.objects.filter(receiver=w.owner)[0].code]),
        False,
    ),
    "shares": lambda w: (w.owner, reverse("feedback:shares"), False),
    "shared-person": lambda w: (
        w.reader,
        reverse("feedback:shared-person", args=[w.owner.code]),
        False,
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_queries_do_not_grow_with_rows(worlds: Worlds[World], name: str) -> None:
    def get(world: World) -> Callable[[], None]:
        who, url, partial = PAGES[name](world)
        client = client_for(who)
        if partial:
            client = htmx(client)

        def request() -> None:
            response = client.get(url)
            assert response.status_code == 200, url

        return request

    small, large = get(worlds.small), get(worlds.large)
    small()
    large()
    check(name, count_queries(small), count_queries(large))


def _post(client: Client, url: str, data: dict[str, Any], status: int) -> Callable[[], None]:
    def post() -> None:
        response = client.post(url, data)
        assert response.status_code == status, (url, response.status_code)

    return post


def posts(world: World) -> dict[str, Callable[[], None]]:
    owner = client_for(world.owner)
    newcomer = make_person(world.cast.org, "Newcomer")
    late = ask(world.owner, [newcomer], question="late")
    given = services.give(newcomer, world.owner, well="fresh")
    coach = make_person(world.cast.org, "New Coach")
    make_engagement(coach, world.owner, EngagementKind.COACHING)
    grant = services.share(world.owner, world.cast.director)
    ended = make_session(world.coaching, completed=True)
    return {
        "ask-post": _post(
            owner,
            reverse("feedback:ask"),
            {
                "people": [str(newcomer.code), str(world.cast.peer.code)],
                "about": "question",
                "question": "How?",
                "question_well": "a",
                "question_better": "b",
                "question_try": "c",
                "due_on": due().isoformat(),
            },
            302,
        ),
        "answer-post": _post(
            client_for(newcomer),
            reverse("feedback:answer", args=[ask_of(late, newcomer).code]),
            {"well": "ok", "signed": "unsigned"},
            302,
        ),
        "takeaway-post": _post(
            htmx(owner),
            reverse("feedback:request-takeaway", args=[world.focus.code]),
            {"text": "one more"},
            200,
        ),
        "give-post": _post(
            client_for(newcomer),
            reverse("feedback:give"),
            {"person": str(world.cast.peer.code), "well": "good"},
            302,
        ),
        "keep-post": _post(
            owner, reverse("feedback:received-keep", args=[given.code]), {"keep": "yes"}, 302
        ),
        "share-add": _post(
            htmx(owner), reverse("feedback:shares"), {"person": str(coach.code)}, 200
        ),
        "share-remove": _post(
            htmx(owner),
            reverse("feedback:share-remove", args=[grant.code]),
            {"confirmed": "yes"},
            200,
        ),
        "session-helped": _post(
            owner,
            reverse("feedback:session-helped", args=[ended.code]),
            {"helped": "yes", "why": ""},
            302,
        ),
    }


def test_posts_do_not_grow_with_rows(worlds: Worlds[World]) -> None:
    small, large = posts(worlds.small), posts(worlds.large)
    found = {name: (count_queries(small[name]), count_queries(large[name])) for name in small}
    for name, (at_small, at_large) in found.items():
        check(name, at_small, at_large)
