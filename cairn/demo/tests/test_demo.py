from __future__ import annotations

import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db.models import Model
from django.test import Client
from pytest_django import DjangoDbBlocker, Settings

from cairn.coaching.models import (
    ActionItem,
    AgendaItem,
    Cadence,
    Direction,
    Engagement,
    EngagementKind,
    EngagementStatus,
    Note,
    NoteVisibility,
    Session,
)
from cairn.coaching.nudges import looks_like_status_report
from cairn.demo.builder import (
    DEMO_PASSWORD,
    DEMO_URL,
    SPOTLIGHT_REPORT,
    DemoConflict,
    Result,
    build_demo,
)
from cairn.demo.cast import ROLES, MissingRole, find_cast
from cairn.demo.texts import STATUS_AGENDA, THEMES
from cairn.evaluation.models import CycleStatus, ReviewCycle
from cairn.growth.models import DevelopmentPlan, PlanShare
from cairn.library.models import Story, StoryStatus
from cairn.library.policy import can_review, can_submit, is_reviewer, publishes_without_review
from cairn.mastery.builtin_ladders import LIBRARY_LADDER
from cairn.mastery.models import Ladder
from cairn.mastery.policy import current_level
from cairn.mentoring.models import (
    MatchStatus,
    MentoringRequest,
    MentorProfile,
    Program,
    RequestStatus,
)
from cairn.mentoring.policy import can_answer_request, can_manage_program
from cairn.people.models import Organisation, Person, Team, User

# The Monday after the clocks go back: sessions a year earlier fall either side of
# two daylight-saving changes.
NOW = dt.datetime(2025, 10, 27, 8, 45, tzinfo=ZoneInfo("Europe/London"))
TODAY = NOW.date()

MODELS: tuple[type[Model], ...] = (
    Organisation,
    User,
    Person,
    Team,
    Engagement,
    Session,
    AgendaItem,
    Note,
    ActionItem,
)


@pytest.fixture(autouse=True)
def _local_machine(settings: Settings) -> None:
    # The test runner turns DEBUG off; the demo runs where it is on, on a laptop.
    settings.DEBUG = True


@pytest.fixture(scope="module")
def demo(module_db: None, django_db_blocker: DjangoDbBlocker) -> Result:
    """Build the demo once for the module (``module_db``: rolled back afterwards);
    each test runs in a savepoint within it."""
    with django_db_blocker.unblock():
        return build_demo(now=NOW)


@pytest.fixture
def org(demo: Result, db: None) -> Organisation:
    return demo.organisation


def person(username: str) -> Person:
    return Person.objects.select_related("manager").get(user__username=username)


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def test_builds_about_forty_people_in_teams(demo: Result, org: Organisation) -> None:
    assert demo.created
    staff = Person.objects.filter(organisation=org)
    assert 35 <= staff.count() <= 45
    assert {"Platform", "Payments", "Mobile", "Data"} <= set(
        Team.objects.filter(organisation=org).values_list("name", flat=True)
    )
    assert not staff.filter(team=None).exists()
    # The director, and HR's partner, who reports outside engineering.
    assert list(staff.filter(manager=None).values_list("title", flat=True)) == [
        "Director of Engineering",
        "HR Business Partner",
    ]
    assert staff.filter(is_org_admin=True).count() == 1
    assert staff.filter(title__startswith="Engineering Manager").count() == 4


def test_every_reporting_line_has_an_active_one_on_one(org: Organisation) -> None:
    lines = set(
        Person.objects.filter(organisation=org, manager__isnull=False).values_list(
            "manager_id", "id"
        )
    )
    one_on_ones = set(
        Engagement.objects.filter(
            organisation=org, kind=EngagementKind.ONE_ON_ONE, status=EngagementStatus.ACTIVE
        ).values_list("giver_id", "receiver_id")
    )
    assert lines == one_on_ones


