"""Factories for mentoring tests, built on ``cairn.testing``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from cairn.mentoring import services
from cairn.mentoring.models import Enrolment, MentoringRequest, MentorProfile, Program, Role
from cairn.people.models import Person
from cairn.tags.models import Tag

CHALLENGE = "I freeze when I present to the leadership team"


def tag(slug: str) -> Tag:
    return Tag.objects.get(slug=slug, organisation__isnull=True)


def make_profile(
    person: Person, *, capacity: int = 2, tags: Sequence[str] = ("architecture",), helps: str = ""
) -> MentorProfile:
    return services.save_profile(
        person,
        services.ProfileData(
            helps_with=helps or f"{person.name} helps with design reviews",
            capacity=capacity,
            expertise=[tag(slug) for slug in tags],
        ),
    )


def make_request(mentee: Person, mentor: Person, challenge: str = CHALLENGE) -> MentoringRequest:
    if not MentorProfile.objects.filter(person=mentor).exists():
        make_profile(mentor)
    return services.send_request(mentee, mentor, challenge=challenge, goals="Speak with ease")


def make_program(admin: Person, name: str = "Spring cohort", **changes: object) -> Program:
    today = timezone.localdate()
    data = services.ProgramData(
        name=name,
        purpose="Pair people across teams",
        starts_on=today + dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=100),
        enrolment_opens=today - dt.timedelta(days=5),
        enrolment_closes=today + dt.timedelta(days=5),
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return services.create_program(admin, data)


def enrol_mentor(program: Program, person: Person, capacity: int = 2, **extra: Any) -> Enrolment:
    return services.enrol(
        person,
        program,
        services.EnrolmentData(
            role=Role.MENTOR, capacity=capacity, tags=[tag("architecture")], **extra
        ),
    )


def enrol_mentee(program: Program, person: Person, **extra: Any) -> Enrolment:
    return services.enrol(
        person,
        program,
        services.EnrolmentData(role=Role.MENTEE, tags=[tag("architecture")], **extra),
    )
