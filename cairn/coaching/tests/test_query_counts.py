"""Query counts of the coaching pages and endpoints: the same at 1 row and at 50.

Each test builds a world with one row of everything, counts the queries of a
request, grows the world to 50 rows and counts again. Equal counts mean no query
per row (no N+1); the bound on top keeps a constant cost from creeping up unseen.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
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
from cairn.testing import Cast, client_for, count_queries, html, htmx, make_person

SMALL = 1
LARGE = 50

# The bound of each page and endpoint, at any number of rows. Every request spends
# three queries on who is asking (session, user, person), and a rendered <select> of
# a ModelChoiceField two (Django reads its first choice again for ``required``).
# Home: + the closed engagements still waiting for the viewer's debrief.
HOME_QUERIES = 7
# Engagement page: + every agreement version, + the debriefs.
ENGAGEMENT_QUERIES = 11
SESSION_QUERIES = 13  # one for objectives linked to the session for review
PERSON_QUERIES = 9  # two for the sponsor summaries a manager may open
# htmx posts: the access helper, the write (savepoint, insert or update, release),
# and the part of the session page they answer with.
AGENDA_ADD_QUERIES = 8
NOTE_ADD_QUERIES = 8
ACTION_ADD_QUERIES = 11
AGENDA_MARK_QUERIES = 9
AGENDA_DISMISS_QUERIES = 9
NOTE_DELETE_QUERIES = 9
ACTION_MARK_QUERIES = 11
PROPOSE_QUERIES = 6
SCHEDULE_QUERIES = 10
COMPLETE_QUERIES = 15

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
        self._serial = itertools.count(1)

    def grow_to(self, rows: int) -> None:
        manager, report = self.cast.manager, self.cast.report
        while self.rows < rows:
            self.rows += 1
            n = next(self._serial)
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


def measure(world: World, request: Callable[[], object]) -> tuple[int, int]:
    """Queries of ``request`` at SMALL rows and at LARGE rows."""
    world.grow_to(SMALL)
    request()  # warm up: anything cached per process is not the page's cost
    small = count_queries(request)
    world.grow_to(LARGE)
    large = count_queries(request)
    return small, large


# --- pages -------------------------------------------------------------------------


def test_home_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = client_for(cast.report)
    small, large = measure(world, lambda: client.get(reverse("home")))
    page = html(client.get(reverse("home")))
    assert page.count(f"<span>{CARRIED}</span>") == LARGE  # the rows are on the page…
    assert page.count(f"<span>{MENTORING_ACTION}</span>") == LARGE
    assert page.count("Mentor ") >= 2 * LARGE  # in upcoming sessions and in people
    assert small == large <= HOME_QUERIES  # …at no cost per row


def test_engagement_page_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = client_for(cast.report)
    url = reverse("coaching:engagement", args=[world.engagement.code])
    small, large = measure(world, lambda: client.get(url))
    response = client.get(url)
    assert response.status_code == 200
    assert html(response).count("/sessions/") >= LARGE + 1
    assert html(response).count(CARRIED) == LARGE
    assert small == large <= ENGAGEMENT_QUERIES


def test_session_page_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = client_for(cast.report)
    url = reverse("coaching:session", args=[world.focus.code])
    small, large = measure(world, lambda: client.get(url))
    response = client.get(url)
    page = html(response)
    assert response.status_code == 200
    assert page.count(CARRIED) >= LARGE
    assert page.count("focus shared note") == LARGE
    assert page.count("focus private note of the report") == LARGE
    assert "focus private note of the manager" not in page
    assert 'class="nudge"' in page
    assert small == large <= SESSION_QUERIES


def test_person_page_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = client_for(cast.manager)  # the report's manager may know of the mentoring
    url = reverse("people:person", args=[cast.report.code])
    small, large = measure(world, lambda: client.get(url))
    response = client.get(url)
    assert response.status_code == 200
    # Counted in the page's main part: the site's navigation links to Mentoring too.
    main = html(response).split("<main", 1)[1]
    assert main.count("Mentoring") == LARGE
    assert small == large <= PERSON_QUERIES


# --- htmx endpoints: each answers with its part of the session page -----------------


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=7)).isoformat()


def test_agenda_add_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = htmx(client_for(cast.report))
    url = reverse("coaching:agenda-add", args=[world.focus.code])
    small, large = measure(world, lambda: client.post(url, {"text": "one more point"}))
    response = client.post(url, {"text": "one more point"})
    assert response.status_code == 200
    # Three posts measured, and this one.
    assert html(response).count('<span class="text">one more point</span>') == 4
    assert small == large <= AGENDA_ADD_QUERIES


def test_note_add_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = htmx(client_for(cast.report))
    url = reverse("coaching:note-add", args=[world.focus.code])
    data = {"body": "one more note", "visibility": "shared"}
    small, large = measure(world, lambda: client.post(url, data))
    response = client.post(url, data)
    assert response.status_code == 200
    assert html(response).count("focus shared note") == LARGE
    assert small == large <= NOTE_ADD_QUERIES


def test_action_add_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = htmx(client_for(cast.report))
    url = reverse("coaching:action-add", args=[world.focus.code])
    data = {"owner": str(cast.report.code), "description": "one more action", "due_on": _due()}
    small, large = measure(world, lambda: client.post(url, data))
    response = client.post(url, data)
    assert response.status_code == 200
    assert html(response).count(CARRIED) >= LARGE
    assert small == large <= ACTION_ADD_QUERIES


def test_agenda_mark_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    world.grow_to(SMALL)
    client = htmx(client_for(cast.report))
    url = reverse("coaching:agenda-mark", args=[world.first_focus_item().code])
    small, large = measure(world, lambda: client.post(url, {"discussed": "1"}))
    assert client.post(url, {"discussed": "1"}).status_code == 200
    assert small == large <= AGENDA_MARK_QUERIES


def test_agenda_dismiss_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    world.grow_to(SMALL)
    client = htmx(client_for(cast.report))
    url = reverse("coaching:agenda-dismiss", args=[world.status_item().code])
    small, large = measure(world, lambda: client.post(url))
    assert client.post(url).status_code == 200
    assert small == large <= AGENDA_DISMISS_QUERIES


def test_note_delete_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = htmx(client_for(cast.report))

    def delete_a_note() -> None:
        note = make_note(world.focus, cast.report, "a note to delete")
        counted.append(
            count_queries(lambda: client.post(reverse("coaching:note-delete", args=[note.code])))
        )

    counted: list[int] = []
    measure(world, delete_a_note)
    small, large = counted[1], counted[2]
    assert small == large <= NOTE_DELETE_QUERIES


def test_action_mark_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    world.grow_to(SMALL)
    client = htmx(client_for(cast.report))
    item = world.focus.engagement.action_items.filter(owner=cast.report).first()
    assert item is not None
    url = reverse("coaching:action-mark", args=[item.code])
    data = {"done": "1", "session": str(world.focus.code)}
    small, large = measure(world, lambda: client.post(url, data))
    assert client.post(url, data).status_code == 200
    assert small == large <= ACTION_MARK_QUERIES


def test_propose_page_query_count_does_not_grow_with_people(cast: Cast) -> None:
    world = World(cast)  # every row adds a person to choose from
    client = client_for(cast.report)
    url = reverse("coaching:engagement-new")
    small, large = measure(world, lambda: client.get(url))
    assert html(client.get(url)).count("Mentor ") == LARGE
    assert small == large <= PROPOSE_QUERIES


def test_schedule_query_count_does_not_grow_with_rows(cast: Cast) -> None:
    world = World(cast)
    client = client_for(cast.report)
    url = reverse("coaching:session-schedule", args=[world.engagement.code])
    template = world.engagement.template.slug
    beat = itertools.count(10)

    def schedule() -> object:
        when = (world.now + dt.timedelta(days=next(beat))).strftime("%Y-%m-%dT%H:%M")
        return client.post(url, {"scheduled_for": when, "template": template})

    small, large = measure(world, schedule)
    assert schedule().status_code == 302  # type: ignore[attr-defined]
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


@pytest.mark.parametrize("rows", [SMALL, LARGE])
def test_focus_session_has_every_row(cast: Cast, rows: int) -> None:
    # The control for the counts above: the world really has the rows it claims.
    world = World(cast)
    world.grow_to(rows)
    assert Session.objects.filter(engagement=world.engagement).count() == rows + 1
    assert world.focus.agenda_items.count() == rows
    assert world.focus.notes.count() == 3 * rows
