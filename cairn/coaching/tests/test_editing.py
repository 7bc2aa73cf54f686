"""Everyday editing (issue 12, point 5): the author edits or removes their agenda
points and notes, either party edits, reassigns or removes action items, every
removal asks first, and a done item stays, struck through, in the session where it
was done.

Each test asserts what a person would notice: the page they get (status and text),
and what is kept afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services
from cairn.coaching.models import ActionItem, AgendaItem, Engagement, Note, Session
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_note,
    make_session,
    one_on_one,
)
from cairn.lib import formparts
from cairn.notifications.models import Kind, Notification
from cairn.people.models import Person, User
from cairn.testing import ROLES, Cast, client_for, html, htmx, make_person

POINT = "agenda canary: how is the move going for you"
SHARED = "shared canary: we agreed to pair on Fridays"
PRIVATE = "private canary: worried about the reorg"
ACTION = "action canary: draft the conference outline"


@pytest.fixture
def engagement(cast: Cast) -> Engagement:
    return one_on_one(cast.manager, cast.report)


@pytest.fixture
def session(engagement: Engagement) -> Session:
    return make_session(engagement)


def url(name: str, session: Session, item: Any) -> str:
    return reverse(f"coaching:{name}", args=[session.code, item.code])


def session_page(person: Person, session: Session) -> str:
    return html(client_for(person).get(reverse("coaching:session", args=[session.code])))


def superuser(cast: Cast) -> Person:
    boss = make_person(cast.org, "Sam Superuser", is_org_admin=True)
    User.objects.filter(pk=boss.user_id).update(is_superuser=True, is_staff=True)
    return boss


YES = {"confirmed": "yes"}


# --- agenda points: their author's ---------------------------------------------------


def test_the_author_edits_a_point_on_a_page_of_its_own_without_javascript(
    cast: Cast, session: Session
) -> None:
    point = make_agenda_item(session, cast.manager, POINT)
    client = client_for(cast.manager)
    editor = client.get(url("agenda-edit", session, point))
    assert editor.status_code == 200
    page = html(editor)
    assert "<html" in page  # the whole session page…
    assert 'name="text"' in page
    assert f'value="{POINT}"' in page
    assert "Save point" in page

    response = client.post(url("agenda-edit", session, point), {"text": "What energises you?"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/sessions/{session.code}/#agenda")
    point.refresh_from_db()
    assert point.text == "What energises you?"
    # The other party sees the new words, and that they were edited.
    page = session_page(cast.report, session)
    assert "What energises you?" in page
    assert POINT not in page
    assert "· edited <time" in page


def test_the_author_edits_a_point_in_place_with_htmx(cast: Cast, session: Session) -> None:
    point = make_agenda_item(session, cast.manager, POINT)
    client = htmx(client_for(cast.manager))
    editor = client.get(url("agenda-edit", session, point))
    assert editor.status_code == 200
    assert "<html" not in html(editor)
    assert 'id="agenda"' in html(editor)
    assert 'id="edit-text"' in html(editor)  # its own id, beside the add form's

    response = client.post(url("agenda-edit", session, point), {"text": "status of OPS-12"})
    assert response.status_code == 200
    assert '<span class="text">status of OPS-12</span>' in html(response)
    assert 'class="nudge"' in html(response)  # judged again: it now reads like status
    point.refresh_from_db()
    assert point.looks_like_status


def test_the_other_party_cannot_edit_or_remove_a_point_they_did_not_write(
    cast: Cast, session: Session
) -> None:
    point = make_agenda_item(session, cast.manager, POINT)
    client = client_for(cast.report)
    assert client.get(url("agenda-edit", session, point)).status_code == 404
    assert client.post(url("agenda-edit", session, point), {"text": "mine"}).status_code == 404
    assert client.post(url("agenda-remove", session, point), YES).status_code == 404
    point.refresh_from_db()
    assert point.text == POINT
    # Their page offers neither.
    page = session_page(cast.report, session)
    assert url("agenda-edit", session, point) not in page
    assert url("agenda-remove", session, point) not in page
    assert url("agenda-edit", session, point) in session_page(cast.manager, session)


def test_an_ended_sessions_agenda_is_history(cast: Cast, engagement: Engagement) -> None:
    session = make_session(engagement, when=timezone.now() - dt.timedelta(days=1))
    point = make_agenda_item(session, cast.manager, POINT)
    services.mark_agenda_item(cast.manager, point, discussed=True)
    services.complete_session(cast.manager, session)
    client = client_for(cast.manager)
    assert url("agenda-edit", session, point) not in session_page(cast.manager, session)

    response = client.get(url("agenda-edit", session, point), follow=True)
    assert "This session has ended: its agenda stays as it was." in html(response)
    response = client.post(url("agenda-edit", session, point), {"text": "rewritten"})
    assert response.status_code == 422
    assert "This session has ended: its agenda stays as it was." in html(response)
    response = client.post(url("agenda-remove", session, point), YES, follow=True)
    assert "This session has ended: its agenda stays as it was." in html(response)
    point.refresh_from_db()
    assert point.text == POINT


def test_removing_a_point_asks_first_without_javascript(cast: Cast, session: Session) -> None:
    point = make_agenda_item(session, cast.manager, POINT)
    client = client_for(cast.manager)
    asked = client.post(url("agenda-remove", session, point))
    assert asked.status_code == 200
    assert asked["X-Cairn-Confirm"] == "ask"
    assert "Take this point off the agenda?" in html(asked)
    assert 'name="confirmed" value="yes"' in html(asked)
    assert AgendaItem.objects.filter(pk=point.pk).exists()  # nothing yet

    response = client.post(url("agenda-remove", session, point), YES)
    assert response.status_code == 302
    assert not AgendaItem.objects.filter(pk=point.pk).exists()
    assert POINT not in session_page(cast.report, session)


def test_a_second_click_on_remove_says_it_is_gone_already(cast: Cast, session: Session) -> None:
    point = make_agenda_item(session, cast.manager, POINT)
    client = client_for(cast.manager)
    client.post(url("agenda-remove", session, point), YES)
    again = client.post(url("agenda-remove", session, point), YES, follow=True)
    assert again.status_code == 200
    assert "That talking point is not on the agenda any more" in html(again)
    answer = htmx(client).post(url("agenda-remove", session, point), YES)
    assert answer.status_code == 200
    assert "That talking point is not on the agenda any more" in html(answer)
    # And an edit of it, sent after it went.
    edit = htmx(client).post(url("agenda-edit", session, point), {"text": "too late"})
    assert "not on the agenda any more" in html(edit)
    assert not AgendaItem.objects.filter(text="too late").exists()


def test_the_status_nudge_offers_its_author_to_move_the_point_off(
    cast: Cast, session: Session
) -> None:
    point = make_agenda_item(session, cast.manager, "status update on OPS-9 rollout")
    assert point.looks_like_status
    mine = session_page(cast.manager, session)
    assert "Move it off the agenda" in mine
    assert "Keep it anyway" in mine
    theirs = session_page(cast.report, session)
    assert "Keep it anyway" in theirs
    assert "Move it off the agenda" not in theirs

    response = htmx(client_for(cast.manager)).post(url("agenda-remove", session, point), YES)
    assert response.status_code == 200
    assert "OPS-9" not in html(response)
    assert not AgendaItem.objects.filter(pk=point.pk).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write the talking point you want to bring."),
        ("   ", "Write the talking point you want to bring."),
        ("x" * 301, "Ensure this value has at most 300 characters"),
    ],
)
def test_a_bad_point_is_refused_and_nothing_changes(
    cast: Cast, session: Session, text: str, message: str
) -> None:
    point = make_agenda_item(session, cast.manager, POINT)
    for client in (client_for(cast.manager), htmx(client_for(cast.manager))):
        response = client.post(url("agenda-edit", session, point), {"text": text})
        assert response.status_code == 422
        assert message in html(response)
        assert 'id="edit-text"' in html(response)  # the editor stays open
    point.refresh_from_db()
    assert (point.text, point.edited_at) == (POINT, None)


# --- notes: their author's -------------------------------------------------------------


def test_an_edited_shared_note_says_so_to_both(cast: Cast, session: Session) -> None:
    note = make_note(session, cast.manager, SHARED)
    edited_at = dt.datetime(2026, 12, 3, 10, 4, tzinfo=timezone.get_current_timezone())
    services.edit_note(
        cast.manager,
        note,
        body="We agreed to pair on Thursdays",
        visibility="shared",
        now=edited_at,
    )
    for person in (cast.manager, cast.report):
        page = session_page(person, session)
        assert "We agreed to pair on Thursdays" in page
        assert SHARED not in page
        assert "edited <time" in page
        assert "3 Dec, 10:04" in page


def test_the_author_edits_a_note_plain_and_in_place(cast: Cast, session: Session) -> None:
    note = make_note(session, cast.report, PRIVATE, private=True)
    client = client_for(cast.report)
    editor = client.get(url("note-edit", session, note))
    assert editor.status_code == 200
    assert PRIVATE in html(editor)
    assert 'id="edit-body"' in html(editor)
    response = client.post(
        url("note-edit", session, note), {"body": "Less worried now", "visibility": "private"}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Less worried now"
    assert note.is_private
    assert "Less worried now" not in session_page(cast.manager, session)  # still private

    answer = htmx(client).post(
        url("note-edit", session, note), {"body": "Ready to share", "visibility": "shared"}
    )
    assert answer.status_code == 200
    assert "<html" not in html(answer)
    assert "Ready to share" in session_page(cast.manager, session)


def test_a_note_stays_its_authors_to_edit_after_the_session(
    cast: Cast, engagement: Engagement
) -> None:
    session = make_session(engagement, when=timezone.now() - dt.timedelta(days=1))
    note = make_note(session, cast.manager, SHARED)
    services.complete_session(cast.manager, session)
    response = client_for(cast.manager).post(
        url("note-edit", session, note), {"body": "Afterthought", "visibility": "shared"}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Afterthought"


def test_the_other_party_cannot_edit_a_note_they_did_not_write(
    cast: Cast, session: Session
) -> None:
    shared = make_note(session, cast.manager, SHARED)
    private = make_note(session, cast.manager, PRIVATE, private=True)
    client = client_for(cast.report)
    # A shared note they read: not theirs to change, a 404.
    assert client.get(url("note-edit", session, shared)).status_code == 404
    response = client.post(url("note-edit", session, shared), {"body": "x", "visibility": "shared"})
    assert response.status_code == 404
    # A private note they may not even know of: the same as one that is not there.
    response = client.get(url("note-edit", session, private), follow=True)
    assert PRIVATE not in html(response)
    assert "That note is not here any more" in html(response)
    response = client.post(
        url("note-edit", session, private), {"body": "x", "visibility": "shared"}, follow=True
    )
    assert PRIVATE not in html(response)
    assert [n.body for n in Note.objects.order_by("pk")] == [SHARED, PRIVATE]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "", "visibility": "shared"}, "Write something before saving the note."),
        ({"body": "x" * 10_001, "visibility": "shared"}, "at most 10000 characters"),
        ({"body": "fine", "visibility": "public"}, "Choose whether the note is shared or private."),
    ],
)
def test_a_bad_note_edit_is_refused_and_nothing_changes(
    cast: Cast, session: Session, data: dict[str, str], message: str
) -> None:
    note = make_note(session, cast.manager, SHARED)
    for client in (client_for(cast.manager), htmx(client_for(cast.manager))):
        response = client.post(url("note-edit", session, note), data)
        assert response.status_code == 422
        assert message in html(response)
    note.refresh_from_db()
    assert (note.body, note.visibility, note.edited_at) == (SHARED, "shared", None)


def test_deleting_a_note_twice_says_it_is_gone(cast: Cast, session: Session) -> None:
    note = make_note(session, cast.manager, SHARED)
    client = client_for(cast.manager)
    delete = reverse("coaching:note-delete", args=[note.code])
    data = {"session": str(session.code)}
    assert client.post(delete, data)["X-Cairn-Confirm"] == "ask"
    assert client.post(delete, {**data, **YES}).status_code == 302
    again = client.post(delete, {**data, **YES}, follow=True)
    assert again.status_code == 200
    assert "That note is not here any more." in html(again)
    # The session page's form names its session, and asks first with JavaScript.
    page = session_page(cast.manager, make_session(session.engagement))
    assert "hx-confirm" not in page


def test_the_delete_form_names_its_session_and_asks_first(cast: Cast, session: Session) -> None:
    make_note(session, cast.manager, SHARED)
    page = session_page(cast.manager, session)
    assert f'name="session" value="{session.code}"' in page
    assert 'data-confirm="Delete this note? It is gone for good."' in page
    assert "hx-confirm" not in page


# --- action items: both parties' ---------------------------------------------------


def action_data(owner: Person, description: str = ACTION, due: str | None = None) -> dict[str, str]:
    return {
        "owner": str(owner.code),
        "description": description,
        "due_on": due or (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    }


@pytest.mark.parametrize("editor", ["manager", "report"])
def test_either_party_edits_an_action_item(cast: Cast, session: Session, editor: str) -> None:
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    person = cast.everyone()[editor]
    client = client_for(person)
    page = html(client.get(url("action-edit", session, item)))
    assert f'value="{ACTION}"' in page
    assert "Save action item" in page
    due = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    response = client.post(
        url("action-edit", session, item), action_data(cast.report, "Draft it with Ana", due)
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.description, item.due_on.isoformat()) == ("Draft it with Ana", due)
    assert "Draft it with Ana" in session_page(cast.report, session)


def test_reassigning_tells_the_new_owner_names_and_kind_only(cast: Cast, session: Session) -> None:
    item = make_action_item(session, cast.manager, ACTION)
    assert not Notification.objects.filter(kind=Kind.ACTION_ASSIGNED).exists()
    response = htmx(client_for(cast.manager)).post(
        url("action-edit", session, item), action_data(cast.report)
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.owner == cast.report
    told = Notification.objects.get(kind=Kind.ACTION_ASSIGNED)
    assert told.recipient == cast.report
    assert told.title == f"{cast.manager.name} gave you an action item"
    assert ACTION not in told.title
    assert told.url == reverse("coaching:session", args=[session.code])
    # A change that keeps the owner tells nobody, nor taking it on oneself.
    client = client_for(cast.manager)
    client.post(url("action-edit", session, item), action_data(cast.report, "Reworded"))
    client.post(url("action-edit", session, item), action_data(cast.manager, "Mine again"))
    item.refresh_from_db()
    assert (item.owner, item.description) == (cast.manager, "Mine again")
    assert Notification.objects.filter(kind=Kind.ACTION_ASSIGNED).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"description": ""}, "Say what will be done."),
        ({"description": "x" * 301}, "Ensure this value has at most 300 characters"),
        ({"due_on": "2026-13-45"}, "Enter the date as YYYY-MM-DD"),
        ({"due_on": "9999-01-01"}, "Choose a date between 2000 and 2100."),
        ({"owner": "not-a-code"}, "Choose one of the two of you."),
    ],
)
def test_a_bad_action_edit_is_refused_and_nothing_changes(
    cast: Cast, session: Session, change: dict[str, str], message: str
) -> None:
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    before = (item.owner_id, item.description, item.due_on)
    for client in (client_for(cast.manager), htmx(client_for(cast.manager))):
        response = client.post(
            url("action-edit", session, item), {**action_data(cast.report), **change}
        )
        assert response.status_code == 422
        assert message in html(response)
    item.refresh_from_db()
    assert (item.owner_id, item.description, item.due_on) == before


def test_an_owner_who_is_not_a_party_is_refused(cast: Cast, session: Session) -> None:
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    for stranger in (cast.peer, cast.director, cast.outsider):
        response = client_for(cast.manager).post(
            url("action-edit", session, item), action_data(stranger)
        )
        assert response.status_code == 422
        assert "Choose one of the two of you." in html(response)
        assert stranger.name not in html(response).split('id="actions"', 1)[1]
    item.refresh_from_db()
    assert item.owner == cast.report
    assert not Notification.objects.filter(recipient__in=[cast.peer, cast.director]).exists()


def test_removing_an_action_item_asks_first_then_it_goes_for_both(
    cast: Cast, session: Session
) -> None:
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    client = client_for(cast.report)
    asked = client.post(url("action-remove", session, item))
    assert asked["X-Cairn-Confirm"] == "ask"
    assert "Remove this action item?" in html(asked)
    assert ActionItem.objects.filter(pk=item.pk).exists()
    assert client.post(url("action-remove", session, item), YES).status_code == 302
    assert not ActionItem.objects.filter(pk=item.pk).exists()
    assert ACTION not in session_page(cast.manager, session)
    assert ACTION not in html(client.get(reverse("home")))
    again = client.post(url("action-remove", session, item), YES, follow=True)
    assert "That action item is not here any more." in html(again)
    edit = client.post(url("action-edit", session, item), action_data(cast.report), follow=True)
    assert "That action item is not here any more" in html(edit)


def test_a_carried_item_is_edited_from_the_later_session(
    cast: Cast, engagement: Engagement
) -> None:
    first = make_session(engagement, when=timezone.now() - dt.timedelta(days=7), completed=True)
    later = make_session(engagement)
    item = make_action_item(first, cast.report, ACTION, by=cast.manager)
    response = htmx(client_for(cast.manager)).post(
        url("action-edit", later, item), action_data(cast.report, "Carried and changed")
    )
    assert response.status_code == 200
    assert "Carried and changed" in html(response)
    assert f'value="{later.code}"' in html(response)  # the later session's card
    # A session of another engagement is no way in.
    other = make_session(one_on_one(cast.director, cast.manager))
    assert client_for(cast.manager).get(url("action-edit", other, item)).status_code == 302
    item.refresh_from_db()
    assert item.description == "Carried and changed"


def test_a_closed_engagements_action_items_stay_as_they_are(
    cast: Cast, engagement: Engagement, session: Session
) -> None:
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    services.close_engagement(cast.manager, engagement)
    client = client_for(cast.manager)
    for response in (
        client.get(url("action-edit", session, item), follow=True),
        client.post(url("action-edit", session, item), action_data(cast.report, "x"), follow=True),
        client.post(url("action-remove", session, item), YES, follow=True),
    ):
        assert "This engagement is closed" in html(response)
    item.refresh_from_db()
    assert item.description == ACTION


class Objective(formparts.FormPart):
    """A stand-in for growth's "towards objective" part: a field, its value for the
    item being edited, and what it was asked to keep."""

    saved: list[tuple[int, str]]

    def __init__(self) -> None:
        self.saved = []

    def fields(self, viewer: Any, **subject: Any) -> dict[str, forms.Field]:
        return {"towards": forms.CharField(label="Towards objective", required=False)}

    def initial(self, viewer: Any, instance: models.Model) -> dict[str, Any]:
        return {"towards": f"objective of {instance.pk}"}

    def save(self, viewer: Any, instance: models.Model, data: dict[str, Any]) -> None:
        self.saved.append((instance.pk, data["towards"]))


def test_the_editor_carries_other_apps_parts_and_saves_them_with_the_item(
    cast: Cast, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = Objective()
    monkeypatch.setitem(formparts._registry, "coaching.action_item", [part])
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    client = client_for(cast.manager)
    page = html(client.get(url("action-edit", session, item)))
    assert "Towards objective" in page
    assert f'value="objective of {item.pk}"' in page
    # Refused: the part keeps nothing either.
    bad = {**action_data(cast.report), "description": "", "towards": "Speak at a conference"}
    assert client.post(url("action-edit", session, item), bad).status_code == 422
    assert part.saved == []
    good = {**action_data(cast.report), "towards": "Speak at a conference"}
    assert client.post(url("action-edit", session, item), good).status_code == 302
    assert part.saved == [(item.pk, "Speak at a conference")]


# --- a done item stays in the session where it was done ----------------------------


def test_a_done_item_shows_struck_through_in_the_session_it_was_done_in(
    cast: Cast, engagement: Engagement
) -> None:
    start = timezone.now() - dt.timedelta(days=20)
    first = make_session(engagement, when=start, completed=True)
    second = make_session(engagement, when=start + dt.timedelta(days=7))
    third = make_session(engagement, when=start + dt.timedelta(days=14))
    done = make_action_item(first, cast.report, "done in the second", by=cast.manager)
    make_action_item(first, cast.report, "still open", by=cast.manager)
    # Ticked off during the second session, which then ends.
    services.set_action_item_done(
        cast.report, done, done=True, now=second.scheduled_for + dt.timedelta(minutes=20)
    )
    services.complete_session(
        cast.manager, second, now=second.scheduled_for + dt.timedelta(hours=1)
    )

    page = session_page(cast.manager, second)
    assert "<s>done in the second</s>" in page
    assert " · done " in page  # said in words too, not only by the line
    assert "still open" in page
    later = session_page(cast.manager, third)
    assert "done in the second" not in later
    assert "still open" in later
    # Where it was made, it stays too.
    assert "<s>done in the second</s>" in session_page(cast.manager, first)


def test_an_item_done_between_sessions_shows_done_on_the_next(
    cast: Cast, engagement: Engagement
) -> None:
    start = timezone.now() - dt.timedelta(days=10)
    first = make_session(engagement, when=start, completed=True)
    second = make_session(engagement, when=timezone.now() + dt.timedelta(days=1))
    item = make_action_item(first, cast.report, ACTION, by=cast.manager)
    services.set_action_item_done(cast.report, item, done=True, now=start + dt.timedelta(days=2))
    assert f"<s>{ACTION}</s>" in session_page(cast.report, second)


# --- nobody else gets in -----------------------------------------------------------


def every_new_url(cast: Cast, session: Session) -> list[tuple[str, str, dict[str, str]]]:
    point = make_agenda_item(session, cast.manager, POINT)
    shared = make_note(session, cast.manager, SHARED)
    private = make_note(session, cast.report, PRIVATE, private=True)
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    return [
        ("get", url("agenda-edit", session, point), {}),
        ("post", url("agenda-edit", session, point), {"text": "intruder"}),
        ("post", url("agenda-remove", session, point), YES),
        ("get", url("note-edit", session, shared), {}),
        ("post", url("note-edit", session, shared), {"body": "intruder", "visibility": "shared"}),
        ("get", url("note-edit", session, private), {}),
        ("post", url("note-edit", session, private), {"body": "intruder", "visibility": "shared"}),
        (
            "post",
            reverse("coaching:note-delete", args=[shared.code]),
            {**YES, "session": str(session.code)},
        ),
        ("get", url("action-edit", session, item), {}),
        ("post", url("action-edit", session, item), action_data(cast.manager, "intruder")),
        ("post", url("action-remove", session, item), YES),
    ]


def snapshot() -> tuple[Any, ...]:
    return (
        list(AgendaItem.objects.values_list("text", "edited_at")),
        [(n.body, n.visibility, n.edited_at) for n in Note.objects.order_by("pk")],
        list(ActionItem.objects.values_list("owner_id", "description", "due_on")),
    )


@pytest.mark.parametrize(
    "role", [r for r in ROLES if r not in ("manager", "report")] + ["superuser"]
)
def test_nobody_but_the_parties_reaches_an_editor_or_a_removal(
    cast: Cast, session: Session, role: str
) -> None:
    intruder = superuser(cast) if role == "superuser" else cast.everyone()[role]
    requests = every_new_url(cast, session)
    before = snapshot()
    for client in (client_for(intruder), htmx(client_for(intruder))):
        for method, target, data in requests:
            response = getattr(client, method)(target, data)
            assert response.status_code == 404, (method, target)
            for canary in (POINT, SHARED, PRIVATE, ACTION):
                assert canary not in html(response)
    assert snapshot() == before


def test_the_parties_reach_them_and_the_report_never_reads_the_managers_private_note(
    cast: Cast, session: Session
) -> None:
    # The control for the sweep above: the same URLs answer the parties.
    secret = make_note(session, cast.manager, "manager private canary", private=True)
    requests = every_new_url(cast, session)
    client = client_for(cast.manager)
    for method, target, data in requests[:5] + requests[8:10]:
        assert getattr(client, method)(target, data).status_code in (200, 302), target
    for method, target, _ in requests:
        if method == "get":
            response = client_for(cast.report).get(target, follow=True)
            assert secret.body not in html(response)


# --- two people at once --------------------------------------------------------------


def test_a_change_to_something_removed_a_moment_ago_is_refused_in_words(
    cast: Cast, session: Session
) -> None:
    # Each page read its row before the other click removed it.
    point = make_agenda_item(session, cast.manager, POINT)
    note = make_note(session, cast.manager, SHARED)
    item = make_action_item(session, cast.report, ACTION, by=cast.manager)
    stale = (
        AgendaItem.objects.get(pk=point.pk),
        Note.objects.get(pk=note.pk),
        ActionItem.objects.select_related("engagement", "session").get(pk=item.pk),
    )
    services.remove_agenda_item(cast.manager, point)
    services.delete_note(cast.manager, note)
    services.remove_action_item(cast.report, item)
    with pytest.raises(ValidationError, match="removed in the meantime"):
        services.edit_agenda_item(cast.manager, stale[0], "too late")
    with pytest.raises(ValidationError, match="removed in the meantime"):
        services.remove_agenda_item(cast.manager, stale[0])
    with pytest.raises(ValidationError, match="removed in the meantime"):
        services.edit_note(cast.manager, stale[1], body="too late", visibility="shared")
    with pytest.raises(ValidationError, match="removed in the meantime"):
        services.edit_action_item(
            cast.manager,
            stale[2],
            owner=cast.report,
            description="too late",
            due_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError, match="removed in the meantime"):
        services.remove_action_item(cast.manager, stale[2])
    assert not AgendaItem.objects.exists()
    assert not Note.objects.exists()
    assert not ActionItem.objects.exists()


def test_a_closed_engagements_agenda_stays_as_it_was(
    cast: Cast, engagement: Engagement, session: Session
) -> None:
    point = make_agenda_item(session, cast.manager, POINT)
    services.close_engagement(cast.manager, engagement)
    client = client_for(cast.manager)
    assert url("agenda-edit", session, point) not in session_page(cast.manager, session)
    for response in (
        client.get(url("agenda-edit", session, point), follow=True),
        client.post(url("agenda-edit", session, point), {"text": "rewritten"}),
        client.post(url("agenda-remove", session, point), YES, follow=True),
    ):
        assert "This engagement is closed: its sessions stay as they were." in html(response)
    point.refresh_from_db()
    assert point.text == POINT
