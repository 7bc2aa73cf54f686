"""Reminders and digests, run by the scheduler (``cairn.lib.schedule``;
``python -m cairn scheduler``):

* ``session_reminders`` — the day before a session, from 08:00 in each party's own
  time zone, each party is told ``Kind.SESSION_TOMORROW``: the other party's name,
  the time in the recipient's zone and the number of agenda points, never their text;
* ``overdue_items`` — once a day, from 08:00 in the owner's zone, the number of their
  overdue action items (``Kind.ITEMS_OVERDUE``);
* ``weekly_digest`` — on Monday from 07:00 in each person's zone, the "your week"
  email: this week's sessions (time, the other party's name, a link) and how many
  action items are open;
* ``daily_digest`` — the hook for ``cairn.notifications.digest.send_digest(person,
  day)``, called at 07:00 in each zone for people with digest notifications waiting.

Each names what it queues by a unique key (``session-tomorrow:<session>:<person>:
<date>``, ``items-overdue:<person>:<date>``, ``your-week:<person>:<iso week>``), so
a pass run twice, or by two schedulers, tells nobody twice.

A pass does not ask the database once per person: it reads what is due for everyone
at once (sessions in the next two days with their agenda counts, open items counted
per owner, people grouped by time zone), decides in memory who is due in their own
zone, looks up the keys already used and writes what is new in bulk, in batches of
``BATCH`` people. Emails go one background job each (``cairn.mail``), enqueued when
the pass commits.

Only the two parties of a session are ever told of it: the recipients are read from
the engagement's giver and receiver, for every kind, counseling included.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse

from cairn.coaching.models import (
    ActionItem,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Session,
)
from cairn.lib.schedule import periodic
from cairn.mail.models import OutgoingEmail
from cairn.notifications.emails import notification_email
from cairn.notifications.models import (
    DEFAULT_CHANNEL,
    Channel,
    Kind,
    Notification,
    Preference,
)
from cairn.notifications.services import notify
from cairn.people.models import Person, effective_time_zone

log = logging.getLogger(__name__)

REMIND_FROM = dt.time(8, 0)
WEEK_STARTS_AT = dt.time(7, 0)
DIGEST_AT = dt.time(7, 0)
BATCH = 500

T = TypeVar("T")

# How a session is named to its parties. A counseling session is only "a session":
# the subject line of an email can be read over a shoulder.
SESSION_WORDS = {
    EngagementKind.ONE_ON_ONE: "one-on-one",
    EngagementKind.COACHING: "coaching session",
    EngagementKind.COMPETENCY_COACHING: "coaching session",
    EngagementKind.MENTORING: "mentoring session",
    EngagementKind.COUNSELING: "session",
}


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local(moment: dt.datetime, person_zone: str, organisation_zone: str) -> dt.datetime:
    return moment.astimezone(_zone(effective_time_zone(person_zone, organisation_zone)))


def _chunks(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _time(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def _link(url: str) -> str:
    return f"{settings.CAIRN_BASE_URL}{url}"


_PLACEHOLDER = uuid.UUID(int=0)


@cache
def _session_url_pattern() -> str:
    return reverse("coaching:session", args=[_PLACEHOLDER])


def _session_url(code: uuid.UUID) -> str:
    """``reverse("coaching:session", …)``, resolved once per process rather than once
    per session (a pass may name thousands)."""
    return _session_url_pattern().replace(str(_PLACEHOLDER), str(code))


def _used_keys(model: type[Notification] | type[OutgoingEmail], keys: Sequence[str]) -> set[str]:
    used: set[str] = set()
    for chunk in _chunks(keys):
        used.update(model.objects.filter(key__in=chunk).values_list("key", flat=True))
    return used


# --- telling people, in bulk -----------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One notification to make: to whom, and what it says (names and counts only)."""

    recipient_id: int
    email: str
    key: str
    title: str
    url: str
    subject_type: str = ""
    subject_id: int | None = None


