"""The scheduler's coaching jobs: the day-before reminder, overdue items and the
Monday "your week" email — each in the recipient's own time zone, each once however
often the scheduler runs, with names and counts and never what anyone wrote."""

from __future__ import annotations

import datetime as dt
import sys
import types
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cairn.coaching.models import EngagementKind
from cairn.coaching.reminders import (
    daily_digest,
    overdue_items,
    session_reminders,
    weekly_digest,
)
from cairn.coaching.tests.factories import (
    make_action_item,
    make_agenda_item,
    make_engagement,
    make_session,
    one_on_one,
)
from cairn.lib import schedule
from cairn.mail.models import OutgoingEmail
from cairn.notifications.models import Channel, Kind, Notification, Preference
from cairn.people.models import Organisation, Person
from cairn.testing import Cast, count_queries, make_org, make_person

LONDON = ZoneInfo("Europe/London")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
CANARY = "CANARY-agenda-7f3e"

# Monday 7 December 2026 (London is on GMT: UTC+0).
MONDAY = dt.date(2026, 12, 7)


def at(day: dt.date, hour: int, minute: int = 0, zone: ZoneInfo = LONDON) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def reminders_for(person: Person, kind: str = Kind.SESSION_TOMORROW) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person, kind=kind).values_list("title", flat=True)
    )


def set_zone(person: Person, name: str) -> None:
    person.time_zone = name
    person.save(update_fields=["time_zone"])


# --- the day before a session -------------------------------------------------------


def test_both_parties_are_reminded_the_day_before_with_the_agenda_count(cast: Cast) -> None:
    session = make_session(
        one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10)
    )
    for text in (CANARY, "Second point", "Third point"):
        make_agenda_item(session, cast.report, text)
    assert session_reminders(at(MONDAY, 9)) == 2
    assert reminders_for(cast.report) == [
        "Your one-on-one with Maria Manager is tomorrow at 10:00 (3 agenda points)"
    ]
    assert reminders_for(cast.manager) == [
        "Your one-on-one with Riley Report is tomorrow at 10:00 (3 agenda points)"
    ]
    assert not Notification.objects.filter(title__contains=CANARY).exists()


@pytest.mark.parametrize(
    "now",
    [
        at(MONDAY - dt.timedelta(days=1), 9),  # two days before
        at(MONDAY, 7, 59),  # the day before, but before 08:00
        at(MONDAY + dt.timedelta(days=1), 9),  # the day itself
        at(MONDAY + dt.timedelta(days=1), 11),  # after it
    ],
)
def test_no_reminder_but_on_the_day_before(cast: Cast, now: dt.datetime) -> None:
    make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10))
    assert session_reminders(now) == 0
    assert reminders_for(cast.report) == []


def test_running_twice_reminds_once(cast: Cast) -> None:
    make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10))
    assert session_reminders(at(MONDAY, 9)) == 2
    assert session_reminders(at(MONDAY, 9, 5)) == 0
    assert schedule.run_all(at(MONDAY, 12))
    assert len(reminders_for(cast.report)) == 1
    assert len(reminders_for(cast.manager)) == 1


def test_the_reminder_says_the_time_in_the_recipients_zone(cast: Cast) -> None:
    # 10:00 in London on Tuesday is 19:00 in Tokyo, the same Tuesday: Tokyo's
    # Monday reaches 08:00 at 23:00 on Sunday in London.
    set_zone(cast.report, "Asia/Tokyo")
    make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10))
    session_reminders(at(MONDAY, 8, zone=TOKYO))
    assert reminders_for(cast.report) == [
        "Your one-on-one with Maria Manager is tomorrow at 19:00 (0 agenda points)"
    ]
    assert reminders_for(cast.manager) == []  # still Sunday night for the manager
    session_reminders(at(MONDAY, 9))
    assert reminders_for(cast.manager) == [
        "Your one-on-one with Riley Report is tomorrow at 10:00 (0 agenda points)"
    ]


