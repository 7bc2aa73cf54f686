"""Coaching's invariants, held by the database and answered kindly by the services
(issue 17): one session per slot, one open engagement per pair and kind, one
pending agreement version, one debrief per party; and a second "End session" or
accept, one after the other, answers as the first did. The same clicks at the same
moment, in threads on PostgreSQL, are in ``cairn/tests/test_invariants_threads.py``."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cairn.coaching import services
from cairn.coaching.models import (
    AgendaItem,
    AgreementVersion,
    Debrief,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Feeling,
    Session,
    VersionStatus,
)
from cairn.coaching.tests.factories import make_agenda_item, make_engagement, make_session
from cairn.people.models import Person
from cairn.testing import client_for
from cairn.testing.cast import Cast

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "yes"}


def later(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- one session per slot ----------------------------------------------------------


def test_a_second_session_at_the_same_time_is_refused_with_a_message(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    services.schedule_session(cast.coach, engagement, scheduled_for=later(3))

    with pytest.raises(ValidationError, match="at that time already"):
        services.schedule_session(cast.report, engagement, scheduled_for=later(3))

    assert engagement.sessions.count() == 1


def test_the_slot_is_held_by_the_database_itself(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    first = make_session(engagement, when=later(3))

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.create(
            engagement=engagement, template=first.template, scheduled_for=later(3)
        )


def test_a_cancelled_session_frees_its_slot(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    first = make_session(engagement, when=later(3))
    services.cancel_session(cast.coach, first)

    again = services.schedule_session(cast.coach, engagement, scheduled_for=later(3))

    assert again.pk != first.pk
    assert engagement.sessions.filter(scheduled_for=later(3)).count() == 2


def test_moving_a_session_onto_another_ones_slot_is_refused(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    make_session(engagement, when=later(3))
    second = make_session(engagement, when=later(4))

    with pytest.raises(ValidationError, match="at that time already"):
        services.reschedule_session(cast.coach, second, later(3))

    second.refresh_from_db()
    assert second.scheduled_for == later(4)
    assert second.sequence == 0


def test_the_same_slot_in_two_engagements_is_fine(cast: Cast) -> None:
    one = make_engagement(cast.coach, cast.report)
    two = make_engagement(cast.coach, cast.peer)
    make_session(one, when=later(3))
    make_session(two, when=later(3))
    assert Session.objects.filter(scheduled_for=later(3)).count() == 2


# --- End session twice -------------------------------------------------------------


def test_the_other_party_ending_an_ended_session_lands_on_it(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    session = make_session(engagement, when=timezone.now() - dt.timedelta(hours=1))
    make_agenda_item(session, cast.report, "The point we ran out of time for")
    url = reverse("coaching:session-complete", args=[session.code])
    assert client_for(cast.coach).post(url, CONFIRMED).status_code == 302

    response = client_for(cast.report).post(url, CONFIRMED)

    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:session", args=[session.code])
    assert engagement.sessions.count() == 2
    assert AgendaItem.objects.filter(text="The point we ran out of time for").count() == 2


def test_ending_with_a_stale_copy_carries_nothing_twice(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    session = make_session(engagement, when=timezone.now() - dt.timedelta(hours=1))
    make_agenda_item(session, cast.report, "Carried once")
    stale = Session.objects.select_related("engagement").get(pk=session.pk)
    services.complete_session(cast.coach, session)

    with pytest.raises(ValidationError, match="already ended"):
        services.complete_session(cast.report, stale)

    assert AgendaItem.objects.filter(text="Carried once").count() == 2


# --- accepting an engagement twice -------------------------------------------------


def test_a_second_accept_with_a_stale_copy_is_told_not_crashed(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    stale = Engagement.objects.get(pk=engagement.pk)
    services.accept_engagement(cast.report, engagement)

    with pytest.raises(ValidationError, match="answered already"):
        services.accept_engagement(cast.report, stale)

    assert list(
        AgreementVersion.objects.filter(engagement=engagement).values_list("status", flat=True)
    ) == [VersionStatus.ACCEPTED]


def test_accept_clicked_twice_answers_the_same_both_times(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    url = reverse("coaching:engagement-accept", args=[engagement.code])
    client = client_for(cast.report)

    first, second = client.post(url), client.post(url)

    assert (first.status_code, second.status_code) == (302, 302)
    assert first["Location"] == second["Location"]
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED


# --- one open engagement per pair and kind, one pending version, one debrief ------


def test_one_open_engagement_per_pair_and_kind_is_held_by_the_database(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)

    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.create(
            organisation=engagement.organisation,
            kind=EngagementKind.COACHING,
            direction=engagement.direction,
            giver=cast.coach,
            receiver=cast.report,
            proposed_by=cast.coach,
            template=engagement.template,
        )
    with pytest.raises(ValidationError, match="already have an open engagement"):
        make_engagement(cast.coach, cast.report)


def test_one_pending_agreement_version_is_held_by_the_database(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    pending = AgreementVersion.objects.get(engagement=engagement)
    pending.pk, pending.code, pending.number = None, uuid.uuid4(), 2

    with pytest.raises(IntegrityError), transaction.atomic():
        pending.save()


def _debrief(actor: Person, engagement: Engagement) -> Debrief:
    return services.write_debrief(
        actor,
        engagement,
        learnings="Listening first",
        felt=Feeling.values[0],
    )


def test_one_debrief_per_party(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    services.close_engagement(cast.coach, engagement)
    first = _debrief(cast.coach, engagement)

    with pytest.raises(ValidationError, match="already"):
        _debrief(cast.coach, engagement)
    with pytest.raises(IntegrityError), transaction.atomic():
        Debrief.objects.create(
            engagement=engagement, author=cast.coach, learnings="Again", felt=first.felt
        )

    assert Debrief.objects.filter(engagement=engagement, author=cast.coach).count() == 1
    _debrief(cast.report, engagement)
    assert Debrief.objects.filter(engagement=engagement).count() == 2


free_double_slots = importlib.import_module(
    "cairn.coaching.migrations.0011_invariants"
).free_double_slots


def test_the_migration_frees_double_slots_from_before_losing_nothing(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report)
    held_at, next_at = later(-7), later(7)
    held = make_session(engagement, when=held_at, completed=True)
    upcoming = make_session(engagement, when=next_at)
    with connection.cursor() as cursor:  # as before the constraint (rolled back)
        cursor.execute("DROP INDEX session_one_per_slot")
    held_twice = make_session(engagement, when=held_at, completed=True)
    upcoming_twice = make_session(engagement, when=next_at)

    free_double_slots(apps, None)

    for session in (held, upcoming, held_twice, upcoming_twice):
        session.refresh_from_db()
    assert (held.scheduled_for, upcoming.scheduled_for) == (held_at, next_at)
    assert not held.is_cancelled
    assert not upcoming.is_cancelled
    assert held_twice.scheduled_for == held_at + dt.timedelta(seconds=1)
    assert held_twice.is_completed
    assert not held_twice.is_cancelled
    assert upcoming_twice.is_cancelled
    assert Session.objects.count() == 4