def _tell(kind: Kind, due: list[Due], now: dt.datetime) -> int:
    """Make the notifications of ``due`` whose keys are new, as ``notify`` would (the
    recipient's channel for the kind; off: nothing; email: an email at once), in a
    few queries for all of them. Returns how many were made."""
    used = _used_keys(Notification, [item.key for item in due])
    due = [item for item in due if item.key not in used]
    if not due:
        return 0
    chosen: dict[int, str] = {}
    for chunk in _chunks(sorted({item.recipient_id for item in due})):
        chosen.update(
            Preference.objects.filter(person_id__in=chunk, kind=kind).values_list(
                "person_id", "channel"
            )
        )
    channel = {item.key: chosen.get(item.recipient_id, DEFAULT_CHANNEL[kind]) for item in due}
    due = [item for item in due if channel[item.key] != Channel.OFF]
    rows = [
        Notification(
            recipient_id=item.recipient_id,
            kind=kind,
            title=item.title[:200],
            url=item.url[:300],
            subject_type=item.subject_type,
            subject_id=item.subject_id,
            key=item.key[:200],
            created_at=now,
        )
        for item in due
    ]
    try:
        with transaction.atomic():
            made = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another scheduler wrote some of these keys between our look and our write:
        # one at a time then, each through ``notify``, which keeps the first.
        return _tell_one_by_one(kind, due)
    by_key = {item.key: item for item in due}
    wanted = [
        notification
        for notification in made
        if channel[notification.key] == Channel.EMAIL and by_key[notification.key].email
    ]
    # The same email as ``notify`` sends at once: the templates, in the recipient's
    # time zone (their people read in one query per chunk).
    recipients: dict[int, Person] = {}
    for chunk in _chunks(sorted({n.recipient_id for n in wanted})):
        recipients.update(Person.objects.select_related("user", "organisation").in_bulk(chunk))
    emails = []
    for notification in wanted:
        subject, text, html = notification_email(
            notification, recipients[notification.recipient_id]
        )
        emails.append(
            OutgoingEmail(
                key=f"notification:{notification.pk}",
                to=by_key[notification.key].email,
                subject=subject,
                text=text,
                html=html,
            )
        )
    _queue(emails)
    log.info("reminders.told kind=%s notifications=%s emails=%s", kind, len(made), len(emails))
    return len(made)


def _tell_one_by_one(kind: Kind, due: list[Due]) -> int:
    people = Person.objects.select_related("user").in_bulk({item.recipient_id for item in due})
    # Every subject here is an engagement (``session_reminders``) or nothing.
    engagements = Engagement.objects.in_bulk(
        {item.subject_id for item in due if item.subject_id is not None}
    )
    made = 0
    for item in due:
        recipient = people.get(item.recipient_id)
        if recipient is None:
            continue
        subject = engagements.get(item.subject_id) if item.subject_id else None
        if notify(recipient, kind, title=item.title, url=item.url, key=item.key, subject=subject):
            made += 1
    return made


def _queue(emails: list[OutgoingEmail]) -> None:
    """Queue ``emails`` as ``cairn.mail.services.queue_email`` does, in one insert:
    each is sent by its own job once the pass commits. A key already queued (a
    second scheduler's) is skipped, and its job then finds no row and sends nothing."""
    if not emails:
        return
    OutgoingEmail.objects.bulk_create(emails, ignore_conflicts=True)
    codes = [str(email.code) for email in emails]

    def enqueue() -> None:
        from cairn.mail.tasks import send_email

        for code in codes:
            send_email.enqueue(code)

    transaction.on_commit(enqueue)


# --- the day before a session ------------------------------------------------------

_PARTY_FIELDS = ("id", "name", "time_zone", "organisation__time_zone", "user__email")


def _party_values(side: str) -> list[str]:
    return [f"engagement__{side}__{field}" for field in _PARTY_FIELDS]


