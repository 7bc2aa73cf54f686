"""The demo organisation: Northwind Engineering, with a year of coaching behind it.

``make run`` builds it on every start, so it has to be quick and idempotent: people,
teams and engagements go through the services (reporting lines then start the
manager one-on-ones by themselves), and the year of sessions, agenda items, notes
and action items is written with ``bulk_create`` — thousands of rows in a handful of
queries. Everything comes from ``random.Random(SEED)`` and dates relative to ``now``,
so two builds on the same day are identical.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import random
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cairn.coaching import services as coaching
from cairn.coaching.builtin_templates import sync_builtin_templates
from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Cadence,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    NoteVisibility,
    Session,
    SessionTemplate,
    TemplateSection,
)
from cairn.coaching.nudges import looks_like_status_report
from cairn.demo.texts import STATUS_AGENDA, THEMES, Theme
from cairn.people import services as people
from cairn.people.models import Organisation, Person, User
from cairn.people.seeding import DemoContext

SEED = 42
DEMO_NAME = "Northwind Engineering"
DEMO_SLUG = "northwind"
# Public on purpose: the demo is for trying Cairn out. It passes Django's password
# validators (a test checks), although set_password does not run them.
DEMO_PASSWORD = "cairn-demo"  # noqa: S105
DEMO_URL = "http://127.0.0.1:8000"
EMAIL_DOMAIN = "northwind.example"

YEAR = dt.timedelta(days=365)
UPCOMING_WITHIN_DAYS = 7
SESSION_HOURS = (dt.time(9, 30), dt.time(10), dt.time(11), dt.time(13, 30), dt.time(14, 30))
QUARTERLY_EVERY = 13  # one-on-ones: every 13th weekly beat uses "Strengths first"


# --- who works at Northwind ----------------------------------------------------------


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    title: str
    team: str
    manager: str | None  # the manager's username
    joined_days_ago: int = 1200
    is_org_admin: bool = False
    is_program_admin: bool = False


OFFICE, PLATFORM, PAYMENTS, MOBILE, DATA = (
    "Engineering Office",
    "Platform",
    "Payments",
    "Mobile",
    "Data",
)
TICKET_PREFIX = {OFFICE: "ENG", PLATFORM: "PLAT", PAYMENTS: "PAY", MOBILE: "MOB", DATA: "DATA"}


def _team(
    team: str, manager: str, members: Sequence[tuple[str, str, str, int]]
) -> tuple[Member, ...]:
    return tuple(
        Member(username, name, title, team, manager, joined)
        for username, name, title, joined in members
    )


ROSTER: tuple[Member, ...] = (
    Member(
        "amara",
        "Amara Okafor",
        "Director of Engineering",
        OFFICE,
        None,
        2900,
        is_program_admin=True,
    ),
    Member(
        "priya",
        "Priya Nair",
        "People Operations Partner",
        OFFICE,
        "amara",
        1500,
        is_org_admin=True,
    ),
    Member("tomasz", "Tomasz Kowalski", "Principal Engineer", OFFICE, "amara", 2600),
    Member("grace", "Grace Whitfield", "Engineering Coach", OFFICE, "amara", 900),
    Member("marcus", "Marcus Chen", "Engineering Manager, Platform", PLATFORM, "amara", 2100),
    Member("nadia", "Nadia Haddad", "Engineering Manager, Payments", PAYMENTS, "amara", 1700),
    Member("lucas", "Lucas Ferreira", "Engineering Manager, Mobile", MOBILE, "amara", 1300),
    Member("rebecca", "Rebecca Holm", "Engineering Manager, Data", DATA, "amara", 1900),
    *_team(
        PLATFORM,
        "marcus",
        (
            ("sofia", "Sofia Alvarez", "Staff Engineer", 2300),
            ("jamal", "Jamal Bakr", "Senior Engineer", 1600),
            ("ingrid", "Ingrid Larsen", "Senior Site Reliability Engineer", 1400),
            ("kenji", "Kenji Watanabe", "Engineer", 800),
            ("olivia", "Olivia Brennan", "Engineer", 1000),
            ("ravi", "Ravi Menon", "Engineer", 700),
            ("hannah", "Hannah Vogel", "Engineer", 600),
            ("leo", "Leo Martins", "Graduate Engineer", 210),
        ),
    ),
    *_team(
        PAYMENTS,
        "nadia",
        (
            ("daniel", "Daniel Mensah", "Staff Engineer", 2000),
            ("elena", "Elena Petrova", "Senior Engineer", 1500),
            ("samuel", "Samuel Adeyemi", "Senior Engineer", 1100),
            ("chloe", "Chloe Dubois", "Engineer", 900),
            ("mateo", "Mateo Rossi", "Engineer", 520),
            ("aisha", "Aisha Rahman", "Engineer", 450),
            ("finn", "Finn O'Connor", "Engineer", 400),
            ("yuki", "Yuki Tanaka", "Graduate Engineer", 120),
        ),
    ),
    *_team(
        MOBILE,
        "lucas",
        (
            ("zara", "Zara Ahmed", "Senior Engineer, iOS", 1250),
            ("oscar", "Oscar Lindqvist", "Senior Engineer, Android", 1000),
            ("maya", "Maya Goldberg", "Mobile Engineer", 750),
            ("theo", "Theo Nakamura", "Mobile Engineer", 640),
            ("imani", "Imani Okoro", "Mobile Engineer", 480),
            ("noah", "Noah Fischer", "Mobile Engineer", 900),
            ("kofi", "Kofi Boateng", "Mobile Engineer", 150),
            ("lily", "Lily Zhang", "Junior Mobile Engineer", 380),
        ),
    ),
    *_team(
        DATA,
        "rebecca",
        (
            ("arjun", "Arjun Patel", "Staff Data Engineer", 1800),
            ("freya", "Freya Jensen", "Senior Data Engineer", 1300),
            ("diego", "Diego Navarro", "Data Engineer", 700),
            ("amelia", "Amelia Scott", "Data Engineer", 560),
            ("kwame", "Kwame Asante", "Analytics Engineer", 820),
            ("sara", "Sara Lindgren", "Machine Learning Engineer", 640),
            ("ines", "Ines Moreau", "Data Engineer", 300),
            ("ben", "Ben Carter", "Data Engineer", 95),
        ),
    ),
)


# --- engagements beyond the manager one-on-ones -------------------------------------


@dataclass(frozen=True)
class Plan:
    """An engagement someone proposed and the other accepted (or not yet)."""

    kind: str
    giver: str
    receiver: str
    proposer: str
    theme: str
    cadence: str
    template: str
    sessions: int  # sessions already held
    status: str = EngagementStatus.ACTIVE
    ended_days_ago: int = 0  # closed engagements: when the last session was


PLANS: tuple[Plan, ...] = (
    # Grace, the internal coach, coaches two managers and a senior engineer.
    Plan(EngagementKind.COACHING, "grace", "marcus", "marcus", "coaching",
         Cadence.EVERY_FOUR_WEEKS, "grow", 6),
    Plan(EngagementKind.COACHING, "grace", "nadia", "grace", "coaching",
         Cadence.FORTNIGHTLY, "strengths-first", 5),
    Plan(EngagementKind.COACHING, "grace", "zara", "zara", "coaching",
         Cadence.FORTNIGHTLY, "grow", 4),
    # Staff engineers coach peers on a competency.
    Plan(EngagementKind.COMPETENCY_COACHING, "daniel", "mateo", "mateo", "competency",
         Cadence.FORTNIGHTLY, "why-what-how", 6),
    Plan(EngagementKind.COMPETENCY_COACHING, "arjun", "kwame", "arjun", "competency",
         Cadence.FORTNIGHTLY, "strengths-first", 5),
    # Mentoring crosses teams.
    Plan(EngagementKind.MENTORING, "tomasz", "ravi", "ravi", "mentoring",
         Cadence.EVERY_FOUR_WEEKS, "why-what-how", 7),
    Plan(EngagementKind.MENTORING, "tomasz", "imani", "imani", "mentoring",
         Cadence.FORTNIGHTLY, "inspire", 5),
    Plan(EngagementKind.MENTORING, "sofia", "diego", "diego", "mentoring",
         Cadence.EVERY_FOUR_WEEKS, "why-what-how", 5),
    Plan(EngagementKind.MENTORING, "freya", "yuki", "yuki", "mentoring",
         Cadence.FORTNIGHTLY, "inspire", 4),
    # Reverse mentoring: a junior engineer mentors the director.
    Plan(EngagementKind.MENTORING, "lily", "amara", "amara", "reverse_mentoring",
         Cadence.EVERY_FOUR_WEEKS, "inspire", 5),
    # Counseling: its existence stays between the two of them.
    Plan(EngagementKind.COUNSELING, "lucas", "noah", "lucas", "counseling",
         Cadence.FORTNIGHTLY, "grow", 4),
    # A graduate's first-months mentoring, finished a month ago.
    Plan(EngagementKind.MENTORING, "elena", "leo", "leo", "mentoring",
         Cadence.FORTNIGHTLY, "inspire", 6, EngagementStatus.CLOSED, 30),
    # Asked for, not yet accepted.
    Plan(EngagementKind.MENTORING, "arjun", "hannah", "hannah", "mentoring",
         Cadence.FORTNIGHTLY, "why-what-how", 0, EngagementStatus.PROPOSED),
)  # fmt: skip


# The report the demo spotlights gets an overdue action item for sure, whatever the
# dice say, so that part of the product is there to see (``cast.py`` finds them by it).
SPOTLIGHT_REPORT = "ravi"


# --- building ----------------------------------------------------------------------


class DemoConflict(Exception):
    """The database holds people whose usernames the demo needs."""


@dataclass
class Result:
    organisation: Organisation
    created: bool
    seconds: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        c = self.counts
        return (
            f"Built {DEMO_NAME} in {self.seconds:.1f} s: "
            f"{c['people']} people in {c['teams']} teams, "
            f"{c['engagements']} engagements ({c['one_on_ones']} one-on-ones), "
            f"{c['sessions']} sessions ({c['upcoming_sessions']} upcoming), "
            f"{c['agenda_items']} agenda items ({c['carried_agenda_items']} carried forward, "
            f"{c['status_agenda_items']} that read like status), "
            f"{c['notes']} notes ({c['private_notes']} private), "
            f"{c['action_items']} action items ({c['open_action_items']} open, "
            f"{c['overdue_action_items']} overdue)." + self._seeded()
        )

    def _seeded(self) -> str:
        """What the apps' own ``demo.seed`` added, in the words they counted it in."""
        extra = [
            f"{n} {what.replace('_', ' ')}"
            for what, n in self.counts.items()
            if what not in _BUILDER_COUNTS
        ]
        return f" Also {', '.join(extra)}." if extra else ""


