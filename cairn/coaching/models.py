"""Engagements between two people, their sessions, and what is said in them.

Visibility lives on the querysets: every read of coaching content starts from
``visible_to(viewer)`` (see ``policy.py`` for the who-sees-what table).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from cairn.people.models import Organisation, Person
from cairn.trust.fields import EncryptedTextField


class EngagementKind(models.TextChoices):
    ONE_ON_ONE = "one_on_one", "Manager one-on-one"
    COACHING = "coaching", "Coaching"
    COMPETENCY_COACHING = "competency_coaching", "Competency coaching"
    MENTORING = "mentoring", "Mentoring"
    COUNSELING = "counseling", "Counseling"


class Direction(models.TextChoices):
    DOWNWARD = "downward", "Downward"
    PEER = "peer", "Peer"
    UPWARD = "upward", "Upward (reverse)"
    EXTERNAL = "external", "External"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    EVERY_FOUR_WEEKS = "every_four_weeks", "Every four weeks"

    @property
    def interval(self) -> dt.timedelta:
        return {
            Cadence.WEEKLY: dt.timedelta(weeks=1),
            Cadence.FORTNIGHTLY: dt.timedelta(weeks=2),
            Cadence.EVERY_FOUR_WEEKS: dt.timedelta(weeks=4),
        }[self]


# The most an optional reason for a change (a session moved, cancelled or skipped, a
# proposal declined) may say.
REASON_MAX = 300


class EngagementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class SessionTemplateQuerySet(models.QuerySet["SessionTemplate"]):
    def visible_to(self, viewer: Person) -> SessionTemplateQuerySet:
        """The built-in templates and the viewer's organisation's own."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=viewer.organisation_id))


class SessionTemplate(models.Model):
    """A session structure: ordered sections, each with prompts.

    Built-in templates have no organisation and are shared by all of them. ``tips``
    are a few short reminders of the practice for the person leading a session (the
    engagement's giver); a template without them shows none.
    """

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    tips = models.JSONField(default=list, blank=True)

    objects = SessionTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateSection(models.Model):
    """One section of a template. ``prompts`` are the questions for the other party
    (the receiver); ``leader_prompts``, when there are any, are what the leader (the
    giver) gets instead — what to share about themselves first. A section without
    leader prompts shows the same prompts to both. ``key`` names the section for
    panels (``about``, ``dreams``, ``actions``) so they need not match titles."""

    template = models.ForeignKey(SessionTemplate, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=40, blank=True)
    title = models.CharField(max_length=80)
    prompts = models.JSONField(default=list)
    leader_prompts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="template_section_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def prompts_for(self, *, leads: bool) -> list[str]:
        """What the viewer is asked: the leader's prompts to the leader when the
        section has any, the questions otherwise."""
        if leads and self.leader_prompts:
            return list(self.leader_prompts)
        return list(self.prompts)