def test_one_on_ones_span_a_year_and_end_in_one_session_this_week(org: Organisation) -> None:
    one_on_ones = Engagement.objects.filter(organisation=org, kind=EngagementKind.ONE_ON_ONE)
    cadences = set()
    for engagement in one_on_ones.prefetch_related("sessions"):
        cadences.add(engagement.cadence)
        sessions = list(engagement.sessions.all())
        *held, upcoming = sessions
        assert upcoming.completed_at is None
        assert NOW < upcoming.scheduled_for <= NOW + dt.timedelta(days=7)
        assert all(s.completed_at is not None and s.completed_at <= NOW for s in held)
        assert engagement.created_at <= held[0].scheduled_for
        # Sessions keep to the cadence, skipping the odd week but never doubling up.
        interval = Cadence(engagement.cadence).interval
        for before, after in itertools.pairwise(sessions):
            assert (after.scheduled_for - before.scheduled_for) >= interval - dt.timedelta(hours=1)
    assert cadences == {Cadence.WEEKLY, Cadence.FORTNIGHTLY}
    earliest = Session.objects.filter(engagement__in=one_on_ones).earliest("scheduled_for")
    assert NOW - dt.timedelta(days=380) < earliest.scheduled_for < NOW - dt.timedelta(days=340)


def test_sessions_have_agendas_notes_and_action_items(org: Organisation) -> None:
    held = Session.objects.filter(engagement__organisation=org, completed_at__isnull=False)
    assert not held.filter(agenda_items=None).exists()
    assert held.filter(notes__visibility=NoteVisibility.SHARED).distinct().count() > (
        held.count() // 2
    )
    for item in ActionItem.objects.filter(engagement__organisation=org).select_related(
        "engagement"
    ):
        assert item.engagement.is_party(item.owner)
        assert item.done_at is None or item.created_at <= item.done_at <= NOW


def test_private_notes_are_visible_only_to_their_author(org: Organisation) -> None:
    private = list(
        Note.objects.filter(
            session__engagement__organisation=org, visibility=NoteVisibility.PRIVATE
        ).select_related(
            "session__engagement__giver", "session__engagement__receiver__manager", "author"
        )
    )
    assert len(private) >= 20
    admin = Person.objects.get(organisation=org, is_org_admin=True)
    visible: dict[int, set[int]] = {}

    def can_see(viewer: Person, note: Note) -> bool:
        if viewer.pk not in visible:
            visible[viewer.pk] = set(Note.objects.visible_to(viewer).values_list("id", flat=True))
        return note.pk in visible[viewer.pk]

    for note in private:
        engagement = note.session.engagement
        assert can_see(note.author, note)
        # Not the other party, not the org admin, not the receiver's manager.
        others = {engagement.other_party(note.author), admin, engagement.receiver.manager}
        for viewer in others - {note.author, None}:
            assert viewer is not None
            assert not can_see(viewer, note), viewer


def test_undiscussed_points_are_carried_into_the_next_session(org: Organisation) -> None:
    carried = AgendaItem.objects.filter(
        session__engagement__organisation=org, carried_from__isnull=False
    ).select_related("session", "carried_from__session")
    assert carried.count() > 50
    for item in carried:
        original = item.carried_from
        assert original is not None
        assert not original.discussed
        assert original.text == item.text
        assert original.session.engagement_id == item.session.engagement_id
        assert original.session.is_completed
        assert original.session.scheduled_for < item.session.scheduled_for
    # Every point left undiscussed in a held session of an open engagement moved on.
    left_behind = AgendaItem.objects.filter(
        session__engagement__organisation=org,
        session__engagement__status=EngagementStatus.ACTIVE,
        session__completed_at__isnull=False,
        discussed=False,
        carried_to__isnull=True,
    )
    assert not left_behind.exists()


def test_status_points_are_flagged_and_rare(org: Organisation) -> None:
    agenda = AgendaItem.objects.filter(session__engagement__organisation=org)
    flagged = 0
    for text, looks_like_status in agenda.values_list("text", "looks_like_status"):
        assert looks_like_status == looks_like_status_report(text)
        flagged += looks_like_status
    assert 0 < flagged < agenda.count() // 10


def test_text_pools_say_what_they_mean() -> None:
    for text in STATUS_AGENDA:
        assert looks_like_status_report(text.format(ticket="PAY-123")), text
    for theme in THEMES.values():
        for text in (*theme.receiver_agenda, *theme.giver_agenda):
            assert not looks_like_status_report(text), text
        for text in (*theme.receiver_agenda, *theme.giver_agenda, *theme.receiver_actions):
            assert len(text.format(giver="Giver", receiver="Receiver")) <= 300


