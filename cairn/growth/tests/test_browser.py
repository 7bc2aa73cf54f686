"""A person writes a mission statement and builds a plan, and shares it with their
mentor, in a real browser: the mentor reads it, their manager gets "not found"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.growth import services
from cairn.testing import make_cast
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser


def test_a_person_writes_their_mission_and_builds_their_plan(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    mission = "I make hard systems simple and help the people around me grow."
    objective = "Lead the design of the deploy pipeline"
    action = "Draft the rollback section"
    due = timezone.localdate() + dt.timedelta(days=14)

    page = open_page()
    sign_in(page, cast.report)
    page.goto("/growth/")
    expect(page.get_by_text("You have not written a mission statement yet")).to_be_visible()

    page.get_by_role("link", name="or write it straight away").click()
    page.get_by_label("My mission statement").fill(mission)
    with page.expect_navigation():
        page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")

    page.goto("/growth/plan/")
    page.get_by_label("Dreams and passions").fill("Speak at a conference one day.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Add an objective").click()
    page.get_by_role("textbox", name="What", exact=True).fill(objective)
    page.get_by_label("Status").select_option(label="In progress")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the objective").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(objective)

    # The action item goes in with htmx: the page stays where it is.
    objective_url = page.url
    actions = page.locator("#actions")
    actions.get_by_label("What").fill(action)
    actions.get_by_label("By when").fill(due.isoformat())
    actions.get_by_role("button", name="Add action item").click()
    expect(actions.locator(".action-item")).to_contain_text(action)
    expect(actions.locator(".action-item")).to_contain_text(cast.report.name)
    assert page.url == objective_url

    assert console.csp_violations() == []
    assert console.errors() == []


def test_plan_shared_with_the_mentor_and_not_the_manager(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    mentor = cast.coach
    make_engagement(mentor, cast.report, EngagementKind.MENTORING)
    mission = "I make hard systems simple and help the people around me grow."
    objective = "Lead the design of the deploy pipeline"
    action = "Draft the rollback section"
    services.save_mission_statement(cast.report, text=mission)
    written = services.add_objective(cast.report, what=objective)
    services.add_action(
        cast.report,
        written,
        owner=cast.report,
        description=action,
        due_on=timezone.localdate() + dt.timedelta(days=14),
    )

    page = open_page()
    sign_in(page, cast.report)
    page.goto("/growth/plan/")
    shares = page.locator("#shares")
    # The people picker: type a few letters, choose from what the server finds.
    with page.expect_response(lambda r: "/people/pick/?q=" in r.url):
        shares.get_by_role("combobox", name="Share with").fill(mentor.name[:4])
    page.get_by_role("option", name=mentor.name).click()
    expect(page.locator(".ts-dropdown")).to_be_hidden()
    shares.get_by_role("button", name="Share").click()
    expect(shares.locator(".list")).to_contain_text(mentor.name)

    reader = open_page()
    sign_in(reader, mentor)
    reader.goto("/growth/shared/")
    reader.get_by_role("link", name=cast.report.name).click()
    main = reader.locator("main")
    expect(main).to_contain_text(mission)
    expect(main).to_contain_text(objective)
    expect(main).to_contain_text(action)
    shared_url = reader.url

    manager = open_page()
    sign_in(manager, cast.manager)
    served = manager.goto(shared_url)
    assert served is not None
    assert served.status == 404
    expect(manager.locator("body")).to_contain_text("Not Found")
    assert mission not in manager.content()

    assert console.csp_violations() == []
    # The manager's 404 is the one error the pages should have caused.
    assert [m for m in console.errors() if not m.endswith(f"[{shared_url}]")] == []
