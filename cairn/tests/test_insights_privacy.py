"""Who sees which insights page, and that no page or CSV of insights ever shows
content: canaries planted in every content field that could leak (the evaluation
wall's: notes, agenda, action items, mission, plan, objective, evidence, debriefs,
mentoring request, enrolment, story, feedback; and a check-in note, an objective's
scale, a session's change reason and counseling notes), every page and every CSV
read by everyone in the cast, a superuser and an account with no person; nor any
of the evaluation's canaries (the wall).

It lives among the project-wide tests because it plants the evaluation wall's world
(``cairn.tests.test_evaluation_wall``), which the insights app's own tests may not
import (insights is behind the wall, and export is its sibling)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching.models import EngagementKind, Session
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.evaluation.tests.factories import EVERYTHING
from cairn.growth import services as growth
from cairn.growth.models import Objective
from cairn.testing import ROLES, Cast, client_for, make_cast, make_person
from cairn.tests.test_evaluation_wall import COACHING, plant

CHECK_IN = "Insight-canary check-in: I froze again"
SCALE = "Insight-canary scale: speaks first in every review"
REASON = "Insight-canary reason: my mother is in hospital"
COUNSELING_NOTE = "Insight-canary counseling note"
HELD_AGENDA = "Insight-canary agenda of a held session"
HELD_ACTION = "Insight-canary action of a held session"
CANARIES = (
    *COACHING,
    *EVERYTHING,
    CHECK_IN,
    SCALE,
    REASON,
    COUNSELING_NOTE,
    HELD_AGENDA,
    HELD_ACTION,
)

ME = reverse("insights:me")
TEAM = reverse("insights:team")
ME_TABLES = ["cadence", "action-items", "objectives", "scores", "feedback", "give-and-get"]
TEAM_TABLES = ["engagements", "fairness", "line-managers", "plan-coverage"]
# Who may open the team page: people with reports (and not HR).
TEAM_READERS = {"manager", "director"}


def _plant_more(cast: Cast) -> None:
    report, manager = cast.report, cast.manager
    now = timezone.now()
    session = make_session(one_on_one(manager, report), when=now - dt.timedelta(days=3))
    make_agenda_item(session, report, HELD_AGENDA)
    make_action_item(session, report, HELD_ACTION, due_on=timezone.localdate())
    Session.objects.filter(pk=session.pk).update(completed_at=now - dt.timedelta(days=3))
    skipped = make_session(one_on_one(manager, cast.peer), when=now - dt.timedelta(days=5))
    Session.objects.filter(pk=skipped.pk).update(cancelled_at=now, change_reason=REASON)
    objective = Objective.objects.filter(plan__owner=report).first()
    assert objective is not None
    Objective.objects.filter(pk=objective.pk).update(
        scale_minus_2="much less",
        scale_minus_1="less",
        scale_0="as expected",
        scale_plus_1="more",
        scale_plus_2=SCALE,
    )
    objective.refresh_from_db()
    growth.add_check_in(report, objective, note=CHECK_IN, position=1)
    counseling = make_engagement(cast.coach, report, EngagementKind.COUNSELING)
    make_note(make_session(counseling), cast.coach, COUNSELING_NOTE)


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Cast:
    with django_db_blocker.unblock():
        cast = make_cast()
        plant(cast)
        _plant_more(cast)
        return cast


@pytest.fixture
def cast_with_canaries(db: None, built: Cast) -> Cast:
    return built


def read_all(client: Client) -> dict[str, tuple[int, str]]:
    """Every insights page and CSV: url → (status, text)."""
    urls = [ME, *(f"{ME}?csv={t}" for t in ME_TABLES)]
    urls += [TEAM, *(f"{TEAM}?csv={t}" for t in TEAM_TABLES)]
    read = {}
    for url in urls:
        response = client.get(url)
        read[url] = (response.status_code, response.content.decode())
    return read


def leaks(read: dict[str, tuple[int, str]]) -> list[str]:
    return [
        f"{url}: {text}" for url, (_, page) in read.items() for text in CANARIES if text in page
    ]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_their_own_page_and_no_content(cast_with_canaries: Cast, role: str) -> None:
    cast = cast_with_canaries
    read = read_all(client_for(cast.everyone()[role]))
    team = 200 if role in TEAM_READERS else 404
    for url, (status, _) in read.items():
        assert status == (team if url.startswith(TEAM) else 200), url
    assert leaks(read) == []


def test_the_pages_are_not_empty(cast_with_canaries: Cast) -> None:
    # Otherwise the absence of the canaries would prove nothing: the report's and the
    # manager's pages count what the canaries were planted in.
    cast = cast_with_canaries
    mine = read_all(client_for(cast.report))
    assert "Manager one-on-one with Maria Manager" in mine[f"{ME}?csv=cadence"][1]
    assert "Requests for feedback I sent,1" in mine[f"{ME}?csv=feedback"][1]
    team = read_all(client_for(cast.manager))
    assert "Riley Report" in team[f"{TEAM}?csv=engagements"][1]


def test_nobody_else_reads_a_persons_figures(cast_with_canaries: Cast) -> None:
    # The report's name appears only on their own page, their manager's team page,
    # and the pages of those with an engagement with them (the coach, whose
    # counseling is not counted and so does not appear either).
    cast = cast_with_canaries
    for role in ("peer", "admin", "program_admin", "hr", "outsider", "director", "coach"):
        read = read_all(client_for(cast.everyone()[role]))
        if role == "coach":
            # The coach's closed coaching with the report is their own engagement.
            read = {url: page for url, page in read.items() if url != f"{ME}?csv=cadence"}
            read.pop(ME)
        assert not [url for url, (_, page) in read.items() if "Riley Report" in page], role


def test_a_superuser_gets_their_own_page_only(cast_with_canaries: Cast) -> None:
    cast = cast_with_canaries
    root = make_person(cast.org, "Sam Superuser", is_org_admin=True, is_program_admin=True)
    get_user_model().objects.filter(pk=root.user_id).update(is_superuser=True, is_staff=True)
    read = read_all(client_for(root))
    assert read[ME][0] == 200
    assert read[TEAM][0] == 404
    assert leaks(read) == []
    assert not [url for url, (_, page) in read.items() if "Riley Report" in page]
    # A superuser made for the Django admin, with no person: no figures at all.
    admin_only = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client = Client()
    client.force_login(admin_only)
    read = read_all(client)
    assert {status for status, _ in read.values()} == {403}
    assert leaks(read) == []


def test_hr_with_reports_gets_no_team_page(cast_with_canaries: Cast) -> None:
    cast = cast_with_canaries
    make_person(cast.org, "Hal Helper", manager=cast.hr)
    assert client_for(cast.hr).get(TEAM).status_code == 404
