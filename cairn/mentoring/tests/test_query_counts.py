"""Query counts of the mentoring pages: the same at 1 row and at 50."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from cairn.mentoring.models import (
    Enrolment,
    Match,
    MentoringRequest,
    Program,
    Role,
    SensitiveAnswer,
)
from cairn.mentoring.tests.factories import make_profile, make_program
from cairn.testing import Cast, client_for, count_queries, make_person

SMALL = 1
LARGE = 50
# Three queries on who is asking (session, user, person) in each.
# + 1 on every whole page: the bell's unread notifications in the navigation.
# + has-profile, tag choices, count, page, expertise prefetch (+ the tag filtered by).
DIRECTORY_QUERIES = 10
REQUESTS_QUERIES = 8  # + a page of sent and of received, each with its count
# + own enrolment, its tags, goal tags, "not with" and shortlist, pairs, counts, and
# the choices of the form (tags twice, three shortlist places, people).
PROGRAM_QUERIES = 18
# + pairs, mentors, sensitive answers, unmatched, and the reads written to the access
# log of the people shown: their enrolments, the sensitive answers (one bulk write each).
PROPOSAL_QUERIES = 11


def _same_at_both_sizes(grow: Callable[[int], None], client: Client, url: str, bound: int) -> None:
    grow(SMALL)
    small = count_queries(lambda: client.get(url))
    grow(LARGE)
    large = count_queries(lambda: client.get(url))
    assert small == large <= bound, (small, large)


def test_directory_costs_the_same_at_1_and_50_mentors(cast: Cast) -> None:
    made: list[object] = []

    def grow(n: int) -> None:
        while len(made) < n:
            made.append(make_profile(make_person(cast.org), tags=("architecture", "security")))

    client = client_for(cast.report)
    _same_at_both_sizes(grow, client, reverse("mentoring:directory"), DIRECTORY_QUERIES)
    open_only = reverse("mentoring:directory") + "?open=on&tag=security&q=helps"
    assert count_queries(lambda: client.get(open_only)) <= DIRECTORY_QUERIES


def test_requests_page_costs_the_same_at_1_and_50_requests(cast: Cast) -> None:
    make_profile(cast.coach, capacity=10)
    requests: list[MentoringRequest] = []

    def grow(n: int) -> None:
        while len(requests) < n:
            requests.append(
                MentoringRequest.objects.create(
                    organisation=cast.org,
                    mentee=make_person(cast.org),
                    mentor=cast.coach,
                    challenge="c",
                    goals="g",
                )
            )

    url = reverse("mentoring:requests")
    _same_at_both_sizes(grow, client_for(cast.coach), url, REQUESTS_QUERIES)


def _enrol_many(program: Program, role: str, n: int, made: list[Enrolment]) -> None:
    while len(made) < n:
        made.append(
            Enrolment.objects.create(
                program=program, person=make_person(program.organisation), role=role, capacity=1
            )
        )


def test_program_page_costs_the_same_at_1_and_50_enrolments(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    Enrolment.objects.create(program=program, person=cast.peer, role=Role.MENTEE)
    made: list[Enrolment] = []
    url = reverse("mentoring:program", args=[program.slug])
    _same_at_both_sizes(
        lambda n: _enrol_many(program, Role.MENTOR, n, made),
        client_for(cast.peer),
        url,
        PROGRAM_QUERIES,
    )


def test_proposal_page_costs_the_same_at_1_and_50_pairs(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    pairs: list[Match] = []

    def grow(n: int) -> None:
        while len(pairs) < n:
            mentor = Enrolment.objects.create(
                program=program, person=make_person(cast.org), role=Role.MENTOR
            )
            mentee = Enrolment.objects.create(
                program=program, person=make_person(cast.org), role=Role.MENTEE
            )
            SensitiveAnswer.objects.create(enrolment=mentee, gender="x", same_gender=True)
            pairs.append(
                Match.objects.create(
                    program=program,
                    mentee=mentee,
                    mentor=mentor,
                    score=1.5,
                    reasons={"skills": 1.5},
                )
            )

    url = reverse("mentoring:proposal", args=[program.slug])
    _same_at_both_sizes(grow, client_for(cast.program_admin), url, PROPOSAL_QUERIES)
