"""The lifecycle in a real browser: moving with a reason that the other party reads,
cancelling, skipping, declining a proposal (the proposer reads why), and the
confirmations for closing an engagement and ending a session early, with
JavaScript (the dialog) and without (the page). axe at a desktop and a phone width
on the engagement page, the session page and the pages that ask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cairn.coaching import services
from cairn.coaching.models import Engagement, EngagementStatus, Session
from cairn.coaching.tests.factories import (
    make_agenda_item,
    make_engagement,
    make_session,
    one_on_one,
)
from cairn.testing import make_cast
from cairn.testing.browser import accessibility_problems, axe_violations, sign_in

pytestmark = pytest.mark.browser


def engagement_url(engagement: Engagement) -> str:
    return reverse("coaching:engagement", args=[engagement.code])


def session_url(session: Session) -> str:
    return reverse("coaching:session", args=[session.code])


def test_moving_with_a_reason_shows_it_to_the_other_party(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=3)
    )
    manager = open_page()
    sign_in(manager, cast.manager)
    manager.goto(session_url(session))
    new_time = (timezone.localtime(session.scheduled_for) + dt.timedelta(days=1, hours=1)).replace(
        second=0, microsecond=0
    )
    manager.get_by_label("New time").fill(new_time.strftime("%Y-%m-%dT%H:%M"))
    manager.locator("#move-reason").fill("The board meeting moved onto ours")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Move the session").click()
    expect(manager.locator(".messages")).to_contain_text("Moved")

    report = open_page()
    sign_in(report, cast.report)
    report.goto(session_url(session))
    expect(report.locator(".session-change")).to_contain_text(
        "Moved by Maria Manager: The board meeting moved onto ours"
    )
    report.goto(engagement_url(session.engagement))
    expect(report.locator(".session-history")).to_contain_text("The board meeting moved")
    session.refresh_from_db()
    assert timezone.localtime(session.scheduled_for) == new_time


def test_cancelling_with_a_reason_from_the_session_page(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=3)
    )
    page = open_page()
    sign_in(page, cast.report)
    page.goto(session_url(session))
    with page.expect_navigation():
        page.get_by_role("link", name="Cancel this session").click()
    page.get_by_label("Reason (optional)").fill("Off sick")
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the session").click()
    expect(page.locator(".session-change")).to_contain_text("Cancelled by you: Off sick")
    other = open_page()
    sign_in(other, cast.manager)
    other.goto(session_url(session))
    expect(other.locator(".session-change")).to_contain_text("Cancelled by Riley Report")
    session.refresh_from_db()
    assert session.is_cancelled


def test_skipping_with_the_dialog_moves_the_points_on(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    session = make_session(
        one_on_one(cast.manager, cast.report), when=timezone.now() + dt.timedelta(days=1)
    )
    make_agenda_item(session, cast.report, "The conference budget")
    page = open_page()
    sign_in(page, cast.manager)
    page.goto(session_url(session))
    page.get_by_text("We skip this one").click()
    page.locator("#skip-reason").fill("Offsite week")
    page.get_by_role("button", name="Skip this session").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Skip the session of")
    with page.expect_navigation():
        page.locator("#confirm-dialog-yes").click()
    expect(page.locator(".messages")).to_contain_text("Skipped")
    expect(page.locator("#agenda")).to_contain_text("The conference budget")
    session.refresh_from_db()
    assert session.is_skipped
    assert session.change_reason == "Offsite week"


def test_declining_a_proposal_the_proposer_reads_why(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    proposal = make_engagement(cast.coach, cast.report, agreed=False)
    page = open_page()
    sign_in(page, cast.report)
    page.goto(engagement_url(proposal))
    page.get_by_text("Decline", exact=True).click()
    page.locator("#decline-reason").fill("Too much on this quarter")
    page.get_by_role("button", name="Decline the proposal").click()
    # "No, go back" first: nothing happens.
    page.get_by_role("button", name="No, go back").click()
    proposal.refresh_from_db()
    assert proposal.status == EngagementStatus.PROPOSED
    page.get_by_role("button", name="Decline the proposal").click()
    with page.expect_navigation():
        page.locator("#confirm-dialog-yes").click()
    expect(page.locator(".messages")).to_contain_text("Declined")

    coach = open_page()
    sign_in(coach, cast.coach)
    coach.goto(engagement_url(proposal))
    expect(coach.locator("#declined")).to_contain_text("Too much on this quarter")
    proposal.refresh_from_db()
    assert proposal.is_declined


def test_closing_and_ending_early_ask_first_with_javascript(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    engagement = make_engagement(cast.coach, cast.report)
    session = make_session(engagement, when=timezone.now() + dt.timedelta(days=5))
    page = open_page()
    sign_in(page, cast.coach)
    page.goto(session_url(session))
    page.get_by_role("button", name="End session").click()
    expect(page.locator("#confirm-dialog")).to_contain_text("This session is scheduled for")
    with page.expect_navigation():
        page.locator("#confirm-dialog-yes").click()
    session.refresh_from_db()
    assert session.is_completed

    page.goto(engagement_url(engagement))
    page.get_by_role("button", name="Close this engagement").click()
    expect(page.locator("#confirm-dialog")).to_contain_text("the debrief comes next")
    page.get_by_role("button", name="No, go back").click()
    engagement.refresh_from_db()
    assert engagement.is_open
    page.get_by_role("button", name="Close this engagement").click()
    with page.expect_navigation():
        page.locator("#confirm-dialog-yes").click()
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.CLOSED


def test_closing_ending_early_and_declining_without_javascript(
    open_page: Callable[..., Page],
) -> None:
    cast = make_cast()
    engagement = make_engagement(cast.coach, cast.report)
    session = make_session(engagement, when=timezone.now() + dt.timedelta(days=5))
    proposal = make_engagement(cast.manager, cast.peer, kind="mentoring", agreed=False)
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.coach)
    page.goto(session_url(session))
    with page.expect_navigation():
        page.get_by_role("button", name="End session").click()
    expect(page.locator("h1")).to_contain_text("End it now?")
    session.refresh_from_db()
    assert not session.is_completed
    with page.expect_navigation():
        page.get_by_role("button", name="End it now").click()
    session.refresh_from_db()
    assert session.is_completed

    page.goto(engagement_url(engagement))
    with page.expect_navigation():
        page.get_by_role("button", name="Close this engagement").click()
    expect(page.locator("h1")).to_contain_text("Close the coaching engagement with Riley")
    with page.expect_navigation():
        page.get_by_role("link", name="No, go back").click()
    engagement.refresh_from_db()
    assert engagement.is_open
    with page.expect_navigation():
        page.get_by_role("button", name="Close this engagement").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Close it").click()
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.CLOSED

    peer = open_page(java_script_enabled=False)
    sign_in(peer, cast.peer)
    peer.goto(engagement_url(proposal))
    peer.get_by_text("Decline", exact=True).click()
    peer.locator("#decline-reason").fill("Not now, thank you")
    with peer.expect_navigation():
        peer.get_by_role("button", name="Decline the proposal").click()
    with peer.expect_navigation():
        peer.get_by_role("button", name="Decline it").click()
    proposal.refresh_from_db()
    assert proposal.decline_reason == "Not now, thank you"


def test_lifecycle_pages_pass_axe_at_desktop_and_phone_widths(
    open_page: Callable[..., Page],
) -> None:
    cast = make_cast()
    engagement = make_engagement(cast.coach, cast.report, cadence="weekly")
    for days_ago in (40, 20):
        make_session(engagement, when=timezone.now() - dt.timedelta(days=days_ago), completed=True)
    moved = make_session(engagement, when=timezone.now() + dt.timedelta(days=2))
    services.reschedule_session(
        cast.coach, moved, moved.scheduled_for + dt.timedelta(hours=1), reason="A clash"
    )
    skipped = make_session(engagement, when=timezone.now() + dt.timedelta(days=4))
    services.skip_session(cast.report, skipped, reason="Away")
    proposal = make_engagement(cast.manager, cast.report, kind="mentoring", agreed=False)
    declined = make_engagement(cast.peer, cast.report, kind="mentoring", agreed=False)
    services.decline_engagement(cast.report, declined, reason="Not now")
    page = open_page()
    sign_in(page, cast.report)
    found = {}
    for url in (
        engagement_url(engagement),
        engagement_url(proposal),
        engagement_url(declined),
        session_url(moved),
        session_url(skipped),
        reverse("coaching:session-cancel", args=[moved.code]),
    ):
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    # The pages that ask, as a browser without JavaScript gets them: the form goes
    # without the dialog, so the server asks.
    for url, button in (
        (engagement_url(engagement), "Close this engagement"),
        (session_url(moved), "End session"),
        (engagement_url(proposal), "Decline the proposal"),
    ):
        page.goto(url)
        page.evaluate(
            "document.querySelectorAll('[data-confirm]').forEach(f => delete f.dataset.confirm)"
        )
        page.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            problems_here = axe_violations(page)
            if problems_here:
                found[f"asking: {button} at {width}"] = {width: problems_here}
    assert found == {}
