"""The leaders' insights on a small organisation, every figure worked out by hand
(see ``organisation_world`` for who did what, when). Time is 15 June 2027, 12:00 UTC;
the quarter is the 91 days from 16 March 2027, 12:00."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cairn.insights.figures import FEWER
from cairn.insights.tests.organisation_world import NOW, World, build
from cairn.testing import client_for

URL = reverse("insights:organisation")


@pytest.fixture(scope="module")
def _world(module_db: None, django_db_blocker: Any) -> World:
    with django_db_blocker.unblock():
        return build()


@pytest.fixture
def world(_world: World, db: None) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield _world


def table(client: Client, table_id: str, **params: str) -> list[list[str]]:
    response = client.get(URL, {**params, "csv": table_id})
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))


def figures(rows: list[list[str]]) -> dict[str, str]:
    return {row[0]: row[1] for row in rows[1:]}


def test_the_organisations_quarter_by_hand(world: World) -> None:
    summary = figures(table(client_for(world.admin), "summary"))
    assert summary == {
        # Dana, Max, R1-R5, B1-B4, the org admin, the program admin, HR.
        "People": "14",
        # Dana-Max 6 Apr; Max-R1 3 May, 10 May, 7 Jun; Max-R2..R5 11 May (4); Max-B1
        # 4 May; R1-R2 5 May: 1 + 3 + 4 + 1 + 1 = 10 (counseling never counted).
        "Sessions held": "10",
        # Dana-Max, Max-R1..R5 (5), Max-B1, R1-R2 = 8.
        "Engagements that met": "8",
        # Expected: 10 weekly one-on-ones x 13 + the fortnightly peer coaching x 6 =
        # 136; held: 1 + 3 + 4 + 1 + 1 = 10; 10 / 136 = 7.4%.
        "Cadence kept": "7%",
        # Due 17 Mar - 14 Jun: R1's 20 May (done) and Max's 1 Jun (open); R1's 1 Jul is
        # not due yet, the counseling item never counts.
        "Action items due": "2",
        "Action items done of those due": "50%",
        # Weekly one-on-ones with nothing for 14 days and nothing to come: Dana-Max
        # (6 Apr), Max-R2..R5 (11 May, 4), Max-B1 (4 May), Max-B2..B4 (never, 3);
        # R1-R2 fortnightly, last 5 May (41 days > 28): 1 + 4 + 1 + 3 + 1 = 10.
        # Max-R1 met 8 days ago.
        "Stalled engagements (now)": "10",
        # Days from 4 Jan 09:00 to the first session: Dana-Max 6 Apr 92, Max-R1 3 May
        # 119, Max-B1 4 May 120, R1-R2 5 May 121, Max-R2..R5 11 May 127 x 4. Sorted:
        # 92 119 120 121 | 127 127 127 127 → median (121 + 127) / 2 = 124.
        "Median days to first session": "124.00",
        # R1 yes, R2 yes, R3 no (R3's counseling answer never counts).
        "“Did it help” answers": "3",
        "Sessions that helped": "67%",
    }


def test_sessions_per_month_by_direction_by_hand(world: World) -> None:
    rows = {row[0]: row[1:] for row in table(client_for(world.admin), "sessions-by-direction")}
    assert rows["Month"] == ["Downward", "Peer", "Upward (reverse)", "External", "All directions"]
    assert list(rows)[1] == "Jul 2026"
    assert list(rows)[-1] == "Jun 2027"
    # April: Dana-Max alone. Downward's people: 1 giver, 1 receiver: hidden; the
    # other directions have nobody: hidden; the total is the organisation's (14).
    assert rows["Apr 2027"] == [FEWER, FEWER, FEWER, FEWER, "1"]
    # May: downward Max-R1 x2, Max-R2..R5, Max-B1 = 7 sessions, receivers R1-R5 and
    # B1 = 6 people: shown. Peer R1-R2: 1 person each side: hidden (with upward and
    # external, three hidden: no second needed). Total 7 + 1 = 8.
    assert rows["May 2027"] == ["7", FEWER, FEWER, FEWER, "8"]
    assert rows["Jun 2027"] == [FEWER, FEWER, FEWER, FEWER, "1"]
    assert rows["Jan 2027"] == [FEWER, FEWER, FEWER, FEWER, "0"]


def test_engagements_active_per_month_by_hand(world: World) -> None:
    rows = {row[0]: row[1:] for row in table(client_for(world.admin), "engagements-by-direction")}
    # May: Max with R1..R5 and B1 (6 engagements, 6 receivers), and R1-R2.
    assert rows["May 2027"] == ["6", FEWER, FEWER, FEWER, "7"]


def test_counseling_is_never_counted(world: World) -> None:
    """Dana counsels R3: a session in May, a done item, a "helped" answer — none of it
    shows in any figure (the sums above leave it out; here its month alone)."""
    from cairn.coaching.models import Session

    assert Session.objects.filter(engagement=world.counseling, completed_at__isnull=False).exists()
    rows = {row[0]: row[1:] for row in table(client_for(world.admin), "sessions-by-direction")}
    assert rows["May 2027"][-1] == "8"  # 9 with the counseling session


def test_the_team_breakdown_hides_the_small_team_and_keeps_the_total(world: World) -> None:
    rows = {row[0]: row[1:] for row in table(client_for(world.admin), "teams")}
    # Alpha: Max + R1-R5 = 6 people: shown. Beta (4) and "No team" (Dana, the admins,
    # HR: 4) hidden; two hidden, so no third; beyond Alpha 14 - 6 = 8: total shown.
    assert rows["Alpha"][0] == "6"
    # Alpha's sessions: every engagement with a party in Alpha: Dana-Max, Max-R1 x3,
    # Max-R2..R5 x4, Max-B1 (Max is in Alpha), R1-R2 = 10.
    assert rows["Alpha"][1] == "10"
    assert rows["Beta"] == [FEWER] * 5
    assert rows["No team"] == [FEWER] * 5


def test_a_team_of_nine_split_five_four_does_not_show_the_four_by_subtraction(
    world: World,
) -> None:
    """Max's people: Alpha R1-R5 (5) and Beta B1-B4 (4). Beta is hidden, so Alpha is
    too (else Max's total - Alpha = Beta); Max's total (9) shows, and so does nothing
    about Alpha on its own page."""
    client = client_for(world.manager)
    summary = figures(table(client, "summary"))
    assert summary["People"] == "9"
    teams = {row[0]: row[1:] for row in table(client, "teams")}
    assert teams["Alpha"] == [FEWER] * 5
    assert teams["Beta"] == [FEWER] * 5
    alpha = figures(table(client, "summary", team=str(world.alpha.code)))
    assert set(alpha.values()) == {FEWER}
    months = table(client, "sessions-by-direction", team=str(world.alpha.code))
    assert months[0] == ["Month", "All directions"]
    assert {row[1] for row in months[1:]} == {FEWER}


def test_the_org_admin_sees_a_large_enough_team_alone(world: World) -> None:
    alpha = figures(table(client_for(world.admin), "summary", team=str(world.alpha.code)))
    # Alpha for the organisation: Max and R1-R5 = 6; its sessions as in the team table.
    assert alpha["People"] == "6"
    assert alpha["Sessions held"] == "10"
    beta = figures(table(client_for(world.admin), "summary", team=str(world.beta.code)))
    assert set(beta.values()) == {FEWER}


def test_the_page_shows_its_tables_with_charts_and_csv_links(world: World) -> None:
    response = client_for(world.admin).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Coaching across the organisation" in page
    for table_id in ("summary", "sessions-by-direction", "engagements-by-direction", "teams"):
        assert f'id="{table_id}"' in page
        assert f"csv={table_id}" in page
    assert 'data-chart="line"' in page
    assert "Cadence kept: of the sessions each engagement" in page
