"""Everyday editing in a real browser: a point edited in place and removed through
the confirmation dialog with JavaScript; the same on pages of their own without it;
and the session page with each editor open passes axe at a desktop and a phone
width."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.coaching.models import ActionItem, AgendaItem, Note
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_note,
    make_session,
    one_on_one,
)
from cairn.coaching.tests.test_browser import NoReload
from cairn.testing import Cast, make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def session_url(session: object) -> str:
    return reverse("coaching:session", args=[session.code])  # type: ignore[attr-defined]


def test_editing_and_removing_in_place_with_javascript(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    session = make_session(one_on_one(cast.manager, cast.report))
    make_agenda_item(session, cast.manager, "How is the move going?")
    make_agenda_item(session, cast.manager, "Status of the OPS-7 rollout")
    make_note(session, cast.manager, "We agreed to pair on Fridays")
    make_action_item(session, cast.report, "Draft the talk outline", by=cast.manager)

    page = open_page()
    sign_in(page, cast.manager)
    page.goto(session_url(session))
    no_reload = NoReload(page)

    agenda = page.locator("#agenda")
    agenda.get_by_role("link", name="Edit “How is the move going?”").click()
    field = agenda.locator("#edit-text")
    expect(field).to_be_focused()
    field.fill("What would make this move easier?")
    agenda.get_by_role("button", name="Save point").click()
    expect(agenda.locator(".agenda-item").first).to_contain_text(
        "What would make this move easier?"
    )
    expect(agenda.locator(".agenda-item").first).to_contain_text("edited")

    # The status nudge: "move it off the agenda" asks first; "No, go back" keeps it.
    nudge = agenda.get_by_role("note")
    nudge.get_by_role("button", name="Move it off the agenda").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Move “Status of the OPS-7 rollout” off the agenda?")
    dialog.get_by_role("button", name="No, go back").click()
    expect(dialog).to_be_hidden()
    expect(agenda).to_contain_text("Status of the OPS-7 rollout")
    nudge.get_by_role("button", name="Move it off the agenda").click()
    page.locator("#confirm-dialog-yes").click()
    expect(agenda).not_to_contain_text("OPS-7")

    notes = page.locator("#notes")
    notes.get_by_role("link", name="Edit").click()
    notes.locator("#edit-body").fill("We agreed to pair on Thursdays")
    notes.get_by_role("button", name="Save changes").click()
    expect(notes.locator(".note")).to_contain_text("We agreed to pair on Thursdays")
    expect(notes.locator(".note-meta")).to_contain_text("edited")

    actions = page.locator("#actions")
    actions.get_by_role("link", name="Edit “Draft the talk outline”").click()
    actions.locator("#edit-description").fill("Draft the talk outline with Ana")
    actions.locator("#edit-owner").select_option(label="Me")
    actions.get_by_role("button", name="Save action item").click()
    expect(actions.locator(".action-item")).to_contain_text("Draft the talk outline with Ana")
    expect(actions.locator(".action-item")).to_contain_text(cast.manager.name)
    actions.get_by_role("button", name="Remove “Draft the talk outline with Ana”").click()
    expect(page.locator("#confirm-dialog")).to_contain_text("for both of you?")
    page.locator("#confirm-dialog-yes").click()
    expect(actions.locator(".action-item")).to_have_count(0)

    no_reload.check()
    assert not ActionItem.objects.exists()
    assert list(AgendaItem.objects.values_list("text", flat=True)) == [
        "What would make this move easier?"
    ]
    assert console.csp_violations() == []
    assert console.errors() == []


def test_editing_and_removing_without_javascript(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    session = make_session(one_on_one(cast.manager, cast.report))
    make_agenda_item(session, cast.report, "Can we talk about my next step?")
    make_note(session, cast.report, "Nervous about asking", private=True)

    page = open_page(java_script_enabled=False)
    sign_in(page, cast.report)
    page.goto(session_url(session))

    agenda = page.locator("#agenda")
    with page.expect_navigation():
        agenda.get_by_role("link", name="Edit “Can we talk about my next step?”").click()
    assert "/edit/" in page.url
    # Blank: refused, said why, the editor stays open.
    page.locator("#edit-text").fill("   ")
    with page.expect_navigation():
        page.get_by_role("button", name="Save point").click()
    expect(page.locator("#agenda").get_by_role("alert")).to_contain_text("Write the talking point")
    page.locator("#edit-text").fill("What is my next step?")
    with page.expect_navigation():
        page.get_by_role("button", name="Save point").click()
    assert page.url.endswith(session_url(session) + "#agenda")
    expect(agenda.locator(".agenda-item")).to_contain_text("What is my next step?")

    # Removing asks on a page of its own; "No, go back" changes nothing.
    with page.expect_navigation():
        agenda.get_by_role("button", name="Remove “What is my next step?”").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Take this point off the agenda?")
    with page.expect_navigation():
        page.get_by_role("link", name="No, go back").click()
    expect(page.locator("#agenda")).to_contain_text("What is my next step?")
    with page.expect_navigation():
        page.locator("#agenda").get_by_role("button", name="Remove “What is my next step?”").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Take it off").click()
    expect(page.locator("#agenda")).not_to_contain_text("What is my next step?")

    notes = page.locator("#notes")
    with page.expect_navigation():
        notes.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this note?")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete it").click()
    expect(page.locator("#notes")).not_to_contain_text("Nervous about asking")

    assert not AgendaItem.objects.exists()
    assert not Note.objects.exists()
    assert console.csp_violations() == []


def test_the_session_page_with_an_editor_open_passes_axe(
    cast: Cast, open_page: Callable[..., Page]
) -> None:
    session = make_session(one_on_one(cast.manager, cast.report))
    point = make_agenda_item(session, cast.manager, "Status of the OPS-8 rollout")
    note = make_note(session, cast.manager, "A shared note")
    item = make_action_item(session, cast.report, "Book the course", by=cast.manager)
    found = {}
    for name, row in (("agenda-edit", point), ("note-edit", note), ("action-edit", item)):
        url = reverse(f"coaching:{name}", args=[session.code, row.code])
        page = open_page()
        sign_in(page, cast.manager)
        problems = accessibility_problems(page, url)
        # The editor really is open on the page axe looked at.
        expect(page.locator(".editing form")).to_have_count(1)
        if any(problems.values()):
            found[url] = problems
    assert found == {}, found
