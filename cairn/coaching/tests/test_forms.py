"""Bad input on every coaching form: a clear message, status 422, and nothing saved,
whether the form was sent by htmx or by a browser with JavaScript off."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Engagement,
    EngagementKind,
    Note,
    Session,
    SessionTemplate,
)
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.testing import Cast, client_for, make_person

DATE_HELP = "Enter the date as YYYY-MM-DD, for example 2026-12-01."
DATETIME_HELP = "Enter the date and time as YYYY-MM-DD HH:MM, for example 2026-12-01 10:00."
TOO_LONG_300 = "Ensure this value has at most 300 characters (it has 301)."
TOO_LONG_10000 = "Ensure this value has at most 10000 characters (it has 10001)."
BAD_DATES = ["31/12/2026", "tomorrow", "2026-13-01", "2026-02-30"]

SENT_BY = pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])


def rows() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (AgendaItem, Note, ActionItem, Session, Engagement)
    }


def post_bad(client: Client, url: str, data: dict[str, Any], *, htmx: bool) -> str:
    """Post ``data``, check that it is refused with 422 and that nothing was saved;
    return the page (or partial) with the messages, unescaped."""
    before = rows()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, data, headers=headers)
    assert response.status_code == 422
    assert rows() == before
    content = response.content.decode()
    # htmx gets only the part of the session page it swaps; other pages come whole.
    partial = htmx and url.startswith("/sessions/")
    assert ("<html" in content) is not partial
    return html.unescape(content)


@pytest.fixture
def session(cast: Cast) -> Session:
    return make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=1)
    )


def their_template(cast: Cast) -> SessionTemplate:
    return SessionTemplate.objects.create(
        slug="elsewhere-retro",
        name="Elsewhere retro",
        description="Another organisation's own",
        organisation=cast.outsider.organisation,
    )


# --- agenda ------------------------------------------------------------------------


@SENT_BY
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Write the talking point you want to bring."),
        ({"text": ""}, "Write the talking point you want to bring."),
        ({"text": "   \n "}, "Write the talking point you want to bring."),
        ({"text": "x" * 301}, TOO_LONG_300),
    ],
    ids=["missing", "empty", "blank", "too-long"],
)
def test_agenda_point_bad_input(
    cast: Cast, session: Session, htmx: bool, data: dict[str, str], message: str
) -> None:
    url = reverse("coaching:agenda-add", args=[session.code])
    assert message in post_bad(client_for(cast.report), url, data, htmx=htmx)


@SENT_BY
def test_agenda_point_of_exactly_300_characters_is_fine(
    cast: Cast, session: Session, htmx: bool
) -> None:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(cast.report).post(
        reverse("coaching:agenda-add", args=[session.code]), {"text": "x" * 300}, headers=headers
    )
    assert response.status_code in (200, 302)
    assert AgendaItem.objects.get().text == "x" * 300


@SENT_BY
def test_agenda_point_on_an_ended_session_says_where_to_put_it(
    cast: Cast, session: Session, htmx: bool
) -> None:
    session.completed_at = timezone.now()
    session.save()
    url = reverse("coaching:agenda-add", args=[session.code])
    page = post_bad(client_for(cast.report), url, {"text": "Feedback on my talk"}, htmx=htmx)
    assert "This session has ended: add the point to the next one." in page


def test_the_form_keeps_what_was_typed_after_an_error(cast: Cast, session: Session) -> None:
    url = reverse("coaching:note-add", args=[session.code])
    page = post_bad(
        client_for(cast.report), url, {"body": "Worth keeping", "visibility": "public"}, htmx=True
    )
    assert "Worth keeping" in page


# --- notes -------------------------------------------------------------------------


@SENT_BY
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"visibility": "shared"}, "Write something before saving the note."),
        ({"body": "", "visibility": "shared"}, "Write something before saving the note."),
        ({"body": "  ", "visibility": "private"}, "Write something before saving the note."),
        ({"body": "x" * 10_001, "visibility": "shared"}, TOO_LONG_10000),
        ({"body": "A thought", "visibility": "public"}, "shared or private"),
        ({"body": "A thought", "visibility": "SHARED"}, "shared or private"),
        ({"body": "A thought"}, "Choose whether the note is shared or private."),
    ],
    ids=["missing", "empty", "blank", "too-long", "bad-visibility", "wrong-case", "no-visibility"],
)
def test_note_bad_input(
    cast: Cast, session: Session, htmx: bool, data: dict[str, str], message: str
) -> None:
    url = reverse("coaching:note-add", args=[session.code])
    assert message in post_bad(client_for(cast.report), url, data, htmx=htmx)


# --- action items ------------------------------------------------------------------


def action(cast: Cast, **changes: str) -> dict[str, str]:
    good = {
        "owner": str(cast.report.code),
        "description": "Read the chapter on feedback",
        "due_on": "2026-12-01",
    }
    return {k: v for k, v in {**good, **changes}.items() if v is not None}


@SENT_BY
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"description": ""}, "Say what will be done."),
        ({"description": "   "}, "Say what will be done."),
        ({"description": "x" * 301}, TOO_LONG_300),
        ({"due_on": ""}, "Give a date it is due by."),
        *[({"due_on": bad}, DATE_HELP) for bad in BAD_DATES],
        ({"due_on": "1999-12-31"}, "Choose a date between 2000 and 2100."),
        ({"due_on": "9999-12-31"}, "Choose a date between 2000 and 2100."),
        ({"owner": ""}, "Choose which of you will do it."),
        ({"owner": "not-a-number"}, "Choose one of the two of you."),
        ({"owner": "999999"}, "Choose one of the two of you."),
    ],
    ids=[
        "empty",
        "blank",
        "too-long",
        "no-date",
        *[f"date-{bad}" for bad in BAD_DATES],
        "last-century",
        "far-future",
        "no-owner",
        "owner-not-an-id",
        "owner-missing-id",
    ],
)
def test_action_item_bad_input(
    cast: Cast, session: Session, htmx: bool, changes: dict[str, str], message: str
) -> None:
    url = reverse("coaching:action-add", args=[session.code])
    assert message in post_bad(client_for(cast.report), url, action(cast, **changes), htmx=htmx)


@SENT_BY
@pytest.mark.parametrize("owner", ["peer", "director", "admin", "outsider"])
def test_action_item_owner_who_is_not_a_party_is_refused(
    cast: Cast, session: Session, htmx: bool, owner: str
) -> None:
    url = reverse("coaching:action-add", args=[session.code])
    data = action(cast, owner=str(getattr(cast, owner).code))
    page = post_bad(client_for(cast.manager), url, data, htmx=htmx)
    assert "Choose one of the two of you." in page
    assert getattr(cast, owner).name not in page  # not offered in the form either


# --- scheduling a session ----------------------------------------------------------


@SENT_BY
@pytest.mark.parametrize(
    ("when", "message"),
    [
        ("", "Choose when the session is."),
        *[(bad, DATETIME_HELP) for bad in BAD_DATES],
        ("2026-13-01T10:00", DATETIME_HELP),
        ("2026-12-01T25:00", DATETIME_HELP),
        ("9999-12-31T23:59", "Choose a date between 2000 and 2100."),
        ("1900-01-01T10:00", "Choose a date between 2000 and 2100."),
    ],
)
def test_schedule_session_bad_time(cast: Cast, htmx: bool, when: str, message: str) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    url = reverse("coaching:session-schedule", args=[engagement.code])
    inspire = SessionTemplate.objects.get(slug="inspire")
    data = {"scheduled_for": when, "template": inspire.slug}
    assert message in post_bad(client_for(cast.report), url, data, htmx=htmx)


@SENT_BY
@pytest.mark.parametrize("template", ["theirs", "", "999999", "inspire-id"])
def test_schedule_session_bad_template(cast: Cast, htmx: bool, template: str) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    url = reverse("coaching:session-schedule", args=[engagement.code])
    value = {
        "theirs": their_template(cast).slug,
        # Templates are chosen by slug: a sequential id is not a choice.
        "inspire-id": str(SessionTemplate.objects.get(slug="inspire").pk),
    }.get(template, template)
    data = {"scheduled_for": "2026-12-01T10:00", "template": value}
    page = post_bad(client_for(cast.report), url, data, htmx=htmx)
    assert "Choose one of the templates listed." in page
    assert "Elsewhere retro" not in page


# --- proposing an engagement -------------------------------------------------------


def proposal(cast: Cast, **changes: str | None) -> dict[str, str]:
    good = {
        "other": str(cast.coach.code),
        "kind": EngagementKind.COACHING,
        "role": "receiver",
        "direction": "",
        "cadence": "fortnightly",
        "template": "inspire",
    }
    return {k: v for k, v in {**good, **changes}.items() if v is not None}


@SENT_BY
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"other": None}, "Choose the person."),
        ({"other": ""}, "Choose the person."),
        ({"other": "outsider"}, "Choose someone from your organisation."),
        ({"other": "me"}, "Choose someone from your organisation."),
        ({"other": "999999"}, "Choose someone from your organisation."),
        ({"kind": "one_on_one"}, "Manager one-on-ones start by themselves"),
        ({"kind": "therapy"}, "Choose one of the kinds listed."),
        ({"kind": ""}, "Choose the kind of engagement."),
        ({"role": "boss"}, "Choose your part."),
        ({"direction": "sideways"}, "Choose one of the directions listed."),
        ({"cadence": "daily"}, "Choose how often you will meet."),
        ({"template": "theirs"}, "Choose one of the templates listed."),
        ({"template": ""}, "Choose one of the templates listed."),
    ],
)
def test_propose_engagement_bad_input(
    cast: Cast, htmx: bool, changes: dict[str, str | None], message: str
) -> None:
    special = {
        "outsider": str(cast.outsider.code),
        "me": str(cast.report.code),
        "theirs": their_template(cast).slug,
    }
    changes = {k: special.get(v, v) if v else v for k, v in changes.items()}
    url = reverse("coaching:engagement-new")
    assert message in post_bad(client_for(cast.report), url, proposal(cast, **changes), htmx=htmx)


@SENT_BY
def test_propose_with_an_empty_post_shows_what_is_missing(cast: Cast, htmx: bool) -> None:
    page = post_bad(client_for(cast.report), reverse("coaching:engagement-new"), {}, htmx=htmx)
    assert "Choose the person." in page
    assert "Choose one of the templates listed." in page


@SENT_BY
def test_propose_with_someone_who_has_left_is_refused(cast: Cast, htmx: bool) -> None:
    gone = make_person(cast.org, "Gil Gone")
    gone.user.is_active = False
    gone.user.save()
    data = proposal(cast, other=str(gone.pk))
    page = post_bad(client_for(cast.report), reverse("coaching:engagement-new"), data, htmx=htmx)
    assert "Choose someone from your organisation." in page


@SENT_BY
def test_propose_a_second_open_engagement_of_the_same_kind(cast: Cast, htmx: bool) -> None:
    make_engagement(cast.coach, cast.report, agreed=False)
    page = post_bad(
        client_for(cast.report), reverse("coaching:engagement-new"), proposal(cast), htmx=htmx
    )
    assert "You already have an open engagement of this kind together." in page
