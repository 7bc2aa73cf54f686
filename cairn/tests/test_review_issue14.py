"""Review of issue 14 (insights and group debriefs): failing tests for the bugs found.

Each test states what leaks or breaks; none of them changes product code."""

from __future__ import annotations

import csv
import datetime as dt
import io

import time_machine
from django.urls import reverse

from cairn.coaching.models import EngagementKind
from cairn.coaching.tests.factories import make_engagement, one_on_one
from cairn.insights.figures import FEWER
from cairn.insights.tests.organisation_world import held
from cairn.testing import Cast, client_for, make_org, make_person

JOINED = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2027, 6, 15, 12, 0, tzinfo=dt.UTC)
MAY = dt.datetime(2027, 5, 11, 10, 0, tzinfo=dt.UTC)


def _csv(client, url: str, table_id: str, **params: str) -> list[list[str]]:
    response = client.get(url, {**params, "csv": table_id})
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- insights: differencing through directions nobody took part in --------------------


def test_direction_total_minus_shown_directions_reveals_two_peoples_peer_sessions(db: None) -> None:
    """organisation.direction_tables → figures.guard: a direction with no activity
    (0 people) counts as a "hidden part", so with peer (2 people) and external (0)
    both hidden, the complementary suppression ("exactly one part hidden") never
    fires, and the total (group = everyone in the scope, not the participants) shows.
    All directions - Downward = the sessions of the two peers, a figure about 2 people.
    """
    with time_machine.travel(JOINED, tick=False):
        org = make_org("Diff Org")
        admin = make_person(org, "Ada Admin", is_org_admin=True)
        manager = make_person(org, "Max Manager")
        reports = [make_person(org, f"R{i}", manager=manager) for i in range(1, 7)]
        # Bystanders: people of the organisation with no session at all.
        for i in range(6):
            make_person(org, f"Quiet {i}")
        peer = make_engagement(reports[0], reports[1], EngagementKind.COACHING)
    assert peer.direction == "peer"
    for report in reports:
        held(one_on_one(manager, report), MAY, canary=False)
    held(peer, MAY + dt.timedelta(days=1), canary=False)
    held(peer, MAY + dt.timedelta(days=2), canary=False)

    with time_machine.travel(NOW, tick=False):
        rows = _csv(client_for(admin), reverse("insights:organisation"), "sessions-by-direction")
    header, body = rows[0], {row[0]: row[1:] for row in rows[1:]}
    may = dict(zip(header[1:], body["May 2027"], strict=True))
    assert may["Peer"] == FEWER  # the peers' own cell is hidden...
    shown = {k: v for k, v in may.items() if k != "All directions" and v != FEWER}
    if may["All directions"] != FEWER:
        remainder = int(may["All directions"]) - sum(int(v) for v in shown.values())
        # ...but the total minus the shown directions gives it back: 2 peer sessions,
        # about R1 and R2 alone.
        assert remainder != 2, f"peer sessions of 2 people derivable: {may}"


# --- insights: "did it help" from a single answer ------------------------------------


def test_did_it_help_share_from_one_answer_shows_to_the_giver_on_the_leaders_page(
    db: None,
) -> None:
    """organisation.summary_table (organisation.py, the "Sessions that helped" row):
    the share is suppressed only by the size of the scope, never by the answers behind
    it (``Quarter.helped_people`` is computed and never used). design.md's feedback
    row gives the giver of the sessions "a total over at least five answers from at
    least three people, never one answer"; here the manager — the giver — reads one
    report's single answer ("1" answer, "0%" helped) on /insights/organisation/."""
    from cairn.feedback.models import SessionFeedback

    with time_machine.travel(JOINED, tick=False):
        org = make_org("Helped Org")
        manager = make_person(org, "Max Manager")
        reports = [make_person(org, f"R{i}", manager=manager) for i in range(1, 7)]
    session = held(one_on_one(manager, reports[2]), MAY, canary=False)
    SessionFeedback.objects.create(session=session, person=reports[2], helped=False, why="")

    with time_machine.travel(NOW, tick=False):
        rows = _csv(client_for(manager), reverse("insights:organisation"), "summary")
    summary = {row[0]: row[1] for row in rows[1:]}
    assert summary["Sessions held"] == "1"  # the one session: with R3
    assert summary["“Did it help” answers"] in (FEWER, "0"), summary
    assert summary["Sessions that helped"] in (FEWER, "–"), (
        f"R3's one answer about their manager's session is readable by that manager: {summary}"
    )


