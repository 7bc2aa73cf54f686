"""Organisations (tenants), teams and the people in them, with their reporting lines."""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

TIME_ZONE_MAX = 64


@cache
def time_zone_names() -> frozenset[str]:
    """Every IANA time zone name this machine knows."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(name: str) -> None:
    if name and name not in time_zone_names():
        raise ValidationError(
            "%(name)s is not a time zone we know. Choose one from the list, "
            "such as Europe/London or America/New_York.",
            code="unknown_time_zone",
            params={"name": name[:TIME_ZONE_MAX]},
        )


def effective_time_zone(person_zone: str, organisation_zone: str) -> str:
    """The zone a person's dates are shown in: their own, else their organisation's,
    else the instance's (``settings.TIME_ZONE``). A name no longer known falls back
    the same way, so a stale row never breaks a page."""
    for name in (person_zone, organisation_zone):
        if name and name in time_zone_names():
            return name
    return str(settings.TIME_ZONE)


class Organisation(models.Model):
    """A tenant. Every row of every app belongs to exactly one; nothing crosses them."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Blank: the instance's zone (settings.TIME_ZONE).
    time_zone = models.CharField(
        max_length=TIME_ZONE_MAX, blank=True, validators=[validate_time_zone]
    )
    # Every member signs in with a second step (a TOTP code or a recovery code); one
    # without a device is sent to set one up after their password (``signin.py``).
    requires_two_factor = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """The log-in. Everything a person is in Cairn lives on :class:`Person`."""

    # Whether a confirmed TOTP device guards this account: kept by
    # ``two_factor.py``'s services, read with the account on every request (no query)
    # so that a session signed in without the second step is ended at once.
    two_factor_enabled = models.BooleanField(default=False)
    # Set by the demo on the accounts it gives its public password; any new password
    # clears it (``set_password``). Production mode refuses to start while an account
    # still has the demo's password (``checks.py``), and looks only at these.
    demo_password = models.BooleanField(default=False)

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.demo_password = False


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, viewer: Person) -> TeamQuerySet:
        """Teams are known across their organisation and nowhere else."""
        return self.filter(organisation_id=viewer.organisation_id)


class Team(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=80)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="team_name_unique_in_org"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, viewer: Person) -> PersonQuerySet:
        """The directory: everyone in the viewer's organisation sees name, title, team
        and manager of everyone else there, and nobody outside it."""
        return self.filter(organisation_id=viewer.organisation_id)

    def active(self) -> PersonQuerySet:
        return self.filter(user__is_active=True)

    def under(self, manager: Person | int) -> PersonQuerySet:
        """Everyone whose management chain includes ``manager``: direct and indirect
        reports. The database walks the manager's own subtree (a recursive query), so
        the cost follows the size of that subtree, never of the organisation; use it
        as a subquery (``Q(giver__in=Person.objects.under(viewer))``)."""
        manager_id = manager if isinstance(manager, int) else manager.pk
        # Constant SQL; the id is a bound parameter.
        return self.filter(pk__in=RawSQL(_UNDER_SQL, [manager_id]))  # noqa: S611


class Person(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="person")
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    is_org_admin = models.BooleanField(
        default=False,
        help_text="Manages people, teams and reporting lines. Sees no coaching content.",
    )
    is_program_admin = models.BooleanField(
        default=False,
        help_text="Runs mentoring programs and the question bank (learning & development).",
    )
    is_hr = models.BooleanField(
        "HR",
        default=False,
        help_text="Runs performance review cycles. Sees no coaching content.",
    )
    # Blank: the organisation's zone. Every page and email shows dates in it.
    time_zone = models.CharField(
        max_length=TIME_ZONE_MAX, blank=True, validators=[validate_time_zone]
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(manager=F("id")), name="person_is_not_own_manager"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def first_name(self) -> str:
        return self.name.split(" ", 1)[0]

    @property
    def zone_name(self) -> str:
        """The IANA name of the zone this person's dates are shown in."""
        return effective_time_zone(self.time_zone, self.organisation.time_zone)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.zone_name)


# UNION (not UNION ALL) stops at a person already reached, so even a cycle that slipped
# past the services ends.
_UNDER_SQL = (
    "WITH RECURSIVE under_manager(id) AS ("
    "SELECT id FROM people_person WHERE manager_id = %s "
    "UNION SELECT p.id FROM people_person p JOIN under_manager u ON p.manager_id = u.id"
    ") SELECT id FROM under_manager"
)
_CHAIN_SQL = (
    "WITH RECURSIVE chain(id, depth) AS ("
    "SELECT manager_id, 1 FROM people_person WHERE id = %s AND manager_id IS NOT NULL "
    "UNION ALL SELECT p.manager_id, c.depth + 1 FROM people_person p "
    "JOIN chain c ON p.id = c.id WHERE p.manager_id IS NOT NULL AND c.depth < %s"
    ") SELECT id FROM chain ORDER BY depth"
)
# Deeper than any real organisation; only a cycle would reach it.
_CHAIN_LIMIT = 200


def managers_of(person_id: int) -> list[int]:
    """The person's managers, nearest first, in one recursive query that reads only
    their own chain."""
    with connection.cursor() as cursor:
        cursor.execute(_CHAIN_SQL, [person_id, _CHAIN_LIMIT])
        chain: list[int] = []
        for (manager_id,) in cursor.fetchall():
            if manager_id in chain or manager_id == person_id:
                break
            chain.append(manager_id)
        return chain


