"""Evaluation's rows of the who-sees-what table, walked over the whole cast: the
person evaluated (the report), their evaluating manager, the manager's manager (the
director), HR — and everyone else: a teammate, a coach, the org admin, the program
admin, the org admin of another organisation and a Django superuser. Every test
asserts the status and what the answer contains."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cairn.evaluation.models import CycleStatus, Goal, PerformanceReview, ReviewCycle
from cairn.evaluation.tests.factories import (
    ASSESSMENT,
    GOAL,
    SECRETS,
    SELF_REVIEW,
    Evaluation,
)
from cairn.people.models import User
from cairn.people.tests.factories import edit_data, edit_url
from cairn.testing import client_for, html

READERS = ["report", "manager", "director", "hr"]
NOBODY = ["peer", "coach", "admin", "program_admin", "outsider"]


def assert_nothing_of(page: str) -> None:
    for text in SECRETS:
        assert text not in page, text


def superuser(evaluation: Evaluation) -> Client:
    """The org admin, made a Django superuser too: the app's pages still say 404."""
    User.objects.filter(pk=evaluation.cast.admin.user_id).update(is_superuser=True, is_staff=True)
    return client_for(evaluation.cast.admin)


def clients(evaluation: Evaluation, roles: list[str]) -> dict[str, Client]:
    people = evaluation.cast.everyone()
    return {role: client_for(people[role]) for role in roles}


def review_url(evaluation: Evaluation) -> str:
    return reverse("evaluation:review", args=[evaluation.review.code])


def hr_urls(evaluation: Evaluation) -> list[str]:
    code = evaluation.cycle.code
    return [
        reverse("evaluation:cycles"),
        reverse("evaluation:cycle", args=[code]),
        reverse("evaluation:cycle-export", args=[code]),
    ]


def snapshot() -> tuple[object, ...]:
    review = PerformanceReview.objects.get(person__name="Riley Report")
    return (
        ReviewCycle.objects.count(),
        ReviewCycle.objects.get().status,
        PerformanceReview.objects.count(),
        Goal.objects.count(),
        Goal.objects.values_list("name", "actual").get(),
        review.self_review,
        review.assessment,
        review.rating,
    )


def forged_posts(evaluation: Evaluation) -> list[tuple[str, dict[str, str]]]:
    review, cycle = evaluation.review.code, evaluation.cycle.code
    goal = {"name": "forged", "metric": "forged", "target": "1", "actual": "2"}
    return [
        (reverse("evaluation:self-review", args=[review]), {"text": "forged"}),
        (reverse("evaluation:assessment", args=[review]), {"text": "forged", "rating": "1"}),
        (reverse("evaluation:goal-add", args=[review]), goal),
        (reverse("evaluation:goal-edit", args=[evaluation.goal.code]), goal),
        (reverse("evaluation:cycles"), {"name": "forged"}),
        (reverse("evaluation:cycle-open", args=[cycle]), {"team": "everyone"}),
        (reverse("evaluation:cycle-move", args=[cycle]), {"to": "closed"}),
    ]


# --- who reads a review ---------------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "director", "hr"])
def test_managers_and_hr_read_the_whole_review(evaluation: Evaluation, role: str) -> None:
    response = clients(evaluation, [role])[role].get(review_url(evaluation))
    assert response.status_code == 200
    for text in (SELF_REVIEW, ASSESSMENT, GOAL, "4 — exceeds expectations"):
        assert text in html(response), text


def test_the_person_reads_their_assessment_only_once_released(evaluation: Evaluation) -> None:
    client = client_for(evaluation.cast.report)
    for status in (CycleStatus.OPEN, CycleStatus.CLOSED):
        if status == CycleStatus.CLOSED:
            evaluation.move_to(CycleStatus.CLOSED)
        page = html(client.get(review_url(evaluation)))
        assert SELF_REVIEW in page
        assert GOAL in page
        assert ASSESSMENT not in page, status
        assert "once HR releases the results" in page
    evaluation.move_to(CycleStatus.RELEASED)
    page = html(client.get(review_url(evaluation)))
    assert ASSESSMENT in page
    assert "4 — exceeds expectations" in page