_BUILDER_COUNTS = frozenset(
    {
        "people",
        "teams",
        "engagements",
        "one_on_ones",
        "sessions",
        "upcoming_sessions",
        "agenda_items",
        "carried_agenda_items",
        "status_agenda_items",
        "notes",
        "private_notes",
        "action_items",
        "open_action_items",
        "overdue_action_items",
    }
)


def demo_organisation() -> Organisation | None:
    return Organisation.objects.filter(slug=DEMO_SLUG).first()


def taken_usernames() -> list[str]:
    """Demo usernames that someone outside the demo organisation already has."""
    wanted = Q()
    for member in ROSTER:
        wanted |= Q(username__iexact=member.username)
    return sorted(
        User.objects.filter(wanted)
        .exclude(person__organisation__slug=DEMO_SLUG)
        .values_list("username", flat=True)
    )


def build_demo(*, now: dt.datetime | None = None) -> Result:
    """Build the demo organisation unless it exists; then change nothing.

    Raises :class:`DemoConflict` (having written nothing) when another organisation
    in the database uses one of the demo's usernames.
    """
    started = time.perf_counter()
    now = now or timezone.now()
    with transaction.atomic():
        existing = demo_organisation()
        if existing is not None:
            return Result(existing, created=False)
        taken = taken_usernames()
        if taken:
            raise DemoConflict(
                "The demo needs these usernames, which are already taken: " + ", ".join(taken)
            )
        builder = _Builder(random.Random(SEED), now)  # noqa: S311 (demo data, not secrets)
        builder.build()
    return Result(
        builder.organisation,
        created=True,
        seconds=time.perf_counter() - started,
        counts=builder.counts,
    )


