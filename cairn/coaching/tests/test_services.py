"""Coaching use cases: scheduling by cadence, the engagement lifecycle, ending a
session, action items, and one-on-ones that follow reporting lines."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cairn.coaching import services
from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Cadence,
    Direction,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    SessionTemplate,
)
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_note,
    make_session,
    one_on_one,
)
from cairn.people.models import Person
from cairn.people.services import update_person
from cairn.testing import Cast, client_for, make_org, make_person

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _london(settings: Any) -> None:
    # The wall-clock expectations below are London's, whatever the environment says.
    settings.TIME_ZONE = "Europe/London"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment in London local time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def coaching(cast: Cast, cadence: str = Cadence.FORTNIGHTLY) -> Engagement:
    """An agreed coaching engagement: the coach coaches the report."""
    return make_engagement(cast.coach, cast.report, cadence=cadence)


# --- scheduling by cadence ---------------------------------------------------------


def test_first_session_is_tomorrow_at_ten_local_time(cast: Cast) -> None:
    engagement = coaching(cast)
    assert services.next_session_time(engagement, now=at(2026, 3, 10, 15, 0)) == at(
        2026, 3, 11, 10, 0
    )


def test_first_session_counts_tomorrow_from_the_local_date(cast: Cast) -> None:
    engagement = coaching(cast)
    # 23:30 UTC on 30 June is already 00:30 on 1 July in London (BST).
    now = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert services.next_session_time(engagement, now=now) == at(2026, 7, 2, 10, 0)


@pytest.mark.parametrize(
    ("cadence", "days"),
    [(Cadence.WEEKLY, 7), (Cadence.FORTNIGHTLY, 14), (Cadence.EVERY_FOUR_WEEKS, 28)],
)
def test_next_session_is_one_cadence_interval_after_the_last(
    cast: Cast, cadence: str, days: int
) -> None:
    engagement = coaching(cast, cadence)
    last = at(2026, 2, 2, 10, 0)
    make_session(engagement, when=last)
    assert services.next_session_time(engagement, now=at(2026, 2, 2, 11, 0)) == last + dt.timedelta(
        days=days
    )


def test_next_session_follows_the_latest_session_not_the_first(cast: Cast) -> None:
    engagement = coaching(cast, Cadence.WEEKLY)
    make_session(engagement, when=at(2026, 2, 2, 10, 0))
    make_session(engagement, when=at(2026, 2, 12, 15, 30))
    assert services.next_session_time(engagement, now=at(2026, 2, 3, 9, 0)) == at(
        2026, 2, 19, 15, 30
    )


def test_missed_beats_roll_forward_and_never_land_in_the_past(cast: Cast) -> None:
    engagement = coaching(cast, Cadence.WEEKLY)
    make_session(engagement, when=at(2026, 2, 2, 10, 0))
    now = at(2026, 2, 20, 12, 0)
    when = services.next_session_time(engagement, now=now)
    assert when == at(2026, 2, 23, 10, 0)
    assert when > now


def test_a_beat_exactly_now_is_rolled_on_to_the_next(cast: Cast) -> None:
    engagement = coaching(cast, Cadence.WEEKLY)
    make_session(engagement, when=at(2026, 2, 2, 10, 0))
    assert services.next_session_time(engagement, now=at(2026, 2, 9, 10, 0)) == at(
        2026, 2, 16, 10, 0
    )


def test_cadence_keeps_the_wall_clock_time_when_the_clocks_change(cast: Cast) -> None:
    engagement = coaching(cast, Cadence.WEEKLY)
    # London moves to summer time on 29 March 2026.
    make_session(engagement, when=at(2026, 3, 23, 10, 0))
    when = services.next_session_time(engagement, now=at(2026, 3, 23, 11, 0))
    assert when.astimezone(LONDON).time() == dt.time(10, 0)
    assert when == at(2026, 3, 30, 10, 0)


def test_scheduling_without_a_time_follows_the_cadence(cast: Cast) -> None:
    engagement = coaching(cast, Cadence.WEEKLY)
    make_session(engagement, when=at(2026, 2, 2, 10, 0))
    session = services.schedule_session(cast.report, engagement, now=at(2026, 2, 3, 9, 0))
    assert session.scheduled_for == at(2026, 2, 9, 10, 0)
    assert session.template_id == engagement.template_id


def test_first_scheduled_session_makes_an_agreed_engagement_active(cast: Cast) -> None:
    engagement = coaching(cast)
    assert engagement.status == EngagementStatus.AGREED
    services.schedule_session(cast.coach, engagement, now=at(2026, 2, 2, 9, 0))
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE


def test_a_proposed_engagement_cannot_be_scheduled_yet(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    with pytest.raises(PermissionDenied):
        services.schedule_session(cast.coach, engagement)
    assert not engagement.sessions.exists()


def test_only_a_party_can_schedule(cast: Cast) -> None:
    engagement = coaching(cast)
    for stranger in (cast.manager, cast.admin, cast.peer):
        with pytest.raises(PermissionDenied):
            services.schedule_session(stranger, engagement)
    assert not engagement.sessions.exists()


def test_a_session_cannot_use_another_organisations_template(cast: Cast) -> None:
    engagement = coaching(cast)
    theirs = SessionTemplate.objects.create(
        slug="theirs", name="Theirs", description="", organisation=cast.outsider.organisation
    )
    with pytest.raises(ValidationError, match="Choose one of the templates listed"):
        services.schedule_session(cast.coach, engagement, template=theirs)
    assert not engagement.sessions.exists()


# --- proposing, agreeing, closing --------------------------------------------------


def test_proposal_waits_for_the_other_party(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    assert engagement.status == EngagementStatus.PROPOSED
    assert engagement.proposed_by == cast.coach
    assert engagement.agreed_at is None


@pytest.mark.parametrize(
    ("giver", "receiver", "direction"),
    [
        ("manager", "report", Direction.DOWNWARD),
        ("director", "report", Direction.DOWNWARD),
        ("report", "manager", Direction.UPWARD),
        ("peer", "report", Direction.PEER),
    ],
)
def test_direction_is_worked_out_from_reporting_lines(
    cast: Cast, giver: str, receiver: str, direction: str
) -> None:
    engagement = make_engagement(
        getattr(cast, giver), getattr(cast, receiver), EngagementKind.MENTORING, agreed=False
    )
    assert engagement.direction == direction


def test_the_proposer_cannot_accept_their_own_proposal(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    with pytest.raises(PermissionDenied):
        services.accept_engagement(cast.coach, engagement)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PROPOSED


def test_a_third_person_cannot_accept(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    for stranger in (cast.manager, cast.admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.accept_engagement(stranger, engagement)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PROPOSED


def test_the_receiver_can_propose_and_the_giver_accepts(cast: Cast) -> None:
    engagement = services.propose_engagement(
        cast.report,
        giver=cast.coach,
        receiver=cast.report,
        kind=EngagementKind.COACHING,
        cadence=Cadence.WEEKLY,
    )
    with pytest.raises(PermissionDenied):
        services.accept_engagement(cast.report, engagement)
    services.accept_engagement(cast.coach, engagement, now=at(2026, 2, 1, 9, 0))
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.AGREED
    assert engagement.agreed_at == at(2026, 2, 1, 9, 0)


def test_lifecycle_goes_proposed_agreed_active_closed(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.report, agreed=False)
    seen = [engagement.status]
    services.accept_engagement(cast.report, engagement)
    seen.append(Engagement.objects.get(pk=engagement.pk).status)
    services.schedule_session(cast.report, engagement)
    seen.append(Engagement.objects.get(pk=engagement.pk).status)
    services.close_engagement(cast.coach, engagement, now=at(2026, 2, 1, 9, 0))
    engagement.refresh_from_db()
    seen.append(engagement.status)
    assert seen == ["proposed", "agreed", "active", "closed"]
    assert engagement.closed_at == at(2026, 2, 1, 9, 0)


def test_an_agreed_engagement_cannot_be_accepted_again(cast: Cast) -> None:
    engagement = coaching(cast)
    agreed_at = engagement.agreed_at
    # A party is told (as a second click would be), not refused: nothing changes.
    with pytest.raises(ValidationError, match="answered already"):
        services.accept_engagement(cast.report, engagement)
    with pytest.raises(PermissionDenied):
        services.accept_engagement(cast.outsider, engagement)
    engagement.refresh_from_db()
    assert engagement.agreed_at == agreed_at


def test_one_on_ones_cannot_be_proposed(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="start by themselves"):
        services.propose_engagement(
            cast.coach,
            giver=cast.coach,
            receiver=cast.report,
            kind=EngagementKind.ONE_ON_ONE,
            cadence=Cadence.WEEKLY,
        )
    assert not Engagement.objects.filter(giver=cast.coach).exists()


def test_no_second_open_engagement_of_the_same_kind(cast: Cast) -> None:
    coaching(cast)
    with pytest.raises(ValidationError, match="already have an open engagement"):
        make_engagement(cast.coach, cast.report, agreed=False)
    assert Engagement.objects.filter(giver=cast.coach, receiver=cast.report).count() == 1


def test_a_proposal_also_blocks_a_second_one(cast: Cast) -> None:
    make_engagement(cast.coach, cast.report, agreed=False)
    with pytest.raises(ValidationError):
        make_engagement(cast.coach, cast.report, agreed=False)


def test_another_kind_or_a_closed_one_does_not_block_a_new_engagement(cast: Cast) -> None:
    first = coaching(cast)
    make_engagement(cast.coach, cast.report, EngagementKind.MENTORING)
    services.close_engagement(cast.report, first)
    again = make_engagement(cast.coach, cast.report, agreed=False)
    assert again.status == EngagementStatus.PROPOSED
    assert Engagement.objects.filter(giver=cast.coach, receiver=cast.report).count() == 3


def test_an_engagement_cannot_use_another_organisations_template(cast: Cast) -> None:
    theirs = SessionTemplate.objects.create(
        slug="theirs", name="Theirs", description="", organisation=cast.outsider.organisation
    )
    with pytest.raises(ValidationError, match="Choose one of the templates listed"):
        services.propose_engagement(
            cast.report,
            giver=cast.coach,
            receiver=cast.report,
            kind=EngagementKind.COACHING,
            cadence=Cadence.WEEKLY,
            template=theirs,
        )
    assert not Engagement.objects.filter(giver=cast.coach).exists()


def test_an_organisations_own_template_can_be_used(cast: Cast) -> None:
    ours = SessionTemplate.objects.create(
        slug="ours", name="Ours", description="", organisation=cast.org
    )
    engagement = coaching(cast)
    session = services.schedule_session(cast.coach, engagement, template=ours)
    assert session.template == ours


def test_an_engagement_is_between_two_different_people(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="two different people"):
        make_engagement(cast.coach, cast.coach, agreed=False)


def test_cannot_propose_on_behalf_of_others_or_across_organisations(cast: Cast) -> None:
    with pytest.raises(PermissionDenied):
        services.propose_engagement(
            cast.manager,
            giver=cast.coach,
            receiver=cast.report,
            kind=EngagementKind.COACHING,
            cadence=Cadence.WEEKLY,
        )
    with pytest.raises(PermissionDenied):
        make_engagement(cast.coach, cast.outsider, agreed=False)
    assert not Engagement.objects.filter(giver=cast.coach).exists()


def test_closing_deletes_nothing_and_ends_no_more_sessions(cast: Cast) -> None:
    engagement = coaching(cast)
    held = make_session(engagement, when=at(2026, 2, 2, 10, 0))
    make_agenda_item(held, cast.report, "What gives you energy?")
    planned = services.complete_session(cast.coach, held, now=at(2026, 2, 2, 11, 0))
    private = make_note(planned, cast.report, "What I want to raise", private=True)
    item = make_action_item(planned, cast.report, "Draft my mission statement")
    empty = make_session(engagement, when=at(2026, 3, 16, 10, 0))

    # The other party closes it: nothing the report wrote may go, and the empty
    # session stays too, so it cannot be told apart from one holding a private note.
    services.close_engagement(cast.coach, engagement, now=at(2026, 2, 10, 12, 0))

    assert list(engagement.sessions.order_by("scheduled_for")) == [held, planned, empty]
    assert Note.objects.filter(pk=private.pk).exists()
    assert ActionItem.objects.open().filter(pk=item.pk).exists()
    assert held.agenda_items.count() == 1
    with pytest.raises(PermissionDenied):
        services.complete_session(cast.report, empty)


def test_an_open_item_can_be_ticked_off_after_the_engagement_closed(cast: Cast) -> None:
    engagement = coaching(cast)
    item = make_action_item(make_session(engagement), cast.report)
    services.close_engagement(cast.coach, engagement)
    services.set_action_item_done(cast.report, item, done=True)
    item.refresh_from_db()
    assert item.is_done
    with pytest.raises(PermissionDenied):
        services.set_action_item_done(cast.manager, item, done=False)


def test_a_closed_engagement_takes_no_new_content(cast: Cast) -> None:
    engagement = coaching(cast)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0), completed=True)
    services.close_engagement(cast.coach, engagement)
    with pytest.raises(PermissionDenied):
        services.close_engagement(cast.coach, engagement)
    with pytest.raises(PermissionDenied):
        make_note(session, cast.coach, "after the end")
    with pytest.raises(PermissionDenied):
        services.schedule_session(cast.coach, engagement)
    assert not Note.objects.exists()


# --- ending a session --------------------------------------------------------------


def test_ending_a_session_carries_undiscussed_points_into_the_next(cast: Cast) -> None:
    engagement = coaching(cast)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0))
    talked = make_agenda_item(session, cast.report, "What gives you energy?")
    later = make_agenda_item(session, cast.coach, "Dreams: leading a team one day")
    services.mark_agenda_item(cast.report, talked, discussed=True)

    next_session = services.complete_session(cast.report, session, now=at(2026, 2, 2, 11, 0))

    assert next_session is not None
    carried = list(next_session.agenda_items.all())
    assert [item.text for item in carried] == ["Dreams: leading a team one day"]
    assert carried[0].carried_from == later
    assert carried[0].author == cast.coach
    assert carried[0].discussed is False
    # The ended session keeps its agenda as it was: both points, one discussed.
    assert [(i.text, i.discussed) for i in session.agenda_items.all()] == [
        ("What gives you energy?", True),
        ("Dreams: leading a team one day", False),
    ]


def test_ending_a_session_schedules_the_next_by_cadence_when_there_is_none(
    cast: Cast,
) -> None:
    engagement = coaching(cast, Cadence.FORTNIGHTLY)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0))

    next_session = services.complete_session(cast.coach, session, now=at(2026, 2, 2, 11, 0))

    session.refresh_from_db()
    assert session.completed_at == at(2026, 2, 2, 11, 0)
    assert next_session is not None
    assert next_session.scheduled_for == at(2026, 2, 16, 10, 0)
    assert engagement.sessions.count() == 2


def test_ending_a_session_uses_the_next_session_already_scheduled(cast: Cast) -> None:
    engagement = coaching(cast, Cadence.FORTNIGHTLY)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0))
    planned = make_session(engagement, when=at(2026, 2, 5, 14, 0))
    make_agenda_item(session, cast.report, "My career goals for next year")

    next_session = services.complete_session(cast.coach, session, now=at(2026, 2, 2, 11, 0))

    assert next_session == planned
    assert engagement.sessions.count() == 2
    assert [i.text for i in planned.agenda_items.all()] == ["My career goals for next year"]


def test_ending_a_session_twice_is_rejected(cast: Cast) -> None:
    engagement = coaching(cast)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0))
    make_agenda_item(session, cast.report, "Feedback on my talk")
    services.complete_session(cast.coach, session, now=at(2026, 2, 2, 11, 0))
    session.refresh_from_db()

    with pytest.raises(ValidationError, match="already ended"):
        services.complete_session(cast.report, session, now=at(2026, 2, 2, 11, 5))

    assert engagement.sessions.count() == 2
    assert AgendaItem.objects.filter(text="Feedback on my talk").count() == 2
    assert session.completed_at == at(2026, 2, 2, 11, 0)


def test_a_dismissed_nudge_stays_dismissed_on_the_carried_point(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0))
    item = make_agenda_item(session, cast.report, "Sprint progress and blockers")
    assert item.shows_status_nudge
    services.dismiss_status_nudge(cast.report, item)

    next_session = services.complete_session(cast.manager, session, now=at(2026, 2, 2, 11, 0))

    assert next_session is not None
    carried = next_session.agenda_items.get()
    assert carried.looks_like_status is True
    assert carried.shows_status_nudge is False


def test_only_a_party_can_end_a_session(cast: Cast) -> None:
    engagement = coaching(cast)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0))
    for stranger in (cast.manager, cast.admin, cast.outsider):
        with pytest.raises(PermissionDenied):
            services.complete_session(stranger, session)
    session.refresh_from_db()
    assert session.completed_at is None


def test_points_cannot_be_added_to_an_ended_session(cast: Cast) -> None:
    engagement = coaching(cast)
    session = make_session(engagement, when=at(2026, 2, 2, 10, 0), completed=True)
    with pytest.raises(ValidationError, match="add the point to the next one"):
        make_agenda_item(session, cast.report)
    assert not AgendaItem.objects.exists()


def test_status_like_point_is_flagged_when_added(cast: Cast) -> None:
    session = make_session(coaching(cast))
    assert make_agenda_item(session, cast.report, "PR #412 merged").looks_like_status
    assert not make_agenda_item(session, cast.report, "How I feel").looks_like_status


# --- action items ------------------------------------------------------------------


@pytest.mark.parametrize("owner", ["peer", "manager", "admin"])
def test_action_item_owner_must_be_one_of_the_parties(cast: Cast, owner: str) -> None:
    session = make_session(coaching(cast))
    with pytest.raises(ValidationError, match="one of the two of you"):
        make_action_item(session, getattr(cast, owner), by=cast.coach)
    assert not ActionItem.objects.exists()


def test_action_item_owner_from_another_organisation_is_refused(cast: Cast) -> None:
    session = make_session(coaching(cast))
    with pytest.raises(ValidationError):
        make_action_item(session, cast.outsider, by=cast.report)
    assert not ActionItem.objects.exists()


def test_either_party_can_give_the_other_an_action_item(cast: Cast) -> None:
    session = make_session(coaching(cast))
    item = make_action_item(session, cast.coach, "Send the article", by=cast.report)
    assert item.owner == cast.coach
    assert item.created_by == cast.report
    assert item.engagement == session.engagement


def test_open_action_items_carry_forward_to_the_next_session_page(cast: Cast) -> None:
    engagement = coaching(cast)
    first = make_session(engagement, when=at(2026, 2, 2, 10, 0))
    make_action_item(first, cast.report, "Draft my mission statement")
    finished = make_action_item(first, cast.report, "Book the conference")
    # Done during the first session: it stays on that one's page, not the next's.
    services.set_action_item_done(cast.report, finished, done=True, now=at(2026, 2, 2, 10, 30))

    next_session = services.complete_session(cast.coach, first, now=at(2026, 2, 2, 11, 0))
    assert next_session is not None

    page = client_for(cast.report).get(reverse("coaching:session", args=[next_session.code]))
    html = page.content.decode()
    assert "Draft my mission statement" in html
    assert "from an earlier session" in html
    assert "Book the conference" not in html


def test_ticking_an_item_done_records_when_and_reopening_clears_it(cast: Cast) -> None:
    item = make_action_item(make_session(coaching(cast)), cast.report)
    services.set_action_item_done(cast.coach, item, done=True, now=at(2026, 2, 3, 16, 0))
    item.refresh_from_db()
    assert item.is_done
    assert item.done_at == at(2026, 2, 3, 16, 0)
    assert ActionItem.objects.open().count() == 0

    services.set_action_item_done(cast.report, item, done=False)
    item.refresh_from_db()
    assert item.done_at is None
    assert list(ActionItem.objects.open()) == [item]


def test_only_a_party_can_tick_an_item(cast: Cast) -> None:
    item = make_action_item(make_session(coaching(cast)), cast.report)
    with pytest.raises(PermissionDenied):
        services.set_action_item_done(cast.manager, item, done=True)
    item.refresh_from_db()
    assert item.done_at is None


def test_overdue_means_open_and_past_its_due_date(cast: Cast) -> None:
    session = make_session(coaching(cast))
    due = dt.date(2026, 2, 10)
    item = make_action_item(session, cast.report, due_on=due)
    assert not item.is_overdue(today=dt.date(2026, 2, 9))
    assert not item.is_overdue(today=due)
    assert item.is_overdue(today=dt.date(2026, 2, 11))
    services.set_action_item_done(cast.report, item, done=True)
    item.refresh_from_db()
    assert not item.is_overdue(today=dt.date(2026, 2, 11))


def test_overdue_uses_today_by_default(cast: Cast) -> None:
    session = make_session(coaching(cast))
    item = make_action_item(session, cast.report, due_on=dt.date(2026, 2, 10))
    with time_machine.travel(at(2026, 2, 10, 23, 0), tick=False):
        assert not item.is_overdue()
    with time_machine.travel(at(2026, 2, 11, 0, 30), tick=False):
        assert item.is_overdue()


# --- one-on-ones follow reporting lines --------------------------------------------


def move(cast: Cast, person: Person, manager: Person | None) -> None:
    person.refresh_from_db()
    update_person(
        cast.admin,
        person,
        name=person.name,
        email=person.user.email,
        title=person.title,
        team=person.team,
        manager=manager,
        is_org_admin=person.is_org_admin,
        is_active=True,
    )


def test_a_new_manager_closes_the_old_one_on_one_and_opens_a_new_one(cast: Cast) -> None:
    old = one_on_one(cast.manager, cast.report)
    held = make_session(old, when=at(2026, 1, 5, 10, 0), completed=True)
    with time_machine.travel(at(2026, 2, 1, 9, 0), tick=False):
        upcoming = make_session(old, when=at(2026, 2, 2, 10, 0))
        move(cast, cast.report, cast.director)

    old.refresh_from_db()
    assert old.status == EngagementStatus.CLOSED
    # The history stays whole, and the session that will not happen is kept too.
    assert list(old.sessions.order_by("scheduled_for")) == [held, upcoming]
    new = one_on_one(cast.director, cast.report)
    assert new.direction == Direction.DOWNWARD
    assert new.cadence == Cadence.WEEKLY
    assert Engagement.objects.open().filter(
        kind=EngagementKind.ONE_ON_ONE, receiver=cast.report
    ).get() == (new)


def test_moving_back_to_a_former_manager_opens_a_fresh_one_on_one(cast: Cast) -> None:
    first = one_on_one(cast.manager, cast.report)
    move(cast, cast.report, cast.director)
    move(cast, cast.report, cast.manager)
    again = one_on_one(cast.manager, cast.report)
    assert again.pk != first.pk
    first.refresh_from_db()
    assert first.status == EngagementStatus.CLOSED
    assert one_on_one_count(cast.report, open_only=True) == 1


def test_removing_the_manager_closes_the_one_on_one(cast: Cast) -> None:
    move(cast, cast.report, None)
    assert one_on_one_count(cast.report, open_only=True) == 0
    assert one_on_one_count(cast.report, open_only=False) == 1


def test_other_changes_leave_the_one_on_one_alone(cast: Cast) -> None:
    engagement = one_on_one(cast.manager, cast.report)
    move(cast, cast.report, cast.manager)
    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.ACTIVE
    assert one_on_one_count(cast.report, open_only=False) == 1


def test_a_new_person_with_a_manager_gets_a_one_on_one(db: None) -> None:
    org = make_org()
    boss = make_person(org, "Bea Boss")
    newcomer = make_person(org, "Nia New", manager=boss)
    assert one_on_one(boss, newcomer).status == EngagementStatus.ACTIVE


def one_on_one_count(person: Person, *, open_only: bool) -> int:
    engagements = Engagement.objects.filter(kind=EngagementKind.ONE_ON_ONE, receiver=person)
    return (engagements.open() if open_only else engagements).count()
