"""Agreements: the first version comes with the proposal, both parties accept it
before anything starts, and amendments are versions of their own."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cairn.coaching import services
from cairn.coaching.agreements import AgreementTerms, terms_for
from cairn.coaching.models import (
    AgreementVersion,
    Ending,
    Engagement,
    EngagementKind,
    EngagementStatus,
    SponsorSees,
    VersionStatus,
)
from cairn.coaching.tests.factories import make_engagement, make_session, one_on_one
from cairn.testing import Cast

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def terms(**changes: object) -> AgreementTerms:
    base = terms_for(EngagementKind.COACHING, "fortnightly")
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def proposed(cast: Cast, kind: str = EngagementKind.COACHING) -> Engagement:
    return make_engagement(cast.coach, cast.report, kind, agreed=False)


def versions(engagement: Engagement) -> list[tuple[int, str]]:
    return list(engagement.agreement_versions.order_by("number").values_list("number", "status"))


# --- the first version -------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        EngagementKind.COACHING,
        EngagementKind.COMPETENCY_COACHING,
        EngagementKind.MENTORING,
        EngagementKind.COUNSELING,
    ],
)
def test_proposing_fills_the_first_version_from_the_kinds_terms(cast: Cast, kind: str) -> None:
    engagement = services.propose_engagement(
        cast.report, giver=cast.coach, receiver=cast.report, kind=kind, cadence="weekly"
    )
    version = engagement.agreement_versions.get()
    assert version.number == 1
    assert version.status == VersionStatus.PENDING
    assert version.proposed_by == cast.report
    assert version.purpose == terms_for(kind).purpose
    assert version.cadence == "weekly"  # the proposed cadence, not the template's
    assert version.sponsor_sees == SponsorSees.NOTHING  # nothing but that it exists
    assert engagement.status == EngagementStatus.PROPOSED


def test_proposing_with_terms_uses_them(cast: Cast) -> None:
    engagement = services.propose_engagement(
        cast.coach,
        giver=cast.coach,
        receiver=cast.report,
        kind=EngagementKind.COACHING,
        cadence="weekly",
        terms=terms(purpose="Find my voice in design reviews", ending=Ending.WHEN_EITHER_ASKS),
    )
    version = engagement.agreement_versions.get()
    assert version.purpose == "Find my voice in design reviews"
    assert version.ends_after_sessions is None
    assert engagement.cadence == "fortnightly"  # the terms' cadence


def test_manager_one_on_ones_need_no_agreement(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    assert engagement.status == EngagementStatus.ACTIVE
    assert not engagement.agreement_versions.exists()
    make_session(engagement)  # sessions straight away


def test_proposing_counts_as_the_proposers_acceptance(cast: Cast) -> None:
    engagement = proposed(cast)
    with pytest.raises(PermissionDenied):
        services.accept_engagement(cast.coach, engagement)
    version = engagement.agreement_versions.get()
    with pytest.raises(ValidationError, match="You proposed this version"):
        services.accept_agreement(cast.coach, version)
    assert versions(engagement) == [(1, VersionStatus.PENDING)]


def test_the_other_party_accepting_agrees_the_engagement(cast: Cast) -> None:
    engagement = proposed(cast)
    services.accept_engagement(cast.report, engagement, now=NOW)
    engagement.refresh_from_db()
    version = engagement.agreement_versions.get()
    assert engagement.status == EngagementStatus.AGREED
    assert engagement.agreed_at == NOW
    assert (version.status, version.accepted_by, version.accepted_at) == (
        VersionStatus.ACCEPTED,
        cast.report,
        NOW,
    )


def test_no_session_before_both_accept(cast: Cast) -> None:
    engagement = proposed(cast)
    for party in (cast.coach, cast.report):
        with pytest.raises(PermissionDenied):
            services.schedule_session(party, engagement)
    assert not engagement.sessions.exists()
    services.accept_engagement(cast.report, engagement)
    services.schedule_session(cast.coach, engagement)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_a_mentee_proposes_and_the_mentor_accepts(cast: Cast) -> None:
    # The mentoring app's way in: propose, then the mentor accepts.
    engagement = services.propose_engagement(
        cast.report,
        giver=cast.coach,
        receiver=cast.report,
        kind=EngagementKind.MENTORING,
        cadence="every_four_weeks",
    )
    services.accept_engagement(cast.coach, engagement)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED)]


# --- amendments --------------------------------------------------------------------


def test_counter_proposal_before_agreeing_replaces_the_waiting_version(cast: Cast) -> None:
    engagement = proposed(cast)
    v2 = services.propose_amendment(cast.report, engagement, terms(cadence="weekly"))
    assert versions(engagement) == [(1, VersionStatus.SUPERSEDED), (2, VersionStatus.PENDING)]
    # Now the proposer of the engagement is the one who accepts.
    with pytest.raises(PermissionDenied):
        services.accept_engagement(cast.report, engagement)
    services.accept_engagement(cast.coach, engagement)
    engagement.refresh_from_db()
    v2.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED
    assert engagement.cadence == "weekly"
    assert v2.accepted_by == cast.coach


def test_amendment_to_an_active_engagement_waits_under_the_version_in_force(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    make_session(engagement)
    v2 = services.propose_amendment(
        cast.coach, engagement, terms(cadence="weekly", sponsor_sees=SponsorSees.CADENCE)
    )
    engagement.refresh_from_db()
    # Still active, still meeting fortnightly, under version 1.
    assert engagement.status == EngagementStatus.ACTIVE
    assert engagement.cadence == "fortnightly"
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED), (2, VersionStatus.PENDING)]
    make_session(engagement)  # sessions go on meanwhile

    services.accept_agreement(cast.report, v2, now=NOW)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    assert engagement.cadence == "weekly"
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED), (2, VersionStatus.ACCEPTED)]


def test_every_version_is_kept_and_numbered(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    for n, cadence in enumerate(["weekly", "every_four_weeks", "fortnightly"], start=2):
        version = services.propose_amendment(cast.coach, engagement, terms(cadence=cadence))
        services.accept_agreement(cast.report, version)
        assert version.number == n
    assert [n for n, _ in versions(engagement)] == [1, 2, 3, 4]


def test_accepting_twice_is_refused(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    version = services.propose_amendment(cast.coach, engagement, terms(cadence="weekly"))
    services.accept_agreement(cast.report, version)
    with pytest.raises(ValidationError, match="accepted already"):
        services.accept_agreement(cast.report, version)


def test_a_replaced_version_cannot_be_accepted(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    first = services.propose_amendment(cast.coach, engagement, terms(cadence="weekly"))
    services.propose_amendment(cast.coach, engagement, terms(cadence="every_four_weeks"))
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="replaced"):
        services.accept_agreement(cast.report, first)
    engagement.refresh_from_db()
    assert engagement.cadence == "fortnightly"


def test_no_amendment_once_closed(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement)
    with pytest.raises(ValidationError, match="closed"):
        services.propose_amendment(cast.report, engagement, terms(cadence="weekly"))
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED)]


def test_closing_lapses_a_waiting_version(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    version = services.propose_amendment(cast.coach, engagement, terms(cadence="weekly"))
    services.close_engagement(cast.report, engagement)
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED), (2, VersionStatus.LAPSED)]
    version.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.accept_agreement(cast.report, version)


def test_an_amendment_must_change_something(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    with pytest.raises(ValidationError, match="change something"):
        services.propose_amendment(cast.coach, engagement, terms())
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED)]


def test_non_parties_cannot_amend_or_accept(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    version = services.propose_amendment(cast.coach, engagement, terms(cadence="weekly"))
    for person in (cast.manager, cast.director, cast.admin, cast.peer, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.propose_amendment(person, engagement, terms(cadence="weekly"))
        with pytest.raises(PermissionDenied):
            services.accept_agreement(person, version)
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED), (2, VersionStatus.PENDING)]


def test_one_on_ones_have_no_amendments(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.propose_amendment(cast.manager, one_on_one(cast.manager, cast.report), terms())


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"purpose": "   "}, "purpose", "Say what the engagement is for."),
        ({"purpose": "x" * 2001}, "purpose", "2000 characters"),
        ({"confidentiality": ""}, "confidentiality", "Say what stays between you."),
        ({"cadence": "hourly"}, "cadence", "how often"),
        ({"sponsor_sees": "everything"}, "sponsor_sees", "what a sponsor may see"),
        ({"ending": Ending.AFTER_SESSIONS, "ends_after_sessions": 0}, "ends_after_sessions", "1"),
        ({"ending": Ending.ON_DATE, "ends_on": None}, "ends_on", "which date"),
        ({"ending": "never"}, "ending", "how the engagement ends"),
    ],
)
def test_bad_terms_are_refused_with_a_message(
    cast: Cast, changes: dict[str, object], field: str, message: str
) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    with pytest.raises(ValidationError) as error:
        services.propose_amendment(cast.coach, engagement, terms(**changes))
    assert message in " ".join(error.value.message_dict[field])
    assert versions(engagement) == [(1, VersionStatus.ACCEPTED)]


def test_counseling_never_grants_a_sponsor_anything(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="Counseling stays between"):
        services.propose_engagement(
            cast.coach,
            giver=cast.coach,
            receiver=cast.report,
            kind=EngagementKind.COUNSELING,
            cadence="weekly",
            terms=terms(sponsor_sees=SponsorSees.CADENCE),
        )
    assert not Engagement.objects.filter(kind=EngagementKind.COUNSELING).exists()
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    with pytest.raises(ValidationError, match="Counseling stays between"):
        services.propose_amendment(
            cast.coach, engagement, terms(sponsor_sees=SponsorSees.PURPOSE_AND_DATES)
        )


# --- the database holds the rules too ----------------------------------------------


def test_database_refuses_a_second_waiting_version(cast: Cast) -> None:
    engagement = proposed(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersion.objects.create(
            engagement=engagement,
            number=2,
            purpose="p",
            cadence="weekly",
            confidentiality="c",
            proposed_by=cast.report,
        )


def test_database_refuses_acceptance_by_the_proposer(cast: Cast) -> None:
    version = proposed(cast).agreement_versions.get()
    AgreementVersion.objects.filter(pk=version.pk).update(accepted_by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.ACCEPTED, accepted_by=cast.coach, accepted_at=NOW
        )


def test_database_refuses_an_ending_without_its_detail(cast: Cast) -> None:
    version = proposed(cast).agreement_versions.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementVersion.objects.filter(pk=version.pk).update(
            ending=Ending.ON_DATE, ends_on=None, ends_after_sessions=None
        )
