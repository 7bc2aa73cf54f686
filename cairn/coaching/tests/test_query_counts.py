"""Query counts of the coaching pages and endpoints: the same at 1 row and at 50.

Two worlds are built once for the module, one with one row of everything and one
with 50 (each test runs in a savepoint, so what it writes is undone); a test counts
the queries of the same request in each. Equal counts mean no query per row (no
N+1); the bound on top keeps a constant cost from creeping up unseen.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import AgendaItem, EngagementKind, Session
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.coaching.views import SESSIONS_PAGE_SIZE
from cairn.people.pickers import WORKS_WITH_LIMIT
from cairn.testing import Cast, client_for, count_queries, html, htmx, make_cast, make_person
from cairn.testing.worlds import LARGE, SMALL, Worlds, build_worlds, measure

# The bound of each page and endpoint, at any number of rows. Every request spends
# two queries on who is asking (the session, the account with its person), and a
# rendered <select> of a ModelChoiceField two (Django reads its first choice again
# for ``required``) — but for the action form's "Who", whose two choices are the
# parties the page has loaded already.
# Home: + the closed engagements still waiting for the viewer's debrief.
# + 1 on every whole page: the bell's unread notifications in the navigation, and
# one per kind of thing they are about (+ 2 for the viewers here, whom building the
# world told of engagements and of action items), asking whether the viewer may
# still see it.
BELL = 1 + 2
HOME_QUERIES = 6 + BELL
# Engagement page: + every agreement version, + the debriefs.
ENGAGEMENT_QUERIES = 10 + BELL
# Session page: one for objectives linked to the session for review; + 1 for the
# action items on the page towards an objective the viewer reads; + 3 for the
# Dreams section (the receiver's current mission statement, their plan, and whether
# the giver reads them); + 1 for the "Towards objective" choices of the action form.
SESSION_QUERIES = 15 + BELL
PERSON_QUERIES = 7  # one for the sponsor summaries a manager may open
# htmx posts: the access helper, the write (savepoint, insert or update, release),
# and the part of the session page they answer with.
AGENDA_ADD_QUERIES = 7
NOTE_ADD_QUERIES = 7
# Two more for the savepoint that saves the item and its form parts together; + 1
# for growth's part (removing any link to an objective), + 1 for the "Towards
# objective" choices of the form it answers with.
ACTION_ADD_QUERIES = 12
AGENDA_MARK_QUERIES = 7
AGENDA_DISMISS_QUERIES = 7
NOTE_DELETE_QUERIES = 7
ACTION_MARK_QUERIES = 9  # + 1: the "Towards objective" choices of the form
PROPOSE_QUERIES = 5 + BELL  # a whole page
# Scheduling (also the next session that ending one schedules) sends both parties
# an invitation: + the two parties with their accounts (1), + each party's queued
# email (a get-or-create: select, savepoint, insert, release: 2 times 4).
INVITATION_QUERIES = 9
SCHEDULE_QUERIES = 9 + INVITATION_QUERIES
# + the lock on the session being ended (1), and the savepoint around the next
# session's insert, where the one-session-per-slot constraint answers (2).
COMPLETE_QUERIES = 17 + INVITATION_QUERIES

CARRIED = "carried action: one per earlier session"
MENTORING_ACTION = "mentoring action"


class World:
    """The report's one-on-one with a session in focus, and rows around it.

    Each row adds: an earlier session of the one-on-one with agenda points, a shared
    and a private note and two action items (one open, which carries forward into
    the focus session, one done); on the focus session a talking point (every other
    one reads like status, so its nudge shows) and three notes; and a mentoring
    engagement of the report, with a session and an action item of its own.
    """

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.engagement = one_on_one(cast.manager, cast.report)
        self.now = timezone.now()
        self.focus = make_session(self.engagement, when=self.now + dt.timedelta(days=1))
        self.rows = 0

    def grow_to(self, rows: int) -> None:
        manager, report = self.cast.manager, self.cast.report
        while self.rows < rows:
            self.rows += 1
            n = self.rows
            earlier = make_session(self.engagement, when=self.now - dt.timedelta(days=n))
            make_agenda_item(earlier, report, f"earlier point {n}")
            make_agenda_item(earlier, manager, f"status update on OPS-{n}")
            make_note(earlier, manager, f"earlier shared note {n}")
            make_note(earlier, report, f"earlier private note {n}", private=True)
            make_action_item(earlier, report, CARRIED, by=manager)
            done = make_action_item(earlier, manager, f"done action {n}")
            done.done_at = self.now
            done.save(update_fields=["done_at"])

            text = f"status update on OPS-{n}" if n % 2 else f"focus point {n}"
            make_agenda_item(self.focus, manager if n % 2 else report, text)
            make_note(self.focus, manager, f"focus shared note {n}")
            make_note(self.focus, report, f"focus private note of the report {n}", private=True)
            make_note(self.focus, manager, f"focus private note of the manager {n}", private=True)

            mentor = make_person(self.cast.org, f"Mentor {n}")
            mentoring = make_engagement(mentor, report, EngagementKind.MENTORING)
            session = make_session(mentoring, when=self.now + dt.timedelta(days=2))
            make_action_item(session, report, MENTORING_ACTION, by=mentor)

    def first_focus_item(self) -> AgendaItem:
        return AgendaItem.objects.filter(session=self.focus).order_by("pk").first()  # type: ignore[return-value]

    def status_item(self) -> AgendaItem:
        return AgendaItem.objects.filter(session=self.focus, looks_like_status=True).first()  # type: ignore[return-value]


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(lambda: World(make_cast()), django_db_blocker)


@pytest.fixture
def worlds(db: None, built: Worlds[World]) -> Worlds[World]:
    # A copy per test, so that no test sees objects another changed in memory.
    return copy.deepcopy(built)


# --- pages -------------------------------------------------------------------------


def get(client: Client, url: str) -> Callable[[], object]:
    return lambda: client.get(url)


def test_home_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    small, large = measure(worlds, lambda w: get(client_for(w.cast.report), reverse("home")))
    page = html(client_for(worlds.large.cast.report).get(reverse("home")))
    assert page.count(f"<span>{CARRIED}</span>") == LARGE  # the rows are on the page…
    assert page.count(f"<span>{MENTORING_ACTION}</span>") == LARGE
    assert page.count("Mentor ") >= 2 * LARGE  # in upcoming sessions and in people
    assert small == large <= HOME_QUERIES  # …at no cost per row


def engagement_url(world: World) -> str:
    return reverse("coaching:engagement", args=[world.engagement.code])


def test_engagement_page_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    small, large = measure(worlds, lambda w: get(client_for(w.cast.report), engagement_url(w)))
    response = client_for(worlds.large.cast.report).get(engagement_url(worlds.large))
    assert response.status_code == 200
    # A page of the sessions, newest first, and the way to the older ones.
    assert html(response).count("/sessions/") >= SESSIONS_PAGE_SIZE
    assert f"Sessions 1–{SESSIONS_PAGE_SIZE} of {LARGE + 1}" in html(response)
    assert html(response).count(CARRIED) == LARGE
    assert small == large <= ENGAGEMENT_QUERIES


def session_url(world: World) -> str:
    return reverse("coaching:session", args=[world.focus.code])


def test_session_page_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    small, large = measure(worlds, lambda w: get(client_for(w.cast.report), session_url(w)))
    response = client_for(worlds.large.cast.report).get(session_url(worlds.large))
    page = html(response)
    assert response.status_code == 200
    assert page.count(CARRIED) >= LARGE
    assert page.count("focus shared note") == LARGE
    assert page.count("focus private note of the report") == LARGE
    assert "focus private note of the manager" not in page
    assert 'class="nudge"' in page
    assert small == large <= SESSION_QUERIES


def person_url(world: World) -> str:
    return reverse("people:person", args=[world.cast.report.code])


def test_person_page_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    # The report's manager may know of the mentoring.
    small, large = measure(worlds, lambda w: get(client_for(w.cast.manager), person_url(w)))
    response = client_for(worlds.large.cast.manager).get(person_url(worlds.large))
    assert response.status_code == 200
    # Counted in the page's main part: the site's navigation links to Mentoring too.
    main = html(response).split("<main", 1)[1]
    assert main.count("Mentoring") == LARGE
    assert small == large <= PERSON_QUERIES


# --- htmx endpoints: each answers with its part of the session page -----------------


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=7)).isoformat()


def post(
    world: World, name: str, code: object, data: dict[str, str] | None = None
) -> Callable[[], Any]:
    """An htmx post by the world's report to ``name`` for ``code``."""
    client = htmx(client_for(world.cast.report))
    url = reverse(name, args=[code])
    return lambda: client.post(url, data or {})


