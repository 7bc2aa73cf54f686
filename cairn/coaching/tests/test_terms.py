"""Terms that bind: each term of the agreement version in force makes the product do
what it says (the table in ``cairn.coaching.agreements``). The advice term's tests
live with the reminder it decides, in ``cairn/library/tests/test_modes.py``.

Also: counseling's terms say nobody learns it exists, and nothing says otherwise;
a manager's read of a sponsor summary is recorded for the receiver."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import policy, portable, services
from cairn.coaching.agreements import (
    COUNSELING_SPONSOR_REFUSAL,
    COUNSELING_SPONSOR_WORDS,
    AgreementTerms,
    terms_for,
)
from cairn.coaching.models import (
    AgreementVersion,
    Engagement,
    EngagementKind,
    EngagementStatus,
    SponsorSees,
)
from cairn.coaching.tests.factories import make_session
from cairn.people.models import User
from cairn.testing import Cast, client_for, html, htmx
from cairn.testing.accessibility import problems
from cairn.trust.models import AccessRecord, Kind

# The answer a confirmation gives (cairn.lib.confirm): ending early and closing ask first.
CONFIRMED = {"confirmed": "yes"}

PURPOSE = "purpose: rebuild confidence after the reorganisation"
CONFIDENTIALITY = "confidentiality: the garden bench rule, nothing leaves it"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def terms(kind: str = EngagementKind.COACHING, **changes: Any) -> AgreementTerms:
    return dataclasses.replace(
        terms_for(kind, "fortnightly"),
        purpose=PURPOSE,
        confidentiality=CONFIDENTIALITY,
        **changes,
    )


def agreed(cast: Cast, kind: str = EngagementKind.COACHING, **changes: Any) -> Engagement:
    """The coach coaches the report, under ``terms(kind, **changes)``, accepted."""
    engagement = services.propose_engagement(
        cast.coach,
        giver=cast.coach,
        receiver=cast.report,
        kind=kind,
        cadence="fortnightly",
        terms=terms(kind, **changes),
    )
    services.accept_engagement(cast.report, engagement)
    engagement.refresh_from_db()
    return engagement


def amend_and_accept(engagement: Engagement, **changes: Any) -> AgreementVersion:
    version = services.propose_amendment(
        engagement.receiver,
        engagement,
        dataclasses.replace(services.current_terms(engagement), **changes),
    )
    services.accept_agreement(engagement.giver, version)
    engagement.refresh_from_db()
    return version


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html(response)


def engagement_url(engagement: Engagement) -> str:
    return reverse("coaching:engagement", args=[engagement.code])


def sponsor_url(engagement: Engagement) -> str:
    return reverse("coaching:sponsor-summary", args=[engagement.code])


# --- purpose and what the manager may see: the sponsor summary, field by field ---


@pytest.mark.parametrize(
    ("grant", "shown"),
    [
        (SponsorSees.CADENCE, {"status", "cadence"}),
        (SponsorSees.PURPOSE_AND_DATES, {"status", "cadence", "purpose", "dates"}),
    ],
)
def test_the_sponsor_summary_carries_only_the_granted_fields(
    cast: Cast, grant: str, shown: set[str]
) -> None:
    engagement = agreed(cast, sponsor_sees=grant)
    summary = policy.get_sponsor_summary_for(cast.manager, engagement.code)
    assert summary.fields == shown
    carried = {
        name
        for name, value in [
            ("status", summary.status),
            ("cadence", summary.cadence),
            ("purpose", summary.purpose),
        ]
        if value is not None
    } | ({"dates"} if summary.shows_dates else set())
    assert carried == shown
    labels = {
        "status": "<dt>Status</dt>",
        "cadence": "<dt>How often they meet</dt>",
        "purpose": "<dt>Purpose</dt>",
        "dates": "Session dates",
    }
    text = page(client_for(cast.manager), sponsor_url(engagement))
    for field, label in labels.items():
        assert (label in text) == (field in shown), field
    assert (PURPOSE in text) == ("purpose" in shown)
    # Confidentiality is the two parties' text: it is never on the summary.
    assert CONFIDENTIALITY not in text


def test_a_grant_of_nothing_has_no_summary(cast: Cast) -> None:
    engagement = agreed(cast, sponsor_sees=SponsorSees.NOTHING)
    assert client_for(cast.manager).get(sponsor_url(engagement)).status_code == 404


# --- confidentiality: text both parties read --------------------------------------


def test_confidentiality_is_shown_to_both_parties_and_nobody_else(cast: Cast) -> None:
    engagement = agreed(cast, sponsor_sees=SponsorSees.PURPOSE_AND_DATES)
    for person in (cast.coach, cast.report):
        assert CONFIDENTIALITY in page(client_for(person), engagement_url(engagement))
    for role, person in cast.everyone().items():
        if role in ("coach", "report"):
            continue
        for url in (engagement_url(engagement), sponsor_url(engagement)):
            assert CONFIDENTIALITY not in html(client_for(person).get(url)), (role, url)


# --- cadence: what the next session is suggested by --------------------------------


def test_the_cadence_in_force_sets_when_the_next_session_falls(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        engagement = agreed(cast)
        held = make_session(engagement, when=NOW - dt.timedelta(days=1), completed=True)
        fortnight = held.scheduled_for + dt.timedelta(weeks=2)
        assert services.next_session_time(engagement) == fortnight

        # A waiting amendment changes nothing…
        services.propose_amendment(
            cast.report, engagement, dataclasses.replace(terms(), cadence="weekly")
        )
        engagement.refresh_from_db()
        assert services.next_session_time(engagement) == fortnight

        # …until it is accepted: then the page suggests a week on, and says why.
        services.accept_agreement(cast.coach, engagement.agreement_versions.pending().get())
        engagement.refresh_from_db()
        week = timezone.localtime(held.scheduled_for + dt.timedelta(weeks=1))
        assert services.next_session_time(engagement) == week
        text = page(client_for(cast.report), engagement_url(engagement))
        assert f'value="{week:%Y-%m-%dT%H:%M}"' in text
        assert "follows your weekly cadence" in text


# --- how it ends --------------------------------------------------------------------


def test_ending_after_sessions_counts_them_and_offers_to_close(cast: Cast) -> None:
    engagement = agreed(cast, ending="after_sessions", ends_after_sessions=2)
    client = client_for(cast.report)
    start = timezone.now() - dt.timedelta(days=30)
    make_session(engagement, when=start, completed=True)
    text = page(client, engagement_url(engagement))
    assert "After 2 sessions (1 held so far)" in text
    assert "that point has come" not in text
    assert "Close the engagement now" not in text

    make_session(engagement, when=start + dt.timedelta(days=14), completed=True)
    text = page(client, engagement_url(engagement))
    assert "ends after 2 sessions: that point has come" in text
    assert "Close the engagement now" in text
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE  # nothing closes by itself

    response = client.post(reverse("coaching:engagement-close", args=[engagement.code]), CONFIRMED)
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.CLOSED
    assert "Write your debrief" in page(client, engagement_url(engagement))


def test_ending_on_a_date_says_so_from_that_day(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        engagement = agreed(cast, ending="on_date", ends_on=dt.date(2026, 4, 1))
        make_session(engagement)
    client = client_for(cast.coach)
    with time_machine.travel(dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC), tick=False):
        assert "that point has come" not in page(client, engagement_url(engagement))
    with time_machine.travel(dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        text = page(client, engagement_url(engagement))
    assert "ends on 1 Apr 2026: that point has come" in text
    assert "Close the engagement now" in text


def test_ending_when_either_asks_never_says_it_is_time(cast: Cast) -> None:
    engagement = agreed(cast, ending="when_either_asks")
    start = timezone.now() - dt.timedelta(days=400)
    for n in range(12):
        make_session(engagement, when=start + dt.timedelta(days=14 * n), completed=True)
    text = page(client_for(cast.report), engagement_url(engagement))
    assert "that point has come" not in text
    assert "Close this engagement" in text  # either of them may, at any time


def test_an_amendment_that_goes_on_takes_the_notice_away(cast: Cast) -> None:
    engagement = agreed(cast, ending="after_sessions", ends_after_sessions=1)
    make_session(engagement, when=timezone.now() - dt.timedelta(days=3), completed=True)
    client = client_for(cast.report)
    assert "that point has come" in page(client, engagement_url(engagement))
    amend_and_accept(engagement, ending="after_sessions", ends_after_sessions=4)
    text = page(client, engagement_url(engagement))
    assert "that point has come" not in text
    assert "After 4 sessions (1 held so far)" in text


# --- counseling: nobody learns it exists, and nothing says otherwise ---------------

EXISTS_WORDS = SponsorSees.NOTHING.label  # "Nothing beyond that it exists"


def test_counselings_agreement_says_nobody_learns_it_exists(cast: Cast) -> None:
    engagement = agreed(cast, EngagementKind.COUNSELING)
    for person in (cast.coach, cast.report):
        text = page(client_for(person), engagement_url(engagement))
        assert COUNSELING_SPONSOR_WORDS in text  # the agreement and the form's choice
        assert EXISTS_WORDS not in text
    exported = json.dumps(portable.export_sections(cast.report))
    assert COUNSELING_SPONSOR_WORDS in exported
    assert EXISTS_WORDS not in exported
    # The other kinds' "nothing" is true of them: their managers know they exist.
    coaching = agreed(cast, EngagementKind.MENTORING)
    assert EXISTS_WORDS in page(client_for(cast.coach), engagement_url(coaching))


@pytest.mark.parametrize("use_htmx", [False, True])
@pytest.mark.parametrize("grant", [SponsorSees.CADENCE, SponsorSees.PURPOSE_AND_DATES])
def test_counseling_refuses_any_grant_with_a_reason(cast: Cast, use_htmx: bool, grant: str) -> None:
    engagement = agreed(cast, EngagementKind.COUNSELING)
    client = client_for(cast.report)
    if use_htmx:
        client = htmx(client)
    data = {
        "purpose": "Talk it through, slowly",
        "cadence": "weekly",
        "confidentiality": "Between us.",
        "advice": "on",
        "sponsor_sees": grant,
        "ending": "when_either_asks",
    }
    response = client.post(reverse("coaching:agreement-propose", args=[engagement.code]), data)
    assert response.status_code == 422
    assert COUNSELING_SPONSOR_REFUSAL.replace("'", "&#x27;") in html(response)
    assert engagement.agreement_versions.count() == 1
    assert not AgreementVersion.objects.exclude(sponsor_sees=SponsorSees.NOTHING).exists()


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


def test_nobody_but_the_two_learns_a_counseling_engagement_exists(cast: Cast) -> None:
    engagement = agreed(cast, EngagementKind.COUNSELING)
    make_session(engagement)
    clients = {
        role: client_for(person)
        for role, person in cast.everyone().items()
        if role not in ("coach", "report")
    }
    clients["superuser"] = superuser_client()
    urls = [
        engagement_url(engagement),
        sponsor_url(engagement),
        reverse("home"),
        reverse("people:person", args=[cast.report.code]),
        reverse("people:person", args=[cast.coach.code]),
    ]
    for role, client in clients.items():
        for url in urls:
            response = client.get(url)
            text = html(response)
            assert response.status_code in (200, 302, 403, 404), (role, url)
            assert "Counseling" not in text, (role, url)
            assert PURPOSE not in text, (role, url)
        if role != "superuser":
            person = cast.everyone()[role]
            assert "Counseling" not in json.dumps(portable.export_sections(person)), role
    # Its parties see it on each other's page.
    text = page(client_for(cast.coach), reverse("people:person", args=[cast.report.code]))
    assert "Counseling" in text


# --- a manager's read of a sponsor summary is recorded -----------------------------


@pytest.mark.parametrize("role", ["manager", "director"])
def test_a_managers_read_of_the_sponsor_summary_is_recorded(cast: Cast, role: str) -> None:
    engagement = agreed(cast, sponsor_sees=SponsorSees.PURPOSE_AND_DATES)
    reader = cast.everyone()[role]
    url = sponsor_url(engagement)
    text = page(client_for(reader), url)
    assert "can see that you opened this summary" in text
    record = AccessRecord.objects.get()
    assert (record.owner, record.reader, record.kind, record.via) == (
        cast.report,
        reader,
        Kind.SPONSOR_SUMMARY,
        url,
    )
    assert record.reader_name == reader.name
    row = AccessRecord.objects.values().get()
    assert not any(PURPOSE in str(value) for value in row.values())


def test_no_record_when_nothing_was_read(cast: Cast) -> None:
    nothing = agreed(cast, sponsor_sees=SponsorSees.NOTHING)
    counseling = agreed(cast, EngagementKind.COUNSELING)
    granted = agreed(cast, EngagementKind.MENTORING, sponsor_sees=SponsorSees.CADENCE)
    for person in cast.everyone().values():
        client = client_for(person)
        for engagement in (nothing, counseling):
            assert client.get(sponsor_url(engagement)).status_code == 404
        if person not in (cast.manager, cast.director):
            assert client.get(sponsor_url(granted)).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_party_who_is_also_a_manager_reads_it_unrecorded(cast: Cast) -> None:
    # The manager coaches their own report: the summary opens for them (they are
    # one of the receiver's managers), but they read what they are a party to.
    engagement = services.propose_engagement(
        cast.manager,
        giver=cast.manager,
        receiver=cast.report,
        kind=EngagementKind.COACHING,
        cadence="fortnightly",
        terms=terms(sponsor_sees=SponsorSees.CADENCE),
    )
    services.accept_engagement(cast.report, engagement)
    text = page(client_for(cast.manager), sponsor_url(engagement))
    assert "can see that you opened this summary" not in text
    assert not AccessRecord.objects.exists()
    # The director, above them, is recorded.
    page(client_for(cast.director), sponsor_url(engagement))
    assert list(AccessRecord.objects.values_list("reader", "kind")) == [
        (cast.director.pk, Kind.SPONSOR_SUMMARY)
    ]


def test_the_changed_pages_stay_labelled(cast: Cast) -> None:
    reached = agreed(cast, ending="after_sessions", ends_after_sessions=1)
    make_session(reached, when=timezone.now() - dt.timedelta(days=3), completed=True)
    counseling = agreed(cast, EngagementKind.COUNSELING)
    granted = agreed(cast, EngagementKind.MENTORING, sponsor_sees=SponsorSees.PURPOSE_AND_DATES)
    for client, address in [
        (client_for(cast.report), engagement_url(reached)),  # the notice and its button
        (client_for(cast.coach), engagement_url(counseling)),  # counseling's one choice
        (client_for(cast.manager), sponsor_url(granted)),  # the read is recorded
    ]:
        assert problems(page(client, address)) == [], address