class LeaderTipsDismissal(models.Model):
    """A person put away a template's practice tips; they show again when the
    person asks for them (the row is deleted). Holds no content."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(SessionTemplate, on_delete=models.CASCADE, related_name="+")
    dismissed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "template"], name="leader_tips_dismissed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Tips dismissed {self.pk}"


class EngagementQuerySet(models.QuerySet["Engagement"]):
    def for_party(self, viewer: Person) -> EngagementQuerySet:
        """Engagements the viewer is a party to: the only ones whose content they see."""
        return self.filter(Q(giver=viewer) | Q(receiver=viewer))

    def visible_to(self, viewer: Person) -> EngagementQuerySet:
        """Engagements whose *existence* the viewer may know of.

        Parties always; the managers of either party and org admins too, except for
        counseling, whose existence stays between the two people.
        """
        parties = Q(giver=viewer) | Q(receiver=viewer)
        if viewer.is_org_admin:
            others = Q(organisation_id=viewer.organisation_id)
        else:
            # The viewer's own subtree, walked by the database inside this query.
            under = Person.objects.under(viewer).values("pk")
            others = Q(giver_id__in=under) | Q(receiver_id__in=under)
        return self.filter(parties | (others & ~Q(kind=EngagementKind.COUNSELING)))

    def of_person_visible_to(self, viewer: Person, person: Person) -> EngagementQuerySet:
        """``visible_to(viewer)`` for the engagements of one person (their person
        page): the same rows, but the reports under the viewer are found by walking
        up from that person and their counterparts, never down the viewer's whole
        subtree — so the head of a large organisation pays what a team lead does."""
        theirs = self.filter(Q(giver=person) | Q(receiver=person))
        if viewer.is_org_admin:
            return theirs.visible_to(viewer)
        parties = Q(giver=viewer) | Q(receiver=viewer)
        # Constant SQL; the ids are bound parameters.
        under = RawSQL(_PARTIES_UNDER_SQL, [person.pk, person.pk, person.pk, viewer.pk])  # noqa: S611
        others = Q(giver_id__in=under) | Q(receiver_id__in=under)
        return theirs.filter(parties | (others & ~Q(kind=EngagementKind.COUNSELING)))

    def open(self) -> EngagementQuerySet:
        return self.exclude(status=EngagementStatus.CLOSED)

    def stalled(self, now: dt.datetime) -> EngagementQuerySet:
        """Agreed, open engagements with no session for twice their cadence: nothing
        held since (or since they were agreed, when nothing was ever held) and none
        still to come. Annotates ``stalled_since``: the last meeting, or the
        agreement when they never met. In SQL, so that it can be counted."""
        held = (
            Session.objects.filter(engagement=OuterRef("pk"), completed_at__isnull=False)
            .annotate(met=Least("scheduled_for", "completed_at"))
            .order_by("-met")
            .values("met")[:1]
        )
        to_come = Session.objects.upcoming().filter(
            engagement=OuterRef("pk"), scheduled_for__gt=now
        )
        limit = Case(
            *(
                When(cadence=cadence, then=Value(now - STALL_AFTER * cadence.interval))
                for cadence in Cadence
            ),
            output_field=models.DateTimeField(),
        )
        return (
            self.filter(status__in=[EngagementStatus.AGREED, EngagementStatus.ACTIVE])
            .annotate(
                stalled_since=Coalesce(Subquery(held), "agreed_at", "created_at"),
                stall_limit=limit,
            )
            .filter(stalled_since__lt=F("stall_limit"))
            .exclude(Exists(to_come))
        )


# An engagement is stalled after this many cadence intervals without a session.
STALL_AFTER = 2


# The person and everyone they have an engagement with, each walked up their own
# chain (depth-bounded against a loop): those whose chain reaches the viewer.
_PARTIES_UNDER_SQL = (
    "WITH RECURSIVE up(start, id, depth) AS ("
    "SELECT p.id, p.manager_id, 1 FROM people_person p "
    "WHERE p.manager_id IS NOT NULL AND p.id IN ("
    "SELECT e.giver_id FROM coaching_engagement e WHERE e.receiver_id = %s "
    "UNION SELECT e.receiver_id FROM coaching_engagement e WHERE e.giver_id = %s "
    "UNION SELECT q.id FROM people_person q WHERE q.id = %s) "
    "UNION ALL SELECT u.start, p.manager_id, u.depth + 1 FROM people_person p "
    "JOIN up u ON p.id = u.id WHERE p.manager_id IS NOT NULL AND u.depth < 200"
    ") SELECT up.start FROM up WHERE up.id = %s"
)


class Engagement(models.Model):
    """A relationship between a giver (manager, coach, mentor) and a receiver."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="engagements"
    )
    kind = models.CharField(max_length=24, choices=EngagementKind.choices)
    direction = models.CharField(max_length=12, choices=Direction.choices)
    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="giving")
    receiver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="receiving")
    proposed_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.WEEKLY)
    template = models.ForeignKey(SessionTemplate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=12, choices=EngagementStatus.choices, default=EngagementStatus.PROPOSED
    )
    created_at = models.DateTimeField(default=timezone.now)
    agreed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # A proposal the other party declined: closed, never held, with when and the
    # decliner's optional reason (the two parties' alone, encrypted at rest).
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = EncryptedTextField(max_length=REASON_MAX, blank=True, default="")

    objects = EngagementQuerySet.as_manager()

    class Meta:
        # The id breaks ties (engagements made in one transaction share a moment), so
        # that every list and page of engagements keeps one order.
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(giver=F("receiver")), name="engagement_between_two_people"
            ),
            models.UniqueConstraint(
                fields=["giver", "receiver", "kind"],
                condition=~Q(status="closed"),
                name="one_open_engagement_per_pair_and_kind",
            ),
        ]

    def __str__(self) -> str:
        # Neither the kind nor the people: the Django admin lists cascaded and
        # protecting rows by ``str()`` (deleting a person, their organisation or a
        # template), and a counseling engagement's existence must not show there.
        return f"Engagement {self.code}"

    def is_party(self, person: Person) -> bool:
        return person.pk in (self.giver_id, self.receiver_id)

    def other_party(self, person: Person) -> Person:
        return self.receiver if person.pk == self.giver_id else self.giver

    @property
    def is_open(self) -> bool:
        return self.status != EngagementStatus.CLOSED

    @property
    def is_declined(self) -> bool:
        return self.declined_at is not None

    @property
    def cadence_interval(self) -> dt.timedelta:
        return Cadence(self.cadence).interval

    @property
    def needs_agreement(self) -> bool:
        return self.kind in KINDS_WITH_AGREEMENT


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, viewer: Person) -> SessionQuerySet:
        return self.filter(engagement__in=Engagement.objects.for_party(viewer))

    def upcoming(self) -> SessionQuerySet:
        """Sessions still to be held: not ended, not cancelled."""
        return self.filter(completed_at__isnull=True, cancelled_at__isnull=True)


