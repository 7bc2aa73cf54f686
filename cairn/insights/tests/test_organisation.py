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

from cairn.insights import counts, organisation
from cairn.insights.figures import FEWER
from cairn.insights.tests.organisation_world import CANARY, NOW, World, build
from cairn.people.models import Person
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
        # Max-R1 met 8 days ago. Dana's counseling of R3 (last 6 May) has stalled too,
        # and is not counted.
        "Stalled engagements (now)": "10",
        # Days from 4 Jan 09:00 to the first session: Dana-Max 6 Apr 92, Max-R1 3 May
        # 119, Max-B1 4 May 120, R1-R2 5 May 121, Max-R2..R5 11 May 127 x 4. Sorted:
        # 92 119 120 121 | 127 127 127 127 → median (121 + 127) / 2 = 124.
        "Median days to first session": "124.00",
        # R1 yes, R2 yes, R3 no (R3's counseling answer never counts): 3 answers from
        # 3 people about Max's sessions alone (1 giver) — under five answerers and five
        # givers, so neither the count nor the share (2 / 3 = 67%) shows.
        "“Did it help” answers": FEWER,
        "Sessions that helped": FEWER,
    }


def test_sessions_per_month_by_direction_by_hand(world: World) -> None:
    rows = {row[0]: row[1:] for row in table(client_for(world.admin), "sessions-by-direction")}
    assert rows["Month"] == ["Downward", "Peer", "Upward (reverse)", "External", "All directions"]
    assert list(rows)[1] == "Jul 2026"
    assert list(rows)[-1] == "Jun 2027"
    # April: Dana-Max alone. Downward's people: 1 giver, 1 receiver: hidden; the
    # other directions have nobody (hidden, but nothing to reveal). A direction with
    # sessions is hidden, so the total (1) is withheld: it would be Dana-Max's count.
    assert rows["Apr 2027"] == [FEWER, FEWER, FEWER, FEWER, FEWER]
    # May: downward Max-R1 x2, Max-R2..R5, Max-B1 = 7 sessions, receivers R1-R5 and
    # B1 = 6 people: shown. Peer R1-R2: 1 person each side: hidden. The total (7 + 1 =
    # 8) is withheld: 8 - 7 would give R1-R2's one peer session.
    assert rows["May 2027"] == ["7", FEWER, FEWER, FEWER, FEWER]
    assert rows["Jun 2027"] == [FEWER, FEWER, FEWER, FEWER, FEWER]
    # January: nobody met in any direction: nothing hidden, the total shows.
    assert rows["Jan 2027"] == [FEWER, FEWER, FEWER, FEWER, "0"]


def test_engagements_active_per_month_by_hand(world: World) -> None:
    rows = {row[0]: row[1:] for row in table(client_for(world.admin), "engagements-by-direction")}
    # May: Max with R1..R5 and B1 (6 engagements, 6 receivers), and R1-R2 (peer, 2
    # people: hidden, so the total 6 + 1 = 7 is withheld: 7 - 6 would give it).
    assert rows["May 2027"] == ["6", FEWER, FEWER, FEWER, FEWER]


def test_counseling_is_never_counted(world: World) -> None:
    """Dana counsels R3: a session in May, a done item, a "helped" answer — none of it
    shows in any figure (the sums above leave it out; here its month alone)."""
    from cairn.coaching.models import Session

    assert Session.objects.filter(engagement=world.counseling, completed_at__isnull=False).exists()
    rows = {row[0]: row[1:] for row in table(client_for(world.admin), "sessions-by-direction")}
    # Downward in May: Max-R1 x2, Max-R2..R5, Max-B1 = 7; Dana's counseling session
    # with R3 that month would make it 8.
    assert rows["May 2027"][0] == "7"


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
    assert "Cadence kept: the sessions held in the last quarter" in page


# --- who sees what: every page and CSV, every role, no content ------------------------

PAGES = ("organisation", "organisation-team", "program", "developing")
TABLES = {
    "organisation": (
        "summary",
        "sessions-by-direction",
        "engagements-by-direction",
        "teams",
        "programs",
    ),
    "organisation-team": ("summary", "sessions-by-direction", "engagements-by-direction"),
    "program": ("program", "program-sessions"),
    "developing": ("developing-others",),
}