@pytest.mark.parametrize("role", NOBODY)
def test_nobody_else_reads_a_review(evaluation: Evaluation, role: str) -> None:
    client = clients(evaluation, [role])[role]
    for url in [
        review_url(evaluation),
        reverse("evaluation:goal-edit", args=[evaluation.goal.code]),
        *hr_urls(evaluation),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert_nothing_of(html(response))


@pytest.mark.parametrize("role", NOBODY)
def test_nobody_else_finds_a_review_on_their_own_pages(evaluation: Evaluation, role: str) -> None:
    client = clients(evaluation, [role])[role]
    for url in (reverse("evaluation:home"), reverse("evaluation:team")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_nothing_of(html(response))
        assert review_url(evaluation) not in html(response)


def test_a_superuser_reads_nothing_through_the_pages(evaluation: Evaluation) -> None:
    client = superuser(evaluation)
    for url in [review_url(evaluation), *hr_urls(evaluation)]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert_nothing_of(html(response))


def test_a_superuser_without_a_person_gets_no_data(evaluation: Evaluation) -> None:
    user = User.objects.create_superuser("root", "root@example.org", "a-test-password-42")
    client = Client()
    client.force_login(user)
    for url in [reverse("evaluation:home"), review_url(evaluation), *hr_urls(evaluation)]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert_nothing_of(html(response))


@pytest.mark.parametrize("model", ["reviewcycle", "performancereview", "goal"])
def test_the_django_admin_has_no_page_for_evaluation(evaluation: Evaluation, model: str) -> None:
    client = superuser(evaluation)
    response = client.get(f"/admin/evaluation/{model}/")
    assert response.status_code == 404
    assert_nothing_of(html(response))


def test_the_admin_delete_page_of_the_person_shows_no_evaluation_text(
    evaluation: Evaluation,
) -> None:
    client = superuser(evaluation)
    response = client.get(f"/admin/people/person/{evaluation.cast.report.pk}/delete/")
    assert response.status_code == 200
    assert_nothing_of(html(response))


# --- lists: who finds the review -------------------------------------------------------


@pytest.mark.parametrize("role", ["manager", "director"])
def test_managers_find_the_review_under_their_people(evaluation: Evaluation, role: str) -> None:
    response = clients(evaluation, [role])[role].get(reverse("evaluation:team"))
    assert response.status_code == 200
    assert review_url(evaluation) in html(response)
    assert SELF_REVIEW not in html(response)  # a list says "written", not what


def test_the_person_finds_their_review_at_home(evaluation: Evaluation) -> None:
    page = html(client_for(evaluation.cast.report).get(reverse("evaluation:home")))
    assert review_url(evaluation) in page
    # Their manager's own review (the director evaluates it) is not theirs to find.
    manager_review = PerformanceReview.objects.get(person=evaluation.cast.manager)
    assert reverse("evaluation:review", args=[manager_review.code]) not in page


def test_a_report_does_not_read_their_managers_review(evaluation: Evaluation) -> None:
    manager_review = PerformanceReview.objects.get(person=evaluation.cast.manager)
    for role in ("report", "peer"):
        url = reverse("evaluation:review", args=[manager_review.code])
        assert clients(evaluation, [role])[role].get(url).status_code == 404, role


def test_hr_lists_the_cycle_and_its_people(evaluation: Evaluation) -> None:
    client = client_for(evaluation.cast.hr)
    cycles = html(client.get(reverse("evaluation:cycles")))
    assert evaluation.cycle.name in cycles
    cycle = html(client.get(reverse("evaluation:cycle", args=[evaluation.cycle.code])))
    assert review_url(evaluation) in cycle
    assert evaluation.cast.report.name in cycle


def test_hr_of_another_organisation_sees_nothing(evaluation: Evaluation) -> None:
    from cairn.testing import make_person

    elsewhere = make_person(evaluation.cast.outsider.organisation, "Hal Elsewhere", is_hr=True)
    client = client_for(elsewhere)
    for url in [review_url(evaluation), *hr_urls(evaluation)[1:]]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert_nothing_of(html(response))
    assert_nothing_of(html(client.get(reverse("evaluation:cycles"))))


# --- writes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["director", "peer", "coach", "admin", "program_admin", "outsider"]
)
def test_nobody_else_writes(evaluation: Evaluation, role: str) -> None:
    client = clients(evaluation, [role])[role]
    before = snapshot()
    for url, data in forged_posts(evaluation):
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert_nothing_of(html(response))
    assert snapshot() == before


def test_hr_reads_but_does_not_write_a_review(evaluation: Evaluation) -> None:
    client = client_for(evaluation.cast.hr)
    before = snapshot()
    for url, data in forged_posts(evaluation)[:4]:
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before


def test_the_person_does_not_assess_themselves(evaluation: Evaluation) -> None:
    client = client_for(evaluation.cast.report)
    before = snapshot()
    url, data = forged_posts(evaluation)[1]
    assert client.post(url, data).status_code == 404
    for url, data in forged_posts(evaluation)[4:]:
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before


def test_nothing_is_written_once_the_cycle_closes(evaluation: Evaluation) -> None:
    evaluation.move_to(CycleStatus.CLOSED)
    before = snapshot()
    report, manager = client_for(evaluation.cast.report), client_for(evaluation.cast.manager)
    posts = forged_posts(evaluation)
    for client, (url, data) in [
        (report, posts[0]),
        (report, posts[2]),
        (manager, posts[2]),
        (manager, posts[3]),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert snapshot() == before
    # The manager may still finish the assessment until the results are released.
    assert manager.post(*posts[1]).status_code == 302
    evaluation.move_to(CycleStatus.RELEASED)
    assert manager.post(*posts[1]).status_code == 404


def test_who_reads_a_review_is_settled_when_the_cycle_opens(evaluation: Evaluation) -> None:
    # The org admin puts themselves above the evaluating manager once the cycle is
    # under way: they manage reporting lines, not evaluations, and read none of it.
    cast = evaluation.cast
    data = edit_data(cast.manager, manager=cast.admin.code)
    assert client_for(cast.admin).post(edit_url(cast.manager), data).status_code == 302
    cast.manager.refresh_from_db()
    assert cast.manager.manager == cast.admin

    response = client_for(cast.admin).get(review_url(evaluation))
    assert response.status_code == 404
    assert_nothing_of(html(response))
    # The director, above the manager when the cycle opened, still reads it.
    director = client_for(cast.director).get(review_url(evaluation))
    assert director.status_code == 200
    assert SELF_REVIEW in html(director)
