"""The agreement and debrief on the engagement page, the sponsor summary, and home:
what a person does and sees, with and without htmx; bad input answers 422 and saves
nothing; every page stays labelled; query counts do not grow with rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services
from cairn.coaching.agreements import terms_for
from cairn.coaching.models import (
    AgreementVersion,
    Debrief,
    Engagement,
    EngagementKind,
    EngagementStatus,
    SponsorSees,
    VersionStatus,
)
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.notifications.models import Notification
from cairn.people.models import Person
from cairn.testing import Cast, client_for, count_queries, htmx, make_person
from cairn.testing.accessibility import problems

# The answer a confirmation gives (cairn.lib.confirm): ending early and closing ask first.
CONFIRMED = {"confirmed": "yes"}

SMALL, LARGE = 1, 50


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def engagement_url(engagement: Engagement) -> str:
    return reverse("coaching:engagement", args=[engagement.code])


def amendment(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "purpose": "Prepare for leading the platform migration",
        "cadence": "weekly",
        "confidentiality": "Between us two.",
        "sponsor_sees": SponsorSees.CADENCE,
        "ending": "after_sessions",
        "ends_after_sessions": "4",
        "ends_on": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- proposing and accepting -------------------------------------------------------


def test_the_proposal_waits_for_the_other_party_on_both_pages(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    coach, report = client_for(cast.coach), client_for(cast.report)

    mine = page(coach, engagement_url(engagement))
    assert "Waiting for them" in mine
    assert "Waiting for Riley Report to agree." in mine
    assert reverse("coaching:engagement-accept", args=[engagement.code]) not in mine

    theirs = page(report, engagement_url(engagement))
    assert "Waiting for you" in theirs
    assert "the coach asks questions that help them think" in theirs  # the template's words
    assert reverse("coaching:engagement-accept", args=[engagement.code]) in theirs

    assert "agreement waiting for them" in page(coach, reverse("home"))
    assert "agreement waiting for you" in page(report, reverse("home"))


def test_propose_an_amendment_and_the_other_party_accepts_it(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    make_session(engagement)
    url = reverse("coaching:agreement-propose", args=[engagement.code])

    response = client_for(cast.coach).post(url, amendment())

    assert response.status_code == 302
    assert response["Location"] == engagement_url(engagement) + "#agreement"
    version = engagement.agreement_versions.get(number=2)
    assert version.status == VersionStatus.PENDING
    assert version.proposed_by == cast.coach
    assert version.ends_after_sessions == 4
    html = page(client_for(cast.coach), engagement_url(engagement))
    assert "Version 1 · in force" in html
    assert "Version 2 · proposed" in html
    assert "It holds once Riley Report accepts it" in html

    report = client_for(cast.report)
    accept = reverse("coaching:agreement-accept", args=[version.code])
    assert accept in page(report, engagement_url(engagement))
    response = report.post(accept)
    assert response.status_code == 302
    html = page(report, response["Location"])
    assert "Accepted: version 2 is now in force." in html
    assert "Version 2 · in force" in html
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    assert engagement.cadence == "weekly"


def test_an_amendment_with_htmx_answers_the_agreement_part(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    response = htmx(client_for(cast.report)).post(
        reverse("coaching:agreement-propose", args=[engagement.code]), amendment()
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="agreement"')
    assert "Waiting for them" in html
    assert "<html" not in html


def test_the_form_starts_from_the_terms_on_the_table(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    services.propose_amendment(
        cast.coach,
        engagement,
        dataclasses.replace(terms_for(EngagementKind.COACHING), purpose="The waiting purpose"),
    )
    html = page(client_for(cast.report), engagement_url(engagement))
    form = html[html.index("<summary>Propose a change") :]
    assert "The waiting purpose" in form


def test_one_on_ones_show_no_agreement(cast: Cast) -> None:
    html = page(client_for(cast.report), engagement_url(one_on_one(cast.manager, cast.report)))
    assert 'id="agreement"' not in html
    response = client_for(cast.report).post(
        reverse("coaching:agreement-propose", args=[one_on_one(cast.manager, cast.report).code]),
        amendment(),
    )
    assert response.status_code == 404


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("use_htmx", [False, True])
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"purpose": ""}, "Say what the engagement is for."),
        ({"purpose": "x" * 2001}, "Keep the purpose to 2000 characters."),
        ({"confidentiality": "  "}, "Say what stays between you."),
        ({"cadence": "hourly"}, "Choose how often you will meet."),
        ({"sponsor_sees": "everything"}, "Choose one of the options listed."),
        ({"ending": "never"}, "Choose how the engagement ends."),
        ({"ends_after_sessions": ""}, "Say after how many sessions it ends"),
        ({"ends_after_sessions": "0"}, "Say after how many sessions it ends"),
        ({"ends_after_sessions": "many"}, "Enter a whole number of sessions."),
        ({"ending": "on_date", "ends_on": "next spring"}, "Enter the date as YYYY-MM-DD"),
        ({"ending": "on_date", "ends_on": ""}, "Say on which date it ends."),
        ({"ending": "on_date", "ends_on": "9999-01-01"}, "Choose a date between 2000 and 2100."),
    ],
)
def test_amendment_bad_input(
    cast: Cast, use_htmx: bool, changes: dict[str, Any], message: str
) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    client = client_for(cast.coach)
    if use_htmx:
        client = htmx(client)
    response = client.post(
        reverse("coaching:agreement-propose", args=[engagement.code]), amendment(**changes)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert engagement.agreement_versions.count() == 1


def test_amendment_changing_nothing_is_refused(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    client = client_for(cast.coach)
    url = reverse("coaching:agreement-propose", args=[engagement.code])
    assert client.post(url, amendment()).status_code == 302
    response = client.post(url, amendment())
    assert response.status_code == 422
    assert "change something" in response.content.decode()
    assert engagement.agreement_versions.count() == 2


def test_counseling_offers_a_sponsor_nothing(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    client = client_for(cast.coach)
    html = page(client, engagement_url(engagement))
    assert SponsorSees.CADENCE.label not in html
    response = client.post(
        reverse("coaching:agreement-propose", args=[engagement.code]),
        amendment(sponsor_sees=SponsorSees.CADENCE),
    )
    assert response.status_code == 422
    assert engagement.agreement_versions.count() == 1


def test_amendment_on_a_closed_engagement_is_refused(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement)
    html = page(client_for(cast.coach), engagement_url(engagement))
    assert "Propose a change" not in html
    response = client_for(cast.coach).post(
        reverse("coaching:agreement-propose", args=[engagement.code]), amendment()
    )
    assert response.status_code == 422
    assert "This engagement is closed" in response.content.decode()
    assert engagement.agreement_versions.count() == 1


def test_accepting_your_own_proposal_or_twice_says_why(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    version = services.propose_amendment(
        cast.coach, engagement, dataclasses.replace(terms_for("coaching"), cadence="weekly")
    )
    url = reverse("coaching:agreement-accept", args=[version.code])

    response = client_for(cast.coach).post(url)
    assert response.status_code == 422
    assert "You proposed this version" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.PENDING

    assert client_for(cast.report).post(url).status_code == 302
    response = client_for(cast.report).post(url)
    assert response.status_code == 422
    assert "This version is accepted already." in response.content.decode()
    assert AgreementVersion.objects.filter(engagement=engagement).accepted().count() == 2


# --- debriefs ----------------------------------------------------------------------

DEBRIEF = {
    "learnings": "I jump to solutions; asking one more question helps.",
    "distinctions": "Listening to reply versus listening to understand.",
    "felt": "transformational",
    "next_steps": "Mentor a new joiner next quarter.",
}


def test_closing_invites_both_to_a_debrief_and_each_writes_their_own(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    coach, report = client_for(cast.coach), client_for(cast.report)
    response = coach.post(reverse("coaching:engagement-close", args=[engagement.code]), CONFIRMED)
    assert response["Location"] == engagement_url(engagement) + "#debrief"
    html = page(coach, engagement_url(engagement))
    assert "Write your debrief" in html

    response = report.post(reverse("coaching:debrief-write", args=[engagement.code]), DEBRIEF)
    assert response.status_code == 302
    debrief = Debrief.objects.get()
    assert (debrief.author, debrief.felt) == (cast.report, "transformational")

    html = page(report, engagement_url(engagement))
    assert DEBRIEF["learnings"] in html
    assert "Write your debrief" not in html
    assert "Waiting for Cody Coach to write their debrief." in html
    html = page(coach, engagement_url(engagement))
    assert DEBRIEF["learnings"] not in html  # blind: not before writing their own
    assert "Riley has written theirs: you read it once you have written yours." in html
    assert "Write your debrief" in html  # and is invited to write their own

    response = coach.post(
        reverse("coaching:debrief-write", args=[engagement.code]),
        {**DEBRIEF, "learnings": "Silence gives people room."},
    )
    assert response.status_code == 302
    for client in (coach, report):
        html = page(client, engagement_url(engagement))
        assert DEBRIEF["learnings"] in html
        assert "Silence gives people room." in html
        assert "Waiting for" not in html


def test_debrief_with_htmx_answers_the_debrief_part(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement)
    response = htmx(client_for(cast.coach)).post(
        reverse("coaching:debrief-write", args=[engagement.code]), DEBRIEF
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card" id="debrief"')
    assert DEBRIEF["distinctions"] in html


@pytest.mark.parametrize("use_htmx", [False, True])
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"learnings": ""}, "Write what you learned most."),
        ({"learnings": "x" * 4001}, "Keep this to 4000 characters."),
        ({"next_steps": "x" * 4001}, "Keep this to 4000 characters."),
        ({"felt": ""}, "Choose how it felt."),
        ({"felt": "meh"}, "Choose how it felt."),
    ],
)
def test_debrief_bad_input(
    cast: Cast, use_htmx: bool, changes: dict[str, str], message: str
) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement)
    client = client_for(cast.report)
    if use_htmx:
        client = htmx(client)
    response = client.post(
        reverse("coaching:debrief-write", args=[engagement.code]), {**DEBRIEF, **changes}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Debrief.objects.exists()


def test_no_debrief_before_closing_and_only_one_each(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    client = client_for(cast.report)
    url = reverse("coaching:debrief-write", args=[engagement.code])
    response = client.post(url, DEBRIEF)
    assert response.status_code == 422
    assert "once the engagement has closed" in response.content.decode()
    assert not Debrief.objects.exists()

    services.close_engagement(cast.coach, engagement)
    assert client.post(url, DEBRIEF).status_code == 302
    response = client.post(url, {**DEBRIEF, "learnings": "A second go"})
    assert response.status_code == 422
    assert "already" in response.content.decode()
    assert list(Debrief.objects.values_list("learnings", flat=True)) == [DEBRIEF["learnings"]]


# --- accessibility -----------------------------------------------------------------


def test_every_state_of_the_pages_is_labelled(cast: Cast) -> None:
    coach, report = client_for(cast.coach), client_for(cast.report)
    waiting = make_engagement(cast.coach, cast.report, agreed=False)
    active = make_engagement(cast.coach, cast.report, EngagementKind.MENTORING)
    make_session(active)
    services.propose_amendment(
        cast.report,
        active,
        dataclasses.replace(
            terms_for(EngagementKind.MENTORING),
            ending="on_date",
            ends_on=dt.date(2026, 12, 1),
            sponsor_sees=SponsorSees.PURPOSE_AND_DATES,
        ),
    )
    closed = make_engagement(cast.coach, cast.report, EngagementKind.COMPETENCY_COACHING)
    services.close_engagement(cast.coach, closed)
    services.write_debrief(cast.coach, closed, learnings="Patience", felt="between")
    urls = [engagement_url(e) for e in (waiting, active, closed)] + [reverse("home")]
    for client in (coach, report):
        for url in urls:
            assert problems(page(client, url)) == [], url
    # A form with its errors, too.
    response = report.post(
        reverse("coaching:agreement-propose", args=[active.code]), amendment(purpose="")
    )
    assert problems(response.content.decode()) == []

    services.accept_agreement(cast.coach, active.agreement_versions.pending().get())
    sponsor = page(
        client_for(cast.manager), reverse("coaching:sponsor-summary", args=[active.code])
    )
    assert problems(sponsor) == []


# --- query counts ------------------------------------------------------------------

# + 1 on every whole page: the bell's unread notifications in the navigation.
ENGAGEMENT_PAGE_QUERIES = 10
SPONSOR_QUERIES = 8  # one of them the access record the receiver reads
HOME_QUERIES = 7


def grow_versions(engagement: Engagement, to: int) -> None:
    """Amend the engagement until it has ``to`` versions, the last one waiting."""
    have = engagement.agreement_versions.count()
    for n in range(have, to):
        proposer = engagement.giver if n % 2 else engagement.receiver
        version = services.propose_amendment(
            proposer,
            engagement,
            dataclasses.replace(terms_for(engagement.kind), purpose=f"Purpose {n + 1}"),
        )
        if n + 1 < to:
            services.accept_agreement(engagement.other_party(proposer), version)


def read_all(person: Person) -> None:
    """Mark what the person was told read: the bell then costs its one query, and
    what it costs per kind of unread notification is the notifications app's test."""
    Notification.objects.filter(recipient=person).update(read_at=timezone.now())


