"""Blind debriefs: each party writes theirs without reading the other's. Both show
once both have written, or once 14 days have passed since the engagement closed.
Until then the other party learns only that a debrief has been written, never its
text: not on the page, not in an htmx answer, not on home, not in their export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cairn.coaching import portable, services
from cairn.coaching.models import DEBRIEF_BLIND_FOR, Debrief, Engagement
from cairn.coaching.tests.factories import make_engagement
from cairn.people.models import User
from cairn.testing import Cast, client_for, count_queries, html, htmx
from cairn.testing.accessibility import problems

CLOSED = dt.datetime(2026, 5, 4, 16, 0, tzinfo=dt.UTC)
LEARNING = "learning: I finally said no to the third project"
NEXT = "next: tell Sam about the rota before Friday"
COACH_LEARNING = "coach learning: wait longer after each question"
WRITTEN = "Riley has written theirs: you read it once you have written yours."
ENGAGEMENT_QUERIES = 11  # the bound of cairn/coaching/tests/test_query_counts.py


def closed_with_the_reports_debrief(cast: Cast) -> Engagement:
    """The coach coaches the report; it closed at CLOSED and the report has written
    their debrief an hour later. The coach has not."""
    with time_machine.travel(CLOSED - dt.timedelta(days=60), tick=False):
        engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement, now=CLOSED)
    services.write_debrief(
        cast.report,
        engagement,
        learnings=LEARNING,
        felt="transformational",
        next_steps=NEXT,
        now=CLOSED + dt.timedelta(hours=1),
    )
    engagement.refresh_from_db()
    return engagement


def url(engagement: Engagement) -> str:
    return reverse("coaching:engagement", args=[engagement.code])


def assert_hidden(text: str) -> None:
    assert LEARNING not in text
    assert NEXT not in text


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
def test_the_other_party_learns_it_is_written_never_what_it_says(cast: Cast) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    coach = client_for(cast.coach)
    text = html(coach.get(url(engagement)))
    assert_hidden(text)
    assert WRITTEN in text
    assert "Write your debrief" in text
    # Home invites the coach to write theirs, and shows nothing of the report's.
    home = html(coach.get(reverse("home")))
    assert "Debriefs to write" in home
    assert_hidden(home)
    # The report reads their own, and is told when the coach will read it.
    text = html(client_for(cast.report).get(url(engagement)))
    assert LEARNING in text
    assert "Waiting for Cody Coach to write their debrief." in text
    assert "They read yours once they have written theirs, or from" in text
    assert ">18 May 2026</time>" in text  # 14 days after closing


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
@pytest.mark.parametrize("use_htmx", [False, True])
def test_a_refused_debrief_answers_without_the_others_text(cast: Cast, use_htmx: bool) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    client = client_for(cast.coach)
    if use_htmx:
        client = htmx(client)
    response = client.post(
        reverse("coaching:debrief-write", args=[engagement.code]),
        {"learnings": "", "felt": "between"},
    )
    assert response.status_code == 422
    text = html(response)
    assert "Write what you learned most." in text
    assert_hidden(text)
    assert not Debrief.objects.filter(author=cast.coach).exists()


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
@pytest.mark.parametrize("use_htmx", [False, True])
def test_writing_ones_own_shows_both(cast: Cast, use_htmx: bool) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    client = client_for(cast.coach)
    if use_htmx:
        client = htmx(client)
    response = client.post(
        reverse("coaching:debrief-write", args=[engagement.code]),
        {"learnings": COACH_LEARNING, "felt": "between"},
    )
    if use_htmx:
        # The answer itself is the debrief part, now with both.
        assert response.status_code == 200
        text = html(response)
        assert text.lstrip().startswith('<section class="card" id="debrief"')
        assert LEARNING in text
        assert COACH_LEARNING in text
    else:
        assert response.status_code == 302
    for person in (cast.coach, cast.report):
        text = html(client_for(person).get(url(engagement)))
        assert LEARNING in text
        assert COACH_LEARNING in text
        assert "Waiting for" not in text


def test_both_show_fourteen_days_after_closing_whoever_has_written(cast: Cast) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    coach = client_for(cast.coach)
    with time_machine.travel(CLOSED + DEBRIEF_BLIND_FOR - dt.timedelta(minutes=1), tick=False):
        assert_hidden(html(coach.get(url(engagement))))
        assert not Debrief.objects.visible_to(cast.coach).exists()
    with time_machine.travel(CLOSED + DEBRIEF_BLIND_FOR, tick=False):
        text = html(coach.get(url(engagement)))
        assert LEARNING in text
        assert "Riley has written theirs." in text
        assert "Write your debrief" in text  # they may still write theirs
        assert list(Debrief.objects.visible_to(cast.coach)) == [engagement.debriefs.get()]


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
def test_the_queryset_is_blind_too(cast: Cast) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    assert not Debrief.objects.visible_to(cast.coach).exists()
    assert Debrief.objects.visible_to(cast.report).count() == 1
    late = CLOSED + DEBRIEF_BLIND_FOR
    assert Debrief.objects.visible_to(cast.coach, now=late).count() == 1
    services.write_debrief(cast.coach, engagement, learnings=COACH_LEARNING, felt="between")
    for person in (cast.coach, cast.report):
        assert Debrief.objects.visible_to(person).count() == 2


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
def test_everyone_else_reads_neither_before_or_after(cast: Cast) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    services.write_debrief(cast.coach, engagement, learnings=COACH_LEARNING, felt="between")
    clients = {
        role: client_for(person)
        for role, person in cast.everyone().items()
        if role not in ("coach", "report")
    }
    clients["superuser"] = superuser_client()
    urls = [
        url(engagement),
        reverse("coaching:sponsor-summary", args=[engagement.code]),
        reverse("home"),
        reverse("people:person", args=[cast.report.code]),
        reverse("people:person", args=[cast.coach.code]),
        "/admin/coaching/debrief/",
    ]
    for role, client in clients.items():
        for address in urls:
            text = html(client.get(address))
            assert_hidden(text)
            assert COACH_LEARNING not in text, (role, address)
        post = client.post(
            reverse("coaching:debrief-write", args=[engagement.code]),
            {"learnings": "forged", "felt": "between"},
        )
        assert post.status_code in (302, 403, 404), role
        assert_hidden(html(post))
        if role != "superuser":
            assert not Debrief.objects.visible_to(cast.everyone()[role]).exists(), role
    assert not Debrief.objects.filter(learnings="forged").exists()


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
def test_the_export_holds_only_what_the_person_wrote(cast: Cast) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    assert_hidden(json.dumps(portable.export_sections(cast.coach)))
    services.write_debrief(cast.coach, engagement, learnings=COACH_LEARNING, felt="between")
    # Even once both show, each export holds its author's alone.
    coach_export = json.dumps(portable.export_sections(cast.coach))
    assert_hidden(coach_export)
    assert COACH_LEARNING in coach_export
    report_export = json.dumps(portable.export_sections(cast.report))
    assert LEARNING in report_export
    assert COACH_LEARNING not in report_export


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
def test_the_blind_page_costs_no_more_than_the_engagement_pages_bound(cast: Cast) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    client = client_for(cast.coach)
    client.get(url(engagement))
    blind = count_queries(lambda: client.get(url(engagement)))
    services.write_debrief(cast.coach, engagement, learnings=COACH_LEARNING, felt="between")
    both = count_queries(lambda: client.get(url(engagement)))
    assert blind <= ENGAGEMENT_QUERIES
    assert both <= ENGAGEMENT_QUERIES


@time_machine.travel(CLOSED + dt.timedelta(days=3), tick=False)
def test_every_blind_state_is_labelled(cast: Cast) -> None:
    engagement = closed_with_the_reports_debrief(cast)
    pages = [
        client_for(cast.coach).get(url(engagement)),  # theirs written, mine not
        client_for(cast.report).get(url(engagement)),  # mine written, waiting
        client_for(cast.coach).post(  # my refused debrief, theirs hidden
            reverse("coaching:debrief-write", args=[engagement.code]), {"felt": "between"}
        ),
    ]
    for response in pages:
        assert problems(html(response)) == []