def _url(world: World, page: str) -> tuple[str, dict[str, str]]:
    if page == "organisation":
        return URL, {}
    if page == "organisation-team":
        return URL, {"team": str(world.alpha.code)}
    if page == "program":
        return reverse("insights:program", args=[world.program.slug]), {}
    return reverse("insights:developing-others"), {}


def _superuser_client() -> Client:
    from cairn.people.models import User

    user = User.objects.create_superuser("root-insights", "root@example.org", "a-test-pass-42")
    client = Client()
    client.force_login(user)
    return client


def _outsider() -> Any:
    from cairn.testing import make_org, make_person

    return make_person(make_org("Elsewhere"), "Olive Outsider", is_org_admin=True)


# role → the status of each page (organisation, its team Alpha, the program, developing).
EXPECTED = {
    "admin": (200, 200, 404, 200),
    "program_admin": (200, 200, 200, 200),
    "director": (200, 200, 404, 200),  # Max and R1..R5 are under Dana
    "manager": (200, 200, 404, 200),
    "report": (404, 404, 404, 404),  # nobody under R1
    "hr": (404, 404, 404, 404),  # coaching never feeds evaluation
    "outsider": (200, 404, 404, 200),  # their own organisation; our team and program: 404
    "superuser": (403, 403, 403, 403),  # an account with no person: no data
}


def _client(world: World, role: str) -> Client:
    if role == "superuser":
        return _superuser_client()
    if role == "outsider":
        return client_for(_outsider())
    person = {
        "admin": world.admin,
        "program_admin": world.program_admin,
        "director": world.director,
        "manager": world.manager,
        "report": world.reports[0],
        "hr": world.hr,
    }[role]
    return client_for(person)


def test_the_canaries_are_there_to_be_found(world: World) -> None:
    """The canaries are real content the parties read: their absence below means
    something."""
    from cairn.coaching.models import Session

    session = Session.objects.filter(engagement__receiver=world.reports[0]).first()
    assert session is not None
    page = client_for(world.manager).get(reverse("coaching:session", args=[session.code]))
    assert CANARY in page.content.decode()


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_page_and_csv_for_every_role_shows_no_content(world: World, role: str) -> None:
    client = _client(world, role)
    for page, expected in zip(PAGES, EXPECTED[role], strict=True):
        url, params = _url(world, page)
        response = client.get(url, params)
        assert response.status_code == expected, (role, page)
        assert CANARY not in response.content.decode(), (role, page)
        for table_id in TABLES[page]:
            download = client.get(url, {**params, "csv": table_id})
            assert download.status_code == expected, (role, page, table_id)
            body = download.content.decode()
            assert CANARY not in body, (role, page, table_id)
            if expected == 200:
                assert download["Content-Type"].startswith("text/csv")
                assert "attachment" in download["Content-Disposition"]


def test_the_program_page_by_hand_counts_participation(world: World) -> None:
    client = client_for(world.program_admin)
    url = reverse("insights:program", args=[world.program.slug])
    rows = list(csv.reader(io.StringIO(client.get(url, {"csv": "program"}).content.decode())))
    # R1, B1 mentors and R4, B2 mentees: 4 people, fewer than five: all hidden.
    assert {row[1] for row in rows[1:]} == {FEWER}


# --- bad input ---------------------------------------------------------------------


def test_a_team_that_is_not_a_team_is_422_with_a_message(world: World) -> None:
    response = client_for(world.admin).get(URL, {"team": "not-a-team"})
    assert response.status_code == 422
    assert "There is no team like that" in response.content.decode()


def test_an_unknown_team_or_one_not_yours_is_404(world: World) -> None:
    import uuid

    assert client_for(world.admin).get(URL, {"team": str(uuid.uuid4())}).status_code == 404
    # Beta's people are all under Max, but the director's own team-less people are not a
    # team; another organisation's team is unknown here.
    from cairn.testing.cast import make_team

    elsewhere = make_team(_outsider().organisation, "Gamma")
    assert client_for(world.admin).get(URL, {"team": str(elsewhere.code)}).status_code == 404
    # Max sees the teams of the people under him: Alpha and Beta, not one of nobody's.
    lonely = make_team(world.org, "Lonely")
    assert client_for(world.manager).get(URL, {"team": str(lonely.code)}).status_code == 404
    assert client_for(world.admin).get(URL, {"team": str(lonely.code)}).status_code == 200


