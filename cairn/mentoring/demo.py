"""Mentoring in the demo organisation.

- A dozen mentor profiles with expertise tags; Tomasz has room for one more.
- Kenji (Marcus's report, not Tomasz's) has asked Tomasz to mentor him: log in as
  tomasz to answer. Maya asked Daniel, who declined kindly.
- Amara runs the "Autumn mentoring cohort": enrolment has just closed, mentors and
  mentees are enrolled with shortlists, and matching has proposed pairs for her to
  review and publish.

Deterministic: rows derive from the context's ``now`` and ``rng``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from django.urls import reverse

from cairn.mentoring import services
from cairn.mentoring.models import (
    Enrolment,
    MentoringRequest,
    MentorProfile,
    Program,
    RequestStatus,
    Role,
    SensitiveAnswer,
    ShortlistEntry,
)
from cairn.notifications.models import Kind, Notification
from cairn.tags.builtin import sync_builtin_tags
from cairn.tags.models import Tag

if TYPE_CHECKING:
    from cairn.people.seeding import DemoContext

PROGRAM_SLUG = "autumn-mentoring-cohort"
KENJI_CHALLENGE = (
    "I have been asked to lead the migration of our deploy pipeline, and I have never "
    "led anything that crosses teams. I do not know how to get people to agree."
)

# username: (capacity, expertise tags, helps with, languages, utc offset, years)
MENTORS: dict[str, tuple[int, tuple[str, ...], str, str, int, int]] = {
    "tomasz": (3, ("architecture", "distributed-systems", "leadership"),
               "Leading technical decisions across teams; writing proposals people build on.",
               "English, Polish", 1, 20),
    "sofia": (2, ("architecture", "code-review", "testing"),
              "Growing from senior to staff: scope, influence, and saying no.",
              "English, Spanish", 0, 14),
    "daniel": (2, ("security", "distributed-systems", "incident-response"),
               "Payments systems, on-call and staying calm in incidents.",
               "English", 0, 13),
    "freya": (2, ("data-engineering", "observability"),
              "Data pipelines that do not wake you at night.", "English, Danish", 1, 9),
    "arjun": (2, ("data-engineering", "leadership", "public-speaking"),
              "Speaking at conferences and leading data teams.", "English, Hindi", 0, 12),
    "zara": (2, ("mobile", "frontend", "career-growth"),
             "iOS craft, and returning to engineering after a career break.",
             "English", 0, 8),
    "lily": (1, ("mobile", "communication"),
             "Reverse mentoring: what it is like to join as a junior today.",
             "English, Mandarin", 8, 2),
    "elena": (1, ("code-review", "career-growth"),
              "Your first year: asking for help and reviewing code.", "English, Russian", 2, 9),
    "grace": (2, ("communication", "first-time-manager", "career-growth"),
              "Becoming a manager, and the conversations that come with it.", "English", 0, 15),
    "jamal": (1, ("testing", "code-review"), "Test strategy and reviews that teach.",
              "English, Arabic", 0, 7),
    "oscar": (1, ("mobile", "observability"), "Android performance and crash triage.",
              "English, Swedish", 1, 8),
    "rebecca": (2, ("first-time-manager", "data-engineering", "writing"),
                "Managing managers; writing that gets read.", "English", 0, 16),
}  # fmt: skip

PROGRAM_MENTORS = ("sofia", "daniel", "freya", "zara", "arjun", "jamal")
PROGRAM_MENTEES = (
    "olivia", "mateo", "aisha", "finn", "theo", "kofi", "amelia", "ines", "ben", "chloe", "samuel",
)  # fmt: skip


def seed(context: DemoContext) -> Counter[str]:
    counts: Counter[str] = Counter()
    people = context.people
    org = context.organisation
    now = context.now
    sync_builtin_tags(Tag)
    tags = {t.slug: t for t in Tag.objects.filter(organisation__isnull=True)}
    own = Tag.objects.create(organisation=org, slug="payments", name="Payments")
    tags[own.slug] = own

    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(
            organisation=org,
            person=people[username],
            capacity=capacity,
            helps_with=helps,
            languages=languages,
            utc_offset=offset,
            years_experience=years,
            availability=context.rng.choice(
                ("Tuesday afternoons", "Thursday mornings", "Fridays, any time")
            ),
            updated_at=now - dt.timedelta(days=30),
        )
        for username, (capacity, _, helps, languages, offset, years) in MENTORS.items()
    )
    through = MentorProfile.expertise.through
    through.objects.bulk_create(
        through(mentorprofile_id=profile.pk, tag_id=tags[slug].pk)
        for profile, (_, slugs, *_rest) in zip(profiles, MENTORS.values(), strict=True)
        for slug in slugs
    )
    counts["mentor profiles"] = len(profiles)

    kenji_asks, maya_asked = MentoringRequest.objects.bulk_create(
        [
            MentoringRequest(
                organisation=org,
                mentee=people["kenji"],
                mentor=people["tomasz"],
                challenge=KENJI_CHALLENGE,
                goals="Run the migration's kick-off and leave with a plan everyone owns.",
                created_at=now - dt.timedelta(days=2),
            ),
            MentoringRequest(
                organisation=org,
                mentee=people["maya"],
                mentor=people["daniel"],
                challenge="I want to move from mobile into payments back end work.",
                goals="Know what to learn first.",
                status=RequestStatus.DECLINED,
                response=("I am full this quarter — Sofia knows the back end well and has room."),
                created_at=now - dt.timedelta(days=9),
                answered_at=now - dt.timedelta(days=8),
            ),
        ]
    )
    counts["mentoring requests"] = 2
    # What the bell shows Tomasz and Maya, as the services would have told them
    # (written here without the emails a real request sends).
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=people["tomasz"],
                kind=Kind.REQUEST_RECEIVED,
                title=f"{people['kenji'].name} asked you to be their mentor",
                url=reverse("mentoring:request", args=[kenji_asks.code]),
                subject_type="mentoring.mentoringrequest",
                subject_id=kenji_asks.pk,
                key=f"request-received:{kenji_asks.pk}:{people['tomasz'].pk}",
                created_at=kenji_asks.created_at,
            ),
            Notification(
                recipient=people["maya"],
                kind=Kind.REQUEST_ANSWERED,
                title=f"{people['daniel'].name} declined your mentoring request",
                url=reverse("mentoring:request", args=[maya_asked.code]),
                subject_type="mentoring.mentoringrequest",
                subject_id=maya_asked.pk,
                key=f"request-answered:{maya_asked.pk}:{people['maya'].pk}",
                created_at=now - dt.timedelta(days=8),
                read_at=now - dt.timedelta(days=8),
            ),
        ]
    )
    counts["notifications"] += 2

    program = Program.objects.create(
        organisation=org,
        slug=PROGRAM_SLUG,
        name="Autumn mentoring cohort",
        purpose=(
            "Twelve weeks pairing engineers with a mentor from another team, to widen "
            "who we learn from."
        ),
        starts_on=(now + dt.timedelta(days=7)).date(),
        ends_on=(now + dt.timedelta(days=91)).date(),
        enrolment_opens=(now - dt.timedelta(days=21)).date(),
        enrolment_closes=(now - dt.timedelta(days=1)).date(),
        created_by=people["amara"],
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                program=program,
                person=people[username],
                role=Role.MENTOR,
                capacity=2,
                years_experience=MENTORS[username][5],
                languages=MENTORS[username][3],
                utc_offset=MENTORS[username][4],
                created_at=now - dt.timedelta(days=20),
            )
            for username in PROGRAM_MENTORS
        ]
        + [
            Enrolment(
                program=program,
                person=people[username],
                role=Role.MENTEE,
                goals="Grow beyond my team.",
                years_experience=context.rng.randint(0, 6),
                languages="English",
                utc_offset=context.rng.choice((0, 0, 1, 2)),
                created_at=now - dt.timedelta(days=15),
            )
            for username in PROGRAM_MENTEES
        ]
    )
    mentors = [e for e in enrolments if e.role == Role.MENTOR]
    mentees = [e for e in enrolments if e.role == Role.MENTEE]
    tag_through = Enrolment.tags.through
    # Mentees seek what some mentor offers, or the organisation's own word; not the
    # library's words of the shared vocabulary, which no demo mentor has.
    sought = sorted({slug for _, slugs, *_rest in MENTORS.values() for slug in slugs} | {own.slug})
    tag_rows = [
        tag_through(enrolment_id=e.pk, tag_id=tags[slug].pk)
        for e, username in zip(mentors, PROGRAM_MENTORS, strict=True)
        for slug in MENTORS[username][1]
    ] + [
        tag_through(enrolment_id=e.pk, tag_id=tags[slug].pk)
        for e in mentees
        for slug in context.rng.sample(sought, 2)
    ]
    tag_through.objects.bulk_create(tag_rows)
    ShortlistEntry.objects.bulk_create(
        ShortlistEntry(mentee=e, mentor=m, rank=rank)
        for e in mentees
        for rank, m in enumerate(context.rng.sample(mentors, 2), start=1)
    )
    # Finn asked not to be paired with Daniel, his colleague in Payments.
    Enrolment.not_with.through.objects.create(
        enrolment_id=mentees[PROGRAM_MENTEES.index("finn")].pk, person_id=people["daniel"].pk
    )
    SensitiveAnswer.objects.bulk_create(
        [
            SensitiveAnswer(enrolment=mentees[PROGRAM_MENTEES.index("aisha")], gender="woman",
                            same_gender=True),
            SensitiveAnswer(enrolment=mentors[PROGRAM_MENTORS.index("sofia")], gender="woman"),
            SensitiveAnswer(enrolment=mentors[PROGRAM_MENTORS.index("zara")], gender="woman"),
            SensitiveAnswer(enrolment=mentors[PROGRAM_MENTORS.index("freya")], gender="woman"),
        ]
    )  # fmt: skip
    counts["program enrolments"] = len(enrolments)
    result = services.run_matching(people["amara"], program, now=now - dt.timedelta(hours=3))
    counts["proposed pairs"] = len(result.pairs)
    return counts
