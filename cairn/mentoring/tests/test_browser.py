"""Finding a mentor in a real browser: the directory, a request, the mentor's yes,
and the mentoring engagement both of them now see."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cairn.coaching.models import Engagement, EngagementKind
from cairn.mentoring.tests.factories import make_profile
from cairn.testing import make_cast
from cairn.testing.browser import Console, sign_in

pytestmark = pytest.mark.browser

CHALLENGE = "I want to lead our next architecture review without freezing"


def test_mentee_finds_a_mentor_asks_and_both_see_the_engagement(
    open_page: Callable[..., Page], console: Console
) -> None:
    cast = make_cast()
    make_profile(cast.coach, capacity=2, tags=("architecture",), helps="Design reviews")
    make_profile(cast.peer, capacity=1, tags=("security",), helps="Threat models")

    mentee = open_page()
    sign_in(mentee, cast.report)
    mentee.goto("/mentoring/")
    mentee.get_by_label("Expertise").select_option(label="Architecture")
    mentee.get_by_role("button", name="Search").click()
    results = mentee.locator("#results")
    expect(results).to_contain_text(cast.coach.name)
    expect(results).not_to_contain_text(cast.peer.name)
    results.get_by_role("link", name=cast.coach.name).click()
    mentee.get_by_label("Your challenge").fill(CHALLENGE)
    mentee.get_by_label("What you would like to achieve").fill("Run the review calmly")
    mentee.get_by_role("button", name="Send request").click()
    expect(mentee.get_by_role("status")).to_contain_text(f"Asked {cast.coach.name}")

    mentor = open_page()
    sign_in(mentor, cast.coach)
    mentor.goto("/mentoring/requests/")
    mentor.get_by_role("link", name=cast.report.name).click()
    expect(mentor.locator(".challenge")).to_contain_text(CHALLENGE)
    mentor.get_by_label("Accept").check()
    mentor.get_by_label("A message for them").fill("Happy to help")
    mentor.get_by_role("button", name="Send answer").click()
    expect(mentor.get_by_role("status")).to_contain_text(
        f"You are now mentoring {cast.report.name}"
    )
    expect(mentor.locator("h1")).to_contain_text(cast.report.name)

    engagement = Engagement.objects.get(kind=EngagementKind.MENTORING)
    for page, other in ((mentor, cast.report), (mentee, cast.coach)):
        page.goto("/")
        expect(page.locator("main")).to_contain_text(other.name)
    mentee.goto(f"/engagements/{engagement.code}/")
    expect(mentee.locator("h1")).to_contain_text(cast.coach.name)
    assert console.errors() == []