def test_agenda_add_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        return post(w, "coaching:agenda-add", w.focus.code, {"text": "one more point"})

    small, large = measure(worlds, prepare)
    response = prepare(worlds.large)()
    assert response.status_code == 200
    # The post measured in this world, and this one.
    assert html(response).count('<span class="text">one more point</span>') == 2
    assert small == large <= AGENDA_ADD_QUERIES


def test_note_add_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        data = {"body": "one more note", "visibility": "shared"}
        return post(w, "coaching:note-add", w.focus.code, data)

    small, large = measure(worlds, prepare)
    response = prepare(worlds.large)()
    assert response.status_code == 200
    assert html(response).count("focus shared note") == LARGE
    assert small == large <= NOTE_ADD_QUERIES


def test_action_add_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        data = {
            "owner": str(w.cast.report.code),
            "description": "one more action",
            "due_on": _due(),
        }
        return post(w, "coaching:action-add", w.focus.code, data)

    small, large = measure(worlds, prepare)
    response = prepare(worlds.large)()
    assert response.status_code == 200
    assert html(response).count(CARRIED) >= LARGE
    assert small == large <= ACTION_ADD_QUERIES


def test_agenda_mark_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        return post(w, "coaching:agenda-mark", w.first_focus_item().code, {"discussed": "1"})

    small, large = measure(worlds, prepare)
    assert prepare(worlds.large)().status_code == 200
    assert small == large <= AGENDA_MARK_QUERIES


