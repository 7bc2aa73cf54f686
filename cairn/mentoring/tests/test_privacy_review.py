"""A privacy review's extra cases: a program admin of another organisation, forged
posts by people who are not admins or not the pair, and the list pages' query
counts that the first round did not measure."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.mentoring import services
from cairn.mentoring.models import (
    Enrolment,
    Match,
    MatchStatus,
    MentoringRequest,
    RequestStatus,
)
from cairn.mentoring.tests.factories import (
    CHALLENGE,
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
    make_request,
)
from cairn.people.models import Person
from cairn.tags.models import Tag
from cairn.testing import Cast, client_for, count_queries, make_org, make_person

GOALS = "Secret goal: leave the platform team"


def _world(cast: Cast) -> tuple[MentoringRequest, Match]:
    make_profile(cast.coach)
    request = make_request(cast.report, cast.coach)
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach)
    enrol_mentee(program, cast.peer, goals=GOALS, gender="nonbinary", same_gender=False)
    services.run_matching(cast.program_admin, program)
    return request, Match.objects.get()


def _other_program_admin() -> Person:
    return make_person(make_org("Elsewhere"), "Olga Other", is_program_admin=True)


def test_a_program_admin_of_another_organisation_sees_and_changes_nothing(cast: Cast) -> None:
    request, match = _world(cast)
    client = client_for(_other_program_admin())
    slug = match.program.slug
    for url in [
        reverse("mentoring:request", args=[request.code]),
        reverse("mentoring:program", args=[slug]),
        reverse("mentoring:proposal", args=[slug]),
    ]:
        page = client.get(url)
        assert page.status_code == 404, url
        assert CHALLENGE not in page.content.decode()
    for url, data in [
        (reverse("mentoring:request-answer", args=[request.code]), {"decision": "accept"}),
        (reverse("mentoring:match-pin", args=[match.code]), {"pinned": "1"}),
        (
            reverse("mentoring:match-move", args=[match.code]),
            {"mentor": str(match.mentor.person.code)},
        ),
        (reverse("mentoring:match-answer", args=[match.code]), {"decision": "accept"}),
        (reverse("mentoring:proposal-run", args=[slug]), {}),
        (reverse("mentoring:proposal-publish", args=[slug]), {}),
        (reverse("mentoring:program-enrol", args=[slug]), {"role": "mentee"}),
    ]:
        assert client.post(url, data).status_code == 404, url
    for who in ("directory", "requests", "programs"):
        listing = client.get(reverse(f"mentoring:{who}")).content.decode()
        assert cast.coach.name not in listing
        assert CHALLENGE not in listing
    match.refresh_from_db()
    request.refresh_from_db()
    assert (match.status, match.pinned) == (MatchStatus.PROPOSED, False)
    assert request.status == RequestStatus.PENDING
    assert not Enrolment.objects.filter(person__organisation__name="Elsewhere").exists()


@pytest.mark.parametrize("who", ["manager", "director", "admin", "report"])
def test_people_who_are_not_program_admins_cannot_pin_move_or_publish(cast: Cast, who: str) -> None:
    _, match = _world(cast)
    client = client_for(cast.everyone()[who])
    slug = match.program.slug
    assert client.post(reverse("mentoring:match-pin", args=[match.code])).status_code == 404
    moved = client.post(
        reverse("mentoring:match-move", args=[match.code]),
        {"mentor": str(match.mentor.person.code)},
    )
    assert moved.status_code == 404
    assert client.post(reverse("mentoring:proposal-publish", args=[slug])).status_code == 404
    match.refresh_from_db()
    assert (match.status, match.pinned) == (MatchStatus.PROPOSED, False)


@pytest.mark.parametrize("who", ["manager", "director", "admin", "program_admin", "report"])
def test_only_the_pair_answers_a_published_pair(cast: Cast, who: str) -> None:
    _, match = _world(cast)
    services.publish(cast.program_admin, match.program)
    client_for(cast.everyone()[who]).post(
        reverse("mentoring:match-answer", args=[match.code]), {"decision": "decline"}
    )
    match.refresh_from_db()
    assert (match.status, match.mentee_answer, match.mentor_answer) == (
        MatchStatus.PUBLISHED,
        "pending",
        "pending",
    )


def test_the_mentor_of_a_published_pair_never_reads_the_mentees_answers(cast: Cast) -> None:
    _, match = _world(cast)
    services.publish(cast.program_admin, match.program)
    page = client_for(cast.coach).get(reverse("mentoring:program", args=[match.program.slug]))
    body = page.content.decode()
    assert cast.peer.name in body  # the coach sees who their mentee is
    assert GOALS not in body
    assert "nonbinary" not in body


def test_programs_and_tags_pages_cost_the_same_at_1_and_50_rows(cast: Cast) -> None:
    client = client_for(cast.program_admin)

    def measure(n: int) -> tuple[int, int]:
        while len(made) < n:
            make_program(cast.program_admin, name=f"Cohort {len(made)}")
            Tag.objects.create(
                organisation=cast.org, slug=f"tag-{len(made)}", name=f"Tag {len(made)}"
            )
            made.append(1)
        programs = count_queries(lambda: client.get(reverse("mentoring:programs")))
        tags = count_queries(lambda: client.get(reverse("mentoring:tags")))
        return programs, tags

    made: list[int] = []
    assert measure(1) == measure(50)


@pytest.mark.parametrize("decision", ["", "yes", "ACCEPT", "accept\u200b"])
def test_an_answer_that_is_neither_accept_nor_decline_changes_nothing(
    cast: Cast, decision: str
) -> None:
    # A post without a clear decision (a stale form, a forged or mangled one) must not
    # decline the pair: declining is final, and both people go back to the pool.
    _, match = _world(cast)
    services.publish(cast.program_admin, match.program)
    data = {"decision": decision} if decision else {}
    response = client_for(cast.peer).post(
        reverse("mentoring:match-answer", args=[match.code]), data
    )
    assert response.status_code == 422
    assert "Choose accept or decline" in response.content.decode()
    match.refresh_from_db()
    assert (match.status, match.mentee_answer, match.mentor_answer) == (
        MatchStatus.PUBLISHED,
        "pending",
        "pending",
    )


def test_a_mentor_who_has_left_is_not_listed_nor_asked(cast: Cast) -> None:
    # Someone whose account was deactivated cannot answer: asking them would leave
    # the mentee's challenge waiting, unread by anyone who can help.
    profile = make_profile(cast.coach, helps="quantum widgets")
    cast.coach.user.is_active = False
    cast.coach.user.save(update_fields=["is_active"])
    client = client_for(cast.report)
    assert "quantum widgets" not in client.get(reverse("mentoring:directory")).content.decode()
    assert client.get(reverse("mentoring:profile", args=[profile.code])).status_code == 404
    sent = client.post(
        reverse("mentoring:request-send", args=[profile.code]),
        {"challenge": CHALLENGE, "goals": "Speak with ease"},
    )
    assert sent.status_code == 404
    assert not MentoringRequest.objects.exists()