class Session(models.Model):
    """One meeting of an engagement, run from a template."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="sessions")
    template = models.ForeignKey(SessionTemplate, on_delete=models.PROTECT, related_name="+")
    scheduled_for = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # A skipped session is a cancelled one too ("we skip this one"): it is not held,
    # and its open talking points moved on to the next session.
    skipped_at = models.DateTimeField(null=True, blank=True)
    # Who last moved, cancelled or skipped it, and their optional reason: the two
    # parties' alone (never in emails, calendars or notifications), encrypted at rest.
    changed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    change_reason = EncryptedTextField(max_length=REASON_MAX, blank=True, default="")
    # The iCalendar SEQUENCE of its invitations: 0 when scheduled, one more on every
    # move or cancellation, so that calendars replace the entry they hold.
    sequence = models.PositiveIntegerField(default=0)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_for", "id"]
        indexes = [models.Index(fields=["engagement", "scheduled_for"], name="session_by_date")]
        constraints = [
            # One session per slot: an engagement never holds two sessions at the same
            # time (a double click on "Schedule", two parties at once). A cancelled
            # one frees its slot.
            models.UniqueConstraint(
                fields=["engagement", "scheduled_for"],
                condition=Q(cancelled_at__isnull=True),
                name="session_one_per_slot",
            ),
        ]

    def __str__(self) -> str:
        # Opaque for the same reason as engagements: a session names its engagement.
        return f"Session {self.code}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_skipped(self) -> bool:
        return self.skipped_at is not None

    @property
    def met_at(self) -> dt.datetime | None:
        """When the session was held: its time, or when it was ended if that was
        earlier (ended before its time). None when it was not held."""
        if self.completed_at is None:
            return None
        return min(self.scheduled_for, self.completed_at)


class AgendaItemQuerySet(models.QuerySet["AgendaItem"]):
    def visible_to(self, viewer: Person) -> AgendaItemQuerySet:
        return self.filter(session__engagement__in=Engagement.objects.for_party(viewer))


class AgendaItem(models.Model):
    """A talking point. Not discussed when its session ends → carried into the next."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_items")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    discussed = models.BooleanField(default=False)
    looks_like_status = models.BooleanField(default=False)
    nudge_dismissed = models.BooleanField(default=False)
    carried_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When its author last changed the text; both parties see that it was edited.
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        # Never the text: the Django admin lists cascaded rows by ``str()`` when a
        # superuser deletes an engagement or a person, and agendas must not show there.
        return f"Agenda item {self.code}"

    @property
    def shows_status_nudge(self) -> bool:
        return self.looks_like_status and not self.nudge_dismissed and not self.discussed


class NoteVisibility(models.TextChoices):
    SHARED = "shared", "Shared with the other party"
    PRIVATE = "private", "Private — only you"


class NoteQuerySet(models.QuerySet["Note"]):
    def visible_to(self, viewer: Person) -> NoteQuerySet:
        """Private notes to their author alone; shared notes to both parties."""
        return self.filter(
            Q(visibility=NoteVisibility.PRIVATE, author=viewer)
            | Q(
                visibility=NoteVisibility.SHARED,
                session__engagement__in=Engagement.objects.for_party(viewer),
            )
        )