def test_an_unknown_table_is_422(world: World) -> None:
    response = client_for(world.admin).get(URL, {"csv": "nope"})
    assert response.status_code == 422


def test_an_unknown_program_is_404(world: World) -> None:
    url = reverse("insights:program", args=["no-such-program"])
    assert client_for(world.program_admin).get(url).status_code == 404


def test_a_page_of_developing_others_that_is_not_a_number_is_422(world: World) -> None:
    url = reverse("insights:developing-others")
    response = client_for(world.admin).get(url, {"page": "two"})
    assert response.status_code == 422
    assert "There is no page like that" in response.content.decode()
    assert client_for(world.admin).get(url, {"page": "99"}).status_code == 404


def test_the_team_filter_is_a_search_never_a_list_of_every_team(world: World) -> None:
    from cairn.testing.cast import make_team

    for i in range(30):
        make_team(world.org, f"Squad {i:02d}")
    page = client_for(world.admin).get(URL).content.decode()
    assert "Squad 00" not in page  # no list of the organisation's teams
    found = client_for(world.admin).get(URL, {"team_q": "squad"}).content.decode()
    assert found.count(">Squad ") == 20  # the first 20, by name
    assert "Squad 19" in found
    assert "Squad 20" not in found
    assert "type more of the name" in found
    # Max sees only the teams of the people under him: a search finds Alpha, not Squads.
    mine = client_for(world.manager).get(URL, {"team_q": "a"}).content.decode()
    assert ">Alpha<" in mine
    assert "Squad" not in mine
    nothing = client_for(world.admin).get(URL, {"team_q": "zzz"}).content.decode()
    assert "No team of yours is called anything like" in nothing


def test_the_team_cadence_in_one_query_equals_the_per_engagement_sums(world: World) -> None:
    """``scope_cadence`` (one query) against ``engagement_figures``' rows summed here
    by the rule it states: an engagement counts for its giver's team when the giver is
    of the scope, and for its receiver's team when the receiver is, unless the giver
    is of the scope and of that same team. The world has each case: Max-R1..R5 (one
    team), Max-B1..B4 (two teams), Dana-Max (a giver of no team)."""
    for viewer, under in ((world.admin, None), (world.manager, world.manager)):
        scope = organisation.make_scope(viewer.organisation_id, under=under, team=None, label="")
        found = organisation.scope_cadence(scope, NOW)
        rows = counts.engagement_figures(
            organisation.engagements_of(scope), counts.Window.quarter(NOW)
        )
        people = dict(scope.people.values_list("pk", "team_id"))
        teams = dict(Person.objects.values_list("pk", "team_id"))
        by_giver: dict[int, list[int]] = {}
        by_receiver: dict[int, list[int]] = {}
        for row in rows:
            giver_team = people.get(row.giver_id)
            if row.giver_id in people and giver_team is not None:
                by_giver.setdefault(giver_team, [0, 0])
                by_giver[giver_team][0] += row.expected
                by_giver[giver_team][1] += min(row.held, row.expected)
            receiver_team = teams[row.receiver_id]
            same = row.giver_id in people and giver_team == receiver_team
            if row.receiver_id in people and receiver_team is not None and not same:
                by_receiver.setdefault(receiver_team, [0, 0])
                by_receiver[receiver_team][0] += row.expected
                by_receiver[receiver_team][1] += min(row.held, row.expected)
        assert by_giver  # the world has both
        assert by_receiver
        assert {team: [t.expected, t.kept] for team, t in found.by_giver_team.items()} == by_giver
        assert {
            team: [t.expected, t.kept] for team, t in found.by_receiver_team.items()
        } == by_receiver
        assert found.total == counts.cadence_total(
            organisation.engagements_of(scope), counts.Window.quarter(NOW)
        )
        # By hand, for the whole organisation: Alpha's givers are Max (R1..R5, B1..B4)
        # and R1 (R2, fortnightly): 9 x 13 + 6 = 123 expected; kept Max-R1 3, Max-R2..R5
        # 1 each, Max-B1 1, Max-B2..B4 0, R1-R2 1: 3 + 4 + 1 + 1 = 9. Dana-Max counts
        # for Alpha by its receiver (Dana has no team): 13 expected, 1 kept.
        if under is None:
            assert by_giver[world.alpha.pk] == [123, 9]
            assert by_receiver[world.alpha.pk] == [13, 1]