@periodic("coaching.session-reminders", every=dt.timedelta(minutes=5))
def session_reminders(now: dt.datetime) -> int:
    """Tell both parties of each session that is tomorrow in their own zone, once
    their day has reached 08:00. Returns how many notifications it made."""
    sessions = (
        Session.objects.upcoming()
        .filter(scheduled_for__gt=now, scheduled_for__lte=now + dt.timedelta(days=2))
        .exclude(engagement__status=EngagementStatus.CLOSED)
        .values(
            "id",
            "code",
            "scheduled_for",
            "engagement_id",
            "engagement__kind",
            *_party_values("giver"),
            *_party_values("receiver"),
        )
        .annotate(agenda_points=Count("agenda_items"))
        .order_by("scheduled_for", "id")
    )
    due: list[Due] = []
    for row in sessions:
        for side, other in (("giver", "receiver"), ("receiver", "giver")):
            me = {field: row[f"engagement__{side}__{field}"] for field in _PARTY_FIELDS}
            local_now = _local(now, me["time_zone"], me["organisation__time_zone"])
            starts = _local(row["scheduled_for"], me["time_zone"], me["organisation__time_zone"])
            if starts.date() != local_now.date() + dt.timedelta(days=1):
                continue
            if local_now.time() < REMIND_FROM:
                continue
            words = SESSION_WORDS.get(row["engagement__kind"], "session")
            other_name = row[f"engagement__{other}__name"]
            points = _plural(row["agenda_points"], "agenda point")
            due.append(
                Due(
                    recipient_id=me["id"],
                    email=me["user__email"],
                    key=f"session-tomorrow:{row['id']}:{me['id']}:{starts.date().isoformat()}",
                    title=(
                        f"Your {words} with {other_name} is tomorrow at {_time(starts)} ({points})"
                    ),
                    url=_session_url(row["code"]),
                    subject_type="coaching.engagement",
                    subject_id=row["engagement_id"],
                )
            )
    # Inactive recipients are dropped here rather than in SQL, where it would need a
    # join per party; ``_active`` is one query for the whole pass.
    return _tell(Kind.SESSION_TOMORROW, _active(due), now)


def _active(due: list[Due]) -> list[Due]:
    ids = sorted({item.recipient_id for item in due})
    active: set[int] = set()
    for chunk in _chunks(ids):
        active.update(Person.objects.active().filter(pk__in=chunk).values_list("pk", flat=True))
    return [item for item in due if item.recipient_id in active]


# --- overdue action items ---------------------------------------------------------


@periodic("coaching.overdue-items", every=dt.timedelta(minutes=15))
def overdue_items(now: dt.datetime) -> int:
    """Once a day per person, from 08:00 in their zone: how many of their action items
    are overdue (due before their today, not done). Returns how many were told."""
    # Somewhere on Earth it is the day before, the same day or the day after UTC's:
    # count the items due before each of the three, and pick per owner.
    utc_today = now.astimezone(dt.UTC).date()
    days = [utc_today + dt.timedelta(days=offset) for offset in (-1, 0, 1)]
    owners = (
        ActionItem.objects.open()
        .exclude(engagement__status=EngagementStatus.CLOSED)
        .filter(due_on__lt=days[-1], owner__user__is_active=True)
        .values(
            "owner_id", "owner__time_zone", "owner__organisation__time_zone", "owner__user__email"
        )
        .annotate(
            **{
                f"before_{index}": Count("id", filter=Q(due_on__lt=day))
                for index, day in enumerate(days)
            }
        )
        .order_by("owner_id")
    )
    due: list[Due] = []
    url = reverse("home")
    for row in owners:
        local_now = _local(now, row["owner__time_zone"], row["owner__organisation__time_zone"])
        if local_now.time() < REMIND_FROM:
            continue
        count = row[f"before_{days.index(local_now.date())}"]
        if not count:
            continue
        due.append(
            Due(
                recipient_id=row["owner_id"],
                email=row["owner__user__email"],
                key=f"items-overdue:{row['owner_id']}:{local_now.date().isoformat()}",
                title=f"You have {_plural(count, 'overdue action item')}",
                url=url,
            )
        )
    return _tell(Kind.ITEMS_OVERDUE, due, now)


