"""Every evaluation page is labelled for screen readers (the shared checker), filled
and empty, and the answers with errors too."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from cairn.evaluation.tests.factories import Evaluation
from cairn.testing import Cast, client_for, html
from cairn.testing.accessibility import problems


def check(client: Client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert problems(html(response)) == [], url


def test_the_persons_and_the_managers_pages_are_labelled(evaluation: Evaluation) -> None:
    review = reverse("evaluation:review", args=[evaluation.review.code])
    goal = reverse("evaluation:goal-edit", args=[evaluation.goal.code])
    check(client_for(evaluation.cast.report), [reverse("evaluation:home"), review, goal])
    check(client_for(evaluation.cast.manager), [reverse("evaluation:team"), review, goal])


def test_hrs_pages_are_labelled(evaluation: Evaluation) -> None:
    code = evaluation.cycle.code
    check(
        client_for(evaluation.cast.hr),
        [reverse("evaluation:cycles"), reverse("evaluation:cycle", args=[code])],
    )


def test_empty_pages_are_labelled(cast: Cast) -> None:
    check(client_for(cast.hr), [reverse("evaluation:home"), reverse("evaluation:cycles")])
    check(client_for(cast.peer), [reverse("evaluation:team")])


def test_error_answers_are_labelled(evaluation: Evaluation) -> None:
    review, cycle = evaluation.review.code, evaluation.cycle.code
    for person, url, data in [
        (evaluation.cast.hr, reverse("evaluation:cycles"), {"name": ""}),
        (evaluation.cast.hr, reverse("evaluation:cycle-open", args=[cycle]), {"team": ""}),
        (evaluation.cast.hr, reverse("evaluation:cycle-move", args=[cycle]), {"to": ""}),
        (evaluation.cast.report, reverse("evaluation:self-review", args=[review]), {"text": ""}),
        (evaluation.cast.report, reverse("evaluation:goal-add", args=[review]), {"name": ""}),
        (evaluation.cast.manager, reverse("evaluation:assessment", args=[review]), {"text": ""}),
    ]:
        response = client_for(person).post(url, data)
        assert response.status_code == 422, url
        assert problems(html(response)) == [], url
