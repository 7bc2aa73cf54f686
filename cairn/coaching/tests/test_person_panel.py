"""Coaching's panel on a person's page: engagements shown only as far as the
who-sees-what table allows, never what is said in them, and a sponsor summary linked
only where the agreement grants one."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from cairn.coaching import services as coaching
from cairn.coaching.agreements import terms_for
from cairn.coaching.models import Engagement, EngagementKind, SponsorSees
from cairn.coaching.tests.factories import make_engagement, make_note, make_session
from cairn.people.tests.factories import add_reports, person_url
from cairn.testing import Cast, client_for, count_queries


@pytest.mark.parametrize("viewer", ["admin", "director"])
def test_person_page_queries_do_not_grow_with_reports(cast: Cast, viewer: str) -> None:
    # Every report brings a manager one-on-one, so this grows both lists on the page.
    client = client_for(cast.everyone()[viewer])
    add_reports(cast, 1)
    with_one = count_queries(lambda: client.get(person_url(cast.manager)))
    add_reports(cast, 49)
    response = client.get(person_url(cast.manager))
    assert len(response.context["engagements"]) == 2 + 50 + 1
    with_fifty = count_queries(lambda: client.get(person_url(cast.manager)))
    assert with_one == with_fifty
    assert with_fifty <= 8


# Who may know that an engagement of the report exists, by kind (docs/design.md, "Who sees
# what"): counseling only the two parties; other kinds the parties, their managers and
# the org admin. ``coach`` gives both engagements to ``report``.
PARTIES = {"report", "coach"}
REPORT_MANAGERS = {"manager", "director"}


@pytest.mark.parametrize("viewer", ["director", "manager", "report", "peer", "coach", "admin"])
def test_person_page_shows_engagements_per_who_sees_what(cast: Cast, viewer: str) -> None:
    make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    response = client_for(cast.everyone()[viewer]).get(person_url(cast.report))
    shown = {(e.giver.name, e.kind) for e in response.context["engagements"]}

    counseling = (cast.coach.name, EngagementKind.COUNSELING)
    coaching = (cast.coach.name, EngagementKind.COACHING)
    one_on_one = (cast.manager.name, EngagementKind.ONE_ON_ONE)
    expected = set()
    if viewer in PARTIES:
        expected |= {counseling, coaching}
    if viewer in PARTIES | REPORT_MANAGERS | {"admin"}:
        expected.add(coaching)
    if viewer in {"report", "admin"} | REPORT_MANAGERS:
        # The one-on-one's parties are the report and their manager.
        expected.add(one_on_one)
    assert shown == expected

    page = response.content.decode()
    assert ("Counseling" in page) == (counseling in expected)


def test_counseling_between_manager_and_report_stays_hidden_from_the_director(cast: Cast) -> None:
    make_engagement(cast.manager, cast.report, EngagementKind.COUNSELING)
    for viewer in (cast.director, cast.admin, cast.peer):
        for page_of in (cast.manager, cast.report):
            response = client_for(viewer).get(person_url(page_of))
            kinds = {e.kind for e in response.context["engagements"]}
            assert EngagementKind.COUNSELING not in kinds
    for viewer in (cast.manager, cast.report):
        response = client_for(viewer).get(person_url(cast.report))
        assert EngagementKind.COUNSELING in {e.kind for e in response.context["engagements"]}


@pytest.mark.parametrize("viewer", ["director", "manager", "peer", "coach", "admin"])
def test_person_page_never_shows_what_is_said(cast: Cast, viewer: str) -> None:
    engagement = make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    session = make_session(engagement)
    make_note(session, cast.report, "shared words about growth")
    make_note(session, cast.report, "private words", private=True)
    page = client_for(cast.everyone()[viewer]).get(person_url(cast.report)).content.decode()
    assert "shared words about growth" not in page
    assert "private words" not in page


def build_sponsored(cast: Cast, grant: str) -> Engagement:
    """The coach coaches the report under an agreement that grants the sponsor
    ``grant``."""
    kind = EngagementKind.COACHING
    engagement = coaching.propose_engagement(
        cast.coach, giver=cast.coach, receiver=cast.report, kind=kind, cadence="fortnightly"
    )
    coaching.accept_engagement(cast.report, engagement)
    if grant != SponsorSees.NOTHING:
        terms = dataclasses.replace(terms_for(kind, "fortnightly"), sponsor_sees=grant)
        coaching.accept_agreement(
            cast.coach, coaching.propose_amendment(cast.report, engagement, terms)
        )
    return engagement


@pytest.mark.parametrize(
    ("grant", "viewer", "linked"),
    [
        (SponsorSees.PURPOSE_AND_DATES, "manager", True),
        (SponsorSees.PURPOSE_AND_DATES, "director", True),
        (SponsorSees.PURPOSE_AND_DATES, "peer", False),
        (SponsorSees.PURPOSE_AND_DATES, "admin", False),
        (SponsorSees.NOTHING, "manager", False),
    ],
)
def test_person_page_links_a_sponsor_summary_only_where_the_agreement_grants_it(
    cast: Cast, grant: str, viewer: str, linked: bool
) -> None:
    engagement = build_sponsored(cast, grant)
    page = client_for(cast.everyone()[viewer]).get(person_url(cast.report)).content.decode()
    summary = reverse("coaching:sponsor-summary", args=[engagement.code])
    assert (summary in page) is linked
    if linked:
        assert client_for(cast.everyone()[viewer]).get(summary).status_code == 200


def test_a_persons_engagements_are_exactly_what_visible_to_allows_for_every_viewer(
    cast: Cast,
) -> None:
    """The person page walks up from the person's counterparts instead of down the
    viewer's subtree: the same rows for every viewer and every page, counseling and
    engagements across teams and organisations included."""
    from django.db.models import Q

    make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    make_engagement(cast.coach, cast.report, EngagementKind.COACHING)
    make_engagement(cast.peer, cast.manager, EngagementKind.MENTORING)
    make_engagement(cast.manager, cast.report, EngagementKind.COUNSELING)
    make_engagement(cast.director, cast.coach, EngagementKind.COACHING)
    people = cast.everyone()
    checked = 0
    for viewer in people.values():
        for page_of in people.values():
            expected = set(
                Engagement.objects.visible_to(viewer)
                .filter(Q(giver=page_of) | Q(receiver=page_of))
                .values_list("pk", flat=True)
            )
            found = set(
                Engagement.objects.of_person_visible_to(viewer, page_of).values_list(
                    "pk", flat=True
                )
            )
            assert found == expected, (viewer.name, page_of.name)
            checked += bool(expected)
    assert checked > len(people)  # not an empty comparison