def would_cycle(person_id: int, new_manager_id: int) -> bool:
    """Whether making ``new_manager_id`` the person's manager would close a loop:
    the person themself, or someone who already reports to them at any level. One
    query over the new manager's own chain."""
    return new_manager_id == person_id or person_id in managers_of(new_manager_id)


class ReportingLines:
    """The reporting lines of one organisation, read in a single query.

    For jobs over the whole organisation (opening a review cycle, a program's
    matching), which need every chain at once. A request never loads it: it asks
    ``managers_of`` or ``Person.objects.under``, which read only what they need.
    """

    def __init__(self, pairs: Iterable[tuple[int, int | None]]) -> None:
        self.manager_of: dict[int, int | None] = dict(pairs)

    @classmethod
    def of(cls, organisation_id: int) -> ReportingLines:
        return cls(
            Person.objects.filter(organisation_id=organisation_id).values_list("id", "manager_id")
        )

    def chain(self, person_id: int) -> list[int]:
        """The person's managers, nearest first."""
        chain: list[int] = []
        current = self.manager_of.get(person_id)
        while current is not None and current not in chain and current != person_id:
            chain.append(current)
            current = self.manager_of.get(current)
        return chain

    def reports_under(self, person_id: int) -> set[int]:
        """Everyone whose management chain includes the person."""
        return {pid for pid in self.manager_of if person_id in self.chain(pid)}

    def would_cycle(self, person_id: int, new_manager_id: int) -> bool:
        return new_manager_id == person_id or person_id in self.chain(new_manager_id)


# --- roles: who may do what, changed in the open --------------------------------------


class Role(models.TextChoices):
    """An organisation role, named by the ``Person`` field that holds it."""

    ORG_ADMIN = "is_org_admin", "org admin"
    PROGRAM_ADMIN = "is_program_admin", "program admin"
    HR = "is_hr", "HR"


# Roles that read people's content (program admins read mentoring requests and
# sensitive answers; HR reads performance self-reviews). Nobody gets one on their
# own word: a second org admin confirms it. An org admin reads no content, so that
# role takes effect at once — and is recorded like every other change.
CONTENT_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.HR})


class RoleAction(models.TextChoices):
    GRANTED = "granted", "granted"
    REQUESTED = "requested", "asked for, waiting for a second org admin"
    CONFIRMED = "confirmed", "confirmed"
    DECLINED = "declined", "declined"
    REVOKED = "revoked", "revoked"


class RoleChangeQuerySet(models.QuerySet["RoleChange"]):
    def visible_to(self, viewer: Person) -> RoleChangeQuerySet:
        """The organisation's org admins, and nobody else."""
        if not viewer.is_org_admin:
            return self.none()
        return self.filter(organisation_id=viewer.organisation_id)


class RoleChange(models.Model):
    """One change of someone's role: who, which role, what happened, by whom, when.

    Written only by ``services`` when the change happens; no page, form or admin
    edits or deletes a row, so the list is the organisation's record of who was
    given which powers.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_changes")
    role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(max_length=12, choices=RoleAction.choices)
    actor = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who did it, as they were named at the time: survives the actor's deletion, and
    # names actors who are no person (the command line, a Django superuser).
    actor_name = models.CharField(max_length=160)
    at = models.DateTimeField(default=timezone.now)

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organisation", "-at"], name="role_change_org_at")]

    def __str__(self) -> str:
        return f"Role change {self.pk}"


class GrantStatus(models.TextChoices):
    PENDING = "pending", "waiting for confirmation"
    CONFIRMED = "confirmed", "confirmed"
    DECLINED = "declined", "declined"


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def visible_to(self, viewer: Person) -> RoleGrantQuerySet:
        """The organisation's org admins, and nobody else."""
        if not viewer.is_org_admin:
            return self.none()
        return self.filter(organisation_id=viewer.organisation_id)

    def pending(self) -> RoleGrantQuerySet:
        return self.filter(status=GrantStatus.PENDING)


class RoleGrant(models.Model):
    """A role that reads content, asked for by one org admin and waiting for another
    to confirm or decline it. The person does not have the role until then."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=20, choices=Role.choices)
    requested_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING
    )
    decided_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(status="pending"),
                name="role_grant_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["is_program_admin", "is_hr"]),
                name="role_grant_reads_content",
            ),
        ]

    def __str__(self) -> str:
        return f"Role grant {self.pk}"


class SignInEventKind(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    FAILED = "failed", "Wrong password or code"
    LOCKED = "locked", "Locked after too many failed sign-ins"
    TWO_FACTOR_ON = "2fa_on", "Two-factor sign-in turned on"
    TWO_FACTOR_OFF = "2fa_off", "Two-factor sign-in turned off"
    RECOVERY_CODE_USED = "recovery_used", "Signed in with a recovery code"
    RECOVERY_CODES_NEW = "recovery_new", "New recovery codes made"


USER_AGENT_MAX = 200


class SignInEvent(models.Model):
    """Something that happened to an account's sign-in, for the account's owner only
    (``security_views.security``): never shown to an org admin, HR or anyone else.
    Kept for :data:`SIGN_IN_EVENT_RETENTION_DAYS` days (older ones are deleted
    whenever the account gets a new one, ``two_factor.record``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_events")
    kind = models.CharField(max_length=16, choices=SignInEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    # The client's address as the server saw it (REMOTE_ADDR); behind a proxy the
    # operator must make that the client's (README, "Signing in").
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_MAX, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-at"], name="sign_in_event_user_at")]

    def __str__(self) -> str:
        return f"sign-in event {self.pk} ({self.kind})"


SIGN_IN_EVENT_RETENTION_DAYS = 365
