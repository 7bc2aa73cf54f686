"""A one-on-one in a real browser: htmx swaps without reloads, the same actions
without JavaScript, the status nudge, and a private note that stays private."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cairn.coaching.models import Engagement, Session
from cairn.coaching.tests.factories import make_session, one_on_one
from cairn.testing import Cast, make_cast
from cairn.testing.browser import Console, log_in

pytestmark = pytest.mark.browser


def one_on_one_session() -> tuple[Cast, Engagement, Session]:
    cast = make_cast()
    engagement = one_on_one(cast.manager, cast.report)
    return cast, engagement, make_session(engagement)


def session_url(session: Session) -> str:
    return f"/sessions/{session.code}/"


class NoReload:
    """Proves that what follows happens in place: a value set on ``window`` is lost
    on any navigation, and the main frame must not navigate at all."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.navigations: list[str] = []
        page.evaluate("window.cairnNoReload = 'still the same page'")
        page.on("framenavigated", self._record)

    def _record(self, frame: object) -> None:
        if frame is self.page.main_frame:
            self.navigations.append(self.page.url)

    def check(self) -> None:
        assert self.page.evaluate("window.cairnNoReload") == "still the same page"
        assert self.navigations == []


def test_one_on_one_runs_in_place_and_the_private_note_stays_private(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast, engagement, session = one_on_one_session()
    point = "What would you like to learn this quarter?"
    secret = f"Private worry {uuid.uuid4().hex}"
    action = "Pick a conference talk to propose"
    due = timezone.localdate() + dt.timedelta(days=14)

    manager = open_page()
    log_in(manager, cast.manager)
    manager.goto(session_url(session))
    assert manager.evaluate("typeof window.htmx") == "object"
    no_reload = NoReload(manager)

    agenda = manager.locator("#agenda")
    agenda.get_by_label("Talking point").fill(point)
    agenda.get_by_role("button", name="Add point").click()
    expect(agenda.locator(".agenda-item")).to_contain_text(point)
    expect(agenda.get_by_label("Talking point")).to_have_value("")
    # A point about the person is not mistaken for a status update.
    expect(agenda.get_by_role("note")).to_have_count(0)

    notes = manager.locator("#notes")
    notes.get_by_label("Note", exact=True).fill(secret)
    notes.get_by_label("Private — only you").check()
    notes.get_by_role("button", name="Save note").click()
    expect(notes.locator(".note.private")).to_contain_text(secret)

    actions = manager.locator("#actions")
    actions.get_by_label("Who").select_option(label=cast.report.name)
    actions.get_by_label("What").fill(action)
    actions.get_by_label("By when").fill(due.isoformat())
    actions.get_by_role("button", name="Add action item").click()
    expect(actions.locator(".action-item")).to_contain_text(action)
    expect(actions.locator(".action-item")).to_contain_text(cast.report.name)

    no_reload.check()

    report = open_page()
    log_in(report, cast.report)
    served = report.goto(session_url(session))
    assert served is not None
    expect(report.locator("#agenda")).to_contain_text(point)
    expect(report.locator("#actions")).to_contain_text(action)
    expect(report.get_by_text(secret)).to_have_count(0)
    assert secret not in served.text()
    assert secret not in report.content()

    for url in ("/", f"/engagements/{engagement.code}/"):
        served = report.goto(url)
        assert served is not None
        assert served.ok, url
        assert secret not in served.text(), url
        assert secret not in report.content(), url
        # The action item is the report's: it shows on both pages.
        expect(report.locator("main")).to_contain_text(action)

    assert console.csp_violations() == []
    assert console.errors() == []


def test_status_like_point_gets_a_gentle_nudge_that_can_be_dismissed(
    page: Page, console: Console
) -> None:
    cast, _, session = one_on_one_session()
    log_in(page, cast.manager)
    page.goto(session_url(session))
    no_reload = NoReload(page)

    agenda = page.locator("#agenda")
    agenda.get_by_label("Talking point").fill("JIRA-42 is 80% done")
    agenda.get_by_role("button", name="Add point").click()
    nudge = agenda.get_by_role("note")
    expect(nudge).to_contain_text("reads like a project status update")

    nudge.get_by_role("button", name="Keep it anyway").click()
    expect(nudge).to_have_count(0)
    expect(agenda.locator(".agenda-item")).to_contain_text("JIRA-42 is 80% done")

    no_reload.check()
    assert console.csp_violations() == []
    assert console.errors() == []


def test_core_actions_work_without_javascript(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast, _, session = one_on_one_session()
    page = open_page(java_script_enabled=False)
    log_in(page, cast.manager)
    page.goto(session_url(session))

    # Blanks get past the browser's own check of the required field, not Django's.
    agenda = page.locator("#agenda")
    agenda.get_by_label("Talking point").fill("   ")
    with page.expect_navigation():
        agenda.get_by_role("button", name="Add point").click()
    expect(agenda.get_by_role("alert")).to_contain_text("Write the talking point")

    agenda.get_by_label("Talking point").fill("How is your energy lately?")
    with page.expect_navigation():
        agenda.get_by_role("button", name="Add point").click()
    assert page.url.endswith(session_url(session) + "#agenda")
    expect(agenda.locator(".agenda-item")).to_contain_text("How is your energy lately?")

    actions = page.locator("#actions")
    actions.get_by_label("What").fill("Book the course")
    due = timezone.localdate() + dt.timedelta(days=7)
    actions.get_by_label("By when").fill(due.isoformat())
    with page.expect_navigation():
        actions.get_by_role("button", name="Add action item").click()
    assert page.url.endswith(session_url(session) + "#actions")
    expect(actions.locator(".action-item")).to_contain_text("Book the course")
    # The owner defaults to the report: the one-on-one is about them.
    expect(actions.locator(".action-item")).to_contain_text(cast.report.name)

    assert console.csp_violations() == []


def test_console_guard_sees_a_csp_violation(page: Page, console: Console) -> None:
    """The CSP assertions above would pass vacuously if Chromium kept violations to
    itself; an inline script, which the policy forbids, shows that it does not."""
    page.goto("/login/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.inlineRan = true'; document.head.append(s); }"
        )
    assert console.csp_violations()
    assert page.evaluate("window.inlineRan === undefined")