def test_agenda_dismiss_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        return post(w, "coaching:agenda-dismiss", w.status_item().code)

    small, large = measure(worlds, prepare)
    assert prepare(worlds.large)().status_code == 200
    assert small == large <= AGENDA_DISMISS_QUERIES


def test_note_delete_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    counted: list[int] = []

    def prepare(w: World) -> Callable[[], None]:
        client = htmx(client_for(w.cast.report))

        def delete_a_note() -> None:
            note = make_note(w.focus, w.cast.report, "a note to delete")
            url = reverse("coaching:note-delete", args=[note.code])
            counted.append(count_queries(lambda: client.post(url, {"confirmed": "yes"})))

        return delete_a_note

    measure(worlds, prepare)
    small, large = counted[1], counted[2]
    assert small == large <= NOTE_DELETE_QUERIES


def test_action_mark_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        item = w.focus.engagement.action_items.filter(owner=w.cast.report).first()
        assert item is not None
        data = {"done": "1", "session": str(w.focus.code)}
        return post(w, "coaching:action-mark", item.code, data)

    small, large = measure(worlds, prepare)
    assert prepare(worlds.large)().status_code == 200
    assert small == large <= ACTION_MARK_QUERIES


def test_propose_page_query_count_does_not_grow_with_people(worlds: Worlds[World]) -> None:
    # Every row adds a person the report works with (a mentor): the picker lists
    # no more than WORKS_WITH_LIMIT of them, whatever their number.
    url = reverse("coaching:engagement-new")
    small, large = measure(worlds, lambda w: get(client_for(w.cast.report), url))
    page = html(client_for(worlds.large.cast.report).get(url))
    assert page.count("Mentor ") == WORKS_WITH_LIMIT - 1  # and their manager
    assert "Maria Manager" in page
    assert small == large <= PROPOSE_QUERIES


def test_schedule_query_count_does_not_grow_with_rows(worlds: Worlds[World]) -> None:
    beat = itertools.count(10)

    def prepare(w: World) -> Callable[[], Any]:
        client = client_for(w.cast.report)
        url = reverse("coaching:session-schedule", args=[w.engagement.code])
        template = w.engagement.template.slug

        def schedule() -> Any:
            when = (w.now + dt.timedelta(days=next(beat))).strftime("%Y-%m-%dT%H:%M")
            return client.post(url, {"scheduled_for": when, "template": template})

        return schedule

    small, large = measure(worlds, prepare)
    assert prepare(worlds.large)().status_code == 302
    assert small == large <= SCHEDULE_QUERIES


@pytest.mark.parametrize("points", [SMALL, LARGE])
def test_ending_a_session_costs_the_same_however_many_points_carry(cast: Cast, points: int) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    session = make_session(engagement, when=timezone.now() - dt.timedelta(hours=1))
    for n in range(points):
        make_agenda_item(session, cast.report, f"point {n}")
    client = client_for(cast.manager)
    url = reverse("coaching:session-complete", args=[session.code])

    queries = count_queries(lambda: client.post(url))

    carried = AgendaItem.objects.filter(carried_from__session=session)
    assert carried.count() == points
    assert queries <= COMPLETE_QUERIES


@pytest.mark.parametrize(("size", "rows"), [("small", SMALL), ("large", LARGE)])
def test_focus_session_has_every_row(worlds: Worlds[World], size: str, rows: int) -> None:
    # The control for the counts above: the worlds really have the rows they claim.
    world = getattr(worlds, size)
    assert Session.objects.filter(engagement=world.engagement).count() == rows + 1
    assert world.focus.agenda_items.count() == rows
    assert world.focus.notes.count() == 3 * rows


# A browser's post (no htmx) is redirected back to the page: who is asking (2), the
# access helper and the write (savepoint, insert, release) — none of the page's own
# queries, which the redirect's GET runs.
AGENDA_ADD_BROWSER_QUERIES = 6


def test_a_browsers_post_is_redirected_without_building_the_page(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        client = client_for(w.cast.report)
        url = reverse("coaching:agenda-add", args=[w.focus.code])
        return lambda: client.post(url, {"text": "one more point"})

    small, large = measure(worlds, prepare)
    response = prepare(worlds.large)()
    assert response.status_code == 302
    assert response["Location"] == session_url(worlds.large) + "#agenda"
    assert small == large <= AGENDA_ADD_BROWSER_QUERIES
