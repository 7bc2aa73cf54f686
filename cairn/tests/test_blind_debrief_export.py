"""Blind debriefs through the export (a project-wide test: it reads coaching and the
export): before the other party's debrief shows on their page, and after, their
JSON, Markdown and printable export hold only the debrief they wrote themselves."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.urls import reverse

from cairn.coaching import services
from cairn.coaching.tests.factories import make_engagement
from cairn.testing import Cast, client_for, html

CLOSED = dt.datetime(2026, 5, 4, 16, 0, tzinfo=dt.UTC)
LEARNING = "learning: I finally said no to the third project"
COACH_LEARNING = "coach learning: wait longer after each question"
EXPORTS = ["export:json", "export:markdown", "export:print"]


def exported(cast: Cast) -> list[str]:
    client = client_for(cast.coach)
    texts = []
    for name in EXPORTS:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        texts.append(html(response) if name == "export:print" else response.content.decode())
    return texts


def test_the_others_debrief_never_leaves_through_an_export(cast: Cast) -> None:
    with time_machine.travel(CLOSED - dt.timedelta(days=30), tick=False):
        engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement, now=CLOSED)
    services.write_debrief(cast.report, engagement, learnings=LEARNING, felt="between")
    with time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False):
        for text in exported(cast):
            assert LEARNING not in text  # blind: not before the coach writes
        services.write_debrief(cast.coach, engagement, learnings=COACH_LEARNING, felt="between")
        for text in exported(cast):
            assert COACH_LEARNING in text  # their own, in every format
            assert LEARNING not in text  # and still never the report's
    with time_machine.travel(CLOSED + dt.timedelta(days=30), tick=False):
        for text in exported(cast):
            assert LEARNING not in text
