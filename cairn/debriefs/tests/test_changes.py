"""Changing a group after the fact: the host takes an invitee out of the group, and
the group changes or removes an action item while the session is open — who may,
what it does, bad input (a message, 422, nothing saved), the confirmation before
anything goes, and the same pages without JavaScript and with htmx."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cairn.debriefs import services
from cairn.debriefs.models import DebriefActionItem, Invitation, Reflection
from cairn.debriefs.policy import group_of
from cairn.debriefs.tests.factories import ACTION, REFLECTION_PEER, World, make_debrief
from cairn.notifications.models import Kind, Notification
from cairn.testing import Cast, client_for, html, htmx


def page_url(world: World) -> str:
    return reverse("debriefs:debrief", args=[world.debrief.code])


def remove_url(world: World, person_code: object) -> str:
    return reverse("debriefs:remove", args=[world.debrief.code, person_code])


def item_url(world: World, name: str) -> str:
    assert world.action is not None
    return reverse(f"debriefs:{name}", args=[world.debrief.code, world.action.code])


def in_week(days: int = 7) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


# --- taking someone out of the group ------------------------------------------------


def test_the_host_takes_an_invitee_out_after_saying_yes(after: World) -> None:
    cast = after.cast
    host = client_for(cast.manager)
    page = html(host.get(page_url(after)))
    assert remove_url(after, cast.peer.code) in page
    assert remove_url(after, cast.manager.code) not in page  # the host stays

    asked = host.post(remove_url(after, cast.peer.code))
    assert asked.status_code == 200
    assert "Take Pat Peer out of the debrief" in html(asked)
    assert cast.peer in group_of(after.debrief)

    done = host.post(remove_url(after, cast.peer.code), {"confirmed": "yes"})
    assert done.status_code == 302
    assert "Pat Peer is no longer in the group." in html(host.get(done["Location"]))
    assert cast.peer not in group_of(after.debrief)
    # They see nothing of it any more, and the group no longer reads their reflection.
    assert client_for(cast.peer).get(page_url(after)).status_code == 404
    assert not Reflection.objects.filter(debrief=after.debrief, author=cast.peer).exists()
    assert REFLECTION_PEER not in html(client_for(cast.report).get(page_url(after)))


def test_someone_taken_out_comes_back_only_when_invited_by_name(after: World) -> None:
    cast = after.cast
    team = cast.manager.team
    assert team is not None
    services.remove_member(cast.manager, after.debrief, cast.peer)
    assert services.invite_team(cast.manager, after.debrief, team) == 0
    assert cast.peer not in group_of(after.debrief)
    assert services.invite_people(cast.manager, after.debrief, [cast.peer]) == 1
    assert cast.peer in group_of(after.debrief)


def test_only_the_host_takes_people_out_and_not_once_closed(after: World) -> None:
    cast = after.cast
    with pytest.raises(PermissionDenied):
        services.remove_member(cast.report, after.debrief, cast.peer)
    with pytest.raises(PermissionDenied):
        services.remove_member(cast.manager, after.debrief, cast.manager)
    # Not in the group: nobody to take out.
    with pytest.raises(PermissionDenied):
        services.remove_member(cast.manager, after.debrief, cast.coach)
    services.close(cast.manager, after.debrief)
    with pytest.raises(PermissionDenied):
        services.remove_member(cast.manager, after.debrief, cast.peer)
    assert cast.peer in group_of(after.debrief)
    assert remove_url(after, cast.peer.code) not in html(
        client_for(cast.manager).get(page_url(after))
    )


def test_a_member_posting_a_removal_gets_404_and_nobody_leaves(after: World) -> None:
    cast = after.cast
    for person, target in [(cast.report, cast.peer), (cast.manager, cast.manager)]:
        url = remove_url(after, target.code)
        response = client_for(person).post(url, {"confirmed": "yes"})
        assert response.status_code == 404, (person.name, target.name)
    # Someone who is not in the group, and a code that names nobody.
    for code in (cast.coach.code, after.debrief.code):
        response = client_for(cast.manager).post(remove_url(after, code), {"confirmed": "yes"})
        assert response.status_code == 404
    assert Invitation.objects.filter(debrief=after.debrief, declined_at__isnull=True).count() == 2


# --- changing an action item --------------------------------------------------------


def test_the_owner_changes_an_action_item_in_place_without_javascript(after: World) -> None:
    cast = after.cast
    client = client_for(cast.report)  # the owner; the host added it
    page = html(client.get(page_url(after)))
    assert item_url(after, "action-edit") in page
    assert item_url(after, "action-remove") not in page  # the owner alone does not drop it

    form = html(client.get(item_url(after, "action-edit")))
    assert "Change the action item" in form
    assert ACTION in form  # the form holds what it says now
    response = client.post(
        item_url(after, "action-edit"),
        {
            "description": "Write the rollback runbook",
            "owner": str(cast.peer.code),
            "due_on": in_week(9),
        },
    )
    assert response.status_code == 302
    item = DebriefActionItem.objects.get(pk=after.action.pk)  # type: ignore[union-attr]
    assert (item.description, item.owner_id, item.due_on) == (
        "Write the rollback runbook",
        cast.peer.pk,
        in_week(9),
    )
    # The new owner is told, by the debrief's title alone.
    told = Notification.objects.filter(recipient=cast.peer, kind=Kind.ACTION_ASSIGNED).get()
    assert told.title == "Riley Report gave you an action item in the debrief Release 4.2 debrief"


def test_with_htmx_the_form_opens_and_saves_in_the_page(after: World) -> None:
    client = htmx(client_for(after.cast.manager))
    opened = client.get(item_url(after, "action-edit"))
    assert opened.status_code == 200
    assert 'id="debrief"' in html(opened)
    assert "<html" not in html(opened)
    assert "HX-Request" in opened["Vary"]  # never cached as the page
    assert "Change the action item" in html(opened)
    saved = client.post(
        item_url(after, "action-edit"),
        {
            "description": "Checklist, shorter",
            "owner": str(after.cast.report.code),
            "due_on": in_week(),
        },
    )
    assert saved.status_code == 200
    assert "Checklist, shorter" in html(saved)
    assert "Change the action item" not in html(saved)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "", "due_on": "x"}, "Say what is to be done."),
        ({"description": "   "}, "Say what is to be done."),
        ({"description": "x" * 501}, "Ensure this value has at most 500 characters"),
        ({"owner": "not-a-code"}, "Choose an owner from the group."),
        ({"owner": "COACH"}, "Choose an owner from the group."),
        ({"due_on": "someday"}, "Enter the date as YYYY-MM-DD"),
        ({"due_on": "YESTERDAY"}, "Choose a due date that is today or later."),
        ({"due_on": "9999-01-01"}, "Choose a date between 2000 and 2100."),
    ],
)
def test_a_bad_change_says_why_and_saves_nothing(
    after: World, data: dict[str, str], message: str
) -> None:
    cast = after.cast
    assert after.action is not None
    posted = {
        "description": "A fine description",
        "owner": str(cast.report.code),
        "due_on": in_week().isoformat(),
        **data,
    }
    if posted["owner"] == "COACH":
        posted["owner"] = str(cast.coach.code)
    if posted["due_on"] == "YESTERDAY":
        posted["due_on"] = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    for client in (client_for(cast.manager), htmx(client_for(cast.manager))):
        response = client.post(item_url(after, "action-edit"), posted)
        assert response.status_code == 422
        page = html(response)
        assert message in page, page
        assert "Change the action item" in page  # the form stays open, with what was typed
    item = DebriefActionItem.objects.get(pk=after.action.pk)
    assert (item.description, item.owner_id) == (ACTION, cast.report.pk)
    assert not Notification.objects.filter(recipient=cast.coach).exists()


def test_a_due_date_gone_by_may_stay_as_it_was(after: World) -> None:
    assert after.action is not None
    gone = timezone.localdate() - dt.timedelta(days=3)
    DebriefActionItem.objects.filter(pk=after.action.pk).update(due_on=gone)
    item = DebriefActionItem.objects.get(pk=after.action.pk)
    services.edit_action_item(
        after.cast.report, item, description="Reworded", owner=after.cast.report, due_on=gone
    )
    item.refresh_from_db()
    assert (item.description, item.due_on) == ("Reworded", gone)
    with pytest.raises(ValidationError):
        services.edit_action_item(
            after.cast.report,
            item,
            description="Reworded",
            owner=after.cast.report,
            due_on=gone - dt.timedelta(days=1),
        )


def test_who_may_change_and_remove_an_action_item(after: World) -> None:
    cast = after.cast
    assert after.action is not None
    # Added by the host for the report: the peer neither changes nor removes it.
    peer = client_for(cast.peer)
    assert item_url(after, "action-edit") not in html(peer.get(page_url(after)))
    assert peer.get(item_url(after, "action-edit")).status_code == 404
    edit = {"description": "forged", "owner": str(cast.peer.code), "due_on": in_week()}
    assert peer.post(item_url(after, "action-edit"), edit).status_code == 404
    assert peer.post(item_url(after, "action-remove"), {"confirmed": "yes"}).status_code == 404
    assert (
        client_for(cast.report)
        .post(item_url(after, "action-remove"), {"confirmed": "yes"})
        .status_code
        == 404
    )
    assert DebriefActionItem.objects.get(pk=after.action.pk).description == ACTION
    # The peer adds one of their own for the report: they change and remove it.
    own = services.add_action_item(
        cast.peer, after.debrief, description="Peer's item", owner=cast.report, due_on=in_week()
    )
    services.edit_action_item(
        cast.peer, own, description="Peer's, reworded", owner=cast.report, due_on=in_week()
    )
    services.remove_action_item(cast.peer, own)
    assert not DebriefActionItem.objects.filter(pk=own.pk).exists()


def test_once_closed_an_action_item_stays_as_agreed_but_is_still_ticked_off(
    after: World,
) -> None:
    cast = after.cast
    assert after.action is not None
    services.close(cast.manager, after.debrief)
    host = client_for(cast.manager)
    page = html(host.get(page_url(after)))
    assert item_url(after, "action-edit") not in page
    assert item_url(after, "action-remove") not in page
    assert item_url(after, "action-mark") in page
    # A form opened before it closed says why nothing changes, with or without htmx.
    edit = {"description": "late", "owner": str(cast.report.code), "due_on": in_week()}
    told = host.post(item_url(after, "action-edit"), edit, follow=True)
    assert "The debrief is closed: its action items stay as they were agreed." in html(told)
    told = htmx(host).post(item_url(after, "action-remove"), {"confirmed": "yes"})
    assert told.status_code == 200
    assert "The debrief is closed" in html(told)
    assert DebriefActionItem.objects.filter(pk=after.action.pk).exists()
    with pytest.raises(PermissionDenied):
        services.edit_action_item(
            cast.manager, after.action, description="late", owner=cast.report, due_on=in_week()
        )
    assert DebriefActionItem.objects.get(pk=after.action.pk).description == ACTION


def test_removing_an_action_item_asks_first(after: World) -> None:
    assert after.action is not None
    host = client_for(after.cast.manager)
    asked = host.post(item_url(after, "action-remove"))
    assert asked.status_code == 200
    assert "Remove this action item?" in html(asked)
    assert DebriefActionItem.objects.filter(pk=after.action.pk).exists()
    done = host.post(item_url(after, "action-remove"), {"confirmed": "yes"})
    assert done.status_code == 302
    assert not DebriefActionItem.objects.filter(pk=after.action.pk).exists()
    assert ACTION not in html(client_for(after.cast.report).get(page_url(after)))
    # Removed already (a second tab): said so, on the page.
    again = host.post(item_url(after, "action-remove"), {"confirmed": "yes"}, follow=True)
    assert "That action item has been removed." in html(again)
    edit = {"description": "x", "owner": str(after.cast.report.code), "due_on": in_week()}
    for client in (host, htmx(host)):
        told = client.post(item_url(after, "action-edit"), edit, follow=True)
        assert told.status_code == 200
        assert "That action item has been removed." in html(told)


def test_changing_an_item_removed_meanwhile_says_so(after: World) -> None:
    assert after.action is not None
    stale = DebriefActionItem.objects.select_related("debrief").get(pk=after.action.pk)
    services.remove_action_item(after.cast.manager, after.action)
    with pytest.raises(ValidationError, match="has been removed"):
        services.edit_action_item(
            after.cast.manager, stale, description="x", owner=after.cast.report, due_on=in_week()
        )
    services.remove_action_item(after.cast.manager, stale)  # twice: nothing happens


def test_the_action_items_owner_must_be_in_the_group_when_changed(cast: Cast) -> None:
    team = cast.manager.team
    assert team is not None
    debrief = make_debrief(cast.manager, team=team)
    from cairn.debriefs.tests.factories import open_now

    open_now(debrief)
    item = services.add_action_item(
        cast.manager, debrief, description="d", owner=cast.peer, due_on=in_week()
    )
    services.remove_member(cast.manager, debrief, cast.report)
    with pytest.raises(ValidationError, match="owner from the group"):
        services.edit_action_item(
            cast.manager, item, description="d", owner=cast.report, due_on=in_week()
        )


def test_the_owner_hears_of_a_change_someone_else_made(after: World) -> None:
    cast = after.cast
    assert after.action is not None
    changed = "CANARY-changed write the checklist by Friday"
    services.edit_action_item(
        cast.manager, after.action, description=changed, owner=cast.report, due_on=in_week(3)
    )
    told = Notification.objects.filter(recipient=cast.report, kind=Kind.ACTION_ASSIGNED)
    titles = list(told.order_by("id").values_list("title", flat=True))
    assert titles[-1] == (
        "Maria Manager changed an action item of yours in the debrief Release 4.2 debrief"
    )
    assert all(changed not in title for title in titles)  # what it says stays on the page
    # Their own change, or one that changes nothing, tells nobody.
    count = told.count()
    services.edit_action_item(
        cast.report, after.action, description="Mine now", owner=cast.report, due_on=in_week(3)
    )
    services.edit_action_item(
        cast.manager, after.action, description="Mine now", owner=cast.report, due_on=in_week(3)
    )
    assert told.count() == count


def test_a_deactivated_member_is_given_no_action_item(after: World) -> None:
    cast = after.cast
    assert after.action is not None
    cast.peer.user.is_active = False
    cast.peer.user.save(update_fields=["is_active"])
    form = html(client_for(cast.manager).get(item_url(after, "action-edit")))
    # Not among the owners offered (they are still listed in the group).
    assert f'value="{cast.peer.code}"' not in form
    assert f'value="{cast.report.code}"' in form
    with pytest.raises(ValidationError, match="owner from the group"):
        services.edit_action_item(
            cast.manager, after.action, description="d", owner=cast.peer, due_on=in_week()
        )
    with pytest.raises(ValidationError, match="owner from the group"):
        services.add_action_item(
            cast.manager, after.debrief, description="d", owner=cast.peer, due_on=in_week()
        )


def test_someone_taken_out_writes_no_reflection_and_is_given_no_item(after: World) -> None:
    cast = after.cast
    services.remove_member(cast.manager, after.debrief, cast.peer)
    with pytest.raises(PermissionDenied):
        services.write_reflection(cast.peer, after.debrief, happened="written after")
    with pytest.raises(ValidationError, match="owner from the group"):
        services.add_action_item(
            cast.manager, after.debrief, description="d", owner=cast.peer, due_on=in_week()
        )
    assert not Reflection.objects.filter(debrief=after.debrief, author=cast.peer).exists()
