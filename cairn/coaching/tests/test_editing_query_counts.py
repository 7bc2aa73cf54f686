"""Query counts of everyday editing: each editor (as a page and as htmx), each save
and each removal costs the same with one row of everything as with 50.

The worlds are those of ``test_query_counts``: a one-on-one whose focus session
holds a point, notes and carried action items per row, around earlier sessions and
other engagements. The manager edits: the focus session's first point and shared
notes are theirs."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import ActionItem, AgendaItem, Note
from cairn.coaching.tests.factories import make_action_item, make_agenda_item
from cairn.coaching.tests.test_query_counts import CARRIED, World
from cairn.testing import client_for, count_queries, html, htmx, make_cast
from cairn.testing.worlds import LARGE, Worlds, build_worlds, measure

# Measured, and kept from creeping up. Every request spends two queries on who is
# asking (the session, the account with its person).
# The session page with one row as its editor: what the page costs (as in
# test_query_counts), the row looked up by its code instead of a form's choices.
# Growth's Dreams section, items towards objectives and their choice add four.
EDITOR_PAGE_QUERIES = 16
# To htmx, the card alone: who is asking, the session, the row, the card's list; the
# action item's editor also reads the choice of owner and the rows' owners.
AGENDA_EDITOR_QUERIES = 6
NOTE_EDITOR_QUERIES = 6
# Growth's "Towards objective" part reads the objective choices, the item's link
# and the links the card lists.
ACTION_EDITOR_QUERIES = 13
# A save: who is asking, the session, the row, the write (savepoint, lock, update,
# release) and the card it answers with.
AGENDA_EDIT_QUERIES = 10
NOTE_EDIT_QUERIES = 10
# + the choice of owner, and the savepoint around the item and its form parts.
# + growth's part: its choices and the link it keeps.
ACTION_EDIT_QUERIES = 17
# A removal: as a save, with the delete (and the rows Django's cascade looks at) for
# the update.
AGENDA_REMOVE_QUERIES = 11
# + growth's links for the card.
ACTION_REMOVE_QUERIES = 14


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Worlds[World]:
    return build_worlds(lambda: World(make_cast()), django_db_blocker)


@pytest.fixture
def worlds(db: None, built: Worlds[World]) -> Worlds[World]:
    return copy.deepcopy(built)


def manager_point(w: World) -> AgendaItem:
    point = AgendaItem.objects.filter(session=w.focus, author=w.cast.manager).first()
    assert point is not None
    return point


def manager_note(w: World) -> Note:
    note = Note.objects.filter(session=w.focus, author=w.cast.manager, visibility="shared").first()
    assert note is not None
    return note


def carried(w: World) -> ActionItem:
    item = ActionItem.objects.filter(engagement=w.engagement, description=CARRIED).first()
    assert item is not None
    return item


def edit_url(name: str, w: World, item: Any) -> str:
    return reverse(f"coaching:{name}", args=[w.focus.code, item.code])


def test_the_page_with_an_editor_open_costs_the_same_at_any_size(worlds: Worlds[World]) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        client = client_for(w.cast.manager)
        target = edit_url("agenda-edit", w, manager_point(w))
        return lambda: client.get(target)

    small, large = measure(worlds, prepare)
    response = prepare(worlds.large)()
    assert response.status_code == 200
    assert html(response).count(CARRIED) >= LARGE  # the rows are on the page…
    assert 'id="edit-text"' in html(response)
    assert small == large <= EDITOR_PAGE_QUERIES  # …at no cost per row


@pytest.mark.parametrize(
    ("name", "find", "bound", "field"),
    [
        ("agenda-edit", manager_point, AGENDA_EDITOR_QUERIES, "edit-text"),
        ("note-edit", manager_note, NOTE_EDITOR_QUERIES, "edit-body"),
        ("action-edit", carried, ACTION_EDITOR_QUERIES, "edit-description"),
    ],
)
def test_each_editor_in_place_costs_the_same_at_any_size(
    worlds: Worlds[World], name: str, find: Callable[[World], Any], bound: int, field: str
) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        client = htmx(client_for(w.cast.manager))
        target = edit_url(name, w, find(w))
        return lambda: client.get(target)

    small, large = measure(worlds, prepare)
    response = prepare(worlds.large)()
    assert response.status_code == 200
    assert f'id="{field}"' in html(response)
    assert small == large <= bound


SERIAL = itertools.count()


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=9)).isoformat()


@pytest.mark.parametrize(
    ("name", "find", "data", "bound"),
    [
        (
            "agenda-edit",
            manager_point,
            lambda w: {"text": f"reworded point {next(SERIAL)}"},
            AGENDA_EDIT_QUERIES,
        ),
        (
            "note-edit",
            manager_note,
            lambda w: {"body": f"reworded note {next(SERIAL)}", "visibility": "shared"},
            NOTE_EDIT_QUERIES,
        ),
        (
            "action-edit",
            carried,
            lambda w: {
                "owner": str(w.cast.report.code),
                "description": f"reworded action {next(SERIAL)}",
                "due_on": _due(),
            },
            ACTION_EDIT_QUERIES,
        ),
    ],
)
def test_each_save_costs_the_same_at_any_size(
    worlds: Worlds[World],
    name: str,
    find: Callable[[World], Any],
    data: Callable[[World], dict[str, str]],
    bound: int,
) -> None:
    def prepare(w: World) -> Callable[[], Any]:
        client = htmx(client_for(w.cast.manager))
        target = edit_url(name, w, find(w))
        # New words each time: a save that changes nothing writes nothing.
        return lambda: client.post(target, data(w))

    small, large = measure(worlds, prepare)
    response = prepare(worlds.large)()
    assert response.status_code == 200
    assert "reworded" in html(response)
    assert small == large <= bound


@pytest.mark.parametrize(
    ("name", "make", "bound"),
    [
        (
            "agenda-remove",
            lambda w: make_agenda_item(w.focus, w.cast.manager, "a point to remove"),
            AGENDA_REMOVE_QUERIES,
        ),
        (
            "action-remove",
            lambda w: make_action_item(w.focus, w.cast.report, "an item to remove"),
            ACTION_REMOVE_QUERIES,
        ),
    ],
)
def test_each_removal_costs_the_same_at_any_size(
    worlds: Worlds[World], name: str, make: Callable[[World], Any], bound: int
) -> None:
    counted: list[int] = []

    def prepare(w: World) -> Callable[[], None]:
        client = htmx(client_for(w.cast.manager))

        def remove_one() -> None:
            target = edit_url(name, w, make(w))
            counted.append(count_queries(lambda: client.post(target, {"confirmed": "yes"})))

        return remove_one

    measure(worlds, prepare)
    small, large = counted[-2], counted[-1]
    assert not AgendaItem.objects.filter(text="a point to remove").exists()
    assert not ActionItem.objects.filter(description="an item to remove").exists()
    assert small == large <= bound, counted
