"""Every mentoring page passes the shared accessibility checks."""

from __future__ import annotations

from django.urls import reverse

from cairn.mentoring import services
from cairn.mentoring.tests.factories import (
    enrol_mentee,
    enrol_mentor,
    make_profile,
    make_program,
    make_request,
)
from cairn.testing import Cast, client_for
from cairn.testing.accessibility import problems


def test_mentoring_pages_are_labelled(cast: Cast) -> None:
    profile = make_profile(cast.coach)
    request = make_request(cast.report, cast.coach)
    program = make_program(cast.program_admin)
    enrol_mentor(program, cast.peer)
    enrol_mentee(program, cast.admin)
    services.run_matching(cast.program_admin, program)
    pages = {
        cast.report: [
            reverse("mentoring:directory"),
            reverse("mentoring:profile", args=[profile.code]),
            reverse("mentoring:profile-edit"),
            reverse("mentoring:requests"),
            reverse("mentoring:programs"),
            reverse("mentoring:program", args=[program.slug]),
        ],
        cast.coach: [reverse("mentoring:request", args=[request.code])],
        cast.program_admin: [
            reverse("mentoring:program-new"),
            reverse("mentoring:proposal", args=[program.slug]),
            reverse("mentoring:tags"),
            reverse("mentoring:programs"),
        ],
    }
    for person, urls in pages.items():
        client = client_for(person)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert problems(response.content.decode()) == [], url


def test_empty_states_say_what_to_do_next(cast: Cast) -> None:
    client = client_for(cast.report)
    assert "Find a mentor" in client.get(reverse("mentoring:requests")).content.decode()
    assert "find a mentor" in client.get(reverse("mentoring:programs")).content.decode()
    admin = client_for(cast.program_admin).get(reverse("mentoring:programs")).content.decode()
    assert "Create the first" in admin
