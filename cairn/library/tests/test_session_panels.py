"""The library's panels on the coaching session page (cairn.library.panels): the
reminder to ask rather than tell goes to the giver alone, where the agreement in
force does not welcome advice, stories to mentoring sessions alone, and more
questions to every party."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.testing import Cast, client_for, html

ADVICE_CHECK = 'id="advice-reminder"'
STORIES = "Stories for this session's topics"


def session_page(cast: Cast, kind: str, viewer: str) -> str:
    if kind == EngagementKind.ONE_ON_ONE:
        engagement = one_on_one(cast.manager, cast.report)
        giver = cast.manager
    else:
        engagement = make_engagement(cast.coach, cast.report, kind)
        giver = cast.coach
    session = make_session(engagement)
    person = giver if viewer == "giver" else cast.report
    response = client_for(person).get(reverse("coaching:session", args=[session.code]))
    assert response.status_code == 200
    return html(response)


@pytest.mark.parametrize("kind", list(EngagementKind))
@pytest.mark.parametrize("viewer", ["giver", "receiver"])
def test_only_the_giver_is_reminded_where_the_built_in_terms_ask_for_questions(
    cast: Cast, kind: str, viewer: str
) -> None:
    page = session_page(cast, kind, viewer)
    # Of the built-in terms, only plain coaching says "questions, not advice";
    # competency coaching, mentoring and counseling welcome advice, and a one-on-one
    # has no agreement.
    assert (ADVICE_CHECK in page) == (kind == EngagementKind.COACHING and viewer == "giver")


@pytest.mark.parametrize("kind", list(EngagementKind))
def test_stories_are_offered_in_mentoring_sessions_only(cast: Cast, kind: str) -> None:
    page = session_page(cast, kind, "receiver")
    assert (STORIES in page) == (kind == EngagementKind.MENTORING)


@pytest.mark.parametrize("viewer", ["giver", "receiver"])
def test_every_party_gets_more_questions_for_each_section(cast: Cast, viewer: str) -> None:
    page = session_page(cast, EngagementKind.COACHING, viewer)
    assert page.count("More questions for “") >= 3
    assert 'id="suggested-questions"' in page
