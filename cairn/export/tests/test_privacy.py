"""An export holds what its person owns or wrote, and nothing else: not the other
party's notes (private or shared), not other people's plans, nothing of another
organisation. Walked over the whole cast, through the page that serves it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.export import document as doc
from cairn.export.tests import factories as world
from cairn.testing import Cast, client_for

# What the report owns, by the app that exports it; the apps installed here decide
# which of it is in the export.
OWN_BY_APP = {
    "growth": [world.MY_OBJECTIVE],
    "mastery": [world.MY_ASSESSMENT, world.MY_GRANT],
    "coaching": [world.MY_PRIVATE, world.MY_SHARED, world.MY_ACTION, world.MY_DEBRIEF],
    "mentoring": [world.MY_HELPS, world.MY_CHALLENGE, world.MY_ENROLMENT_GOALS],
    "library": [world.MY_STORY_DRAFT, world.MY_STORY],
    "trust": [world.MY_ACCESS],
    # The report's takeaway, and their unsigned answer to the peer: the peer's
    # request has one unsigned answer, too few to show, so not even in the peer's.
    "feedback": [world.MY_TAKEAWAY, world.MY_UNSIGNED_ANSWER],
    "debriefs": [world.MY_REFLECTION, world.MY_DEBRIEF_NOTE, world.MY_DEBRIEF_ACTION],
}
# Answers between two people: in the report's export, and in the other's too (the
# mentor's answer to their request, their answer to a request they received, the
# reviews of their story, the reviews they wrote).
SHARED_BY_APP = {
    "mentoring": [world.MENTORS_ANSWER, world.MY_ANSWER_TO_MENTEE],
    "library": [world.REVIEW_FOR_ME, world.MY_REVIEW],
    "feedback": [
        world.MY_FEEDBACK_QUESTION,
        world.ANSWER_TO_ME,
        world.MY_GIVEN,
        world.GIVEN_TO_ME,
    ],
}
APPS = {provider.app for provider in doc.providers()}
REPORTS_OWN = [text for app in sorted(APPS) for text in OWN_BY_APP.get(app, [])]
REPORTS_SHARED = [text for app in sorted(APPS) for text in SHARED_BY_APP.get(app, [])]
# Never in the report's export, whichever apps are installed.
NOT_THE_REPORTS = [
    world.THEIR_PRIVATE,
    world.THEIR_SHARED,
    world.THEIR_ACTION,
    world.OTHER_OBJECTIVE,
    world.OUTSIDER_TEXT,
    world.OTHER_ASSESSMENT,
    world.THEIR_DEBRIEF,
    world.OTHER_MENTEE_CHALLENGE,
    world.RECEIVED_CHALLENGE,
    world.RECEIVED_GOALS,
    world.OTHER_ENROLMENT_GOALS,
    # The report's own, but write only: policy.py shows it to program admins alone.
    world.MY_SENSITIVE,
    world.THEIR_STORY,
    world.OTHER_REVIEW,
    world.OUTSIDER_STORY,
    world.THEIR_ACCESS,
    world.OTHER_FEEDBACK,
    world.THEIR_REFLECTION,
    world.THEIR_DEBRIEF_NOTE,
]


def test_the_apps_holding_a_persons_content_contribute() -> None:
    # So that the tests below cannot pass by testing nothing.
    assert {"coaching", "growth", "mastery"} <= APPS
    # A new app's content needs rows in world.fill and its texts here.
    assert APPS - set(OWN_BY_APP) == set(), "add the app's own texts to OWN_BY_APP"


@pytest.fixture
def filled(cast: Cast) -> Cast:
    world.fill(cast, 2)
    return cast


@pytest.mark.parametrize("name", ["export:json", "export:markdown", "export:print"])
def test_the_report_gets_their_own_content_and_nobody_elses(filled: Cast, name: str) -> None:
    text = client_for(filled.report).get(reverse(name)).content.decode()
    for own in REPORTS_OWN + REPORTS_SHARED:
        assert own in text, own
    for other in NOT_THE_REPORTS:
        assert other not in text, other
    assert filled.outsider.organisation.name not in text


@pytest.mark.parametrize(
    "role", ["director", "manager", "peer", "coach", "admin", "program_admin", "hr", "outsider"]
)
def test_nobody_else_gets_the_reports_content(filled: Cast, role: str) -> None:
    client = client_for(filled.everyone()[role])
    for name in ("export:json", "export:markdown", "export:print", "export:data"):
        text = client.get(reverse(name)).content.decode()
        for own in REPORTS_OWN:
            assert own not in text, (name, own)


def test_the_manager_gets_their_own_content_not_the_reports(filled: Cast) -> None:
    text = client_for(filled.manager).get(reverse("export:json")).content.decode()
    theirs = {"growth": world.OTHER_OBJECTIVE, "coaching": world.THEIR_PRIVATE}
    for app in APPS & set(theirs):
        assert theirs[app] in text
    for own in REPORTS_OWN:
        assert own not in text
