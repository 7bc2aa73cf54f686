"""Feedback in a real browser: axe finds nothing on any page at 1280 and 390 px; a
person asked declines through the confirmation dialog (JavaScript) or its page (none);
the asker picks people with the server-side search, with and without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.feedback import services
from cairn.feedback.models import AskStatus, FeedbackAsk, FeedbackRequest
from cairn.feedback.tests.factories import ask_of, build_world, due
from cairn.testing import make_cast
from cairn.testing.browser import Console, accessibility_problems, sign_in

pytestmark = pytest.mark.browser


def test_every_feedback_page_passes_axe(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    world = build_world(cast)
    services.share(cast.report, cast.manager)
    waiting = ask_of(world.request, cast.manager)
    answered = ask_of(world.request, cast.peer)
    pages = [
        (cast.report, reverse("feedback:home")),
        (cast.report, reverse("feedback:ask")),
        (cast.report, reverse("feedback:request", args=[world.request.code])),
        (cast.report, reverse("feedback:give")),
        (cast.report, reverse("feedback:received", args=[world.given.code])),
        (cast.report, reverse("feedback:shares")),
        (cast.manager, reverse("feedback:answer", args=[waiting.code])),
        (cast.peer, reverse("feedback:answer", args=[answered.code])),
        (cast.manager, reverse("feedback:shared-person", args=[cast.report.code])),
        (cast.manager, reverse("feedback:request", args=[world.request.code])),
        (cast.manager, reverse("feedback:home")),
    ]
    found = {}
    for person, url in pages:
        page = open_page()
        sign_in(page, person)
        problems = accessibility_problems(page, url)
        if any(problems.values()):
            found[url] = problems
    assert found == {}


def test_declining_asks_in_a_dialog(open_page: Callable[..., Page], console: Console) -> None:
    cast = make_cast()
    request = services.ask_for_feedback(
        cast.report, people=[cast.peer], about="question", question="How?", due_on=due()
    )
    peer_ask = ask_of(request, cast.peer)
    page = open_page()
    sign_in(page, cast.peer)
    page.goto(reverse("feedback:answer", args=[peer_ask.code]))
    page.get_by_role("button", name="Decline").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="No, go back").click()
    expect(dialog).to_be_hidden()
    assert FeedbackAsk.objects.get(pk=peer_ask.pk).status == AskStatus.WAITING
    page.get_by_role("button", name="Decline").click()
    with page.expect_navigation():
        page.locator("#confirm-dialog-yes").click()
    expect(page.get_by_role("status")).to_contain_text("Declined")
    assert FeedbackAsk.objects.get(pk=peer_ask.pk).status == AskStatus.DECLINED


def test_declining_without_javascript_asks_on_a_page(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    request = services.ask_for_feedback(
        cast.report, people=[cast.peer], about="question", question="How?", due_on=due()
    )
    peer_ask = ask_of(request, cast.peer)
    page = open_page(java_script_enabled=False)
    sign_in(page, cast.peer)
    page.goto(reverse("feedback:answer", args=[peer_ask.code]))
    with page.expect_navigation():
        page.get_by_role("button", name="Decline").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Decline")
    assert FeedbackAsk.objects.get(pk=peer_ask.pk).status == AskStatus.WAITING
    with page.expect_navigation():
        page.get_by_role("button", name="Decline it").click()
    assert FeedbackAsk.objects.get(pk=peer_ask.pk).status == AskStatus.DECLINED


@pytest.mark.parametrize("javascript", [True, False])
def test_asking_with_the_people_search(open_page: Callable[..., Page], javascript: bool) -> None:
    cast = make_cast()
    page = open_page(java_script_enabled=javascript)
    sign_in(page, cast.report)
    page.goto(reverse("feedback:ask"))
    # The manager is listed among the people I work with; the HR partner is found.
    page.get_by_label(cast.manager.name).check()
    page.get_by_label("Someone else: find a colleague by name").fill("Harper")
    if javascript:
        expect(page.get_by_label(cast.hr.name)).to_be_visible()
    else:
        with page.expect_navigation():
            page.get_by_role("button", name="Find").click()
    page.get_by_label(cast.hr.name).check()
    expect(page.get_by_label(cast.manager.name)).to_be_checked()
    page.get_by_label("An open question").check()
    page.get_by_label("Your open question").fill("How do I run design reviews?")
    page.get_by_label("Answers due by").fill(due().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Ask", exact=True).click()
    request = FeedbackRequest.objects.get()
    assert set(request.asks.values_list("person", flat=True)) == {cast.manager.pk, cast.hr.pk}
    expect(page.get_by_role("heading", level=1)).to_contain_text("design reviews")