def test_engagement_page_costs_the_same_at_one_version_and_fifty(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    client = client_for(cast.report)
    url = engagement_url(engagement)
    client.get(url)
    read_all(cast.report)
    small = count_queries(lambda: client.get(url))
    grow_versions(engagement, LARGE)
    read_all(cast.report)
    large = count_queries(lambda: client.get(url))
    html = page(client, url)
    assert html.count("<li>Version ") == LARGE
    assert small == large <= ENGAGEMENT_PAGE_QUERIES


def test_closed_engagement_page_costs_the_same_with_one_debrief_and_two(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    grow_versions(engagement, LARGE // 2)
    services.close_engagement(cast.coach, engagement)
    services.write_debrief(cast.coach, engagement, learnings="One", felt="between")
    client = client_for(cast.coach)
    url = engagement_url(engagement)
    client.get(url)
    one = count_queries(lambda: client.get(url))
    services.write_debrief(cast.report, engagement, learnings="Two", felt="transactional")
    two = count_queries(lambda: client.get(url))
    assert one == two <= ENGAGEMENT_PAGE_QUERIES


def test_sponsor_summary_costs_the_same_at_one_session_and_fifty(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    version = services.propose_amendment(
        cast.report,
        engagement,
        dataclasses.replace(
            terms_for(EngagementKind.COACHING), sponsor_sees=SponsorSees.PURPOSE_AND_DATES
        ),
    )
    services.accept_agreement(cast.coach, version)
    start = timezone.now() - dt.timedelta(days=400)
    make_session(engagement, when=start)
    client = client_for(cast.manager)
    url = reverse("coaching:sponsor-summary", args=[engagement.code])
    client.get(url)
    small = count_queries(lambda: client.get(url))
    for n in range(1, LARGE):
        make_session(engagement, when=start + dt.timedelta(days=7 * n))
    large = count_queries(lambda: client.get(url))
    assert page(client, url).count("<time ") == LARGE
    assert small == large <= SPONSOR_QUERIES


def test_home_costs_the_same_with_one_waiting_agreement_and_debrief_or_fifty(
    cast: Cast,
) -> None:
    client = client_for(cast.report)

    givers: list[object] = []

    def grow(to: int) -> None:
        for n in range(len(givers), to):
            giver = make_person(cast.org, f"Giver {n}")
            givers.append(giver)
            make_engagement(giver, cast.report, agreed=False)
            closed = make_engagement(giver, cast.report, EngagementKind.MENTORING)
            services.close_engagement(giver, closed)

    grow(SMALL)
    client.get(reverse("home"))
    read_all(cast.report)
    small = count_queries(lambda: client.get(reverse("home")))
    grow(LARGE)
    read_all(cast.report)
    large = count_queries(lambda: client.get(reverse("home")))
    html = page(client, reverse("home"))
    assert html.count("agreement waiting for you") >= LARGE
    assert html.count("#debrief") >= LARGE
    assert small == large <= HOME_QUERIES


def test_the_page_says_when_the_agreed_ending_has_come(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    version = services.propose_amendment(
        cast.coach,
        engagement,
        dataclasses.replace(
            terms_for(EngagementKind.COACHING), ending="after_sessions", ends_after_sessions=2
        ),
    )
    services.accept_agreement(cast.report, version)
    client = client_for(cast.report)
    start = timezone.now() - dt.timedelta(days=30)
    make_session(engagement, when=start, completed=True)
    assert "that point has come" not in page(client, engagement_url(engagement))
    make_session(engagement, when=start + dt.timedelta(days=14), completed=True)
    html = page(client, engagement_url(engagement))
    assert "ends after 2 sessions: that point has come" in html
    # Nothing closes by itself.
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
