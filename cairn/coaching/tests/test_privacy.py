"""The who-sees-what table of docs/design.md, for the rows coaching owns, walked one rung
of the cast at a time.

Every test asserts on the answer (status code) *and* on what the answer contains, so
a page that renders 200 but leaks, or 404s but for the wrong reason, fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    NoteVisibility,
    Session,
)
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.people.models import Person, User
from cairn.testing import Cast, client_for, html, htmx, make_person

# Distinctive texts, so that "not in the page" cannot pass by accident. No quotes or
# ampersands: autoescaping would change them and hide a leak.
GIVER_SECRET = "giver private: worried about their focus since the reorg"
RECEIVER_SECRET = "receiver private: thinking about moving to another team"
SHARED_TEXT = "shared note: we agreed to try pairing on Fridays"
AGENDA_TEXT = "agenda: what would make next quarter great for you"
STATUS_TEXT = "status update on OPS-77 rollout"
ACTION_TEXT = "action: draft the outline of the conference talk"

CAST_ROLES = ["director", "manager", "report", "peer", "coach", "admin", "outsider"]

# Two engagements, so that each rung of the cast is both a party somewhere and a
# non-party somewhere: in the one-on-one the manager is a party; in the coaching
# engagement the same manager is only the receiver's manager.
PARTIES = {
    "one_on_one": ("manager", "report"),
    "coaching": ("coach", "report"),
}
NON_PARTIES = [
    pytest.param(kind, role, id=f"{kind}-{role}")
    for kind, parties in PARTIES.items()
    for role in CAST_ROLES
    if role not in parties
]
SIDES = [
    pytest.param(kind, side, id=f"{kind}-{side}")
    for kind in PARTIES
    for side in ("giver", "receiver")
]


@dataclass
class Content:
    """One engagement with one session holding content of every kind."""

    engagement: Engagement
    session: Session
    giver: Person
    receiver: Person
    giver_private: Note
    receiver_private: Note
    shared_note: Note
    agenda_item: AgendaItem
    status_item: AgendaItem
    action_item: ActionItem

    def party(self, side: str) -> Person:
        return self.giver if side == "giver" else self.receiver

    def other(self, side: str) -> Person:
        return self.receiver if side == "giver" else self.giver

    def private_note_of(self, side: str) -> Note:
        return self.giver_private if side == "giver" else self.receiver_private


def fill(engagement: Engagement) -> Content:
    giver, receiver = engagement.giver, engagement.receiver
    session = make_session(engagement)
    return Content(
        engagement=engagement,
        session=session,
        giver=giver,
        receiver=receiver,
        giver_private=make_note(session, giver, GIVER_SECRET, private=True),
        receiver_private=make_note(session, receiver, RECEIVER_SECRET, private=True),
        shared_note=make_note(session, giver, SHARED_TEXT),
        agenda_item=make_agenda_item(session, receiver, AGENDA_TEXT),
        status_item=make_agenda_item(session, giver, STATUS_TEXT),
        action_item=make_action_item(session, receiver, ACTION_TEXT, by=giver),
    )


def content_for(cast: Cast, kind: str) -> Content:
    if kind == "one_on_one":
        return fill(one_on_one(cast.manager, cast.report))
    return fill(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))


def person(cast: Cast, role: str) -> Person:
    return cast.everyone()[role]


ALL_SECRETS = [GIVER_SECRET, RECEIVER_SECRET, SHARED_TEXT, AGENDA_TEXT, STATUS_TEXT, ACTION_TEXT]


def assert_no_content(page: str) -> None:
    for text in ALL_SECRETS:
        assert text not in page, text


def session_url(content: Content) -> str:
    return reverse("coaching:session", args=[content.session.code])


# --- private note: its author, and nobody else -------------------------------------


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_author_reads_own_private_note_on_session_page(cast: Cast, kind: str, side: str) -> None:
    content = content_for(cast, kind)
    response = client_for(content.party(side)).get(session_url(content))
    assert response.status_code == 200
    assert content.private_note_of(side).body in html(response)


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_other_party_cannot_read_private_note_on_session_page(
    cast: Cast, kind: str, side: str
) -> None:
    content = content_for(cast, kind)
    other = "receiver" if side == "giver" else "giver"
    response = client_for(content.other(side)).get(session_url(content))
    page = html(response)
    assert response.status_code == 200
    assert content.private_note_of(other).body in page  # their own one is there…
    assert SHARED_TEXT in page
    assert content.private_note_of(side).body not in page  # …the author's is not


@pytest.mark.parametrize(("kind", "role"), NON_PARTIES)
def test_non_party_cannot_read_private_notes_on_session_page(
    cast: Cast, kind: str, role: str
) -> None:
    content = content_for(cast, kind)
    for client in (client_for(person(cast, role)), htmx(client_for(person(cast, role)))):
        response = client.get(session_url(content))
        assert response.status_code == 404
        assert_no_content(html(response))


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_private_note_stays_hidden_after_other_party_adds_notes(
    cast: Cast, kind: str, side: str
) -> None:
    content = content_for(cast, kind)
    secret = content.private_note_of(side).body
    other = client_for(content.other(side))
    url = reverse("coaching:note-add", args=[content.session.code])

    response = other.post(url, {"body": "my own shared thought", "visibility": "shared"})
    assert response.status_code == 302
    response = htmx(other).post(url, {"body": "my own private thought", "visibility": "private"})
    assert response.status_code == 200
    assert "my own private thought" in html(response)
    assert secret not in html(response)

    response = client_for(content.other(side)).get(session_url(content))
    page = html(response)
    assert response.status_code == 200
    assert "my own shared thought" in page
    assert "my own private thought" in page
    assert secret not in page
    # And the author still sees theirs, next to the other party's shared note only.
    page = html(client_for(content.party(side)).get(session_url(content)))
    assert secret in page
    assert "my own shared thought" in page
    assert "my own private thought" not in page


def _htmx_posts(content: Content, viewer: Person) -> dict[str, tuple[str, dict[str, str]]]:
    """Every endpoint that answers htmx with a part of the session page."""
    own_note = make_note(content.session, viewer, "a note to delete again")
    return {
        "agenda-add": (
            reverse("coaching:agenda-add", args=[content.session.code]),
            {"text": "a new talking point"},
        ),
        "note-add": (
            reverse("coaching:note-add", args=[content.session.code]),
            {"body": "another shared note", "visibility": "shared"},
        ),
        "action-add": (
            reverse("coaching:action-add", args=[content.session.code]),
            {
                "owner": str(viewer.code),
                "description": "another action",
                "due_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
            },
        ),
        "agenda-mark": (
            reverse("coaching:agenda-mark", args=[content.agenda_item.code]),
            {"discussed": "1"},
        ),
        "agenda-dismiss": (reverse("coaching:agenda-dismiss", args=[content.status_item.code]), {}),
        "note-delete": (
            reverse("coaching:note-delete", args=[own_note.code]),
            {"confirmed": "yes"},
        ),
        "action-mark": (
            reverse("coaching:action-mark", args=[content.action_item.code]),
            {"done": "1", "session": str(content.session.code)},
        ),
    }


HTMX_ENDPOINTS = [
    "agenda-add",
    "note-add",
    "action-add",
    "agenda-mark",
    "agenda-dismiss",
    "note-delete",
    "action-mark",
]


@pytest.mark.parametrize("endpoint", HTMX_ENDPOINTS)
@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_htmx_partials_never_carry_the_other_partys_private_note(
    cast: Cast, kind: str, side: str, endpoint: str
) -> None:
    content = content_for(cast, kind)
    viewer = content.other(side)
    url, data = _htmx_posts(content, viewer)[endpoint]
    response = htmx(client_for(viewer)).post(url, data)
    page = html(response)
    assert response.status_code == 200
    assert "<html" not in page  # the partial, not the page
    assert 'class="card"' in page
    assert content.private_note_of(side).body not in page


def test_notes_partial_shows_the_author_their_own_private_note(cast: Cast) -> None:
    # The control for the test above: the same partial does carry private notes, to
    # their author.
    content = content_for(cast, "one_on_one")
    url = reverse("coaching:note-add", args=[content.session.code])
    response = htmx(client_for(cast.report)).post(url, {"body": "x", "visibility": "shared"})
    assert response.status_code == 200
    assert RECEIVER_SECRET in html(response)
    assert GIVER_SECRET not in html(response)


@pytest.mark.parametrize("kind", PARTIES)
def test_private_note_queryset_yields_it_to_its_author_alone(cast: Cast, kind: str) -> None:
    content = content_for(cast, kind)
    superuser = make_person(cast.org, "Sam Superuser", is_org_admin=True)
    User.objects.filter(pk=superuser.user_id).update(is_superuser=True, is_staff=True)
    for viewer in [*cast.everyone().values(), superuser]:
        for note in (content.giver_private, content.receiver_private):
            visible = Note.objects.visible_to(viewer).filter(pk=note.pk).exists()
            assert visible == (viewer.pk == note.author_id), (viewer.name, note.body)


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_other_party_cannot_delete_private_note(cast: Cast, kind: str, side: str) -> None:
    content = content_for(cast, kind)
    note = content.private_note_of(side)
    url = reverse("coaching:note-delete", args=[note.code])
    for client in (client_for(content.other(side)), htmx(client_for(content.other(side)))):
        response = client.post(url)
        assert response.status_code == 404
        assert note.body not in html(response)
    assert Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize(("kind", "role"), NON_PARTIES)
def test_non_party_cannot_delete_private_note(cast: Cast, kind: str, role: str) -> None:
    content = content_for(cast, kind)
    for note in (content.giver_private, content.receiver_private):
        response = client_for(person(cast, role)).post(
            reverse("coaching:note-delete", args=[note.code])
        )
        assert response.status_code == 404
        assert note.body not in html(response)
        assert Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_author_can_delete_own_private_note(cast: Cast, kind: str, side: str) -> None:
    content = content_for(cast, kind)
    note = content.private_note_of(side)
    url = reverse("coaching:note-delete", args=[note.code])
    client = client_for(content.party(side))
    assert client.post(url).headers["X-Cairn-Confirm"] == "ask"  # asks first…
    assert Note.objects.filter(pk=note.pk).exists()
    response = client.post(url, {"confirmed": "yes"})  # …and deletes on yes
    assert response.status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_other_party_cannot_delete_shared_note_they_did_not_write(
    cast: Cast, kind: str, side: str
) -> None:
    # Not theirs to delete: a 404, as for anything not theirs, and the note stays.
    content = content_for(cast, kind)
    note = make_note(content.session, content.party(side), "only mine to delete")
    response = client_for(content.other(side)).post(
        reverse("coaching:note-delete", args=[note.code]), {"confirmed": "yes"}
    )
    assert response.status_code == 404
    assert Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize("role", CAST_ROLES)
@pytest.mark.parametrize("kind", PARTIES)
def test_private_notes_appear_on_no_other_page(cast: Cast, kind: str, role: str) -> None:
    """Home, the engagement page and both parties' person pages never show a private
    note: not to the other party, not to anyone, not even to its author."""
    content = content_for(cast, kind)
    viewer = person(cast, role)
    client = client_for(viewer)
    is_party = content.engagement.is_party(viewer)
    same_org = viewer.organisation_id == cast.org.pk

    pages = [
        (reverse("home"), 200),
        (reverse("coaching:engagement", args=[content.engagement.code]), 200 if is_party else 404),
        (reverse("people:person", args=[content.giver.code]), 200 if same_org else 404),
        (reverse("people:person", args=[content.receiver.code]), 200 if same_org else 404),
    ]
    for url, status in pages:
        response = client.get(url)
        assert response.status_code == status, url
        assert GIVER_SECRET not in html(response), url
        assert RECEIVER_SECRET not in html(response), url
        assert SHARED_TEXT not in html(response), url


# --- the Django admin and superusers -----------------------------------------------


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["note", "agendaitem", "actionitem", "session"])
def test_django_admin_has_no_page_for_coaching_content(cast: Cast, model: str) -> None:
    content_for(cast, "one_on_one")
    client = superuser_client()
    for url in (f"/admin/coaching/{model}/", f"/admin/coaching/{model}/add/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_no_content(html(response))


def test_django_admin_index_lists_no_coaching_content(cast: Cast) -> None:
    content_for(cast, "one_on_one")
    client = superuser_client()
    for url in ("/admin/", "/admin/coaching/"):
        response = client.get(url)
        page = html(response)
        assert response.status_code == 200, url
        assert "/admin/coaching/engagement/" in page  # the control: coaching is listed
        for model in ("note", "agendaitem", "actionitem", "session"):
            assert f"/admin/coaching/{model}/" not in page, (url, model)
        for label in ("Notes", "Agenda items", "Action items", ">Sessions<"):
            assert label not in page, (url, label)


def test_django_admin_engagement_page_shows_no_coaching_content(cast: Cast) -> None:
    content = content_for(cast, "one_on_one")
    client = superuser_client()
    engagement_admin = f"/admin/coaching/engagement/{content.engagement.pk}"
    for url in ("/admin/coaching/engagement/", f"{engagement_admin}/change/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_content(html(response))


def test_django_admin_delete_confirmations_show_no_coaching_content(cast: Cast) -> None:
    # Deleting an engagement or a person cascades to sessions, notes, agenda and
    # action items, and the confirmation page lists each of them by ``str()``.
    content = content_for(cast, "one_on_one")
    client = superuser_client()
    for url in (
        f"/admin/coaching/engagement/{content.engagement.pk}/delete/",
        f"/admin/people/person/{cast.report.pk}/delete/",
        f"/admin/people/person/{cast.manager.pk}/delete/",
        f"/admin/people/user/{cast.report.user_id}/delete/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Are you sure" in html(response)
        assert_no_content(html(response))


def test_django_admin_does_not_list_counseling_even_to_superusers(cast: Cast) -> None:
    counseling = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    mentoring = make_engagement(cast.peer, cast.coach, EngagementKind.MENTORING)
    client = superuser_client()
    response = client.get("/admin/coaching/engagement/")
    page = html(response)
    assert response.status_code == 200
    assert f"/admin/coaching/engagement/{mentoring.pk}/change/" in page
    assert f"/admin/coaching/engagement/{counseling.pk}/change/" not in page
    response = client.get("/admin/coaching/engagement/?kind__exact=counseling")
    assert response.status_code == 200
    assert "0 engagements" in html(response)
    response = client.get(f"/admin/coaching/engagement/{counseling.pk}/change/")
    assert response.status_code == 302  # the admin's "no such object" answer
    assert response["Location"] == "/admin/"


def test_superuser_without_a_person_sees_no_session(cast: Cast) -> None:
    content = content_for(cast, "one_on_one")
    client = superuser_client()
    for url in (
        session_url(content),
        reverse("coaching:engagement", args=[content.engagement.code]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "not part of an organisation" in html(response)
        assert_no_content(html(response))


def test_superuser_who_is_a_person_cannot_read_others_sessions(cast: Cast) -> None:
    content = content_for(cast, "one_on_one")
    User.objects.filter(pk=cast.admin.user_id).update(is_superuser=True, is_staff=True)
    response = client_for(cast.admin).get(session_url(content))
    assert response.status_code == 404
    assert_no_content(html(response))


# --- shared notes, agenda and action items: the two parties ------------------------


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_both_parties_read_shared_notes_agenda_and_action_items(
    cast: Cast, kind: str, side: str
) -> None:
    content = content_for(cast, kind)
    viewer = content.party(side)
    response = client_for(viewer).get(session_url(content))
    page = html(response)
    assert response.status_code == 200
    for text in (SHARED_TEXT, AGENDA_TEXT, STATUS_TEXT, ACTION_TEXT):
        assert text in page
    assert Note.objects.visible_to(viewer).filter(pk=content.shared_note.pk).exists()
    assert AgendaItem.objects.visible_to(viewer).filter(pk=content.agenda_item.pk).exists()
    assert ActionItem.objects.visible_to(viewer).filter(pk=content.action_item.pk).exists()


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_both_parties_write_notes_agenda_and_action_items(cast: Cast, kind: str, side: str) -> None:
    content = content_for(cast, kind)
    writer = client_for(content.party(side))
    code = content.session.code
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    posts = [
        (reverse("coaching:agenda-add", args=[code]), {"text": "point from the writer"}),
        (
            reverse("coaching:note-add", args=[code]),
            {"body": "note from the writer", "visibility": "shared"},
        ),
        (
            reverse("coaching:action-add", args=[code]),
            {
                "owner": str(content.other(side).code),
                "description": "action from the writer",
                "due_on": due,
            },
        ),
    ]
    for url, data in posts:
        response = writer.post(url, data)
        assert response.status_code == 302, url

    assert AgendaItem.objects.filter(session=content.session, text="point from the writer").exists()
    # A note's body is encrypted at rest: compared here, not by the database.
    assert "note from the writer" in [
        note.body
        for note in Note.objects.filter(session=content.session, visibility=NoteVisibility.SHARED)
    ]
    assert ActionItem.objects.filter(
        engagement=content.engagement, description="action from the writer"
    ).exists()
    # The other party reads all of it.
    page = html(client_for(content.other(side)).get(session_url(content)))
    for text in ("point from the writer", "note from the writer", "action from the writer"):
        assert text in page


@pytest.mark.parametrize(("kind", "side"), SIDES)
def test_both_parties_mark_agenda_and_action_items(cast: Cast, kind: str, side: str) -> None:
    content = content_for(cast, kind)
    client = client_for(content.party(side))
    responses = [
        client.post(
            reverse("coaching:agenda-mark", args=[content.agenda_item.code]), {"discussed": "1"}
        ),
        client.post(reverse("coaching:agenda-dismiss", args=[content.status_item.code])),
        client.post(
            reverse("coaching:action-mark", args=[content.action_item.code]), {"done": "1"}
        ),
    ]
    assert [r.status_code for r in responses] == [302, 302, 302]
    content.agenda_item.refresh_from_db()
    content.status_item.refresh_from_db()
    content.action_item.refresh_from_db()
    assert content.agenda_item.discussed
    assert content.status_item.nudge_dismissed
    assert content.action_item.is_done


def _snapshot(content: Content) -> tuple[object, ...]:
    """Everything a refused write could have changed."""
    content.engagement.refresh_from_db()
    return (
        AgendaItem.objects.count(),
        Note.objects.count(),
        ActionItem.objects.count(),
        Session.objects.count(),
        content.engagement.status,
        *AgendaItem.objects.order_by("pk").values_list("discussed", "nudge_dismissed"),
        *ActionItem.objects.order_by("pk").values_list("done_at", flat=True),
        *Session.objects.order_by("pk").values_list("completed_at", flat=True),
    )


def _writes(content: Content, intruder: Person) -> dict[str, tuple[str, dict[str, str]]]:
    session, engagement = content.session, content.engagement
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    return {
        "agenda-add": (
            reverse("coaching:agenda-add", args=[session.code]),
            {"text": "an intruding point"},
        ),
        "note-add": (
            reverse("coaching:note-add", args=[session.code]),
            {"body": "an intruding note", "visibility": "shared"},
        ),
        "action-add": (
            reverse("coaching:action-add", args=[session.code]),
            {"owner": str(intruder.code), "description": "an intruding action", "due_on": due},
        ),
        "agenda-mark": (
            reverse("coaching:agenda-mark", args=[content.agenda_item.code]),
            {"discussed": "1"},
        ),
        "agenda-dismiss": (reverse("coaching:agenda-dismiss", args=[content.status_item.code]), {}),
        "action-mark": (
            reverse("coaching:action-mark", args=[content.action_item.code]),
            {"done": "1", "session": str(session.code)},
        ),
        "note-delete": (
            reverse("coaching:note-delete", args=[content.shared_note.code]),
            {"confirmed": "yes"},
        ),
        "session-complete": (reverse("coaching:session-complete", args=[session.code]), {}),
        "session-schedule": (
            reverse("coaching:session-schedule", args=[engagement.code]),
            {"scheduled_for": f"{due} 10:00", "template": engagement.template.slug},
        ),
        "engagement-close": (reverse("coaching:engagement-close", args=[engagement.code]), {}),
    }


WRITE_ENDPOINTS = [
    "agenda-add",
    "note-add",
    "action-add",
    "agenda-mark",
    "agenda-dismiss",
    "action-mark",
    "note-delete",
    "session-complete",
    "session-schedule",
    "engagement-close",
]


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS)
@pytest.mark.parametrize(("kind", "role"), NON_PARTIES)
def test_non_party_cannot_write_and_nothing_is_saved(
    cast: Cast, kind: str, role: str, endpoint: str
) -> None:
    """Managers of the person, the org admin, peers, coaches of other engagements and
    the outsider (with codes from another organisation) all get 404, plain or htmx."""
    content = content_for(cast, kind)
    intruder = person(cast, role)
    before = _snapshot(content)
    url, data = _writes(content, intruder)[endpoint]
    for client in (client_for(intruder), htmx(client_for(intruder))):
        response = client.post(url, data)
        assert response.status_code == 404
        assert_no_content(html(response))
    assert _snapshot(content) == before


@pytest.mark.parametrize("role", ["report", "manager", "director", "admin", "outsider"])
def test_non_party_cannot_accept_a_proposed_engagement(cast: Cast, role: str) -> None:
    # Proposed by the coach, waiting for the peer: the peer's managers may know it
    # exists, but only the peer may agree to it.
    engagement = make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING, agreed=False)
    response = client_for(person(cast, role)).post(
        reverse("coaching:engagement-accept", args=[engagement.code])
    )
    assert response.status_code == 404
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PROPOSED
    response = client_for(cast.peer).post(
        reverse("coaching:engagement-accept", args=[engagement.code])
    )
    assert response.status_code == 302  # the control: the peer can
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED


@pytest.mark.parametrize("kind", PARTIES)
def test_shared_content_querysets_yield_to_the_two_parties_only(cast: Cast, kind: str) -> None:
    content = content_for(cast, kind)
    for viewer in cast.everyone().values():
        is_party = content.engagement.is_party(viewer)
        assert Session.objects.visible_to(viewer).filter(pk=content.session.pk).exists() == (
            is_party
        ), viewer.name
        assert Note.objects.visible_to(viewer).filter(pk=content.shared_note.pk).exists() == (
            is_party
        ), viewer.name
        assert AgendaItem.objects.visible_to(viewer).filter(pk=content.agenda_item.pk).exists() == (
            is_party
        ), viewer.name
        assert ActionItem.objects.visible_to(viewer).filter(pk=content.action_item.pk).exists() == (
            is_party
        ), viewer.name


@pytest.mark.parametrize("role", CAST_ROLES)
@pytest.mark.parametrize("kind", PARTIES)
def test_open_action_item_is_on_its_owners_home_only(cast: Cast, kind: str, role: str) -> None:
    content = content_for(cast, kind)
    viewer = person(cast, role)
    response = client_for(viewer).get(reverse("home"))
    assert response.status_code == 200
    assert (ACTION_TEXT in html(response)) == (viewer.pk == content.action_item.owner_id)


# --- engagement existence -----------------------------------------------------------


def _assert_existence(
    cast: Cast, engagement: Engagement, role: str, viewer: Person, expected: bool
) -> None:
    """The engagement shows on both parties' person pages, and in ``visible_to``,
    exactly when ``expected``; its page stays closed to everyone but the parties."""
    assert Engagement.objects.visible_to(viewer).filter(pk=engagement.pk).exists() == expected
    marker = f"{engagement.giver.name} → {engagement.receiver.name}"
    for party in (engagement.giver, engagement.receiver):
        response = client_for(viewer).get(reverse("people:person", args=[party.code]))
        if role == "outsider":
            assert response.status_code == 404
            assert marker not in html(response)
            continue
        assert response.status_code == 200
        assert (marker in html(response)) == expected, party.name
        # Only a party gets a link to the engagement itself.
        assert (str(engagement.code) in html(response)) == engagement.is_party(viewer)


COUNSELING_SEES = {"coach", "report"}


@pytest.mark.parametrize("role", CAST_ROLES)
def test_counseling_exists_only_for_its_two_parties(cast: Cast, role: str) -> None:
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    _assert_existence(cast, engagement, role, person(cast, role), role in COUNSELING_SEES)


@pytest.mark.parametrize("role", CAST_ROLES)
def test_counseling_stays_hidden_from_the_receivers_own_manager(cast: Cast, role: str) -> None:
    # Counseling by the report's skip-level: the director is a party, and the manager
    # in between, who manages the report, still must not know of it.
    engagement = make_engagement(cast.director, cast.report, EngagementKind.COUNSELING)
    _assert_existence(cast, engagement, role, person(cast, role), role in {"director", "report"})


# A mentor outside everyone's reporting lines mentors the report: the report's
# managers (the whole chain) and the org admin may know; the peer and the coach, who
# have nothing to do with it, may not.
MENTORING_SEES = {"report", "manager", "director", "admin"}


@pytest.mark.parametrize("role", CAST_ROLES)
def test_mentoring_exists_for_parties_their_managers_and_org_admin(cast: Cast, role: str) -> None:
    mentor = make_person(cast.org, "Mo Mentor")
    engagement = make_engagement(mentor, cast.report, EngagementKind.MENTORING)
    _assert_existence(cast, engagement, role, person(cast, role), role in MENTORING_SEES)
    assert Engagement.objects.visible_to(mentor).filter(pk=engagement.pk).exists()


# The peer coaches the coach: the peer's managers see it through the giver's side.
GIVER_SIDE_SEES = {"peer", "coach", "manager", "director", "admin"}


@pytest.mark.parametrize("role", CAST_ROLES)
def test_engagement_exists_for_the_managers_of_either_party(cast: Cast, role: str) -> None:
    engagement = make_engagement(cast.peer, cast.coach, EngagementKind.COACHING)
    _assert_existence(cast, engagement, role, person(cast, role), role in GIVER_SIDE_SEES)


# Manager one-on-ones: manager and report, the director above them, and the org admin.
ONE_ON_ONE_SEES = {"manager", "report", "director", "admin"}


@pytest.mark.parametrize("role", CAST_ROLES)
def test_one_on_one_exists_for_the_chain_and_org_admin(cast: Cast, role: str) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    viewer = person(cast, role)
    assert Engagement.objects.visible_to(viewer).filter(pk=engagement.pk).exists() == (
        role in ONE_ON_ONE_SEES
    )


# --- engagement and session pages: parties only, 404 for everyone else ---------------

EXISTENCE_KINDS = [
    pytest.param(EngagementKind.MENTORING, id="mentoring"),
    pytest.param(EngagementKind.COUNSELING, id="counseling"),
]
# The mentor is the coach here; every other rung is a non-party, including the ones
# allowed to know that a mentoring engagement exists.
PAGE_NON_PARTIES = ["director", "manager", "peer", "admin", "outsider"]


@pytest.mark.parametrize("role", PAGE_NON_PARTIES)
@pytest.mark.parametrize("kind", EXISTENCE_KINDS)
def test_non_party_gets_404_not_403_for_engagement_and_session_pages(
    cast: Cast, kind: str, role: str
) -> None:
    content = fill(make_engagement(cast.coach, cast.report, kind))
    client = client_for(person(cast, role))
    for url in (
        reverse("coaching:engagement", args=[content.engagement.code]),
        session_url(content),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert_no_content(html(response))
        assert cast.coach.name not in html(response)


@pytest.mark.parametrize("role", ["coach", "report"])
@pytest.mark.parametrize("kind", EXISTENCE_KINDS)
def test_parties_open_engagement_and_session_pages(cast: Cast, kind: str, role: str) -> None:
    content = fill(make_engagement(cast.coach, cast.report, kind))
    client = client_for(person(cast, role))
    response = client.get(reverse("coaching:engagement", args=[content.engagement.code]))
    assert response.status_code == 200
    assert ACTION_TEXT in html(response)
    response = client.get(session_url(content))
    assert response.status_code == 200
    assert AGENDA_TEXT in html(response)


def test_unknown_codes_answer_404_like_forbidden_ones(cast: Cast) -> None:
    client = client_for(cast.report)
    missing = "00000000-0000-4000-8000-000000000000"
    for name in ("coaching:engagement", "coaching:session"):
        assert client.get(reverse(name, args=[missing])).status_code == 404


def test_anonymous_is_sent_to_log_in(cast: Cast) -> None:
    content = content_for(cast, "one_on_one")
    client = Client()
    pages = [
        reverse("home"),
        reverse("coaching:engagement", args=[content.engagement.code]),
        session_url(content),
        reverse("people:person", args=[cast.report.code]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url
    for url, data in _writes(content, cast.report).values():
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert AgendaItem.objects.count() == 2
    assert Note.objects.count() == 3