def test_overdue_open_action_items_exist(org: Organisation) -> None:
    items = ActionItem.objects.filter(engagement__organisation=org)
    overdue = items.open().filter(due_on__lt=TODAY)
    assert overdue.exists()
    assert overdue.filter(owner__user__username=SPOTLIGHT_REPORT).exists()
    assert items.open().filter(due_on__gte=TODAY).exists()
    # Most are done: follow-through looks like a team that cares.
    assert items.open().count() < items.count() // 10


def test_other_kinds_of_engagement(org: Organisation) -> None:
    engagements = Engagement.objects.filter(organisation=org).exclude(
        kind=EngagementKind.ONE_ON_ONE
    )
    active = engagements.filter(status=EngagementStatus.ACTIVE)
    for kind in (
        EngagementKind.COACHING,
        EngagementKind.COMPETENCY_COACHING,
        EngagementKind.MENTORING,
        EngagementKind.COUNSELING,
    ):
        of_kind = active.filter(kind=kind)
        assert of_kind.exists(), kind
        for engagement in of_kind:
            assert 3 <= engagement.sessions.filter(completed_at__isnull=False).count() <= 8
            assert engagement.sessions.upcoming().count() == 1
    assert active.filter(kind=EngagementKind.COUNSELING).count() == 1
    reverse = active.get(kind=EngagementKind.MENTORING, direction=Direction.UPWARD)
    assert reverse.receiver.manager is None  # the director learns from a junior engineer
    mentoring = active.filter(kind=EngagementKind.MENTORING).select_related("giver", "receiver")
    assert any(e.giver.team_id != e.receiver.team_id for e in mentoring)
    proposed = engagements.get(status=EngagementStatus.PROPOSED)
    assert not proposed.sessions.exists()
    assert proposed.agreed_at is None


def test_running_again_changes_nothing(org: Organisation) -> None:
    before = counts()
    again = build_demo(now=NOW)
    assert not again.created
    assert again.organisation == org
    build_demo()
    assert counts() == before


def test_command_prints_the_log_ins(org: Organisation) -> None:
    out = io.StringIO()
    before = counts()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert DEMO_URL in printed
    assert DEMO_PASSWORD in printed
    cast = find_cast(org)
    assert [member.role for member in cast] == list(ROLES)
    for member in cast:
        assert f"    {member.username} " in printed
        assert f" {member.role} — {member.todo}\n" in printed + "\n"
        assert Client().login(username=member.username, password=DEMO_PASSWORD)
    assert counts() == before


def test_the_cast_covers_every_journey(org: Organisation) -> None:
    printed_roles = {member.role for member in find_cast(org, now=NOW)}
    assert printed_roles == {
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
    }


def test_the_cast_are_demo_people_and_mostly_different_ones(org: Organisation) -> None:
    cast = find_cast(org, now=NOW)
    for member in cast:
        assert member.person.organisation_id == org.pk
        assert member.person.user.username == member.username
        assert User.objects.filter(username=member.username).exists()
    # Only the library's one reviewer may appear twice.
    assert len({member.username for member in cast}) >= len(cast) - 1


