"""Who to log in as: one demo person for every role a visitor needs to try each journey.

The cast is found by asking the seeded data, not by naming usernames: the mentor is
someone with a mentor profile and a request waiting for them, the story reviewer is
someone whose level lets them review and who has a story to review, and so on. If an
app's demo seed changes who does what, the printed log-ins follow it; if a role is
left with nobody, ``find_cast`` raises, and the demo tests fail.

Each role prefers someone not already cast in an earlier role, so a visitor meets as
many different people as the data allows; when only one person fits (the demo has one
story reviewer), they are printed again. About twenty small queries, run on every
``make run``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from cairn.coaching.models import (
    ActionItem,
    Direction,
    Engagement,
    EngagementKind,
    EngagementStatus,
)
from cairn.demo.builder import DEMO_NAME, DEMO_PASSWORD, DEMO_URL
from cairn.evaluation.models import CycleStatus, ReviewCycle
from cairn.growth.models import Objective, PlanShare
from cairn.library.models import Story, StoryStatus
from cairn.mastery.builtin_ladders import LIBRARY_LADDER
from cairn.mastery.models import Grant, Privilege
from cairn.mastery.policy import people_with_privilege
from cairn.mentoring.models import (
    Match,
    MatchStatus,
    MentoringRequest,
    MentorProfile,
    Program,
    RequestStatus,
)
from cairn.people.models import Organisation, Person


class MissingRole(Exception):
    """The demo data has nobody who can play a role the log-ins promise."""


@dataclass(frozen=True)
class Role:
    role: str
    person: Person
    todo: str  # what to try as them, one line

    @property
    def username(self) -> str:
        return self.person.user.username


# The roles in the order they are printed.
ROLES = (
    "manager",
    "report",
    "coach",
    "coachee",
    "mentor",
    "mentee",
    "program admin",
    "story reviewer",
    "publisher",
    "contributor",
    "org admin",
    "HR",
)


def find_cast(
    organisation: Organisation, *, now: dt.datetime | None = None, strict: bool = True
) -> list[Role]:
    """One person per role in ``ROLES``, with what to try as them. Strict, a role the
    data has nobody for raises ``MissingRole``; otherwise it is left out (a demo that
    people have used: the request answered, the proposal published)."""
    return _Casting(organisation, now or timezone.now()).cast(strict=strict)


class _Casting:
    def __init__(self, organisation: Organisation, now: dt.datetime) -> None:
        self.organisation = organisation
        self.today = timezone.localdate(now)
        self.chosen: set[int] = set()
        self.people = Person.objects.filter(organisation=organisation).select_related("user")

    def cast(self, *, strict: bool) -> list[Role]:
        # Always in this order, so "prefer someone new" decides the same way on every
        # build; the report comes first, so that the manager printed is theirs.
        found: list[Role] = []

        def attempt(finder: Callable[[], Role]) -> Role | None:
            try:
                member = finder()
            except MissingRole:
                if strict:
                    raise
                return None
            found.append(member)
            return member

        report = attempt(self._report)
        if report is not None:
            attempt(lambda: self._manager(report.person))
        for finder in (
            self._coach,
            self._coachee,
            self._mentor,
            self._mentee,
            self._program_admin,
            self._story_reviewer,
            self._publisher,
            self._contributor,
            self._org_admin,
            self._hr,
        ):
            attempt(finder)
        by_role = {member.role: member for member in found}
        return [by_role[role] for role in ROLES if role in by_role]

    @cached_property
    def _plan_shares(self) -> set[tuple[int, int]]:
        """Who shares their plan with whom, as (owner, reader) ids."""
        return set(
            PlanShare.objects.filter(owner__organisation=self.organisation).values_list(
                "owner_id", "shared_with_id"
            )
        )

    def _pick(self, role: str, candidates: Iterable[Person]) -> Person:
        """The first candidate not cast yet, or else the first; raises when none."""
        candidates = list(candidates)
        if not candidates:
            raise MissingRole(f"The demo has nobody to log in as the {role}.")
        person = next((p for p in candidates if p.pk not in self.chosen), candidates[0])
        self.chosen.add(person.pk)
        return person

    def _engagements(self, kind: str) -> Iterable[Engagement]:
        return (
            Engagement.objects.filter(
                organisation=self.organisation, kind=kind, status=EngagementStatus.ACTIVE
            )
            .select_related("giver__user", "receiver__user")
            .order_by("receiver__name")
        )

    # --- coaching: one-on-ones and coaching engagements ------------------------------

    def _report(self) -> Role:
        """A report with an overdue action item in their one-on-one and a development
        plan they shared with someone, but not with their manager."""
        overdue = ActionItem.objects.open().filter(
            engagement__kind=EngagementKind.ONE_ON_ONE,
            engagement__receiver=OuterRef("pk"),
            owner=OuterRef("pk"),
            due_on__lt=self.today,
        )
        shares = PlanShare.objects.filter(owner=OuterRef("pk"))
        shared_elsewhere = shares.exclude(shared_with=OuterRef("manager"))
        shared_with_manager = shares.filter(shared_with=OuterRef("manager"))
        # Best of all, one whose plan has an objective to review in the next one-on-one:
        # the manager sees the session, never the objective.
        for_next_one_on_one = Objective.objects.filter(
            plan__owner=OuterRef("pk"),
            session__engagement__kind=EngagementKind.ONE_ON_ONE,
            session__completed_at__isnull=True,
        )
        person = self._pick(
            "report",
            self.people.filter(manager__isnull=False)
            .filter(Exists(overdue), Exists(shared_elsewhere), ~Exists(shared_with_manager))
            .annotate(spotlit=Exists(for_next_one_on_one))
            .order_by("-spotlit", "name")
            .select_related("manager"),
        )
        manager = person.manager
        if manager is None:  # the query asked for a manager; this is for the type checker
            raise MissingRole("The demo's report has no manager.")
        return Role(
            "report",
            person,
            f"your one-on-ones with {manager.first_name}, an overdue action item, "
            f"a plan {manager.first_name} cannot read",
        )

    def _manager(self, report: Person) -> Role:
        """The report's manager, so the two log-ins meet in one one-on-one."""
        person = self._pick("manager", self.people.filter(reports=report))
        reports = Person.objects.filter(manager=person).count()
        return Role(
            "manager",
            person,
            f"run a one-on-one with {report.first_name}, one of your {reports} reports",
        )

    def _coach(self) -> Role:
        """Whoever coaches the most people."""
        coaching = Q(
            giving__kind=EngagementKind.COACHING,
            giving__status=EngagementStatus.ACTIVE,
        )
        candidates = list(
            self.people.annotate(coachees=Count("giving", filter=coaching))
            .filter(coachees__gt=0)
            .order_by("-coachees", "name")
        )
        # The annotation has counted them already (the stubs lose it through list()).
        coachees = {c.pk: c.coachees for c in candidates}  # type: ignore[attr-defined]
        person = self._pick("coach", candidates)
        return Role(
            "coach",
            person,
            f"coach your {coachees[person.pk]} coachees: questions first, advice only where agreed",
        )

    def _coachee(self) -> Role:
        """Someone being coached, preferring one who shared their plan with the coach."""
        person, coach, shared = self._receiver(
            "coachee", self._engagements(EngagementKind.COACHING)
        )
        plan = " and the plan you shared" if shared else ""
        return Role(
            "coachee",
            person,
            f"your coaching with {coach.first_name}: the agreement{plan}",
        )

    def _receiver(
        self, role: str, engagements: Iterable[Engagement]
    ) -> tuple[Person, Person, bool]:
        """The receiver of one of ``engagements`` to cast as ``role``, preferring one who
        shared their plan with the giver: the person, the giver, and whether they did."""
        shared = self._plan_shares
        ordered = sorted(engagements, key=lambda e: (e.receiver_id, e.giver_id) not in shared)
        by_receiver = {e.receiver_id: e for e in reversed(ordered)}
        person = self._pick(role, [e.receiver for e in ordered])
        giver = by_receiver[person.pk].giver
        return person, giver, (person.pk, giver.pk) in shared

    # --- mentoring -------------------------------------------------------------------

    def _mentor(self) -> Role:
        """A mentor with a profile and a mentoring request waiting for their answer."""
        pending = MentoringRequest.objects.filter(
            mentor=OuterRef("person"), status=RequestStatus.PENDING
        )
        profiles = (
            MentorProfile.objects.filter(organisation=self.organisation)
            .listed()
            .filter(Exists(pending))
            .select_related("person__user")
            .order_by("person__name")
        )
        person = self._pick("mentor", [profile.person for profile in profiles])
        request = (
            MentoringRequest.objects.filter(mentor=person, status=RequestStatus.PENDING)
            .select_related("mentee")
            .earliest("created_at")
        )
        return Role(
            "mentor",
            person,
            f"answer {request.mentee.first_name}'s mentoring request, waiting for you",
        )

    def _mentee(self) -> Role:
        """Someone mentored (not the reverse kind), preferring one who shared their
        plan with their mentor."""
        engagements = [
            e
            for e in self._engagements(EngagementKind.MENTORING)
            if e.direction != Direction.UPWARD
        ]
        person, mentor, shared = self._receiver("mentee", engagements)
        plan = ", the plan you share" if shared else ""
        return Role(
            "mentee",
            person,
            f"your sessions with your mentor {mentor.first_name}{plan}, the stories they suggest",
        )

    def _program_admin(self) -> Role:
        """A program admin, with a program whose proposed pairs wait to be published."""
        program = (
            Program.objects.filter(organisation=self.organisation)
            .filter(
                Exists(Match.objects.filter(program=OuterRef("pk"), status=MatchStatus.PROPOSED))
            )
            .order_by("name")
            .first()
        )
        if program is None:
            raise MissingRole("The demo has no program with proposed pairs to review.")
        # Whoever created the program first.
        candidates = sorted(
            self.people.filter(is_program_admin=True),
            key=lambda p: (p.pk != program.created_by_id, p.name),
        )
        person = self._pick("program admin", candidates)
        return Role(
            "program admin",
            person,
            f"review the {program.name}'s proposed pairs, then publish them",
        )

    # --- the story library -------------------------------------------------------------

    def _story_reviewer(self) -> Role:
        """Someone who may review stories, with a story by someone else in review."""
        in_review = Story.objects.filter(
            organisation=self.organisation, status=StoryStatus.IN_REVIEW
        ).exclude(author=OuterRef("pk"))
        candidates = (
            people_with_privilege(self.organisation.pk, Privilege.REVIEW_STORIES)
            .filter(Exists(in_review))
            .select_related("user")
            .order_by("name")
        )
        person = self._pick("story reviewer", candidates)
        waiting = (
            Story.objects.filter(organisation=self.organisation, status=StoryStatus.IN_REVIEW)
            .exclude(author=person)
            .count()
        )
        return Role(
            "story reviewer",
            person,
            f"review the {waiting} stories waiting for you: start with what is good",
        )

    def _publisher(self) -> Role:
        """Someone who publishes without review but is not a reviewer themselves."""
        reviewers = people_with_privilege(self.organisation.pk, Privilege.REVIEW_STORIES)
        candidates = (
            people_with_privilege(self.organisation.pk, Privilege.PUBLISH_WITHOUT_REVIEW)
            .exclude(pk__in=reviewers.values("pk"))
            .select_related("user")
            .order_by("name")
        )
        person = self._pick("publisher", candidates)
        return Role(
            "publisher",
            person,
            "write a story and publish it without review: your level allows it",
        )

    def _contributor(self) -> Role:
        """Someone at the library ladder's "contributor" level with a story returned
        to them by a reviewer."""
        latest_library_level = (
            Grant.objects.filter(person=OuterRef("pk"), level__ladder__slug=LIBRARY_LADDER)
            .order_by("-granted_at", "-id")
            .values("level__slug")[:1]
        )
        returned = Story.objects.filter(author=OuterRef("pk"), status=StoryStatus.RETURNED)
        candidates = (
            self.people.annotate(library_level=latest_library_level)
            .filter(library_level="contributor")
            .filter(Exists(returned))
        )
        person = self._pick("contributor", candidates)
        story = (
            Story.objects.filter(author=person, status=StoryStatus.RETURNED)
            .order_by("title")
            .first()
        )
        if story is None:  # the query asked for a returned story; for the type checker
            raise MissingRole("The demo's contributor has no returned story.")
        return Role(
            "contributor",
            person,
            f'revise "{story.title}", returned to you, and submit it again',
        )

    # --- people ----------------------------------------------------------------------

    def _org_admin(self) -> Role:
        person = self._pick("org admin", self.people.filter(is_org_admin=True))
        return Role(
            "org admin",
            person,
            "add people and teams; no one's coaching content is open to you",
        )

    # --- evaluation --------------------------------------------------------------------

    def _hr(self) -> Role:
        """Someone with the HR role, with a review cycle open."""
        cycle = (
            ReviewCycle.objects.filter(organisation=self.organisation, status=CycleStatus.OPEN)
            .order_by("-period_start")
            .first()
        )
        if cycle is None:
            raise MissingRole("The demo has no open review cycle for HR to run.")
        person = self._pick("HR", self.people.filter(is_hr=True).order_by("name"))
        return Role(
            "HR",
            person,
            f"run the {cycle.name} review cycle; evaluation only, no coaching content",
        )


def format_logins(organisation: Organisation) -> str:
    """The demo's address, its one password, and the cast: who to log in as, and
    what to try as them."""
    cast = find_cast(organisation, strict=False)
    width = max((len(member.username) for member in cast), default=0)
    lines = [
        f"{DEMO_NAME} is ready.",
        "",
        f"  Open      {DEMO_URL}",
        f"  Password  {DEMO_PASSWORD}   (the same for every demo user)",
        "",
        "  Log in as",
        *(f"    {member.username.ljust(width)}  {member.role} — {member.todo}" for member in cast),
    ]
    missing = [role for role in ROLES if role not in {member.role for member in cast}]
    if missing:
        lines += [
            "",
            f"  Used up in this demo: {', '.join(missing)} (nobody is left waiting",
            "  to try these as). A fresh database (by default: delete var/cairn.sqlite3)",
            "  gets a fresh demo.",
        ]
    return "\n".join(lines)
