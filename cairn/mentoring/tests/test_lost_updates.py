"""A program's settings page, and no lost update on it (issue 17, point 1): every
program admin of the organisation may change a program's settings; two of them
saving from the same version — the second answers 409, both versions on the page,
nothing overwritten, and can save again knowingly."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from cairn.lib.versions import Conflict
from cairn.mentoring import services
from cairn.mentoring.models import Program, ProgramKind
from cairn.mentoring.tests.factories import make_program
from cairn.people.models import Person
from cairn.testing import ROLES, Cast, client_for, count_queries, html, make_cast, make_person
from cairn.testing.browser import axe_violations, sign_in

PURPOSE = "purpose: grow staff engineers across the platform teams"


def settings_url(program: Program) -> str:
    return reverse("mentoring:program-settings", args=[program.slug])


def opened_version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the settings form carries no version"
    return found.group(1)


def settings_post(program: Program, version: str, **changes: Any) -> dict[str, Any]:
    data = {
        "name": program.name,
        "purpose": program.purpose,
        "starts_on": program.starts_on.isoformat(),
        "ends_on": program.ends_on.isoformat(),
        "enrolment_opens": program.enrolment_opens.isoformat(),
        "enrolment_closes": program.enrolment_closes.isoformat(),
        "objective": program.objective,
        "min_score": str(program.min_score),
        "weight_skills": "3",
        "weight_goals": "2",
        "weight_seniority": "1",
        "weight_preference": "3",
        "weight_time_zone": "1",
        "weight_languages": "1",
        "weight_cross_team": "1",
        "version": version,
    }
    data.update(changes)
    return data


def second_admin(cast: Cast) -> Person:
    return make_person(cast.org, "Sam Second-Admin", is_program_admin=True)


# --- the page --------------------------------------------------------------------------


def test_a_program_admin_changes_the_settings(cast: Cast) -> None:
    program = make_program(cast.program_admin, purpose=PURPOSE)
    client = client_for(cast.program_admin)
    page = html(client.get(reverse("mentoring:program", args=[program.slug])))
    assert settings_url(program) in page
    form = html(client.get(settings_url(program)))
    assert PURPOSE in form
    assert 'name="kind"' not in form  # matches are made for the kind: it stays
    assert f'value="{program.starts_on.isoformat()}"' in form  # as a date input shows it
    response = client.post(
        settings_url(program),
        settings_post(program, opened_version(form), weight_skills="5", min_score="0.5"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:program", args=[program.slug])
    program.refresh_from_db()
    assert (program.weight_skills, program.min_score, program.kind) == (5.0, 0.5, "cohort")
    assert program.version == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weight_goals": "lots"}, "the weight must be a number"),
        ({"weight_goals": "-1"}, "the weight must be zero or more"),
        ({"weight_goals": "nan"}, "the weight must be zero or more"),
        ({"name": "   "}, "This field is required."),
        ({"ends_on": "2000-01-01"}, "The program ends after it starts."),
        ({"min_score": "inf"}, "The minimum score must be a number."),
        ({"objective": "everything"}, "Select a valid choice."),
        ({"garbled_version": "x"}, "Reload the page"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_saved(
    cast: Cast, changes: dict[str, str], message: str
) -> None:
    program = make_program(cast.program_admin, purpose=PURPOSE)
    version = changes.pop("garbled_version", "1")
    response = client_for(cast.program_admin).post(
        settings_url(program), settings_post(program, version, purpose="new purpose", **changes)
    )
    assert response.status_code == 422
    assert message in html(response)
    assert "new purpose" in html(response)  # what was typed stays in the form
    program.refresh_from_db()
    assert (program.purpose, program.version) == (PURPOSE, 1)


# --- the conflict ----------------------------------------------------------------------


def test_two_admins_saving_from_the_same_version(cast: Cast) -> None:
    program = make_program(cast.program_admin, purpose=PURPOSE)
    first, second = client_for(cast.program_admin), client_for(second_admin(cast))
    version = opened_version(html(first.get(settings_url(program))))
    assert opened_version(html(second.get(settings_url(program)))) == version

    saved = first.post(settings_url(program), settings_post(program, version, weight_skills="7"))
    assert saved.status_code == 302
    response = second.post(
        settings_url(program),
        settings_post(program, version, weight_goals="9", purpose="second admin's purpose"),
    )
    assert response.status_code == 409
    page = html(response)
    program.refresh_from_db()
    assert (program.weight_skills, program.weight_goals, program.purpose) == (7.0, 2.0, PURPOSE)
    assert "second admin&#x27;s purpose" in page  # theirs, in the form
    assert 'value="9"' in page
    assert "Saved while you were editing" in page
    assert "7.0" in page  # the first admin's weight, beside it

    again = second.post(
        settings_url(program),
        settings_post(program, opened_version(page), weight_goals="9", weight_skills="3"),
    )
    assert again.status_code == 302
    program.refresh_from_db()
    assert (program.weight_skills, program.weight_goals, program.version) == (3.0, 9.0, 3)


def test_the_service_refuses_a_stale_version(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    data = services.ProgramData(
        name=program.name,
        purpose="one",
        starts_on=program.starts_on,
        ends_on=program.ends_on,
        enrolment_opens=program.enrolment_opens,
        enrolment_closes=program.enrolment_closes,
    )
    services.update_program(cast.program_admin, program, data, opened=1)
    data.purpose = "two"
    with pytest.raises(Conflict) as raised:
        services.update_program(second_admin(cast), Program.objects.get(), data, opened=1)
    assert raised.value.current.purpose == "one"
    assert Program.objects.get().purpose == "one"


# --- privacy and cost --------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in ROLES if r != "program_admin"])
def test_only_program_admins_of_the_organisation_see_the_settings(cast: Cast, role: str) -> None:
    program = make_program(cast.program_admin, purpose=PURPOSE)
    client = client_for(cast.everyone()[role])
    for response in (
        client.get(settings_url(program)),
        client.post(settings_url(program), settings_post(program, "1", purpose="forged")),
    ):
        assert response.status_code == 404
        assert PURPOSE not in html(response)
    assert Program.objects.get().purpose == PURPOSE


def test_a_program_admin_of_another_organisation_gets_404(cast: Cast) -> None:
    program = make_program(cast.program_admin, purpose=PURPOSE)
    other = make_person(cast.outsider.organisation, is_program_admin=True)
    client = client_for(other)
    for response in (
        client.get(settings_url(program)),
        client.post(settings_url(program), settings_post(program, "1", purpose="forged")),
    ):
        assert response.status_code == 404
        assert PURPOSE not in html(response)
    assert Program.objects.get().purpose == PURPOSE


def test_a_superuser_without_a_person_is_refused(cast: Cast) -> None:
    program = make_program(cast.program_admin, purpose=PURPOSE)
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw-42-long!")
    client = Client()
    client.force_login(user)
    for response in (
        client.get(settings_url(program)),
        client.post(settings_url(program), settings_post(program, "1", purpose="forged")),
    ):
        assert response.status_code == 403
        assert PURPOSE not in html(response)
    assert Program.objects.get().purpose == PURPOSE


def test_the_settings_page_costs_the_same_with_one_program_and_fifty(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    client = client_for(cast.program_admin)

    def cost() -> int:
        return count_queries(lambda: client.get(settings_url(program)))

    small = cost()
    for n in range(49):
        make_program(cast.program_admin, name=f"Cohort {n}")
    assert cost() == small


# --- in a browser ----------------------------------------------------------------------


@pytest.mark.browser
def test_the_settings_page_and_its_conflict_pass_axe(open_page: Callable[..., Page]) -> None:
    cast = make_cast()
    program = make_program(cast.program_admin, purpose=PURPOSE, kind=ProgramKind.COHORT)
    page = open_page()
    sign_in(page, cast.program_admin)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(settings_url(program))
        assert axe_violations(page) == [], width
    # Another admin saves while this page is open; saving it shows both, in place.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(settings_url(program))
    fresh = Program.objects.get()
    data = services.ProgramData(
        name=fresh.name,
        purpose="saved by the other admin",
        starts_on=fresh.starts_on,
        ends_on=fresh.ends_on,
        enrolment_opens=fresh.enrolment_opens,
        enrolment_closes=fresh.enrolment_closes,
    )
    services.update_program(second_admin(cast), fresh, data, opened=fresh.version)
    page.get_by_label("Purpose").fill("typed in this tab")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_role("heading", name="Saved while you were editing")).to_be_visible()
    expect(page.get_by_label("Purpose")).to_have_value("typed in this tab")
    expect(page.locator(".conflict")).to_contain_text("saved by the other admin")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert axe_violations(page) == [], width
    with page.expect_navigation():
        page.get_by_role("button", name="Save mine over it").click()
    assert Program.objects.get().purpose == "typed in this tab"
