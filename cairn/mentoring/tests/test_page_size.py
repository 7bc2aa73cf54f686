"""The mentoring pages that could list everyone stay the same size from 50 people to
5,000: the matching proposal (a page of pairs; the mentor picker searches on the
server) and the mentor directory (a page of mentors)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from cairn.mentoring.models import Enrolment, Match, MentorProfile, Role, Unmatched
from cairn.mentoring.tests.factories import make_program
from cairn.people.models import Person
from cairn.testing import Cast, client_for
from cairn.testing.bulk import bulk_people, refresh_statistics

SMALL = 50
LARGE = 5_000
CAP = 100_000  # bytes: no page grows past about 100 KB with the organisation


def _sizes(grow: Callable[[int], None], client: Client, url: str) -> tuple[int, int]:
    grow(SMALL)
    small = client.get(url)
    assert small.status_code == 200
    grow(LARGE)
    # On PostgreSQL the planner must know of the 5,000 rows, or it nests loops over
    # them: a page query ran for over 17 minutes on CI and held its locks.
    refresh_statistics()
    large = client.get(url)
    assert large.status_code == 200
    return len(small.content), len(large.content)


def _assert_flat(small: int, large: int) -> None:
    assert large < small * 1.2 + 2_000, (small, large)
    assert large < CAP, large


def test_the_proposal_stays_the_same_size_from_50_to_5000_people(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    people: list[Person] = []

    def grow(n: int) -> None:
        new = bulk_people(cast.org, n - len(people))
        people.extend(new)
        # One in five a mentor (capacity 4), the others their mentees; one in ten of
        # those left unmatched.
        mentors = Enrolment.objects.bulk_create(
            Enrolment(program=program, person=p, role=Role.MENTOR, capacity=4) for p in new[::5]
        )
        mentees = Enrolment.objects.bulk_create(
            Enrolment(program=program, person=p, role=Role.MENTEE)
            for i, p in enumerate(new)
            if i % 5
        )
        Match.objects.bulk_create(
            Match(
                program=program,
                mentee=mentee,
                mentor=mentors[i // 4 % len(mentors)],
                score=1.0 + i % 7,
                reasons={"skills": 1.0, "goals": i % 7},
                pinned=i % 9 == 0,
            )
            for i, mentee in enumerate(mentees)
            if i % 10
        )
        Unmatched.objects.bulk_create(
            Unmatched(program=program, enrolment=mentee, reason="Nobody with room")
            for i, mentee in enumerate(mentees)
            if not i % 10
        )

    client = client_for(cast.program_admin)
    url = reverse("mentoring:proposal", args=[program.slug])
    _assert_flat(*_sizes(grow, client, url))
    pair = Match.objects.filter(program=program, status="proposed").first()
    assert pair is not None
    for params in (
        "?show=unmatched",
        "?show=pinned",
        "?show=low",
        f"?change={pair.code}&mentor_q=Bulk",
    ):
        assert len(client.get(url + params).content) < CAP, params


def test_the_mentor_directory_stays_the_same_size_from_50_to_5000_mentors(cast: Cast) -> None:
    made: list[Person] = []

    def grow(n: int) -> None:
        new = bulk_people(cast.org, n - len(made))
        made.extend(new)
        MentorProfile.objects.bulk_create(
            MentorProfile(organisation=cast.org, person=p, helps_with="Design reviews") for p in new
        )

    client = client_for(cast.report)
    _assert_flat(*_sizes(grow, client, reverse("mentoring:directory")))


def test_the_program_page_stays_the_same_size_from_50_to_5000_people(cast: Cast) -> None:
    """The enrol form's mentor choices and "not with" are pickers searched on the
    server: a fifth of the organisation enrolled as mentors lists none of them."""
    program = make_program(cast.program_admin)
    made: list[Person] = []

    def grow(n: int) -> None:
        new = bulk_people(cast.org, n - len(made))
        made.extend(new)
        Enrolment.objects.bulk_create(
            Enrolment(program=program, person=p, role=Role.MENTOR, capacity=2) for p in new[::5]
        )

    client = client_for(cast.report)
    url = reverse("mentoring:program", args=[program.slug])
    _assert_flat(*_sizes(grow, client, url))
    searched = client.get(url, {"not_with_q": "Bulk", "choice_1_q": "Bulk"})
    assert len(searched.content) < CAP


def test_the_requests_page_stays_the_same_size_from_50_to_5000_requests(cast: Cast) -> None:
    from cairn.mentoring.models import MentoringRequest

    made: list[Person] = []

    def grow(n: int) -> None:
        new = bulk_people(cast.org, n - len(made))
        made.extend(new)
        MentoringRequest.objects.bulk_create(
            MentoringRequest(
                organisation=cast.org,
                mentee=p,
                mentor=cast.coach,
                challenge="A challenge",
                goals="Goals",
            )
            for p in new
        )

    client = client_for(cast.coach)
    url = reverse("mentoring:requests")
    _assert_flat(*_sizes(grow, client, url))
    older = client.get(url, {"received": "2"}).content.decode()
    assert "21–40 of 5000" in older
