"""The enrol form chooses people through pickers searched on the server: the three
mentor choices among the program's mentors, "not with" among the organisation —
never a list of everyone."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cairn.mentoring.models import Enrolment, Program, ShortlistEntry
from cairn.mentoring.tests.factories import enrol_mentor, make_program
from cairn.people.models import User
from cairn.people.pickers import CHOSEN_MAX
from cairn.testing import Cast, client_for, make_person
from cairn.testing.bulk import bulk_people


def _program(cast: Cast) -> Program:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach)
    enrol_mentor(program, cast.peer)
    return program


def _enrol(cast: Cast, program: Program, **data: object) -> tuple[int, str]:
    response = client_for(cast.report).post(
        reverse("mentoring:program-enrol", args=[program.slug]),
        {"role": "mentee", "capacity": "1", "years_experience": "2", **data},
    )
    return response.status_code, response.content.decode()


def test_a_mentee_chooses_mentors_and_people_to_avoid_by_their_codes(cast: Cast) -> None:
    program = _program(cast)
    status, _ = _enrol(
        cast,
        program,
        choice_1=str(cast.peer.code),
        choice_2=str(cast.coach.code),
        not_with=[str(cast.manager.code), str(cast.director.code)],
    )
    assert status == 302
    mine = Enrolment.objects.get(program=program, person=cast.report)
    chosen = ShortlistEntry.objects.filter(mentee=mine).order_by("rank")
    assert [e.mentor.person for e in chosen] == [cast.peer, cast.coach]
    assert set(mine.not_with.all()) == {cast.manager, cast.director}
    # The page shows them chosen again, without listing anyone else.
    page = client_for(cast.report).get(reverse("mentoring:program", args=[program.slug]))
    body = page.content.decode()
    assert f'value="{cast.director.code}" selected' in body
    assert f'value="{cast.peer.code}" selected' in body


@pytest.mark.parametrize(
    "data",
    [
        {"choice_1": "not-a-code"},
        {"not_with": ["not-a-code"]},
        {"not_with": ["1"]},
    ],
)
def test_junk_choices_are_refused_and_nothing_is_saved(cast: Cast, data: dict[str, object]) -> None:
    program = _program(cast)
    status, body = _enrol(cast, program, **data)
    assert status == 422
    assert "Choose" in body
    assert not Enrolment.objects.filter(person=cast.report).exists()


def test_a_mentor_choice_outside_the_program_is_refused(cast: Cast) -> None:
    program = _program(cast)
    status, body = _enrol(cast, program, choice_1=str(cast.manager.code))
    assert status == 422
    assert "Choose a mentor enrolled in this program." in body
    assert not Enrolment.objects.filter(person=cast.report).exists()


def test_someone_of_another_organisation_cannot_be_avoided_by_code(cast: Cast) -> None:
    program = _program(cast)
    status, body = _enrol(cast, program, not_with=[str(cast.outsider.code)])
    assert status == 422
    assert "Choose people from the list." in body
    assert cast.outsider.name not in body
    assert not Enrolment.objects.filter(person=cast.report).exists()


def test_too_many_people_to_avoid_are_refused_in_words(cast: Cast) -> None:
    program = _program(cast)
    many = bulk_people(cast.org, CHOSEN_MAX + 1)
    status, body = _enrol(cast, program, not_with=[str(p.code) for p in many])
    assert status == 422
    assert f"Choose at most {CHOSEN_MAX} people." in body
    assert not Enrolment.objects.filter(person=cast.report).exists()


def test_the_no_javascript_search_finds_people_to_avoid(cast: Cast) -> None:
    program = _program(cast)
    make_person(cast.org, "Zora Farfield")
    url = reverse("mentoring:program", args=[program.slug])
    client = client_for(cast.report)
    assert "Zora Farfield" not in client.get(url).content.decode()
    found = client.get(url, {"not_with_q": "Zora"}).content.decode()
    assert "Zora Farfield" in found
    assert "1 found for “Zora”" in found
    # The mentor choices search the program's mentors only.
    chosen = client.get(url, {"choice_1_q": "Zora"}).content.decode()
    assert "Nobody found for “Zora”" in chosen


@pytest.mark.parametrize(
    "who",
    [
        "director",
        "manager",
        "report",
        "peer",
        "coach",
        "admin",
        "program_admin",
        "hr",
        "outsider",
        "superuser",
    ],
)
def test_the_mentor_search_is_the_programs_mentors_names_for_its_organisation(
    cast: Cast, who: str
) -> None:
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.coach, goals="planted-mentor-goals", capacity=3)
    make_person(cast.org, f"{cast.coach.name.split()[0]} Notamentor")
    if who == "superuser":
        viewer = make_person(cast.org, "Sam Superuser", is_org_admin=True)
        User.objects.filter(pk=viewer.user_id).update(is_superuser=True, is_staff=True)
    else:
        viewer = cast.everyone()[who]
    response = client_for(viewer).get(
        reverse("mentoring:program-mentors", args=[program.slug]),
        {"q": cast.coach.name.split()[0]},
    )
    body = response.content.decode()
    assert "planted-mentor-goals" not in body
    assert "Notamentor" not in body
    if who == "outsider":
        assert response.status_code == 404
    elif who == "coach":  # nobody chooses themselves
        assert response.json() == {"results": []}
    else:
        assert response.status_code == 200
        assert [r["name"] for r in response.json()["results"]] == [cast.coach.name]
        assert set(response.json()["results"][0]) == {"code", "name", "hint"}
