"""The matching proposal as a page of pairs: totals from the database, filters, pages,
and a pair's mentor changed through the people picker searched among the program's
mentors only (with and without JavaScript: the no-JS search reloads the page)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cairn.mentoring.models import Enrolment, Match, MatchStatus, Program, Role, Unmatched
from cairn.mentoring.tests.factories import make_program
from cairn.mentoring.views import PAIRS_PAGE_SIZE
from cairn.people.models import Person, User
from cairn.testing import Cast, client_for, count_queries, htmx, make_person

GENDER = "planted-gender-answer"


def _enrol(program: Program, person: Person, role: str, capacity: int = 1) -> Enrolment:
    return Enrolment.objects.create(program=program, person=person, role=role, capacity=capacity)


def _world(cast: Cast, pairs: int = 4) -> tuple[Program, list[Match]]:
    """``pairs`` proposed pairs scored 1, 2, 3…, the first pinned; a spare mentor
    (Mira Spare) with room; one mentee left unmatched."""
    program = make_program(cast.program_admin)
    made = []
    for i in range(pairs):
        mentor = _enrol(program, make_person(cast.org, f"Mentor Number{i}"), Role.MENTOR)
        mentee = _enrol(program, make_person(cast.org, f"Mentee Number{i}"), Role.MENTEE)
        made.append(
            Match.objects.create(
                program=program,
                mentee=mentee,
                mentor=mentor,
                score=float(i + 1),
                reasons={"skills": float(i + 1)},
                pinned=i == 0,
            )
        )
    _enrol(program, make_person(cast.org, "Mira Spare"), Role.MENTOR, capacity=2)
    lonely = _enrol(program, make_person(cast.org, "Lonely Mentee"), Role.MENTEE)
    Unmatched.objects.create(program=program, enrolment=lonely, reason="nobody with room")
    return program, made


def _page(cast: Cast, program: Program, **params: str) -> tuple[int, str]:
    url = reverse("mentoring:proposal", args=[program.slug])
    response = client_for(cast.program_admin).get(url, params)
    return response.status_code, response.content.decode()


def _total(page: str, name: str) -> str:
    found = re.search(rf"<dt>{name}</dt><dd>([^<]*)</dd>", page)
    assert found, name
    return found.group(1)


def test_totals_are_the_whole_programs_whatever_the_page(cast: Cast) -> None:
    program, pairs = _world(cast, pairs=4)
    Match.objects.filter(pk=pairs[3].pk).update(status=MatchStatus.DECLINED)
    status, page = _page(cast, program)
    assert status == 200
    assert _total(page, "Live pairs") == "3"
    assert _total(page, "People matched") == "3"
    assert _total(page, "Unmatched") == "1"
    assert _total(page, "Pinned") == "1"
    assert _total(page, "Total score") == "6.00"  # 1 + 2 + 3; the declined 4 is not live
    assert _total(page, "Mean score") == "2.00"
    assert _total(page, "Lowest score") == "1.00"


def test_filters_show_the_pinned_the_low_and_the_unmatched(cast: Cast) -> None:
    program, _ = _world(cast, pairs=4)
    _, pinned = _page(cast, program, show="pinned")
    assert "Mentee Number0" in pinned
    assert "Mentee Number1" not in pinned
    _, low = _page(cast, program, show="low")  # mean 2.5: the pairs scored 1 and 2
    assert low.index("Mentee Number0") < low.index("Mentee Number1")
    assert "Mentee Number2" not in low
    assert "Mentee Number3" not in low
    _, unmatched = _page(cast, program, show="unmatched")
    assert "Lonely Mentee" in unmatched
    assert "nobody with room" in unmatched
    assert "Mentee Number0" not in unmatched
    _, everything = _page(cast, program)
    assert "nobody with room" not in everything  # the unmatched have their own page
    assert "1 unmatched: see who and why" in everything


def test_an_unknown_filter_says_so_and_shows_every_pair(cast: Cast) -> None:
    program, _ = _world(cast, pairs=2)
    status, page = _page(cast, program, show="<script>")
    assert status == 422
    assert "Choose one of the filters in the list" in page
    assert "Mentee Number0" in page
    assert "Mentee Number1" in page


def test_the_pairs_come_a_page_at_a_time_and_a_page_past_the_end_is_the_last(
    cast: Cast,
) -> None:
    program, _ = _world(cast, pairs=PAIRS_PAGE_SIZE + 2)
    _, first = _page(cast, program)
    assert first.count('<tr class="pair">') == PAIRS_PAGE_SIZE
    assert "Page 1 of 2" in first
    status, last = _page(cast, program, page="999")
    assert status == 200
    assert last.count('<tr class="pair">') == 2
    assert "Page 2 of 2" in last
    _, junk = _page(cast, program, page="x")
    assert "Page 1 of 2" in junk


def test_a_pairs_mentor_is_changed_through_the_picker_without_javascript(
    cast: Cast,
) -> None:
    program, pairs = _world(cast, pairs=2)
    pair = pairs[1]
    client = client_for(cast.program_admin)
    url = reverse("mentoring:proposal", args=[program.slug])
    # No select of every mentor on the page: one "Change mentor" link per pair.
    page = client.get(url).content.decode()
    assert "Mira Spare" not in page
    assert page.count("Change mentor</a>") == 2
    # The link opens that pair's picker; its search reloads the page with matches
    # among the program's mentors (the other "Mira" in the organisation is not one).
    make_person(cast.org, "Mira Outsider")
    opened = client.get(url, {"change": str(pair.code), "mentor_q": "Mira"}).content.decode()
    assert "A new mentor for Mentee Number1" in opened
    assert "Mira Spare" in opened
    assert "Mira Outsider" not in opened
    spare = Enrolment.objects.get(program=program, person__name="Mira Spare")
    response = client.post(
        reverse("mentoring:match-move", args=[pair.code]),
        {"mentor": str(spare.person.code), "action": "move", "show": "pinned", "page": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{url}?show=pinned&page=1"  # back where they were
    pair.refresh_from_db()
    assert pair.mentor_id == spare.pk
    assert pair.pinned


def test_a_mentor_from_outside_the_program_is_refused_and_nothing_changes(
    cast: Cast,
) -> None:
    _program, pairs = _world(cast, pairs=2)
    pair = pairs[1]
    before = pair.mentor_id
    stranger = make_person(cast.org, "Mira Outsider")
    for posted in (str(stranger.code), "not-a-code", "", str(cast.outsider.code)):
        response = client_for(cast.program_admin).post(
            reverse("mentoring:match-move", args=[pair.code]), {"mentor": posted}
        )
        assert response.status_code == 422, posted
        page = response.content.decode()
        assert "Choose a mentor enrolled in this program." in page
        assert "A new mentor for Mentee Number1" in page  # the picker, again
    pair.refresh_from_db()
    assert pair.mentor_id == before
    assert not pair.pinned


def test_the_htmx_move_answers_the_pairs_part(cast: Cast) -> None:
    program, pairs = _world(cast, pairs=2)
    spare = Enrolment.objects.get(program=program, person__name="Mira Spare")
    response = htmx(client_for(cast.program_admin)).post(
        reverse("mentoring:match-move", args=[pairs[0].code]),
        {"mentor": str(spare.person.code), "action": "move"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="proposal"' in body


def _mentors(
    cast: Cast, program: Program, person: Person, q: str
) -> tuple[int, list[dict[str, str]]]:
    response = client_for(person).get(
        reverse("mentoring:proposal-mentors", args=[program.slug]), {"q": q}
    )
    results = response.json()["results"] if response.status_code == 200 else []
    return response.status_code, results


def test_the_mentor_search_finds_the_programs_mentors_with_room_first(cast: Cast) -> None:
    program, _ = _world(cast, pairs=2)
    make_person(cast.org, "Mentor Elsewhere")  # in the organisation, not the program
    status, results = _mentors(cast, program, cast.program_admin, "Mentor")
    assert status == 200
    names = [r["name"] for r in results]
    assert names == ["Mentor Number0", "Mentor Number1"]  # both full: capacity 1
    assert results[0]["hint"] == "1 of 1 taken · full: swap"
    status, results = _mentors(cast, program, cast.program_admin, "i")  # too short
    assert results == []
    _, everyone = _mentors(cast, program, cast.program_admin, "or N")
    assert [r["name"] for r in everyone] == ["Mentor Number0", "Mentor Number1"]
    _, spare = _mentors(cast, program, cast.program_admin, "Mira")
    assert spare == [
        {
            "code": str(
                Enrolment.objects.get(
                    program=program, role=Role.MENTOR, person__name="Mira Spare"
                ).person.code
            ),
            "name": "Mira Spare",
            "hint": "0 of 2 taken",
        }
    ]


def test_the_mentor_search_answers_at_most_ten_and_costs_the_same(cast: Cast) -> None:
    program = make_program(cast.program_admin)
    client = client_for(cast.program_admin)
    url = reverse("mentoring:proposal-mentors", args=[program.slug])
    _enrol(program, make_person(cast.org, "Zed Mentor 0"), Role.MENTOR)
    one = count_queries(lambda: client.get(url, {"q": "Zed"}))
    for i in range(1, 30):
        _enrol(program, make_person(cast.org, f"Zed Mentor {i}"), Role.MENTOR)
    many = count_queries(lambda: client.get(url, {"q": "Zed"}))
    assert one == many <= 5  # who is asking (3), the program, the mentors
    assert len(client.get(url, {"q": "Zed"}).json()["results"]) == 10


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
def test_the_proposal_and_its_mentor_search_are_for_program_admins_only(
    cast: Cast, who: str
) -> None:
    program, pairs = _world(cast, pairs=2)
    from cairn.mentoring.models import SensitiveAnswer

    SensitiveAnswer.objects.create(enrolment=pairs[0].mentee, gender=GENDER, same_gender=True)
    if who == "superuser":
        viewer = make_person(cast.org, "Sam Superuser", is_org_admin=True)
        User.objects.filter(pk=viewer.user_id).update(is_superuser=True, is_staff=True)
    else:
        viewer = cast.everyone()[who]
    client = client_for(viewer)
    allowed = who == "program_admin"
    for params in ({}, {"show": "unmatched"}, {"change": str(pairs[0].code), "mentor_q": "Mira"}):
        page = client.get(reverse("mentoring:proposal", args=[program.slug]), params)
        assert page.status_code == (200 if allowed else 404)
        body = page.content.decode()
        assert (GENDER in body) == (allowed and "show" not in params), params
        assert ("Mentee Number0" in body) == (allowed and "show" not in params)
    search = client.get(reverse("mentoring:proposal-mentors", args=[program.slug]), {"q": "Mentor"})
    assert search.status_code == (200 if allowed else 404)
    assert ("Mentor Number0" in search.content.decode()) == allowed
