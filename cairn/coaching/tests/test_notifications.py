"""Coaching tells people what asks something of them: an engagement proposed to
them, an amendment to accept, an action item given to them — once per event, never
to the actor, with names and the kind of thing only; and a notification is shown
only while its recipient may still see what it is about."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse

from cairn.coaching import services
from cairn.coaching.models import ActionItem, EngagementKind
from cairn.coaching.tests.factories import make_engagement, make_session
from cairn.notifications import registry
from cairn.notifications.models import Kind, Notification
from cairn.notifications.services import notify
from cairn.testing import Cast

pytestmark = pytest.mark.django_db

CANARY = "zebra-canary-4471"
DUE = dt.date(2030, 1, 15)


def only(kind: Kind) -> Notification:
    [row] = Notification.objects.filter(kind=kind)
    return row


def told_once(row: Notification) -> None:
    """The same event told again (the same key) adds nothing."""
    again = notify(row.recipient, Kind(row.kind), title=row.title, url=row.url, key=row.key)
    assert again is None
    assert Notification.objects.filter(key=row.key).count() == 1


def test_an_engagement_proposed_tells_the_other_party(cast: Cast) -> None:
    engagement = services.propose_engagement(
        cast.coach,
        giver=cast.coach,
        receiver=cast.report,
        kind=EngagementKind.COACHING,
        cadence="fortnightly",
    )
    row = only(Kind.ENGAGEMENT_PROPOSED)
    assert row.recipient == cast.report
    assert row.title == "Cody Coach proposed a coaching engagement"
    assert row.url == reverse("coaching:engagement", args=[engagement.code])
    assert registry.still_visible(cast.report, [row]) == [row]
    told_once(row)
    assert not Notification.objects.filter(recipient=cast.coach).exists()


def test_the_receiver_proposing_tells_the_giver(cast: Cast) -> None:
    services.propose_engagement(
        cast.report,
        giver=cast.coach,
        receiver=cast.report,
        kind=EngagementKind.COACHING,
        cadence="fortnightly",
    )
    assert only(Kind.ENGAGEMENT_PROPOSED).recipient == cast.coach


def test_a_counseling_engagement_is_told_to_its_other_party_and_shown_to_nobody_else(
    cast: Cast,
) -> None:
    services.propose_engagement(
        cast.manager,
        giver=cast.manager,
        receiver=cast.report,
        kind=EngagementKind.COUNSELING,
        cadence="weekly",
    )
    row = only(Kind.ENGAGEMENT_PROPOSED)
    assert row.recipient == cast.report
    assert list(Notification.objects.visible_to(cast.report)) == [row]
    for name, person in cast.everyone().items():
        if name != "report":
            assert not Notification.objects.visible_to(person).exists(), name
            # Even handed someone else's row, the registry shows it to no third person.
            shown = registry.still_visible(person, [row])
            assert shown == ([row] if name == "manager" else []), name


def test_an_amendment_tells_the_other_party_without_its_terms(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    Notification.objects.all().delete()
    terms = dataclasses.replace(services.current_terms(engagement), purpose=CANARY)
    version = services.propose_amendment(cast.report, engagement, terms)
    row = only(Kind.AGREEMENT_TO_ACCEPT)
    assert row.recipient == cast.coach
    assert row.title == "Riley Report proposed an amendment to your agreement"
    assert CANARY not in row.title + row.url
    assert (row.subject_type, row.subject_id) == ("coaching.agreementversion", version.pk)
    assert registry.still_visible(cast.coach, [row]) == [row]
    assert registry.still_visible(cast.manager, [row]) == []
    told_once(row)


def test_an_action_item_given_to_the_other_party_tells_them(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.report))
    Notification.objects.all().delete()
    item = services.add_action_item(
        cast.coach,
        session,
        owner=cast.report,
        description=CANARY,
        due_on=DUE,
    )
    row = only(Kind.ACTION_ASSIGNED)
    assert row.recipient == cast.report
    assert row.title == "Cody Coach gave you an action item"
    assert row.url == reverse("coaching:session", args=[session.code])
    assert CANARY not in row.title
    told_once(row)
    assert registry.still_visible(cast.report, [row]) == [row]
    ActionItem.objects.filter(pk=item.pk).delete()
    assert registry.still_visible(cast.report, [row]) == []


def test_an_action_item_of_ones_own_tells_nobody(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.report))
    services.add_action_item(
        cast.report,
        session,
        owner=cast.report,
        description="Mine",
        due_on=DUE,
    )
    assert not Notification.objects.filter(kind=Kind.ACTION_ASSIGNED).exists()


def test_two_action_items_are_two_events(cast: Cast) -> None:
    session = make_session(make_engagement(cast.coach, cast.report))
    for text in ("One", "Two"):
        services.add_action_item(
            cast.coach, session, owner=cast.report, description=text, due_on=DUE
        )
    assert Notification.objects.filter(kind=Kind.ACTION_ASSIGNED).count() == 2


def test_a_notification_about_an_engagement_goes_once_it_has_closed(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    row = notify(
        cast.report,
        Kind.SESSION_TOMORROW,
        title="Your coaching session with Cody Coach is tomorrow at 10:00",
        url=reverse("coaching:engagement", args=[engagement.code]),
        key="tomorrow",
        subject=engagement,
    )
    assert row is not None
    assert registry.still_visible(cast.report, [row]) == [row]
    services.close_engagement(cast.coach, engagement)
    assert registry.still_visible(cast.report, [row]) == []