class Note(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    visibility = models.CharField(max_length=8, choices=NoteVisibility.choices)
    # Encrypted at rest, private and shared notes alike (cairn.trust.fields).
    body = EncryptedTextField(max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now)
    # When its author last changed it: a shared note says so to both parties.
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        # Never the body: a note's text must not leak through logs or admin pages.
        return f"{self.get_visibility_display()} note {self.code}"

    @property
    def is_private(self) -> bool:
        return self.visibility == NoteVisibility.PRIVATE


class ActionItemQuerySet(models.QuerySet["ActionItem"]):
    def visible_to(self, viewer: Person) -> ActionItemQuerySet:
        return self.filter(engagement__in=Engagement.objects.for_party(viewer))

    def open(self) -> ActionItemQuerySet:
        return self.filter(done_at__isnull=True)

    def listed_on(self, session: Session) -> ActionItemQuerySet:
        """The items a session's page lists (growth's items towards an objective
        follow the same rule):

        - every item made in this session, done or not;
        - open items from earlier sessions: they carry forward until they are done;
        - items from earlier sessions done *in* this session: after the last session
          that ended before it, and before this one ended (or since, while it has
          not). They show struck through here, and no longer on the sessions after.
        """
        last_ended = (
            Session.objects.filter(
                engagement_id=session.engagement_id,
                scheduled_for__lt=session.scheduled_for,
                completed_at__isnull=False,
            )
            .order_by("-completed_at")
            .values("completed_at")[:1]
        )
        done_here = Q(
            done_at__isnull=False,
            session__scheduled_for__lt=session.scheduled_for,
            done_at__gt=Coalesce(Subquery(last_ended), Value(_LONG_AGO)),
        )
        if session.is_cancelled:
            done_here = Q(pk__in=[])
        elif session.completed_at is not None:
            done_here &= Q(done_at__lte=session.completed_at)
        return self.filter(engagement_id=session.engagement_id).filter(
            Q(done_at__isnull=True, session__scheduled_for__lte=session.scheduled_for)
            | Q(session=session)
            | done_here
        )


# Before any session Cairn holds: "since the last session ended" when none has.
_LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class ActionItem(models.Model):
    """Who does what by when. Open items belong to the engagement and carry forward."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="action_items"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="action_items")
    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    created_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "done_at"], name="action_item_by_owner")]

    def __str__(self) -> str:
        # Never the description, for the same reason as agenda items and notes.
        return f"Action item {self.code}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return not self.is_done and self.due_on < (today or timezone.localdate())


# --- agreements and debriefs -------------------------------------------------------

# Manager one-on-ones follow reporting lines and need no agreement; every other kind
# starts with one that both parties accept.
KINDS_WITH_AGREEMENT = frozenset(
    {
        EngagementKind.COACHING,
        EngagementKind.COMPETENCY_COACHING,
        EngagementKind.MENTORING,
        EngagementKind.COUNSELING,
    }
)
PURPOSE_MAX = 2_000
CONFIDENTIALITY_MAX = 2_000
DEBRIEF_TEXT_MAX = 4_000
ENDS_AFTER_SESSIONS_MAX = 100


class SponsorSees(models.TextChoices):
    """What the receiver's managers may see of the engagement. Each level includes
    the ones before it."""

    NOTHING = "nothing", "Nothing beyond that it exists"
    CADENCE = "cadence", "That it is active and how often you meet"
    PURPOSE_AND_DATES = "purpose_and_dates", "Also its purpose and the session dates"


class Ending(models.TextChoices):
    AFTER_SESSIONS = "after_sessions", "After a number of sessions"
    ON_DATE = "on_date", "On a date"
    WHEN_EITHER_ASKS = "when_either_asks", "When either of you asks"


class VersionStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be accepted"
    ACCEPTED = "accepted", "Accepted"
    SUPERSEDED = "superseded", "Replaced before it was accepted"
    LAPSED = "lapsed", "Not accepted before the engagement closed"


class AgreementVersionQuerySet(models.QuerySet["AgreementVersion"]):
    def visible_to(self, viewer: Person) -> AgreementVersionQuerySet:
        """The two parties only. A sponsor never reads a version: they get the
        summary that ``policy.sponsor_summary`` builds from what it grants."""
        return self.filter(engagement__in=Engagement.objects.for_party(viewer))

    def accepted(self) -> AgreementVersionQuerySet:
        return self.filter(status=VersionStatus.ACCEPTED)

    def pending(self) -> AgreementVersionQuerySet:
        return self.filter(status=VersionStatus.PENDING)


class AgreementVersion(models.Model):
    """One version of an engagement's agreement: the partnership terms.

    Proposing a version counts as its proposer's acceptance; it holds once the other
    party accepts it. Every version is kept: the latest accepted one is in force, at
    most one waits to be accepted, and the ones replaced or never accepted stay as
    history.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveSmallIntegerField()
    purpose = models.TextField(max_length=PURPOSE_MAX)
    cadence = models.CharField(max_length=20, choices=Cadence.choices)
    confidentiality = models.TextField(max_length=CONFIDENTIALITY_MAX)
    advice = models.BooleanField(
        default=False, help_text="The giver may offer advice, not only questions."
    )
    sponsor_sees = models.CharField(
        max_length=20, choices=SponsorSees.choices, default=SponsorSees.NOTHING
    )
    ending = models.CharField(
        max_length=20, choices=Ending.choices, default=Ending.WHEN_EITHER_ASKS
    )
    ends_after_sessions = models.PositiveSmallIntegerField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.PENDING
    )
    proposed_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        ordering = ["engagement", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "number"], name="agreement_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["engagement"],
                condition=Q(status="pending"),
                name="agreement_one_pending_version",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="accepted", accepted_by__isnull=False, accepted_at__isnull=False)
                    | (
                        ~Q(status="accepted")
                        & Q(accepted_by__isnull=True, accepted_at__isnull=True)
                    )
                ),
                name="agreement_accepted_says_by_whom_and_when",
            ),
            models.CheckConstraint(
                condition=~Q(accepted_by=F("proposed_by")),
                name="agreement_accepted_by_the_other_party",
            ),
            models.CheckConstraint(
                condition=(
                    Q(ending="after_sessions", ends_after_sessions__gte=1, ends_on__isnull=True)
                    | Q(ending="on_date", ends_on__isnull=False, ends_after_sessions__isnull=True)
                    | Q(
                        ending="when_either_asks",
                        ends_on__isnull=True,
                        ends_after_sessions__isnull=True,
                    )
                ),
                name="agreement_ending_has_its_detail",
            ),
        ]

    def __str__(self) -> str:
        # Never the purpose: agreements are the two parties' alone.
        return f"Agreement version {self.code}"

    @property
    def is_pending(self) -> bool:
        return self.status == VersionStatus.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == VersionStatus.ACCEPTED

    def sponsor_level(self) -> int:
        return list(SponsorSees.values).index(self.sponsor_sees)