def test_a_session_late_tomorrow_in_one_zone_is_the_day_after_in_another(cast: Cast) -> None:
    # 20:00 on Tuesday in London is 05:00 on Wednesday in Tokyo: not tomorrow there
    # on Monday, so the Tokyo party is told on Tuesday.
    set_zone(cast.report, "Asia/Tokyo")
    make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 20))
    session_reminders(at(MONDAY, 9))
    assert reminders_for(cast.report) == []
    assert len(reminders_for(cast.manager)) == 1
    session_reminders(at(MONDAY + dt.timedelta(days=1), 9, zone=TOKYO))
    assert reminders_for(cast.report) == [
        "Your one-on-one with Maria Manager is tomorrow at 05:00 (0 agenda points)"
    ]


def test_counseling_reminders_reach_its_two_parties_and_nobody_else(cast: Cast) -> None:
    # Every job runs, on a Wednesday (no weekly email to muddle who got what).
    counseling = make_engagement(cast.coach, cast.report, EngagementKind.COUNSELING)
    session = make_session(counseling, when=at(MONDAY + dt.timedelta(days=3), 10))
    make_agenda_item(session, cast.report, CANARY)
    before = set(Notification.objects.values_list("pk", flat=True))
    schedule.run_all(at(MONDAY + dt.timedelta(days=2), 9))
    told = Notification.objects.exclude(pk__in=before)
    assert set(told.values_list("recipient__name", flat=True)) == {
        cast.coach.name,
        cast.report.name,
    }
    assert set(told.values_list("title", flat=True)) == {
        "Your session with Riley Report is tomorrow at 10:00 (1 agenda point)",
        "Your session with Cody Coach is tomorrow at 10:00 (1 agenda point)",
    }
    recipients = set(OutgoingEmail.objects.values_list("to", flat=True))
    assert recipients <= {cast.coach.user.email, cast.report.user.email}
    for email in OutgoingEmail.objects.all():
        assert CANARY not in email.subject + email.text + email.html


def test_the_reminder_is_emailed_by_default_and_follows_the_persons_choice(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    Preference.objects.create(person=cast.manager, kind=Kind.SESSION_TOMORROW, channel=Channel.OFF)
    session = make_session(
        one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10)
    )
    make_agenda_item(session, cast.report, CANARY)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.run_job(
            next(job for job in schedule.jobs() if job.name == "coaching.session-reminders"),
            at(MONDAY, 9),
        )
    assert reminders_for(cast.manager) == []
    assert [message.to for message in mail.outbox] == [[cast.report.user.email]]
    message = mail.outbox[0]
    assert message.subject == (
        "Cairn: Your one-on-one with Maria Manager is tomorrow at 10:00 (1 agenda point)"
    )
    assert f"/sessions/{session.code}/" in message.body
    assert CANARY not in f"{message.subject} {message.body}"


def test_a_party_who_cannot_sign_in_is_not_reminded_and_the_other_still_is(cast: Cast) -> None:
    make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10))
    cast.manager.user.is_active = False
    cast.manager.user.save()
    assert session_reminders(at(MONDAY, 9)) == 1
    assert reminders_for(cast.manager) == []
    assert len(reminders_for(cast.report)) == 1


def test_a_second_scheduler_writing_between_look_and_write_tells_nobody_twice(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other scheduler has told the manager already, after this one looked for
    # the keys in use: the bulk write fails on the key, and one-by-one adds the rest.
    from cairn.coaching import reminders

    session = make_session(
        one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10)
    )
    Notification.objects.create(
        recipient=cast.manager,
        kind=Kind.SESSION_TOMORROW,
        title="told by the other scheduler",
        url="/",
        key=f"session-tomorrow:{session.pk}:{cast.manager.pk}:2026-12-08",
    )
    monkeypatch.setattr(reminders, "_used_keys", lambda model, keys: set())
    assert session_reminders(at(MONDAY, 9)) == 1
    assert reminders_for(cast.manager) == ["told by the other scheduler"]
    assert reminders_for(cast.report) == [
        "Your one-on-one with Maria Manager is tomorrow at 10:00 (0 agenda points)"
    ]
    told = Notification.objects.get(recipient=cast.report, kind=Kind.SESSION_TOMORROW)
    assert (told.subject_type, told.subject_id) == ("coaching.engagement", session.engagement_id)


