"""Every figure of the person's and the manager's pages against values worked out by
hand on a small organisation (tests/world.py sets out its history)."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from cairn.insights.tests.world import NOW, Small, build_small
from cairn.testing import client_for


@pytest.fixture(scope="module")
def built(module_db: None, django_db_blocker: Any) -> Small:
    # Built once for the module: every test only reads.
    with django_db_blocker.unblock():
        return build_small()


@pytest.fixture
def small(db: None, built: Small) -> Small:
    return built


def table(client: Client, url: str, table_id: str) -> list[list[str]]:
    """The table as its CSV gives it (the CSV is exactly what the page shows)."""
    with time_machine.travel(NOW, tick=False):
        response = client.get(url, {"csv": table_id})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{table_id}.csv"'
    return list(csv.reader(io.StringIO(response.content.decode())))


def page(client: Client, url: str) -> str:
    with time_machine.travel(NOW, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


ME = "/insights/"
TEAM = "/insights/team/"
EMPTY_MONTHS = [
    "Jul 2025", "Aug 2025", "Sep 2025", "Oct 2025", "Nov 2025", "Dec 2025",
    "Jan 2026", "Feb 2026", "Mar 2026",
]  # fmt: skip


def test_my_cadence(small: Small) -> None:
    rows = table(client_for(small.cast.report), ME, "cadence")
    # Weekly since January: the quarter (16 March 00:00 to 15 June 12:00, 91.5 days)
    # expects 91.5 // 7 = 13 sessions; 10 were held: 10 / 13 = 76.9% -> 77%. The
    # session of 2 February is before the quarter. Counseling has no row.
    assert rows == [
        ["Engagement", "Cadence", "Held", "Expected", "Cadence kept", "Last met"],
        ["Manager one-on-one with Maria Manager", "Weekly", "10", "13", "77%", "2026-05-25"],
    ]


def test_my_action_items(small: Small) -> None:
    rows = table(client_for(small.cast.report), ME, "action-items")
    assert rows[0] == ["Month", "Due", "Done", "Done on time"]
    by_month = {row[0]: row[1:] for row in rows[1:]}
    assert list(by_month) == [*EMPTY_MONTHS, "Apr 2026", "May 2026", "Jun 2026"]
    assert all(by_month[month] == ["0", "0", "0"] for month in EMPTY_MONTHS)
    assert by_month["Apr 2026"] == ["0", "0", "0"]
    # May: three due on the 10th, done on the 9th (on time), the 12th (late), never.
    # The counseling item due on 20 May is not counted.
    assert by_month["May 2026"] == ["3", "2", "1"]
    # June: due on the 1st, done at 00:30 on 2 June in London (late there, though on
    # time in UTC); the item due on 30 June is not due yet.
    assert by_month["Jun 2026"] == ["1", "1", "0"]


def test_my_objectives_and_scores(small: Small) -> None:
    client = client_for(small.cast.report)
    assert table(client, ME, "objectives") == [
        ["Status", "Objectives"],
        ["Not started", "0"],
        ["In progress", "1"],
        ["Achieved", "1"],
        ["Dropped", "0"],
    ]
    scores = {row[0]: row[1:] for row in table(client, ME, "scores")[1:]}
    assert scores["Apr 2026"] == ["2", "0.00"]  # (-1 + 1) / 2
    assert scores["May 2026"] == ["1", "2.00"]  # +2; the unscored check-in is not counted
    assert scores["Mar 2026"] == ["0", ""]


def test_my_feedback(small: Small) -> None:
    assert table(client_for(small.cast.report), ME, "feedback")[1:] == [
        ["Requests for feedback I sent", "1"],
        ["People I asked", "2"],  # the manager and the coach
        ["Requests I answered", "0"],
        ["Feedback I gave unasked", "1"],
        ["Feedback I received unasked", "1"],
    ]
    assert table(client_for(small.cast.manager), ME, "feedback")[1:] == [
        ["Requests for feedback I sent", "0"],
        ["People I asked", "0"],
        ["Requests I answered", "1"],
        ["Feedback I gave unasked", "1"],
        ["Feedback I received unasked", "0"],
    ]


def test_what_i_give_and_get(small: Small) -> None:
    # The report's counseling with the coach is counted nowhere.
    assert table(client_for(small.cast.report), ME, "give-and-get")[1:] == [
        ["Manager one-on-one · Downward", "0", "1", "0", "10"],
    ]
    # The manager gives two one-on-ones (10 + 3 sessions held) and gets one (none
    # held); their counseling of the report is not counted.
    assert table(client_for(small.cast.manager), ME, "give-and-get")[1:] == [
        ["Manager one-on-one · Downward", "2", "1", "13", "0"],
    ]
    assert table(client_for(small.cast.coach), ME, "give-and-get")[1:] == []


def test_the_managers_engagements(small: Small) -> None:
    rows = table(client_for(small.cast.manager), TEAM, "engagements")
    # The manager's counseling of the report (4 sessions, items, status points) has no
    # row and adds to no figure.
    assert rows[1:] == [
        # 3 held of 13 expected = 23%; the session of 4 May was cancelled (missed),
        # the one of 8 June neither held nor cancelled (overdue).
        ["Pat Peer", "Manager one-on-one", "Weekly", "3", "13", "23%", "2026-04-20", "1", "1",
         "", "", ""],
        # The manager's items due in the quarter: 1 April (done) and 10 June: 1 of 2.
        # The report's: three on 10 May (two done) and 1 June (done): 3 of 4.
        # Agenda points: 4, one reading as a status update: 25%.
        ["Riley Report", "Manager one-on-one", "Weekly", "10", "13", "77%", "2026-05-25", "0",
         "0", "1 of 2", "3 of 4", "25%"],
    ]  # fmt: skip


def test_fairness_of_attention(small: Small) -> None:
    client = client_for(small.cast.manager)
    # 10 and 3 of 13 sessions: 76.9% and 23.1% against an even 50%.
    assert table(client, TEAM, "fairness")[1:] == [
        ["Pat Peer", "3", "23%", "50%", "-27%"],
        ["Riley Report", "10", "77%", "50%", "27%"],
    ]
    # Gini: sum over ordered pairs |xi - xj| = 2 * 7 = 14; 2 * n * sum = 2 * 2 * 13 = 52;
    # 14 / 52 = 0.269 -> 0.27.
    text = page(client, TEAM)
    assert '<span class="value">0.27</span> Gini coefficient' in text
    assert '<span class="value">Pat Peer, Riley Report</span> furthest from an even share' in text


def test_the_skip_level_sees_no_report_by_name(small: Small) -> None:
    client = client_for(small.cast.director)
    text = page(client, TEAM)
    for name in ("Riley Report", "Pat Peer"):
        assert name not in text
    # Maria's two reports are fewer than five: every group figure is suppressed.
    assert table(client, TEAM, "line-managers")[1:] == [
        ["Maria Manager", "2", *["fewer than 5"] * 6],
        ["All my indirect reports", "2", *["fewer than 5"] * 6],
    ]
    assert table(client, TEAM, "plan-coverage")[1:] == [
        ["My direct reports", "1", *["fewer than 5"] * 3],
        ["Reports of Maria Manager", "2", *["fewer than 5"] * 3],
        ["Everyone under me", "3", *["fewer than 5"] * 3],
    ]
