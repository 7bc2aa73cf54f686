"""Group debriefs in a real browser: axe finds nothing at 1280 and 390 px on any
page, and the whole flow works with JavaScript and without — the host creates a
debrief and invites a team, two members write their reflections, the host opens the
session, everyone reads every reflection, an action item is given an owner, and the
host closes it after saying yes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cairn.debriefs.models import DebriefActionItem, GroupDebrief
from cairn.debriefs.tests.factories import build_world
from cairn.people.models import Person
from cairn.testing import make_cast
from cairn.testing.browser import accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def test_every_debrief_page_passes_axe(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    before = build_world(cast, opened=False)
    after = build_world(cast, opened=True)
    assert after.action is not None
    action = after.action.code
    pages = [
        (cast.manager, reverse("debriefs:home")),
        (cast.manager, reverse("debriefs:new")),
        (cast.manager, reverse("debriefs:debrief", args=[before.debrief.code])),
        (cast.manager, reverse("debriefs:debrief", args=[after.debrief.code])),
        (cast.report, reverse("debriefs:debrief", args=[before.debrief.code])),
        (cast.report, reverse("debriefs:debrief", args=[after.debrief.code])),
        # The host changing the action item, its form open in place.
        (cast.manager, reverse("debriefs:action-edit", args=[after.debrief.code, action])),
    ]
    found = {}
    for person, url in pages:
        page = open_page()
        sign_in(page, person)
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}


def _as(open_page: Callable[..., Page], person: Person, javascript: bool) -> Page:
    page = open_page(java_script_enabled=javascript)
    sign_in(page, person)
    return page


def _submit(page: Page, name: str, javascript: bool) -> None:
    """Click a button: htmx swaps the page's part in place, a plain browser posts and
    is redirected back."""
    button = page.get_by_role("button", name=name, exact=True)
    if javascript:
        with page.expect_response(lambda r: r.request.method == "POST"):
            button.click()
    else:
        with page.expect_navigation():
            button.click()


@pytest.mark.parametrize("javascript", [True, False])
def test_a_team_debrief_from_invitation_to_action_items(
    open_page: Callable[..., Page], javascript: bool
) -> None:
    cast = make_cast()
    host = _as(open_page, cast.manager, javascript)
    host.goto(reverse("debriefs:new"))
    host.get_by_label("Title").fill("Release 4.2 retro")
    host.get_by_label("Team debrief").check()
    opens = timezone.now().astimezone(cast.manager.zone) + dt.timedelta(minutes=5)
    host.get_by_label("When it opens").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    with host.expect_navigation():
        host.get_by_role("button", name="Create the debrief").click()
    expect(host.get_by_role("heading", level=1)).to_have_text("Release 4.2 retro")
    debrief = GroupDebrief.objects.get()
    url = reverse("debriefs:debrief", args=[debrief.code])

    host.get_by_label("Invite a team").select_option(label="Platform")
    _submit(host, "Invite the team", javascript)
    group = host.get_by_role("region", name="The group")
    expect(group).to_contain_text("Riley Report")
    expect(group).to_contain_text("Pat Peer")

    members = {}
    for person, text in [(cast.report, "We shipped on a Friday"), (cast.peer, "Alerts were noisy")]:
        page = _as(open_page, person, javascript)
        page.goto(url)
        page.get_by_label("What happened").fill(text)
        _submit(page, "Save my reflection", javascript)
        expect(page.get_by_label("What happened")).to_have_value(text)
        members[person.pk] = page
    report = members[cast.report.pk]
    report.goto(url)
    expect(report.get_by_role("region", name="Reflections")).not_to_contain_text(
        "Alerts were noisy"
    )

    host.goto(url)
    expect(host.get_by_role("region", name="The session")).to_contain_text("2 of 3")
    _submit(host, "Open the session", javascript)
    expect(host.get_by_role("region", name="Reflections")).to_contain_text("Alerts were noisy")
    expect(host.get_by_role("region", name="Reflections")).to_contain_text("We shipped on a Friday")

    host.get_by_label("What", exact=True).fill("No releases on Fridays")
    host.get_by_label("Who", exact=True).select_option(label="Pat Peer")
    due = timezone.localdate() + dt.timedelta(days=7)
    host.get_by_label("By when", exact=True).fill(due.isoformat())
    _submit(host, "Add the action item", javascript)
    actions = host.get_by_role("region", name="Who does what by when")
    expect(actions).to_contain_text("No releases on Fridays")
    expect(actions).to_contain_text("Pat Peer")
    assert DebriefActionItem.objects.get().owner_id == cast.peer.pk

    report.goto(url)
    expect(report.get_by_role("region", name="Reflections")).to_contain_text("Alerts were noisy")
    expect(report.get_by_role("region", name="Who does what by when")).to_contain_text(
        "No releases on Fridays"
    )

    # The host changes the item in place: htmx swaps the form in, a plain browser
    # opens the page with it.
    actions.get_by_role("link", name=re.compile(r"^Change\W+No releases on Fridays")).click()
    editor = host.locator("form", has=host.get_by_role("heading", name="Change the action item"))
    editor.get_by_label("What", exact=True).fill("No deploys on Fridays")
    _submit(host, "Save the change", javascript)
    expect(actions).to_contain_text("No deploys on Fridays")
    expect(editor).to_have_count(0)
    assert DebriefActionItem.objects.get().description == "No deploys on Fridays"

    # Taking someone out of the group asks first: a dialog with JavaScript, a page
    # without.
    group.get_by_role("button", name=re.compile(r"^Take out\s+Riley Report")).click()
    if javascript:
        with host.expect_navigation():
            host.locator("#confirm-dialog-yes").click()
    else:
        expect(host.get_by_role("heading", level=1)).to_contain_text("Take Riley Report out")
        with host.expect_navigation():
            host.get_by_role("button", name="Take them out").click()
    # (The picker below the list may still offer them, to invite again.)
    members_list = host.get_by_role("region", name="The group").get_by_role("list")
    expect(members_list).to_contain_text("Pat Peer")
    expect(members_list).not_to_contain_text("Riley Report")
    response = report.goto(url)
    assert response is not None
    assert response.status == 404

    # Closing asks first: a dialog with JavaScript, a page without.
    host.get_by_role("button", name="Close the debrief").click()
    if javascript:
        with host.expect_navigation():
            host.locator("#confirm-dialog-yes").click()
    else:
        expect(host.get_by_role("heading", level=1)).to_contain_text("Close the debrief")
        with host.expect_navigation():
            host.get_by_role("button", name="Close it").click()
    expect(host.get_by_role("region", name="The session")).to_contain_text("Closed")
    debrief.refresh_from_db()
    assert debrief.closed_at is not None