# --- the weekly "your week" email ----------------------------------------------------


def _zones_where(now: dt.datetime, is_due: Any) -> Q | None:
    """A filter for the active people whose own zone makes ``is_due(local_now)``
    true, found from the (person zone, organisation zone) pairs in use — a handful,
    in one query — rather than person by person."""
    # ``order_by()``: a person's default ordering (by name) would join the DISTINCT.
    pairs = (
        Person.objects.active()
        .values_list("time_zone", "organisation__time_zone")
        .order_by()
        .distinct()
    )
    due = Q()
    found = False
    for person_zone, organisation_zone in pairs:
        if is_due(_local(now, person_zone, organisation_zone)):
            due |= Q(time_zone=person_zone, organisation__time_zone=organisation_zone)
            found = True
    return due if found else None


def _week_of(local_now: dt.datetime) -> str:
    year, week, _ = local_now.isocalendar()
    return f"{year}-W{week:02d}"


@periodic("coaching.weekly-digest", every=dt.timedelta(minutes=5))
def weekly_digest(now: dt.datetime) -> int:
    """On Monday from 07:00 in each person's zone, their "your week" email. Returns
    how many it queued."""
    zones = _zones_where(now, lambda local: local.weekday() == 0 and local.time() >= WEEK_STARTS_AT)
    if zones is None:
        return 0
    people: list[dict[str, Any]] = [
        dict(row)
        for row in Person.objects.active()
        .filter(zones)
        .exclude(user__email="")
        .values("id", "name", "time_zone", "organisation__time_zone", "user__email")
        .order_by("id")
    ]
    queued = 0
    for batch in _chunks(people):
        queued += _weekly_batch(list(batch), now)
    return queued


def _weekly_batch(people: list[dict[str, Any]], now: dt.datetime) -> int:
    weeks: dict[int, tuple[dt.datetime, dt.datetime, str]] = {}
    for person in people:
        local_now = _local(now, person["time_zone"], person["organisation__time_zone"])
        monday = dt.datetime.combine(local_now.date(), dt.time(0), tzinfo=local_now.tzinfo)
        weeks[person["id"]] = (monday, monday + dt.timedelta(days=7), _week_of(local_now))
    key = {pid: f"your-week:{pid}:{week}" for pid, (_, _, week) in weeks.items()}
    used = _used_keys(OutgoingEmail, list(key.values()))
    people = [person for person in people if key[person["id"]] not in used]
    if not people:
        return 0
    ids = [person["id"] for person in people]
    earliest = min(weeks[pid][0] for pid in ids)
    latest = max(weeks[pid][1] for pid in ids)
    sessions: dict[int, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Session.objects.filter(scheduled_for__gte=earliest, scheduled_for__lt=latest)
        # Cancelled and skipped sessions will not be held: not part of the week.
        .filter(cancelled_at__isnull=True)
        .exclude(engagement__status=EngagementStatus.CLOSED)
        .filter(Q(engagement__giver_id__in=ids) | Q(engagement__receiver_id__in=ids))
        .values(
            "code",
            "scheduled_for",
            "engagement__kind",
            "engagement__giver_id",
            "engagement__giver__name",
            "engagement__receiver_id",
            "engagement__receiver__name",
        )
        .order_by("scheduled_for", "id")
    )
    for values in rows:
        row: dict[str, Any] = dict(values)
        for side, other in (("giver", "receiver"), ("receiver", "giver")):
            sessions[row[f"engagement__{side}_id"]].append(
                {**row, "other_name": row[f"engagement__{other}__name"]}
            )
    open_items = dict(
        ActionItem.objects.open()
        .exclude(engagement__status=EngagementStatus.CLOSED)
        .filter(owner_id__in=ids)
        .values("owner_id")
        .annotate(count=Count("id"))
        .values_list("owner_id", "count")
    )
    emails = []
    for person in people:
        start, end, _ = weeks[person["id"]]
        mine = [row for row in sessions[person["id"]] if start <= row["scheduled_for"] < end]
        emails.append(
            _your_week_email(
                person, key[person["id"]], start, mine, open_items.get(person["id"], 0)
            )
        )
    _queue(emails)
    log.info("reminders.your_week emails=%s", len(emails))
    return len(emails)


