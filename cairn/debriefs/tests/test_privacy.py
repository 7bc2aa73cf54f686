"""The who-sees-what rows of group debriefs, walked over the whole cast through the
pages and endpoints: the manager hosts a debrief of the Platform team (the report and
the peer); reflections, private notes and an action item carry canaries. Before the
session opens each member reads only their own reflection; afterwards the group reads
every reflection and the action item; private notes stay their author's. Everyone
else — the director (the manager's manager), the coach, the org admin, the program
admin, HR, another organisation, a Django superuser and a declined invitee — gets 404
for every page and endpoint, with nothing of it in the answer."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cairn.debriefs import policy, services
from cairn.debriefs.models import DebriefActionItem, DebriefNote, Reflection
from cairn.debriefs.tests.factories import (
    ACTION,
    NOTE_HOST,
    NOTE_REPORT,
    REFLECTION_HOST,
    REFLECTION_PEER,
    REFLECTION_REPORT,
    World,
)
from cairn.people.models import User
from cairn.testing import client_for, html, htmx

OUTSIDE = ("director", "coach", "admin", "program_admin", "hr", "outsider")


def page_url(world: World) -> str:
    return reverse("debriefs:debrief", args=[world.debrief.code])


def every_post(world: World) -> list[str]:
    code = world.debrief.code
    urls = [
        reverse(f"debriefs:{name}", args=[code])
        for name in ("invite", "reflection", "open", "close", "decline", "action-add", "note-add")
    ]
    urls.append(reverse("debriefs:remove", args=[code, world.cast.report.code]))
    if world.action is not None:
        urls += [
            reverse(f"debriefs:{name}", args=[code, world.action.code])
            for name in ("action-mark", "action-edit", "action-remove")
        ]
    return urls


def absent(page: str, *texts: str) -> None:
    for text in texts:
        assert text not in page, text


def superuser() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


def test_before_opening_each_member_reads_only_their_own_reflection(before: World) -> None:
    cast = before.cast
    expected = {
        cast.report: (REFLECTION_REPORT, NOTE_REPORT),
        cast.peer: (REFLECTION_PEER,),
        cast.manager: (REFLECTION_HOST, NOTE_HOST),
    }
    for person, own in expected.items():
        for client in (client_for(person), htmx(client_for(person))):
            response = client.get(page_url(before))
            assert response.status_code == 200
            page = html(response)
            for text in own:
                assert text in page, (person.name, text)
            absent(page, *(t for t in before.secrets if t not in own))
        assert "Riley Report" in html(client_for(person).get(page_url(before)))


def test_after_opening_the_group_reads_every_reflection_and_the_action_item(after: World) -> None:
    cast = after.cast
    for person, note, other_note in [
        (cast.report, NOTE_REPORT, NOTE_HOST),
        (cast.peer, None, None),
        (cast.manager, NOTE_HOST, NOTE_REPORT),
    ]:
        page = html(client_for(person).get(page_url(after)))
        for text in (REFLECTION_REPORT, REFLECTION_PEER, REFLECTION_HOST, ACTION):
            assert text in page, (person.name, text)
        if note:
            assert note in page
            absent(page, other_note or "")
        else:
            absent(page, NOTE_REPORT, NOTE_HOST)


@pytest.mark.parametrize("opened", [False, True])
@pytest.mark.parametrize("role", OUTSIDE)
def test_nobody_outside_the_group_reaches_anything(
    request: pytest.FixtureRequest, role: str, opened: bool
) -> None:
    world: World = request.getfixturevalue("after" if opened else "before")
    client = client_for(world.cast.everyone()[role])
    for c in (client, htmx(client)):
        response = c.get(page_url(world))
        assert response.status_code == 404, role
        absent(html(response), *world.secrets)
    forged = {
        "confirmed": "yes",
        "happened": "forged",
        "body": "forged",
        "description": "forged",
        # A member of the group: a change that would be saved, were it allowed.
        "owner": str(world.cast.report.code),
        "due_on": "2100-01-01",
    }
    for url in every_post(world):
        response = client.post(url, forged)
        assert response.status_code == 404, (role, url)
        absent(html(response), *world.secrets)
        # Those that answer a GET (the action item's form) refuse it the same way.
        assert client.get(url).status_code in (404, 405), (role, url)
    home = client.get(reverse("debriefs:home"))
    assert home.status_code == 200
    absent(html(home), world.debrief.title, *world.secrets)
    # Nothing was written by any of those posts, nor taken away.
    assert "forged" not in {r.happened for r in Reflection.objects.all()}
    assert world.cast.report in policy.group_of(world.debrief)
    if world.action is not None:
        assert DebriefActionItem.objects.get(pk=world.action.pk).description == ACTION
    assert not DebriefNote.objects.filter(author=world.cast.everyone()[role]).exists()


def test_a_django_superuser_sees_nothing_and_the_admin_registers_nothing(after: World) -> None:
    client = superuser()  # no person: refused before any look-up
    response = client.get(page_url(after))
    assert response.status_code == 403
    absent(html(response), *after.secrets)
    for model in ("groupdebrief", "invitation", "reflection", "debriefactionitem", "debriefnote"):
        response = client.get(f"/admin/debriefs/{model}/")
        assert response.status_code == 404, model
        absent(html(response), *after.secrets)


def test_a_superuser_who_is_a_person_outside_the_group_gets_404(after: World) -> None:
    User.objects.filter(pk=after.cast.admin.user_id).update(is_superuser=True, is_staff=True)
    client = client_for(after.cast.admin)
    for url in [page_url(after), *every_post(after)]:
        response = client.get(url) if url == page_url(after) else client.post(url, {})
        assert response.status_code == 404, url
        absent(html(response), *after.secrets)


def test_a_declined_invitee_reaches_nothing_any_more(after: World) -> None:
    cast = after.cast
    client = client_for(cast.peer)
    response = client.post(reverse("debriefs:decline", args=[after.debrief.code]))
    assert response.status_code == 200  # asked first, nothing changed yet
    assert "Decline the debrief" in html(response)
    assert client.get(page_url(after)).status_code == 200
    response = client.post(
        reverse("debriefs:decline", args=[after.debrief.code]), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    response = client.get(page_url(after))
    assert response.status_code == 404
    absent(html(response), *after.secrets)
    home = html(client.get(reverse("debriefs:home")))
    absent(home, after.debrief.title)
    # The group no longer reads what they wrote.
    absent(html(client_for(cast.report).get(page_url(after))), REFLECTION_PEER)


def test_a_member_cannot_mark_someone_elses_action_item(after: World) -> None:
    assert after.action is not None
    url = reverse("debriefs:action-mark", args=[after.debrief.code, after.action.code])
    assert client_for(after.cast.peer).post(url, {"done": "yes"}).status_code == 404
    assert DebriefActionItem.objects.get(pk=after.action.pk).done_at is None
    assert client_for(after.cast.report).post(url, {"done": "yes"}).status_code == 302
    assert DebriefActionItem.objects.get(pk=after.action.pk).done_at is not None


def test_an_invitee_does_not_open_or_close_the_session(before: World) -> None:
    client = client_for(before.cast.report)
    for name in ("open", "close", "invite"):
        url = reverse(f"debriefs:{name}", args=[before.debrief.code])
        assert client.post(url, {"confirmed": "yes"}).status_code == 404, name
    before.debrief.refresh_from_db()
    assert before.debrief.opened_at is None


def test_closing_asks_first_then_closes(after: World) -> None:
    client = client_for(after.cast.manager)
    url = reverse("debriefs:close", args=[after.debrief.code])
    asked = client.post(url)
    assert asked.status_code == 200
    assert "Close the debrief" in html(asked)
    after.debrief.refresh_from_db()
    assert after.debrief.closed_at is None
    assert client.post(url, {"confirmed": "yes"}).status_code == 302
    after.debrief.refresh_from_db()
    assert after.debrief.closed_at is not None
    # The reflections stay readable to the group; nothing more is written.
    page = html(client_for(after.cast.report).get(page_url(after)))
    assert REFLECTION_PEER in page
    assert "Save my reflection" not in page


def test_notifications_name_the_debrief_never_what_anyone_wrote(after: World) -> None:
    from cairn.notifications.models import Notification

    titles = " ".join(Notification.objects.values_list("title", flat=True))
    assert "Release 4.2 debrief" in titles
    absent(titles, *after.secrets)
    services.decline(after.cast.peer, after.debrief)
    # A declined member's notifications about it are no longer shown.
    page = html(client_for(after.cast.peer).get(reverse("notifications:list")))
    absent(page, "Release 4.2 debrief")
