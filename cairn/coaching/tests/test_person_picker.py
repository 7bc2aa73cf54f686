"""The people picker on the new-engagement form ("With"), without JavaScript: a select
of the people you work with (reports, manager, the other parties of your open
engagements), a search on the server that adds the matches, and the server accepting
anyone the form allows — and no one else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from cairn.coaching.models import Engagement, EngagementKind
from cairn.coaching.tests.factories import make_engagement
from cairn.people.models import Person
from cairn.people.pickers import WORKS_WITH_LIMIT
from cairn.testing import Cast, client_for, count_queries, html, make_person


@pytest.fixture
def inactive(cast: Cast) -> Person:
    person = make_person(cast.org, "Olivia Gone")
    person.user.is_active = False
    person.user.save(update_fields=["is_active"])
    return person


NEW = "coaching:engagement-new"


def options_of(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


def propose(client: Client, other: str, **extra: Any) -> Any:
    data = {
        "other": other,
        "kind": "mentoring",
        "role": "receiver",
        "cadence": "fortnightly",
        "template": "inspire",
    }
    data.update(extra)
    return client.post(reverse(NEW), data)


def test_the_select_lists_the_people_i_work_with_not_the_organisation(cast: Cast) -> None:
    for n in range(60):
        make_person(cast.org, f"Someone Else {n}")
    mentor = make_person(cast.org, "Mo Mentor")
    make_engagement(mentor, cast.report, EngagementKind.MENTORING)

    select = options_of(html(client_for(cast.report).get(reverse(NEW))), "other")

    assert "Maria Manager" in select  # my manager
    assert "Mo Mentor" in select  # my mentor
    assert "Someone Else" not in select
    assert "Cody Coach" not in select
    assert "Riley Report" not in select  # not myself


def test_a_manager_finds_their_reports_in_the_select(cast: Cast) -> None:
    select = options_of(html(client_for(cast.manager).get(reverse(NEW))), "other")
    assert "Riley Report" in select
    assert "Pat Peer" in select
    assert "Dana Director" in select
    assert "Cody Coach" not in select


def test_the_select_stays_bounded_however_many_people_i_work_with(cast: Cast) -> None:
    for n in range(WORKS_WITH_LIMIT + 10):
        make_person(cast.org, f"Report {n:02}", manager=cast.coach)
    select = options_of(html(client_for(cast.coach).get(reverse(NEW))), "other")
    assert select.count("<option") == 1 + WORKS_WITH_LIMIT  # and the empty choice


def test_search_pick_and_submit_without_javascript(cast: Cast) -> None:
    client = client_for(cast.report)
    page = html(client.get(reverse(NEW), {"other_q": "cody"}))
    select = options_of(page, "other")
    assert f'value="{cast.coach.code}"' in select
    assert "1 found for “cody”" in page
    assert 'value="cody"' in page  # the search box keeps what was typed

    response = propose(client, str(cast.coach.code))

    assert response.status_code == 302
    engagement = Engagement.objects.get(kind=EngagementKind.MENTORING)
    assert (engagement.giver, engagement.receiver) == (cast.coach, cast.report)


def test_a_search_that_finds_nobody_says_so(cast: Cast) -> None:
    page = html(client_for(cast.report).get(reverse(NEW), {"other_q": "Olga"}))
    assert "Nobody found for “Olga”." in page
    assert "Olga Outsider" not in page


def test_a_one_letter_search_finds_nobody_and_lists_what_it_did(cast: Cast) -> None:
    page = html(client_for(cast.report).get(reverse(NEW), {"other_q": "a"}))
    assert "found for" not in page
    assert "Maria Manager" in options_of(page, "other")


def test_the_search_belongs_to_a_get_form_outside_the_post_form(cast: Cast) -> None:
    page = html(client_for(cast.report).get(reverse(NEW)))
    assert 'form="other-search"' in page
    assert '<form id="other-search" method="get"' in page
    post_form_end = page.index("</form>", page.index('method="post" class="stacked"'))
    assert page.index('<form id="other-search"') > post_form_end


def test_someone_not_listed_can_still_be_chosen_by_code(cast: Cast) -> None:
    # The select lists a few; the server accepts anyone the form allows.
    response = propose(client_for(cast.report), str(cast.coach.code))
    assert response.status_code == 302


@pytest.mark.parametrize("who", ["outsider", "inactive", "myself", "junk"])
def test_a_person_the_form_does_not_allow_is_refused_and_nothing_saved(
    cast: Cast, inactive: Person, who: str
) -> None:
    code = {
        "outsider": str(cast.outsider.code),
        "inactive": str(inactive.code),
        "myself": str(cast.report.code),
        "junk": "x" * 1000,
    }[who]
    response = propose(client_for(cast.report), code)
    assert response.status_code == 422
    assert "Choose someone from your organisation." in html(response)
    assert "Olga Outsider" not in html(response)
    assert not Engagement.objects.filter(kind=EngagementKind.MENTORING).exists()


def test_a_chosen_person_stays_chosen_when_the_form_comes_back(cast: Cast) -> None:
    response = propose(client_for(cast.report), str(cast.coach.code), cadence="")
    assert response.status_code == 422
    select = options_of(html(response), "other")
    assert f'value="{cast.coach.code}" selected' in select


def test_the_new_engagement_form_costs_the_same_with_one_match_or_fifty(cast: Cast) -> None:
    client = client_for(cast.report)
    url = reverse(NEW) + "?other_q=match"
    make_person(cast.org, "Sam Match 0")
    make_engagement(make_person(cast.org, "Mentor 0"), cast.report, "mentoring")
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for n in range(1, 50):
        make_person(cast.org, f"Sam Match {n}")
        make_engagement(make_person(cast.org, f"Mentor {n}"), cast.report, "mentoring")
    fifty = count_queries(lambda: client.get(url))
    assert one == fifty