def test_no_reminder_for_a_closed_engagement_or_a_completed_session(cast: Cast) -> None:
    engagement = make_engagement(cast.coach, cast.peer)
    make_session(engagement, when=at(MONDAY + dt.timedelta(days=1), 10), completed=True)
    assert session_reminders(at(MONDAY, 9)) == 0


# --- overdue action items -------------------------------------------------------------


def test_overdue_items_are_counted_once_a_day(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY, 10))
    for due in (MONDAY - dt.timedelta(days=3), MONDAY - dt.timedelta(days=1), MONDAY):
        make_action_item(session, cast.report, CANARY, due_on=due)
    assert overdue_items(at(MONDAY, 7)) == 0  # before 08:00
    assert overdue_items(at(MONDAY, 9)) == 1
    assert overdue_items(at(MONDAY, 18)) == 0
    assert reminders_for(cast.report, Kind.ITEMS_OVERDUE) == ["You have 2 overdue action items"]
    assert overdue_items(at(MONDAY + dt.timedelta(days=1), 9)) == 1
    assert reminders_for(cast.report, Kind.ITEMS_OVERDUE) == [
        "You have 3 overdue action items",
        "You have 2 overdue action items",
    ]
    assert not Notification.objects.filter(title__contains=CANARY).exists()


def test_overdue_counts_by_the_owners_own_today(cast: Cast) -> None:
    # At 09:00 Monday in Tokyo it is still Sunday in London: an item due on Sunday is
    # overdue for a Tokyo owner only.
    set_zone(cast.report, "Asia/Tokyo")
    session = make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY, 10))
    make_action_item(session, cast.report, due_on=MONDAY - dt.timedelta(days=1))
    make_action_item(session, cast.manager, due_on=MONDAY - dt.timedelta(days=1))
    overdue_items(at(MONDAY, 9, zone=TOKYO))
    assert reminders_for(cast.report, Kind.ITEMS_OVERDUE) == ["You have 1 overdue action item"]
    assert reminders_for(cast.manager, Kind.ITEMS_OVERDUE) == []


def test_done_items_are_not_overdue(cast: Cast) -> None:
    session = make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY, 10))
    item = make_action_item(session, cast.report, due_on=MONDAY - dt.timedelta(days=2))
    item.done_at = at(MONDAY, 1)
    item.save()
    assert overdue_items(at(MONDAY, 9)) == 0


# --- the Monday "your week" email ------------------------------------------------------


def test_your_week_arrives_at_monday_0700_in_each_persons_zone(cast: Cast) -> None:
    set_zone(cast.report, "Asia/Tokyo")
    set_zone(cast.peer, "America/Los_Angeles")

    def got_it(person: Person) -> bool:
        return OutgoingEmail.objects.filter(key__startswith=f"your-week:{person.pk}:").exists()

    weekly_digest(at(MONDAY, 6, 59, zone=TOKYO))
    assert not got_it(cast.report)
    weekly_digest(at(MONDAY, 7, zone=TOKYO))
    assert got_it(cast.report)
    assert not got_it(cast.peer)
    assert not got_it(cast.manager)  # Sunday 22:00 in London
    weekly_digest(at(MONDAY, 7))
    assert got_it(cast.manager)
    assert not got_it(cast.peer)  # Sunday 23:00 in Los Angeles
    weekly_digest(at(MONDAY, 6, 59, zone=LOS_ANGELES))
    assert not got_it(cast.peer)
    weekly_digest(at(MONDAY, 7, zone=LOS_ANGELES))
    assert got_it(cast.peer)
    assert OutgoingEmail.objects.filter(key=f"your-week:{cast.peer.pk}:2026-W50").exists()
    # Later passes that Monday, and Tuesday, add nothing.
    count = OutgoingEmail.objects.count()
    weekly_digest(at(MONDAY, 15))
    weekly_digest(at(MONDAY + dt.timedelta(days=1), 7))
    assert OutgoingEmail.objects.count() == count