def test_the_cast_hold_their_roles(org: Organisation) -> None:
    cast = {member.role: member.person for member in find_cast(org, now=NOW)}
    manager, report = cast["manager"], cast["report"]
    assert report.manager == manager
    one_on_one = Engagement.objects.get(
        kind=EngagementKind.ONE_ON_ONE, giver=manager, receiver=report
    )
    overdue = ActionItem.objects.filter(engagement=one_on_one, owner=report, due_on__lt=TODAY)
    assert overdue.open().exists()
    assert DevelopmentPlan.objects.filter(owner=report).exists()
    assert PlanShare.objects.filter(owner=report).exists()
    assert not PlanShare.objects.filter(owner=report, shared_with=manager).exists()
    # ...so the manager cannot read the plan the report shares with someone else.
    assert not DevelopmentPlan.objects.visible_to(manager).filter(owner=report).exists()

    active = Engagement.objects.filter(status=EngagementStatus.ACTIVE)
    assert active.filter(kind=EngagementKind.COACHING, giver=cast["coach"]).exists()
    assert active.filter(kind=EngagementKind.COACHING, receiver=cast["coachee"]).exists()
    assert active.filter(kind=EngagementKind.MENTORING, receiver=cast["mentee"]).exists()

    mentor = cast["mentor"]
    assert MentorProfile.objects.filter(person=mentor).exists()
    waiting = MentoringRequest.objects.filter(mentor=mentor, status=RequestStatus.PENDING)
    assert any(can_answer_request(mentor, request) for request in waiting)

    admin = cast["program admin"]
    proposed = Program.objects.filter(
        organisation=org, matches__status=MatchStatus.PROPOSED
    ).distinct()
    assert any(can_manage_program(admin, program) for program in proposed)

    reviewer = cast["story reviewer"]
    in_review = Story.objects.filter(organisation=org, status=StoryStatus.IN_REVIEW)
    assert any(can_review(reviewer, story) for story in in_review)

    publisher = cast["publisher"]
    assert publishes_without_review(publisher)
    assert not is_reviewer(publisher)

    contributor = cast["contributor"]
    library = Ladder.objects.get(slug=LIBRARY_LADDER)
    assert current_level(contributor, library).slug == "contributor"
    assert not publishes_without_review(contributor)
    returned = Story.objects.filter(author=contributor, status=StoryStatus.RETURNED)
    assert any(can_submit(contributor, story) for story in returned)

    assert cast["org admin"].is_org_admin
    assert cast["HR"].is_hr
    assert ReviewCycle.objects.visible_to(cast["HR"]).filter(status=CycleStatus.OPEN).exists()


def test_the_spotlit_people_are_who_the_demo_tells_of(org: Organisation) -> None:
    marcus, ravi = person("marcus"), person("ravi")
    assert marcus.reports.count() == 8
    assert ravi.manager == marcus
    assert Engagement.objects.filter(giver=person("grace"), kind=EngagementKind.COACHING).exists()
    assert Engagement.objects.filter(
        giver=person("tomasz"), receiver=ravi, kind=EngagementKind.MENTORING
    ).exists()
    assert person("priya").is_org_admin
    assert person("amara").manager is None
    # The spotlit report, with an objective for the next one-on-one, is the one cast.
    cast = {member.role: member.username for member in find_cast(org, now=NOW)}
    assert cast["report"] == SPOTLIGHT_REPORT
    assert cast["manager"] == "marcus"


def test_no_role_goes_unprinted_when_the_data_lacks_it(org: Organisation) -> None:
    MentoringRequest.objects.filter(organisation=org, status=RequestStatus.PENDING).delete()
    with pytest.raises(MissingRole, match="mentor"):
        find_cast(org, now=NOW)


def test_a_used_demo_still_serves_and_says_which_roles_are_used_up(org: Organisation) -> None:
    # The mentor answered the only requests waiting: make run must still serve.
    MentoringRequest.objects.filter(organisation=org, status=RequestStatus.PENDING).delete()
    out = io.StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    assert "Used up in this demo: mentor" in printed
    assert " mentor — " not in printed
    assert " manager — " in printed
    assert " org admin — " in printed


def test_demo_password_passes_the_validators(org: Organisation) -> None:
    for user in User.objects.filter(person__organisation=org):
        validate_password(DEMO_PASSWORD, user)


def test_demo_is_not_loaded_when_its_usernames_are_taken(org: Organisation) -> None:
    # Another organisation that happens to have the demo's people in it.
    Organisation.objects.filter(pk=org.pk).update(slug="someone-else")
    before = counts()
    with pytest.raises(DemoConflict, match="marcus"):
        build_demo(now=NOW)
    err = io.StringIO()
    call_command("demo", stdout=io.StringIO(), stderr=err)
    assert "was not loaded" in err.getvalue()
    assert counts() == before


def test_command_refuses_production_without_consent(settings: Settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="allow-production"):
        call_command("demo", stdout=io.StringIO())


def test_command_refuses_a_deployment_with_debug_off(settings: Settings) -> None:
    # CAIRN_PRODUCTION forgotten, but DEBUG off: still a real deployment.
    settings.PRODUCTION = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="allow-production"):
        call_command("demo", stdout=io.StringIO())