class Feeling(models.TextChoices):
    TRANSACTIONAL = "transactional", "Transactional: useful answers, the same me"
    BETWEEN = "between", "Somewhere in between"
    TRANSFORMATIONAL = "transformational", "Transformational: it changed how I think"


# Debriefs are blind: each party writes theirs without reading the other's, which
# shows once they have written their own, or this long after the engagement closed.
DEBRIEF_BLIND_FOR = dt.timedelta(days=14)


class DebriefQuerySet(models.QuerySet["Debrief"]):
    def visible_to(self, viewer: Person, *, now: dt.datetime | None = None) -> DebriefQuerySet:
        """A party reads their own debrief; the other party's once they have written
        their own, or once ``DEBRIEF_BLIND_FOR`` has passed since the engagement
        closed. Nobody else reads either."""
        now = now or timezone.now()
        viewer_wrote = Debrief.objects.filter(engagement=OuterRef("engagement"), author=viewer)
        return self.filter(engagement__in=Engagement.objects.for_party(viewer)).filter(
            Q(author=viewer)
            | Exists(viewer_wrote)
            | Q(engagement__closed_at__lte=now - DEBRIEF_BLIND_FOR)
        )


class Debrief(models.Model):
    """What one party takes away from an engagement once it has closed."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="debriefs")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    learnings = models.TextField(max_length=DEBRIEF_TEXT_MAX)
    distinctions = models.TextField(max_length=DEBRIEF_TEXT_MAX, blank=True)
    felt = models.CharField(max_length=20, choices=Feeling.choices)
    next_steps = models.TextField(max_length=DEBRIEF_TEXT_MAX, blank=True)
    written_at = models.DateTimeField(default=timezone.now)

    objects = DebriefQuerySet.as_manager()

    class Meta:
        ordering = ["written_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "author"], name="debrief_one_per_party"),
        ]

    def __str__(self) -> str:
        # Never the learnings, for the same reason as notes.
        return f"Debrief {self.code}"


# --- the calendar feed -------------------------------------------------------------


class CalendarFeed(models.Model):
    """A person's private iCalendar feed: its secret URL is the only credential.

    The database keeps the secret twice: its SHA-256 (``secret_hash``, indexed), by
    which a request finds the feed, and the secret itself encrypted at rest, so that
    the person's own page can show the URL again. Resetting replaces both, which
    stops the old URL at once. One feed per person.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="calendar_feed")
    secret_hash = models.CharField(max_length=64, unique=True)
    secret = EncryptedTextField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        # Never the secret: it opens the person's calendar.
        return f"Calendar feed {self.pk}"
