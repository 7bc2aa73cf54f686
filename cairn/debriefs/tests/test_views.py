"""The debrief pages as a person uses them, and every form's bad input: a clear
message, 422, nothing saved."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cairn.debriefs.models import (
    DebriefActionItem,
    DebriefKind,
    DebriefNote,
    GroupDebrief,
    Invitation,
    Reflection,
)
from cairn.debriefs.tests.factories import World, make_debrief, open_now
from cairn.mentoring.tests.factories import enrol_mentee, make_program
from cairn.testing import Cast, client_for, html, htmx, make_team


def when(hours: int) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_a_host_creates_invites_a_team_and_opens_it(cast: Cast) -> None:
    client = client_for(cast.manager)
    response = client.post(
        reverse("debriefs:new"), {"title": "Q3 retro", "kind": "team", "opens_at": when(0)}
    )
    debrief = GroupDebrief.objects.get()
    url = reverse("debriefs:debrief", args=[debrief.code])
    assert response["Location"] == url
    team = cast.manager.team
    assert team is not None
    client.post(reverse("debriefs:invite", args=[debrief.code]), {"team": str(team.code)})
    page = html(client.get(url))
    assert "Riley Report" in page
    assert "Pat Peer" in page
    client.post(reverse("debriefs:open", args=[debrief.code]))
    debrief.refresh_from_db()
    assert debrief.opened_at is not None


def test_one_person_at_a_time_through_the_picker_search(cast: Cast) -> None:
    debrief = make_debrief(cast.manager)
    client = client_for(cast.manager)
    url = reverse("debriefs:debrief", args=[debrief.code])
    # The picker finds the coach by name on the server; the organisation is not listed.
    page = html(client.get(url, {"person_q": "Cody"}))
    assert str(cast.coach.code) in page
    assert str(cast.hr.code) not in page
    client.post(reverse("debriefs:invite", args=[debrief.code]), {"person": str(cast.coach.code)})
    assert Invitation.objects.filter(debrief=debrief, person=cast.coach).exists()


def test_a_program_admin_invites_a_cohort(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    enrol_mentee(program, cast.report)
    client = client_for(cast.program_admin)
    client.post(
        reverse("debriefs:new"),
        {"title": "Cohort", "kind": "program", "program": str(program.code), "opens_at": when(1)},
    )
    debrief = GroupDebrief.objects.get()
    assert debrief.kind == DebriefKind.PROGRAM
    client.post(reverse("debriefs:invite", args=[debrief.code]), {"program": str(program.code)})
    assert list(Invitation.objects.values_list("person", flat=True)) == [cast.report.pk]


def test_creating_with_bad_input_says_why_and_saves_nothing(cast: Cast) -> None:
    client = client_for(cast.manager)
    url = reverse("debriefs:new")
    for data, message in [
        ({"title": "", "kind": "team", "opens_at": when(1)}, "Give the debrief a title."),
        ({"title": "x" * 121, "kind": "team", "opens_at": when(1)}, "at most 120 characters"),
        ({"title": "Retro", "kind": "team", "opens_at": "tomorrow"}, "YYYY-MM-DD HH:MM"),
        ({"title": "Retro", "kind": "team", "opens_at": when(-3)}, "still to come"),
        ({"title": "Retro", "kind": "program", "opens_at": when(1)}, "Select a valid choice"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 422, data
        assert message in html(response), data
    assert not GroupDebrief.objects.exists()


def test_the_group_forms_with_bad_input_say_why_and_save_nothing(after: World) -> None:
    cast, debrief = after.cast, after.debrief
    client = client_for(cast.report)
    code = debrief.code
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    next_week = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    before_items = DebriefActionItem.objects.count()
    for url, data, message in [
        (reverse("debriefs:reflection", args=[code]), {"happened": ""}, "Write what happened."),
        (
            reverse("debriefs:reflection", args=[code]),
            {"happened": "x" * 4001},
            "at most 4000 characters",
        ),
        (
            reverse("debriefs:action-add", args=[code]),
            {"description": "", "owner": str(cast.peer.code), "due_on": next_week},
            "Say what is to be done.",
        ),
        (
            reverse("debriefs:action-add", args=[code]),
            {"description": "Fix it", "owner": str(cast.peer.code), "due_on": yesterday},
            "today or later",
        ),
        (
            reverse("debriefs:action-add", args=[code]),
            {"description": "Fix it", "owner": str(cast.coach.code), "due_on": next_week},
            "Choose an owner from the group.",
        ),
        (
            reverse("debriefs:action-add", args=[code]),
            {"description": "Fix it", "owner": str(cast.peer.code), "due_on": "soon"},
            "YYYY-MM-DD",
        ),
        (reverse("debriefs:note-add", args=[code]), {"body": "  "}, "Write your note."),
    ]:
        for c in (client, htmx(client)):
            response = c.post(url, data)
            assert response.status_code == 422, (url, data)
            assert message in html(response), (url, data)
    assert DebriefActionItem.objects.count() == before_items
    assert DebriefNote.objects.filter(author=cast.report).count() == 1
    mine = Reflection.objects.get(debrief=debrief, author=cast.report)
    assert mine.happened != ""


def test_inviting_someone_of_another_organisation_is_refused(cast: Cast) -> None:
    debrief = make_debrief(cast.manager)
    client = client_for(cast.manager)
    url = reverse("debriefs:invite", args=[debrief.code])
    other_team = make_team(cast.outsider.organisation)
    for data, message in [
        ({"person": str(cast.outsider.code)}, "Choose someone from your organisation."),
        ({"person": ""}, "Choose the person to invite."),
        ({"team": str(other_team.code)}, "Choose a team of your organisation."),
        ({"team": "not-a-code"}, "Choose a team of your organisation."),
    ]:
        response = client.post(url, data)
        assert response.status_code == 422, data
        assert message in html(response), data
    assert not Invitation.objects.exists()


def test_an_htmx_post_gets_the_debrief_again(before: World) -> None:
    client = htmx(client_for(before.cast.report))
    response = client.post(
        reverse("debriefs:reflection", args=[before.debrief.code]), {"happened": "Rewritten"}
    )
    assert response.status_code == 200
    assert 'id="debrief"' in html(response)
    assert "<html" not in html(response)
    assert "Rewritten" in html(response)


def test_action_items_are_added_only_in_an_open_session(before: World) -> None:
    client = client_for(before.cast.report)
    data = {
        "description": "Fix it",
        "owner": str(before.cast.peer.code),
        "due_on": timezone.localdate().isoformat(),
    }
    url = reverse("debriefs:action-add", args=[before.debrief.code])
    assert client.post(url, data).status_code == 404
    open_now(before.debrief)
    assert client.post(url, data).status_code == 302
    assert DebriefActionItem.objects.get().owner == before.cast.peer