def _your_week_email(
    person: dict[str, Any],
    key: str,
    monday: dt.datetime,
    sessions: Iterable[dict[str, Any]],
    open_items: int,
) -> OutgoingEmail:
    """Times, the other party's name and a link per session, and a count of open
    items: never an agenda, a note or an item's text."""
    zone = monday.tzinfo
    lines = [f"Your week in Cairn, from Monday {monday.day} {monday:%B %Y}", ""]
    listed = list(sessions)
    if listed:
        lines.append("Your sessions this week:")
        for row in listed:
            starts = row["scheduled_for"].astimezone(zone)
            words = SESSION_WORDS.get(row["engagement__kind"], "session")
            link = _link(_session_url(row["code"]))
            lines.append(
                f"- {starts:%A} {starts.day} {starts:%B} at {_time(starts)}: "
                f"{words} with {row['other_name']} — {link}"
            )
    else:
        lines.append("No sessions this week.")
    lines += [
        "",
        f"Open action items: {open_items} — {_link(reverse('home'))}",
        "",
        f"Times are in {zone}. Change your time zone: {_link(reverse('people:time-zone'))}",
    ]
    subject = (
        f"Cairn: your week — {_plural(len(listed), 'session')}, "
        f"{_plural(open_items, 'open action item')}"
    )
    return OutgoingEmail(
        key=key, to=person["user__email"], subject=subject, text="\n".join(lines) + "\n"
    )


# --- the daily digest (notifications) -------------------------------------------------

DIGEST_MODULE = "cairn.notifications.digest"


@periodic("notifications.daily-digest", every=dt.timedelta(hours=1))
def daily_digest(now: dt.datetime) -> int:
    """The hook for the daily digest: at 07:00 in each person's zone (the hourly run
    that falls in 07:00 to 07:59), ``send_digest(person, day)`` for everyone with unread
    notifications of the last two days on the digest channel. ``send_digest`` (in
    ``cairn.notifications.digest``) decides what goes in and sends at most one email
    per person and day. Until that module exists, this does nothing."""
    try:
        send_digest = importlib.import_module(DIGEST_MODULE).send_digest
    except (ImportError, AttributeError):
        log.info("reminders.daily_digest_missing module=%s", DIGEST_MODULE)
        return 0
    waiting = (
        Notification.objects.unread()
        .filter(created_at__gte=now - dt.timedelta(days=2), recipient__user__is_active=True)
        .values_list(
            "recipient_id", "kind", "recipient__time_zone", "recipient__organisation__time_zone"
        )
        .order_by()
        .distinct()
    )
    days: dict[int, dt.date] = {}
    kinds: dict[int, set[str]] = defaultdict(set)
    for recipient_id, kind, person_zone, organisation_zone in waiting:
        local_now = _local(now, person_zone, organisation_zone)
        if DIGEST_AT <= local_now.time() < dt.time(DIGEST_AT.hour + 1):
            days[recipient_id] = local_now.date()
            kinds[recipient_id].add(kind)
    chosen: dict[tuple[int, str], str] = {}
    for chunk in _chunks(sorted(days)):
        chosen.update(
            ((person_id, kind), channel)
            for person_id, kind, channel in Preference.objects.filter(
                person_id__in=chunk
            ).values_list("person_id", "kind", "channel")
        )
    wanted = [
        person_id
        for person_id, person_kinds in kinds.items()
        if any(
            chosen.get((person_id, kind), DEFAULT_CHANNEL.get(kind)) == Channel.DIGEST
            for kind in person_kinds
        )
    ]
    people = Person.objects.select_related("user", "organisation").in_bulk(wanted)
    for person_id in wanted:
        send_digest(people[person_id], days[person_id])
    return len(wanted)
