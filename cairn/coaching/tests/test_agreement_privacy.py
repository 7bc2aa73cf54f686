"""Who sees agreements and debriefs, walking the cast one rung at a time.

The row of docs/design.md: "agreement: both parties read/accept; the person's managers:
sponsor summary only, if the agreement grants it; org admin: no". Debriefs: the two
parties, nobody else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching import policy, services
from cairn.coaching.agreements import terms_for
from cairn.coaching.models import (
    AgreementVersion,
    Debrief,
    Engagement,
    EngagementKind,
    SponsorSees,
    VersionStatus,
)
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
)
from cairn.people.models import Person, User
from cairn.testing import ROLES, Cast, client_for

PURPOSE = "purpose: find a path towards the staff engineer role"
PRIVATE = "private: nervous about the promotion panel"
SHARED = "shared: practise the design review opener"
AGENDA = "agenda: the panel feedback from March"
ACTION = "action: write the one-page strategy memo"
LEARNING = "learning: ask before advising, even with myself"
OTHER_LEARNING = "learning: silence gives people room to think"
SECRETS = [PRIVATE, SHARED, AGENDA, ACTION, LEARNING, OTHER_LEARNING]

EVERYONE = list(ROLES)
PARTIES = ["coach", "report"]  # the coach coaches the report
SPONSORS = ["manager", "director"]  # the report's management chain
NOT_SPONSORS = [role for role in EVERYONE if role not in SPONSORS]


@dataclass
class World:
    engagement: Engagement
    client: dict[str, Client]

    def sponsor_page(self, role: str) -> tuple[int, str]:
        response = self.client[role].get(
            reverse("coaching:sponsor-summary", args=[self.engagement.code])
        )
        return response.status_code, response.content.decode()


def build(cast: Cast, grant: str, kind: str = EngagementKind.COACHING) -> World:
    """An active engagement in which the coach coaches the report under an agreement
    granting ``grant``, with content of every kind in its session."""
    engagement = services.propose_engagement(
        cast.coach,
        giver=cast.coach,
        receiver=cast.report,
        kind=kind,
        cadence="fortnightly",
        terms=dataclasses.replace(terms_for(kind, "fortnightly"), purpose=PURPOSE),
    )
    services.accept_engagement(cast.report, engagement)
    if grant != SponsorSees.NOTHING:
        version = services.propose_amendment(
            cast.report,
            engagement,
            dataclasses.replace(
                terms_for(kind, "fortnightly"), purpose=PURPOSE, sponsor_sees=grant
            ),
        )
        services.accept_agreement(cast.coach, version)
    session = make_session(engagement)
    make_note(session, cast.report, PRIVATE, private=True)
    make_note(session, cast.coach, SHARED)
    make_agenda_item(session, cast.report, AGENDA)
    make_action_item(session, cast.report, ACTION, by=cast.coach)
    engagement.refresh_from_db()
    clients = {role: client_for(person) for role, person in cast.everyone().items()}
    return World(engagement, clients)


def assert_no_content(page: str) -> None:
    for text in SECRETS:
        assert text not in page, text


# --- the sponsor summary -----------------------------------------------------------


@pytest.mark.parametrize("role", EVERYONE)
def test_no_sponsor_summary_when_the_agreement_grants_nothing(cast: Cast, role: str) -> None:
    world = build(cast, SponsorSees.NOTHING)
    status, page = world.sponsor_page(role)
    assert status == 404
    assert PURPOSE not in page
    assert_no_content(page)


@pytest.mark.parametrize("role", SPONSORS)
def test_managers_see_cadence_only_when_that_is_granted(cast: Cast, role: str) -> None:
    world = build(cast, SponsorSees.CADENCE)
    status, page = world.sponsor_page(role)
    assert status == 200
    assert "Active" in page
    assert "Fortnightly" in page
    assert PURPOSE not in page
    assert "Session dates" not in page
    assert_no_content(page)


@pytest.mark.parametrize("role", SPONSORS)
def test_managers_see_purpose_and_dates_when_granted(cast: Cast, role: str) -> None:
    world = build(cast, SponsorSees.PURPOSE_AND_DATES)
    session = world.engagement.sessions.get()
    status, page = world.sponsor_page(role)
    assert status == 200
    assert PURPOSE in page
    assert session.scheduled_for.strftime("%Y-%m-%d") in page
    assert_no_content(page)


@pytest.mark.parametrize("role", NOT_SPONSORS)
@pytest.mark.parametrize("grant", [SponsorSees.CADENCE, SponsorSees.PURPOSE_AND_DATES])
def test_nobody_else_opens_the_sponsor_summary(cast: Cast, role: str, grant: str) -> None:
    # Not the parties (they have the engagement page), not a peer, not the org admin
    # or the program admin, not the outsider from another organisation.
    world = build(cast, grant)
    status, page = world.sponsor_page(role)
    assert status == 404
    assert PURPOSE not in page
    assert_no_content(page)


def test_the_givers_managers_are_not_sponsors(cast: Cast) -> None:
    # The report coaches the coach: the report's managers manage the giver only.
    engagement = make_engagement(cast.report, cast.coach)
    version = services.propose_amendment(
        cast.report,
        engagement,
        dataclasses.replace(
            terms_for(EngagementKind.COACHING, "fortnightly"),
            sponsor_sees=SponsorSees.PURPOSE_AND_DATES,
        ),
    )
    services.accept_agreement(cast.coach, version)
    for person in (cast.manager, cast.director):
        response = client_for(person).get(
            reverse("coaching:sponsor-summary", args=[engagement.code])
        )
        assert response.status_code == 404


@pytest.mark.parametrize("role", EVERYONE)
def test_counseling_never_has_a_sponsor_summary(cast: Cast, role: str) -> None:
    world = build(cast, SponsorSees.NOTHING, EngagementKind.COUNSELING)
    # Even a row that somehow says otherwise grants nothing.
    AgreementVersion.objects.filter(engagement=world.engagement).update(
        sponsor_sees=SponsorSees.PURPOSE_AND_DATES
    )
    status, page = world.sponsor_page(role)
    assert status == 404
    assert PURPOSE not in page
    assert "Counseling" not in page


def test_a_waiting_amendment_grants_nothing_until_accepted(cast: Cast) -> None:
    world = build(cast, SponsorSees.NOTHING)
    services.propose_amendment(
        cast.report,
        world.engagement,
        dataclasses.replace(
            terms_for(EngagementKind.COACHING, "fortnightly"),
            purpose=PURPOSE,
            sponsor_sees=SponsorSees.PURPOSE_AND_DATES,
        ),
    )
    assert world.sponsor_page("manager")[0] == 404


def test_a_later_version_can_withdraw_the_grant(cast: Cast) -> None:
    world = build(cast, SponsorSees.PURPOSE_AND_DATES)
    assert world.sponsor_page("manager")[0] == 200
    version = services.propose_amendment(
        cast.report,
        world.engagement,
        dataclasses.replace(terms_for(EngagementKind.COACHING, "fortnightly"), purpose=PURPOSE),
    )
    services.accept_agreement(cast.coach, version)
    status, page = world.sponsor_page("manager")
    assert status == 404
    assert PURPOSE not in page


# --- the agreement itself: the two parties -----------------------------------------


@pytest.mark.parametrize("role", PARTIES)
def test_both_parties_read_the_agreement_and_its_history(cast: Cast, role: str) -> None:
    world = build(cast, SponsorSees.CADENCE)
    response = world.client[role].get(reverse("coaching:engagement", args=[world.engagement.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert PURPOSE in page
    assert "Version 2 · in force" in page
    assert "accepted by Cody Coach" in page  # who accepted version 2
    assert "Version 1 · accepted" in page


@pytest.mark.parametrize("role", [r for r in EVERYONE if r not in PARTIES])
def test_non_parties_never_read_the_agreement(cast: Cast, role: str) -> None:
    world = build(cast, SponsorSees.PURPOSE_AND_DATES)
    response = world.client[role].get(reverse("coaching:engagement", args=[world.engagement.code]))
    assert response.status_code == 404
    assert PURPOSE not in response.content.decode()
    viewer = cast.everyone()[role]
    assert not AgreementVersion.objects.visible_to(viewer).exists()


@pytest.mark.parametrize("role", [r for r in EVERYONE if r not in PARTIES])
def test_forged_posts_from_non_parties_get_404_and_change_nothing(cast: Cast, role: str) -> None:
    world = build(cast, SponsorSees.NOTHING)
    engagement = world.engagement
    pending = services.propose_amendment(
        cast.coach,
        engagement,
        dataclasses.replace(terms_for(EngagementKind.COACHING, "fortnightly"), cadence="weekly"),
    )
    client = world.client[role]
    posts = [
        (
            reverse("coaching:agreement-propose", args=[engagement.code]),
            {
                "purpose": "hijacked",
                "cadence": "weekly",
                "confidentiality": "none",
                "sponsor_sees": SponsorSees.PURPOSE_AND_DATES,
                "ending": "when_either_asks",
            },
        ),
        (reverse("coaching:agreement-accept", args=[pending.code]), {}),
        (reverse("coaching:engagement-accept", args=[engagement.code]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    pending.refresh_from_db()
    assert pending.status == VersionStatus.PENDING
    assert engagement.agreement_versions.count() == 2
    assert not AgreementVersion.objects.filter(purpose="hijacked").exists()

    services.close_engagement(cast.coach, engagement)
    response = client.post(
        reverse("coaching:debrief-write", args=[engagement.code]),
        {"learnings": "hijacked", "felt": "between"},
    )
    assert response.status_code == 404
    assert not Debrief.objects.exists()


# --- debriefs ----------------------------------------------------------------------


def closed_with_debriefs(cast: Cast) -> World:
    world = build(cast, SponsorSees.PURPOSE_AND_DATES)
    services.close_engagement(cast.coach, world.engagement)
    services.write_debrief(
        cast.report, world.engagement, learnings=LEARNING, felt="transformational"
    )
    services.write_debrief(cast.coach, world.engagement, learnings=OTHER_LEARNING, felt="between")
    return world


@pytest.mark.parametrize("role", PARTIES)
def test_both_parties_read_both_debriefs(cast: Cast, role: str) -> None:
    world = closed_with_debriefs(cast)
    response = world.client[role].get(reverse("coaching:engagement", args=[world.engagement.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert LEARNING in page
    assert OTHER_LEARNING in page
    assert "Your debrief" in page


@pytest.mark.parametrize("role", [r for r in EVERYONE if r not in PARTIES])
def test_nobody_else_reads_a_debrief(cast: Cast, role: str) -> None:
    world = closed_with_debriefs(cast)
    client = world.client[role]
    pages = [
        client.get(reverse("coaching:engagement", args=[world.engagement.code])),
        client.get(reverse("coaching:sponsor-summary", args=[world.engagement.code])),
        client.get(reverse("home")),
        client.get(reverse("people:person", args=[cast.report.code])),
    ]
    for response in pages:
        assert_no_content(response.content.decode())
    assert not Debrief.objects.visible_to(cast.everyone()[role]).exists()


def superuser_client() -> Client:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["agreementversion", "debrief"])
def test_django_admin_has_no_page_for_agreements_or_debriefs(cast: Cast, model: str) -> None:
    closed_with_debriefs(cast)
    client = superuser_client()
    for url in (f"/admin/coaching/{model}/", f"/admin/coaching/{model}/add/"):
        response = client.get(url)
        assert response.status_code == 404, url
        page = response.content.decode()
        assert PURPOSE not in page
        assert_no_content(page)


def test_django_admin_delete_confirmation_names_no_agreement_or_debrief(cast: Cast) -> None:
    world = closed_with_debriefs(cast)
    response = superuser_client().get(f"/admin/coaching/engagement/{world.engagement.pk}/delete/")
    page = response.content.decode()
    assert response.status_code == 200
    assert PURPOSE not in page
    assert_no_content(page)


def person(cast: Cast, role: str) -> Person:
    return cast.everyone()[role]


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize(
    "grant", [SponsorSees.NOTHING, SponsorSees.CADENCE, SponsorSees.PURPOSE_AND_DATES]
)
def test_lists_link_to_exactly_the_summaries_that_open(cast: Cast, role: str, grant: str) -> None:
    world = build(cast, grant)
    counseling = make_engagement(cast.peer, cast.report, EngagementKind.COUNSELING)
    viewer = cast.everyone()[role]
    linked = policy.sponsor_summaries(viewer, [world.engagement, counseling])
    opens = world.sponsor_page(role)[0] == 200
    assert linked == ({world.engagement.pk} if opens else set())
