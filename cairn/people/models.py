"""Organisations (tenants), teams and the people in them, with their reporting lines."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q


class Organisation(models.Model):
    """A tenant. Every row of every app belongs to exactly one; nothing crosses them."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """The log-in. Everything a person is in Cairn lives on :class:`Person`."""


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


class ReportingLines:
    """The reporting lines of one organisation, read in a single query.

    Chains are walked in memory: an organisation has thousands of people at most,
    and one query for all (id, manager) pairs beats one query per level.
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