def test_your_week_lists_the_weeks_sessions_and_counts_open_items(cast: Cast) -> None:
    set_zone(cast.report, "Asia/Tokyo")
    one_on_one_session = make_session(
        one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=2), 10)
    )
    coaching = make_engagement(cast.coach, cast.report)
    make_session(coaching, when=at(MONDAY + dt.timedelta(days=9), 10))  # next week
    make_agenda_item(one_on_one_session, cast.report, CANARY)
    make_action_item(one_on_one_session, cast.report, CANARY, due_on=MONDAY)
    make_action_item(one_on_one_session, cast.report, due_on=MONDAY + dt.timedelta(days=3))
    weekly_digest(at(MONDAY, 7, zone=TOKYO))
    email = OutgoingEmail.objects.get(key=f"your-week:{cast.report.pk}:2026-W50")
    assert email.to == cast.report.user.email
    assert email.subject == "Cairn: your week — 1 session, 2 open action items"
    assert (
        "Wednesday 9 December at 19:00: one-on-one with Maria Manager — "
        f"{settings.CAIRN_BASE_URL}/sessions/{one_on_one_session.code}/" in email.text
    )
    assert "Cody Coach" not in email.text
    assert "Times are in Asia/Tokyo" in email.text
    assert CANARY not in email.subject + email.text + email.html


def test_your_week_for_a_person_with_nothing_on(cast: Cast) -> None:
    weekly_digest(at(MONDAY, 7))
    email = OutgoingEmail.objects.get(key=f"your-week:{cast.hr.pk}:2026-W50")
    assert "No sessions this week." in email.text
    assert email.subject == "Cairn: your week — 0 sessions, 0 open action items"


def test_your_week_is_not_sent_to_people_who_cannot_sign_in(cast: Cast) -> None:
    cast.peer.user.is_active = False
    cast.peer.user.save()
    weekly_digest(at(MONDAY, 7))
    assert not OutgoingEmail.objects.filter(key__startswith=f"your-week:{cast.peer.pk}:").exists()


def test_the_organisations_zone_is_the_default(cast: Cast) -> None:
    org = make_org("Far East")
    org.time_zone = "Asia/Tokyo"
    org.save()
    person = make_person(Organisation.objects.get(pk=org.pk), "Kenji Far")
    weekly_digest(at(MONDAY, 7, zone=TOKYO))
    assert OutgoingEmail.objects.filter(key=f"your-week:{person.pk}:2026-W50").exists()


# --- the daily digest hook ----------------------------------------------------------------


