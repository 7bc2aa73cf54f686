"""The library on the live session page (the snippets in coaching/session.html)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_agenda_item, make_engagement, make_session
from cairn.library.tests.factories import make_story
from cairn.mastery.tests.factories import grant
from cairn.testing import make_cast
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser


def test_session_page_suggests_pins_reminds_and_shows_stories(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    session = make_session(make_engagement(cast.coach, cast.report, EngagementKind.COACHING))
    page = open_page()
    sign_in(page, cast.coach)
    page.goto(f"/sessions/{session.code}/")
    page.get_by_role("link", name="More questions for “About you”").click()
    box = page.locator("#suggested-questions")
    expect(box).to_contain_text("What has been on your mind lately?")
    assert "/library/" not in page.url
    box.get_by_role("button", name="Pin to the agenda: What has been on your mind lately?").click()
    expect(box).to_contain_text("Pinned to the agenda")
    expect(page.locator("#agenda .agenda-item")).to_contain_text(
        "What has been on your mind lately?"
    )
    notes = page.locator("#notes")
    notes.get_by_label("Note", exact=True).press_sequentially("You should ask for the raise")
    expect(page.locator("#advice-reminder")).to_contain_text("This reads like advice")
    page.get_by_role("button", name="Don't remind me in this session").click()
    expect(page.locator("#advice-reminder .nudge")).to_have_count(0)
    # Dismissed: the check still runs as the coach types, and answers no reminder.
    with page.expect_response(lambda response: "/advice/" in response.url):
        notes.get_by_label("Note", exact=True).press_sequentially(". You should.")
    expect(page.locator("#advice-reminder .nudge")).to_have_count(0)
    notes.get_by_role("button", name="Save note").click()
    expect(notes.locator(".note")).to_contain_text("You should ask for the raise")
    # mentoring stories
    grant(cast.manager, "publisher")
    make_story(cast.manager, "Hiring for potential", tag_slugs=["hiring"])
    m = make_session(make_engagement(cast.coach, cast.peer, EngagementKind.MENTORING))

    make_agenda_item(m, cast.peer, "Getting better at hiring")
    page.goto(f"/sessions/{m.code}/")
    expect(page.locator("#session-stories")).to_contain_text("Hiring for potential")
    assert console.csp_violations() == []
    assert console.errors() == []