@dataclass
class _Track:
    """One engagement being filled with sessions, and what it says."""

    engagement: Engagement
    theme: Theme
    ticket_prefix: str
    times: list[dt.datetime]  # chronological; the last one is upcoming when upcoming
    upcoming: bool
    template_for: dict[int, SessionTemplate]  # index → template, where it differs


class _Builder:
    def __init__(self, rng: random.Random, now: dt.datetime) -> None:
        self.rng = rng
        self.now = now
        self.today = timezone.localdate(now)
        self.counts: Counter[str] = Counter()
        self.people: dict[str, Person] = {}
        self.members = {member.username: member for member in ROSTER}
        self.templates: dict[str, SessionTemplate] = {}
        self.organisation: Organisation

    # --- people and engagements, through the services --------------------------

    def build(self) -> None:
        sync_builtin_templates(SessionTemplate, TemplateSection)
        self.templates = {t.slug: t for t in SessionTemplate.objects.filter(organisation=None)}
        self.organisation = people.create_organisation(name=DEMO_NAME, slug=DEMO_SLUG)
        self._add_people()
        tracks = [*self._one_on_ones(), *self._planned_engagements()]
        self._write_sessions(tracks)
        self._seed_apps()

    def _seed_apps(self) -> None:
        """Let every Cairn app that has a ``demo`` module add its part.

        An app's ``demo.seed(DemoContext)`` adds its rows to the organisation built so
        far and returns what it counted; apps run in ``INSTALLED_APPS`` order, so an
        app can rely on what the apps before it seeded.
        """
        context = DemoContext(self.organisation, self.people, self.rng, self.now)
        for config in apps.get_app_configs():
            if not config.name.startswith("cairn.") or config.name == "cairn.demo":
                continue
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            self.counts.update(importlib.import_module(module_name).seed(context))

    def _add_people(self) -> None:
        teams = {
            name: people.add_team(None, self.organisation, name=name)
            for name in dict.fromkeys(member.team for member in ROSTER)
        }
        for member in ROSTER:  # managers come before their reports
            self.people[member.username] = people.add_person(
                None,
                self.organisation,
                username=member.username,
                email=f"{member.username}@{EMAIL_DOMAIN}",
                name=member.name,
                title=member.title,
                team=teams[member.team],
                manager=self.people[member.manager] if member.manager else None,
                is_org_admin=member.is_org_admin,
                is_program_admin=member.is_program_admin,
            )
        # One hash for everyone: Argon2 takes a quarter of a second per password, and
        # the demo's password is public anyway.
        password = make_password(DEMO_PASSWORD)
        users = []
        for member in ROSTER:
            user = self.people[member.username].user
            user.password = password
            user.demo_password = True  # production mode refuses it (people/checks.py)
            user.first_name, _, user.last_name = member.name.partition(" ")
            user.date_joined = self.now - dt.timedelta(days=member.joined_days_ago)
            users.append(user)
        User.objects.bulk_update(
            users, ["password", "demo_password", "first_name", "last_name", "date_joined"]
        )
        self.counts["people"] = len(ROSTER)
        self.counts["teams"] = len(teams)

    def _one_on_ones(self) -> list[_Track]:
        """The reporting lines started these; give each a history and a rhythm."""
        by_id = {person.pk: username for username, person in self.people.items()}
        engagements = list(
            Engagement.objects.filter(
                organisation=self.organisation, kind=EngagementKind.ONE_ON_ONE
            )
            .select_related("giver", "receiver")
            .order_by("receiver__name")
        )
        strengths_first = self.templates["strengths-first"]
        tracks = []
        for engagement in engagements:
            receiver = self.members[by_id[engagement.receiver_id]]
            giver = self.members[by_id[engagement.giver_id]]
            # The director, with seven reports, meets each fortnightly; managers vary.
            weekly = giver.manager is not None and self.rng.random() < 0.55
            engagement.cadence = Cadence.WEEKLY if weekly else Cadence.FORTNIGHTLY
            start = self.now - min(
                YEAR + dt.timedelta(days=self.rng.randint(0, 10)),
                dt.timedelta(days=receiver.joined_days_ago - 3),
            )
            times = self._times_up_to_next_week(start, Cadence(engagement.cadence).interval)
            engagement.created_at = engagement.agreed_at = times[0] - dt.timedelta(days=2)
            quarter = QUARTERLY_EVERY if weekly else QUARTERLY_EVERY // 2
            quarterly = range(quarter - 1, len(times) - 1, quarter)
            tracks.append(
                _Track(
                    engagement,
                    THEMES["one_on_one"],
                    TICKET_PREFIX[receiver.team],
                    times,
                    upcoming=True,
                    template_for=dict.fromkeys(quarterly, strengths_first),
                )
            )
        Engagement.objects.bulk_update(engagements, ["cadence", "created_at", "agreed_at"])
        self.counts["one_on_ones"] = len(engagements)
        return tracks

    def _planned_engagements(self) -> list[_Track]:
        updated, tracks = [], []
        for plan in PLANS:
            giver, receiver = self.people[plan.giver], self.people[plan.receiver]
            proposer = self.people[plan.proposer]
            engagement = coaching.propose_engagement(
                proposer,
                giver=giver,
                receiver=receiver,
                kind=plan.kind,
                cadence=plan.cadence,
                template=self.templates[plan.template],
            )
            interval = Cadence(plan.cadence).interval
            if plan.status == EngagementStatus.PROPOSED:
                engagement.created_at = self.now - dt.timedelta(days=2, hours=3)
                updated.append(engagement)
                continue
            other = giver if proposer.pk == receiver.pk else receiver
            coaching.accept_engagement(other, engagement, now=self.now)
            if plan.status == EngagementStatus.CLOSED:
                last = self._weekday_at(
                    self.today - dt.timedelta(days=plan.ended_days_ago), self._pick_hour()
                )
                times = [last - interval * k for k in reversed(range(plan.sessions))]
                engagement.closed_at = last + dt.timedelta(days=1)
            else:
                upcoming = self._next_slot(min(interval.days - 1, 13))
                times = [upcoming - interval * k for k in reversed(range(plan.sessions + 1))]
            engagement.status = plan.status
            engagement.agreed_at = times[0] - dt.timedelta(days=self.rng.randint(2, 6))
            engagement.created_at = engagement.agreed_at - dt.timedelta(days=1, hours=4)
            updated.append(engagement)
            tracks.append(
                _Track(
                    engagement,
                    THEMES[plan.theme],
                    TICKET_PREFIX[self.members[plan.receiver].team],
                    times,
                    upcoming=plan.status == EngagementStatus.ACTIVE,
                    template_for={},
                )
            )
        Engagement.objects.bulk_update(updated, ["status", "created_at", "agreed_at", "closed_at"])
        self.counts["engagements"] = self.counts["one_on_ones"] + len(PLANS)
        return tracks

    # --- when sessions happen ----------------------------------------------------

    def _pick_hour(self) -> dt.time:
        return self.rng.choice(SESSION_HOURS)

    def _weekday_at(self, day: dt.date, at: dt.time) -> dt.datetime:
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        # Local wall-clock time: stepping back in whole weeks keeps it at the same
        # hour across daylight-saving changes.
        return timezone.make_aware(dt.datetime.combine(day, at))

    def _next_slot(self, within_days: int) -> dt.datetime:
        """A weekday between tomorrow and ``within_days`` from today."""
        days = [
            self.today + dt.timedelta(days=n)
            for n in range(1, max(within_days, 2) + 1)
            if (self.today + dt.timedelta(days=n)).weekday() < 5
        ]
        return self._weekday_at(self.rng.choice(days), self._pick_hour())

    def _times_up_to_next_week(
        self, start: dt.datetime, interval: dt.timedelta
    ) -> list[dt.datetime]:
        """Beats of the cadence from ``start``, ending in one session within the next
        week; holidays and the odd cancelled week are skipped."""
        upcoming = self._next_slot(UPCOMING_WITHIN_DAYS - 1)
        times = [upcoming]
        when = upcoming - interval
        while when >= start:
            holiday = (when.month, when.day) >= (12, 22) or (when.month, when.day) <= (1, 2)
            if not (holiday or self.rng.random() < 0.06):
                times.append(when)
            when -= interval
        times.reverse()
        return times

    # --- what is said in them, in bulk -------------------------------------------

    def _write_sessions(self, tracks: list[_Track]) -> None:
        sessions: list[Session] = []
        for track in tracks:
            for index, when in enumerate(track.times):
                held = not (track.upcoming and index == len(track.times) - 1)
                minutes = self.rng.choice((30, 35, 45, 50, 55))
                sessions.append(
                    Session(
                        engagement=track.engagement,
                        template=track.template_for.get(index, track.engagement.template),
                        scheduled_for=when,
                        completed_at=when + dt.timedelta(minutes=minutes) if held else None,
                    )
                )
        Session.objects.bulk_create(sessions)

        # Agenda items are written generation by generation: an item carried forward
        # points at its original, which must have its id first.
        generations: list[list[AgendaItem]] = []
        notes: list[Note] = []
        actions: list[ActionItem] = []
        position = 0
        for track in tracks:
            track_sessions = sessions[position : position + len(track.times)]
            position += len(track.times)
            self._fill(track, track_sessions, generations, notes, actions)
        spotlight = next((t for t in tracks if self._is_spotlight(t)), None)
        if spotlight is not None:
            self._ensure_overdue(spotlight, actions)

        for generation in generations:
            AgendaItem.objects.bulk_create(generation)
        Note.objects.bulk_create(notes)
        ActionItem.objects.bulk_create(actions)

        agenda = [item for generation in generations for item in generation]
        self.counts.update(
            sessions=len(sessions),
            upcoming_sessions=sum(1 for s in sessions if s.completed_at is None),
            agenda_items=len(agenda),
            carried_agenda_items=sum(1 for item in agenda if item.carried_from is not None),
            status_agenda_items=sum(1 for item in agenda if item.looks_like_status),
            notes=len(notes),
            private_notes=sum(1 for note in notes if note.visibility == NoteVisibility.PRIVATE),
            action_items=len(actions),
            open_action_items=sum(1 for a in actions if a.done_at is None),
            overdue_action_items=sum(
                1 for a in actions if a.done_at is None and a.due_on < self.today
            ),
        )

    def _is_spotlight(self, track: _Track) -> bool:
        engagement = track.engagement
        return (
            engagement.kind == EngagementKind.ONE_ON_ONE
            and engagement.receiver_id == self.people[SPOTLIGHT_REPORT].pk
        )

    def _fill(
        self,
        track: _Track,
        sessions: list[Session],
        generations: list[list[AgendaItem]],
        notes: list[Note],
        actions: list[ActionItem],
    ) -> None:
        """One engagement's agenda items, notes and action items, session by session.

        Points not discussed in a held session are carried into the next one, as
        ``complete_session`` does: a copy with ``carried_from`` set.
        """
        carried: list[tuple[AgendaItem, int]] = []  # (undiscussed item, its generation)
        previous_end: dt.datetime | None = None
        for session in sessions:
            items = [
                (self._carry(session, original, previous_end), generation + 1)
                for original, generation in carried
            ]
            items += [(item, 0) for item in self._new_points(track, session, previous_end)]
            for item, generation in items:
                while len(generations) <= generation:
                    generations.append([])
                generations[generation].append(item)
            carried = [
                (item, gen) for item, gen in items if session.is_completed and not item.discussed
            ]
            previous_end = session.completed_at or session.scheduled_for
            if session.is_completed:
                notes += self._notes(track, session)
                actions += self._actions(track, session)

    def _carry(
        self, session: Session, original: AgendaItem, previous_end: dt.datetime | None
    ) -> AgendaItem:
        return AgendaItem(
            session=session,
            author_id=original.author_id,
            text=original.text,
            looks_like_status=original.looks_like_status,
            nudge_dismissed=original.nudge_dismissed,
            carried_from=original,
            created_at=previous_end or session.scheduled_for,
            discussed=session.is_completed and self.rng.random() < 0.9,
        )

    def _new_points(
        self, track: _Track, session: Session, previous_end: dt.datetime | None
    ) -> list[AgendaItem]:
        """Talking points added in the days before a session (or, for the upcoming
        one, since the last). One-on-ones are mostly about the person, with the odd
        status point among them."""
        rng, engagement, theme = self.rng, track.engagement, track.theme
        one_on_one = engagement.kind == EngagementKind.ONE_ON_ONE
        held = session.is_completed
        earliest = previous_end or session.scheduled_for - dt.timedelta(days=3)
        latest = min(session.scheduled_for, self.now)
        if not held:
            count = rng.choice((0, 1, 1, 2))
        else:
            count = rng.choice((1, 2, 2, 3, 3, 4) if one_on_one else (1, 2, 2))
        points: dict[str, AgendaItem] = {}
        for _ in range(count):
            by_receiver = rng.random() < 0.65
            if one_on_one and by_receiver and rng.random() < 0.08:
                text = rng.choice(STATUS_AGENDA)
            else:
                text = rng.choice(theme.receiver_agenda if by_receiver else theme.giver_agenda)
            text = text.format(
                ticket=f"{track.ticket_prefix}-{rng.randint(100, 999)}", **self._names(track)
            )
            status = looks_like_status_report(text)
            points.setdefault(
                text,
                AgendaItem(
                    session=session,
                    author=engagement.receiver if by_receiver else engagement.giver,
                    text=text,
                    looks_like_status=status,
                    nudge_dismissed=held and status and rng.random() < 0.3,
                    created_at=_between(rng, earliest, latest),
                    discussed=held and rng.random() < 0.85,
                ),
            )
        return sorted(points.values(), key=lambda item: item.created_at)

    def _notes(self, track: _Track, session: Session) -> list[Note]:
        """A shared note most times, written as the session ends; now and then a
        private one, afterwards."""
        rng, theme = self.rng, track.theme
        giver, receiver = track.engagement.giver, track.engagement.receiver
        end = session.completed_at or session.scheduled_for
        notes = []
        if rng.random() < 0.7:
            notes.append(
                Note(
                    session=session,
                    author=giver if rng.random() < 0.65 else receiver,
                    visibility=NoteVisibility.SHARED,
                    body=rng.choice(theme.shared_notes).format(**self._names(track)),
                    created_at=end - dt.timedelta(minutes=rng.randint(1, 10)),
                )
            )
        if rng.random() < 0.12:
            by_giver = rng.random() < 0.6
            pool = theme.private_notes_giver if by_giver else theme.private_notes_receiver
            notes.append(
                Note(
                    session=session,
                    author=giver if by_giver else receiver,
                    visibility=NoteVisibility.PRIVATE,
                    body=rng.choice(pool).format(**self._names(track)),
                    created_at=end + dt.timedelta(minutes=rng.randint(5, 120)),
                )
            )
        return notes

    def _actions(self, track: _Track, session: Session) -> list[ActionItem]:
        """Who does what by when: mostly the receiver, sometimes the giver."""
        rng, engagement, theme = self.rng, track.engagement, track.theme
        end = session.completed_at or session.scheduled_for
        actions = []
        for _ in range(rng.choice((0, 1, 1, 1, 2))):
            for_receiver = rng.random() < 0.75
            owner, other = (
                (engagement.receiver, engagement.giver)
                if for_receiver
                else (engagement.giver, engagement.receiver)
            )
            pool = theme.receiver_actions if for_receiver else theme.giver_actions
            created_at = end - dt.timedelta(minutes=rng.randint(1, 15))
            due_on = timezone.localdate(session.scheduled_for) + dt.timedelta(
                days=rng.choice((2, 3, 5, 7, 7, 10, 14, 14, 21, 28))
            )
            actions.append(
                ActionItem(
                    engagement=engagement,
                    session=session,
                    owner=owner,
                    description=rng.choice(pool).format(**self._names(track)),
                    due_on=due_on,
                    created_by=owner if rng.random() < 0.5 else other,
                    created_at=created_at,
                    done_at=self._done_at(created_at, due_on),
                )
            )
        return actions

    def _names(self, track: _Track) -> dict[str, str]:
        return {
            "giver": track.engagement.giver.first_name,
            "receiver": track.engagement.receiver.first_name,
        }

    def _done_at(self, created_at: dt.datetime, due_on: dt.date) -> dt.datetime | None:
        """Most items get done, around their due date; recent ones may still be open,
        and a few have slipped past it."""
        rng = self.rng
        if due_on >= self.today:
            done = rng.random() < 0.2
        elif due_on >= self.today - dt.timedelta(days=45):
            done = rng.random() < 0.9
        else:
            done = True
        if not done:
            return None
        due = timezone.make_aware(dt.datetime.combine(due_on, dt.time(17)))
        finished = max(due + dt.timedelta(hours=rng.randint(-96, 30)), created_at)
        return min(
            finished + dt.timedelta(hours=1), self.now - dt.timedelta(minutes=rng.randint(5, 600))
        )

    def _ensure_overdue(self, track: _Track, actions: list[ActionItem]) -> None:
        """Leave the spotlight report one overdue item, so the log-in shows it."""
        engagement = track.engagement
        mine = [
            a
            for a in actions
            if a.engagement is engagement and a.owner_id == engagement.receiver_id
        ]
        if any(a.done_at is None and a.due_on < self.today for a in mine):
            return
        past_due = [a for a in mine if a.due_on < self.today]
        if past_due:
            past_due[-1].done_at = None


def _between(rng: random.Random, earliest: dt.datetime, latest: dt.datetime) -> dt.datetime:
    if latest <= earliest:
        return latest
    span = (latest - earliest).total_seconds()
    return earliest + dt.timedelta(seconds=rng.uniform(0, span))