def test_the_daily_digest_is_asked_for_at_0700_for_people_with_digest_notifications(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    # ``cairn.notifications.digest`` belongs to the notifications app; a stand-in
    # records what the scheduler asks of it.
    asked: list[tuple[str, dt.date]] = []
    stand_in = types.ModuleType("cairn.notifications.digest")
    stand_in.send_digest = lambda person, day: asked.append((person.name, day))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cairn.notifications.digest", stand_in)
    set_zone(cast.report, "Asia/Tokyo")
    for person, kind in (
        (cast.report, Kind.ITEMS_OVERDUE),  # the digest by default
        (cast.manager, Kind.ITEMS_OVERDUE),
        (cast.peer, Kind.ACTION_ASSIGNED),  # in Cairn only, by default
    ):
        Notification.objects.create(
            recipient=person,
            kind=kind,
            title="t",
            url="/",
            key=f"k{person.pk}",
            created_at=at(MONDAY, 1, zone=TOKYO),
        )
    Preference.objects.create(person=cast.manager, kind=Kind.ITEMS_OVERDUE, channel=Channel.IN_APP)
    assert daily_digest(at(MONDAY, 6, 30, zone=TOKYO)) == 0
    assert daily_digest(at(MONDAY, 7, 30, zone=TOKYO)) == 1
    assert asked == [(cast.report.name, MONDAY)]
    assert daily_digest(at(MONDAY, 8, 30, zone=TOKYO)) == 0


def test_without_the_digest_module_the_hook_does_nothing(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cairn.notifications.digest", None)
    Notification.objects.create(
        recipient=cast.report,
        kind=Kind.ITEMS_OVERDUE,
        title="t",
        url="/",
        key="k",
        created_at=at(MONDAY, 6),
    )
    assert daily_digest(at(MONDAY, 7, 30)) == 0


# --- the scheduler's pass: its cost, and the command ------------------------------------


def busy_world(size: int) -> None:
    """``size`` pairs, each with a session tomorrow with agenda points and an overdue
    item, in two time zones."""
    org = make_org()
    for n in range(size):
        manager = make_person(org, f"Manager {n}")
        report = make_person(org, f"Report {n}", manager=manager)
        if n % 2:
            set_zone(report, "Asia/Tokyo")
        session = make_session(
            one_on_one(manager, report), when=at(MONDAY + dt.timedelta(days=1), 12)
        )
        make_agenda_item(session, report, CANARY)
        make_action_item(session, report, due_on=MONDAY - dt.timedelta(days=2))


@pytest.mark.parametrize("job", ["session_reminders", "overdue_items", "weekly_digest"])
def test_a_pass_costs_the_same_queries_for_2_and_50_people(db: None, job: str) -> None:
    # 1 pair and 25 pairs. (Past about 90 rows, SQLite splits a bulk insert into
    # batches, for its 999-variable limit: one more insert per 90 or so people, never
    # one per person; PostgreSQL inserts them in one. bench/scheduler.py shows 10,000.)
    jobs = {
        "session_reminders": session_reminders,
        "overdue_items": overdue_items,
        "weekly_digest": weekly_digest,
    }
    # Monday 12:00 UTC: 21:00 in Tokyo, so every job is due for everyone.
    now = at(MONDAY, 12)
    counts = []
    for size in (1, 25):
        Notification.objects.all().delete()
        OutgoingEmail.objects.all().delete()
        busy_world(size)
        counts.append(count_queries(lambda: jobs[job](now)))
        # What was made is there; a second pass makes nothing, in as few queries.
        assert jobs[job](now) == 0
    assert counts[0] == counts[1], counts
    # At most 9: the reminders also read their email recipients, once per 500 people.
    assert counts[0] <= 9


def test_the_scheduler_command_runs_every_job_once(
    cast: Cast, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("scheduler", "--once")
    out = capsys.readouterr().out
    assert "coaching.session-reminders" in out
    assert "coaching.weekly-digest" in out


def test_the_scheduler_runs_the_jobs_then_sleeps_until_stopped(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_session(one_on_one(cast.manager, cast.report), when=at(MONDAY + dt.timedelta(days=1), 10))

    def stop(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("cairn.lib.management.commands.scheduler.time.sleep", stop)
    monkeypatch.setattr(timezone, "now", lambda: at(MONDAY, 9))
    call_command("scheduler")
    assert "Scheduler stopped." in capsys.readouterr().out
    assert len(reminders_for(cast.report)) == 1


def test_a_failing_job_is_logged_and_the_others_still_run(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[str] = []

    def broken(now: dt.datetime) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(schedule, "_jobs", {})
    schedule.periodic("a.broken")(broken)
    schedule.periodic("b.fine")(lambda now: ran.append("fine"))
    last: dict[str, dt.datetime] = {}
    assert schedule.run_due(at(MONDAY, 9), last) == ["a.broken", "b.fine"]
    assert ran == ["fine"]
    # Within the minute nothing is due again; a minute later both are.
    assert schedule.run_due(at(MONDAY, 9, 0) + dt.timedelta(seconds=30), last) == []
    assert schedule.run_due(at(MONDAY, 9, 1), last) == ["a.broken", "b.fine"]


def test_a_job_runs_no_more_often_than_once_a_minute() -> None:
    with pytest.raises(ValueError, match="once a minute"):
        schedule.periodic("too.often", every=dt.timedelta(seconds=10))