# --- debriefs: the host's page grows with the organisation's teams -------------------


def test_debrief_host_page_lists_every_team_of_the_organisation(cast: Cast) -> None:
    """debriefs/forms.py TeamInviteForm (``Team.objects.visible_to(viewer)``) renders a
    <select> of every team of the organisation on the host's debrief page (and again
    in each htmx partial): the page grows with the organisation, unlike the person
    picker beside it ("a name search on the server, never a list of the
    organisation")."""
    from cairn.debriefs.tests.factories import make_debrief
    from cairn.testing import make_team

    debrief = make_debrief(cast.manager, people=[cast.report])
    url = reverse("debriefs:debrief", args=[debrief.code])
    for _ in range(5):
        make_team(cast.org)
    small = len(client_for(cast.manager).get(url).content)
    for _ in range(500):
        make_team(cast.org)
    large = len(client_for(cast.manager).get(url).content)
    assert large < small * 1.2 + 2_000, (small, large)


# --- stalled: the banner judged from one page of sessions ----------------------------


def test_stalled_banner_shows_on_the_second_page_of_a_healthy_engagement(cast: Cast) -> None:
    """coaching/views.py ``"stalled": is_stalled(engagement, sessions, now)`` passes the
    current page of sessions (20), not the whole ``timeline`` it has read: on
    ``?sessions=2`` the latest meetings and the next scheduled one are not in the
    list, so a weekly one-on-one held last week, with the next one booked, says
    "This engagement has stalled" (``Engagement.objects.stalled`` says it has not)."""
    from cairn.coaching.models import Engagement, Session

    now = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
    engagement = one_on_one(cast.manager, cast.report)
    Session.objects.bulk_create(
        Session(
            engagement=engagement,
            template=engagement.template,
            scheduled_for=now - dt.timedelta(weeks=i + 1),
            completed_at=now - dt.timedelta(weeks=i + 1) + dt.timedelta(hours=1),
        )
        for i in range(30)
    )
    Session.objects.create(
        engagement=engagement,
        template=engagement.template,
        scheduled_for=now + dt.timedelta(days=6),
    )
    url = reverse("coaching:engagement", args=[engagement.code])
    with time_machine.travel(now, tick=False):
        assert not Engagement.objects.stalled(now).filter(pk=engagement.pk).exists()
        first = client_for(cast.report).get(url).content.decode()
        second = client_for(cast.report).get(url, {"sessions": "2"}).content.decode()
    assert 'id="stalled"' not in first
    assert 'id="stalled"' not in second, "page 2 of a weekly one-on-one says it has stalled"


def test_program_page_shows_one_mentees_did_it_help_answer(db: None) -> None:
    """programs.program_tables ("Sessions that helped": ``share(helped["yes"],
    helped["answers"])``, suppressed by the program's size only): the program admin
    reads k1's single answer about h1's session as "100%". design.md's feedback row:
    "a total over at least five answers from at least three people, never one answer"
    (and only for the giver of the sessions)."""
    from cairn.insights.tests import test_developing_and_programs as programs_world

    world = programs_world.build()
    url = reverse("insights:program", args=[world.program.slug])
    with time_machine.travel(programs_world.NOW, tick=False):
        rows = _csv(client_for(world.program_admin), url, "program")
    summary = {row[0]: row[1] for row in rows[1:]}
    assert summary["Sessions that helped"] in (FEWER, "–"), summary
