"""Who sees what in mentoring, walking the cast (policy.py's table)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.mentoring import services
from cairn.mentoring.models import (
    Enrolment,
    Match,
    MentoringRequest,
    MentorProfile,
    Program,
    SensitiveAnswer,
)
from cairn.mentoring.tests.factories import (
    CHALLENGE,
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
    make_request,
)
from cairn.testing import Cast, client_for

# Riley (the report) asks the coach; Riley's manager and director must never read it.
REQUEST_READERS = {"report": 200, "coach": 200, "program_admin": 200}


@pytest.mark.parametrize(
    "who",
    ["director", "manager", "report", "peer", "coach", "admin", "program_admin", "hr", "outsider"],
)
def test_challenge_text_is_seen_by_mentee_mentor_and_program_admins_only(
    cast: Cast, who: str
) -> None:
    request = make_request(cast.report, cast.coach)
    viewer = cast.everyone()[who]
    page = client_for(viewer).get(reverse("mentoring:request", args=[request.code]))
    expected = REQUEST_READERS.get(who, 404)
    assert page.status_code == expected
    assert (CHALLENGE in page.content.decode()) == (expected == 200)
    listing = client_for(viewer).get(reverse("mentoring:requests")).content.decode()
    assert CHALLENGE not in listing
    visible = MentoringRequest.objects.visible_to(viewer).filter(pk=request.pk).exists()
    assert visible == (expected == 200)


def test_the_mentees_manager_never_sees_the_request_even_listed(cast: Cast) -> None:
    make_request(cast.report, cast.coach)
    for who in ("manager", "director"):
        page = client_for(cast.everyone()[who]).get(reverse("mentoring:requests"))
        assert cast.report.name not in page.content.decode()


def test_profiles_are_seen_across_the_organisation_and_nowhere_else(cast: Cast) -> None:
    profile = make_profile(cast.coach, helps="Helps with quantum widgets")
    for who, person in cast.everyone().items():
        page = client_for(person).get(reverse("mentoring:profile", args=[profile.code]))
        directory = client_for(person).get(reverse("mentoring:directory")).content.decode()
        if who == "outsider":
            assert page.status_code == 404
            assert "quantum widgets" not in directory
        else:
            assert page.status_code == 200
            assert "quantum widgets" in directory


def _program_with_answers(cast: Cast) -> tuple[Program, Enrolment, Enrolment]:
    program = make_program(cast.program_admin)
    mentor = enrol_mentor(program, cast.coach)
    mentee = enrol_mentee(
        program,
        cast.peer,
        goals="Secret goal: leave the platform team",
        gender="nonbinary",
        same_gender=False,
    )
    return program, mentor, mentee


@pytest.mark.parametrize(
    "who",
    ["director", "manager", "report", "peer", "coach", "admin", "program_admin", "hr", "outsider"],
)
def test_proposal_page_is_for_program_admins_only(cast: Cast, who: str) -> None:
    program, _, _ = _program_with_answers(cast)
    services.run_matching(cast.program_admin, program)
    slug = program.slug
    page = client_for(cast.everyone()[who]).get(reverse("mentoring:proposal", args=[slug]))
    assert page.status_code == (200 if who == "program_admin" else 404)


def test_sensitive_answers_reach_program_admins_only(cast: Cast) -> None:
    program, _, mentee = _program_with_answers(cast)
    slug = program.slug
    SensitiveAnswer.objects.filter(enrolment=mentee).update(same_gender=True)
    assert SensitiveAnswer.objects.visible_to(cast.program_admin).count() == 1
    for who, person in cast.everyone().items():
        if who == "program_admin":
            continue
        assert not SensitiveAnswer.objects.visible_to(person).exists()
        page = client_for(person).get(reverse("mentoring:program", args=[slug]))
        assert "nonbinary" not in page.content.decode()


def test_enrolment_answers_are_the_persons_and_program_admins(cast: Cast) -> None:
    program, _, mentee = _program_with_answers(cast)
    slug = program.slug
    for who, person in cast.everyone().items():
        mine = Enrolment.objects.visible_to(person).filter(pk=mentee.pk).exists()
        assert mine == (who in ("peer", "program_admin"))
        if who != "outsider":
            page = client_for(person).get(reverse("mentoring:program", args=[slug]))
            assert ("leave the platform team" in page.content.decode()) == (who == "peer")


def test_pairs_are_hidden_until_published_then_each_sees_their_own(cast: Cast) -> None:
    program, _, _ = _program_with_answers(cast)
    slug = program.slug
    services.run_matching(cast.program_admin, program)
    match = Match.objects.get()
    for who, person in cast.everyone().items():
        seen = Match.objects.visible_to(person).exists()
        assert seen == (who == "program_admin")
    services.publish(cast.program_admin, program)
    for who, person in cast.everyone().items():
        seen = Match.objects.visible_to(person).filter(pk=match.pk).exists()
        assert seen == (who in ("program_admin", "peer", "coach"))
    page = client_for(cast.peer).get(reverse("mentoring:program", args=[slug])).content.decode()
    assert cast.coach.name in page
    assert "Accept" in page


def test_another_organisation_gets_404_everywhere(cast: Cast) -> None:
    slug = _program_with_answers(cast)[0].slug
    request = make_request(cast.report, cast.peer)
    client = client_for(cast.outsider)
    for url in (
        reverse("mentoring:program", args=[slug]),
        reverse("mentoring:proposal", args=[slug]),
        reverse("mentoring:request", args=[request.code]),
        reverse("mentoring:profile", args=[MentorProfile.objects.get(person=cast.peer).code]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("mentoring:request-send", args=[MentorProfile.objects.get(person=cast.peer).code]),
        {"challenge": CHALLENGE, "goals": "x"},
    )
    assert response.status_code == 404
    assert MentoringRequest.objects.count() == 1
    enrol = client.post(reverse("mentoring:program-enrol", args=[slug]), {"role": "mentee"})
    assert enrol.status_code == 404


def test_no_mentoring_model_is_in_the_django_admin(cast: Cast, admin_client: object) -> None:
    for name in ("mentoringrequest", "enrolment", "sensitiveanswer", "match", "mentorprofile"):
        assert admin_client.get(f"/admin/mentoring/{name}/").status_code == 404  # type: ignore[attr-defined]
